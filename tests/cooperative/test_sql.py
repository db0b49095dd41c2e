"""The SQL Allmende writes itself (cooperative/sql.py) gives what the ORM or Wagtail give:
the session and the signed-in person as the ORM's instances, with the same answers for
missing, expired and inactive; Wagtail's view restriction rule for every restriction type,
on the page, an ancestor and through aliases; an insert that yields to a unique
constraint."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cooperative.accounts.backends import AuthenticationBackend, ModelBackend, user_by_pk
from cooperative.accounts.sessions import SessionStore
from cooperative.sql import KeyedRows
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


# --- Wagtail's view restriction rule, against Wagtail itself ---------------------------


@pytest.fixture
def tree():
    """root > top > middle > leaf, and root > other > alias of middle > under the alias."""
    from wagtail.models import Page

    root = Page.get_first_root_node()

    def add(parent, slug):
        return parent.add_child(instance=Page(title=slug, slug=slug))

    top = add(root, "oben")
    middle = add(top, "mitte")
    leaf = add(middle, "blatt")
    other = add(root, "anderswo")
    alias = middle.create_alias(parent=other, update_slug="mitte-als-alias")
    under_alias = add(alias, "unter-dem-alias")
    return {
        "top": top,
        "middle": middle,
        "leaf": leaf,
        "other": other,
        "alias": alias,
        "under_alias": under_alias,
    }


def restrict(page, kind):
    from django.contrib.auth.models import Group
    from wagtail.models import PageViewRestriction

    restriction = PageViewRestriction.objects.create(
        page=page,
        restriction_type=kind,
        password="geheim" if kind == PageViewRestriction.PASSWORD else "",
    )
    if kind == PageViewRestriction.GROUPS:
        restriction.groups.add(Group.objects.create(name="Eingeweihte"))


@pytest.mark.parametrize("where", [None, "top", "middle", "leaf", "other", "alias"])
def test_a_page_is_restricted_exactly_when_wagtail_finds_a_restriction(tree, where):
    from wagtail.models import Page, PageViewRestriction

    from cooperative.sql import page_view_restricted

    for kind in ("password", "login", "groups"):
        PageViewRestriction.objects.all().delete()
        if where is not None:
            restrict(tree[where], kind)
        for name, page in tree.items():
            page = Page.objects.get(pk=page.pk)
            expected = page.get_view_restrictions().exists()
            assert page_view_restricted(page) is expected, (kind, name)
        # An alias counts with its source's restrictions, not with the source's ancestors'
        # (below an alias, Wagtail resolves each alias on the way up to its source page).
        assert page_view_restricted(tree["under_alias"]) is (where in ("middle", "other")), kind
        assert page_view_restricted(tree["alias"]) is (where in ("middle", "other")), kind


# --- an insert that yields to a unique constraint ----------------------------------------


def test_an_insert_yields_to_the_unique_constraint_and_says_so():
    from django.contrib.auth.models import Group, Permission

    from cooperative.sql import insert_or_nothing

    group = Group(name="Erste")
    assert insert_or_nothing(group, unique=("name",)) is True
    assert group.pk is not None and group._state.adding is False
    assert Group.objects.get(pk=group.pk).name == "Erste"

    again = Group(name="Erste")
    assert insert_or_nothing(again, unique=("name",)) is False
    assert again.pk is None
    assert Group.objects.filter(name="Erste").count() == 1
    assert Permission.objects.exists()  # the test database is intact
