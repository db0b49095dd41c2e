"""Votes are never lost when a page is saved from an older revision.

The editor form refuses removing a poll or an option that has votes (admin_forms.py). A
page can also be saved without that form: publishing a revision from its history, a
scheduled go-live, a workflow approval of a revision made before the votes came in.
Before such a save writes the page's polls, the polls and options the revision lacks but
that have votes are put back, so that they are kept rather than deleted (and the answers
that point at them never block the publish).
"""

from __future__ import annotations

import logging

from participation.polls.models import Poll, PollAnswer, PollChoice, PollVote

logger = logging.getLogger(__name__)


def keep_voted_polls_and_options(sender, instance, **kwargs) -> None:
    if instance.pk is None or "polls" not in getattr(instance, "_cluster_related_objects", {}):
        return  # the polls are not being rewritten by this save
    polls = instance.polls.get_object_list()
    present = {poll.pk for poll in polls if poll.pk is not None}
    dropped = Poll.objects.filter(page_id=instance.pk).exclude(pk__in=present)
    for poll in dropped.filter(pk__in=PollVote.objects.values("poll_id")):
        logger.warning(
            "polls: kept poll %s with votes that a revision of page %s lacks", poll.pk, instance.pk
        )
        polls.append(poll)
    for poll in polls:
        if poll.pk is None or "choices" not in getattr(poll, "_cluster_related_objects", {}):
            continue
        choices = poll.choices.get_object_list()
        kept = {choice.pk for choice in choices if choice.pk is not None}
        voted = PollAnswer.objects.filter(poll_id=poll.pk).exclude(choice_id__in=kept)
        for choice in PollChoice.objects.filter(pk__in=voted.values("choice_id")):
            logger.warning("polls: kept option %s with votes that a revision lacks", choice.pk)
            choice.poll = poll
            choices.append(choice)
