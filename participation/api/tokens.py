"""Creating, finding and revoking API tokens, and recording what a token wrote.

A token reads `alm_<prefix>_<secret>`. The prefix (shown in lists) finds the row; the
database keeps only the SHA-256 of the whole token, so a leaked table gives nobody a
working token. The token itself is shown once, when it is made.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from cooperative.organisations.models import Organisation
from cooperative.organisations.selectors import organisations_of
from cooperative.permissions import allowed
from participation.api.models import ApiToken, TokenScope, TokenUse

TOKEN_PREFIX = "alm"  # noqa: S105 (a visible marker, not a secret)
PREFIX_LENGTH = 10
# Writing `last_used_at` on every request would make every read a write.
LAST_USED_RESOLUTION = timedelta(minutes=5)


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    secret: str  # the full token; never stored, shown once


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _split(raw: str) -> str | None:
    parts = raw.split("_", 2)  # the secret itself may contain "_"
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX or len(parts[1]) != PREFIX_LENGTH:
        return None
    return parts[1]


def token_create(
    *, user, name: str, scopes: Iterable[str], organisation: Organisation | None = None
) -> IssuedToken:
    name = (name or "").strip()
    if not name:
        raise ValidationError(_("Please give the token a name."))
    scopes = sorted(set(scopes))
    if not scopes or any(scope not in TokenScope.values for scope in scopes):
        raise ValidationError(_("Please choose at least one permitted action."))
    if TokenScope.MODERATE in scopes:
        if not allowed(user, "participation_moderation.view_queue"):
            raise ValidationError(_("Only holders of a moderation mandate can moderate."))
        if organisation is not None:
            raise ValidationError(
                _("Moderation acts under personal mandates: an organisation token cannot moderate.")
            )
    if organisation is not None and organisation not in organisations_of(user):
        raise PermissionDenied(_("You hold no role in this organisation."))
    prefix = secrets.token_hex(PREFIX_LENGTH // 2)
    raw = f"{TOKEN_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        user=user,
        organisation=organisation,
        name=name[:80],
        prefix=prefix,
        secret_hash=token_hash(raw),
        scopes=scopes,
    )
    return IssuedToken(token=token, secret=raw)


def token_revoke(*, user, token: ApiToken) -> ApiToken:
    if token.user_id != user.pk:
        raise PermissionDenied
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def token_authenticate(raw: str) -> ApiToken | None:
    """The active token for this secret, with its person and organisation; None otherwise."""
    prefix = _split(raw or "")
    if prefix is None:
        return None
    token = (
        ApiToken.objects.select_related("user", "organisation")
        .filter(prefix=prefix, revoked_at__isnull=True)
        .first()
    )
    if token is None or not hmac.compare_digest(token.secret_hash, token_hash(raw)):
        return None
    if not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def token_use_record(*, token: ApiToken, action: str, target) -> TokenUse:
    """What a token wrote, and on what: the back channel's origin of a contribution."""
    return TokenUse.objects.create(
        token=token,
        action=action,
        target_type=ContentType.objects.get_for_model(target),
        target_id=target.pk,
    )


def tokens_of(user) -> QuerySet[ApiToken]:
    return (
        ApiToken.objects.filter(user=user)
        .select_related("organisation")
        .order_by("revoked_at", "-created_at")
    )
