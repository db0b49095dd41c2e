"""People and places for the moderation tests: one person per role of the role tables."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from cooperative.governance.models import RuleDocument
from cooperative.governance.services import rule_version_publish
from cooperative.mandates.services import mandate_grant
from cooperative.organisations.models import OrganisationRole
from participation.consultations.models import ConsultationPage
from participation.moderation.services import decision_create
from tests.cooperative.governance.helpers import board_member, member_of
from tests.factories import UserFactory, consultation, grant, organisation_with_area

NETIQUETTE = (
    "Netiquette der Allmende\n"
    "1. Wir begegnen uns mit Respekt, auch bei unterschiedlichen Meinungen.\n"
    "2. Beleidigungen, Drohungen und Hassrede sind nicht erlaubt.\n"
    "3. Bitte bleiben Sie beim Thema des Beteiligungsverfahrens.\n"
    "4. Schreiben Sie nur, was Sie selbst verantworten können."
)


@dataclass
class World:
    town_consultation: ConsultationPage  # owned by `town`, tagged "verkehr"
    other_consultation: ConsultationPage  # owned by `county`, tagged "klima"
    anonymous: object
    citizen: object
    author: object
    editor: object  # editor of the town
    org_moderator: object  # the town's moderator role, but no mandate
    org_mandate: object  # a member with an organisation mandate for the town
    tag_mandate: object  # a member with a topic mandate for "verkehr"
    platform_mandate: object
    superuser: object
    board: object


def netiquette():
    document, _created = RuleDocument.objects.get_or_create(
        slug="netiquette", defaults={"title": "Netiquette"}
    )
    version = document.versions.order_by("-number").first()
    if version is None:
        version = rule_version_publish(
            document=document,
            body=NETIQUETTE,
            in_force_from=timezone.now() - timezone.timedelta(days=10),
        )
    return version


def world() -> World:
    from django.contrib.auth.models import AnonymousUser

    board = board_member()
    town, town_index = organisation_with_area(name="Stadt Musterstadt")
    _county, county_index = organisation_with_area(name="Kreis Beispiel")
    town_consultation = consultation(town_index, title="Radwege", tags=("verkehr",))
    other_consultation = consultation(county_index, title="Klimaplan", tags=("klima",))
    editor = UserFactory()
    grant(editor, town, OrganisationRole.Role.EDITOR)
    org_moderator = UserFactory()
    grant(org_moderator, town, OrganisationRole.Role.MODERATOR)
    now = timezone.now() - timezone.timedelta(hours=1)
    org_member = member_of(board=board)
    mandate_grant(
        by=board,
        holder_member=org_member,
        scope="organisation",
        scope_organisation=town,
        valid_from=now,
    )
    tag_member = member_of(board=board)
    mandate_grant(
        by=board, holder_member=tag_member, scope="tag", scope_tag="verkehr", valid_from=now
    )
    platform_member = member_of(board=board)
    mandate_grant(by=board, holder_member=platform_member, scope="platform", valid_from=now)
    superuser = UserFactory(is_superuser=True, is_staff=True)
    netiquette()
    return World(
        town_consultation=town_consultation,
        other_consultation=other_consultation,
        anonymous=AnonymousUser(),
        citizen=UserFactory(),
        author=UserFactory(),
        editor=editor,
        org_moderator=org_moderator,
        org_mandate=org_member.user,
        tag_mandate=tag_member.user,
        platform_mandate=platform_member.user,
        superuser=superuser,
        board=board,
    )


def published_comment(page, author, body="Ein Beitrag, über den man streiten kann"):
    from participation.comments.services import comment_create

    return comment_create(author=author, consultation=page, body=body)


def proposal(page, author, title="Mehr Fahrradbügel"):
    from participation.proposals.services import proposal_create

    return proposal_create(
        author=author,
        consultation=page,
        title=title,
        body="Am Bahnhof fehlen Abstellplätze für Fahrräder.",
    )


RULE_FACTS = "Der Beitrag beleidigt eine andere Teilnehmerin mehrfach."


def suspend_from(w, person, page, **fields):
    """A moderator of the town suspends `person` from `page`, on no. 2 of the netiquette."""
    return decision_create(
        moderator=w.org_mandate,
        target=person,
        action="suspend",
        facts="Wiederholte Beleidigungen trotz Hinweis.",
        ground_type="rule",
        clause="2",
        ground_explanation="Beleidigungen nach Nr. 2 der Netiquette.",
        suspension_consultation=page,
        **fields,
    )


def premoderate(w, page):
    """A moderator of the town switches pre-moderation on for `page`."""
    return decision_create(
        moderator=w.org_mandate,
        target=page,
        action="premoderation_on",
        facts="Viele beleidigende Beiträge in kurzer Zeit.",
        ground_type="rule",
        clause="2",
        ground_explanation="Schutz vor weiteren Beleidigungen (Nr. 2).",
    )
