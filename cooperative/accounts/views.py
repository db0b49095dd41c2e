from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from cooperative.accounts.forms import DisplayNameForm


@login_required
def display_name_edit(request):
    form = DisplayNameForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your display name has been changed."))
        return redirect("account_display_name")
    return render(request, "cooperative_accounts/display_name_form.html", {"form": form})
