from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cooperative.accounts.second_factor import second_factor_required
from cooperative.audit.selectors import audit_entries_public, audit_events_public
from cooperative.governance.forms import (
    BallotForm,
    FoundingVersionForm,
    MotionCommentForm,
    MotionForm,
    ProxyForm,
    ReceiptForm,
    SupportForm,
    VoteForm,
)
from cooperative.governance.home import home_sections_render
from cooperative.governance.models import Ballot
from cooperative.governance.selectors import (
    ballot_by_id,
    ballot_interim,
    ballot_participation,
    ballots_current,
    motion_by_id,
    motion_supported_by,
    motions_for_members,
    proxies_given_by,
    proxy_holder_candidates,
    receipt_lookup,
    rule_diff,
    rule_document_by_slug,
    rule_documents,
    rule_version_in_force,
    rule_versions_of,
    voter_seats,
)
from cooperative.governance.services import (
    VoteRefused,
    ballot_advance,
    ballot_create,
    ballot_vote_cast,
    motion_comment_add,
    motion_submit,
    motion_support,
    proxy_grant,
    proxy_revoke,
    rule_version_publish,
)
from cooperative.membership.selectors import applications_pending, members_acting_as
from cooperative.permissions import allowed, login_or_403, require


def cooperative_home_view(request):
    user = request.user
    context = {
        "documents": [(d, rule_version_in_force(d.slug)) for d in rule_documents()],
        "sections": home_sections_render(request),
        "recent_events": audit_entries_public(audit_events_public()[:5]),
        "is_member_or_board": allowed(user, "cooperative_governance.view_motion"),
        "can_view_register": allowed(user, "cooperative_membership.view_register"),
    }
    if context["can_view_register"]:
        context["applications_pending"] = applications_pending().count()
    if context["is_member_or_board"]:
        context["ballots"] = list(
            ballots_current().filter(
                state__in=[Ballot.State.SCHEDULED, Ballot.State.OPEN, Ballot.State.CLOSED]
            )
        )
    return render(request, "cooperative_governance/cooperative_home.html", context)


# --- rules ----------------------------------------------------------------------------


def rule_document_list_view(request):
    documents = [(d, rule_version_in_force(d.slug)) for d in rule_documents()]
    return render(
        request, "cooperative_governance/rule_document_list.html", {"documents": documents}
    )


def _document_or_404(slug: str):
    document = rule_document_by_slug(slug)
    if document is None:
        raise Http404
    return document


def rule_document_view(request, slug: str):
    document = _document_or_404(slug)
    in_force = rule_version_in_force(slug)
    versions = list(rule_versions_of(document))
    can_found = allowed(request.user, "cooperative_governance.found_ruledocument", document)
    return render(
        request,
        "cooperative_governance/rule_document_detail.html",
        {
            "document": document,
            "version": in_force,
            "in_force": in_force,
            "versions": versions,
            "founding_form": FoundingVersionForm() if can_found else None,
        },
    )


@second_factor_required
@require_POST
@login_or_403
def rule_document_found_view(request, slug: str):
    document = _document_or_404(slug)
    require(request, "cooperative_governance.found_ruledocument", document)
    form = FoundingVersionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please enter the text."))
        return redirect(document.get_absolute_url())
    rule_version_publish(
        document=document,
        body=form.cleaned_data["body"],
        in_force_from=timezone.now(),
        summary=_("Founding version"),
    )
    messages.success(request, _("The founding version is in force."))
    return redirect(document.get_absolute_url())


def rule_version_view(request, slug: str, number: int):
    document = _document_or_404(slug)
    version = document.versions.filter(number=number).first()
    if version is None:
        raise Http404
    return render(
        request,
        "cooperative_governance/rule_document_detail.html",
        {
            "document": document,
            "version": version,
            "in_force": rule_version_in_force(slug),
            "versions": list(rule_versions_of(document)),
        },
    )


