"""Display names and organisation names (issue 13, finding 9): no look-alike of another
name (a Cyrillic a in "Redaktion Musterstadt"), no invisible name (Hangul filler U+3164,
zero-width characters, combining marks alone), on every path that sets one: sign-up, the
account page, the Wagtail admin's organisation form. The attacks are made request by
request; the comparison goes by the UTS #39 skeletons kept in indexed columns."""

from __future__ import annotations

import html

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cooperative.accounts.validators import validate_display_name_free
from cooperative.names import name_skeleton, name_skeleton_folded
from cooperative.organisations.models import Organisation
from tests.factories import (
    TEST_PASSWORD,
    OrganisationFactory,
    UserFactory,
    log_in_with_second_factor,
)

pytestmark = pytest.mark.django_db

User = get_user_model()
CYRILLIC_A = "\u0430"
TAKEN = "Dieser Anzeigename ist bereits vergeben."
LOOKS_LIKE_PERSON = "sieht dem Namen einer anderen Person auf der Plattform zu ähnlich"
LOOKS_LIKE_ORGANISATION = "sieht aus wie der Name einer Organisation auf der Plattform"
INVISIBLE = "Ein Anzeigename darf keine unsichtbaren Zeichen enthalten"
BLANK = "Ein Anzeigename braucht mindestens einen sichtbaren Buchstaben oder eine Ziffer."


def signup(client, display_name: str, email: str = "neu@example.org"):
    return client.post(
        "/konto/signup/",
        {
            "email": email,
            "display_name": display_name,
            "password1": TEST_PASSWORD,
            "password2": TEST_PASSWORD,
        },
    )


def refused(response, message: str, email: str = "neu@example.org") -> None:
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert message in page, page[page.find("<main") : page.find("</main>")]
    assert not User.objects.filter(email=email).exists()


@pytest.fixture
def redaktion(db):
    return UserFactory(display_name="Redaktion Musterstadt")


# --- look-alikes of a person's name


@pytest.mark.parametrize(
    "lookalike",
    [
        f"Redaktion Musterst{CYRILLIC_A}dt",  # Cyrillic a
        f"REDAKTION MUSTERST{CYRILLIC_A.upper()}DT",  # in capitals, Cyrillic A
        "Re\u0501aktion Musterst\u0430\u0501t",  # Cyrillic a and d
        "Redakti\u03bfn Musterstadt",  # Greek omicron
        "Redakti0n Musterstadt",  # digit zero
        "\uff32edaktion Musterstadt",  # full-width R (NFKC)
    ],
)
def test_signup_refuses_a_lookalike_of_a_display_name(client, redaktion, lookalike):
    refused(signup(client, lookalike), LOOKS_LIKE_PERSON)


def test_signup_refuses_l_for_capital_i_as_written(client):
    UserFactory(display_name="Ida Imker")
    refused(signup(client, "lda lmker"), LOOKS_LIKE_PERSON)


def test_signup_refuses_the_same_name_in_other_case_as_taken(client, redaktion):
    refused(signup(client, "redaktion musterstadt"), TAKEN)


def test_signup_refuses_a_lookalike_of_an_organisation_name(client):
    OrganisationFactory(name="Stadt Musterstadt", slug="musterstadt")
    refused(signup(client, f"Stadt Musterst{CYRILLIC_A}dt"), LOOKS_LIKE_ORGANISATION)
    refused(signup(client, "stadt musterstadt"), LOOKS_LIKE_ORGANISATION)


def test_different_names_in_any_script_stay_allowed(client, redaktion):
    OrganisationFactory(name="Stadt Musterstadt", slug="musterstadt")
    for number, name in enumerate(
        ["Redaktion Musterdorf", "Jürgen Zoë", "Анна Петрова", "李小龍", "Ida", "Elke", "Eike"]
    ):
        response = signup(client, name, email=f"person{number}@example.org")
        assert response.status_code == 302, (name, response.content[:2000])
        user = User.objects.get(email=f"person{number}@example.org")
        assert user.display_name == name
        assert user.display_name_skeleton == name_skeleton(name)
        assert user.display_name_skeleton_folded == name_skeleton_folded(name)


