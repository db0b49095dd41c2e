from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from cooperative.governance.forms import DATETIME_WIDGET
from cooperative.governance.models import Ballot
from cooperative.mandates.models import ModerationMandate
from cooperative.membership.models import Member
from cooperative.organisations.models import Organisation


class MandateForm(forms.Form):
    holder_member = forms.ModelChoiceField(
        label=_("Holder: member"), queryset=Member.objects.none(), required=False
    )
    holder_organisation = forms.ModelChoiceField(
        label=_("Holder: organisation"),
        queryset=Organisation.objects.all(),
        required=False,
        help_text=_("Its moderators and representatives exercise the mandate."),
    )
    scope = forms.ChoiceField(label=_("Scope"), choices=ModerationMandate.Scope.choices)
    scope_organisation = forms.ModelChoiceField(
        label=_("Organisation (for that scope)"),
        queryset=Organisation.objects.all(),
        required=False,
    )
    scope_tag = forms.SlugField(label=_("Topic tag (for that scope)"), required=False)
    valid_from = forms.DateTimeField(label=_("Valid from"), widget=DATETIME_WIDGET)
    valid_until = forms.DateTimeField(
        label=_("Valid until"), widget=DATETIME_WIDGET, required=False
    )
    ballot = forms.ModelChoiceField(
        label=_("Granted by the ballot"),
        queryset=Ballot.objects.filter(state=Ballot.State.ENACTED),
        required=False,
        empty_label=_("Board decision"),
        help_text=_("Where the members decided on the mandate by vote."),
    )

    def __init__(self, *args, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        if members is not None:
            cast(forms.ModelChoiceField, self.fields["holder_member"]).queryset = members


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("Reason for revocation"), max_length=500)
