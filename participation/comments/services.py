"""Writes for contributions and reactions. Callers check permissions first."""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from cooperative.permissions import allowed
from participation.comments.models import BODY_MAX_LENGTH, MAX_DEPTH, Comment, Reaction
from participation.comments.render import render_comment
from participation.consultations.models import ModerationMode
from participation.contributions.markup import markdown_to_text, render_markdown
from participation.contributions.targets import Target, target_count, target_resolve
from participation.gate.policy import ContributionRefused, contribution_gate
from participation.gate.queue import queue_changed
from participation.live.events import (
    event_publish,
    subject_rewrite,
    subject_withdraw,
    subjects_stored,
)
from participation.live.groups import consultation_group, user_group
from participation.notifications.mail import absolute, recipient_language, text_mail_send
from participation.notifications.models import Notification
from participation.notifications.services import notify

logger = logging.getLogger(__name__)

BODY_MIN_LENGTH = 2
COUNTER_FIELDS = {
    Reaction.Kind.AGREE: "agree_count",
    Reaction.Kind.DISAGREE: "disagree_count",
    Reaction.Kind.HELPFUL: "helpful_count",
}
EXCLUSIVE = {
    Reaction.Kind.AGREE: Reaction.Kind.DISAGREE,
    Reaction.Kind.DISAGREE: Reaction.Kind.AGREE,
}


def _clean_body(body: str) -> str:
    body = (body or "").replace("\r\n", "\n").strip()
    if len(body) < BODY_MIN_LENGTH:
        raise ValidationError(
            _("Please write at least %(min)d characters.") % {"min": BODY_MIN_LENGTH}
        )
    if len(body) > BODY_MAX_LENGTH:
        raise ValidationError(
            _("A contribution can have at most %(max)d characters (this one has %(length)d).")
            % {"max": BODY_MAX_LENGTH, "length": len(body)}
        )
    return body


def _event_data(comment: Comment) -> dict:
    # "target" tells the page which thread to put it in and which counter to move.
    return {
        "comment": comment.pk,
        "parent": comment.parent_id,
        "root": comment.root_id,
        "target": comment.target.token,
        "html": render_comment(comment),
    }


def comment_counts_change(*, comment: Comment, delta: int) -> None:
    """Move the counters that count published contributions: the thread's reply count and
    the target's own counter (a proposal's `comment_count`). Call inside the transaction
    that changes the status, with +1 when a contribution becomes published (a pending one
    approved, a hidden one restored) and -1 when a published one is hidden or removed."""
    if comment.root_id:
        if delta < 0:
            Comment.objects.filter(pk=comment.root_id, reply_count__gte=-delta).update(
                reply_count=F("reply_count") + delta
            )
        else:
            Comment.objects.filter(pk=comment.root_id).update(reply_count=F("reply_count") + delta)
    target_count(comment.target, delta)


def comment_subject(comment_id: int) -> str:
    """What the live events of a contribution name as their subject."""
    return f"comment:{comment_id}"


def comment_event_publish(
    comment: Comment, event_type: str, *, new: bool = False, author_only: bool = False
) -> None:
    """The one way a contribution's live events go out. Published ones go to every reader;
    pending ones (and, with `author_only`, one that only its author ever saw) only to their
    author. Call inside the transaction that changed the contribution.

    Unless it is `new`, the contribution's earlier stored frames are first brought in line
    with what a page shows now, since a reconnecting reader is sent them again: its current
    rendering (the placeholder once hidden or removed, the text as edited) replaces what they
    carried, and while it waits for a moderator the readers' room keeps nothing of it (a
    fresh page does not show it; its author's room keeps the waiting version)."""
    data = _event_data(comment)
    subject = comment_subject(comment.pk)
    readers = consultation_group(comment.consultation_id)
    own = user_group(comment.author_id) if comment.author_id else None
    waiting = comment.status == Comment.Status.PENDING
    if not new:
        if waiting:
            subject_withdraw(subject=subject, rooms=[readers])
            if own:
                subject_rewrite(subject=subject, values={"html": data["html"]}, rooms=[own])
        else:
            subject_rewrite(subject=subject, values={"html": data["html"]})
    if waiting or author_only:
        if own:
            event_publish(
                room=own,
                type=event_type,
                data={**data, "consultation": comment.consultation_id},
                subject=subject,
            )
        return
    event_publish(room=readers, type=event_type, data=data, subject=subject)


