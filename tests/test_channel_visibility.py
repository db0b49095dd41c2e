"""One visibility rule for every channel (issue 13, acceptance 2).

Every channel that can carry a contribution's text, a proposal or a consultation's title
is asked, as every role, about content in every state that hides it from someone. What a
role may see is decided once, here, by the rule the page applies (`ALLOWED` in `STATES`):

- published content of a public consultation: everyone;
- pending (pre-moderated, also after an edit that sent it back): its author, and the
  moderators of the consultation (the admin included);
- hidden by moderation: nobody's contribution text; a proposal stays visible to its author
  and the moderators; removed: only the moderators see a proposal; deleted by its author:
  nobody;
- a consultation behind a view restriction (password, groups) or unpublished: its
  organisation's editors and the admin (`view_consultationpage`); behind a login
  restriction: everyone signed in (the page's own rule).

Each text is a unique marker searched for in the response. A role that may not see a
marker must not find it in any channel. Where the rule promises it (`PROMISED`), the
channel must show it: published content to everyone in every channel, a pending
contribution to its author and a moderator on the page, in the thread fragment and
live, a pending proposal on its pages; so a channel that showed nothing to anyone would
fail too. A channel may be stricter than the rule where nothing is promised (the API
serves public content only, the page asks a password even from editors).

Adding a channel is one line in `CHANNELS` (or, for the WebSocket, `SOCKETS`); adding a
state is one line in `STATES`.

Content is written by the services, as the web forms, the API and the moderation do, so
that stored live events, mails and counters are what they are in production. A state's
`setup` runs before the readers come; its `act` while live readers are connected (mails
and live frames are sent after its commit)."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import AnonymousUser, Group
from django.core import mail
from django.core.cache import cache
from django.test import Client
from wagtail.models import PageViewRestriction

from cooperative.organisations.models import OrganisationRole
from participation.comments.models import Comment
from participation.comments.services import (
    comment_create,
    comment_delete_by_author,
    comment_edit,
)
from participation.consultations.models import ConsultationPage, ModerationMode
from participation.live.events import last_event_id
from participation.moderation.services import decision_create
from participation.proposals.models import Proposal
from participation.proposals.services import proposal_create
from tests.factories import (
    UserFactory,
    consultation,
    grant,
    organisation_mandate,
    organisation_with_area,
)
from tests.participation.moderation.helpers import netiquette

ROLES = ("anonymous", "citizen", "author", "editor", "moderator", "admin")
EVERYONE = frozenset(ROLES)
SIGNED_IN = EVERYONE - {"anonymous"}
NOBODY: frozenset[str] = frozenset()
AUTHOR_AND_MODERATORS = frozenset({"author", "moderator", "admin"})
MODERATORS = frozenset({"moderator", "admin"})
EDITORS = frozenset({"editor", "admin"})

# The kinds of text a channel can carry: a contribution, a proposal, the consultation's
# title, the text a contribution had before an edit, and the display name of the person
# who wrote the contribution and the proposal (shown with them; never with a placeholder).
COMMENT, PROPOSAL, TITLE, ORIGINAL, AUTHOR = "comment", "proposal", "title", "original", "author"


# --- the world ----------------------------------------------------------------------------


@dataclass
class Scene:
    """One consultation of one organisation, a person for each role, and the texts."""

    page: ConsultationPage
    people: dict[str, Any]
    markers: dict[str, str]
    search_word: str
    root: Comment
    comment: Comment | None = None
    proposal: Proposal | None = None
    readers: dict[str, Client] = field(default_factory=dict)

    def marker(self, kind: str) -> str:
        return self.markers[kind]

    def fresh_page(self) -> ConsultationPage:
        return ConsultationPage.objects.get(pk=self.page.pk)


def new_marker(label: str) -> str:
    return f"{label}{uuid.uuid4().hex[:12].upper()}"


def build_scene() -> Scene:
    organisation, index = organisation_with_area(name=f"Stadt {uuid.uuid4().hex[:6]}")
    markers = {kind: new_marker(kind.upper()[:3]) for kind in (COMMENT, PROPOSAL, TITLE, AUTHOR)}
    markers[ORIGINAL] = new_marker("ORI")
    search_word = new_marker("Suchwort")
    # Finished: the results page is public; the services write in any phase.
    page = consultation(
        index, title=f"Beteiligung {markers[TITLE]} {search_word}", state="finished"
    )
    people: dict[str, Any] = {
        "anonymous": AnonymousUser(),
        "citizen": UserFactory(display_name="Clara Citizen"),
        "author": UserFactory(display_name=f"Anton {markers[AUTHOR]}"),
        "editor": UserFactory(display_name="Edith Editor"),
        "moderator": UserFactory(display_name="Moritz Moderator"),
        "admin": UserFactory(display_name="Ada Admin", is_superuser=True, is_staff=True),
    }
    grant(people["editor"], organisation, OrganisationRole.Role.EDITOR)
    grant(people["moderator"], organisation, OrganisationRole.Role.MODERATOR)
    organisation_mandate(organisation)  # exercised by its moderators
    netiquette()
    # The contribution the marked one answers: its author (the citizen) gets reply mails.
    root = comment_create(
        author=people["citizen"], consultation=page, body="Ein Radweg am Ring, bitte."
    )
    return Scene(page=page, people=people, markers=markers, search_word=search_word, root=root)


# --- what happens to the content ---------------------------------------------------------


def write_comment(scene: Scene, kind: str = COMMENT) -> None:
    scene.comment = comment_create(
        author=scene.people["author"],
        consultation=scene.fresh_page(),
        body=f"Meine Antwort: {scene.marker(kind)} am Ring.",
        parent=scene.root,
    )


def write_proposal(scene: Scene) -> None:
    scene.proposal = proposal_create(
        author=scene.people["author"],
        consultation=scene.fresh_page(),
        title=f"Vorschlag {scene.marker(PROPOSAL)}",
        body=f"Eine Beschreibung von {scene.marker(PROPOSAL)} mit Gründen.",
    )


def write_both(scene: Scene) -> None:
    write_comment(scene)
    write_proposal(scene)


def pre_moderate(scene: Scene) -> None:
    ConsultationPage.objects.filter(pk=scene.page.pk).update(moderation_mode=ModerationMode.PRE)


def decide(action: str) -> Callable[[Scene], None]:
    def act(scene: Scene) -> None:
        for target in (scene.comment, scene.proposal):
            decision_create(
                moderator=scene.people["moderator"],
                target=target,
                action=action,
                facts="Der Beitrag beleidigt eine andere Teilnehmerin.",
                ground_type="rule",
                clause="2",
                ground_explanation="Beleidigungen nach Nr. 2 der Netiquette.",
            )

    return act


def delete_by_author(scene: Scene) -> None:
    comment_delete_by_author(comment=Comment.objects.get(pk=scene.comment.pk))


def write_original(scene: Scene) -> None:
    write_comment(scene, ORIGINAL)
    pre_moderate(scene)


def edit_into_pending(scene: Scene) -> None:
    comment_edit(
        comment=Comment.objects.select_related("consultation", "author").get(pk=scene.comment.pk),
        body=f"Geändert: {scene.marker(COMMENT)} statt des Radwegs.",
    )


def restrict(kind: str) -> Callable[[Scene], None]:
    def setup(scene: Scene) -> None:
        restriction = PageViewRestriction.objects.create(
            page=scene.page, restriction_type=kind, password="geheim"
        )
        if kind == PageViewRestriction.GROUPS:
            restriction.groups.add(Group.objects.create(name=f"Rat {scene.search_word}"))

    return setup


def unpublish(scene: Scene) -> None:
    scene.fresh_page().unpublish()


def nothing(scene: Scene) -> None:
    pass


@dataclass(frozen=True)
class Promise:
    """`roles` must find the texts of `kinds` in `channels` (None: every channel that
    carries them and reaches the role)."""

    kinds: frozenset[str]
    roles: frozenset[str]
    channels: frozenset[str] | None = None


@dataclass(frozen=True)
class State:
    setup: Callable[[Scene], None]
    act: Callable[[Scene], None]
    # Who may see each text (texts not named: everyone).
    allowed: dict[str, frozenset[str]]
    promises: tuple[Promise, ...] = ()


STATES: dict[str, State] = {
    "published": State(
        nothing,
        write_both,
        allowed={},
        promises=(Promise(frozenset({COMMENT, PROPOSAL, TITLE}), EVERYONE),),
    ),
    "pending": State(
        pre_moderate,
        write_both,
        allowed={COMMENT: AUTHOR_AND_MODERATORS, PROPOSAL: AUTHOR_AND_MODERATORS},
        promises=(
            Promise(frozenset({COMMENT}), AUTHOR_AND_MODERATORS, frozenset({"page", "thread"})),
            Promise(
                frozenset({PROPOSAL}),
                AUTHOR_AND_MODERATORS,
                frozenset({"proposal_list", "proposal_detail"}),
            ),
            # Live, a waiting contribution goes to its author's room only.
            Promise(frozenset({COMMENT}), frozenset({"author"}), frozenset({"live"})),
        ),
    ),
    "pending_after_edit": State(
        write_original,
        edit_into_pending,
        allowed={COMMENT: AUTHOR_AND_MODERATORS, ORIGINAL: NOBODY},
        promises=(
            Promise(frozenset({COMMENT}), AUTHOR_AND_MODERATORS, frozenset({"page", "thread"})),
            Promise(frozenset({COMMENT}), frozenset({"author"}), frozenset({"live"})),
        ),
    ),
    "hidden": State(
        write_both,
        decide("hide"),
        allowed={COMMENT: NOBODY, PROPOSAL: AUTHOR_AND_MODERATORS},
    ),
    "removed": State(
        write_both,
        decide("remove"),
        allowed={COMMENT: NOBODY, PROPOSAL: MODERATORS},
    ),
    "deleted_by_author": State(write_comment, delete_by_author, allowed={COMMENT: NOBODY}),
    "password_restricted": State(
        restrict(PageViewRestriction.PASSWORD),
        write_both,
        allowed={COMMENT: EDITORS, PROPOSAL: EDITORS, TITLE: EDITORS},
    ),
    "login_restricted": State(
        restrict(PageViewRestriction.LOGIN),
        write_both,
        allowed={COMMENT: SIGNED_IN, PROPOSAL: SIGNED_IN, TITLE: SIGNED_IN},
    ),
    "groups_restricted": State(
        restrict(PageViewRestriction.GROUPS),
        write_both,
        allowed={COMMENT: EDITORS, PROPOSAL: EDITORS, TITLE: EDITORS},
    ),
    "unpublished": State(
        unpublish,
        write_both,
        allowed={COMMENT: EDITORS, PROPOSAL: EDITORS, TITLE: EDITORS},
    ),
}


# --- the channels -------------------------------------------------------------------------


def get(path: str) -> Callable[[Scene, str], str]:
    """A GET of `path` (formatted with the scene: {page}, {comment}, {proposal},
    {search}, {org}) as the role; the body, whatever the status."""

    def fetch(scene: Scene, role: str) -> str:
        values = {
            "page": scene.page.pk,
            "comment": scene.comment.pk if scene.comment else 0,
            "proposal": scene.proposal.pk if scene.proposal else 0,
            "search": scene.search_word,
            "org": scene.page.organisation.slug if scene.page.organisation else "",
            "url": scene.page.url or "",
        }
        if "{comment}" in path and scene.comment is None:
            return ""
        if "{proposal}" in path and scene.proposal is None:
            return ""
        return body(scene.readers[role].get(path.format(**values)))

    return fetch


def body(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def proposal_page(scene: Scene, role: str) -> str:
    if scene.proposal is None:
        return ""
    url = f"/beteiligungen/{scene.page.pk}/vorschlaege/{scene.proposal.pk}/"
    return body(scene.readers[role].get(url))


def reply_mails(scene: Scene, role: str) -> str:
    person = scene.people[role]
    return "\n".join(
        f"{message.subject}\n{message.body}"
        for message in mail.outbox
        if person.is_authenticated and person.email in message.to
    )


@dataclass(frozen=True)
class Channel:
    carries: frozenset[str]
    fetch: Callable[[Scene, str], str]
    # The roles it can reach at all (a reply mail goes to the answered contribution's
    # author: the citizen).
    reaches: frozenset[str] = EVERYONE


C, P, T, A = frozenset({COMMENT, ORIGINAL}), frozenset({PROPOSAL}), frozenset({TITLE}), {AUTHOR}

CHANNELS: dict[str, Channel] = {
    "page": Channel(C | P | T | A, get("{url}")),
    "thread": Channel(C | A, get("/beteiligungen/{page}/beitraege/")),
    "proposal_list": Channel(P | A, get("/beteiligungen/{page}/vorschlaege/")),
    "proposal_detail": Channel(P | A, proposal_page),
    "results": Channel(P | T, get("/beteiligungen/{page}/ergebnisse/")),
    "results_csv": Channel(P, get("/beteiligungen/{page}/ergebnisse.csv")),
    "results_json": Channel(P | T, get("/beteiligungen/{page}/ergebnisse.json")),
    "api_consultations": Channel(T, get("/api/v1/consultations/")),
    "api_consultation": Channel(T, get("/api/v1/consultations/{page}/")),
    "api_comments": Channel(C | A, get("/api/v1/consultations/{page}/comments/")),
    "api_comment": Channel(C | A, get("/api/v1/comments/{comment}/")),
    "api_proposals": Channel(P | A, get("/api/v1/consultations/{page}/proposals/")),
    "api_proposal": Channel(P | A, get("/api/v1/proposals/{proposal}/")),
    "feed_contributions": Channel(C | P | T | A, get("/feeds/beteiligungen/{page}/beitraege/")),
    "feed_consultations": Channel(T, get("/feeds/beteiligungen/")),
    "feed_organisation": Channel(T, get("/feeds/organisationen/{org}/")),
    "feed_results": Channel(T, get("/feeds/ergebnisse/")),
    "export_json": Channel(C | P | T | A, get("/beteiligungen/{page}/daten.json")),
    "export_csv": Channel(C | P | T | A, get("/beteiligungen/{page}/daten.csv")),
    "open_data_catalogue": Channel(T, get("/offene-daten/katalog.jsonld")),
    "calendar": Channel(T, get("/beteiligungen/{page}/phasen.ics")),
    "search": Channel(T, get("/beteiligungen/?q={search}")),
    "notice_form_comment": Channel(C, get("/moderation/melden/beitrag/{comment}/")),
    "notice_form_proposal": Channel(P, get("/moderation/melden/vorschlag/{proposal}/")),
    "notice_form_display_name": Channel(
        frozenset(A), get("/moderation/melden/beitrag/{comment}/anzeigename/")
    ),
    "reply_mail": Channel(C | A, reply_mails, reaches=frozenset({"citizen"})),
}
# The WebSocket: what a reader connected before the act receives, and what a reader who
# connects afterwards with ?since=0 is sent (the catch-up).
SOCKETS: dict[str, Channel] = {
    "live": Channel(C | P | A, lambda scene, role: ""),
    "catch_up": Channel(C | P | A, lambda scene, role: ""),
}


# --- the check ----------------------------------------------------------------------------


def written(scene: Scene) -> list[str]:
    """The author's texts in the scene (the display name goes with them)."""
    return [kind for kind, obj in ((COMMENT, scene.comment), (PROPOSAL, scene.proposal)) if obj]


