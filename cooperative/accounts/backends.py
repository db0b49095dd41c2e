"""Authentication backends that load the signed-in person from prebuilt SQL.

Django's and allauth's backends as they are, except `get_user`, which every request with
a session calls: the same row, without compiling the query each time (cooperative/sql.py).
Sessions name the backend that logged the person in; both kinds of login (the test
client's and allauth's) end up here."""

from __future__ import annotations

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend

from cooperative.sql import KeyedRows

_users: KeyedRows | None = None


def user_by_pk(user_id):
    """The person with this key, as `User._default_manager.get(pk=...)` gives them, or None."""
    global _users
    if _users is None:
        _users = KeyedRows(get_user_model(), ("id", "="))
    return _users.get(user_id)


class FastGetUser:
    def get_user(self, user_id):
        user = user_by_pk(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None  # type: ignore[attr-defined]


class ModelBackend(FastGetUser, DjangoModelBackend):
    """django.contrib.auth.backends.ModelBackend with a faster `get_user`."""


class AuthenticationBackend(FastGetUser, AllauthBackend):
    """allauth's backend (log in with e-mail or username) with a faster `get_user`."""
