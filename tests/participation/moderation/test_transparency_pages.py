"""The public moderation log and the transparency report page with its CSV: what a reader
sees, that no personal data appears, that bad filter input is reported on a working page,
and that the log's queries do not grow with the number of decisions."""

from __future__ import annotations

import csv
import io

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone

from tests.participation.moderation.transparency_data import (
    APPELLANT_TEXT,
    AUTHOR_NAME,
    COMMENT_TEXT,
    CONSULTATION_TITLE,
    FACTS,
    MODERATOR_NAME,
    REPORTER_EMAIL,
    REPORTER_NAME,
    berlin,
    history,
    make_decision,
)

pytestmark = pytest.mark.django_db

LOG = reverse("moderation_log")
REPORT = reverse("moderation_transparency_report")
REPORT_CSV = reverse("moderation_transparency_report_csv")
RANGE = {"period": "month", "from": "2025-12-01", "to": "2026-04-30"}
PERSONAL = [AUTHOR_NAME, REPORTER_NAME, REPORTER_EMAIL, MODERATOR_NAME, COMMENT_TEXT, FACTS]


def _soup(response) -> BeautifulSoup:
    assert response.status_code == 200
    return BeautifulSoup(response.content.decode(), "html.parser")


def _entries(soup) -> list:
    return soup.select("ol.log-list > li.log-entry")


def _facts(entry) -> dict[str, str]:
    return {
        dt.get_text(strip=True): dt.find_next_sibling("dd").get_text(" ", strip=True)
        for dt in entry.select("dt")
    }


def _errors(soup) -> str:
    box = soup.select_one(".form-errors")
    return box.get_text(" ", strip=True) if box else ""


# --- the log


def test_log_lists_decisions_newest_first_with_what_may_be_published(client):
    h = history()
    soup = _soup(client.get(LOG))
    entries = _entries(soup)
    assert len(entries) == 7
    dates = [entry.select_one("time")["datetime"] for entry in entries]
    assert dates == sorted(dates, reverse=True)

    newest = entries[0]  # d5: the restore on appeal
    assert newest["id"] == f"entscheidung-{h.decisions['d5'].puid}"
    d1 = soup.select_one(f"#entscheidung-{h.decisions['d1'].puid}")
    consultation_link = d1.find("a", string=CONSULTATION_TITLE)
    assert consultation_link is not None
    assert consultation_link["href"] == h.page.url
    ground_link = d1.find("a", href=h.version.get_absolute_url())
    assert ground_link is not None
    assert "2. Klauseltext" in d1.get_text()
    record = d1.find("a", href=reverse("moderation_decision_json", args=[h.decisions["d1"].puid]))
    assert record is not None


def test_log_in_english_names_action_source_appeal_and_automation(client):
    h = history()
    soup = _soup(client.get("/en" + LOG))
    assert soup.html["lang"] == "en"
    d1 = _facts(soup.select_one(f"#entscheidung-{h.decisions['d1'].puid}"))
    assert d1["Source"] == "Notice (Art. 16 DSA)"
    assert d1["Appeal"] == "reversed"
    assert d1["Automated"] == "no"
    assert d1["Consultation"] == CONSULTATION_TITLE
    d2 = _facts(soup.select_one(f"#entscheidung-{h.decisions['d2'].puid}"))
    assert d2["Ground"] == "§ 130 StGB: incitement to hatred (Volksverhetzung)"
    assert d2["Appeal"] == "appealed, the decision stands or is being reviewed"
    d4 = _facts(soup.select_one(f"#entscheidung-{h.decisions['d4'].puid}"))
    assert d4["Automated"] == "yes: detected automatically, Fully automated"
    assert d4["Source"] == "Automated detection"
    d6 = _facts(soup.select_one(f"#entscheidung-{h.decisions['d6'].puid}"))
    assert d6["Appeal"] == "not appealed"
    title = soup.select_one(f"#entscheidung-{h.decisions['d6'].puid} h3").get_text(" ", strip=True)
    assert "Suspend user" in title and "(Comment)" in title


