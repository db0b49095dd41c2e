"""The editors' journey in the page editor (issue 14): one editor of Musterstadt builds a
consultation with two phases, a draft text and a poll and submits it; a second editor opens
it in the page editor and presses "Freigeben und Veröffentlichen"; the consultation is then
live at its address with its poll, as citizens see it."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.e2e.support import SERVER_DATABASES
from tests.e2e.test_discussion import log_in

pytestmark = pytest.mark.e2e

FIRST_EDITOR = "redaktion@musterstadt.example"
SECOND_EDITOR = "freigabe@musterstadt.example"


def musterstadt_index_id(netloc: str) -> int:
    connection = sqlite3.connect(f"file:{SERVER_DATABASES[netloc]}?mode=ro", uri=True)
    try:
        row = connection.execute(
            "SELECT i.page_ptr_id FROM participation_consultations_consultationindexpage i"
            " JOIN cooperative_organisations_organisation o ON o.id = i.organisation_id"
            " WHERE o.slug = 'musterstadt'"
        ).fetchone()
    finally:
        connection.close()
    return row[0]


def page_row(netloc: str, page_id: int) -> tuple[int, str]:
    connection = sqlite3.connect(f"file:{SERVER_DATABASES[netloc]}?mode=ro", uri=True)
    try:
        return connection.execute(
            "SELECT live, url_path FROM wagtailcore_page WHERE id = ?", [page_id]
        ).fetchone()
    finally:
        connection.close()


def page_id_by_title(netloc: str, title: str) -> int:
    connection = sqlite3.connect(f"file:{SERVER_DATABASES[netloc]}?mode=ro", uri=True)
    try:
        return connection.execute(
            "SELECT id FROM wagtailcore_page WHERE title = ?", [title]
        ).fetchone()[0]
    finally:
        connection.close()


def admin_time(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M")


def fill_phase(page: Page, number: int, kind: str, start: datetime, end: datetime) -> None:
    page.locator(f"select[name='phases-{number}-kind']").select_option(kind)
    page.locator(f"input[name='phases-{number}-title']").fill(f"Phase {number + 1}")
    page.locator(f"input[name='phases-{number}-starts_at']").fill(admin_time(start))
    page.locator(f"input[name='phases-{number}-ends_at']").fill(admin_time(end))


def footer_action(page: Page, selector: str) -> None:
    """A button of the editor's action menu, behind its dropdown toggle."""
    page.locator("footer .dropdown-toggle, [data-w-dropdown-target='toggle']").last.click()
    page.locator(selector).first.click()


def test_a_consultation_with_poll_draft_text_and_phases_goes_live_on_approval_in_the_editor(
    new_context: Callable[..., BrowserContext], server
) -> None:
    now = datetime.now()
    title = f"Fahrradstraße Lindenstraße {now:%H%M%S}"
    editor = new_context().new_page()
    log_in(editor, FIRST_EDITOR)
    index_id = musterstadt_index_id(server.netloc)
    editor.goto(f"/admin/pages/add/participation_consultations/consultationpage/{index_id}/")
    editor.wait_for_load_state("networkidle")  # the StreamField's blocks are set up by script

    editor.locator("#id_title").fill(title)
    editor.locator("#id_summary").fill("Soll die Lindenstraße Fahrradstraße werden?")
    fill_phase(editor, 0, "participation", now - timedelta(days=1), now + timedelta(days=20))
    # The address follows the title while the editor types, umlauts spelled out.
    expect(editor.locator("#id_slug")).to_have_value(re.compile(r"^fahrradstrasse-lindenstrasse-"))
    editor.get_by_role("button", name=re.compile("Phase hinzufügen")).click()
    fill_phase(editor, 1, "evaluation", now + timedelta(days=20), now + timedelta(days=40))
    for action in ("comment", "vote"):
        box = editor.locator(f"input[name='phases-0-allows_{action}']")
        box.evaluate("box => box.checked = true")

    draft = editor.locator("[data-contentpath='draft_text']")
    draft.locator("button.c-sf-add-button").first.click()
    editor.get_by_role("option", name=re.compile("Absatz")).first.click()
    paragraph = draft.locator(".public-DraftEditor-content").first
    paragraph.click()
    paragraph.press_sequentially("Die Lindenstraße wird Fahrradstraße.", delay=10)
    # Draftail writes what was typed into the form a moment later (its save interval).
    expect(editor.locator("input[name='draft_text-0-value']")).to_have_value(
        re.compile("Die Lindenstra")
    )

    editor.get_by_role("button", name=re.compile("Umfrage hinzufügen")).click()
    editor.locator("[name='polls-0-question']").fill("Soll die Lindenstraße Fahrradstraße werden?")
    editor.locator("[name='polls-0-choices-0-text']").fill("Ja")
    editor.locator("[name='polls-0-choices-1-text']").fill("Nein")
    editor.locator("select[name='polls-0-results_visibility']").select_option("live")

    footer_action(editor, "button[name='action-submit']")
    expect(editor.locator(".messages")).to_contain_text(re.compile("Freigabe|eingereicht"))
    page_id = page_id_by_title(server.netloc, title)

    approver = new_context().new_page()
    log_in(approver, SECOND_EDITOR)
    approver.goto(f"/admin/pages/{page_id}/edit/")
    expect(approver.locator("#id_title")).to_have_value(title)
    # The second editor corrects an option first; the editor saves that on its own after
    # half a second (autosave), before the approval.
    approver.locator("[name='polls-0-choices-1-text']").fill("Nein, lieber nicht")
    approver.wait_for_timeout(2500)
    footer_action(
        approver,
        "button[data-workflow-action-name='approve']:not([data-workflow-action-modal-url])",
    )
    approver.wait_for_load_state("networkidle")

    live, url_path = page_row(server.netloc, page_id)
    assert live == 1, "approved in the editor, yet still a draft\n" + server.log_tail(80)
    public_path = "/" + url_path.strip("/").split("/", 1)[1] + "/"
    visitor = new_context().new_page()
    response = visitor.goto(public_path)
    assert response is not None and response.status == 200
    expect(visitor.locator("h1")).to_contain_text(title)
    poll = visitor.locator(".poll", has_text="Soll die Lindenstraße Fahrradstraße werden?")
    expect(poll.get_by_text("Nein, lieber nicht", exact=True).first).to_be_visible()
