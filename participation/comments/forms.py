from django import forms
from django.utils.translation import gettext_lazy as _

from participation.comments.models import BODY_MAX_LENGTH, Reaction
from participation.comments.selectors import SORTS


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your contribution"),
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5, "data-counter": "true"}),
        help_text=_(
            "Simple formatting: **bold**, *italic*, [link](https://…), lists with “- ”. "
            "At most %(max)d characters."
        )
        % {"max": BODY_MAX_LENGTH},
        error_messages={
            "required": _("Please write something before you send."),
            "max_length": _("A contribution can have at most %(limit_value)d characters."),
        },
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)
    # What the contribution is about (targets.py): "paragraph:<block id>", "proposal:<pk>";
    # empty for the consultation itself.
    target = forms.CharField(required=False, max_length=100, widget=forms.HiddenInput)
    official = forms.BooleanField(
        label=_("Publish as the official statement of the organisation"), required=False
    )


class ReactionForm(forms.Form):
    kind = forms.ChoiceField(choices=Reaction.Kind.choices)


class ThreadQueryForm(forms.Form):
    sort = forms.ChoiceField(choices=[(key, key) for key in SORTS], required=False)
    page = forms.IntegerField(min_value=1, required=False)
    official = forms.BooleanField(required=False)
    target = forms.CharField(required=False, max_length=100)


class DraftTextQueryForm(forms.Form):
    view = forms.ChoiceField(choices=[("inline", "inline"), ("aside", "aside")], required=False)
    open = forms.CharField(required=False, max_length=64)
