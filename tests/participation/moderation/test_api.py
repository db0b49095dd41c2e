"""The moderation API: for each mandate scope, the queue lists only what lies inside it, a
decision inside takes effect (201) and one outside is refused (403) with nothing changed;
tokens without the scope, missing credentials and bad input get clear answers."""

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from participation.api.models import TokenScope, TokenUse
from participation.api.tokens import token_create
from participation.comments.models import Comment
from participation.moderation.models import ModerationDecision
from participation.moderation.services import report_create
from tests.participation.moderation.helpers import RULE_FACTS, published_comment

pytestmark = pytest.mark.django_db

QUEUE = "/api/v1/moderation/queue/"
DECISIONS = "/api/v1/moderation/decisions/"
INSIDE = {
    "org_mandate": ("town",),
    "tag_mandate": ("town",),
    "platform_mandate": ("town", "other"),
    "superuser": ("town", "other"),
}
HIDE = {
    "action": "hide",
    "facts": RULE_FACTS,
    "ground_type": "rule",
    "clause": "2",
    "ground_explanation": "Beleidigung nach Nr. 2 der Netiquette.",
}


def notice(target, reporter, ip="10.0.0.1"):
    return report_create(
        target=target,
        reporter=reporter,
        kind="rule",
        clause="2",
        explanation="Eine Beleidigung im Beitrag.",
        good_faith=True,
        ip=ip,
        reporter_name="Erika Meldend",
        reporter_email="erika@example.org",
    )


def bearer(user, scopes=(TokenScope.MODERATE,)):
    secret = token_create(user=user, name="Moderation", scopes=scopes).secret
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.fixture
def reported(w):
    town = published_comment(w.town_consultation, w.author, body="Beitrag in der Stadt")
    other = published_comment(w.other_consultation, w.author, body="Beitrag im Kreis")
    notice(town, w.citizen)
    notice(other, w.citizen)
    return w, {"town": town, "other": other}


def said(msgid: str) -> str:
    """A message as the API gives it: in the platform's language, German."""
    with translation.override("de"):
        return gettext(msgid)


def post(client, headers, body):
    return client.post(DECISIONS, body, content_type="application/json", **headers)


@pytest.mark.parametrize("role", sorted(INSIDE))
def test_each_scope_sees_and_decides_inside_and_gets_403_outside(client, reported, role):
    w, comments = reported
    moderator = getattr(w, role)
    headers = bearer(moderator)
    response = client.get(QUEUE, **headers)
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    listed = {(row["target_kind"], row["target_id"]): row for row in response.json()}
    for place, comment in comments.items():
        inside = place in INSIDE[role]
        assert (("comment", comment.pk) in listed) is inside, (role, place)
        response = post(
            client, headers, {**HIDE, "target_kind": "comment", "target_id": comment.pk}
        )
        comment.refresh_from_db()
        if inside:
            assert response.status_code == 201, response.json()
            decision = ModerationDecision.objects.get(object_id=comment.pk)
            body = response.json()
            assert body["puid"] == str(decision.puid)
            assert body["url"].endswith(decision.get_absolute_url())
            assert body["record"]["puid"] == str(decision.puid)
            assert body["record"]["decision_visibility"]
            assert comment.status == Comment.Status.HIDDEN
            assert decision.moderator == moderator
            assert TokenUse.objects.filter(
                action=TokenScope.MODERATE, target_id=comment.pk
            ).exists()
            # The public record of the decision.
            record = client.get(f"{DECISIONS}{decision.puid}/")
            assert record.status_code == 200
            assert (
                record.json()
                == client.get(f"/moderation/entscheidungen/{decision.puid}.json").json()
            )
        else:
            assert response.status_code == 403
            assert response.json()["detail"] == said(
                "This content is outside your moderation mandate."
            )
            assert comment.status == Comment.Status.PUBLISHED
            assert not ModerationDecision.objects.filter(object_id=comment.pk).exists()
    # The hidden comment has left the public count of its consultation.
    town = comments["town"]
    assert not Comment.objects.filter(
        consultation=town.consultation, status=Comment.Status.PUBLISHED
    ).exists()


def test_a_queue_row_tells_what_a_moderator_needs_and_nothing_about_reporters(client, reported):
    w, comments = reported
    notice(comments["town"], w.editor, ip="10.9.9.9")
    response = client.get(QUEUE, **bearer(w.org_mandate))
    (row,) = response.json()
    assert row["target_kind"] == "comment" and row["target_id"] == comments["town"].pk
    assert row["consultation"] == w.town_consultation.pk
    assert row["consultation_title"] == w.town_consultation.title
    assert row["excerpt"].startswith("Beitrag in der Stadt")
    assert row["reports"] == 2 and row["independent_reports"] == 2
    assert row["illegal_content"] is False and row["awaiting_review"] is False
    assert row["decide_url"].endswith(f"/moderation/entscheiden/beitrag/{comments['town'].pk}/")
    assert row["decisions_url"].endswith(DECISIONS)
    text = response.content.decode()
    for personal in ("Erika", "erika@example.org", "10.0.0.1", w.citizen.email):
        assert personal not in text


