"""Moderation pages: the notice form, the moderators' queue, the decision form, the
decision page with the appeal form, the appeal queue, and "My moderation notices"."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cooperative.accounts.second_factor import second_factor_required
from cooperative.governance.selectors import rule_version_in_force
from cooperative.permissions import allowed
from participation.consultations.selectors import consultation_by_id
from participation.contributions.ratelimit import client_ip
from participation.moderation import selectors
from participation.moderation.dsa import decision_sor_record, ground_text
from participation.moderation.forms import (
    AppealDecisionForm,
    AppealForm,
    DecisionForm,
    RejectReportsForm,
    ReportForm,
)
from participation.moderation.models import RESTRICTING_ACTIONS, Appeal, ModerationDecision
from participation.moderation.services import (
    actions_applicable,
    appeal_create,
    appeal_deadline,
    appeal_decide,
    approvable,
    decision_create,
    pending_approve,
    report_create,
    report_reject,
)
from participation.moderation.targets import (
    display_name_reportable_for,
    reportable,
    reportable_for,
    target_of,
)

LAST_REPORT = "moderation_last_report"


def _denied(request, message: str, status: int = 403):
    return render(
        request,
        "participation_moderation/moderation_denied.html",
        {"message": message},
        status=status,
    )


@require_http_methods(["GET", "POST"])
def report_view(request, kind: str, pk: int):
    """The notice form (Meldung): works without JavaScript, the location is filled in. It
    shows only what the person may see anyway (`reportable_for`)."""
    item = reportable_for(request.user, kind, pk)
    if item is None:
        raise Http404
    return _report_form(request, item)


@require_http_methods(["GET", "POST"])
def report_display_name_view(request, kind: str, pk: int):
    """The notice form for the display name of the author of a contribution or proposal
    that the person may see; the notice records that contribution as where it was seen."""
    item = display_name_reportable_for(request.user, kind, pk)
    if item is None:
        raise Http404
    return _report_form(request, item)


def _report_form(request, item):
    version = rule_version_in_force("netiquette")
    signed_in = request.user.is_authenticated
    form = ReportForm(request.POST or None, version=version, signed_in=signed_in)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            data = form.cleaned_data
            try:
                report = report_create(
                    target=item.obj,
                    reporter=request.user if signed_in else None,
                    kind=data["kind"],
                    clause=data.get("clause") or "",
                    legal_ground=data.get("legal_ground") or "",
                    explanation=data["explanation"],
                    reporter_name=data.get("reporter_name") or "",
                    reporter_email=data.get("reporter_email") or "",
                    good_faith=data["good_faith"],
                    ip=client_ip(request),
                    language=translation.get_language() or "",
                    location_url=item.location_url,
                )
            except ValidationError as error:
                if getattr(error, "code", "") == "rate_limited":
                    status = 429
                form.add_service_error(error)
            else:
                request.session[LAST_REPORT] = report.pk
                return redirect("moderation_report_received")
    return render(
        request,
        "participation_moderation/report_form.html",
        {"form": form, "item": item, "version": version},
        status=status,
    )


@require_GET
def report_received_view(request):
    report = selectors.report_by_id(request.session.get(LAST_REPORT) or 0)
    if report is None:
        return redirect("consultation_list")
    return render(
        request,
        "participation_moderation/report_received.html",
        {"report": report, "ground": ground_text(report)},
    )


@second_factor_required
@require_GET
def queue_view(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not allowed(request.user, "participation_moderation.view_queue"):
        return _not_a_moderator(request)
    items = selectors.moderation_queue(request.user)
    template = (
        "participation_moderation/queue_list.html"
        if request.GET.get("fragment")
        else "participation_moderation/queue.html"
    )
    return render(
        request,
        template,
        {"items": items, "appeal_count": len(selectors.appeals_for(request.user))},
    )


def _queue_answer(request, *, message: str, status: int, level: int = messages.SUCCESS):
    """After a one-click act in the queue: htmx gets the fresh list with the message in
    place; a plain form goes back to the queue page (on success) or shows it with the
    message (when the act was refused)."""
    if request.htmx:
        return render(
            request,
            "participation_moderation/queue_list.html",
            {
                "items": selectors.moderation_queue(request.user),
                "queue_message": message,
                "queue_message_level": "success" if level == messages.SUCCESS else "error",
            },
            status=status,
        )
    if status < 400:
        messages.add_message(request, level, message)
        return redirect("moderation_queue")
    return render(
        request,
        "participation_moderation/queue.html",
        {
            "items": selectors.moderation_queue(request.user),
            "appeal_count": len(selectors.appeals_for(request.user)),
            "queue_message": message,
            "queue_message_level": "error",
        },
        status=status,
    )


@second_factor_required
@require_POST
def approve_view(request, kind: str, pk: int):
    """One-click approval ("Freigeben") of a contribution or proposal waiting under
    pre-moderation. Rejecting restricts and needs a ground: that stays in the decision
    form."""
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("moderation_queue"))
    if not allowed(request.user, "participation_moderation.view_queue"):
        return _not_a_moderator(request)
    if not approvable(kind):
        raise Http404
    target = _target_or_404(kind, pk)
    if not allowed(request.user, "participation_moderation.add_moderationdecision", target):
        message = _("This content is outside your moderation mandate.")
        if request.htmx:
            return _queue_answer(request, message=message, status=403, level=messages.ERROR)
        return _denied(request, message)
    item = reportable(target)
    try:
        pending_approve(
            moderator=request.user, target=target, seen_version=request.POST.get("seen")
        )
    except ValidationError as error:
        return _queue_answer(
            request,
            message=_("Not approved: %(reason)s") % {"reason": " ".join(error.messages)},
            status=409,
            level=messages.ERROR,
        )
    return _queue_answer(
        request,
        message=_("Approved and published: %(excerpt)s")
        % {"excerpt": Truncator(item.excerpt).chars(80)},
        status=200,
    )


def _not_a_moderator(request):
    """Before any lookup: whether an id exists is nobody's business but the moderators'
    (a 404 for a missing person and a 403 for an existing one would list the accounts)."""
    return _denied(request, _("The moderation queue is for holders of a moderation mandate."))


def _target_or_404(kind: str, pk: int):
    target = selectors.moderation_target(kind, pk)
    if target is None:
        raise Http404
    return target


def _suspension_scopes(request, target) -> tuple[list[tuple[str, str]], dict]:
    """Where a moderator may suspend: the consultation they came from (if their mandate
    covers it) and the platform (with a platform mandate)."""
    choices: list[tuple[str, str]] = []
    consultations = {}
    raw = request.POST.get("scope") or request.GET.get("beteiligung") or ""
    if raw.isdigit():
        page = consultation_by_id(int(raw))
        if page is not None and allowed(request.user, "participation_moderation.moderate", page):
            choices.append(
                (str(page.pk), _("The consultation “%(title)s”") % {"title": page.title})
            )
            consultations[str(page.pk)] = page
    if allowed(request.user, "participation_moderation.moderate"):
        choices.append(("platform", _("The whole platform")))
    return choices, consultations


@second_factor_required
@require_http_methods(["GET", "POST"])
def decide_view(request, kind: str, pk: int):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not allowed(request.user, "participation_moderation.view_queue"):
        return _not_a_moderator(request)
    target = _target_or_404(kind, pk)
    item = reportable(target)
    scopes: list[tuple[str, str]] = []
    scope_pages: dict = {}
    if kind == "anzeigename":
        scopes, scope_pages = _suspension_scopes(request, target)
        may_decide = bool(scopes)
    else:
        may_decide = allowed(
            request.user, "participation_moderation.add_moderationdecision", target
        )
    if not may_decide:
        return _denied(request, _("This content is outside your moderation mandate."))
    version = rule_version_in_force("netiquette")
    actions = sorted(actions_applicable(kind, target))
    # The queue's "Reject" link opens the form with its action chosen (?action=reject).
    preset = request.GET.get("action", "")
    initial = {"action": preset} if preset in actions else {}
    form = DecisionForm(
        request.POST or None, version=version, actions=actions, scopes=scopes, initial=initial
    )
    reject_form = RejectReportsForm()
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            data = form.cleaned_data
            scope = data.get("scope") or ""
            try:
                end_date = data.get("end_date")
                if end_date is not None and timezone.is_naive(end_date):
                    end_date = timezone.make_aware(end_date)
                decision = decision_create(
                    moderator=request.user,
                    target=target,
                    action=data["action"],
                    facts=data["facts"],
                    ground_type=data.get("ground_type") or "",
                    clause=data.get("clause") or "",
                    legal_ground=data.get("legal_ground") or "",
                    ground_explanation=data.get("ground_explanation") or "",
                    end_date=end_date,
                    suspension_consultation=scope_pages.get(scope),
                    seen_version=request.POST.get("seen"),
                )
            except ValidationError as error:
                form.add_service_error(error)
            else:
                return redirect(decision.get_absolute_url())
    queue_item = selectors.queue_item_for(request.user, target)
    return render(
        request,
        "participation_moderation/decision_form.html",
        {
            "form": form,
            "reject_form": reject_form,
            "item": item,
            "queue_item": queue_item,
            "kind": kind,
            "target": target,
            "version": version,
            "history": selectors.decisions_on(target)[:20],
        },
        status=status,
    )


@second_factor_required
@require_POST
def reject_reports_view(request, kind: str, pk: int):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not allowed(request.user, "participation_moderation.view_queue"):
        return _not_a_moderator(request)
    target = _target_or_404(kind, pk)
    if not allowed(request.user, "participation_moderation.moderate", target):
        return _denied(request, _("This content is outside your moderation mandate."))
    form = RejectReportsForm(request.POST)
    if form.is_valid():
        try:
            report_reject(
                reports=selectors.open_reports_on(target),
                moderator=request.user,
                reasons=form.cleaned_data["reasons"],
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            return redirect("moderation_queue")
    version = rule_version_in_force("netiquette")
    return render(
        request,
        "participation_moderation/decision_form.html",
        {
            "form": DecisionForm(version=version, actions=sorted(actions_applicable(kind, target))),
            "reject_form": form,
            "item": reportable(target),
            "queue_item": selectors.queue_item_for(request.user, target),
            "kind": kind,
            "target": target,
            "version": version,
            "history": selectors.decisions_on(target)[:20],
        },
        status=422,
    )


def _decision_or_404(puid) -> ModerationDecision:
    decision = selectors.decision_by_puid(puid)
    if decision is None:
        raise Http404
    return decision


@require_GET
def decision_detail_view(request, puid):
    """The statement of reasons, for the person affected (with the appeal form) and for
    moderators within their mandate."""
    decision = _decision_or_404(puid)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not allowed(request.user, "participation_moderation.view_moderationdecision", decision):
        return _denied(
            request, _("Only the person concerned and the moderators can see this decision.")
        )
    return _decision_page(request, decision, AppealForm())


def _decision_page(request, decision, appeal_form, status=200):
    deadline = appeal_deadline(decision.created_at)
    appeals = list(decision.appeals.order_by("created_at"))
    can_appeal = (
        allowed(request.user, "participation_moderation.add_appeal", decision)
        and timezone.now() <= deadline
        and not decision.is_reversed
        and not any(appeal.status == Appeal.Status.OPEN for appeal in appeals)
    )
    return render(
        request,
        "participation_moderation/decision_detail.html",
        {
            "decision": decision,
            "ground": ground_text(decision),
            "deadline": deadline,
            "appeals": appeals,
            "appeal_form": appeal_form,
            "can_appeal": can_appeal,
            "restricting": decision.action in RESTRICTING_ACTIONS,
            "target": target_of(decision),
            "is_moderator": allowed(request.user, "participation_moderation.moderate", decision),
        },
        status=status,
    )


@require_POST
def appeal_create_view(request, puid):
    decision = _decision_or_404(puid)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not allowed(request.user, "participation_moderation.add_appeal", decision):
        return _denied(request, _("Only the person the decision concerns can appeal it."))
    form = AppealForm(request.POST)
    if form.is_valid():
        try:
            appeal_create(decision=decision, appellant=request.user, text=form.cleaned_data["text"])
        except ValidationError as error:
            form.add_service_error(error)
        else:
            return redirect(decision.get_absolute_url())
    return _decision_page(request, decision, form, status=422)


@require_GET
def decision_json_view(request, puid):
    """The decision as a DSA Transparency Database record: public, without personal data."""
    decision = _decision_or_404(puid)
    response = JsonResponse(
        decision_sor_record(decision), json_dumps_params={"ensure_ascii": False}
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


@second_factor_required
@require_GET
def appeal_list_view(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not allowed(request.user, "participation_moderation.view_queue"):
        return _not_a_moderator(request)
    return render(
        request,
        "participation_moderation/appeal_list.html",
        {"appeals": selectors.appeals_for(request.user)},
    )


@second_factor_required
@require_http_methods(["GET", "POST"])
def appeal_decide_view(request, appeal_id: int):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not allowed(request.user, "participation_moderation.view_queue"):
        return _not_a_moderator(request)
    appeal = selectors.appeal_by_id(appeal_id)
    if appeal is None:
        raise Http404
    if not allowed(request.user, "participation_moderation.moderate", appeal):
        return _denied(request, _("This appeal is outside your moderation mandate."))
    own = appeal.decision.moderator_id == request.user.pk
    form = AppealDecisionForm(request.POST or None)
    status = 200
    refusal = ""
    if own:
        refusal = _("You took the decision yourself: another moderator must decide the appeal.")
        status = 403
    elif request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                appeal_decide(
                    appeal=appeal,
                    moderator=request.user,
                    reverse_decision=form.cleaned_data["outcome"] == "reverse",
                    reasons=form.cleaned_data["reasons"],
                )
            except ValidationError as error:
                form.add_service_error(error)
            else:
                return redirect("moderation_appeals")
    decision = appeal.decision
    return render(
        request,
        "participation_moderation/appeal_decide.html",
        {
            "appeal": appeal,
            "decision": decision,
            "ground": ground_text(decision),
            "form": form,
            "own": own,
            "refusal": refusal,
            "target": target_of(decision),
        },
        status=status,
    )


@require_GET
def my_notices_view(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return render(
        request,
        "participation_moderation/my_notices.html",
        {
            "decisions": selectors.decisions_affecting(request.user),
            "notices": selectors.notices_of(request.user),
        },
    )
