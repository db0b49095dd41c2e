"""The public moderation log and the transparency report in a browser: zero axe-core
violations in German and English, with the demo moderation history on them, also with a
filter error shown; and a screenshot of the report to look at."""

from __future__ import annotations

import csv
import io
import re
import urllib.request

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.support import axe_violations, format_violations

pytestmark = pytest.mark.e2e

PAGES = [
    "/moderation/protokoll/",
    "/moderation/transparenzbericht/",
    "/moderation/transparenzbericht/?period=month",
    "/moderation/protokoll/?period=foo",
    "/moderation/transparenzbericht/?from=2026-13-40",
    "/en/moderation/protokoll/",
    "/en/moderation/transparenzbericht/",
    "/en/moderation/protokoll/?action=hide",
]


@pytest.mark.parametrize("path", PAGES)
def test_transparency_pages_have_no_axe_violations(axe_page: Page, path: str) -> None:
    response = axe_page.goto(path)
    assert response is not None and response.status == 200, path
    expect(axe_page.locator("html")).to_have_attribute(
        "lang", "en" if path.startswith("/en/") else "de"
    )
    if "protokoll" in path and "period=foo" not in path:
        # The demo history is on the page (not an empty page that passes trivially).
        expect(axe_page.locator("li.log-entry").first).to_be_visible()
    if "=foo" in path or "13-40" in path:
        expect(axe_page.locator(".form-errors")).to_be_visible()

    violations = axe_violations(axe_page)

    assert not violations, f"axe-core on {path}:\n{format_violations(violations)}"


def test_footer_leads_to_the_report_and_the_log(page: Page) -> None:
    page.goto("/en/")
    page.locator(".site-footer").get_by_role("link", name="Transparency report").click()
    expect(page).to_have_url(re.compile(r"/en/moderation/transparenzbericht/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Transparency report")
    page.locator(".site-footer").get_by_role("link", name="Moderation log").click()
    expect(page).to_have_url(re.compile(r"/en/moderation/protokoll/$"))
    expect(page.locator("li.log-entry").first).to_be_visible()


def test_report_counts_match_its_csv_and_a_screenshot(page: Page, server, artifacts_dir) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/en/moderation/transparenzbericht/?period=month")
    decisions = page.locator(".transparency-summary dd").first.inner_text()
    assert int(decisions) >= 5
    page.screenshot(path=str(artifacts_dir / "transparency_report.png"), full_page=True)
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(f"{server.base_url}/en/moderation/transparenzbericht.csv?period=month") as r:
        rows = list(csv.DictReader(io.StringIO(r.read().decode())))
    total = sum(int(row["count"]) for row in rows if row["dimension"] == "decisions")
    assert total == int(decisions)
    assert _totals_out_of_view(page) == []
    # Narrow screens: the tables scroll inside their region, the page does not; the label
    # and the total are still in view.
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto("/moderation/transparenzbericht/?period=month")
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 360
    assert _totals_out_of_view(page) == []
    page.screenshot(path=str(artifacts_dir / "transparency_report_narrow.png"), full_page=True)


def _totals_out_of_view(page: Page) -> list[str]:
    """The tables whose total column (head and every row) is not fully inside the visible
    part of their scrolling region before anyone scrolls it."""
    return page.evaluate(
        """() => [...document.querySelectorAll(".transparency-table__scroll")].filter((region) => {
            const box = region.getBoundingClientRect();
            const totals = region.querySelectorAll(".transparency-table__total");
            return totals.length === 0 || [...totals].some((cell) => {
                const r = cell.getBoundingClientRect();
                return r.left < box.left || r.right > box.right + 0.5;
            });
        }).map((region) => region.querySelector("table").id)"""
    )
