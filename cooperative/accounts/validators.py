import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

DISPLAY_NAME_MIN_LENGTH = 3
DISPLAY_NAME_MAX_LENGTH = 40


def validate_display_name(value: str) -> None:
    """Letters, digits, spaces and a little punctuation; no look-alike tricks."""
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
    for char in value:
        category = unicodedata.category(char)
        if category[0] in {"L", "N"} or char in " .-_'":
            continue
        raise ValidationError(
            _("A display name may contain letters, digits, spaces and . - _ ' only."),
        )
