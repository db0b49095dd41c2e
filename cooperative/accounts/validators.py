import unicodedata

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cooperative.names import has_visible_character, invisible_characters, lookalikes
from cooperative.organisations.models import Organisation

DISPLAY_NAME_MIN_LENGTH = 3
DISPLAY_NAME_MAX_LENGTH = 40


def validate_display_name(value: str) -> None:
    """Letters, digits, spaces and a little punctuation; nothing invisible."""
    stripped = value.strip()
    if stripped != value:
        raise ValidationError(_("A display name cannot start or end with a space."))
    if not DISPLAY_NAME_MIN_LENGTH <= len(value) <= DISPLAY_NAME_MAX_LENGTH:
        raise ValidationError(
            _("A display name has between %(min)d and %(max)d characters."),
            params={"min": DISPLAY_NAME_MIN_LENGTH, "max": DISPLAY_NAME_MAX_LENGTH},
        )
    if "  " in value:
        raise ValidationError(_("A display name cannot contain two spaces in a row."))
    invisible = invisible_characters(value)
    if invisible:
        # Zero-width characters, Hangul fillers (letters that show nothing), controls.
        raise ValidationError(
            _(
                "A display name cannot contain invisible characters (such as zero-width "
                "spaces or fillers); this one contains %(characters)s."
            ),
            params={"characters": ", ".join(invisible)},
            code="invisible",
        )
    if not has_visible_character(value):
        raise ValidationError(
            _("A display name needs at least one visible letter or digit."), code="blank"
        )
    for char in value:
        category = unicodedata.category(char)
        if category[0] in {"L", "N"} or char in " .-_'":
            continue
        raise ValidationError(
            _("A display name may contain letters, digits, spaces and . - _ ' only."),
        )


def validate_display_name_free(name: str, *, user=None) -> None:
    """Refuses a display name that is another person's (in any case) or looks like it, or
    like the name of an organisation (UTS #39 skeletons, cooperative/names.py). `user` is
    the person whose name it is to be; their current name does not count."""
    if not name:
        return
    others = get_user_model().objects.filter(lookalikes("display_name", name))
    if user is not None and user.pk is not None:
        others = others.exclude(pk=user.pk)
    if others.filter(display_name__iexact=name).exists():
        raise ValidationError(_("This display name is already taken."), code="taken")
    if others.exists():
        raise ValidationError(
            _(
                "This display name looks too much like the name of another person on the "
                "platform. Please choose a different one."
            ),
            code="lookalike",
        )
    if Organisation.objects.filter(lookalikes("name", name)).exists():
        raise ValidationError(
            _(
                "This display name looks like the name of an organisation on the platform. "
                "Please choose a name that cannot be mistaken for it."
            ),
            code="organisation",
        )