def rule_diff_view(request, slug: str):
    document = _document_or_404(slug)
    versions = {v.number: v for v in rule_versions_of(document)}
    try:
        old = versions[int(request.GET.get("von", ""))]
        new = versions[int(request.GET.get("bis", ""))]
    except (KeyError, ValueError):
        numbers = sorted(versions)
        if len(numbers) < 2:
            raise Http404 from None
        return redirect(f"{request.path}?von={numbers[-2]}&bis={numbers[-1]}")
    lines = rule_diff(old.body, new.body)
    return render(
        request,
        "cooperative_governance/rule_diff.html",
        {
            "document": document,
            "old": old,
            "new": new,
            "lines": lines,
            "versions": sorted(versions.values(), key=lambda v: v.number),
            "added": sum(1 for line in lines if line.op == "added"),
            "removed": sum(1 for line in lines if line.op == "removed"),
        },
    )


# --- motions --------------------------------------------------------------------------


@login_or_403
def motion_list_view(request):
    require(request, "cooperative_governance.view_motion")
    return render(
        request,
        "cooperative_governance/motion_list.html",
        {
            "motions": motions_for_members(),
            "can_add": allowed(request.user, "cooperative_governance.add_motion"),
        },
    )


@login_or_403
def motion_create_view(request, amends_id: int | None = None):
    parent = None
    if amends_id is not None:
        parent = motion_by_id(amends_id)
        if parent is None:
            raise Http404
        require(request, "cooperative_governance.amend_motion", parent)
    else:
        require(request, "cooperative_governance.add_motion")
    members = members_acting_as(request.user)
    initial: dict[str, object] = {}
    if parent is not None:
        initial = {"proposed_body": parent.proposed_body, "title": _("Amendment: ") + parent.title}
    else:
        slug = request.GET.get("regelwerk")
        document = rule_document_by_slug(slug) if slug else None
        current = rule_version_in_force(document.slug) if document else None
        if document:
            initial = {"document": document.pk, "proposed_body": current.body if current else ""}
    form = MotionForm(
        request.POST or None, initial=initial, members=members, amendment=parent is not None
    )
    if request.method == "POST" and form.is_valid():
        member = form.acting_member()
        if member is None:
            raise PermissionDenied
        try:
            motion = motion_submit(
                member=member,
                user=request.user,
                document=parent.document if parent else form.cleaned_data["document"],
                title=form.cleaned_data["title"],
                rationale=form.cleaned_data["rationale"],
                proposed_body=form.cleaned_data["proposed_body"],
                amends=parent,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your motion has been submitted."))
            return redirect(motion.get_absolute_url())
    return render(
        request,
        "cooperative_governance/motion_form.html",
        {"form": form, "parent": parent},
        status=422 if request.method == "POST" else 200,
    )


def _motion_or_404(request, motion_id: int):
    motion = motion_by_id(motion_id)
    if motion is None:
        raise Http404
    require(request, "cooperative_governance.view_motion", motion)
    return motion


@login_or_403
def motion_detail_view(request, motion_id: int, comment_form=None, status=200):
    motion = _motion_or_404(request, motion_id)
    user = request.user
    members = members_acting_as(user)
    base = motion.base_version
    context = {
        "motion": motion,
        "diff": rule_diff(base.body if base else "", motion.proposed_body),
        "comments": motion.comments.select_related("member__user", "member__organisation"),
        "amendments": motion.amendments.select_related("proposer__user").order_by("created_at"),
        "ballots": motion.ballots.exclude(state=Ballot.State.DRAFT).order_by("opens_at"),
        "supported": motion_supported_by(motion, user),
        "perm": {
            name: allowed(user, f"cooperative_governance.{name}", motion)
            for name in ("support_motion", "comment_motion", "amend_motion", "schedule_ballot")
        },
        "support_form": SupportForm(members=members),
        "comment_form": comment_form or MotionCommentForm(members=members),
        "supporters_needed": _supporters_needed(),
    }
    return render(request, "cooperative_governance/motion_detail.html", context, status=status)


def _supporters_needed() -> int:
    from django.conf import settings

    return int(getattr(settings, "GOVERNANCE_MOTION_SUPPORTERS", 3))


@require_POST
@login_or_403
def motion_support_view(request, motion_id: int):
    motion = _motion_or_404(request, motion_id)
    require(request, "cooperative_governance.support_motion", motion)
    form = SupportForm(request.POST, members=members_acting_as(request.user))
    if form.is_valid() and form.acting_member() is not None:
        try:
            motion_support(motion=motion, member=form.acting_member())
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("You support this motion."))
    return redirect(motion.get_absolute_url())


