"""Reads for moderation: who is responsible, the queue, decisions and appeals."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.utils import timezone

from cooperative.mandates.models import ModerationMandate
from cooperative.mandates.selectors import mandates_current, mandates_for_user
from cooperative.membership.models import Member
from cooperative.organisations.models import OrganisationRole
from participation.consultations.selectors import consultation_by_id
from participation.moderation.models import (
    Appeal,
    GroundType,
    ModerationDecision,
    Report,
)
from participation.moderation.scope import covering_scope
from participation.moderation.targets import Reportable, model_for, reportable


def moderators_responsible_for(consultation, at: datetime | None = None) -> QuerySet:
    """Active users who hold a mandate covering the consultation now (or at `at`): members
    holding one themselves, and the moderators and representatives of organisations that
    hold one (directly or through their membership). Platform admins without a mandate are
    not included. `consultation=None` means platform mandates only."""
    at = at or timezone.now()
    day = timezone.localdate(at)
    mandates = mandates_current(at).filter(covering_scope(consultation))
    current_member = (
        Q(joined_on__lte=day)
        & (Q(left_on__isnull=True) | Q(left_on__gt=day))
        & Q(status__in=[Member.Status.ADMITTED, Member.Status.RESIGNED, Member.Status.EXCLUDED])
    )
    members = Member.objects.filter(current_member).filter(
        pk__in=mandates.filter(holder_member__isnull=False).values("holder_member_id")
    )
    holding_organisations = Q(
        organisation_id__in=mandates.filter(holder_organisation__isnull=False).values(
            "holder_organisation_id"
        )
    ) | Q(organisation_id__in=members.filter(organisation__isnull=False).values("organisation_id"))
    appointed = OrganisationRole.objects.filter(
        holding_organisations,
        role__in=[OrganisationRole.Role.MODERATOR, OrganisationRole.Role.REPRESENTATIVE],
    )
    User = get_user_model()
    return (
        User.objects.filter(is_active=True)
        .filter(
            Q(pk__in=members.filter(user__isnull=False).values("user_id"))
            | Q(pk__in=appointed.values("user_id"))
        )
        .order_by("pk")
    )


# --- the queue -----------------------------------------------------------------------


@dataclass
class Coverage:
    """Which consultations a moderator's mandates cover: all (platform), or some."""

    everything: bool
    consultation_ids: set[int] = field(default_factory=set)

    def covers(self, consultation_id: int | None) -> bool:
        return self.everything or (
            consultation_id is not None and consultation_id in self.consultation_ids
        )


def moderation_coverage(user) -> Coverage:
    from participation.consultations.models import ConsultationIndexPage, ConsultationPage

    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Coverage(everything=False)
    if user.is_superuser:
        return Coverage(everything=True)
    mandates = list(mandates_for_user(user))
    if any(m.scope == ModerationMandate.Scope.PLATFORM for m in mandates):
        return Coverage(everything=True)
    organisation_ids = {m.scope_organisation_id for m in mandates if m.scope == "organisation"}
    slugs = {m.scope_tag for m in mandates if m.scope == "tag"}
    ids: set[int] = set()
    if organisation_ids:
        paths = ConsultationIndexPage.objects.filter(
            organisation_id__in=organisation_ids
        ).values_list("path", flat=True)
        area = Q(pk__in=[])
        for path in paths:
            area |= Q(path__startswith=path)
        ids |= set(ConsultationPage.objects.filter(area).values_list("pk", flat=True))
    if slugs:
        ids |= set(
            ConsultationPage.objects.filter(tags__slug__in=slugs).values_list("pk", flat=True)
        )
    return Coverage(everything=False, consultation_ids=ids)


@dataclass
class QueueItem:
    item: Reportable
    reports: list[Report]
    independent: int
    illegal: bool
    pending: bool  # waits for approval (pre-moderation)
    automated: ModerationDecision | None  # hidden automatically, waits for a human
    since: datetime

    @property
    def key(self) -> str:
        return f"{self.item.kind}-{self.item.obj.pk}"

    @property
    def urgency(self) -> tuple:
        return (
            0 if self.automated else 1,
            0 if self.illegal else 1,
            -self.independent,
            self.since,
        )


def _scoped(queryset, coverage: Coverage, field_name: str = "consultation_id"):
    if coverage.everything:
        return queryset
    return queryset.filter(**{f"{field_name}__in": coverage.consultation_ids})


