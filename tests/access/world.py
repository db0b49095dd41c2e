"""A small, complete world for the route access tests: one of every object a URL of the
project names, and the people who must be refused.

Made through the factories and the services (as the platform makes them), once per test
module; `World` holds what the route table needs to build a concrete URL for every pattern.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.models import EditingSession
from wagtail.contrib.redirects.models import Redirect
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import (
    Collection,
    CollectionViewRestriction,
    PageViewRestriction,
    Site,
    TaskState,
    WorkflowState,
)

from cms.models import AccessibilityFeedback, SiteSettings
from cooperative.governance.models import RuleDocument
from cooperative.governance.services import proxy_grant, rule_version_publish
from cooperative.mandates.services import mandate_grant, mandate_revoke
from cooperative.membership.services import membership_apply
from cooperative.organisations.models import OrganisationRole
from participation.api.models import TokenScope
from participation.api.tokens import token_create
from participation.comments.models import Comment
from participation.comments.services import comment_create
from participation.consultations.models import ConsultationPage
from participation.consultations.services import approval_workflow_ensure
from participation.guard.models import GuardConfig
from participation.moderation.models import Report
from participation.moderation.services import appeal_create, decision_create, report_create
from participation.notifications.services import notify
from participation.polls.models import Poll, PollChoice
from participation.proposals.models import Proposal
from participation.proposals.services import proposal_create
from tests.cooperative.governance.helpers import (
    board_member,
    member_of,
    netiquette,
    open_ballot,
    supported_motion,
)
from tests.factories import (
    TEST_PASSWORD,
    UserFactory,
    consultation,
    default_home,
    grant,
    log_in_with_second_factor,
    organisation_with_area,
)
from tests.participation.comments.conftest import draft_blocks, with_draft_text
from tests.participation.moderation.helpers import NETIQUETTE

Role = OrganisationRole.Role
PASSWORD = "geheim-123"
# Text that only the restricted and the draft consultation carry: a refused reader must
# never see it.
SECRET = "Nur für Eingeweihte"


@dataclass
class World:
    # places
    town: Any  # the organisation whose consultations the table mostly uses
    county: Any  # another organisation
    town_index: Any
    open: ConsultationPage  # published, participation phase, draft text, tagged "verkehr"
    finished: ConsultationPage  # published, result phase
    draft: ConsultationPage  # never published, waiting for approval
    restricted: ConsultationPage  # published, but behind a password
    premoderated: ConsultationPage  # published, pre-moderation on
    county_consultation: ConsultationPage  # published, the county's
    # contributions
    comment: Comment  # published, by `author`, in `open`
    hidden_comment: Comment  # hidden by a moderator (decision below), by `author`
    pending_comment: Comment  # waiting for approval in `premoderated`
    draft_comment: Comment
    restricted_comment: Comment
    county_comment: Comment  # published, in the county's consultation
    proposal: Proposal  # published, by `author`, in `open`
    pending_proposal: Proposal
    restricted_proposal: Proposal
    poll: Poll  # in `open`, votes may not be changed
    finished_poll: Poll
    draft_poll: Poll
    restricted_poll: Poll
    choice: PollChoice
    restricted_choice: PollChoice
    # moderation
    report: Report  # a notice about `comment`
    decision: Any  # hides `hidden_comment`; affects `author`
    appeal: Any  # the author's appeal against it
    notification: Any  # for `author`
    # cooperative
    netiquette: RuleDocument  # two versions
    unfounded: RuleDocument  # no version yet
    motion: Any  # supported, with an open ballot
    ballot: Any
    proxy: Any  # given by `member` to `second_member` in `ballot`
    application: Any  # a pending membership application
    membership: Any  # `member`'s own
    mandate: Any  # the town's organisation mandate (held by `mandate_holder`)
    # Wagtail
    document: Any
    private_document: Any  # in a collection restricted to the town's editors
    private_collection: Collection
    collection_restriction: CollectionViewRestriction
    page_restriction: PageViewRestriction
    image: Any
    redirect: Redirect
    site: Site
    group: Group
    guard_config: GuardConfig
    accessibility_feedback: AccessibilityFeedback
    workflow_state: WorkflowState
    task_state: TaskState
    editing_session: EditingSession
    # people
    author: Any  # a citizen who wrote `comment` and `proposal`
    citizen: Any  # a citizen with no role and no membership
    member: Any  # an admitted member of the cooperative, not on the board
    second_member: Any
    board: Any  # member of the group "Vorstand"
    town_editor: Any
    county_editor: Any
    mandate_holder: Any  # a member holding the town's mandate
    former_moderator: Any  # held a platform mandate, since revoked
    superuser: Any
    # API tokens (the secrets)
    author_token: str = ""  # personal, every scope but `moderate`
    citizen_token: str = ""  # personal, every scope but `moderate`
    read_only_token: str = ""  # personal, the citizen's, scope `comment` only
    county_token: str = ""  # the county's organisation token, held by its editor
    former_moderator_token: str = ""  # scope `moderate`, made while the mandate held
    author_token_id: int = 0
    extra: dict = field(default_factory=dict)


# People whose powers need a second factor in the session (cooperative/accounts/staff.py):
# they sign in as staff must, so that a refusal is the view's and not the missing factor.
STAFF = ("town_editor", "county_editor", "board", "mandate_holder", "superuser")


def session_of(world: World, name: str) -> str:
    """A session of the world's person `name`, signed in through allauth's form as that
    person would (staff with the second factor): its cookie value."""
    client = Client()
    user = getattr(world, name)
    if name in STAFF:
        log_in_with_second_factor(client, user)
    else:
        response = client.post(
            reverse("account_login"), {"login": user.email, "password": TEST_PASSWORD}
        )
        assert response.status_code == 302, f"sign-in of {name}: {response.status_code}"
    assert client.session["_auth_user_id"] == str(user.pk), name
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def _poll(page, *, allow_change: bool = False) -> Poll:
    poll = Poll(page=page, question="Soll die Hauptstraße Tempo 30 bekommen?")
    poll.allow_change = allow_change
    poll.save()
    for number, text in enumerate(("Ja", "Nein")):
        PollChoice(poll=poll, text=text, sort_order=number).save()
    return Poll.objects.get(pk=poll.pk)


def _comment(page, author, body: str) -> Comment:
    """A contribution written directly (the services refuse a draft or a restricted page)."""
    from participation.contributions.markup import render_markdown

    return Comment.objects.create(
        consultation=page, author=author, body=body, body_html=render_markdown(body)
    )


def _proposal(page, author, title: str, **fields) -> Proposal:
    return Proposal.objects.create(
        consultation=page,
        author=author,
        title=title,
        body=f"{title}: {SECRET}.",
        **fields,
    )


def _png() -> ImageFile:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, "PNG")
    return ImageFile(buffer, name="bild.png")


def _token(user, scopes, organisation=None) -> tuple[str, int]:
    issued = token_create(user=user, name="Zugang", scopes=scopes, organisation=organisation)
    return issued.secret, issued.token.pk


def build_world() -> World:
    home = default_home()
    approval_workflow_ensure(root=home)
    board = board_member()
    town, town_index = organisation_with_area(name="Stadt Musterstadt", slug="musterstadt")
    county, county_index = organisation_with_area(name="Kreis Beispiel", slug="beispielkreis")

    author, citizen = UserFactory(), UserFactory()
    # Old enough that calm mode or the guard never holds their contributions.
    for person in (author, citizen):
        person.date_joined = timezone.now() - timedelta(days=400)
        person.save(update_fields=["date_joined"])
    town_editor, county_editor = UserFactory(), UserFactory()
    grant(town_editor, town, Role.EDITOR)
    grant(county_editor, county, Role.EDITOR)
    superuser = UserFactory(is_superuser=True, is_staff=True)
    document = netiquette()
    rule_version_publish(
        document=document,
        body=NETIQUETTE,
        in_force_from=timezone.now() - timedelta(days=1),
        summary="Zweite Fassung",
    )
    unfounded, _created = RuleDocument.objects.get_or_create(
        slug="satzung", defaults={"title": "Satzung"}
    )
    assert not unfounded.versions.exists()

    member = member_of(board=board)
    second_member = member_of(board=board)
    supporters = [member_of(board=board) for _ in range(3)]
    mandate_holder_member = member_of(board=board)
    mandate = mandate_grant(
        by=board,
        holder_member=mandate_holder_member,
        scope="organisation",
        scope_organisation=town,
        valid_from=timezone.now() - timedelta(days=1),
    )
    former = member_of(board=board)
    former_mandate = mandate_grant(
        by=board,
        holder_member=former,
        scope="platform",
        valid_from=timezone.now() - timedelta(days=1),
    )
    former_moderator_token, _pk = _token(former.user, [TokenScope.MODERATE])
    mandate_revoke(mandate=former_mandate, by=board, reason="Amtszeit beendet")

    open_page = consultation(town_index, title="Radwege", state="open", tags=("verkehr",))
    open_page = with_draft_text(open_page)
    finished = consultation(town_index, title="Marktplatz", state="finished")
    draft = consultation(town_index, title="Haushalt", state="open", live=False, summary=SECRET)
    draft.draft_text = draft_blocks(3)
    draft.save()
    restricted = with_draft_text(
        consultation(town_index, title="Interna", state="open", summary=SECRET)
    )
    page_restriction = PageViewRestriction.objects.create(
        page=restricted, restriction_type=PageViewRestriction.PASSWORD, password=PASSWORD
    )
    premoderated = consultation(town_index, title="Schulweg", state="open", moderation_mode="pre")
    county_consultation = consultation(county_index, title="Klimaplan", state="open")

    comment = comment_create(
        author=author, consultation=open_page, body="Mehr Radwege an der Hauptstraße."
    )
    to_hide = comment_create(author=author, consultation=open_page, body="Ein grober Beitrag.")
    pending_comment = comment_create(
        author=author, consultation=premoderated, body="Ein Beitrag, der noch wartet."
    )
    assert pending_comment.status == Comment.Status.PENDING
    county_comment = comment_create(
        author=author, consultation=county_consultation, body="Mehr Bäume im Kreis."
    )
    draft_comment = _comment(draft, author, f"Im Entwurf: {SECRET}")
    restricted_comment = _comment(restricted, author, f"Hinter dem Passwort: {SECRET}")

    proposal = proposal_create(
        author=author,
        consultation=open_page,
        title="Mehr Fahrradbügel",
        body="Am Bahnhof fehlen Abstellplätze für Fahrräder.",
    )
    pending_proposal = proposal_create(
        author=author,
        consultation=premoderated,
        title="Ein Lotsendienst",
        body="Eltern begleiten die Kinder morgens zur Schule.",
    )
    restricted_proposal = _proposal(restricted, author, "Ein Vorschlag hinter dem Passwort")

    poll = _poll(open_page)
    finished_poll = _poll(finished)
    draft_poll = _poll(draft)
    restricted_poll = _poll(restricted)

    report = report_create(
        target=comment,
        reporter=citizen,
        kind="rule",
        clause="2",
        explanation="Der Beitrag beleidigt eine andere Person.",
        good_faith=True,
        ip="192.0.2.1",
    )
    decision = decision_create(
        moderator=mandate_holder_member.user,
        target=to_hide,
        action="hide",
        facts="Der Beitrag beleidigt eine andere Teilnehmerin.",
        ground_type="rule",
        clause="2",
        ground_explanation="Beleidigungen nach Nr. 2 der Netiquette.",
    )
    hidden_comment = Comment.objects.get(pk=to_hide.pk)
    appeal = appeal_create(
        decision=decision, appellant=author, text="Der Beitrag war nicht beleidigend gemeint."
    )
    notification = notify(
        recipient_ids=[author.pk],
        kind="reply",
        text="Jemand hat Ihnen geantwortet.",
        url=comment.get_absolute_url(),
    )[0]

    motion = supported_motion(member, supporters)
    ballot = open_ballot(motion, by=board)
    proxy = proxy_grant(ballot=ballot, principal=member, holder=second_member, by=member.user)
    applicant = UserFactory()
    application = membership_apply(
        applied_by=applicant,
        member_group="citizens",
        shares=1,
        legal_name="Erika Mustermann",
        address="Musterweg 1\n12345 Musterstadt",
    )

    root_collection = Collection.get_first_root_node()
    private_collection = root_collection.add_child(name="Vertraulich")
    collection_restriction = CollectionViewRestriction.objects.create(
        collection=private_collection, restriction_type=CollectionViewRestriction.GROUPS
    )
    collection_restriction.groups.add(town_index.editors_group)
    Document = get_document_model()
    public_document = Document.objects.create(
        title="Satzung", file=ContentFile(b"Satzung der Genossenschaft", name="satzung.txt")
    )
    private_document = Document.objects.create(
        title="Vermerk",
        file=ContentFile(SECRET.encode(), name="vermerk.txt"),
        collection=private_collection,
    )
    image = get_image_model().objects.create(title="Bild", file=_png())
    redirect = Redirect.objects.create(old_path="/alt", redirect_link="/beteiligungen/")
    site = Site.objects.get(is_default_site=True)
    SiteSettings.for_site(site)  # made on first use otherwise: by whichever request comes first
    guard_config = GuardConfig.objects.create(consultation=open_page)
    accessibility_feedback = AccessibilityFeedback.objects.create(message="Kontrast zu gering")

    # The draft waits in the four-eyes workflow: a workflow and a task state exist.
    draft.save_revision(user=town_editor)
    workflow_state = draft.get_workflow().start(draft, town_editor)
    task_state = workflow_state.current_task_state
    editing_session = EditingSession.objects.create(
        user=town_editor,
        content_type_id=draft.content_type_id,
        object_id=str(draft.pk),
        last_seen_at=timezone.now(),
    )

    world = World(
        town=town,
        county=county,
        town_index=town_index,
        open=open_page,
        finished=finished,
        draft=ConsultationPage.objects.get(pk=draft.pk),
        restricted=restricted,
        premoderated=premoderated,
        county_consultation=county_consultation,
        comment=comment,
        hidden_comment=hidden_comment,
        pending_comment=pending_comment,
        draft_comment=draft_comment,
        restricted_comment=restricted_comment,
        county_comment=county_comment,
        proposal=proposal,
        pending_proposal=pending_proposal,
        restricted_proposal=restricted_proposal,
        poll=poll,
        finished_poll=finished_poll,
        draft_poll=draft_poll,
        restricted_poll=restricted_poll,
        choice=poll.choices.first(),
        restricted_choice=restricted_poll.choices.first(),
        report=report,
        decision=decision,
        appeal=appeal,
        notification=notification,
        netiquette=document,
        unfounded=unfounded,
        motion=motion,
        ballot=ballot,
        proxy=proxy,
        application=application,
        membership=member,
        mandate=mandate,
        document=public_document,
        private_document=private_document,
        private_collection=private_collection,
        collection_restriction=collection_restriction,
        page_restriction=page_restriction,
        image=image,
        redirect=redirect,
        site=site,
        group=town_index.editors_group,
        guard_config=guard_config,
        accessibility_feedback=accessibility_feedback,
        workflow_state=workflow_state,
        task_state=task_state,
        editing_session=editing_session,
        author=author,
        citizen=citizen,
        member=member.user,
        second_member=second_member.user,
        board=board,
        town_editor=town_editor,
        county_editor=county_editor,
        mandate_holder=mandate_holder_member.user,
        former_moderator=former.user,
        superuser=superuser,
    )
    every_scope = [scope for scope in TokenScope.values if scope != TokenScope.MODERATE]
    world.author_token, world.author_token_id = _token(author, every_scope)
    world.citizen_token, _pk = _token(citizen, every_scope)
    world.read_only_token, _pk = _token(citizen, [TokenScope.COMMENT])
    world.county_token, _pk = _token(county_editor, every_scope, organisation=county)
    world.former_moderator_token = former_moderator_token
    return world