def may_see(scene: Scene, state: State, kind: str, role: str) -> bool:
    if kind == AUTHOR:
        return any(may_see(scene, state, text, role) for text in written(scene))
    return role in state.allowed.get(kind, EVERYONE)


def promised(
    scene: Scene, state: State, channel_name: str, channel: Channel, kind: str, role: str
) -> bool:
    kinds = set(written(scene)) if kind == AUTHOR else {kind}
    return role in channel.reaches and any(
        kinds & promise.kinds
        and role in promise.roles
        and (promise.channels is None or channel_name in promise.channels)
        for promise in state.promises
    )


def findings(scene: Scene, state: State, channel_name: str, channel: Channel, role: str, text):
    """What is wrong with what `role` got through the channel: leaks and omissions."""
    wrong = []
    for kind in sorted(channel.carries):
        if kind not in scene.markers or (kind == ORIGINAL and ORIGINAL not in state.allowed):
            continue
        found = scene.marker(kind) in text
        if found and not may_see(scene, state, kind, role):
            wrong.append(f"{channel_name}: {role} sees the {kind} text")
        elif not found and promised(scene, state, channel_name, channel, kind, role):
            wrong.append(f"{channel_name}: {role} does not get the {kind} text it may see")
    return wrong


def readers_for(scene: Scene) -> dict[str, Client]:
    readers = {}
    for role, person in scene.people.items():
        client = Client()
        if person.is_authenticated:
            client.force_login(person)
        readers[role] = client
    return readers


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()  # rate-limit counters and cached feeds from other tests
    yield
    cache.clear()