def comment_frames_author_erased(*, author) -> int:
    """An account is being deleted. Its contributions stay, as a former participant's; the
    frames stored for catch-up must not name it either. Call inside the deletion's
    transaction, before the contributions lose their author; how many were rewritten."""
    ids = Comment.objects.filter(author=author).values_list("pk", flat=True)
    stored = subjects_stored(comment_subject(pk) for pk in ids)
    rewritten = 0
    for comment in Comment.objects.filter(
        pk__in=[int(subject.partition(":")[2]) for subject in stored]
    ).select_related("organisation"):
        comment.author = None  # as the page will show it
        rewritten += subject_rewrite(
            subject=comment_subject(comment.pk), values={"html": render_comment(comment)}
        )
    return rewritten


def _author_label(comment: Comment) -> str | Promise:
    """Who wrote it, as the page says: the organisation for an official statement."""
    if comment.is_official and comment.organisation_id:
        return str(comment.organisation)
    author = comment.author
    # Lazy: it is rendered in the recipient's language, in a mail or a notification.
    return author.display_name if author is not None else gettext_lazy("someone")


def _may_read(recipient, comment: Comment) -> bool:
    """Whether a notification or mail may carry the reply to `recipient`: an active account
    that may see the consultation by the rule of every channel (it may have been restricted
    or unpublished since they wrote there)."""
    return recipient.is_active and allowed(
        recipient, "participation_consultations.view_consultationpage", comment.consultation
    )


def reply_published(comment: Comment) -> None:
    """A reply became public (written, or approved by the moderation): its parent's author
    hears of it in their notifications and, unless they said no, by e-mail after commit.
    Call inside the transaction that publishes it."""
    parent = comment.parent
    recipient = parent.author if parent is not None else None
    if recipient is None or recipient.pk == comment.author_id or not _may_read(recipient, comment):
        return
    with translation.override(recipient_language(recipient)):
        text = _("%(name)s replied to your contribution in “%(title)s”.") % {
            "name": _author_label(comment),
            "title": comment.consultation.title,
        }
    notify(
        recipient_ids=[recipient.pk],
        kind=Notification.Kind.REPLY,
        text=text,
        url=comment.get_absolute_url(),
    )
    if not (recipient.reply_mails and recipient.email):
        return
    from participation.comments.tasks import reply_mail_task

    def enqueue() -> None:
        try:
            reply_mail_task.enqueue(comment_id=comment.pk)
        except Exception:
            logger.exception("comments: could not enqueue the reply mail for %s", comment.pk)

    transaction.on_commit(enqueue)


REPLY_MAIL_EXCERPT = 600


def reply_mail_send(*, comment: Comment) -> int:
    """The mail to the parent's author about a reply, in their language; plain text only, so
    nothing in the reply or a display name can become markup. Nothing is sent if the reply
    is no longer public or the person no longer wants such mails."""
    parent = comment.parent
    recipient = parent.author if parent is not None else None
    if (
        parent is None
        or recipient is None
        or comment.status != Comment.Status.PUBLISHED
        or not (recipient.reply_mails and recipient.email)
        or not _may_read(recipient, comment)
    ):
        return 0
    return text_mail_send(
        to=recipient.email,
        language=recipient_language(recipient),
        subject=gettext_noop("A reply to your contribution"),
        template="participation_comments/mail_reply.txt",
        context={
            "recipient": recipient,
            "author": _author_label(comment),
            "consultation": comment.consultation,
            # The words, not the Markdown source: a plain-text mail shows no markup.
            "excerpt": Truncator(markdown_to_text(comment.body)).chars(REPLY_MAIL_EXCERPT),
            "answered": Truncator(markdown_to_text(parent.body)).chars(200),
            "url": absolute(comment.get_absolute_url()),
            "settings_url": absolute(reverse("account_mail_settings")),
        },
    )


