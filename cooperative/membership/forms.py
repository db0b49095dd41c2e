from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from cooperative.membership.models import MemberGroup

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ApplicationForm(forms.Form):
    applicant = forms.ChoiceField(label=_("Membership for"))
    member_group = forms.ChoiceField(label=_("Member group"), choices=MemberGroup.choices)
    shares = forms.IntegerField(label=_("Number of shares"), min_value=1, max_value=100, initial=1)
    legal_name = forms.CharField(
        label=_("Full name (of the person or organisation)"),
        max_length=200,
        help_text=_("For the member register only; others see your display name."),
    )
    address = forms.CharField(
        label=_("Postal address"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only the board sees it (member register, GenG §30)."),
    )

    def __init__(self, *args, user=None, organisations=(), can_apply_self=True, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("self", _("Myself"))] if can_apply_self else []
        choices += [(f"org:{o.pk}", o.name) for o in organisations]
        cast(forms.ChoiceField, self.fields["applicant"]).choices = choices


class ResignForm(forms.Form):
    effective_on = forms.DateField(label=_("Leaving on"), widget=DATE_WIDGET)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("admit", _("Admit")), ("reject", _("Reject"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("Reason (for a rejection)"), required=False)


class ExclusionForm(forms.Form):
    effective_on = forms.DateField(label=_("Excluded from"), widget=DATE_WIDGET)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))