@pytest.mark.django_db
@pytest.mark.parametrize("state_name", list(STATES))
def test_every_channel_shows_each_role_what_the_rule_allows(
    state_name, subtests, django_capture_on_commit_callbacks
):
    """One scene per state (building it is most of the time), each channel a subtest: a
    failure names the state, the channel, the role and the text."""
    state = STATES[state_name]
    scene = build_scene()
    state.setup(scene)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        state.act(scene)
    scene.readers = readers_for(scene)

    for channel_name, channel in CHANNELS.items():
        with subtests.test(channel=channel_name):
            wrong = []
            for role in ROLES:
                text = channel.fetch(scene, role)
                wrong += findings(scene, state, channel_name, channel, role, text)
            assert not wrong, "\n".join(wrong)


# --- the WebSocket ------------------------------------------------------------------------

TIMEOUT = 3


async def _connect(page_id: int, user, since: int | None = None):
    path = f"/ws/consultations/{page_id}/" + (f"?since={since}" if since is not None else "")
    from config.asgi import application

    communicator = WebsocketCommunicator(
        application, path, headers=[(b"origin", b"http://localhost"), (b"host", b"localhost")]
    )
    communicator.scope["user"] = user
    connected, _code = await communicator.connect()
    return communicator if connected else None


async def _drain(communicator, *, quiet: float = 0.4, history_until: int = 0) -> str:
    """Every frame until the socket stays quiet, as one text. Left out: presence counts,
    and the reader's own notifications from before `history_until` (a notification, like
    a mail, is checked when it is sent: what it said then was public then)."""
    frames = []
    if communicator is None:
        return ""
    while not await communicator.receive_nothing(timeout=quiet):
        message = await communicator.receive_from(timeout=TIMEOUT)
        frame = json.loads(message)
        if frame.get("type") == "presence":
            continue
        if frame.get("type") == "notification" and frame.get("id", 0) <= history_until:
            continue
        frames.append(message)
    return "\n".join(frames)