def comment_create(
    *,
    author,
    consultation,
    body: str,
    parent: Comment | None = None,
    official: bool = False,
    organisation=None,
    origin: str = Comment.Origin.WEB,
    target: Target | str | None = None,
) -> Comment:
    """A contribution on `target` (the consultation if none is given; a reply is always on
    its parent's target). The target is checked against the consultation: a paragraph of its
    published draft text, a proposal of this consultation."""
    body = _clean_body(body)
    if parent is not None:
        if parent.consultation_id != consultation.pk:
            raise ValidationError(_("You can only reply within the same consultation."))
        given = target if isinstance(target, Target) or target is None else Target.parse(target)
        if given is not None and given != parent.target:
            raise ValidationError(_("A reply belongs to the same place as its contribution."))
        target = parent.target
        if parent.status != Comment.Status.PUBLISHED:
            raise ValidationError(_("This contribution can no longer be answered."))
        if parent.depth >= MAX_DEPTH:
            # Deep threads stay readable on a phone: the reply goes next to its parent.
            parent = parent.parent or parent
    if official and organisation is None:
        organisation = consultation.organisation
    resolved = target_resolve(consultation, target)
    verdict = contribution_gate(
        user=author, consultation=consultation, target=resolved, parent=parent
    )
    if verdict.refusal:
        raise ContributionRefused.of(verdict)
    pre_moderated = (
        consultation.moderation_mode == ModerationMode.PRE or verdict.hold
    ) and not official
    with transaction.atomic():
        comment = Comment(
            consultation=consultation,
            target_kind=resolved.kind,
            target_key=resolved.key,
            parent=parent,
            root=(parent.root or parent) if parent else None,
            depth=(parent.depth + 1) if parent else 0,
            author=author,
            body=body,
            body_html=render_markdown(body),
            status=Comment.Status.PENDING if pre_moderated else Comment.Status.PUBLISHED,
            is_official=official,
            organisation=organisation if official else None,
            origin=origin,
        )
        comment.save()
        if comment.status == Comment.Status.PUBLISHED:
            comment_counts_change(comment=comment, delta=1)
            reply_published(comment)
        comment_event_publish(comment, "comment.created", new=True)
    # Why it waits, for its author (calm mode, pre-moderation by the moderation); empty
    # when it is published or only the editors' mode holds it. Not stored.
    comment.hold_reason = verdict.hold_reason if pre_moderated else ""
    return comment


EDITABLE = (Comment.Status.PUBLISHED, Comment.Status.PENDING)


def comment_edit(*, comment: Comment, body: str) -> Comment:
    """Its author changes the text. The change passes the gate a new contribution passes,
    whoever calls (web form, htmx, API): a suspended author or a locked thread is refused
    (ContributionRefused), calm mode's slow mode counts it, and where a new contribution
    would wait for a moderator (pre-moderation by the editors or the moderation, calm
    mode's young accounts) the changed one waits again: pending, gone from every public
    channel and the live stream until a moderator approves the new text, listed in the
    moderators' queue; `hold_reason` tells its author why. A change never publishes a
    contribution that waits. The row is locked: a moderator's decision that came first
    (hidden, removed) stays, and its text is not sent out again."""
    body = _clean_body(body)
    consultation = comment.consultation
    verdict = contribution_gate(user=comment.author, consultation=consultation, editing=comment)
    if verdict.refusal:
        raise ContributionRefused.of(verdict)
    held = (
        consultation.moderation_mode == ModerationMode.PRE or verdict.hold
    ) and not comment.is_official
    with transaction.atomic():
        status, removed_by_author = (
            Comment.objects.select_for_update()
            .filter(pk=comment.pk)
            .values_list("status", "removed_by_author")
            .get()
        )
        if status not in EDITABLE or removed_by_author:
            raise ValidationError(_("This contribution can no longer be edited."))
        was_published = status == Comment.Status.PUBLISHED
        comment.status = Comment.Status.PENDING if held else status
        comment.body = body
        comment.body_html = render_markdown(body)
        comment.edited_at = timezone.now()
        comment.save(update_fields=["status", "body", "body_html", "edited_at"])
        if was_published and held:
            comment_counts_change(comment=comment, delta=-1)
            # Readers drop it (no text in this event); its author's tabs get the pending
            # version below, as for a new contribution that waits.
            event_publish(
                room=consultation_group(comment.consultation_id),
                type="comment.held",
                data={
                    "comment": comment.pk,
                    "parent": comment.parent_id,
                    "root": comment.root_id,
                    "target": comment.target.token,
                },
            )
        if comment.status == Comment.Status.PENDING:
            queue_changed(consultation, reason="pending")  # the queue shows the new text
        comment_event_publish(comment, "comment.updated")
    comment.hold_reason = verdict.hold_reason if held else ""
    return comment


