"""A ballot as the page's form sends it, for any kind of poll."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from participation.polls.models import OTHER_MAX_LENGTH, Poll

OTHER = "other"


class BallotForm(forms.Form):
    """Fields are made from the poll: `choice` (single), `choices` (multiple), `other`,
    `rank_<option id>` (ranking) or `rating_<option id>` (rating)."""

    def __init__(self, poll: Poll, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.poll = poll
        options = [(str(c.pk), c.text) for c in poll.choices.all()]
        if poll.kind == Poll.Kind.SINGLE:
            extra = [(OTHER, _("Other"))] if poll.allow_other else []
            self.fields["choice"] = forms.ChoiceField(
                choices=options + extra,
                required=True,
                error_messages={"required": _("Please choose an option.")},
            )
        elif poll.kind == Poll.Kind.MULTIPLE:
            self.fields["choices"] = forms.MultipleChoiceField(choices=options, required=False)
        elif poll.kind == Poll.Kind.RANKING:
            places = [(str(n), str(n)) for n in range(1, len(options) + 1)]
            for value, label in options:
                self.fields[f"rank_{value}"] = forms.TypedChoiceField(
                    choices=places,
                    coerce=int,
                    required=True,
                    label=label,
                    error_messages={"required": _("Please give every option a place.")},
                )
        else:
            steps = [(str(n), str(n)) for n in range(1, poll.scale_max + 1)]
            for value, label in options:
                self.fields[f"rating_{value}"] = forms.TypedChoiceField(
                    choices=steps, coerce=int, required=False, label=label, empty_value=None
                )
        if poll.allow_other and poll.kind in (Poll.Kind.SINGLE, Poll.Kind.MULTIPLE):
            self.fields["other"] = forms.CharField(
                max_length=OTHER_MAX_LENGTH, required=False, strip=True, label=_("Your own answer")
            )

    def clean(self):
        cleaned = super().clean() or {}
        single_other = self.poll.kind == Poll.Kind.SINGLE and cleaned.get("choice") == OTHER
        if single_other and not cleaned.get("other"):
            self.add_error("other", _("Please write your own answer, or choose an option."))
        return cleaned

    def ballot(self) -> dict:
        """Keyword arguments for `poll_vote_cast`."""
        data = self.cleaned_data
        kind = self.poll.kind
        if kind == Poll.Kind.SINGLE:
            choice = str(data.get("choice") or "")
            if choice == OTHER:
                return {"choices": [], "other_text": data.get("other", "")}
            return {"choices": [int(choice)], "other_text": ""}
        if kind == Poll.Kind.MULTIPLE:
            return {
                "choices": [int(c) for c in data.get("choices", [])],
                "other_text": data.get("other", ""),
            }
        if kind == Poll.Kind.RANKING:
            return {"ranks": {int(k[5:]): v for k, v in data.items() if k.startswith("rank_")}}
        return {
            "ratings": {
                int(k[7:]): v for k, v in data.items() if k.startswith("rating_") and v is not None
            }
        }


def ballot_values(poll: Poll, form: BallotForm | None) -> dict:
    """What the form shows as selected: the data just sent, else the viewer's vote."""
    selected: set[str] = set()
    ranks: dict[str, str] = {}
    ratings: dict[str, str] = {}
    other = ""
    if form is not None and form.is_bound:
        data: Any = form.data
        selected = {str(c) for c in data.getlist("choices")}
        if data.get("choice"):
            selected.add(str(data.get("choice")))
        for c in poll.choices.all():
            ranks[str(c.pk)] = data.get(f"rank_{c.pk}", "")
            ratings[str(c.pk)] = data.get(f"rating_{c.pk}", "")
        other = data.get("other", "")
    else:
        vote = getattr(poll, "viewer_vote", None)
        if vote is not None:
            for answer in vote.answers.all():
                selected.add(str(answer.choice_id))
                if answer.rank:
                    ranks[str(answer.choice_id)] = str(answer.rank)
                if answer.rating:
                    ratings[str(answer.choice_id)] = str(answer.rating)
            other = vote.other_text
            if other and poll.kind == Poll.Kind.SINGLE:
                selected.add(OTHER)
    return {"selected": selected, "ranks": ranks, "ratings": ratings, "other": other}
