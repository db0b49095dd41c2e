"""Polls in real browsers: a vote counts, another reader sees the live result, it works
without JavaScript, and the poll with its form and chart has no axe violations."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.e2e.support import Traffic, axe_violations, format_violations
from tests.e2e.test_discussion import log_in

pytestmark = pytest.mark.e2e

LIVE_POLL_PAGE = "/beispielkreis/nahverkehrsplan/"  # "Wo brauchen Sie bessere Busverbindungen?"
POLLS_PAGE = "/musterstadt/radverkehr-2030/"  # single choice (live), ranking, rating


def poll(page: Page, question: str):
    return page.locator("article.poll").filter(has=page.get_by_role("heading", name=question))


def count_in_table(article, option: str):
    return article.locator("table tbody tr").filter(has_text=option).locator("td").first


def test_a_vote_counts_and_another_reader_sees_the_result_live(
    new_context: Callable[..., BrowserContext],
) -> None:
    question = "Wo brauchen Sie bessere Busverbindungen?"
    reader = new_context().new_page()
    reader.goto(LIVE_POLL_PAGE)
    expect(count_in_table(poll(reader, question), "Zu den Gewerbegebieten")).to_have_text("0")

    voter = new_context().new_page()
    log_in(voter, "buergerin@example.org")
    voter.goto(LIVE_POLL_PAGE)
    article = poll(voter, question)
    for box in article.locator("input[name=choices]:checked").all():
        box.uncheck()
    article.get_by_role("checkbox", name="Zu den Gewerbegebieten").check()
    article.get_by_role("button", name=re.compile("Abstimmen|Stimme ändern")).click()

    expect(poll(voter, question).get_by_role("status")).to_contain_text("Ihre Stimme wurde")
    expect(count_in_table(poll(reader, question), "Zu den Gewerbegebieten")).to_have_text(
        "1", timeout=3_000
    )


def test_voting_works_without_javascript(
    new_context: Callable[..., BrowserContext], traffic: Traffic
) -> None:
    page = new_context(java_script_enabled=False).new_page()
    log_in(page, "vorstand@allmende.example")
    page.goto(POLLS_PAGE)
    ranking = poll(page, "Welche Ziele sind Ihnen am wichtigsten?")
    ranking.get_by_role("combobox", name="Sicherheit").select_option("1")
    ranking.get_by_role("combobox", name="Schnelle Verbindungen").select_option("1")
    ranking.get_by_role("combobox", name="Weniger Autoverkehr").select_option("2")
    ranking.get_by_role("button", name=re.compile("Abstimmen|Stimme ändern")).click()

    # Two first places: refused with a message, the places kept.
    expect(page.get_by_role("alert")).to_contain_text("genau einmal")
    ranking = poll(page, "Welche Ziele sind Ihnen am wichtigsten?")
    expect(ranking.get_by_role("combobox", name="Weniger Autoverkehr")).to_have_value("2")
    ranking.get_by_role("combobox", name="Schnelle Verbindungen").select_option("3")
    ranking.get_by_role("button", name=re.compile("Abstimmen|Stimme ändern")).click()

    expect(page).to_have_url(re.compile(r"#poll-\d+$"))
    expect(page.locator(".message--success")).to_have_text(
        re.compile("Ihre Stimme wurde (gezählt|geändert).")
    )
    # Results after voting: the table lists the ranking.
    ranking = poll(page, "Welche Ziele sind Ihnen am wichtigsten?")
    expect(ranking.locator("table")).to_be_visible()
    traffic.console_errors[:] = [e for e in traffic.console_errors if "status of 422" not in e]


def test_polls_with_forms_and_charts_have_no_axe_violations(
    new_context: Callable[..., BrowserContext],
) -> None:
    page = new_context(bypass_csp=True).new_page()
    log_in(page, "buergerin@example.org")
    for path in (POLLS_PAGE, f"/en{POLLS_PAGE}", "/musterstadt/spielplatz-lindenpark/"):
        page.goto(path)
        expect(page.locator("#polls")).to_be_visible()
        violations = axe_violations(page)
        assert not violations, f"axe-core on {path}:\n{format_violations(violations)}"


def test_the_results_page_reads_without_javascript_and_has_no_axe_violations(
    new_context: Callable[..., BrowserContext],
) -> None:
    page = new_context(bypass_csp=True, java_script_enabled=False).new_page()
    for prefix, link in (("", "Alle Ergebnisse"), ("/en", "All results")):
        page.goto(f"{prefix}/musterstadt/spielplatz-lindenpark/")
        page.get_by_role("link", name=re.compile(link)).click()
        expect(page.get_by_role("heading", level=1)).to_contain_text(
            "Ergebnisse" if not prefix else "Results"
        )
        table = page.locator("article.poll table").first
        expect(table.locator("tbody tr").first).to_be_visible()
        with page.expect_download() as download:
            page.get_by_role("link", name="CSV").click()
        assert download.value.suggested_filename.endswith(".csv")
    axe = new_context(bypass_csp=True).new_page()
    for prefix in ("", "/en"):
        axe.goto(f"{prefix}/musterstadt/spielplatz-lindenpark/")
        axe.locator(".results a").first.click()
        violations = axe_violations(axe)
        assert not violations, f"axe-core on {axe.url}:\n{format_violations(violations)}"


def test_a_phone_reads_every_option_and_the_results_at_full_size(
    new_context: Callable[..., BrowserContext], artifacts_dir: Path
) -> None:
    """360 px: anonymous readers see every poll's options; chart labels keep the page's
    font size; table cells break words only at a hyphen; nothing widens the page."""
    page = new_context(viewport={"width": 360, "height": 800}).new_page()
    page.goto(POLLS_PAGE)
    ranking = poll(page, "Welche Ziele sind Ihnen am wichtigsten?")
    expect(ranking.locator(".poll__options--readonly li")).to_have_count(3)
    expect(ranking.locator(".poll__options--readonly")).to_contain_text("Sicherheit")
    expect(ranking.get_by_role("link", name="Melden Sie sich an")).to_have_attribute(
        "href", re.compile(r"\?next=.*%23poll-\d+$")
    )
    expect(page.locator(".poll a", has_text=re.compile(r"^Melden$"))).to_have_count(0)
    chart = page.locator(".poll-chart").first
    chart.scroll_into_view_if_needed()
    sizes = chart.locator(".poll-chart__label, .poll-chart__value").evaluate_all(
        "els => els.map(e => parseFloat(getComputedStyle(e).fontSize))"
    )
    assert sizes and min(sizes) >= 14, sizes
    wrapping = chart.locator(".poll-table th").first.evaluate(
        "e => [getComputedStyle(e).overflowWrap, getComputedStyle(e).wordBreak,"
        " getComputedStyle(e).hyphens]"
    )
    assert wrapping == ["normal", "normal", "auto"], wrapping
    assert page.evaluate("document.documentElement.lang") == "de"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path=artifacts_dir / "polls-360.png", full_page=True)


def test_the_voter_sees_the_own_answer_marked_in_the_results(
    new_context: Callable[..., BrowserContext], artifacts_dir: Path
) -> None:
    question = "Welche Maßnahme soll die Stadt zuerst umsetzen?"  # results live
    voter = new_context(viewport={"width": 360, "height": 800}).new_page()
    log_in(voter, "buergerin@example.org")
    voter.goto(POLLS_PAGE)
    article = poll(voter, question)
    article.get_by_role("radio", name="Fahrradstraße durch die Altstadt").check()
    article.get_by_role("button", name=re.compile("Abstimmen|Stimme ändern")).click()
    expect(poll(voter, question).get_by_role("status")).to_contain_text("Ihre Stimme wurde")
    own_row = poll(voter, question).locator(".poll-chart__row", has_text="Fahrradstraße")
    expect(own_row.locator(".poll-own__mark")).to_have_text("Ihre Wahl")

    ranking = poll(voter, "Welche Ziele sind Ihnen am wichtigsten?")
    for place, option in enumerate(("Sicherheit", "Weniger Autoverkehr", "Schnelle Verbindungen")):
        ranking.get_by_role("combobox", name=option).select_option(str(place + 1))
    ranking.get_by_role("button", name=re.compile("Abstimmen|Stimme ändern")).click()
    ranking = poll(voter, "Welche Ziele sind Ihnen am wichtigsten?")
    expect(ranking.locator(".poll-chart__method")).to_contain_text("Borda-Zählung")
    expect(ranking.locator(".poll-chart__row", has_text="Sicherheit")).to_contain_text(
        "Ihr Platz: 1"
    )
    ranking.scroll_into_view_if_needed()
    voter.screenshot(path=artifacts_dir / "polls-360-voter.png", full_page=True)
