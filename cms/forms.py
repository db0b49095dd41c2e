"""The feedback form of the accessibility statement: it checks what a person typed and says
so on each field; nothing typed is lost when it refuses."""

from __future__ import annotations

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from cms.models import FEEDBACK_MESSAGE_MAX_LENGTH

NAME_MAX_LENGTH = 200
PAGE_URL_MAX_LENGTH = 500


class AccessibilityFeedbackForm(forms.Form):
    message = forms.CharField(
        label=_("Your message"),
        max_length=FEEDBACK_MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=format_lazy(
            _(
                "Which barrier did you meet, or which content do you need in an accessible "
                "form? At most {max} characters."
            ),
            max=FEEDBACK_MESSAGE_MAX_LENGTH,
        ),
        error_messages={
            "required": _("Please write your message."),
            "max_length": _(
                "Your message can have at most %(limit_value)d characters "
                "(it has %(show_value)d). Please shorten it."
            ),
        },
    )
    page_url = forms.CharField(
        label=_("Page concerned (optional)"),
        max_length=PAGE_URL_MAX_LENGTH,
        required=False,
        help_text=_("The address or the name of the page where you met the barrier."),
        error_messages={
            "max_length": _("The page can have at most %(limit_value)d characters."),
        },
    )
    name = forms.CharField(
        label=_("Your name (optional)"),
        max_length=NAME_MAX_LENGTH,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={
            "max_length": _("The name can have at most %(limit_value)d characters."),
        },
    )
    email = forms.EmailField(
        label=_("Your e-mail address (optional)"),
        required=False,
        help_text=_("Only if you would like an answer."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "invalid": _(
                "Please give a valid e-mail address such as name@example.org, or leave the "
                "field empty."
            ),
        },
    )

    def clean_message(self) -> str:
        message = self.cleaned_data["message"].replace("\r\n", "\n").strip()
        if not message:
            raise forms.ValidationError(_("Please write your message."), code="required")
        return message