# --- invisible names


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("\u3164\u3164\u3164", INVISIBLE),  # Hangul filler, a "letter" that shows nothing
        ("\u115f\u1160\uffa0", INVISIBLE),  # the other Hangul fillers
        ("Anna\u200b", INVISIBLE),  # zero-width space
        (f"Redaktion\u200d Musterst{CYRILLIC_A}dt", INVISIBLE),  # zero-width joiner
        ("Ann\u00ada", INVISIBLE),  # soft hyphen
        ("Bob\u2060by", INVISIBLE),  # word joiner
        ("Eva\ufe0f", INVISIBLE),  # variation selector
        ("\u0301\u0301\u0301", BLANK),  # combining marks alone
        ("\u202eadmin", INVISIBLE),  # right-to-left override
    ],
)
def test_signup_refuses_invisible_characters_and_names_without_a_visible_one(client, name, message):
    refused(signup(client, name), message)


# --- the account page


def test_the_account_page_refuses_a_lookalike_and_keeps_the_old_name(client, redaktion):
    user = UserFactory(display_name="Kiebitz")
    client.force_login(user)

    response = client.post(
        reverse("account_display_name"), {"display_name": f"Redaktion Musterst{CYRILLIC_A}dt"}
    )

    assert response.status_code == 200
    assert LOOKS_LIKE_PERSON in html.unescape(response.content.decode())
    user.refresh_from_db()
    assert user.display_name == "Kiebitz"

    response = client.post(reverse("account_display_name"), {"display_name": "\u3164\u3164\u3164"})
    assert INVISIBLE in html.unescape(response.content.decode())
    user.refresh_from_db()
    assert user.display_name == "Kiebitz"


def test_the_account_page_refuses_an_organisation_name(client):
    OrganisationFactory(name="Stadt Musterstadt", slug="musterstadt")
    user = UserFactory(display_name="Kiebitz")
    client.force_login(user)

    response = client.post(reverse("account_display_name"), {"display_name": "Stadt Musterstadt"})

    assert LOOKS_LIKE_ORGANISATION in html.unescape(response.content.decode())
    user.refresh_from_db()
    assert user.display_name == "Kiebitz"


def test_ones_own_name_in_other_letters_case_stays_allowed(client):
    user = UserFactory(display_name="Kiebitz Zwei")
    client.force_login(user)

    response = client.post(reverse("account_display_name"), {"display_name": "KIEBITZ ZWEI"})

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.display_name == "KIEBITZ ZWEI"
    assert user.display_name_skeleton == name_skeleton("KIEBITZ ZWEI")


# --- organisations in the Wagtail admin


@pytest.fixture
def wagtail_admin(client):
    admin = UserFactory(display_name="Verwaltung", is_superuser=True, is_staff=True)
    log_in_with_second_factor(client, admin)
    return client


def organisation_form(name: str, slug: str) -> dict:
    return {
        "name": name,
        "slug": slug,
        "kind": "municipality",
        "description": "",
        "website": "",
        "roles-TOTAL_FORMS": "0",
        "roles-INITIAL_FORMS": "0",
        "roles-MIN_NUM_FORMS": "0",
        "roles-MAX_NUM_FORMS": "1000",
    }


