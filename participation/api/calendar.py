"""iCalendar (.ics): each consultation's phases, and a platform calendar to subscribe to.

Extension point: other parts of the platform add events to the platform calendar through
the Wagtail hook `allmende_calendar_events` (the pattern of docs/architecture.md, so that
`cooperative/` never imports `participation/`). A hook function takes the request and
returns an iterable of `CalendarEvent`-shaped dicts:

    @hooks.register("allmende_calendar_events")
    def ballot_events(request):
        return [{"uid": "ballot-7@allmende", "summary": "...", "starts_at": ...,
                 "ends_at": ..., "url": "https://...", "description": "..."}]

(The cooperative's ballots will register theirs; nothing here imports them.)
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import TypedDict

from django.conf import settings
from django.http import Http404, HttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from icalendar import Calendar, Event
from wagtail import hooks

from participation.api import selectors

CALENDAR_HOOK = "allmende_calendar_events"


class CalendarEvent(TypedDict, total=False):
    uid: str
    summary: str
    starts_at: datetime
    ends_at: datetime
    url: str
    description: str


def phase_events(request, page) -> list[CalendarEvent]:
    with translation.override(settings.LANGUAGE_CODE):
        url = request.build_absolute_uri(page.get_url(request))
    return [
        {
            "uid": f"phase-{phase.pk}@allmende",
            "summary": f"{page.title}: {phase.display_title}",
            "starts_at": phase.starts_at,
            "ends_at": phase.ends_at,
            "url": url,
            "description": phase.description or page.summary,
        }
        for phase in page.phases.all()
    ]


def calendar_ics(name: str, events: Iterable[CalendarEvent]) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Allmende//Beteiligung//DE")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    stamp = timezone.now().astimezone(UTC)
    for item in events:
        event = Event()
        event.add("uid", item["uid"])
        event.add("dtstamp", stamp)
        event.add("summary", item["summary"])
        event.add("dtstart", item["starts_at"].astimezone(UTC))
        event.add("dtend", item["ends_at"].astimezone(UTC))
        if item.get("url"):
            event.add("url", item["url"])
        if item.get("description"):
            event.add("description", item["description"])
        calendar.add_component(event)
    return calendar.to_ical()


def _ics_response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "public, max-age=300"
    return response


@require_GET
def consultation_calendar(request, consultation_id: int):
    page = selectors.public_consultation(consultation_id)
    if page is None:
        raise Http404
    body = calendar_ics(page.title, phase_events(request, page))
    return _ics_response(body, f"beteiligung-{page.pk}.ics")


@require_GET
def platform_calendar(request):
    events: list[CalendarEvent] = []
    for page in selectors.public_consultations():
        events.extend(phase_events(request, page))
    for hook in hooks.get_hooks(CALENDAR_HOOK):
        events.extend(hook(request))
    return _ics_response(calendar_ics(_("Allmende: dates"), events), "allmende.ics")