def test_no_personal_data_in_the_log_the_report_or_the_csv(client):
    history()
    pages = {
        "log": client.get(LOG).content.decode(),
        "log en": client.get("/en" + LOG).content.decode(),
        "report": client.get(REPORT, RANGE).content.decode(),
        "csv": client.get(REPORT_CSV, RANGE).content.decode(),
    }
    for name, text in pages.items():
        assert "Zaunk" not in text, name  # the author's display name, also in the facts
        for value in [*PERSONAL, APPELLANT_TEXT]:
            assert value not in text, (name, value)


def test_a_consultation_that_is_not_public_is_not_named(client):
    h = history()
    h.page.unpublish()
    soup = _soup(client.get("/en" + LOG))
    assert CONSULTATION_TITLE not in soup.get_text()
    facts = _facts(soup.select_one(f"#entscheidung-{h.decisions['d1'].puid}"))
    assert facts["Consultation"] == "outside a public consultation"
    # ... nor offered as a filter.
    assert not soup.select_one("#id_consultation").find("option", string=CONSULTATION_TITLE)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"action": "hide"}, {"d7", "d1", "d3", "d4"}),
        ({"source": "own_initiative"}, {"d6", "d3"}),
        ({"ground": "legal:stgb_130"}, {"d2"}),
        ({"ground": "legal"}, {"d2"}),
        ({"ground": "rule:netiquette"}, {"d6", "d7", "d1", "d3", "d4"}),
        ({"ground": "none"}, {"d5"}),
        ({"period": "2026-01"}, {"d7", "d1"}),
        ({"period": "2026-Q1"}, {"d7", "d1", "d2", "d3"}),
        ({"period": "2025"}, {"d6"}),
        ({"from": "2026-02-01", "to": "2026-03-31"}, {"d2", "d3"}),
        ({"period": "2026-Q1", "from": "2026-02-01"}, {"d2", "d3"}),
        ({"action": "hide", "period": "2026-Q2"}, {"d4"}),
    ],
)
def test_log_filters(client, query, expected):
    h = history()
    by_id = {f"entscheidung-{d.puid}": name for name, d in h.decisions.items()}
    soup = _soup(client.get(LOG, query))
    assert {by_id[entry["id"]] for entry in _entries(soup)} == expected
    assert not _errors(soup)


def test_log_filter_by_consultation(client):
    h = history()
    soup = _soup(client.get(LOG, {"consultation": str(h.page.pk)}))
    assert len(_entries(soup)) == 7
    option = soup.select_one("#id_consultation").find("option", string=CONSULTATION_TITLE)
    assert option["value"] == str(h.page.pk)
    soup = _soup(client.get("/en" + LOG, {"consultation": "999999"}))
    assert "Select a valid choice. 999999 is not one of the available choices." in _errors(soup)
    assert len(_entries(soup)) == 7  # the bad filter is left out, not applied


@pytest.mark.parametrize(
    ("query", "message", "count"),
    [
        ({"period": "foo"}, "“foo” is not a period", 7),
        ({"period": "2026-13"}, "“2026-13” is not a period", 7),
        ({"from": "2026-13-40"}, "Enter a date as year-month-day", 7),
        ({"to": "gestern", "action": "hide"}, "Enter a date as year-month-day", 4),
        ({"action": "explode"}, "Select a valid choice", 7),
        ({"from": "2026-03-01", "to": "2026-01-31"}, "The start date is after the end date.", 7),
        ({"page": "abc"}, "", 7),
    ],
)
def test_bad_log_filters_are_reported_on_a_working_page(client, query, message, count):
    history()
    response = client.get("/en" + LOG, query)
    soup = _soup(response)
    if message:
        assert message in _errors(soup)
        assert soup.select_one(".form-errors")["role"] == "alert"
    assert len(_entries(soup)) == count


def test_log_is_paginated(client):
    h = history()
    for index in range(30):
        make_decision(h.comment, berlin(2025, 6, 1, 12, index), version=h.version)
    first = _soup(client.get(LOG))
    assert len(_entries(first)) == 25
    second = _soup(client.get(LOG, {"page": "2"}))
    assert len(_entries(second)) == 12
    assert second.select_one(".pagination a[rel=prev]") is not None


