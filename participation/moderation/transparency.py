"""Reads for the public side of moderation: the transparency report (counts per period by
action, ground and source, time from notice to decision, appeals, automation) and the
public moderation log.

Nothing here returns personal data: no author, reporter or moderator, no content text and
no facts (free text that may name people). Periods are calendar months, quarters or years
in the platform's time zone (settings.TIME_ZONE): a decision at 00:30 on 1 April in Berlin
(22:30 UTC on 31 March) counts for April, as a reader in Germany expects.
"""

from __future__ import annotations

import re
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import (
    Aggregate,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import TruncMonth, TruncQuarter, TruncYear
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from participation.moderation.models import (
    Appeal,
    GroundType,
    LegalGround,
    ModerationDecision,
    Report,
)

MONTH, QUARTER, YEAR = "month", "quarter", "year"
GRANULARITIES = {
    MONTH: gettext_lazy("Month"),
    QUARTER: gettext_lazy("Quarter"),
    YEAR: gettext_lazy("Year"),
}
# How many periods the report shows when no range is asked for.
DEFAULT_SPAN = {MONTH: 12, QUARTER: 8, YEAR: 5}
# A range longer than this many periods is refused (a table nobody can read).
MAX_PERIODS = 120
NO_GROUND = "none"

PERIOD_KEY = re.compile(r"^(?P<year>\d{4})(?:-(?:(?P<month>\d{2})|Q(?P<quarter>[1-4])))?$")

Action = ModerationDecision.Action
Source = ModerationDecision.Source


def platform_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


# --- periods


@dataclass(frozen=True)
class Period:
    """A calendar month, quarter or year in the platform's time zone: [start, end)."""

    granularity: str
    start: datetime
    end: datetime

    @property
    def key(self) -> str:
        if self.granularity == MONTH:
            return f"{self.start.year}-{self.start.month:02d}"
        if self.granularity == QUARTER:
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        return str(self.start.year)

    @property
    def label(self) -> str:
        if self.granularity == MONTH:
            return date_format(self.start, "F Y")
        if self.granularity == QUARTER:
            return _("Q%(quarter)s %(year)s") % {
                "quarter": (self.start.month - 1) // 3 + 1,
                "year": self.start.year,
            }
        return str(self.start.year)

    @property
    def first_day(self) -> date:
        return self.start.date()

    @property
    def last_day(self) -> date:
        return (self.end - timedelta(days=1)).date()

    def next(self) -> Period:
        return period_containing(self.end, self.granularity)


def _period_start(day: date, granularity: str) -> date:
    if granularity == MONTH:
        return day.replace(day=1)
    if granularity == QUARTER:
        return date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    return date(day.year, 1, 1)


def _add_period(day: date, granularity: str) -> date:
    months = {MONTH: 1, QUARTER: 3, YEAR: 12}[granularity]
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def day_start(day: date) -> datetime:
    """Midnight at the start of `day` in the platform's time zone."""
    return datetime(day.year, day.month, day.day, tzinfo=platform_zone())


def period_containing(moment: datetime | date, granularity: str) -> Period:
    if isinstance(moment, datetime):
        moment = moment.astimezone(platform_zone()).date()
    start = _period_start(moment, granularity)
    return Period(granularity, day_start(start), day_start(_add_period(start, granularity)))


def period_from_key(key: str) -> Period:
    """ "2026-11" (a month), "2026-Q4" (a quarter) or "2026" (a year); ValueError otherwise."""
    match = PERIOD_KEY.match(key.strip())
    if match is None:
        raise ValueError(key)
    year = int(match["year"])
    if match["month"]:
        month = int(match["month"])
        if not 1 <= month <= 12:
            raise ValueError(key)
        return period_containing(date(year, month, 1), MONTH)
    if match["quarter"]:
        return period_containing(date(year, (int(match["quarter"]) - 1) * 3 + 1, 1), QUARTER)
    if year < 1:
        raise ValueError(key)
    return period_containing(date(year, 1, 1), YEAR)


def periods_between(first: date, last: date, granularity: str) -> list[Period]:
    """Every period from the one holding `first` to the one holding `last`, oldest first."""
    periods = [period_containing(first, granularity)]
    end = day_start(last)
    while periods[-1].end <= end:
        periods.append(periods[-1].next())
        if len(periods) > MAX_PERIODS:
            raise ValueError("too many periods")
    return periods


def default_periods(granularity: str, today: date) -> list[Period]:
    """DEFAULT_SPAN periods ending with the current one."""
    last = period_containing(today, granularity)
    months = {MONTH: 1, QUARTER: 3, YEAR: 12}[granularity] * (DEFAULT_SPAN[granularity] - 1)
    index = last.start.year * 12 + last.start.month - 1 - months
    first = date(index // 12, index % 12 + 1, 1)
    return periods_between(first, today, granularity)


def _trunc(field_name: str, granularity: str):
    function = {MONTH: TruncMonth, QUARTER: TruncQuarter, YEAR: TruncYear}[granularity]
    return function(field_name, tzinfo=platform_zone())


def _bucket(value: datetime | date, granularity: str) -> str:
    return period_containing(value, granularity).key


# --- the report


class Median(Aggregate):
    """PostgreSQL's continuous median (interpolates between the two middle values of an
    even count, as statistics.median does)."""

    function = "PERCENTILE_CONT"
    name = "Median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = DurationField()


@dataclass
class FigureRow:
    """One value of a dimension (an action, a ground, a source, a summary figure) with its
    count in each period of the report."""

    dimension: str
    value: str
    label: str
    counts: list[int]
    url: str = ""
    periods: list[Period] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.counts)

    @property
    def cells(self) -> list[tuple[int, Period]]:
        """(count, period) per period: the template links a count to the log."""
        return list(zip(self.counts, self.periods, strict=True))


@dataclass
class TransparencyReport:
    granularity: str
    periods: list[Period]
    decisions: FigureRow
    by_action: list[FigureRow]
    by_ground: list[FigureRow]
    by_source: list[FigureRow]
    automation: list[FigureRow]
    notices: list[FigureRow]
    appeals: list[FigureRow]
    median_seconds: list[float | None]
    median_seconds_total: float | None

    @property
    def first_period(self) -> Period:
        return self.periods[0]

    @property
    def last_period(self) -> Period:
        return self.periods[-1]

    @property
    def automated_share(self) -> float | None:
        """Share of decisions detected or decided automatically, in the whole range."""
        total = self.decisions.total
        if not total:
            return None
        return self.automation[0].total / total

    def dimensions(self) -> list[tuple[str, list[FigureRow]]]:
        return [
            ("decisions", [self.decisions]),
            ("action", self.by_action),
            ("ground", self.by_ground),
            ("source", self.by_source),
            ("automation", self.automation),
            ("notices", self.notices),
            ("appeals", self.appeals),
        ]


def _rows(
    dimension: str,
    grouped: dict[str, dict[str, int]],
    labels: Iterable[tuple[str, str, str]],
    periods: list[Period],
    *,
    keep_empty: bool = False,
) -> list[FigureRow]:
    keys = [period.key for period in periods]
    rows = []
    for value, label, url in labels:
        counts = [grouped.get(value, {}).get(key, 0) for key in keys]
        if keep_empty or any(counts):
            rows.append(FigureRow(dimension, value, label, counts, url, periods))
    return rows


def _decisions_in(start: datetime, end: datetime) -> QuerySet[ModerationDecision]:
    return ModerationDecision.objects.filter(created_at__gte=start, created_at__lt=end)


def _count_by(
    queryset: QuerySet, field_name: str, granularity: str, *values: str
) -> dict[Any, dict[str, int]]:
    """{value: {period key: count}} for the values of `values` (one query); the value is a
    tuple when there are several."""
    grouped: dict[Any, dict[str, int]] = defaultdict(dict)
    rows = (
        queryset.annotate(period=_trunc(field_name, granularity))
        .values("period", *values)
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        grouped_key = tuple(row[v] for v in values)
        grouped[grouped_key if len(values) > 1 else grouped_key[0]][
            _bucket(row["period"], granularity)
        ] = row["n"]
    return grouped


def ground_key(
    ground_type: str, document_slug: str | None, number: int | None, clause: str, legal: str
) -> str:
    if ground_type == GroundType.RULE:
        return f"rule:{document_slug}:{number}:{clause}"
    if ground_type == GroundType.LEGAL:
        return f"legal:{legal}"
    return NO_GROUND


def ground_label(
    ground_type: str, document_title: str | None, number: int | None, clause: str, legal: str
) -> str:
    if ground_type == GroundType.RULE:
        return _("%(document)s, version %(version)s, clause %(clause)s") % {
            "document": document_title,
            "version": number,
            "clause": clause,
        }
    if ground_type == GroundType.LEGAL:
        return str(LegalGround(legal).label) if legal in LegalGround.values else legal
    return _("No ground cited (a restriction lifted or a contribution approved)")


def _natural(clause: str) -> tuple[int, str]:
    digits = re.match(r"\d+", clause)
    return (int(digits.group()) if digits else 0, clause)


def _by_ground(decisions: QuerySet, granularity: str, periods: list[Period]) -> list[FigureRow]:
    fields = (
        "ground_type",
        "rule_version__document__slug",
        "rule_version__document__title",
        "rule_version__document__sort_order",
        "rule_version__number",
        "clause",
        "legal_ground",
    )
    raw = _count_by(decisions, "created_at", granularity, *fields)
    grouped: dict[str, dict[str, int]] = defaultdict(dict)
    labels: dict[str, tuple[tuple, str, str]] = {}
    legal_order = {value: index for index, value in enumerate(LegalGround.values)}
    for (kind, slug, title, order, number, clause, legal), counts in raw.items():
        key = ground_key(kind, slug, number, clause, legal)
        for period_key, n in counts.items():
            grouped[key][period_key] = grouped[key].get(period_key, 0) + n
        if kind == GroundType.RULE:
            sort = (0, order or 0, title or "", number or 0, *_natural(clause))
            url = reverse("rule_version", args=[slug, number])
        elif kind == GroundType.LEGAL:
            sort = (1, legal_order.get(legal, len(legal_order)), "", 0, 0, legal)
            url = ""
        else:
            sort = (2, 0, "", 0, 0, "")
            url = ""
        labels[key] = (sort, ground_label(kind, title, number, clause, legal), url)
    ordered = sorted(labels.items(), key=lambda item: item[1][0])
    return _rows(
        "ground", grouped, [(key, label, url) for key, (_s, label, url) in ordered], periods
    )


def _waits(decisions: QuerySet) -> QuerySet:
    """Decisions on notices, each with the time from its first notice to the decision."""
    first_notice = (
        Report.objects.filter(decisions=OuterRef("pk")).order_by("created_at").values("created_at")
    )
    return (
        decisions.annotate(first_notice=Subquery(first_notice[:1]))
        .filter(first_notice__isnull=False)
        .annotate(
            wait=ExpressionWrapper(
                F("created_at") - F("first_notice"), output_field=DurationField()
            )
        )
    )


def _medians(
    decisions: QuerySet, granularity: str, periods: list[Period]
) -> tuple[list[float | None], float | None]:
    waits = _waits(decisions)
    by_period: dict[str, float | None] = {}
    if connection.vendor == "postgresql":
        rows = (
            waits.annotate(period=_trunc("created_at", granularity))
            .values("period")
            .annotate(median=Median("wait"))
            .order_by()
        )
        for row in rows:
            by_period[_bucket(row["period"], granularity)] = row["median"].total_seconds()
        total = waits.aggregate(median=Median("wait"))["median"]
        total_seconds = total.total_seconds() if total is not None else None
    else:
        # SQLite has no median: the database computes each wait, Python takes the middle.
        lists: dict[str, list[float]] = defaultdict(list)
        every: list[float] = []
        for created_at, wait in waits.values_list("created_at", "wait").order_by():
            seconds = wait.total_seconds()
            lists[_bucket(created_at, granularity)].append(seconds)
            every.append(seconds)
        by_period = {key: statistics.median(values) for key, values in lists.items()}
        total_seconds = statistics.median(every) if every else None
    return [by_period.get(period.key) for period in periods], total_seconds


def transparency_report(*, granularity: str, periods: list[Period]) -> TransparencyReport:
    """The report's figures for consecutive `periods` of one granularity (oldest first)."""
    start, end = periods[0].start, periods[-1].end
    keys = [period.key for period in periods]
    decisions = _decisions_in(start, end)

    totals: dict[str, dict[str, int]] = defaultdict(dict)
    rows = (
        decisions.annotate(period=_trunc("created_at", granularity))
        .values("period")
        .annotate(
            n=Count("pk"),
            automated=Count(
                "pk",
                filter=Q(automated_detection=True)
                | ~Q(automated_decision=ModerationDecision.Automation.NOT_AUTOMATED),
            ),
            detected=Count("pk", filter=Q(automated_detection=True)),
            decided=Count(
                "pk", filter=~Q(automated_decision=ModerationDecision.Automation.NOT_AUTOMATED)
            ),
        )
        .order_by()
    )
    for row in rows:
        period_key = _bucket(row["period"], granularity)
        for name in ("n", "automated", "detected", "decided"):
            totals[name][period_key] = row[name]

    by_action = _rows(
        "action",
        _count_by(decisions, "created_at", granularity, "action"),
        [(value, str(label), "") for value, label in Action.choices],
        periods,
    )
    by_source = _rows(
        "source",
        _count_by(decisions, "created_at", granularity, "source"),
        [(value, str(label), "") for value, label in Source.choices],
        periods,
        keep_empty=True,
    )
    automation = _rows(
        "automation",
        totals,
        [
            ("automated", _("Detected or decided automatically"), ""),
            ("detected", _("Detected automatically"), ""),
            ("decided", _("Decided automatically (fully or partly)"), ""),
        ],
        periods,
        keep_empty=True,
    )

    notices: dict[str, dict[str, int]] = defaultdict(dict)
    for row in (
        Report.objects.filter(created_at__gte=start, created_at__lt=end)
        .annotate(period=_trunc("created_at", granularity))
        .values("period")
        .annotate(
            received=Count("pk"),
            acted=Count("pk", filter=Q(status=Report.Status.DECIDED)),
            rejected=Count("pk", filter=Q(status=Report.Status.REJECTED)),
            open=Count("pk", filter=Q(status=Report.Status.OPEN)),
        )
        .order_by()
    ):
        period_key = _bucket(row["period"], granularity)
        for name in ("received", "acted", "rejected", "open"):
            notices[name][period_key] = row[name]

    appeals: dict[str, dict[str, int]] = defaultdict(dict)
    for row in (
        Appeal.objects.filter(created_at__gte=start, created_at__lt=end)
        .annotate(period=_trunc("created_at", granularity))
        .values("period")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        appeals["received"][_bucket(row["period"], granularity)] = row["n"]
    for row in (
        Appeal.objects.filter(decided_at__gte=start, decided_at__lt=end)
        .annotate(period=_trunc("decided_at", granularity))
        .values("period")
        .annotate(
            upheld=Count("pk", filter=Q(status=Appeal.Status.UPHELD)),
            reversed=Count("pk", filter=Q(status=Appeal.Status.REVERSED)),
        )
        .order_by()
    ):
        period_key = _bucket(row["period"], granularity)
        appeals["upheld"][period_key] = row["upheld"]
        appeals["reversed"][period_key] = row["reversed"]

    medians, median_total = _medians(decisions, granularity, periods)
    return TransparencyReport(
        granularity=granularity,
        periods=periods,
        decisions=FigureRow(
            "decisions",
            "all",
            _("Moderation decisions"),
            [totals["n"].get(key, 0) for key in keys],
            "",
            periods,
        ),
        by_action=by_action,
        by_ground=_by_ground(decisions, granularity, periods),
        by_source=by_source,
        automation=automation,
        notices=_rows(
            "notices",
            notices,
            [
                ("received", _("Notices received"), ""),
                ("acted", _("Led to a moderation decision"), ""),
                ("rejected", _("Rejected: no action needed"), ""),
                ("open", _("Still open"), ""),
            ],
            periods,
            keep_empty=True,
        ),
        appeals=_rows(
            "appeals",
            appeals,
            [
                ("received", _("Appeals received"), ""),
                ("upheld", _("Rejected: the decision stands"), ""),
                ("reversed", _("Justified: the decision was reversed"), ""),
            ],
            periods,
            keep_empty=True,
        ),
        median_seconds=medians,
        median_seconds_total=median_total,
    )


def duration_label(seconds: float | None) -> str:
    """ "3 Std. 20 Min." in German, "3 h 20 min" in English; days from 48 hours on."""
    if seconds is None:
        return "\N{EN DASH}"
    minutes = round(seconds / 60)
    if minutes < 1:
        return _("under a minute")
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days >= 2 or (days and not hours and not minutes):
        if hours:
            return _("%(days)s d %(hours)s h") % {"days": days, "hours": hours}
        return _("%(days)s d") % {"days": days}
    hours += days * 24
    if hours and minutes:
        return _("%(hours)s h %(minutes)s min") % {"hours": hours, "minutes": minutes}
    if hours:
        return _("%(hours)s h") % {"hours": hours}
    return _("%(minutes)s min") % {"minutes": minutes}


# --- the public log


CONTENT_KINDS = {
    ("participation_comments", "comment"): gettext_lazy("Comment"),
    ("participation_proposals", "proposal"): gettext_lazy("Proposal"),
    ("participation_polls", "pollchoice"): gettext_lazy("Poll option"),
    ("participation_polls", "pollanswer"): gettext_lazy("Own answer in a poll"),
    ("participation_polls", "poll"): gettext_lazy("Poll"),
    ("participation_consultations", "consultationpage"): gettext_lazy("Consultation"),
}
PROFILE_NAME = gettext_lazy("Profile name")


def content_kind_label(content_type_id: int) -> str:
    content_type = ContentType.objects.get_for_id(content_type_id)  # cached per process
    key = (content_type.app_label, content_type.model)
    if key in CONTENT_KINDS:
        return str(CONTENT_KINDS[key])
    user_app, user_model = settings.AUTH_USER_MODEL.lower().split(".")
    if key == (user_app, user_model):
        return str(PROFILE_NAME)
    return str(content_type.name)


# The fields the log reads; facts, restriction, explanations and people stay unloaded.
LOG_FIELDS = (
    "pk",
    "puid",
    "created_at",
    "action",
    "content_type_id",
    "consultation_id",
    "ground_type",
    "rule_version_id",
    "clause",
    "clause_label",
    "legal_ground",
    "source",
    "automated_detection",
    "automated_decision",
    "end_date",
    "reversed_by_id",
)


@dataclass(frozen=True)
class LogFilters:
    action: str = ""
    ground: str = ""  # "rule", "rule:<document slug>", "legal", "legal:<legal ground>"
    source: str = ""
    consultation_id: int | None = None
    start: datetime | None = None
    end: datetime | None = None


def decisions_for_public_log(filters: LogFilters | None = None) -> QuerySet[ModerationDecision]:
    """Decisions newest first, with `appealed` and `appeal_reversed` annotated, and only
    the fields that may be published."""
    filters = filters or LogFilters()
    decisions = ModerationDecision.objects.all()
    if filters.action:
        decisions = decisions.filter(action=filters.action)
    if filters.source:
        decisions = decisions.filter(source=filters.source)
    if filters.ground:
        kind, _sep, detail = filters.ground.partition(":")
        if kind == NO_GROUND:
            decisions = decisions.filter(ground_type="")
        else:
            decisions = decisions.filter(ground_type=kind)
            if detail and kind == GroundType.RULE:
                decisions = decisions.filter(rule_version__document__slug=detail)
            elif detail:
                decisions = decisions.filter(legal_ground=detail)
    if filters.consultation_id is not None:
        decisions = decisions.filter(consultation_id=filters.consultation_id)
    if filters.start is not None:
        decisions = decisions.filter(created_at__gte=filters.start)
    if filters.end is not None:
        decisions = decisions.filter(created_at__lt=filters.end)
    appeals = Appeal.objects.filter(decision=OuterRef("pk"))
    return (
        decisions.only(*LOG_FIELDS)
        .select_related("rule_version__document")
        .only(
            *LOG_FIELDS,
            "rule_version__number",
            "rule_version__document__slug",
            "rule_version__document__title",
        )
        .annotate(
            appealed=Exists(appeals),
            appeal_reversed=Exists(appeals.filter(status=Appeal.Status.REVERSED)),
        )
        .order_by("-created_at", "-pk")
    )


@dataclass(frozen=True)
class LogEntry:
    """What the public log shows of one decision."""

    puid: str
    created_at: datetime
    action: str
    action_label: str
    content_kind: str
    consultation: object | None  # the page, if it is public
    ground_type: str
    ground_label: str
    ground_url: str
    clause_label: str
    source: str
    source_label: str
    automated_detection: bool
    automated_decision: str
    automated_decision_label: str
    end_date: datetime | None
    appealed: bool
    reversed: bool

    @property
    def automated(self) -> bool:
        return self.automated_detection or (
            self.automated_decision != ModerationDecision.Automation.NOT_AUTOMATED
        )

    @property
    def dsa_url(self) -> str:
        return reverse("moderation_decision_json", args=[self.puid])


def public_consultations(ids: Iterable[int | None]) -> dict[int | None, object]:
    """The public (live, unrestricted) consultations among `ids`, by id (one query)."""
    from participation.consultations.selectors import consultations_visible_to

    wanted: set[int] = {pk for pk in ids if pk is not None}
    if not wanted:
        return {}
    return {page.pk: page for page in consultations_visible_to(None).filter(pk__in=wanted)}


def log_entries(decisions: Iterable[ModerationDecision]) -> list[LogEntry]:
    decisions = list(decisions)
    consultations = public_consultations(d.consultation_id for d in decisions)
    entries = []
    for decision in decisions:
        version = decision.rule_version if decision.rule_version_id else None
        document = version.document if version else None
        entries.append(
            LogEntry(
                puid=str(decision.puid),
                created_at=decision.created_at,
                action=decision.action,
                action_label=decision.get_action_display(),
                content_kind=content_kind_label(decision.content_type_id),
                consultation=consultations.get(decision.consultation_id),
                ground_type=decision.ground_type,
                ground_label=ground_label(
                    decision.ground_type,
                    document.title if document else None,
                    version.number if version else None,
                    decision.clause,
                    decision.legal_ground,
                ),
                ground_url=version.get_absolute_url() if version else "",
                clause_label=decision.clause_label,
                source=decision.source,
                source_label=decision.get_source_display(),
                automated_detection=decision.automated_detection,
                automated_decision=decision.automated_decision,
                automated_decision_label=decision.get_automated_decision_display(),
                end_date=decision.end_date,
                appealed=bool(getattr(decision, "appealed", False)),
                reversed=bool(
                    decision.reversed_by_id or getattr(decision, "appeal_reversed", False)
                ),
            )
        )
    return entries


def log_ground_choices() -> list[tuple[str, str]]:
    from cooperative.governance.models import RuleDocument

    cited = RuleDocument.objects.filter(
        pk__in=ModerationDecision.objects.filter(ground_type=GroundType.RULE).values(
            "rule_version__document_id"
        )
    )
    choices = [(GroundType.RULE.value, _("Breach of a rule (any)"))]
    choices += [(f"rule:{doc.slug}", doc.title) for doc in cited]
    choices.append((GroundType.LEGAL.value, _("Illegal content (any legal ground)")))
    choices += [(f"legal:{value}", str(label)) for value, label in LegalGround.choices]
    choices.append((NO_GROUND, _("No ground cited")))
    return choices


def log_consultation_choices() -> list[tuple[int, str]]:
    """Public consultations that have decisions in the log."""
    from participation.consultations.selectors import consultations_visible_to

    pages = (
        consultations_visible_to(None)
        .filter(pk__in=ModerationDecision.objects.values("consultation_id"))
        .order_by("title")
    )
    return [(page.pk, page.title) for page in pages]


# --- open data

CSV_HEADER = ["period", "period_start", "period_end", "dimension", "value", "label", "count"]


def report_csv_rows(report: TransparencyReport) -> list[list[str]]:
    """One row per period, dimension and value (period_end is the last day included). The
    median time to decision is the dimension "time_to_decision", in seconds, empty for a
    period without decisions on notices."""
    rows = [CSV_HEADER]
    for index, period in enumerate(report.periods):
        head = [period.key, period.first_day.isoformat(), period.last_day.isoformat()]
        for dimension, figures in report.dimensions():
            for figure in figures:
                rows.append(
                    [*head, dimension, figure.value, figure.label, str(figure.counts[index])]
                )
        median = report.median_seconds[index]
        rows.append(
            [
                *head,
                "time_to_decision",
                "median_seconds",
                _("Median time from notice to decision (seconds)"),
                "" if median is None else str(round(median)),
            ]
        )
    return rows
