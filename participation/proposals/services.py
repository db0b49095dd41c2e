"""Writes for proposals, supports and official feedback. Callers check permissions first."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from participation.consultations.models import ModerationMode
from participation.contributions.markup import render_markdown
from participation.gate.policy import ContributionRefused, contribution_gate
from participation.gate.queue import queue_changed
from participation.live.events import event_publish, subject_rewrite, subject_withdraw
from participation.live.groups import consultation_group
from participation.notifications.models import Notification
from participation.notifications.selectors import follower_ids
from participation.notifications.services import follow_create, notify
from participation.proposals.models import (
    BODY_MAX_LENGTH,
    FEEDBACK_MAX_LENGTH,
    LOCATION_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Feedback,
    ModerationStatus,
    Proposal,
    ProposalStatus,
    Support,
)
from participation.proposals.render import render_feedback, render_proposal_content, status_labels
from participation.proposals.targets import proposal_target

TITLE_MIN_LENGTH = 3
BODY_MIN_LENGTH = 10
FEEDBACK_MIN_LENGTH = 2
MAX_TAGS = 5
TAG_MAX_LENGTH = 50


def _clean_text(value: str, *, minimum: int, maximum: int, what: str) -> str:
    value = (value or "").replace("\r\n", "\n").strip()
    if len(value) < minimum:
        raise ValidationError(
            _("%(what)s: please write at least %(min)d characters.")
            % {"what": what, "min": minimum}
        )
    if len(value) > maximum:
        raise ValidationError(
            _("%(what)s can have at most %(max)d characters (this one has %(length)d).")
            % {"what": what, "max": maximum, "length": len(value)}
        )
    return value


def _clean_tags(tags: Iterable[str]) -> list[str]:
    cleaned = sorted({tag.strip() for tag in tags if tag and tag.strip()})
    if len(cleaned) > MAX_TAGS:
        raise ValidationError(_("Please give at most %(max)d topics.") % {"max": MAX_TAGS})
    if any(len(tag) > TAG_MAX_LENGTH for tag in cleaned):
        raise ValidationError(
            _("A topic can have at most %(max)d characters.") % {"max": TAG_MAX_LENGTH}
        )
    return cleaned


def _clean_fields(
    *, title: str, body: str, location: str, tags: Iterable[str]
) -> tuple[str, str, str, list[str]]:
    """What a new and a changed proposal must both satisfy."""
    title = _clean_text(
        title, minimum=TITLE_MIN_LENGTH, maximum=TITLE_MAX_LENGTH, what=_("The title")
    )
    body = _clean_text(
        body, minimum=BODY_MIN_LENGTH, maximum=BODY_MAX_LENGTH, what=_("The description")
    )
    location = (location or "").strip()
    if len(location) > LOCATION_MAX_LENGTH:
        raise ValidationError(
            _("The location can have at most %(max)d characters.") % {"max": LOCATION_MAX_LENGTH}
        )
    return title, body, location, _clean_tags(tags)


def proposal_create(
    *,
    author,
    consultation,
    title: str,
    body: str,
    tags: Iterable[str] = (),
    location: str = "",
    origin: str = Proposal.Origin.WEB,
) -> Proposal:
    title, body, location, tag_names = _clean_fields(
        title=title, body=body, location=location, tags=tags
    )
    verdict = contribution_gate(user=author, consultation=consultation)
    if verdict.refusal:
        raise ContributionRefused.of(verdict)
    held = verdict.hold or consultation.moderation_mode == ModerationMode.PRE
    with transaction.atomic():
        proposal = Proposal.objects.create(
            consultation=consultation,
            author=author,
            title=title,
            body=body,
            body_html=render_markdown(body),
            location=location,
            origin=origin,
            moderation_status=ModerationStatus.PENDING if held else ModerationStatus.VISIBLE,
        )
        if tag_names:
            proposal.tags.set(tag_names)
        follow_create(user=author, target=proposal)
        if not held:
            proposal_publish_created(proposal)
    # Why it waits, for its author (see comment_create). Not stored.
    proposal.hold_reason = verdict.hold_reason if held else ""
    return proposal


def proposal_subject(proposal_id: int) -> str:
    """What the live events of a proposal name as their subject."""
    return f"proposal:{proposal_id}"


def proposal_publish_created(proposal: Proposal) -> None:
    """Tell the consultation's readers about a proposal that became public (at once, or
    when a moderator approved it)."""
    event_publish(
        room=consultation_group(proposal.consultation_id),
        type="proposal.created",
        subject=proposal_subject(proposal.pk),
        data={
            "proposal": proposal.pk,
            "title": proposal.title,
            "url": proposal.get_absolute_url(),
        },
    )


def proposal_publish_moderated(proposal: Proposal, *, visible: bool) -> None:
    """A moderator hid, removed or restored the proposal. A page no longer lists a hidden or
    removed one, so its earlier stored frames (title, link) go, in the same transaction:
    a reconnecting reader is never sent them again."""
    subject = proposal_subject(proposal.pk)
    if not visible:
        subject_withdraw(subject=subject)
    event_publish(
        room=consultation_group(proposal.consultation_id),
        type="proposal.moderated",
        subject=subject,
        data={"proposal": proposal.pk, "visible": visible},
    )


def _publish_supports(proposal: Proposal) -> int:
    # Read inside the transaction, after this write's UPDATE: the row stays locked until
    # commit, so the count in each event is exact and events arrive in order.
    count = Proposal.objects.filter(pk=proposal.pk).values_list("support_count", flat=True).get()
    proposal.support_count = count
    event_publish(
        room=consultation_group(proposal.consultation_id),
        type="proposal.supports",
        subject=proposal_subject(proposal.pk),
        data={"proposal": proposal.pk, "count": count},
    )
    return count


def proposal_support(*, user, proposal: Proposal) -> int:
    """Support the proposal once; a second support is refused. Returns the new count."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                Support.objects.create(proposal=proposal, user=user)
        except IntegrityError:
            raise ValidationError(_("You already support this proposal.")) from None
        Proposal.objects.filter(pk=proposal.pk).update(support_count=F("support_count") + 1)
        follow_create(user=user, target=proposal)
        return _publish_supports(proposal)


