from typing import cast

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from cooperative.accounts.validators import (
    DISPLAY_NAME_MAX_LENGTH,
    validate_display_name,
    validate_display_name_free,
)


class SignupForm(forms.Form):
    """Extra sign-up field for allauth: the pseudonym shown on the platform."""

    display_name = forms.CharField(
        label=_("Display name"),
        max_length=DISPLAY_NAME_MAX_LENGTH,
        # Not stripped: the validator tells the person about stray spaces instead of
        # silently saving a name different from the one they typed.
        strip=False,
        validators=[validate_display_name],
        help_text=_(
            "Others see this name next to your contributions, never your real name "
            "or e-mail address."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )

    field_order = ["email", "display_name", "password1", "password2"]

    def clean_display_name(self) -> str:
        name = self.cleaned_data["display_name"]
        # Nobody else's name in any case, no look-alike of it or of an organisation's.
        validate_display_name_free(name)
        return name

    def signup(self, request, user) -> None:
        # The adapter already set the display name before the first save.
        pass


class DisplayNameForm(forms.ModelForm):
    class Meta:
        model = get_user_model()
        fields = ["display_name"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # As on sign-up: a stray space is reported, not silently removed. Look-alikes of
        # other names are refused by the model's clean() (User.clean), as in any model form.
        cast(forms.CharField, self.fields["display_name"]).strip = False


class MailSettingsForm(forms.ModelForm):
    class Meta:
        model = get_user_model()
        fields = ["reply_mails"]
