"""The account page for API tokens: make one (shown once), see them, revoke them."""

from allauth.core.exceptions import ReauthenticationRequired
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cooperative.accounts.second_factor import (
    second_factor_page,
    signed_in_recently,
    staff_without_second_factor,
)
from participation.api.forms import TokenForm
from participation.api.tokens import token_create, token_revoke, tokens_of


@login_required
def token_list(request):
    # A token acts with its holder's powers for as long as it lives, without any further
    # sign-in: a staff account makes one only with its second factor (as it acts on the
    # site), and everyone only within minutes of signing in or confirming who they are
    # (allauth then carries the request on), so that a session left open somewhere cannot
    # mint one.
    if request.method == "POST":
        if staff_without_second_factor(request):
            return second_factor_page(request)
        if not signed_in_recently(request):
            raise ReauthenticationRequired
    form = TokenForm(request.POST or None, user=request.user)
    issued = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                issued = token_create(
                    user=request.user,
                    name=form.cleaned_data["name"],
                    scopes=form.cleaned_data["scopes"],
                    organisation=form.cleaned_data["organisation"],
                )
            except (ValidationError, PermissionDenied) as error:
                form.add_error(None, " ".join(getattr(error, "messages", [str(error)])))
            else:
                form = TokenForm(user=request.user)
        if issued is None:
            status = 422
    response = render(
        request,
        "participation_api/token_list.html",
        {"form": form, "issued": issued, "tokens": tokens_of(request.user)},
        status=status,
    )
    # The secret is on this page once: no cache may keep it.
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def token_revoke_view(request, token_id: int):
    token = tokens_of(request.user).filter(pk=token_id).first()
    if token is None:
        raise Http404
    token_revoke(user=request.user, token=token)
    messages.success(request, _("The token “%(name)s” has been revoked.") % {"name": token.name})
    return redirect("api_tokens")
