"""Reads for moderation: who is responsible, the queue, decisions and appeals."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.text import Truncator

from cooperative.mandates.models import ModerationMandate
from cooperative.mandates.selectors import mandates_current, mandates_for_user
from cooperative.membership.models import Member
from cooperative.organisations.models import OrganisationRole
from cooperative.permissions import allowed
from participation.consultations.models import ConsultationIndexPage, ConsultationPage
from participation.gate.targets import ModerationTarget, moderation_target_of, moderation_targets
from participation.gate.targets import moderation_target as registered_target
from participation.moderation.models import (
    RESTRICTING_ACTIONS,
    Appeal,
    GroundType,
    ModerationDecision,
    Report,
)
from participation.moderation.scope import covering_scope
from participation.moderation.targets import (
    Reportable,
    reportable,
    reportable_for,
    target_by_key,
)


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


# --- notices ------------------------------------------------------------------------


def independent_report_count(reports: Iterable[Report]) -> int:
    """Notices count as independent when neither their reporter nor their network address
    (its keyed hash) was counted already."""
    people: set[int] = set()
    addresses: set[str] = set()
    count = 0
    for report in reports:
        if report.reporter_id and report.reporter_id in people:
            continue
        if report.reporter_fingerprint and report.reporter_fingerprint in addresses:
            continue
        count += 1
        if report.reporter_id:
            people.add(report.reporter_id)
        if report.reporter_fingerprint:
            addresses.add(report.reporter_fingerprint)
    return count


def open_reports_on(target) -> list[Report]:
    return list(
        Report.objects.filter(
            content_type=ContentType.objects.get_for_model(target),
            object_id=target.pk,
            status=Report.Status.OPEN,
        ).order_by("created_at", "pk")
    )


def reports_counted_for_auto_hide(reports: Iterable[Report]) -> list[Report]:
    """The notices that may hide content without a moderator: only those that cannot be
    multiplied cheaply. Each needs a signed-in reporter whose account is active, has a
    verified e-mail address and was at least MODERATION_AUTO_HIDE_ACCOUNT_DAYS old when
    the notice was given. Anonymous notices and notices from young accounts (a sign-up
    per notice, or accounts made for a campaign) reach the queue like any other, but
    never hide anything by themselves."""
    reports = list(reports)
    min_age = timedelta(days=settings.MODERATION_AUTO_HIDE_ACCOUNT_DAYS)
    reporter_ids = {r.reporter_id for r in reports if r.reporter_id}
    if not reporter_ids:
        return []
    verified = EmailAddress.objects.filter(user_id__in=reporter_ids, verified=True)
    joined = dict(
        get_user_model()
        .objects.filter(pk__in=verified.values("user_id"), is_active=True)
        .values_list("pk", "date_joined")
    )
    return [
        r
        for r in reports
        if r.reporter_id in joined and r.created_at - joined[r.reporter_id] >= min_age
    ]


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
        target = target_by_key(*key)
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
    # What waits for approval, of every kind that can wait (contributions, proposals).
    for kind in moderation_targets():
        if not kind.is_content:
            continue
        content_type = ContentType.objects.get_for_model(kind.model)
        for obj in _scoped(kind.pending(), coverage)[:limit]:
            key = (content_type.pk, obj.pk)
            if key in items:
                items[key].pending = True
                continue
            item = reportable(obj)
            items[key] = QueueItem(
                item=item,
                reports=[],
                independent=0,
                illegal=False,
                pending=True,
                automated=None,
                since=item.created_at or timezone.now(),
            )
    return sorted(items.values(), key=lambda queue_item: queue_item.urgency)[:limit]


def queue_item_for(user, target) -> QueueItem | None:
    """One target as the queue shows it (for the decision form)."""
    item = reportable(target)
    notices = item.target.takes_notices
    reports = open_reports_on(target) if notices else []
    automated = (
        ModerationDecision.objects.filter(
            content_type=ContentType.objects.get_for_model(target),
            object_id=target.pk,
            awaiting_review=True,
        ).first()
        if notices
        else None
    )
    return QueueItem(
        item=item,
        reports=reports,
        independent=independent_report_count(reports),
        illegal=any(r.kind == GroundType.LEGAL for r in reports),
        pending=item.target.is_pending(target),
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


# What became of reported content, as its reporter may learn it: its text and place only
# while the public sees it, otherwise only why they are gone.
VISIBLE = "visible"
HIDDEN = "hidden"
REMOVED = "removed"
DELETED_BY_AUTHOR = "deleted_by_author"
DELETED = "deleted"
NOT_PUBLIC = "not_public"
DISPLAY_NAME = "display_name"

CONTENT_DECISIONS: dict[str, str] = {
    ModerationDecision.Action.HIDE: HIDDEN,
    ModerationDecision.Action.REMOVE: REMOVED,
    ModerationDecision.Action.REJECT: REMOVED,
    ModerationDecision.Action.RESTORE: NOT_PUBLIC,
    ModerationDecision.Action.APPROVE: NOT_PUBLIC,
}


@dataclass
class Notice:
    """One of a person's notices with what they may see of the reported content now."""

    report: Report
    label: object  # what was reported ("contribution"), lazily translated
    state: str  # VISIBLE, HIDDEN, ...
    excerpt: str = ""  # the content's first words, while visible
    url: str = ""  # where it is seen, while visible
    consultation: ConsultationPage | None = None  # while the reporter may see it
    decisions: list[ModerationDecision] = field(default_factory=list)


