"""Finding 5 and part of finding 9 of issue 13, each test the attack request by request.

5: the notice form (/moderation/melden/<kind>/<pk>/) showed the text of contributions in a
consultation behind a Wagtail view restriction (password, login, groups) to anyone, while
every other channel refused. Now it asks the rule every channel asks.

9: /moderation/melden/anzeigename/<user id>/ showed the display name of any account to
anyone: counting up the ids listed every account, also those that never wrote anything
public. A display name is now reported from the contribution it was seen with."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from wagtail.models import Page, PageViewRestriction

from participation.comments.models import Comment
from participation.comments.services import comment_create
from participation.moderation.models import Report
from participation.polls.models import Poll, PollChoice
from tests.factories import UserFactory
from tests.participation.moderation.helpers import proposal

pytestmark = pytest.mark.django_db

SECRET = "Protokoll der nichtöffentlichen Sitzung: Grundstück Ringstraße 5"
HIDDEN_NAME = "Verdeckte Vorständin"
NOTICE = {
    "kind": "rule",
    "clause": "2",
    "explanation": "Eine Beleidigung im Beitrag.",
    "reporter_name": "Eva Muster",
    "reporter_email": "eva@example.org",
    "good_faith": "on",
}


def restrict(page, how: str) -> None:
    if how == "unpublished":
        Page.objects.get(pk=page.pk).specific.unpublish()
        return
    restriction = PageViewRestriction.objects.create(
        page=page,
        restriction_type={
            "password": PageViewRestriction.PASSWORD,
            "login": PageViewRestriction.LOGIN,
            "groups": PageViewRestriction.GROUPS,
        }[how],
        password="geheim" if how == "password" else "",
    )
    if how == "groups":
        restriction.groups.add(Group.objects.create(name="Ratsmitglieder"))


def poll_option(page, text: str) -> PollChoice:
    poll = Poll.objects.create(page=page, question="Welche Variante?")
    return PollChoice.objects.create(poll=poll, text=text)


def targets(w, page) -> dict[str, object]:
    return {
        "beitrag": comment_create(author=w.author, consultation=page, body=SECRET),
        "vorschlag": proposal(page, w.author, title=SECRET[:60]),
        "option": poll_option(page, SECRET[:60]),
    }


@pytest.mark.parametrize("how", ["password", "login", "groups", "unpublished"])
def test_the_notice_form_does_not_show_a_restricted_consultations_content(client, w, how):
    page = w.town_consultation
    reportable = targets(w, page)
    assert SECRET[:40] in client.get(f"/moderation/melden/beitrag/{reportable['beitrag'].pk}/").text
    restrict(page, how)

    for kind, target in reportable.items():
        url = f"/moderation/melden/{kind}/{target.pk}/"
        for visitor in (w.anonymous, w.citizen, w.org_mandate):
            reader = Client()
            if visitor.is_authenticated:
                reader.force_login(visitor)
            response = reader.get(url)
            assert response.status_code == 404, (how, kind, visitor)
            assert SECRET[:40] not in response.text
            assert reader.post(url, NOTICE).status_code == 404
            name_url = f"/moderation/melden/{kind}/{target.pk}/anzeigename/"
            assert reader.get(name_url).status_code == 404
    assert not Report.objects.exists()


def test_those_who_may_see_the_consultation_may_still_report_in_it(client, w):
    """The rule of every channel (`view_consultationpage`): its organisation's editors and
    the platform's admins see a restricted consultation, so they may report in it."""
    page = w.town_consultation
    comment = comment_create(author=w.author, consultation=page, body=SECRET)
    restrict(page, "password")
    for person in (w.editor, w.superuser):
        client.force_login(person)
        response = client.get(f"/moderation/melden/beitrag/{comment.pk}/")
        assert response.status_code == 200 and SECRET in response.text


def test_the_notice_form_shows_nothing_that_is_not_public_now(client, w):
    page = w.town_consultation
    comment = comment_create(author=w.author, consultation=page, body=SECRET)
    for status in ("pending", "hidden", "removed"):
        Comment.objects.filter(pk=comment.pk).update(status=status)
        for person in (w.author, w.citizen):
            client.force_login(person)
            response = client.get(f"/moderation/melden/beitrag/{comment.pk}/")
            assert response.status_code == 404 and SECRET not in response.text, status


def test_counting_up_user_ids_no_longer_lists_display_names(client, w):
    hidden = UserFactory(display_name=HIDDEN_NAME)  # has never written anything public
    users = type(hidden).objects.order_by("pk")
    for user in users:
        response = client.get(f"/moderation/melden/anzeigename/{user.pk}/")
        assert response.status_code == 404
        assert user.display_name not in response.text
    assert client.post(f"/moderation/melden/anzeigename/{hidden.pk}/", NOTICE).status_code == 404


def test_a_display_name_is_reported_from_the_contribution_it_was_seen_with(client, w):
    page = w.town_consultation
    comment = comment_create(author=w.author, consultation=page, body="Ein Beitrag.")
    prop = proposal(page, w.author)
    detail = client.get(prop.get_absolute_url()).text
    assert f"/moderation/melden/vorschlag/{prop.pk}/anzeigename/" in detail
    assert f"anzeigename/{w.author.pk}/" not in detail
    form = client.get(f"/moderation/melden/beitrag/{comment.pk}/").text
    assert f"/moderation/melden/beitrag/{comment.pk}/anzeigename/" in form

    url = f"/en/moderation/melden/beitrag/{comment.pk}/anzeigename/"
    page_text = client.get(url).text
    assert w.author.display_name in page_text
    response = client.post(url, NOTICE)

    assert response.status_code == 302
    report = Report.objects.get()
    assert report.target == w.author
    assert report.location_url == comment.get_absolute_url()
    assert report.consultation is None  # display names stay with platform mandates
    # Once the contribution is gone from the public, its author's name cannot be looked up
    # through it either.
    Comment.objects.filter(pk=comment.pk).update(status=Comment.Status.HIDDEN)
    assert client.get(url).status_code == 404


def test_moderation_pages_answer_alike_for_ids_that_exist_and_ids_that_do_not(client, w):
    """A person without a mandate learned from 404 or 403 which account ids exist."""
    client.force_login(w.citizen)
    missing = type(w.citizen).objects.order_by("-pk").first().pk + 1000
    pages = [
        "/moderation/entscheiden/anzeigename/{}/",
        "/moderation/entscheiden/beitrag/{}/",
    ]
    for pattern in pages:
        there = client.get(pattern.format(w.author.pk))
        absent = client.get(pattern.format(missing))
        assert there.status_code == absent.status_code == 403, pattern
    for pattern in (
        "/moderation/freigeben/beitrag/{}/",
        "/moderation/entscheiden/anzeigename/{}/ablehnen/",
    ):
        there = client.post(pattern.format(w.author.pk))
        absent = client.post(pattern.format(missing))
        assert there.status_code == absent.status_code == 403, pattern
