from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from django.db.models import (
    Case,
    CharField,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils import timezone
from wagtail.query import PageQuerySet

from cooperative.organisations.models import Organisation
from cooperative.permissions import allowed
from participation.consultations.models import (
    ConsultationIndexPage,
    ConsultationPage,
    ConsultationPhase,
    ConsultationState,
)
from participation.consultations.search import consultation_search_scores

Kind = ConsultationPhase.Kind

# The state a consultation is in while a phase of that kind runs ...
_DURING = {
    Kind.INFORMATION: ConsultationState.UPCOMING,
    Kind.PARTICIPATION: ConsultationState.OPEN,
    Kind.EVALUATION: ConsultationState.EVALUATION,
    Kind.RESULT: ConsultationState.FINISHED,
}
# ... and after it ended, until the next phase starts.
_AFTER = {
    Kind.INFORMATION: ConsultationState.UPCOMING,
    Kind.PARTICIPATION: ConsultationState.EVALUATION,
    Kind.EVALUATION: ConsultationState.EVALUATION,
    Kind.RESULT: ConsultationState.FINISHED,
}


def consultation_state(phases: Sequence[ConsultationPhase], now: datetime) -> str:
    """The state in Python, for one page whose phases are loaded (same rules as the SQL)."""
    current = [p for p in phases if p.starts_at <= now < p.ends_at]
    if current:
        return _DURING[Kind(max(current, key=lambda p: p.starts_at).kind)]
    past = [p for p in phases if p.ends_at <= now]
    if not past:
        return ConsultationState.UPCOMING
    return _AFTER[Kind(max(past, key=lambda p: p.ends_at).kind)]


def with_state(queryset: PageQuerySet, now: datetime) -> PageQuerySet:
    """Annotate `state_value` in SQL, so lists can filter and page by state."""
    phases = ConsultationPhase.objects.filter(page=OuterRef("pk"))
    current_kind = Subquery(
        phases.filter(starts_at__lte=now, ends_at__gt=now).order_by("-starts_at").values("kind")[:1]
    )
    previous_kind = Subquery(
        phases.filter(ends_at__lte=now).order_by("-ends_at").values("kind")[:1]
    )
    next_start = Subquery(
        phases.filter(starts_at__gt=now).order_by("starts_at").values("starts_at")[:1]
    )
    current_end = Subquery(
        phases.filter(starts_at__lte=now, ends_at__gt=now)
        .order_by("-starts_at")
        .values("ends_at")[:1]
    )
    whens = [When(current_kind=kind, then=Value(state)) for kind, state in _DURING.items()]
    whens.append(When(previous_kind__isnull=True, then=Value(ConsultationState.UPCOMING)))
    whens += [When(previous_kind=kind, then=Value(state)) for kind, state in _AFTER.items()]
    return queryset.annotate(
        current_kind=current_kind,
        previous_kind=previous_kind,
        next_phase_start=next_start,
        current_phase_end=current_end,
    ).annotate(
        state_value=Case(
            *whens, default=Value(ConsultationState.UPCOMING), output_field=CharField()
        )
    )


def consultations_visible_to(user) -> PageQuerySet:
    """Live, public consultations; privacy-restricted pages never appear in public lists."""
    return ConsultationPage.objects.live().public()


def _organisation_by_path() -> dict[str, Organisation]:
    indexes = ConsultationIndexPage.objects.select_related("organisation").only(
        "path", "organisation"
    )
    return {index.path: index.organisation for index in indexes}


def attach_organisations(pages: Iterable[ConsultationPage]) -> None:
    """Set `page.organisation` on many pages with one query (instead of one per page)."""
    by_path = _organisation_by_path()
    for page in pages:
        parent_path = page.path[: -ConsultationPage.steplen]
        page.organisation = by_path.get(parent_path)


def consultations_for_listing(
    user,
    *,
    state: str | None = None,
    organisation: Organisation | None = None,
    tag: str | None = None,
    query: str | None = None,
    now: datetime | None = None,
) -> PageQuerySet:
    now = now or timezone.now()
    queryset = with_state(consultations_visible_to(user), now)
    if organisation is not None:
        index = ConsultationIndexPage.objects.filter(organisation=organisation).first()
        if index is None:
            return queryset.none()
        queryset = queryset.child_of(index)
    if tag:
        queryset = queryset.filter(tags__slug=tag)
    if state:
        queryset = queryset.filter(state_value=state)
    ranking: tuple[str, ...] = ()
    scores = consultation_search_scores(queryset, query) if query else None
    if scores is not None:
        # The most relevant first; equally relevant ones in the listing's order.
        queryset = queryset.filter(pk__in=list(scores)).annotate(relevance=_relevance(scores))
        ranking = ("-relevance",)
    order = Case(
        When(state_value=ConsultationState.OPEN, then=Value(0)),
        When(state_value=ConsultationState.UPCOMING, then=Value(1)),
        When(state_value=ConsultationState.EVALUATION, then=Value(2)),
        default=Value(3),
    )
    return (
        queryset.prefetch_related("tags")
        .annotate(state_order=order)
        .order_by(*ranking, "state_order", "-first_published_at", "pk")
        .distinct()
    )


def _relevance(scores: dict[int, int]) -> Case:
    by_score: dict[int, list[int]] = {}
    for page_id, score in scores.items():
        by_score.setdefault(score, []).append(page_id)
    whens = [When(pk__in=ids, then=Value(score)) for score, ids in by_score.items()]
    return Case(*whens, default=Value(0), output_field=IntegerField())


def organisations_with_consultations() -> QuerySet[Organisation]:
    return Organisation.objects.filter(consultation_index__isnull=False).order_by("name")


def consultation_tags_in_use() -> list[tuple[str, str]]:
    from participation.consultations.models import ConsultationPageTag

    live_ids = ConsultationPage.objects.live().public().values("pk")
    rows = (
        ConsultationPageTag.objects.filter(content_object__in=live_ids)
        .values_list("tag__slug", "tag__name")
        .distinct()
        .order_by("tag__name")
    )
    return list(rows)


def consultation_counts_by_state(user, now: datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    counts = dict.fromkeys(ConsultationState.values, 0)
    for value in with_state(consultations_visible_to(user), now).values_list(
        "state_value", flat=True
    ):
        counts[value] += 1
    return counts


def consultation_by_id(page_id: int) -> ConsultationPage | None:
    """The consultation whoever asks; callers check what the person may do with it."""
    return ConsultationPage.objects.filter(pk=page_id).first()


def consultation_for_user(user, page_id: int) -> ConsultationPage | None:
    """The consultation if `user` may see it (published, or a draft of their organisation)."""
    page = consultation_by_id(page_id)
    if page is None or not allowed(user, "participation_consultations.view_consultationpage", page):
        return None
    return page


def consultation_stream_viewable(user, page_id: int) -> bool | None:
    """Whether `user` may read the consultation's live stream (the rule of its page); None
    where there is no such consultation."""
    page = consultation_by_id(page_id)
    if page is None:
        return None
    return allowed(user, "participation_consultations.view_consultationpage", page)