def comment_delete_by_author(*, comment: Comment) -> Comment:
    """The text goes; the placeholder stays so that replies keep their context."""
    with transaction.atomic():
        was_published = comment.status == Comment.Status.PUBLISHED
        was_pending = comment.status == Comment.Status.PENDING
        comment.status = Comment.Status.REMOVED
        comment.removed_by_author = True
        comment.body = ""
        comment.body_html = ""
        comment.save(update_fields=["status", "removed_by_author", "body", "body_html"])
        if was_published:
            comment_counts_change(comment=comment, delta=-1)
        # A pending one only its author ever saw: only their other tabs need to know. A
        # hidden one turns from the moderators' placeholder into the author's.
        comment_event_publish(comment, "comment.removed", author_only=was_pending)
    return comment


def reaction_toggle(*, user, comment: Comment, kind: str) -> dict[str, int]:
    """Add the reaction, or take it back if it is there. Counts stay exact under concurrency:
    the unique constraint decides, and counters move only with a row that was written."""
    kind = Reaction.Kind(kind)
    with transaction.atomic():
        deleted, _details = Reaction.objects.filter(comment=comment, user=user, kind=kind).delete()
        changes: dict[str, int] = {}
        if deleted:
            changes[COUNTER_FIELDS[kind]] = -1
        else:
            try:
                with transaction.atomic():
                    Reaction.objects.create(comment=comment, user=user, kind=kind)
                changes[COUNTER_FIELDS[kind]] = 1
            except IntegrityError:
                pass  # a concurrent request of the same person added it first
            opposite = EXCLUSIVE.get(kind)
            if (
                opposite
                and Reaction.objects.filter(comment=comment, user=user, kind=opposite).delete()[0]
            ):
                changes[COUNTER_FIELDS[opposite]] = -1
        if changes:
            Comment.objects.filter(pk=comment.pk).update(
                **{field: F(field) + delta for field, delta in changes.items()}
            )
        counts = _counts(comment.pk)
        if changes and comment.status == Comment.Status.PUBLISHED:
            # Read after commit, so the last event always shows the final counts.
            transaction.on_commit(lambda: _publish_counts(comment))
    return counts


def _counts(comment_id: int) -> dict[str, int]:
    agree, disagree, helpful = (
        Comment.objects.filter(pk=comment_id)
        .values_list("agree_count", "disagree_count", "helpful_count")
        .get()
    )
    return {"agree_count": agree, "disagree_count": disagree, "helpful_count": helpful}


def _publish_counts(comment: Comment) -> None:
    counts = _counts(comment.pk)
    event_publish(
        room=consultation_group(comment.consultation_id),
        type="comment.reactions",
        subject=comment_subject(comment.pk),
        data={
            "comment": comment.pk,
            "agree": counts["agree_count"],
            "disagree": counts["disagree_count"],
            "helpful": counts["helpful_count"],
        },
    )
