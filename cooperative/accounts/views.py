from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
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
