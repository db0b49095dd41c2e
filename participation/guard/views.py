"""Moderators see a consultation's calm mode, its history and the surge alerts, and switch
calm mode on and off by hand, with a reason."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cooperative.accounts.second_factor import second_factor_required
from cooperative.permissions import allowed
from participation.consultations.selectors import consultation_for_user
from participation.gate.selectors import calm_mode_open
from participation.guard.conf import thresholds_for
from participation.guard.forms import CalmModeForm
from participation.guard.selectors import calm_mode_history, surge_alerts_recent
from participation.guard.services import calm_mode_end, calm_mode_start

PERMISSION = "participation_guard.change_calmmode"


@second_factor_required
@require_http_methods(["GET", "POST"])
def calm_mode_view(request, consultation_id: int):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    consultation = consultation_for_user(request.user, consultation_id)
    if consultation is None:
        raise Http404
    if not allowed(request.user, PERMISSION, consultation):
        return render(
            request,
            "participation_guard/calm_mode_denied.html",
            {"consultation": consultation},
            status=403,
        )
    calm = calm_mode_open(consultation)
    form = CalmModeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            reason = form.cleaned_data["reason"]
            if form.cleaned_data["action"] == "start":
                _calm, started = calm_mode_start(
                    consultation=consultation, started_by=request.user, reason=reason
                )
                messages.success(
                    request,
                    _("Calm mode is on.") if started else _("Calm mode was already on."),
                )
            else:
                ended = calm_mode_end(
                    consultation=consultation, ended_by=request.user, reason=reason
                )
                messages.success(
                    request,
                    _("Calm mode has ended.") if ended else _("Calm mode was not on."),
                )
            return redirect("guard_calm_mode", consultation_id=consultation.pk)
        status = 422
    return render(
        request,
        "participation_guard/calm_mode_page.html",
        {
            "consultation": consultation,
            "calm": calm,
            "form": form,
            "thresholds": thresholds_for(consultation),
            "history": calm_mode_history(consultation)[:50],
            "alerts": surge_alerts_recent(consultation),
        },
        status=status,
    )
