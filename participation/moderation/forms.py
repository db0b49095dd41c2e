"""Forms of moderation: they parse and check input; the services check what only they can
know, and their messages land on the fields they concern, so nothing a person wrote is
lost."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from participation.moderation.clauses import rule_clauses
from participation.moderation.models import (
    EXPLANATION_MAX_LENGTH,
    GroundType,
    LegalGround,
    ModerationDecision,
)
from participation.moderation.services.common import EXPLANATION_MIN_LENGTH
from participation.moderation.services.notices import (
    email_invalid,
    email_valid,
    good_faith_missing,
)

NAME_MAX_LENGTH = 200
KIND_MISSING = _("Please say whether the content breaks the netiquette or the law.")
CLAUSE_MISSING = _("Please choose the rule of the netiquette that the content breaks.")
LEGAL_GROUND_MISSING = _("Please choose the legal provision that the content breaks.")


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
    """The notice form (DSA Art. 16). It checks what a person typed and says so on each
    field, all at once; `report_create` takes its cleaned data and checks what only the
    service can know (the clause against the netiquette in force, duplicates, the rate
    limit)."""

    kind = forms.ChoiceField(
        label=_("What does the content break?"),
        choices=GroundType.choices,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": KIND_MISSING},
    )
    clause = forms.ChoiceField(
        label=_("Rule of the netiquette"),
        required=False,
        choices=[],
        error_messages={"invalid_choice": CLAUSE_MISSING},
    )
    legal_ground = forms.ChoiceField(
        label=_("Legal provision"),
        required=False,
        choices=[],
        error_messages={"invalid_choice": LEGAL_GROUND_MISSING},
    )
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
        self.signed_in = signed_in
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

    def clean_explanation(self) -> str:
        text = (self.cleaned_data.get("explanation") or "").replace("\r\n", "\n").strip()
        if len(text) < EXPLANATION_MIN_LENGTH:
            raise ValidationError(
                gettext("%(what)s: please write at least %(min)d characters.")
                % {"what": gettext("The explanation"), "min": EXPLANATION_MIN_LENGTH}
            )
        if len(text) > EXPLANATION_MAX_LENGTH:
            raise ValidationError(
                gettext("%(what)s can have at most %(max)d characters (this one has %(length)d).")
                % {
                    "what": gettext("The explanation"),
                    "max": EXPLANATION_MAX_LENGTH,
                    "length": len(text),
                }
            )
        return text

    def clean_good_faith(self) -> bool:
        if not self.cleaned_data.get("good_faith"):
            raise ValidationError(good_faith_missing())
        return True

    def clean_reporter_name(self) -> str:
        name = (self.cleaned_data.get("reporter_name") or "").strip()
        if len(name) > NAME_MAX_LENGTH:
            raise ValidationError(
                gettext("The name can have at most %(max)d characters.") % {"max": NAME_MAX_LENGTH}
            )
        return name

    def clean_reporter_email(self) -> str:
        email = (self.cleaned_data.get("reporter_email") or "").strip()
        if email and not email_valid(email):
            raise ValidationError(email_invalid())
        return email

    def clean(self) -> dict:
        super().clean()
        data = self.cleaned_data
        kind = data.get("kind")
        # Only the ground of the kind chosen counts; the other field may still hold a value.
        if kind == GroundType.RULE:
            data["legal_ground"] = ""
            if not data.get("clause") and "clause" not in self.errors:
                self.add_error("clause", CLAUSE_MISSING)
        elif kind == GroundType.LEGAL:
            data["clause"] = ""
            if not data.get("legal_ground") and "legal_ground" not in self.errors:
                self.add_error("legal_ground", LEGAL_GROUND_MISSING)
        # DSA Art. 16(2)(c): the notifier's name and e-mail, except for notices about the
        # sexual abuse of children (Directive 2011/93/EU, Art. 3-7). Signed-in reporters are
        # known.
        if not self.signed_in and data.get("legal_ground") != LegalGround.MINORS:
            if not data.get("reporter_name") and "reporter_name" not in self.errors:
                self.add_error(
                    "reporter_name",
                    gettext(
                        "Please give your name (or sign in): the law asks for it with a notice."
                    ),
                )
            if not data.get("reporter_email") and "reporter_email" not in self.errors:
                self.add_error(
                    "reporter_email",
                    gettext(
                        "Please give your e-mail address (or sign in): we send you the outcome."
                    ),
                )
        return data


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
        # Nothing chosen in advance unless asked (the queue's "Reject"): a decision is made
        # on purpose, and only those that fit the item's state are offered.
        self._choice("action").choices = [
            ("", _("Choose a decision")),
            *((a, labels[a]) for a in actions),
        ]
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
