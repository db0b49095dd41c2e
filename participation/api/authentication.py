"""DRF authentication and permissions for the back channel."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.permissions import BasePermission

from cooperative.organisations.selectors import user_has_role
from participation.api.models import ApiToken
from participation.api.tokens import token_authenticate

KEYWORDS = (b"bearer", b"token")


class ApiTokenAuthentication(BaseAuthentication):
    """`Authorization: Bearer alm_...`. A wrong or revoked token is a 401, never anonymous."""

    def authenticate(self, request):
        header = get_authorization_header(request).split()
        if not header or header[0].lower() not in KEYWORDS:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("The Authorization header is malformed."))
        try:
            raw = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("The token is not valid.")) from None
        token = token_authenticate(raw)
        if token is None:
            raise exceptions.AuthenticationFailed(_("The token is not valid or has been revoked."))
        return token.user, token

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="allmende"'


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = ApiTokenAuthentication
    name = "apiToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": _(
                "A personal or organisation API token (alm_...), made on the account page."
            ),
        }


def token_of(request) -> ApiToken | None:
    auth = getattr(request, "auth", None)
    return auth if isinstance(auth, ApiToken) else None


class HasToken(BasePermission):
    """Writes need a token; reads do not."""

    def has_permission(self, request, view) -> bool:
        if token_of(request) is None:
            raise exceptions.NotAuthenticated(_("Writing needs an API token."))
        return True


def check_token_scope(request, scope: str, organisation) -> None:
    """The token permits this action on a consultation of `organisation`.

    An organisation token acts only in its organisation's consultations, and only while its
    person still holds a role there; a personal token acts wherever its person may.
    """
    token = token_of(request)
    if token is None:
        raise exceptions.NotAuthenticated(_("Writing needs an API token."))
    if not token.allows(scope):
        raise exceptions.PermissionDenied(_("This token does not permit this action."))
    if token.organisation_id is not None:
        if organisation is None or organisation.pk != token.organisation_id:
            raise exceptions.PermissionDenied(
                _("This token acts only in the consultations of %(organisation)s.")
                % {"organisation": token.organisation.name if token.organisation else ""}
            )
        if not any(
            user_has_role(token.user, token.organisation_id, role)
            for role in ("editor", "speaker", "moderator", "representative")
        ):
            raise exceptions.PermissionDenied(
                _("The person of this token no longer holds a role in the organisation.")
            )
