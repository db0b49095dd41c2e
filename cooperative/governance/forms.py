from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from cooperative.governance.models import Choice, Majority, RuleDocument

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def member_choices(members) -> list[tuple[int, str]]:
    return [
        (m.pk, _("%(name)s (member no. %(number)s)") % {"name": m.display_name, "number": m.number})
        for m in members
    ]


class ActingMemberMixin:
    """A user who speaks for several members (their own and an organisation's) says for
    whom; with one, the field is not shown."""

    def _acting(self, members):
        members = list(members)
        self._members = {m.pk: m for m in members}
        field = forms.TypedChoiceField(
            label=_("On behalf of"), choices=member_choices(members), coerce=int
        )
        if len(members) <= 1:
            field.widget = forms.HiddenInput()
            field.initial = members[0].pk if members else None
        self.fields["member"] = field  # type: ignore[attr-defined]

    def acting_member(self):
        return self._members.get(self.cleaned_data["member"])  # type: ignore[attr-defined]


class MotionForm(ActingMemberMixin, forms.Form):
    document = forms.ModelChoiceField(
        label=_("Rule document"), queryset=RuleDocument.objects.all(), empty_label=None
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    rationale = forms.CharField(label=_("Rationale"), widget=forms.Textarea(attrs={"rows": 5}))
    proposed_body = forms.CharField(
        label=_("Proposed text"),
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_("The complete new wording of the rule document."),
    )

    def __init__(self, *args, members=(), amendment=False, **kwargs):
        super().__init__(*args, **kwargs)
        self._acting(members)
        if amendment:
            del self.fields["document"]


class FoundingVersionForm(forms.Form):
    body = forms.CharField(label=_("Founding text"), widget=forms.Textarea(attrs={"rows": 14}))


class MotionCommentForm(ActingMemberMixin, forms.Form):
    body = forms.CharField(
        label=_("Your contribution"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self._acting(members)


class SupportForm(ActingMemberMixin, forms.Form):
    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self._acting(members)


class BallotForm(forms.Form):
    opens_at = forms.DateTimeField(label=_("Opens"), widget=DATETIME_WIDGET)
    closes_at = forms.DateTimeField(label=_("Closes"), widget=DATETIME_WIDGET)
    majority = forms.ChoiceField(label=_("Majority of votes cast"), choices=Majority.choices)
    quorum_percent = forms.IntegerField(
        label=_("Quorum in per cent of eligible members"), min_value=0, max_value=100, initial=0
    )
    majority_in_every_group = forms.BooleanField(
        label=_("Majority required in every member group"), required=False
    )
    secret = forms.BooleanField(label=_("Secret ballot"), required=False)
    interim_visible = forms.BooleanField(
        label=_("Show the interim tally while the ballot is open"), required=False
    )
    effective_at = forms.DateTimeField(
        label=_("If adopted, in force from"),
        widget=DATETIME_WIDGET,
        required=False,
        help_text=_("Leave empty: in force when the ballot closes."),
    )


class VoteForm(forms.Form):
    choice = forms.ChoiceField(
        label=_("Your vote"), choices=Choice.choices, widget=forms.RadioSelect
    )
    member = forms.TypedChoiceField(label=_("Vote for"), coerce=int, widget=forms.HiddenInput)

    def __init__(self, *args, seat=None, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["member"]).choices = (
            [(seat.member.pk, "")] if seat else []
        )
        self.fields["member"].initial = seat.member.pk if seat else None
        if seat is not None:
            self.auto_id = f"id_vote_{seat.member.pk}_%s"


class ProxyForm(forms.Form):
    principal = forms.TypedChoiceField(label=_("Member giving the proxy"), coerce=int)
    holder = forms.TypedChoiceField(
        label=_("Proxy holder"),
        coerce=int,
        help_text=_("A member who represents at most two members in this ballot."),
    )

    def __init__(self, *args, principals=(), holders=(), **kwargs):
        super().__init__(*args, **kwargs)
        principal_field = cast(forms.ChoiceField, self.fields["principal"])
        principal_field.choices = member_choices(principals)
        cast(forms.ChoiceField, self.fields["holder"]).choices = member_choices(holders)
        if len(principal_field.choices) <= 1:
            self.fields["principal"].widget = forms.HiddenInput()


class ReceiptForm(forms.Form):
    code = forms.CharField(label=_("Receipt code"), max_length=40)
