from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from cooperative.accounts.validators import validate_display_name, validate_display_name_free
from cooperative.names import NameSkeletonField, skeletons_unchanged


class User(AbstractUser):
    """A person on the platform. Others only ever see the display name (pseudonym)."""

    email = models.EmailField(_("e-mail address"), unique=True)
    display_name = models.CharField(
        _("display name"),
        max_length=40,
        validators=[validate_display_name],
        help_text=_("Shown next to your contributions instead of your name."),
    )
    # Its UTS #39 skeletons, to find look-alikes by index (cooperative/names.py).
    display_name_skeleton = NameSkeletonField(source="display_name")
    display_name_skeleton_folded = NameSkeletonField(source="display_name", folded=True)
    reply_mails = models.BooleanField(
        _("e-mail me when someone replies to one of my contributions"),
        default=True,
        help_text=_(
            "You always see replies under “Notifications”; this sends each one to your "
            "e-mail address as well."
        ),
    )

    REQUIRED_FIELDS = ["email", "display_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(
                Lower("display_name"),
                condition=~models.Q(display_name=""),
                name="accounts_user_display_name_ci_unique",
                violation_error_message=_("This display name is already taken."),
            )
        ]
        indexes = [
            models.Index(fields=["display_name_skeleton"], name="accounts_user_dn_skeleton"),
            models.Index(
                fields=["display_name_skeleton_folded"], name="accounts_user_dn_skeleton_cf"
            ),
        ]

    def __str__(self) -> str:
        return self.display_name or self.username

    def save(self, *args, **kwargs) -> None:
        # Wagtail's sidebar greets a person by `first_name`, else by the username: a copy of
        # the pseudonym, never a real first name (the platform asks for none).
        self.first_name = self.display_name[:150]
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "display_name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "first_name"}
        super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        # Every model form that sets a display name (the account page, an admin form):
        # no one else's, no look-alike of it or of an organisation's name. A name whose
        # skeletons are those already stored is the person's own and stays allowed.
        if not skeletons_unchanged(self, "display_name", "display_name"):
            try:
                validate_display_name_free(self.display_name, user=self)
            except ValidationError as error:
                raise ValidationError({"display_name": error}) from None

    def get_full_name(self) -> str:
        # Wagtail and allauth show this in greetings and lists: keep it the pseudonym.
        return self.display_name or self.username

    def get_short_name(self) -> str:
        return self.display_name or self.username
