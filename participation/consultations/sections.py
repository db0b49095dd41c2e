"""What the consultation page shows and edits of the things people contribute to it.

The page is the base of participation: it knows its own fields, phases and visibility and
none of the contribution kinds. Each kind (and the results) adds here, from its
`AppConfig.ready()`, what the page shows of it and what the page editor edits of it:

- a section: a template the page includes in one of its slots, with what it adds to the
  page's context (`page_section_register`);
- an editor panel: a Wagtail panel in the editor's content tab, between the phases and the
  results (`editor_panel_register`);
- an editor check: asked by the editor's form after its own checks; it raises
  ValidationError to refuse the edit (`editor_check_register`).

A section that names an `embed` part is shown, with the same template, by the page's embed
view too (a compact page other websites may frame); the part is what `?abschnitt=` picks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

LEAD = "lead"  # before the page's own text (the results, once the consultation is finished)
MAIN = "main"  # after "Take part" (polls, draft text, discussion, proposals)
SLOTS = (LEAD, MAIN)


@dataclass(frozen=True)
class PageSection:
    name: str
    template: str  # included with the page's whole context
    slot: str
    position: int  # the order within the slot
    # What the section adds to the page's context; None for a template that needs only the
    # page (or asks for what it shows through a template tag of its own).
    context: Callable[[HttpRequest, Any], dict] | None = None
    # The section's name in the embed view's address (`?abschnitt=diskussion`); empty:
    # the embed view leaves it out.
    embed: str = ""


_sections: dict[str, PageSection] = {}
_editor_panels: list[Any] = []
_editor_checks: list[Callable[[Any], None]] = []


def page_section_register(section: PageSection) -> None:
    if section.slot not in SLOTS:
        raise ValueError(f"Unknown slot of the consultation page: {section.slot!r}")
    _sections[section.name] = section


def page_sections() -> dict[str, list[PageSection]]:
    """Every slot's sections, in their order."""
    return {
        slot: sorted(
            (section for section in _sections.values() if section.slot == slot),
            key=lambda section: section.position,
        )
        for slot in SLOTS
    }


def page_sections_context(request: HttpRequest, page, *, only: set[str] | None = None) -> dict:
    """What the sections add to the page's context, in the order they were registered
    (INSTALLED_APPS): the discussion's first, which notes the live event the page resumes
    from after reading its thread, then the polls', read after it, so a vote counted in
    between still reaches the page live. `only`: the names of the sections to prepare
    (the embed view's); all if None."""
    context: dict = {"page_sections": page_sections()}
    for section in _sections.values():
        if section.context is not None and (only is None or section.name in only):
            context.update(section.context(request, page))
    return context


def embed_sections(part: str = "") -> list[PageSection]:
    """The sections the embed view shows, in the page's order: those with an embed part,
    or only the one named `part`."""
    return [
        section
        for slot in SLOTS
        for section in page_sections()[slot]
        if section.embed and (not part or section.embed == part)
    ]


def embed_parts() -> list[str]:
    """The values `?abschnitt=` accepts, in the page's order."""
    return [section.embed for section in embed_sections()]


def editor_panel_register(panel) -> None:
    """A panel in the page editor's content tab (the page's polls). Wagtail reads the
    panels when it first builds the editor, after every app is ready."""
    _editor_panels.append(panel)


def editor_panels() -> list:
    return list(_editor_panels)


def editor_check_register(check: Callable[[Any], None]) -> None:
    """`check(form)` is asked when the page editor's form is cleaned, after the page's own
    checks, with the form and its formsets (`form.formsets["polls"]`) cleaned."""
    _editor_checks.append(check)


def editor_checks_run(form) -> None:
    for check in _editor_checks:
        check(form)