def test_the_admin_refuses_a_lookalike_organisation_name(wagtail_admin):
    OrganisationFactory(name="Stadt Musterstadt", slug="musterstadt")
    add = reverse("wagtailsnippets_cooperative_organisations_organisation:add")

    response = wagtail_admin.post(
        add, organisation_form(f"Stadt Musterst{CYRILLIC_A}dt", "musterstadt-2")
    )

    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert "sieht dem Namen einer anderen Organisation zu ähnlich" in page
    assert "Stadt Musterstadt" in page
    assert Organisation.objects.count() == 1

    response = wagtail_admin.post(add, organisation_form("\u3164\u3164", "fueller"))
    assert response.status_code == 200
    assert "unsichtbaren Zeichen" in html.unescape(response.content.decode())
    assert Organisation.objects.count() == 1

    response = wagtail_admin.post(add, organisation_form("Kreis Musterkreis", "musterkreis"))
    assert response.status_code == 302
    created = Organisation.objects.get(slug="musterkreis")
    assert created.name_skeleton_folded == name_skeleton_folded("Kreis Musterkreis")


def test_the_admin_can_edit_an_organisation_without_renaming_it(wagtail_admin):
    organisation = OrganisationFactory(name="Stadt Musterstadt", slug="musterstadt")
    edit = reverse(
        "wagtailsnippets_cooperative_organisations_organisation:edit", args=[organisation.pk]
    )
    form = organisation_form("Stadt Musterstadt", "musterstadt")
    form["description"] = "Die Stadt."

    response = wagtail_admin.post(edit, form)

    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.description == "Die Stadt."


# --- how names are compared


def test_a_new_name_is_compared_by_index_not_by_reading_every_name(redaktion):
    UserFactory.create_batch(5)
    with CaptureQueriesContext(connection) as queries, pytest.raises(ValidationError) as refusal:
        validate_display_name_free(f"Redaktion Musterst{CYRILLIC_A}dt")
    assert refusal.value.code == "lookalike"
    sql = " ".join(query["sql"] for query in queries.captured_queries)
    assert len(queries.captured_queries) <= 3
    assert "display_name_skeleton" in sql
    indexes = connection.introspection.get_constraints(connection.cursor(), User._meta.db_table)
    indexed = {tuple(c["columns"]) for c in indexes.values() if c["index"]}
    assert ("display_name_skeleton",) in indexed
    assert ("display_name_skeleton_folded",) in indexed


def test_every_save_keeps_the_skeletons(db):
    user = UserFactory(display_name="Anna Amsel")
    assert user.display_name_skeleton_folded == name_skeleton_folded("Anna Amsel")
    user.display_name = "Berta Buchfink"
    user.save()
    user.refresh_from_db()
    assert user.display_name_skeleton == name_skeleton("Berta Buchfink")
    User.objects.bulk_create(
        [User(username="bulk", email="bulk@example.org", display_name="Cäcilie")]
    )
    assert User.objects.get(username="bulk").display_name_skeleton_folded == (
        name_skeleton_folded("Cäcilie")
    )


def test_skeletons_follow_uts39():
    assert name_skeleton(f"Redaktion Musterst{CYRILLIC_A}dt") == name_skeleton(
        "Redaktion Musterstadt"
    )
    assert name_skeleton("rn") == name_skeleton("m")
    assert name_skeleton("Ian") == name_skeleton("lan")
    assert name_skeleton_folded("B0B") == name_skeleton_folded("bob")
    assert name_skeleton_folded("Elke") != name_skeleton_folded("Eike")
    assert name_skeleton("A\u200bB") == name_skeleton("AB")
    assert name_skeleton_folded("\u3164") == ""


@pytest.mark.django_db
def test_the_admin_sidebar_greets_by_display_name_not_by_username(client):
    from tests.factories import log_in_with_second_factor

    editor = UserFactory(display_name="Redaktion Nord", username="u-4711", is_superuser=True)
    log_in_with_second_factor(client, editor)

    html = client.get("/admin/").content.decode()

    assert "Redaktion Nord" in html
    assert "u-4711" not in html
    editor.display_name = "Redaktion Süd"
    editor.save(update_fields=["display_name"])
    editor.refresh_from_db()
    assert editor.first_name == "Redaktion Süd"
