"""The session and the signed-in person come from prebuilt SQL (cooperative/accounts/rows.py):
the same instances the ORM would give, and the same answers for missing, expired and
inactive."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cooperative.accounts.backends import AuthenticationBackend, ModelBackend, user_by_pk
from cooperative.accounts.rows import KeyedRows
from cooperative.accounts.sessions import SessionStore
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def field_values(instance):
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


def test_a_person_is_the_instance_the_orm_gives():
    person = UserFactory(display_name="Kiebitz", is_staff=True)
    person.last_login = timezone.now() - dt.timedelta(hours=3)
    person.save()

    loaded = user_by_pk(person.pk)
    expected = get_user_model().objects.get(pk=person.pk)

    assert field_values(loaded) == field_values(expected)
    assert isinstance(loaded.last_login, dt.datetime) and loaded.last_login.tzinfo is not None
    assert loaded._state.adding is False and loaded._state.db == "default"
    assert loaded.get_session_auth_hash() == expected.get_session_auth_hash()


def test_a_person_is_one_query_and_an_unknown_key_is_none():
    person = UserFactory()
    user_by_pk(person.pk)  # the SQL is written on first use
    with CaptureQueriesContext(connection) as queries:
        assert user_by_pk(person.pk).pk == person.pk
        assert user_by_pk(person.pk + 1000) is None
    assert len(queries) == 2


@pytest.mark.parametrize("backend", [ModelBackend, AuthenticationBackend])
def test_the_backends_refuse_inactive_people_as_django_does(backend):
    active, inactive = UserFactory(), UserFactory(is_active=False)
    assert backend().get_user(active.pk) == active
    assert backend().get_user(inactive.pk) is None
    assert backend().get_user(inactive.pk + active.pk + 1000) is None


def test_a_session_is_read_from_the_database_when_the_cache_lacks_it():
    store = SessionStore()
    store["answer"] = 42
    store.create()
    store._cache.delete(store.cache_key)  # as after a restart

    fresh = SessionStore(store.session_key)
    assert fresh["answer"] == 42
    row = fresh._get_session_from_db()
    assert field_values(row) == field_values(Session.objects.get(pk=store.session_key))


def test_an_expired_or_unknown_session_is_empty_and_gets_a_new_key():
    store = SessionStore()
    store["answer"] = 42
    store.create()
    Session.objects.filter(pk=store.session_key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )
    store._cache.delete(store.cache_key)

    expired = SessionStore(store.session_key)
    assert expired.get("answer") is None
    assert expired.session_key is None  # as Django's store: a new key when it is saved

    unknown = SessionStore("x" * 32)
    assert unknown.get("answer") is None and unknown.session_key is None


def test_conditions_must_be_fields_with_comparison_operators():
    with pytest.raises(ValueError):
        KeyedRows(Session)
    with pytest.raises(ValueError):
        KeyedRows(Session, ("session_key", "LIKE"))


def test_a_signed_in_request_finds_its_session_in_the_database_and_its_person(client):
    from django.core.cache import cache

    person = UserFactory()
    client.force_login(person)
    cache.clear()  # the session only in the database

    response = client.get("/konto/anzeigename/")

    assert response.status_code == 200
    assert response.wsgi_request.user == person
    client.logout()
    assert client.get("/konto/anzeigename/").status_code == 302  # to the login page