@pytest.mark.parametrize("role", ["citizen", "author", "editor", "org_moderator"])
def test_people_without_a_mandate_cannot_get_a_moderation_token(w, role):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        token_create(user=getattr(w, role), name="M", scopes=[TokenScope.MODERATE])


@pytest.mark.parametrize("role", ["citizen", "org_moderator"])
def test_people_without_a_mandate_get_403(client, reported, role):
    w, comments = reported
    user = getattr(w, role)
    headers = bearer(user, scopes=[TokenScope.COMMENT])
    assert client.get(QUEUE, **headers).status_code == 403
    # A mandate that has since ended: the token remains, the moderation does not.
    from cooperative.mandates.models import ModerationMandate

    moderator_headers = bearer(w.org_mandate)
    ModerationMandate.objects.filter(holder_member__user=w.org_mandate).update(
        valid_until=timezone.now() - timezone.timedelta(minutes=1)
    )
    response = client.get(QUEUE, **moderator_headers)
    assert response.status_code == 403
    assert response.json()["detail"] == said(
        "Moderation is for holders of a moderation mandate; you hold none."
    )
    response = post(
        client,
        moderator_headers,
        {**HIDE, "target_kind": "comment", "target_id": comments["town"].pk},
    )
    assert response.status_code == 403
    assert not ModerationDecision.objects.exists()


def test_a_token_without_the_scope_and_no_token_are_refused(client, reported):
    w, comments = reported
    body = {**HIDE, "target_kind": "comment", "target_id": comments["town"].pk}
    headers = bearer(w.platform_mandate, scopes=[TokenScope.COMMENT])
    assert client.get(QUEUE, **headers).status_code == 403
    response = post(client, headers, body)
    assert response.status_code == 403
    assert response.json()["detail"] == said("This token does not permit moderation.")
    assert client.get(QUEUE).status_code == 401
    assert post(client, {}, body).status_code == 401
    # A session is no API credential.
    client.force_login(w.platform_mandate)
    assert post(client, {}, body).status_code == 401
    assert not ModerationDecision.objects.exists()
    comments["town"].refresh_from_db()
    assert comments["town"].status == Comment.Status.PUBLISHED


BAD = [
    ({"action": "obliterate"}, 400, "action"),
    ({"facts": ""}, 400, "facts"),
    ({"facts": "kurz"}, 400, "facts"),
    ({"clause": "99"}, 400, "clause"),
    ({"ground_type": ""}, 400, "ground_type"),
    ({"end_date": "2020-01-01T00:00:00Z"}, 400, "end_date"),
    ({"target_id": "7"}, 400, "target_id"),
    ({"target_kind": "poem"}, 400, "target_kind"),
    ({"action": "suspend"}, 400, "action"),
    ({"target_id": 999_999}, 404, None),
]


@pytest.mark.parametrize(("change", "code", "field"), BAD)
def test_bad_input_is_refused_clearly_and_changes_nothing(client, reported, change, code, field):
    w, comments = reported
    body = {**HIDE, "target_kind": "comment", "target_id": comments["town"].pk, **change}
    response = post(client, bearer(w.org_mandate), body)
    assert response.status_code == code, response.json()
    answer = response.json()
    assert answer["detail"]
    if field:
        assert answer["errors"][field], answer
    assert not ModerationDecision.objects.exists()
    comments["town"].refresh_from_db()
    assert comments["town"].status == Comment.Status.PUBLISHED


def test_suspensions_reach_as_far_as_the_mandate(client, reported):
    w, _comments = reported
    base = {
        **HIDE,
        "action": "suspend",
        "target_kind": "user",
        "target_id": w.author.pk,
        "end_date": (timezone.now() + timezone.timedelta(days=7)).isoformat(),
    }
    headers = bearer(w.org_mandate)
    assert post(client, headers, base).json()["errors"]["scope"]
    assert post(client, headers, {**base, "scope": "platform"}).status_code == 403
    for unknown in ("99999999999999999999", "Stadt", "²"):
        assert post(client, headers, {**base, "scope": unknown}).json()["errors"]["scope"]
    outside = post(client, headers, {**base, "scope": str(w.other_consultation.pk)})
    assert outside.status_code == 403
    assert not ModerationDecision.objects.exists()
    inside = post(client, headers, {**base, "scope": str(w.town_consultation.pk)})
    assert inside.status_code == 201, inside.json()
    decision = ModerationDecision.objects.get()
    assert decision.consultation == w.town_consultation
    response = post(client, bearer(w.platform_mandate), {**base, "scope": "platform"})
    assert response.status_code == 201, response.json()


def test_the_token_page_offers_moderation_to_mandate_holders_only(client, w):
    client.force_login(w.citizen)
    assert 'value="moderate"' not in client.get(reverse("api_tokens")).content.decode()
    client.force_login(w.tag_mandate)
    assert 'value="moderate"' in client.get(reverse("api_tokens")).content.decode()


def test_an_unknown_decision_is_404(client, w):
    import uuid

    assert client.get(f"{DECISIONS}{uuid.uuid4()}/").status_code == 404