async def _sockets(scene: Scene, state: State) -> dict[str, dict[str, str]]:
    page_id = scene.page.pk
    before_act = await sync_to_async(last_event_id)()
    roles = list(scene.people)
    live = {role: await _connect(page_id, scene.people[role]) for role in roles}
    # Every role's socket is drained at once: each drain waits for a quiet spell, and one
    # after another those waits were most of this test's time.
    await asyncio.gather(*(_drain(live[role]) for role in roles))  # what connecting says
    await sync_to_async(state.act, thread_sensitive=True)(scene)
    received: dict[str, dict[str, str]] = {"live": {}, "catch_up": {}}
    texts = await asyncio.gather(*(_drain(live[role]) for role in roles))
    received["live"] = dict(zip(roles, texts, strict=True))
    for communicator in live.values():
        if communicator is not None:
            await communicator.disconnect()
    catching_up = {role: await _connect(page_id, scene.people[role], since=0) for role in roles}
    texts = await asyncio.gather(
        *(_drain(catching_up[role], history_until=before_act) for role in roles)
    )
    received["catch_up"] = dict(zip(roles, texts, strict=True))
    for communicator in catching_up.values():
        if communicator is not None:
            await communicator.disconnect()
    return received


@pytest.fixture
def _fresh_hub():
    from participation.live.hub import hub_reset
    from participation.live.presence import presence_store_reset

    hub_reset()
    presence_store_reset()
    yield
    hub_reset()
    presence_store_reset()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("_fresh_hub")
