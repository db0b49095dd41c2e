from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cooperative.accounts.second_factor import second_factor_required
from cooperative.mandates.forms import MandateForm, RevokeForm
from cooperative.mandates.selectors import mandate_by_id, mandates_current
from cooperative.mandates.services import mandate_grant, mandate_revoke
from cooperative.membership.selectors import members_on
from cooperative.permissions import allowed, login_or_403, require


def mandates_home_section(request) -> str:
    """The mandates' section of the cooperative's home page (cooperative/governance/home.py)."""
    return render_to_string(
        "cooperative_mandates/home_section.html",
        {"mandate_count": mandates_current().count()},
        request=request,
    )


def mandate_list_view(request):
    can_revoke = allowed(request.user, "cooperative_mandates.add_moderationmandate")
    mandates = [
        (m, RevokeForm(prefix=f"revoke-{m.pk}") if can_revoke else None) for m in mandates_current()
    ]
    return render(
        request,
        "cooperative_mandates/mandate_list.html",
        {"mandates": mandates, "can_grant": can_revoke},
    )


@second_factor_required
@login_or_403
def mandate_create_view(request):
    require(request, "cooperative_mandates.add_moderationmandate")
    members = members_on().select_related("user", "organisation")
    form = MandateForm(request.POST or None, members=members)
    if request.method == "POST" and form.is_valid():
        try:
            mandate_grant(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The mandate has been granted."))
            return redirect("mandate_list")
    return render(
        request,
        "cooperative_mandates/mandate_form.html",
        {"form": form},
        status=422 if request.method == "POST" else 200,
    )


@second_factor_required
@require_POST
@login_or_403
def mandate_revoke_view(request, mandate_id: int):
    mandate = mandate_by_id(mandate_id)
    if mandate is None:
        raise Http404
    require(request, "cooperative_mandates.revoke_moderationmandate", mandate)
    form = RevokeForm(request.POST, prefix=f"revoke-{mandate.pk}")
    if form.is_valid():
        try:
            mandate_revoke(mandate=mandate, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The mandate has been revoked."))
    else:
        messages.error(request, _("Please give the reason for the revocation."))
    return redirect("mandate_list")
