"""schema.org JSON-LD for public pages: GovernmentOrganization for an organisation, Event
for each phase of a consultation, DiscussionForumPosting / Comment for contributions."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation

KIND_TYPES = {
    "administration": "GovernmentOrganization",
    "municipality": "GovernmentOrganization",
    "party": "PoliticalParty",
    "association": "Organization",
    "initiative": "Organization",
}


def _url(request, page) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return request.build_absolute_uri(page.get_url(request))


def organisation_ld(request, organisation, index_page) -> dict:
    data = {
        "@context": "https://schema.org",
        "@type": KIND_TYPES.get(organisation.kind, "Organization"),
        "@id": f"{_url(request, index_page)}#organisation",
        "name": organisation.name,
        "url": _url(request, index_page),
    }
    if organisation.description:
        data["description"] = organisation.description
    if organisation.website:
        data["sameAs"] = organisation.website
    return data


def _person(comment) -> dict:
    if comment.is_official and comment.organisation:
        return {"@type": "GovernmentOrganization", "name": comment.organisation.name}
    name = comment.author.display_name if comment.author else ""
    return {"@type": "Person", "name": name}


def comment_ld(page_url: str, comment, *, top: bool) -> dict:
    data = {
        "@type": "DiscussionForumPosting" if top else "Comment",
        "@id": f"{page_url}#comment-{comment.pk}",
        "url": f"{page_url}#comment-{comment.pk}",
        "text": comment.body,
        "author": _person(comment),
        "datePublished": comment.created_at.isoformat(),
    }
    if comment.edited_at:
        data["dateModified"] = comment.edited_at.isoformat()
    return data


def consultation_ld(request, page, *, phases, comments=()) -> list[dict]:
    url = _url(request, page)
    organisation = page.organisation
    organiser = None
    if organisation is not None:
        organiser = {
            "@type": KIND_TYPES.get(organisation.kind, "Organization"),
            "name": organisation.name,
        }
    graph: list[dict] = []
    for phase in phases:
        event = {
            "@context": "https://schema.org",
            "@type": "Event",
            "@id": f"{url}#phase-{phase.pk}",
            "name": f"{page.title}: {phase.display_title}",
            "startDate": phase.starts_at.isoformat(),
            "endDate": phase.ends_at.isoformat(),
            "eventAttendanceMode": "https://schema.org/OnlineEventAttendanceMode",
            "eventStatus": "https://schema.org/EventScheduled",
            "location": {"@type": "VirtualLocation", "url": url},
            "url": url,
            "description": phase.description or page.summary,
        }
        if organiser:
            event["organizer"] = organiser
        graph.append(event)
    for comment in comments:
        if comment.status != "published":
            continue
        item = {"@context": "https://schema.org", **comment_ld(url, comment, top=True)}
        replies = [
            comment_ld(url, reply, top=False)
            for reply in getattr(comment, "children", [])
            if reply.status == "published"
        ]
        if replies:
            item["comment"] = replies
        item["isPartOf"] = {"@type": "WebPage", "url": url, "name": page.title}
        graph.append(item)
    return graph
