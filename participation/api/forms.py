from django import forms
from django.utils.translation import gettext_lazy as _

from cooperative.organisations.selectors import organisations_of
from cooperative.permissions import allowed
from participation.api.models import TokenScope


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=80,
        help_text=_("So that you recognise the token later, e.g. “Rathaus-App”."),
        error_messages={"required": _("Please give the token a name.")},
    )
    organisation: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Acts for"),
        queryset=None,
        required=False,
        empty_label=_("Only for me personally"),
        help_text=_("An organisation token acts only in the consultations of the organisation."),
    )
    scopes = forms.MultipleChoiceField(
        label=_("Permitted actions"),
        choices=TokenScope.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Please choose at least one permitted action.")},
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = organisations_of(user).order_by("name")
        if not allowed(user, "participation_moderation.view_queue"):
            # Moderating needs a mandate; nobody else is offered what they could not use.
            scopes = self.fields["scopes"]
            assert isinstance(scopes, forms.MultipleChoiceField)
            scopes.choices = [c for c in TokenScope.choices if c[0] != TokenScope.MODERATE]
