from django import forms
from django.utils.translation import gettext_lazy as _
from taggit.forms import TagField

from participation.proposals.models import (
    BODY_MAX_LENGTH,
    FEEDBACK_MAX_LENGTH,
    FEEDBACK_STATUSES,
    LOCATION_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    ProposalStatus,
)
from participation.proposals.selectors import SORTS


class ProposalForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=TITLE_MAX_LENGTH,
        error_messages={
            "required": _("Please give your proposal a title."),
            "max_length": _("A title can have at most %(limit_value)d characters."),
        },
    )
    body = forms.CharField(
        label=_("Your proposal"),
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={
            "required": _("Please describe your proposal."),
            "max_length": _("A proposal can have at most %(limit_value)d characters."),
        },
    )
    tags = TagField(
        label=_("Topics"),
        required=False,
        help_text=_("Optional, separated by commas, for example: Radweg, Schule."),
    )
    location = forms.CharField(
        label=_("Location"),
        max_length=LOCATION_MAX_LENGTH,
        required=False,
        help_text=_("Optional: a street, a place or an area the proposal is about."),
        error_messages={
            "max_length": _("A location can have at most %(limit_value)d characters."),
        },
    )


class SupportForm(forms.Form):
    action = forms.ChoiceField(choices=[("support", "support"), ("withdraw", "withdraw")])


class FollowForm(forms.Form):
    action = forms.ChoiceField(choices=[("follow", "follow"), ("unfollow", "unfollow")])


class FeedbackForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=FEEDBACK_STATUSES,
        error_messages={"required": _("Please choose a status.")},
    )
    text = forms.CharField(
        label=_("Feedback"),
        max_length=FEEDBACK_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": _("Please explain the status in a few words."),
            "max_length": _("Feedback can have at most %(limit_value)d characters."),
        },
    )


class ProposalQueryForm(forms.Form):
    sort = forms.ChoiceField(choices=[(key, key) for key in SORTS], required=False)
    status = forms.ChoiceField(choices=ProposalStatus.choices, required=False)
    tag = forms.SlugField(required=False, allow_unicode=True)
    page = forms.IntegerField(min_value=1, required=False)
