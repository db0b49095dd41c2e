"""The public side of moderation: the moderation log (Protokoll), the transparency report
(Transparenzbericht) with its CSV, and every decision as a record of the EU DSA
Transparency Database, one at a time or all of them as a streamed download.

Everything here is public and shows no personal data; bad filter input is reported on the
page and the remaining filters still apply."""

from __future__ import annotations

import io
import json
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import date, timedelta
from typing import cast

from asgiref.sync import sync_to_async
from django import forms
from django.core.handlers.asgi import ASGIRequest
from django.core.paginator import Paginator
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from cooperative.exports import CsvWriter
from participation.moderation.models import ModerationDecision
from participation.moderation.selectors import restricting_decisions
from participation.moderation.transparency import (
    GRANULARITIES,
    MAX_PERIODS,
    QUARTER,
    LogFilters,
    Period,
    day_start,
    decisions_for_public_log,
    default_periods,
    duration_label,
    log_consultation_choices,
    log_entries,
    log_ground_choices,
    period_from_key,
    periods_between,
    report_csv_rows,
    transparency_report,
)

LOG_PAGE_SIZE = 25
EXPORT_BATCH = 500
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _date_field(label) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=DATE_INPUT,
        error_messages={"invalid": _("Enter a date as year-month-day, e.g. 2026-03-31.")},
    )


