from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from cooperative.accounts.forms import DisplayNameForm, MailSettingsForm


@login_required
def display_name_edit(request):
    form = DisplayNameForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your display name has been changed."))
        return redirect("account_display_name")
    return render(request, "cooperative_accounts/display_name_form.html", {"form": form})


@login_required
def mail_settings_edit(request):
    # An unticked box sends nothing: a POST without fields is still a submitted form.
    form = MailSettingsForm(
        request.POST if request.method == "POST" else None, instance=request.user
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your e-mail settings have been saved."))
        return redirect("account_mail_settings")
    return render(request, "cooperative_accounts/mail_settings_form.html", {"form": form})


def sign_in_elsewhere(request, default_next: str = "/"):
    """Where another app (Wagtail's admin or its private pages) would show its own login
    form: there is one login for the whole site, allauth's, with its second factor, rate
    limits, lockout and verified addresses. Nothing is checked here; allauth checks `next`
    before following it. Someone signed in already was sent here because the admin is not
    theirs (Wagtail has said so in a message): the start page, not allauth's login, which
    would send them straight back."""
    if request.user.is_authenticated:
        return redirect("/")
    target = request.GET.get("next") or resolve_url(default_next)
    return redirect(f"{resolve_url('account_login')}?{urlencode({'next': target})}")


def password_reset_elsewhere(request, rest: str = ""):
    """Where Wagtail would reset a password (and mail a link) on its own: allauth's page,
    which is rate-limited and sends the one kind of reset mail there is."""
    return redirect("account_reset_password")