def proposal_support_withdraw(*, user, proposal: Proposal) -> int:
    with transaction.atomic():
        deleted, _details = Support.objects.filter(proposal=proposal, user=user).delete()
        if not deleted:
            raise ValidationError(_("You do not support this proposal."))
        Proposal.objects.filter(pk=proposal.pk, support_count__gt=0).update(
            support_count=F("support_count") - 1
        )
        return _publish_supports(proposal)


def proposal_answer(*, author, proposal: Proposal, status: str, text: str) -> Feedback:
    """Official feedback: kept in the history, sets the proposal's status, tells everyone
    who cares (author, supporters, followers; never the person who answered)."""
    if status not in {value for value, _label in Feedback._meta.get_field("status").choices}:  # type: ignore[union-attr]
        raise ValidationError(_("Please choose a status."))
    text = _clean_text(
        text, minimum=FEEDBACK_MIN_LENGTH, maximum=FEEDBACK_MAX_LENGTH, what=_("The feedback")
    )
    organisation = proposal.consultation.organisation
    if organisation is None:
        raise ValidationError(_("This consultation belongs to no organisation."))
    with transaction.atomic():
        # Locked: a withdrawal that came first stands (and one that comes later waits).
        current = Proposal.objects.select_for_update().values_list("status", flat=True)
        if current.get(pk=proposal.pk) == ProposalStatus.WITHDRAWN:
            raise ValidationError(_("Its author has withdrawn this proposal."))
        feedback = Feedback.objects.create(
            proposal=proposal,
            organisation=organisation,
            author=author,
            status=status,
            text=text,
            text_html=render_markdown(text),
        )
        Proposal.objects.filter(pk=proposal.pk).update(status=status)
        proposal.status = status
        supporters = Support.objects.filter(proposal=proposal).values_list("user_id", flat=True)
        with translation.override(settings.LANGUAGE_CODE):
            url = proposal.get_absolute_url()
        notify(
            recipient_ids=[proposal.author_id, *supporters, *follower_ids(proposal)],
            kind=Notification.Kind.FEEDBACK,
            text=proposal.title,
            url=f"{url}#feedback-{feedback.pk}",
            exclude_ids=[author.pk],
        )
        # The answer as the proposal page lists it, so that readers see it appear; only a
        # public proposal's readers are told (a waiting one's page is its author's).
        if proposal.is_visible_to_public:
            feedback.organisation = organisation
            labels = status_labels(status)
            event_publish(
                room=consultation_group(proposal.consultation_id),
                type="proposal.answered",
                subject=proposal_subject(proposal.pk),
                data={
                    "proposal": proposal.pk,
                    "feedback": feedback.pk,
                    "status": status,
                    "status_label": labels[settings.LANGUAGE_CODE],
                    "status_labels": labels,
                    "organisation": organisation.name,
                    "html": render_feedback(feedback),
                },
            )
    return feedback


def _refuse_change(proposal: Proposal) -> None:
    """Why its author can no longer change the proposal, if so (the row is locked)."""
    if proposal.status == ProposalStatus.WITHDRAWN:
        raise ValidationError(_("This proposal has been withdrawn and can no longer be changed."))
    if proposal.status != ProposalStatus.SUBMITTED:
        raise ValidationError(
            _("This proposal has received official feedback and can no longer be changed.")
        )
    if proposal.support_count:
        raise ValidationError(
            _("This proposal already has supporters and can no longer be changed.")
        )
    if proposal.moderation_status not in (ModerationStatus.VISIBLE, ModerationStatus.PENDING):
        raise ValidationError(_("This proposal can no longer be changed."))