def test_log_with_a_filter_keeps_it_in_the_pagination(client):
    h = history()
    for index in range(30):
        make_decision(h.comment, berlin(2025, 6, 1, 12, index), version=h.version)
    soup = _soup(client.get(LOG, {"action": "hide"}))
    assert soup.select_one(".pagination a[rel=next]")["href"] == "?action=hide&page=2"


def test_log_queries_do_not_grow_with_the_decisions(client, django_assert_max_num_queries):
    h = history()
    client.get(LOG)  # warm the content type cache

    with django_assert_max_num_queries(12) as few:
        client.get(LOG)
    for index in range(20):
        make_decision(h.comment, berlin(2025, 6, 1, 12, index), version=h.version)
        make_decision(h.comment, berlin(2025, 7, 1, 12, index), legal_ground="stgb_185", clause="")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(LOG)
    assert len(_entries(_soup(response))) == 25


def test_empty_log(client):
    soup = _soup(client.get("/en" + LOG))
    assert "No moderation decisions have been taken yet." in soup.get_text()


# --- the report


def _page_tables(soup) -> dict[str, dict[str, list[str]]]:
    """{table id: {row header: [cells]}} from the report page."""
    tables = {}
    for table in soup.select("table.transparency-table"):
        rows = {}
        for tr in table.select("tbody tr"):
            header = tr.find("th")
            if header is None:
                continue
            # A linked count carries a visually hidden explanation; the figure is first.
            rows[header.get_text(strip=True)] = [
                next(td.stripped_strings, "") for td in tr.find_all("td")
            ]
        tables[table["id"]] = rows
    return tables


def test_report_tables_per_month(client):
    h = history()
    soup = _soup(client.get("/en" + REPORT, RANGE))
    assert not _errors(soup)
    tables = _page_tables(soup)
    headers = [th.get_text(strip=True) for th in soup.select("#table-action thead th")]
    # The total right after the label: seen without scrolling through the periods.
    assert headers == [
        "Action",
        "Total",
        "December 2025",
        "January 2026",
        "February 2026",
        "March 2026",
        "April 2026",
    ]
    assert tables["table-action"]["Hide"] == ["4", "0", "2", "0", "1", "1"]
    assert tables["table-action"]["Suspend user"] == ["1", "1", "0", "0", "0", "0"]
    assert tables["table-source"]["Own initiative"] == ["2", "1", "0", "0", "1", "0"]
    label = f"Netiquette, version {h.version.number}, clause 2"
    assert tables["table-ground"][label] == ["3", "0", "2", "0", "0", "1"]
    assert tables["table-appeals"]["Justified: the decision was reversed"] == [
        "1",
        "0",
        "0",
        "0",
        "0",
        "1",
    ]
    dash = "\N{EN DASH}"
    assert tables["table-median"]["Median time to decision"] == [
        "1 h 30 min",
        dash,
        "2 h 15 min",
        "1 h 30 min",
        dash,
        dash,
    ]
    no_median = soup.select("#table-median td")[1]
    assert no_median.get_text(" ", strip=True) == f"{dash} no decision on a notice"
    # Tables are described for assistive technology.
    for table in soup.select("table.transparency-table"):
        assert table.caption.get_text(strip=True)
        assert all(th.get("scope") in {"col", "row"} for th in table.select("th"))
        # Every table's total is its second column, in the head and in every row.
        assert "transparency-table__total" in table.select("thead th")[1].get("class", [])
        for tr in table.select("tbody tr"):
            if tr.th is not None:
                assert "transparency-table__total" in tr.find("td").get("class", [])
    # A count links to the decisions it counts.
    link = soup.select_one("#table-action a[href*='action=suspend']")
    assert link["href"] == f"{reverse('moderation_log')}?period=2025-12&action=suspend"
    summary = {
        dt.get_text(strip=True): dt.find_next_sibling("dd").get_text(strip=True)
        for dt in soup.select(".transparency-summary dt")
    }
    assert summary["Moderation decisions"] == "7"
    assert summary["Median time from notice to decision"] == "1 h 30 min"
    assert summary["Decisions reversed on appeal"] == "1"
    assert summary["Share detected or decided automatically"] == "29 %"