def moderation_queue(user, *, limit: int = 200) -> list[QueueItem]:
    """What waits for a moderator within the user's mandates, most urgent first: what was
    hidden automatically, then notices of illegal content, then by the number of
    independent notices, then the oldest."""
    from participation.comments.models import Comment
    from participation.moderation.services import independent_report_count
    from participation.proposals.models import ModerationStatus, Proposal

    coverage = moderation_coverage(user)
    if not coverage.everything and not coverage.consultation_ids:
        return []
    # Reports without a consultation (display names) are within platform mandates only;
    # `_scoped` leaves them out otherwise.
    reports = list(
        _scoped(Report.objects.filter(status=Report.Status.OPEN), coverage).order_by(
            "created_at", "pk"
        )[: limit * 20]
    )
    by_target: dict[tuple[int, int], list[Report]] = {}
    for report in reports:
        by_target.setdefault((report.content_type_id, report.object_id), []).append(report)
    automated = {
        (d.content_type_id, d.object_id): d
        for d in _scoped(ModerationDecision.objects.filter(awaiting_review=True), coverage)
    }
    items: dict[tuple[int, int], QueueItem] = {}
    keys = set(by_target) | set(automated)
    for key in keys:
        target = _target(*key)
        if target is None:
            continue
        target_reports = by_target.get(key, [])
        decision = automated.get(key)
        since = min(
            [r.created_at for r in target_reports] + ([decision.created_at] if decision else [])
        )
        items[key] = QueueItem(
            item=reportable(target),
            reports=target_reports,
            independent=independent_report_count(target_reports),
            illegal=any(r.kind == GroundType.LEGAL for r in target_reports),
            pending=False,
            automated=decision,
            since=since,
        )
    comment_type = ContentType.objects.get_for_model(Comment)
    for comment in _scoped(
        Comment.objects.filter(status=Comment.Status.PENDING), coverage
    ).select_related("author", "consultation")[:limit]:
        key = (comment_type.pk, comment.pk)
        if key in items:
            items[key].pending = True
            continue
        items[key] = QueueItem(
            item=reportable(comment),
            reports=[],
            independent=0,
            illegal=False,
            pending=True,
            automated=None,
            since=comment.created_at,
        )
    proposal_type = ContentType.objects.get_for_model(Proposal)
    for proposal in _scoped(
        Proposal.objects.filter(moderation_status=ModerationStatus.PENDING), coverage
    ).select_related("author", "consultation")[:limit]:
        key = (proposal_type.pk, proposal.pk)
        if key in items:
            items[key].pending = True
            continue
        items[key] = QueueItem(
            item=reportable(proposal),
            reports=[],
            independent=0,
            illegal=False,
            pending=True,
            automated=None,
            since=proposal.created_at,
        )
    return sorted(items.values(), key=lambda queue_item: queue_item.urgency)[:limit]


def _target(content_type_id: int, object_id: int):
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    if model is None:
        return None
    obj = model._default_manager.filter(pk=object_id).first()
    from participation.comments.models import Comment

    if obj is not None and hasattr(obj, "specific") and not isinstance(obj, Comment):
        obj = obj.specific
    return obj


def queue_item_for(user, target) -> QueueItem | None:
    """One target as the queue shows it (for the decision form)."""
    item = reportable(target)
    from participation.moderation.services import independent_report_count, open_reports_on

    reports = open_reports_on(target) if item.kind != "beteiligung" else []
    automated = (
        ModerationDecision.objects.filter(
            content_type=ContentType.objects.get_for_model(target),
            object_id=target.pk,
            awaiting_review=True,
        ).first()
        if item.kind != "beteiligung"
        else None
    )
    status = getattr(target, "status", None) or getattr(target, "moderation_status", None)
    return QueueItem(
        item=item,
        reports=reports,
        independent=independent_report_count(reports),
        illegal=any(r.kind == GroundType.LEGAL for r in reports),
        pending=status == "pending",
        automated=automated,
        since=min([r.created_at for r in reports], default=timezone.now()),
    )


def appeals_for(user) -> list[Appeal]:
    """Open appeals a moderator may decide: within their mandates, not against their own
    decisions."""
    coverage = moderation_coverage(user)
    if not coverage.everything and not coverage.consultation_ids:
        return []
    appeals = Appeal.objects.filter(status=Appeal.Status.OPEN).select_related("decision")
    if not coverage.everything:
        appeals = appeals.filter(decision__consultation_id__in=coverage.consultation_ids)
    return list(appeals.exclude(decision__moderator=user).order_by("created_at"))


def decisions_affecting(user) -> QuerySet[ModerationDecision]:
    return (
        ModerationDecision.objects.filter(affected_user=user)
        .select_related("rule_version__document", "reversed_by")
        .prefetch_related("appeals")
        .order_by("-created_at")
    )


def reports_by(user) -> QuerySet[Report]:
    return (
        Report.objects.filter(reporter=user).prefetch_related("decisions").order_by("-created_at")
    )


def report_by_id(report_id: int) -> Report | None:
    return Report.objects.filter(pk=report_id).first()


def appeal_by_id(appeal_id: int) -> Appeal | None:
    return Appeal.objects.select_related("decision").filter(pk=appeal_id).first()


def moderation_target(kind: str, pk: int):
    """What a moderator acts on, by the kind in the address (a contribution, a proposal,
    a display name, ...; "beteiligung": a consultation), or None."""
    if kind == "beteiligung":
        return consultation_by_id(pk)
    model = model_for(kind)
    return model.objects.filter(pk=pk).first() if model is not None else None


def decision_by_puid(puid) -> ModerationDecision | None:
    return (
        ModerationDecision.objects.filter(puid=puid)
        .select_related("rule_version__document", "consultation", "reversed_by", "appeal")
        .first()
    )


def decisions_on(target) -> QuerySet[ModerationDecision]:
    return ModerationDecision.objects.filter(
        content_type=ContentType.objects.get_for_model(target), object_id=target.pk
    ).order_by("-created_at")