def proposal_edit(
    *, proposal: Proposal, title: str, body: str, tags: Iterable[str], location: str
) -> Proposal:
    """Its author changes title, description, topics and location. Callers check
    `change_proposal` (the author, in the phase that allows proposals); this checks again,
    with the row locked, what a concurrent support, answer or withdrawal may have changed.

    The change passes the gate a new proposal passes (see comment_edit): a suspended author
    or a locked discussion of the proposal is refused (ContributionRefused), calm mode's
    slow mode counts it, and where a new proposal would wait for a moderator the changed
    one waits again: pending, gone from every public channel and the live stream until a
    moderator approves the new text; `hold_reason` tells its author why. Stored live frames
    never replay the old text."""
    title, body, location, tag_names = _clean_fields(
        title=title, body=body, location=location, tags=tags
    )
    consultation = proposal.consultation
    verdict = contribution_gate(
        user=proposal.author, consultation=consultation, target=proposal_target(proposal)
    )
    if verdict.refusal:
        raise ContributionRefused.of(verdict)
    held = verdict.hold or consultation.moderation_mode == ModerationMode.PRE
    with transaction.atomic():
        current = Proposal.objects.select_for_update().get(pk=proposal.pk)
        _refuse_change(current)
        was_visible = current.moderation_status == ModerationStatus.VISIBLE
        proposal.moderation_status = ModerationStatus.PENDING if held else current.moderation_status
        proposal.status = current.status
        proposal.support_count = current.support_count
        proposal.title = title
        proposal.body = body
        proposal.body_html = render_markdown(body)
        proposal.location = location
        proposal.edited_at = timezone.now()
        proposal.save(
            update_fields=[
                "title",
                "body",
                "body_html",
                "location",
                "edited_at",
                "moderation_status",
                "updated_at",
            ]
        )
        proposal.tags.set(tag_names)
        subject = proposal_subject(proposal.pk)
        if proposal.moderation_status == ModerationStatus.PENDING:
            if was_visible:
                # Readers drop it, as when a moderator hides it; its frames go, so that a
                # reconnecting reader is sent neither version.
                proposal_publish_moderated(proposal, visible=False)
            queue_changed(consultation, reason="pending")  # the queue shows the new text
        else:
            content = render_proposal_content(proposal)
            subject_rewrite(subject=subject, values={"title": title, "content": content})
            event_publish(
                room=consultation_group(proposal.consultation_id),
                type="proposal.updated",
                subject=subject,
                data={"proposal": proposal.pk, "title": title, "content": content},
            )
    proposal.hold_reason = verdict.hold_reason if held else ""
    return proposal


def proposal_withdraw(*, proposal: Proposal) -> Proposal:
    """Its author takes the proposal back, in any phase, until the organisation answers it.
    It stays readable, marked withdrawn, and can no longer be supported, changed or
    answered; its supporters and followers are told. Callers check `withdraw_proposal`;
    the row is locked, so an answer or a moderator's removal that came first stands."""
    with transaction.atomic():
        current = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if current.status == ProposalStatus.WITHDRAWN:
            raise ValidationError(_("This proposal has already been withdrawn."))
        if current.status != ProposalStatus.SUBMITTED:
            raise ValidationError(
                _("This proposal has received official feedback and can no longer be withdrawn.")
            )
        if current.moderation_status == ModerationStatus.REMOVED:
            raise ValidationError(_("This proposal was removed by the moderation."))
        Proposal.objects.filter(pk=proposal.pk).update(
            status=ProposalStatus.WITHDRAWN, updated_at=timezone.now()
        )
        proposal.status = ProposalStatus.WITHDRAWN
        proposal.moderation_status = current.moderation_status
        supporters = Support.objects.filter(proposal=proposal).values_list("user_id", flat=True)
        with translation.override(settings.LANGUAGE_CODE):
            url = proposal.get_absolute_url()
        notify(
            recipient_ids=[*supporters, *follower_ids(proposal)],
            kind=Notification.Kind.WITHDRAWN,
            text=proposal.title,
            url=url,
            exclude_ids=[proposal.author_id] if proposal.author_id else [],
        )
        if proposal.is_visible_to_public:
            labels = status_labels(ProposalStatus.WITHDRAWN)
            event_publish(
                room=consultation_group(proposal.consultation_id),
                type="proposal.withdrawn",
                subject=proposal_subject(proposal.pk),
                data={
                    "proposal": proposal.pk,
                    "status": ProposalStatus.WITHDRAWN.value,
                    "status_label": labels[settings.LANGUAGE_CODE],
                    "status_labels": labels,
                },
            )
    return proposal
