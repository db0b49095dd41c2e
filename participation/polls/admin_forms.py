"""Checks on the polls part of the consultation editor: votes are never lost by an edit."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from participation.polls.models import PollAnswer, PollVote


def check_poll_edits(page_form) -> None:
    """Refuse removing a poll or an option that has votes (answers refer to them)."""
    formset = page_form.formsets.get("polls")
    if formset is None:
        return
    for poll_form in formset.forms:
        poll = poll_form.instance
        if poll.pk is None or not hasattr(poll_form, "cleaned_data"):
            continue
        if poll_form.cleaned_data.get("DELETE"):
            if PollVote.objects.filter(poll_id=poll.pk).exists():
                raise ValidationError(
                    _("The poll “%(question)s” has votes and cannot be deleted; close it instead.")
                    % {"question": poll.question}
                )
            continue
        choices = getattr(poll_form, "formsets", {}).get("choices")
        if choices is None:
            continue
        for choice_form in choices.forms:
            choice = choice_form.instance
            if (
                choice.pk is not None
                and hasattr(choice_form, "cleaned_data")
                and choice_form.cleaned_data.get("DELETE")
                and PollAnswer.objects.filter(choice_id=choice.pk).exists()
            ):
                raise ValidationError(
                    _("The option “%(option)s” has votes and cannot be removed.")
                    % {"option": choice.text}
                )
