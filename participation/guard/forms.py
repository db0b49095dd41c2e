from django import forms
from django.utils.translation import gettext_lazy as _

REASON_MAX_LENGTH = 1000


class CalmModeForm(forms.Form):
    """Start or end calm mode; the reason is shown to readers (start) and kept in the
    history and the audit log."""

    action = forms.ChoiceField(choices=[("start", "start"), ("end", "end")])
    reason = forms.CharField(
        label=_("Reason"),
        min_length=10,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea,
        error_messages={
            "required": _("Please give a reason (at least 10 characters)."),
            "min_length": _("Please give a reason (at least 10 characters)."),
        },
    )
