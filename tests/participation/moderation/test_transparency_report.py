"""The transparency report's figures: counts per month, quarter and year by action, ground
and source (periods in Berlin time), the median time from notice to decision, notices,
appeals and automation, for the crafted history in transparency_data."""

from __future__ import annotations

from datetime import date

import pytest

from participation.moderation.transparency import (
    MONTH,
    QUARTER,
    YEAR,
    duration_label,
    period_containing,
    period_from_key,
    periods_between,
    transparency_report,
)
from tests.participation.moderation.transparency_data import berlin, history

pytestmark = pytest.mark.django_db

MONTHS = ["2025-12", "2026-01", "2026-02", "2026-03", "2026-04"]


def _table(rows) -> dict[str, list[int]]:
    return {row.value: row.counts for row in rows}


def _report(granularity, first=date(2025, 12, 1), last=date(2026, 4, 30)):
    return transparency_report(
        granularity=granularity, periods=periods_between(first, last, granularity)
    )


def test_periods_are_berlin_calendar_periods():
    # 00:30 on 1 February in Berlin is still 31 January in UTC.
    assert period_containing(berlin(2026, 2, 1, 0, 30), MONTH).key == "2026-02"
    assert period_containing(berlin(2026, 3, 31, 23, 59), QUARTER).key == "2026-Q1"
    assert period_containing(berlin(2026, 4, 1, 0, 15), QUARTER).key == "2026-Q2"
    assert period_containing(berlin(2025, 12, 31, 23, 50), YEAR).key == "2025"
    assert [p.key for p in periods_between(date(2025, 11, 30), date(2026, 2, 1), MONTH)] == [
        "2025-11",
        "2025-12",
        "2026-01",
        "2026-02",
    ]
    quarter = period_from_key("2026-Q2")
    assert (quarter.start, quarter.end) == (berlin(2026, 4, 1, 0, 0), berlin(2026, 7, 1, 0, 0))
    assert period_from_key("2026-03").last_day == date(2026, 3, 31)
    for bad in ("foo", "2026-13", "2026-Q5", "26-01", "2026-00"):
        with pytest.raises(ValueError):
            period_from_key(bad)


def test_counts_per_month_by_action_source_and_ground():
    h = history()
    report = _report(MONTH)

    assert [p.key for p in report.periods] == MONTHS
    assert report.decisions.counts == [1, 2, 1, 1, 2]
    assert _table(report.by_action) == {
        "hide": [0, 2, 0, 1, 1],
        "restore": [0, 0, 0, 0, 1],
        "remove": [0, 0, 1, 0, 0],
        "suspend": [1, 0, 0, 0, 0],
    }
    # Every source is listed, with zeros where it did not occur.
    assert _table(report.by_source) == {
        "notice": [0, 2, 1, 0, 0],
        "own_initiative": [1, 0, 0, 1, 0],
        "automated": [0, 0, 0, 0, 1],
        "appeal": [0, 0, 0, 0, 1],
    }
    number = h.version.number
    assert _table(report.by_ground) == {
        f"rule:netiquette:{number}:2": [0, 2, 0, 0, 1],
        f"rule:netiquette:{number}:3": [0, 0, 0, 1, 0],
        f"rule:netiquette:{number}:4": [1, 0, 0, 0, 0],
        "legal:stgb_130": [0, 0, 1, 0, 0],
        "none": [0, 0, 0, 0, 1],
    }
    # Rule clauses in their order, then legal grounds, then decisions without a ground.
    assert [row.value.split(":")[0] for row in report.by_ground] == [
        "rule",
        "rule",
        "rule",
        "legal",
        "none",
    ]
    ground_rows = {row.value: row for row in report.by_ground}
    assert ground_rows[f"rule:netiquette:{number}:2"].url == h.version.get_absolute_url()
    assert ground_rows[f"rule:netiquette:{number}:2"].label == (
        f"Netiquette, version {number}, clause 2"
    )


def test_counts_per_quarter_and_year():
    history()
    quarters = _report(QUARTER)
    assert [p.key for p in quarters.periods] == ["2025-Q4", "2026-Q1", "2026-Q2"]
    assert _table(quarters.by_action) == {
        "hide": [0, 3, 1],
        "restore": [0, 0, 1],
        "remove": [0, 1, 0],
        "suspend": [1, 0, 0],
    }
    years = _report(YEAR)
    assert [p.key for p in years.periods] == ["2025", "2026"]
    assert years.decisions.counts == [1, 6]
    assert _table(years.by_source)["notice"] == [0, 3]
    assert _table(years.by_action)["suspend"] == [1, 0]


def test_median_time_from_first_notice_to_decision_odd_and_even():
    history()
    months = _report(MONTH)
    # January: d7 waited 1 h 10 min, d1 3 h 20 min (from its first notice, not the second):
    # an even count, so the mean of the two middle values, 2 h 15 min.
    assert months.median_seconds == [None, 8100, 5400, None, None]
    # Over the whole range: 1 h 10, 1 h 30, 3 h 20, an odd count.
    assert months.median_seconds_total == 5400
    quarters = _report(QUARTER)
    assert quarters.median_seconds == [None, 5400, None]


def test_notices_appeals_and_automation():
    history()
    report = _report(MONTH)
    assert _table(report.notices) == {
        "received": [1, 3, 0, 1, 1],
        "acted": [1, 3, 0, 0, 0],
        "rejected": [0, 0, 0, 1, 0],
        "open": [0, 0, 0, 0, 1],
    }
    # Received in the period of the appeal; outcome in the period it was decided.
    assert _table(report.appeals) == {
        "received": [0, 0, 1, 1, 1],
        "upheld": [0, 0, 0, 1, 0],
        "reversed": [0, 0, 0, 0, 1],
    }
    assert _table(report.automation) == {
        "automated": [0, 0, 0, 1, 1],
        "detected": [0, 0, 0, 0, 1],
        "decided": [0, 0, 0, 1, 1],
    }
    assert report.automated_share == pytest.approx(2 / 7)


def test_a_range_without_decisions_has_zeros_and_no_median():
    history()
    report = _report(MONTH, date(2024, 1, 1), date(2024, 3, 31))
    assert report.decisions.counts == [0, 0, 0]
    assert report.by_action == []
    assert _table(report.by_source)["notice"] == [0, 0, 0]
    assert report.median_seconds == [None, None, None]
    assert report.median_seconds_total is None
    assert report.automated_share is None


@pytest.mark.parametrize(
    ("seconds", "expected"),
    [
        (None, "\N{EN DASH}"),
        (20, "under a minute"),
        (12000, "3 h 20 min"),
        (7200, "2 h"),
        (600, "10 min"),
        (30 * 3600, "30 h"),
        (3 * 86400 + 4 * 3600, "3 d 4 h"),
        (2 * 86400, "2 d"),
    ],
)
def test_duration_label(seconds, expected):
    assert duration_label(seconds) == expected
