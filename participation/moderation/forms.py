"""Forms of moderation: they parse input; the services validate what matters and their
messages land on the fields they concern, so nothing a person wrote is lost."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from participation.moderation.clauses import rule_clauses
from participation.moderation.models import (
    EXPLANATION_MAX_LENGTH,
    GroundType,
    LegalGround,
    ModerationDecision,
)


class AccessibleErrorsMixin:
    def _choice(self, name: str) -> forms.ChoiceField:
        return cast(forms.ChoiceField, self.fields[name])  # type: ignore[attr-defined]

    """A service's ValidationError lands on the fields it names (Django ties errors to the
    inputs with aria-invalid and aria-describedby)."""

    def add_service_error(self, error: ValidationError) -> None:
        if hasattr(error, "error_dict"):
            for name, errors in error.message_dict.items():
                self.add_error(name if name in self.fields else None, errors)  # type: ignore[attr-defined]
        else:
            self.add_error(None, error)  # type: ignore[attr-defined]


def clause_choices(version) -> list[tuple[str, Any]]:
    return [("", _("— please choose —"))] + [
        (clause.id, clause.label) for clause in rule_clauses(version)
    ]


def legal_choices() -> list[tuple[str, Any]]:
    return [("", _("— please choose —")), *LegalGround.choices]


class ReportForm(AccessibleErrorsMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("What does the content break?"),
        choices=GroundType.choices,
        widget=forms.RadioSelect,
    )
    clause = forms.ChoiceField(label=_("Rule of the netiquette"), required=False, choices=[])
    legal_ground = forms.ChoiceField(label=_("Legal provision"), required=False, choices=[])
    explanation = forms.CharField(
        label=_("Explanation"),
        max_length=EXPLANATION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Please explain why the content breaks the rule or the law; at least 10 characters."
        ),
    )
    reporter_name = forms.CharField(label=_("Your name"), max_length=201, required=False)
    reporter_email = forms.CharField(
        label=_("Your e-mail address"),
        max_length=254,
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    good_faith = forms.BooleanField(
        label=_(
            "I confirm in good faith that the information and allegations in this notice are "
            "accurate and complete."
        ),
        required=False,
    )

    def __init__(self, *args, version=None, signed_in: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self._choice("clause").choices = clause_choices(version)
        self._choice("legal_ground").choices = legal_choices()
        self.fields["reporter_name"].widget.attrs["autocomplete"] = "name"
        if signed_in:
            del self.fields["reporter_name"]
            del self.fields["reporter_email"]
        else:
            self.fields["reporter_name"].help_text = _(
                "The law asks for your name and e-mail address with a notice, except for "
                "notices about the sexual abuse of children."
            )
            self.fields["reporter_email"].help_text = _(
                "We send you the confirmation and the outcome."
            )


class DecisionForm(AccessibleErrorsMixin, forms.Form):
    action = forms.ChoiceField(label=_("Decision"), choices=[])
    facts = forms.CharField(
        label=_("Facts and circumstances"),
        max_length=EXPLANATION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What happened and what the decision relies on (at least 10 characters)."),
    )
    ground_type = forms.ChoiceField(
        label=_("Ground"),
        required=False,
        choices=[("", _("No ground (for decisions that lift a restriction)")), *GroundType.choices],
        widget=forms.RadioSelect,
    )
    clause = forms.ChoiceField(
        label=_("Rule of the netiquette in force"), required=False, choices=[]
    )
    legal_ground = forms.ChoiceField(label=_("Legal provision"), required=False, choices=[])
    ground_explanation = forms.CharField(
        label=_("Why the ground applies"),
        required=False,
        max_length=EXPLANATION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    end_date = forms.DateTimeField(
        label=_("Restricted until"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"],
        help_text=_("Empty: without end date."),
    )
    scope = forms.ChoiceField(
        label=_("Suspension applies to"),
        required=False,
        choices=[],
    )

    def __init__(self, *args, version=None, actions=(), scopes=None, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(ModerationDecision.Action.choices)
        self._choice("action").choices = [(a, labels[a]) for a in actions]
        self._choice("clause").choices = clause_choices(version)
        self._choice("legal_ground").choices = legal_choices()
        if scopes:
            self._choice("scope").choices = scopes
        else:
            del self.fields["scope"]


class RejectReportsForm(AccessibleErrorsMixin, forms.Form):
    reasons = forms.CharField(
        label=_("Why the notices lead to no action"),
        max_length=EXPLANATION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AppealForm(AccessibleErrorsMixin, forms.Form):
    text = forms.CharField(
        label=_("Why the decision should be reversed"),
        max_length=EXPLANATION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("At least 10 characters."),
    )


class AppealDecisionForm(AccessibleErrorsMixin, forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[
            ("reverse", _("The appeal is justified: reverse the decision")),
            ("uphold", _("The decision stands")),
        ],
        widget=forms.RadioSelect,
    )
    reasons = forms.CharField(
        label=_("Reasons"),
        max_length=EXPLANATION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
