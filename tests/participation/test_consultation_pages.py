import os

import pytest
from django.urls import reverse

from tests.factories import consultation

pytestmark = pytest.mark.django_db


def test_open_consultation_shows_phase_actions_and_presence(client, organisation_area):
    _org, index = organisation_area
    page = consultation(index, title="Radwege", state="open", tags=("Verkehr",))
    response = client.get(page.url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Radwege" in html
    assert "Offen" in html  # state badge, German by default
    assert "Stadt Musterstadt" in html  # owner organisation
    assert "Beiträge schreiben und anderen antworten" in html
    assert f'data-presence-for="{page.pk}"' in html
    assert 'aria-current="step"' in html  # the running phase is marked


def test_finished_consultation_shows_results(client, organisation_area):
    _org, index = organisation_area
    page = consultation(
        index, title="Spielplatz", state="finished", results_summary="<p>Schatten gewünscht</p>"
    )
    html = client.get(page.url).content.decode()
    assert "Ergebnisse" in html
    assert "Schatten gewünscht" in html
    assert "Die Beteiligung ist beendet" in html


def test_results_stay_hidden_while_open(client, organisation_area):
    _org, index = organisation_area
    page = consultation(index, title="Markt", state="open", results_summary="<p>Geheim</p>")
    assert "Geheim" not in client.get(page.url).content.decode()


def test_draft_is_not_served_to_the_public(client, organisation_area):
    _org, index = organisation_area
    page = consultation(index, title="Entwurf", live=False)
    assert client.get(f"/{index.slug}/{page.slug}/").status_code == 404


def test_organisation_area_lists_its_consultations(
    client, organisation_area, other_organisation_area
):
    _org, index = organisation_area
    _other, other_index = other_organisation_area
    consultation(index, title="Radwege")
    consultation(other_index, title="Busse")
    html = client.get(index.url).content.decode()
    assert "Radwege" in html
    assert "Busse" not in html


def test_english_interface(client, organisation_area):
    _org, index = organisation_area
    page = consultation(index, title="Radwege", state="open")
    html = client.get(f"/en{page.url}").content.decode()
    assert 'lang="en"' in html
    assert "Take part" in html
    assert "Mitmachen" not in html


def test_home_page_counts_consultations_by_state(client, organisation_area):
    _org, index = organisation_area
    consultation(index, title="Eins", state="open")
    consultation(index, title="Zwei", state="finished")
    response = client.get("/")
    assert response.status_code == 200
    counts = response.context["state_counts"]
    assert counts["open"] == 1
    assert counts["finished"] == 1
    assert reverse("consultation_list") in response.content.decode()


def test_demo_content_loads_twice_without_duplicates(db):
    from django.core.management import call_command

    from participation.consultations.models import ConsultationPage

    call_command("demo_content", stdout=open(os.devnull, "w"))  # noqa: SIM115
    first = ConsultationPage.objects.count()
    call_command("demo_content", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert ConsultationPage.objects.count() == first
    states = {page.state() for page in ConsultationPage.objects.all()}
    assert states == {"upcoming", "open", "evaluation", "finished"}


def test_demo_replies_notify_in_the_app_but_send_no_mail(
    db, mailoutbox, django_capture_on_commit_callbacks
):
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from participation.notifications.models import Notification

    with django_capture_on_commit_callbacks(execute=True):
        call_command("demo_content", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert Notification.objects.filter(kind=Notification.Kind.REPLY).exists()
    assert [m.subject for m in mailoutbox if "Antwort auf Ihren Beitrag" in m.subject] == []
    # The setting is on for every demo person afterwards, as for anyone who signs up.
    assert not get_user_model().objects.filter(reply_mails=False).exists()