@pytest.mark.parametrize("state_name", list(STATES))
def test_websocket_shows_each_role_what_the_rule_allows(state_name, subtests):
    state = STATES[state_name]
    scene = build_scene()
    state.setup(scene)
    received = async_to_sync(_sockets)(scene, state)

    for socket_name, channel in SOCKETS.items():
        with subtests.test(channel=socket_name):
            wrong = []
            for role in ROLES:
                text = received[socket_name][role]
                wrong += findings(scene, state, socket_name, channel, role, text)
            assert not wrong, "\n".join(wrong)


def test_every_state_and_channel_is_checked():
    """The tables above are what the tests run: nothing is skipped silently."""
    assert set(ROLES) == {"anonymous", "citizen", "author", "editor", "moderator", "admin"}
    for name, state in STATES.items():
        assert set(state.allowed) <= {COMMENT, PROPOSAL, TITLE, ORIGINAL}, name  # AUTHOR follows
        for promise in state.promises:
            for kind in promise.kinds:
                assert promise.roles <= state.allowed.get(kind, EVERYONE), name
            assert promise.channels is None or promise.channels <= set(CHANNELS) | set(SOCKETS)
    # Published: every channel must show it to everyone it reaches.
    assert STATES["published"].promises == (
        Promise(frozenset({COMMENT, PROPOSAL, TITLE}), EVERYONE),
    )
