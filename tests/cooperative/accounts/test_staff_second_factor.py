"""Staff act only with a second factor (issue 13, finding 1): editors, moderators, the
board and admins get a page that says how to set two-factor authentication up instead of
the admin, the moderators' views or the board's pages, until their session was signed in
(or confirmed) with their TOTP authenticator. Everyone else is refused as before."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from cooperative.accounts.second_factor import is_guarded
from cooperative.accounts.staff import user_is_staff
from cooperative.mandates.models import ModerationMandate
from cooperative.membership.models import Member
from cooperative.membership.services import membership_apply
from participation.api.models import ApiToken
from participation.comments.models import Comment
from participation.gate.models import CalmMode
from participation.moderation.models import ModerationDecision, Report
from participation.moderation.services import report_create
from tests.cooperative.governance.helpers import representative_of_member_organisation
from tests.factories import (
    TEST_PASSWORD,
    UserFactory,
    log_in_with_second_factor,
    totp_authenticator,
    totp_code,
)
from tests.participation.moderation.helpers import RULE_FACTS, published_comment, world

pytestmark = pytest.mark.django_db

PAGE_TITLE = "Zwei-Faktor-Authentifizierung erforderlich"
SETUP_LINK = 'href="/konto/2fa/totp/activate/"'


@pytest.fixture
def w(db):
    return world()


def guarded_urls(w) -> dict[str, list[str]]:
    calm_mode = reverse("guard_calm_mode", args=[w.town_consultation.pk])
    return {
        "editor": ["/admin/", "/admin/account/"],
        "superuser": ["/admin/", "/moderation/", "/moderation/beschwerden/", calm_mode],
        "org_mandate": ["/moderation/", "/moderation/beschwerden/", calm_mode],
        "board": [
            reverse("member_register"),
            reverse("member_register_csv"),
            reverse("mandate_create"),
        ],
    }


STAFF = ["editor", "superuser", "org_mandate", "board"]


@pytest.mark.parametrize("role", STAFF)
def test_staff_without_an_authenticator_get_the_setup_page_instead(client, w, role):
    client.force_login(getattr(w, role))
    for url in guarded_urls(w)[role]:
        response = client.get(url)
        page = response.content.decode()
        assert response.status_code == 403, url
        assert PAGE_TITLE in page, url
        assert SETUP_LINK in page, url
        assert '<html lang="de">' in page


@pytest.mark.parametrize("role", STAFF)
def test_staff_signed_in_with_their_second_factor_act(client, w, role):
    log_in_with_second_factor(client, getattr(w, role))
    for url in guarded_urls(w)[role]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert PAGE_TITLE not in response.content.decode(), url


def test_a_password_only_session_is_confirmed_with_a_code_and_leads_back(client, w):
    moderator = w.org_mandate
    secret = totp_authenticator(moderator)
    client.force_login(moderator)  # a session without the second factor

    page = client.get("/moderation/?status=open").content.decode()
    confirm = "/konto/2fa/reauthenticate/?next=%2Fmoderation%2F%3Fstatus%3Dopen"
    assert f'href="{confirm}"' in page
    assert SETUP_LINK not in page

    response = client.post(confirm, {"code": totp_code(secret)})
    assert response["Location"] == "/moderation/?status=open"
    assert client.get("/moderation/").status_code == 200


def test_english_speakers_get_the_page_in_english(client, w):
    client.force_login(w.board)
    page = client.get("/en" + reverse("member_register")).content.decode()
    assert "Two-factor authentication required" in page
    assert 'href="/en/konto/2fa/totp/activate/"' in page


# The attacks: a staff password alone (a session without the second factor) does nothing.


def test_a_moderator_without_second_factor_cannot_hide_a_contribution(client, w):
    comment = published_comment(w.town_consultation, w.author)
    client.force_login(w.org_mandate)
    response = client.post(
        f"/moderation/entscheiden/beitrag/{comment.pk}/",
        {
            "action": "hide",
            "facts": RULE_FACTS,
            "ground_type": "rule",
            "clause": "2",
            "ground_explanation": "Beleidigung nach Nr. 2 der Netiquette.",
        },
    )
    comment.refresh_from_db()
    assert response.status_code == 403
    assert comment.status == Comment.Status.PUBLISHED
    assert not ModerationDecision.objects.exists()
    # Nor turn notices away, nor switch calm mode on.
    report = report_create(
        target=comment,
        reporter=w.citizen,
        kind="rule",
        clause="2",
        explanation="Eine Beleidigung im Beitrag.",
        good_faith=True,
        ip="10.0.0.1",
    )
    client.post(
        f"/moderation/entscheiden/beitrag/{comment.pk}/ablehnen/",
        {"reasons": "Keine Beleidigung."},
    )
    client.post(
        reverse("guard_calm_mode", args=[w.town_consultation.pk]),
        {"action": "start", "reason": "Sturm im Wasserglas"},
    )
    report.refresh_from_db()
    assert report.status == Report.Status.OPEN
    assert not CalmMode.objects.exists()


def test_the_board_without_second_factor_cannot_admit_members_or_grant_mandates(client, w):
    applicant = UserFactory()
    application = membership_apply(
        applied_by=applicant,
        organisation=None,
        member_group="citizens",
        shares=1,
        legal_name="Maria Muster",
        address="Lindenweg 5, 50667 Köln",
    )
    mandates = ModerationMandate.objects.count()
    client.force_login(w.board)
    client.post(
        reverse("membership_decide", args=[application.pk]),
        {f"decide-{application.pk}-decision": "admit"},
    )
    client.post(
        reverse("mandate_create"),
        {
            "holder_member": Member.objects.filter(number__isnull=False).first().pk,
            "scope": "platform",
            "valid_from": (timezone.localtime() - timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    application.refresh_from_db()
    assert application.status == Member.Status.APPLIED
    assert ModerationMandate.objects.count() == mandates
    assert "Lindenweg" not in client.get(reverse("member_register_csv")).content.decode()


def test_an_editor_without_second_factor_cannot_use_the_admin_api(client, w):
    client.force_login(w.editor)
    response = client.get("/admin/api/main/pages/")
    assert response.status_code == 403
    assert "Radwege" not in response.content.decode()


@pytest.mark.parametrize("role", ["citizen", "author", "org_moderator", "editor"])
def test_the_moderation_area_refuses_others_as_before(client, w, role):
    """No page about two factors for people who have no power here: the view's own refusal
    (an organisation's moderator without a mandate is staff, and gets the page)."""
    person = getattr(w, role)
    log_in_with_second_factor(client, person)
    response = client.get("/moderation/")
    assert response.status_code == 403
    assert PAGE_TITLE not in response.content.decode()
    client.force_login(w.citizen)
    response = client.get(reverse("member_register"))
    assert response.status_code == 403
    assert PAGE_TITLE not in response.content.decode()


def test_the_public_notice_form_and_decisions_need_no_second_factor(client, w):
    comment = published_comment(w.town_consultation, w.author)
    client.force_login(w.editor)
    assert client.get(f"/moderation/melden/beitrag/{comment.pk}/").status_code == 200
    assert client.get("/moderation/meine/").status_code == 200
    assert client.get("/genossenschaft/").status_code == 200


# API tokens carry their holder's powers for as long as they live.


def test_staff_make_api_tokens_only_with_their_second_factor(client, w):
    client.force_login(w.org_mandate)
    response = client.post(
        "/konto/api-zugaenge/", {"name": "Moderation", "scopes": ["comment", "moderate"]}
    )
    assert response.status_code == 403
    assert PAGE_TITLE in response.content.decode()
    assert not ApiToken.objects.exists()
    # Seeing and revoking their tokens needs nothing more.
    assert client.get("/konto/api-zugaenge/").status_code == 200


def test_a_session_alone_mints_no_token_until_the_person_confirms_who_they_are(client, w):
    client.force_login(w.citizen)
    data = {"name": "Mein Skript", "scopes": ["comment"]}
    response = client.post("/konto/api-zugaenge/", data)
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/reauthenticate/")
    assert not ApiToken.objects.exists()

    # The password again, and the request it interrupted goes through.
    page = client.post(response["Location"], {"password": TEST_PASSWORD})
    assert page.status_code == 200
    token = ApiToken.objects.get()
    assert token.user == w.citizen
    assert f"alm_{token.prefix}_" in page.content.decode()


# Who is staff, and which URLs are theirs.


def test_staff_are_the_roles_that_act_for_others():
    w = world()
    speaker = UserFactory()
    from tests.factories import grant

    grant(speaker, w.town_consultation.organisation, "speaker")
    representative, _member = representative_of_member_organisation(board=w.board)
    expected = {
        "citizen": False,
        "author": False,
        "editor": True,
        "org_moderator": True,
        "org_mandate": True,
        "tag_mandate": True,
        "platform_mandate": True,
        "superuser": True,
        "board": True,
    }
    assert {role: user_is_staff(getattr(w, role)) for role in expected} == expected
    assert user_is_staff(speaker)
    assert not user_is_staff(representative)
    assert not user_is_staff(w.anonymous)
    assert not user_is_staff(UserFactory(is_active=False, is_superuser=True))


# Views under these prefixes that are not for staff alone, and why.
NOT_STAFF_ONLY = {
    "moderation_report": "the public notice form (DSA Art. 16)",
    "moderation_report_display_name": "the public notice form, for a display name",
    "moderation_report_received": "the notice's receipt",
    "moderation_decision_detail": "the statement of reasons for the person affected",
    "moderation_decision_json": "the same, machine-readable",
    "moderation_appeal_create": "the affected person's appeal",
    "moderation_my_notices": "anyone's own notices",
    "moderation_log": "the public moderation log",
    "moderation_transparency_report": "the public transparency report",
    "moderation_transparency_report_csv": "the public transparency report",
    "moderation_decisions_dsa_export": "the public statements of reasons (DSA)",
    "moderation_decisions_dsa_export_jsonl": "the public statements of reasons (DSA)",
    "cooperative_home": "the cooperative's public start page",
    "rule_document_list": "the rules, public",
    "rule_document": "the rules, public",
    "rule_version": "the rules, public",
    "rule_diff": "the rules, public",
    "motion_list": "members' motions",
    "motion_create": "members' motions",
    "motion_amend": "members' motions",
    "motion_detail": "members' motions",
    "motion_support": "members' motions",
    "motion_comment": "members' motions",
    "ballot_detail": "members' ballots",
    "ballot_vote": "a member's vote",
    "ballot_proxy": "a member's proxy",
    "ballot_proxy_revoke": "a member's proxy",
    "ballot_receipt": "a voter's receipt",
    "audit_log": "the public audit log",
    "membership_mine": "one's own membership",
    "membership_resign": "one's own membership",
    "mandate_list": "the public list of mandates",
}
STAFF_PREFIXES = ("moderation/", "genossenschaft/", "beteiligungen/<int:consultation_id>/ruhe")


def _named_patterns(resolver, prefix=""):
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _named_patterns(pattern, route)
        elif isinstance(pattern, URLPattern):
            yield route, pattern


def test_every_staff_only_url_asks_for_the_second_factor():
    unguarded = []
    for route, pattern in _named_patterns(get_resolver()):
        if route.startswith("admin/"):
            guarded = is_guarded(pattern.callback) or pattern.name == "wagtailadmin_logout"
            shadowed = route in ("admin/login/", "admin/password_reset/")
            if not (guarded or shadowed or route.startswith("admin/password_reset/")):
                unguarded.append(route)
            continue
        if not route.startswith(STAFF_PREFIXES):
            continue
        if not is_guarded(pattern.callback) and pattern.name not in NOT_STAFF_ONLY:
            unguarded.append(f"{route} ({pattern.name})")
    assert unguarded == []


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_the_moderation_queue_socket_needs_the_second_factor_too():
    """tests/participation/moderation/test_queue_socket.py opens it with a second factor;
    here with a password-only session, which the queue turns away like a stranger."""
    from asgiref.sync import sync_to_async
    from channels.testing import WebsocketCommunicator

    from config.asgi import application

    def password_only_session() -> str:
        client = Client()
        client.force_login(world().platform_mandate)
        return client.cookies["sessionid"].value

    session = await sync_to_async(password_only_session)()
    communicator = WebsocketCommunicator(
        application,
        "/ws/moderation/",
        headers=[
            (b"origin", b"http://localhost"),
            (b"host", b"localhost"),
            (b"cookie", f"sessionid={session}".encode()),
        ],
    )
    connected, code = await communicator.connect()
    await communicator.disconnect()
    assert (connected, code) == (False, 4403)


# The organisation's voice is a staff act too.


def test_a_speaker_without_second_factor_cannot_speak_for_the_organisation(client, w):
    from participation.proposals.models import Feedback
    from tests.factories import grant
    from tests.participation.moderation.helpers import proposal

    speaker = UserFactory()
    grant(speaker, w.town_consultation.organisation, "speaker")
    answered = proposal(w.town_consultation, w.author)
    client.force_login(speaker)

    response = client.post(
        reverse("comment_create", args=[w.town_consultation.pk]),
        {"body": "Die Stadt prüft das.", "official": "on"},
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "nur mit Zwei-Faktor-Authentifizierung" in page
    assert "Die Stadt prüft das." in page  # nothing lost
    assert not Comment.objects.filter(is_official=True).exists()

    response = client.post(
        reverse("proposal_answer", args=[w.town_consultation.pk, answered.pk]),
        {"status": "accepted", "text": "Wir setzen das um."},
    )
    assert response.status_code == 403
    assert PAGE_TITLE in response.content.decode()
    assert not Feedback.objects.exists()

    # Without the official flag the speaker writes as anyone does.
    client.post(
        reverse("comment_create", args=[w.town_consultation.pk]), {"body": "Privat gesagt."}
    )
    assert Comment.objects.filter(author=speaker, is_official=False).exists()


def test_a_speaker_without_second_factor_cannot_change_an_official_statement(client, w):
    from participation.comments.services import comment_create
    from tests.factories import grant

    speaker = UserFactory()
    grant(speaker, w.town_consultation.organisation, "speaker")
    statement = comment_create(
        author=speaker,
        consultation=w.town_consultation,
        body="Die Stadt prüft das bis Mai.",
        official=True,
    )
    url = reverse("comment_edit", args=[w.town_consultation.pk, statement.pk])
    client.force_login(speaker)  # a password-only session

    assert PAGE_TITLE in client.get(url).content.decode()
    response = client.post(url, {"body": "Die Stadt lehnt das ab."})
    assert response.status_code == 403
    assert PAGE_TITLE in response.content.decode()
    statement.refresh_from_db()
    assert statement.body == "Die Stadt prüft das bis Mai."

    log_in_with_second_factor(client, speaker)
    response = client.post(url, {"body": "Die Stadt prüft das bis Juni."})
    assert response.status_code == 302
    statement.refresh_from_db()
    assert statement.body == "Die Stadt prüft das bis Juni."
