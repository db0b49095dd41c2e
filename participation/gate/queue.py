"""Groups of the moderators' live queue: one per mandate scope, so that an event about a
consultation reaches exactly the moderators whose mandate covers it.

Below the kinds: a contribution that the gate holds for a moderator (or whose changed
text waits again) tells the queue itself; moderation's acts do the same."""

from __future__ import annotations

from django.utils.text import slugify

from participation.gate.mandates import consultation_tag_slugs
from participation.live.events import event_publish

PLATFORM_GROUP = "moderation.platform"


def organisation_queue_group(organisation_id: int) -> str:
    return f"moderation.organisation.{organisation_id}"


def tag_queue_group(slug: str) -> str:
    return f"moderation.tag.{slugify(slug)}"


def queue_groups(consultation) -> list[str]:
    """Where an event about the consultation's moderation goes (platform always)."""
    groups = [PLATFORM_GROUP]
    if consultation is None:
        return groups
    organisation = consultation.organisation
    if organisation is not None:
        groups.append(organisation_queue_group(organisation.pk))
    groups += [tag_queue_group(slug) for slug in consultation_tag_slugs(consultation)]
    return groups


def groups_for_mandates(mandates) -> list[str]:
    """The groups a moderator's queue listens to, from the mandates they hold."""
    groups: set[str] = set()
    for mandate in mandates:
        if mandate.scope == "platform":
            groups.add(PLATFORM_GROUP)
        elif mandate.scope == "organisation":
            groups.add(organisation_queue_group(mandate.scope_organisation_id))
        elif mandate.scope == "tag":
            groups.add(tag_queue_group(mandate.scope_tag))
    return sorted(groups)


def queue_changed(consultation, *, reason: str) -> None:
    """Tell the moderators whose mandate covers the consultation that their queue changed
    (their page reads its list again). Inside the transaction of the change."""
    for room in queue_groups(consultation):
        event_publish(
            room=room,
            type="moderation.queue",
            data={"reason": reason, "consultation": consultation.pk if consultation else None},
        )