def _target_of(obj) -> ModerationTarget | None:
    if obj is None:
        return None
    try:
        return moderation_target_of(obj)
    except ValueError:
        return None


def _content_state(user, obj, target: ModerationTarget | None) -> tuple[str, Reportable | None]:
    if obj is None or target is None:
        return DELETED, None
    if target.deleted_by_author(obj):
        return DELETED_BY_AUTHOR, None
    if not target.reportable_by_public:
        # A display name (reported from where it was shown): what it is now is not the
        # reporter's to learn (a new name would give away who wrote under the old one).
        return DISPLAY_NAME, None
    item = reportable_for(user, target.kind, obj.pk)
    if item is not None:
        return VISIBLE, item
    if not target.is_content:
        return NOT_PUBLIC, None
    latest = decisions_on(obj).filter(action__in=list(CONTENT_DECISIONS)).first()
    return (CONTENT_DECISIONS[latest.action] if latest else NOT_PUBLIC), None


def notices_of(user, *, limit: int = 100) -> list[Notice]:
    """`user`'s notices, newest first, each with what became of the reported content, by
    the rule every channel asks: its text and link only while it is public in a
    consultation the user may see (`reportable_for`); the consultation's title only while
    they may see the consultation."""
    notices = []
    for report in reports_by(user).select_related("consultation")[:limit]:
        obj = target_by_key(report.content_type_id, report.object_id)
        target = _target_of(obj)
        state, item = _content_state(user, obj, target)
        consultation = report.consultation
        if consultation is not None and not allowed(
            user, "participation_consultations.view_consultationpage", consultation
        ):
            consultation = None
        notices.append(
            Notice(
                report=report,
                label=target.label if target is not None else "",
                state=state,
                excerpt=Truncator(item.excerpt).chars(120) if item is not None else "",
                url=item.location_url if item is not None else "",
                consultation=consultation,
                decisions=sorted(report.decisions.all(), key=lambda d: d.created_at),
            )
        )
    return notices


def report_by_id(report_id: int) -> Report | None:
    return Report.objects.filter(pk=report_id).first()


def appeal_by_id(appeal_id: int) -> Appeal | None:
    return Appeal.objects.select_related("decision").filter(pk=appeal_id).first()


def moderation_target(kind: str, pk: int):
    """What a moderator acts on, by the kind in the address (a contribution, a proposal,
    a display name, ...; "beteiligung": a consultation), or None."""
    target = registered_target(kind)
    return target.get(pk) if target is not None else None


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


def restricting_decisions() -> QuerySet[ModerationDecision]:
    """Decisions that restrict (the statements of reasons the Transparency Database takes,
    Art. 24(5) DSA); restorations and approvals have their own record on their page."""
    return ModerationDecision.objects.filter(action__in=RESTRICTING_ACTIONS).select_related(
        "rule_version__document"
    )