@require_POST
@login_or_403
def motion_comment_view(request, motion_id: int):
    motion = _motion_or_404(request, motion_id)
    require(request, "cooperative_governance.comment_motion", motion)
    form = MotionCommentForm(request.POST, members=members_acting_as(request.user))
    if form.is_valid() and form.acting_member() is not None:
        try:
            motion_comment_add(
                motion=motion,
                member=form.acting_member(),
                user=request.user,
                body=form.cleaned_data["body"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your contribution has been published."))
            return redirect(f"{motion.get_absolute_url()}#discussion")
    return motion_detail_view(request, motion_id, comment_form=form, status=422)


@second_factor_required
@login_or_403
def ballot_create_view(request, motion_id: int):
    motion = _motion_or_404(request, motion_id)
    require(request, "cooperative_governance.schedule_ballot", motion)
    form = BallotForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            ballot = ballot_create(motion=motion, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The ballot has been scheduled."))
            return redirect(ballot.get_absolute_url())
    return render(
        request,
        "cooperative_governance/ballot_form.html",
        {"form": form, "motion": motion},
        status=422 if request.method == "POST" else 200,
    )


# --- ballots --------------------------------------------------------------------------


def _ballot_or_404(request, ballot_id: int) -> Ballot:
    ballot = ballot_by_id(ballot_id)
    if ballot is None or ballot.state == Ballot.State.DRAFT:
        raise Http404
    require(request, "cooperative_governance.view_ballot", ballot)
    return ballot


@login_or_403
def ballot_detail_view(request, ballot_id: int, vote_errors=None, proxy_form=None, status=200):
    ballot = _ballot_or_404(request, ballot_id)
    # Times passed since the last look: move the ballot along (idempotent).
    ballot = ballot_advance(ballot=ballot)
    user = request.user
    seats = voter_seats(user, ballot) if ballot.state == Ballot.State.OPEN else []
    own = list(members_acting_as(user))
    can_proxy = allowed(user, "cooperative_governance.grant_proxy", ballot)
    given = list(proxies_given_by(user, ballot)) if can_proxy else []
    # A member who holds a proxy already, or for whom a vote has been cast, gives none.
    voted = {seat.member.pk for seat in seats if seat.voted}
    principals = [m for m in own if m.pk not in {p.principal_id for p in given} | voted]
    if can_proxy and principals and proxy_form is None:
        proxy_form = ProxyForm(
            principals=principals,
            holders=proxy_holder_candidates(ballot, exclude=[m.pk for m in own]),
        )
    context = {
        "ballot": ballot,
        "motion": ballot.motion,
        "can_vote": allowed(user, "cooperative_governance.vote_ballot", ballot),
        "vote_forms": [(seat, VoteForm(seat=seat)) for seat in seats if not seat.voted],
        "voted_seats": [seat for seat in seats if seat.voted],
        "vote_errors": vote_errors or {},
        "proxy_form": proxy_form if can_proxy and principals else None,
        "proxies_given": given,
        "interim": ballot_interim(ballot)
        if allowed(user, "cooperative_governance.view_interim_ballot", ballot)
        else None,
        "participation": ballot_participation(ballot),
        "show_minutes": allowed(user, "cooperative_governance.view_minutes_ballot", ballot),
        "receipt_form": ReceiptForm() if ballot.secret else None,
        "receipt": request.session.pop(f"ballot-receipt-{ballot.pk}", None),
    }
    return render(request, "cooperative_governance/ballot_detail.html", context, status=status)


@require_POST
@login_or_403
def ballot_vote_view(request, ballot_id: int):
    ballot = _ballot_or_404(request, ballot_id)
    require(request, "cooperative_governance.vote_ballot", ballot)
    seats = {s.member.pk: s for s in voter_seats(request.user, ballot)}
    try:
        member_id = int(request.POST.get("member", ""))
    except ValueError:
        member_id = 0
    seat = seats.get(member_id)
    if seat is None:
        messages.error(request, _("You cannot vote for this member in this ballot."))
        return redirect(ballot.get_absolute_url())
    form = VoteForm(request.POST, seat=seat)
    if not form.is_valid():
        return ballot_detail_view(
            request,
            ballot_id,
            vote_errors={member_id: _("Please choose yes, no or abstain.")},
            status=422,
        )
    try:
        cast = ballot_vote_cast(
            user=request.user,
            ballot=ballot,
            member=seat.member,
            choice=form.cleaned_data["choice"],
            proxy=seat.proxy,
        )
    except VoteRefused as refused:
        status = 409 if refused.code == "duplicate" else 403
        return ballot_detail_view(
            request, ballot_id, vote_errors={member_id: refused.messages[0]}, status=status
        )
    if cast.receipt:
        # Shown once on the next page and never stored in readable form.
        request.session[f"ballot-receipt-{ballot.pk}"] = cast.receipt
    messages.success(
        request,
        _("The vote for member no. %(number)s has been counted.") % {"number": seat.member.number},
    )
    return redirect(ballot.get_absolute_url())


@require_POST
@login_or_403
def ballot_proxy_view(request, ballot_id: int):
    ballot = _ballot_or_404(request, ballot_id)
    require(request, "cooperative_governance.grant_proxy", ballot)
    own = list(members_acting_as(request.user))
    form = ProxyForm(
        request.POST,
        principals=own,
        holders=proxy_holder_candidates(ballot, exclude=[m.pk for m in own]),
    )
    if form.is_valid():
        principal = next(m for m in own if m.pk == form.cleaned_data["principal"])
        holder = proxy_holder_candidates(ballot, exclude=[]).get(pk=form.cleaned_data["holder"])
        try:
            proxy_grant(ballot=ballot, principal=principal, holder=holder, by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your proxy has been recorded."))
            return redirect(ballot.get_absolute_url())
    return ballot_detail_view(request, ballot_id, proxy_form=form, status=422)


@require_POST
@login_or_403
def ballot_proxy_revoke_view(request, ballot_id: int, proxy_id: int):
    ballot = _ballot_or_404(request, ballot_id)
    require(request, "cooperative_governance.grant_proxy", ballot)
    proxy = proxies_given_by(request.user, ballot).filter(pk=proxy_id).first()
    if proxy is None:
        raise Http404
    try:
        proxy_revoke(proxy=proxy, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your proxy has been revoked."))
    return redirect(ballot.get_absolute_url())


@login_or_403
def ballot_receipt_view(request, ballot_id: int):
    ballot = _ballot_or_404(request, ballot_id)
    form = ReceiptForm(request.GET or None)
    found = None
    checked = False
    if form.is_valid():
        checked = True
        found = receipt_lookup(ballot, form.cleaned_data["code"])
    return render(
        request,
        "cooperative_governance/ballot_receipt.html",
        {"ballot": ballot, "form": form, "found": found, "checked": checked},
    )


# --- audit ----------------------------------------------------------------------------


def audit_log_view(request):
    page = Paginator(audit_events_public(), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "cooperative_audit/audit_log.html",
        {"page_obj": page, "events": audit_entries_public(page)},
    )