class ReportFilterForm(forms.Form):
    period = forms.ChoiceField(
        label=_("Count per"),
        required=False,
        choices=list(GRANULARITIES.items()),
        error_messages={
            "invalid_choice": _("Choose month, quarter or year (“%(value)s” is none of them).")
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # "from" and "to" are Python keywords: the fields are added by name.
        self.fields["from"] = _date_field(_("From"))
        self.fields["to"] = _date_field(_("Up to and including"))

    def clean(self):
        data = super().clean() or {}
        start, end = data.get("from"), data.get("to")
        if start and end and start > end:
            raise forms.ValidationError(_("The start date is after the end date."))
        return data

    def periods(self, today: date) -> tuple[str, list[Period]]:
        """The granularity and periods asked for; what was invalid falls back to the
        defaults (the last few periods up to today)."""
        data = self.cleaned_data if self.is_bound else {}
        granularity = data.get("period") or QUARTER
        start, end = data.get("from"), data.get("to")
        if self.is_bound and self.errors.get("__all__"):
            start = end = None
        try:
            if start:
                return granularity, periods_between(start, end or today, granularity)
            if end:
                periods = default_periods(granularity, end)
                return granularity, periods
        except ValueError:
            self.add_error(
                None,
                _("At most %(count)s periods fit in one report; choose a shorter range.")
                % {"count": MAX_PERIODS},
            )
        return granularity, default_periods(granularity, today)


class LogFilterForm(forms.Form):
    action = forms.ChoiceField(label=_("Action"), required=False)
    ground = forms.ChoiceField(label=_("Ground"), required=False)
    source = forms.ChoiceField(label=_("Source"), required=False)
    consultation = forms.TypedChoiceField(
        label=_("Consultation"), required=False, coerce=int, empty_value=None
    )
    period = forms.CharField(
        label=_("Period"),
        required=False,
        max_length=7,
        help_text=_("A month (2026-03), a quarter (2026-Q1) or a year (2026)."),
    )

    def __init__(self, *args, grounds=(), consultations=(), **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["action"]).choices = [
            ("", _("All actions")),
            *ModerationDecision.Action.choices,
        ]
        cast(forms.ChoiceField, self.fields["ground"]).choices = [("", _("All grounds")), *grounds]
        cast(forms.ChoiceField, self.fields["source"]).choices = [
            ("", _("All sources")),
            *ModerationDecision.Source.choices,
        ]
        cast(forms.ChoiceField, self.fields["consultation"]).choices = [
            ("", _("All consultations")),
            *[(str(pk), title) for pk, title in consultations],
        ]
        self.fields["from"] = _date_field(_("From"))
        self.fields["to"] = _date_field(_("Up to and including"))

    def clean(self):
        data = super().clean() or {}
        if data.get("from") and data.get("to") and data["from"] > data["to"]:
            del data["from"], data["to"]
            raise forms.ValidationError(_("The start date is after the end date."))
        return data

    def clean_period(self) -> Period | None:
        key = self.cleaned_data.get("period") or ""
        if not key:
            return None
        try:
            return period_from_key(key)
        except ValueError:
            raise forms.ValidationError(
                _(
                    "“%(value)s” is not a period: write a month (2026-03), a quarter "
                    "(2026-Q1) or a year (2026)."
                ),
                params={"value": key},
            ) from None

    def filters(self) -> LogFilters:
        """The valid filters (an invalid one is reported and left out)."""
        if not self.is_bound:
            return LogFilters()
        self.is_valid()
        data = self.cleaned_data
        start = end = None
        period = data.get("period")
        if period is not None:
            start, end = period.start, period.end
        if data.get("from"):
            start = max(filter(None, [start, day_start(data["from"])]))
        if data.get("to"):
            day_after = day_start(data["to"] + timedelta(days=1))
            end = min(filter(None, [end, day_after]))
        return LogFilters(
            action=data.get("action") or "",
            ground=data.get("ground") or "",
            source=data.get("source") or "",
            consultation_id=data.get("consultation"),
            start=start,
            end=end,
        )


def _query_without(request, *names: str) -> str:
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


@require_GET
def moderation_log(request):
    form = LogFilterForm(
        request.GET or None, grounds=log_ground_choices(), consultations=log_consultation_choices()
    )
    filters = form.filters()
    page = Paginator(decisions_for_public_log(filters), LOG_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "participation_moderation/log_list.html",
        {
            "form": form,
            "page_obj": page,
            "entries": log_entries(page.object_list),
            "filtered": any(
                [filters.action, filters.ground, filters.source, filters.start, filters.end]
            )
            or filters.consultation_id is not None,
            "query_without_page": _query_without(request, "page"),
        },
    )


@require_GET
def transparency_report_page(request, fmt: str = "html"):
    form = ReportFilterForm(request.GET or None)
    if form.is_bound:
        form.is_valid()
    granularity, periods = form.periods(timezone.localdate())
    report = transparency_report(granularity=granularity, periods=periods)
    if fmt == "csv" or request.GET.get("format") == "csv":
        out = io.StringIO()
        CsvWriter(out).writerows(report_csv_rows(report))
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
        name = f"transparenzbericht-{periods[0].key}-{periods[-1].key}.csv"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    share = report.automated_share
    return render(
        request,
        "participation_moderation/transparency_report.html",
        {
            "form": form,
            "report": report,
            "median_total": duration_label(report.median_seconds_total),
            "medians": [
                (duration_label(seconds), seconds, period)
                for seconds, period in zip(report.median_seconds, report.periods, strict=True)
            ],
            "automated_share": None if share is None else round(share * 100),
            "csv_query": _query_without(request, "format"),
            "charts": _charts(report),
        },
    )


# --- the DSA Transparency Database layout


def _record_batches() -> Iterator[list[dict]]:
    """All decisions, oldest first, in batches read one query each (keyset on the primary
    key): memory stays bounded and no cursor stays open between batches."""
    from participation.moderation.dsa import decision_sor_record

    last = 0
    while True:
        batch = list(restricting_decisions().filter(pk__gt=last).order_by("pk")[:EXPORT_BATCH])
        if not batch:
            return
        yield [decision_sor_record(decision) for decision in batch]
        last = batch[-1].pk


def _json_chunks() -> Iterator[str]:
    yield '{"statements": ['
    first = True
    for batch in _record_batches():
        parts = [json.dumps(record, ensure_ascii=False) for record in batch]
        yield ("" if first else ",") + "\n" + ",\n".join(parts)
        first = False
    yield "\n]}\n"


def _json_lines_chunks() -> Iterator[str]:
    for batch in _record_batches():
        yield "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in batch)


def _streamed(request, chunks: Callable[[], Iterator[str]]):
    if not isinstance(request, ASGIRequest):
        return chunks()

    # Under ASGI (daphne) Django reads a synchronous iterator to the end before sending
    # anything; an asynchronous one is sent as it comes. Each batch is read in the
    # request's own thread (thread-sensitive), where its database connection lives.
    iterator = chunks()

    def next_chunk() -> str | None:
        return next(iterator, None)

    async def agen() -> AsyncIterator[str]:
        while (chunk := await sync_to_async(next_chunk, thread_sensitive=True)()) is not None:
            yield chunk

    return agen()


@require_GET
def decisions_dsa_export(request, fmt: str = "json"):
    if fmt == "jsonl":
        content_type, chunks, suffix = (
            "application/jsonl; charset=utf-8",
            _json_lines_chunks,
            "jsonl",
        )
    else:
        content_type, chunks, suffix = "application/json; charset=utf-8", _json_chunks, "json"
    response = StreamingHttpResponse(_streamed(request, chunks), content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="moderationsentscheidungen-dsa.{suffix}"'
    )
    return response


# --- charts


CHART_WIDTH = 640
CHART_BAR_WIDTH = 470
CHART_ROW = 44
CHART_BAR_HEIGHT = 16


def _chart(rows, *, total_of) -> dict:
    """A horizontal bar chart of the rows' totals over the report's range (SVG geometry, as
    the poll charts draw it); the table beside it holds every figure."""
    largest = max((total_of(row) for row in rows), default=0) or 1
    bars = []
    for index, row in enumerate(rows):
        top = index * CHART_ROW
        value = total_of(row)
        bars.append(
            {
                "label": row.label,
                "label_y": top + 14,
                "y": top + 20,
                "value_y": top + 33,
                "length": round(value / largest * CHART_BAR_WIDTH, 1),
                "value": value,
            }
        )
    return {
        "width": CHART_WIDTH,
        "height": max(CHART_ROW, len(bars) * CHART_ROW),
        "bar_width": CHART_BAR_WIDTH,
        "bar_height": CHART_BAR_HEIGHT,
        "value_x": CHART_BAR_WIDTH + 8,
        "bars": bars,
        "description": "; ".join(f"{bar['label']}: {bar['value']}" for bar in bars),
    }


def _charts(report) -> dict:
    def total(row):
        return row.total

    return {
        "action": _chart(report.by_action, total_of=total),
        "source": _chart(report.by_source, total_of=total),
    }