def test_report_chart_has_a_text_alternative(client):
    history()
    soup = _soup(client.get("/en" + REPORT, RANGE))
    chart = soup.select_one("section[aria-labelledby=transparency-actions] [role=img]")
    described_by = [soup.find(id=part) for part in chart["aria-labelledby"].split()]
    assert all(described_by)
    assert "Hide: 4" in " ".join(part.get_text() for part in described_by)


def test_csv_parses_and_matches_the_page(client):
    history()
    page = _page_tables(_soup(client.get("/en" + REPORT, RANGE)))
    response = client.get("/en" + REPORT_CSV, RANGE)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert {row["period"] for row in rows} == {
        "2025-12",
        "2026-01",
        "2026-02",
        "2026-03",
        "2026-04",
    }
    jan_hide = [r for r in rows if r["period"] == "2026-01" and r["value"] == "hide"]
    assert jan_hide == [
        {
            "period": "2026-01",
            "period_start": "2026-01-01",
            "period_end": "2026-01-31",
            "dimension": "action",
            "value": "hide",
            "label": "Hide",
            "count": "2",
        }
    ]
    order = ["2025-12", "2026-01", "2026-02", "2026-03", "2026-04"]
    tables = {
        "action": "table-action",
        "ground": "table-ground",
        "source": "table-source",
        "automation": "table-automation",
        "notices": "table-notices",
        "appeals": "table-appeals",
    }
    compared = 0
    for dimension, table_id in tables.items():
        by_label: dict[str, list[str]] = {}
        for row in rows:
            if row["dimension"] == dimension:
                by_label.setdefault(row["label"], ["0"] * 5)[order.index(row["period"])] = row[
                    "count"
                ]
        page_rows = {label: cells[1:] for label, cells in page[table_id].items()}
        assert by_label == page_rows, dimension
        compared += len(by_label)
    assert compared >= 20
    medians = {
        row["period"]: row["count"] for row in rows if row["dimension"] == "time_to_decision"
    }
    assert medians == {
        "2025-12": "",
        "2026-01": "8100",
        "2026-02": "5400",
        "2026-03": "",
        "2026-04": "",
    }
    decisions = [row["count"] for row in rows if row["dimension"] == "decisions"]
    assert decisions == ["1", "2", "1", "1", "2"]
    # The same figures through ?format=csv.
    alias = client.get("/en" + REPORT, {**RANGE, "format": "csv"})
    assert alias.content == response.content


@pytest.mark.parametrize(
    ("query", "message", "periods"),
    [
        ({"period": "foo"}, "Choose month, quarter or year (“foo” is none of them).", 8),
        ({"from": "2026-13-40"}, "Enter a date as year-month-day, e.g. 2026-03-31.", 8),
        ({"to": "31.03.2026"}, "Enter a date as year-month-day, e.g. 2026-03-31.", 8),
        ({"from": "2026-05-01", "to": "2026-01-01"}, "The start date is after the end date.", 8),
        ({"period": "month", "from": "1900-01-01"}, "At most 120 periods fit in one report", 12),
        ({"period": "year", "to": "2026-13-01"}, "Enter a date as year-month-day", 5),
    ],
)
def test_bad_report_input_is_reported_on_a_working_page(client, query, message, periods):
    history()
    soup = _soup(client.get("/en" + REPORT, query))
    assert message in _errors(soup)
    # The defaults stand in for what could not be used: the last few periods.
    headers = [th.get_text(strip=True) for th in soup.select("#table-source thead th")]
    assert len(headers) == 2 + periods
    csv_response = client.get("/en" + REPORT_CSV, query)
    assert csv_response.status_code == 200


def test_report_defaults_to_the_last_eight_quarters(client):
    history()
    soup = _soup(client.get("/en" + REPORT))
    headers = [th.get_text(strip=True) for th in soup.select("#table-source thead th")]
    today = timezone.localdate()
    quarter = (today.month - 1) // 3 + 1
    assert len(headers) == 10
    assert headers[1] == "Total"
    assert headers[-1] == f"Q{quarter} {today.year}"
