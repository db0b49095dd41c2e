from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from participation.consultations.models import ConsultationState


class ConsultationFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[("", _("All states")), *ConsultationState.choices],
    )
    organisation = forms.ChoiceField(label=_("Organisation"), required=False)
    tag = forms.ChoiceField(label=_("Topic"), required=False)

    def __init__(self, *args, organisations=(), tags=(), **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["organisation"]).choices = [
            ("", _("All organisations")),
            *[(org.slug, org.name) for org in organisations],
        ]
        cast(forms.ChoiceField, self.fields["tag"]).choices = [("", _("All topics")), *tags]
