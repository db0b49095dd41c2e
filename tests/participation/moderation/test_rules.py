"""Role tables for every moderation permission: anonymous, citizen, author, editor, the
organisation's moderator *role* without a mandate, and holders of an organisation, topic
and platform mandate, and the platform admin. The content is in the town's consultation
(organisation: the town, topic: verkehr)."""

import pytest
import rules

from cooperative import permissions
from participation.moderation.services import decision_create
from tests.participation.moderation.helpers import RULE_FACTS, published_comment

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "citizen",
    "author",
    "editor",
    "org_moderator",
    "org_mandate",
    "tag_mandate",
    "platform_mandate",
    "superuser",
]
MODERATORS = {"org_mandate", "tag_mandate", "platform_mandate", "superuser"}

EXPECTED = {
    "participation_moderation.view_queue": MODERATORS,
    "participation_moderation.moderate": MODERATORS,
    "participation_moderation.add_moderationdecision": MODERATORS,
    "participation_moderation.view_moderationdecision": MODERATORS | {"author"},
    "participation_moderation.add_appeal": {"author"},
    # The decision was taken by the organisation's mandate holder.
    "participation_moderation.decide_appeal": MODERATORS - {"org_mandate"},
    "participation_comments.moderate_comment": MODERATORS,
    "participation_comments.view_pending_comments": MODERATORS,
}


@pytest.fixture
def case(w):
    comment = published_comment(w.town_consultation, w.author)
    decision = decision_create(
        moderator=w.org_mandate,
        target=comment,
        action="hide",
        facts=RULE_FACTS,
        ground_type="rule",
        clause="2",
        ground_explanation="Beleidigung nach Nr. 2.",
    )
    return w, comment, decision


def obj_for(name, w, comment, decision):
    if name.endswith("view_queue"):
        return None
    if name.endswith("view_pending_comments"):
        return w.town_consultation
    if "appeal" in name or ("moderationdecision" in name and "view" in name):
        return decision
    return comment


@pytest.mark.parametrize("name", sorted(EXPECTED))
@pytest.mark.parametrize("role", ROLES)
def test_role_table(case, name, role):
    w, comment, decision = case
    person = getattr(w, role)
    obj = obj_for(name, w, comment, decision)
    if name.startswith("participation_comments"):
        allowed = permissions.allowed(person, name, obj)
    else:
        allowed = (
            rules.has_perm(name, person, obj) if obj is not None else rules.has_perm(name, person)
        )
    assert allowed is (role in EXPECTED[name]), (role, name)


@pytest.mark.parametrize("role", ROLES)
def test_outside_the_mandate_nothing_but_the_platform(w, role):
    """The county's consultation (topic klima) is covered by platform mandates only."""
    comment = published_comment(w.other_consultation, w.author)
    allowed = rules.has_perm("participation_moderation.moderate", getattr(w, role), comment)
    assert allowed is (role in {"platform_mandate", "superuser"})


@pytest.mark.parametrize("role", ROLES)
def test_nobody_appeals_the_release_of_their_own_contribution(w, role):
    """Approving or restoring goes for the author: nothing there to appeal (only decisions
    that restrict them can be, DSA Art. 20), and the notification says so."""
    from participation.notifications.models import Notification

    comment = published_comment(w.town_consultation, w.author)
    hidden = decision_create(
        moderator=w.org_mandate,
        target=comment,
        action="hide",
        facts=RULE_FACTS,
        ground_type="rule",
        clause="2",
        ground_explanation="Beleidigung nach Nr. 2.",
    )
    restored = decision_create(
        moderator=w.platform_mandate,
        target=comment,
        action="restore",
        facts="Nach erneuter Prüfung kein Verstoß.",
    )
    person = getattr(w, role)

    assert rules.has_perm("participation_moderation.add_appeal", person, hidden) is (
        role == "author"
    )
    assert rules.has_perm("participation_moderation.add_appeal", person, restored) is False
    told = Notification.objects.filter(recipient=w.author, kind="moderation").order_by("pk")
    assert "how to appeal" in told[0].text or "Beschwerde" in told[0].text
    assert "appeal" not in told.last().text and "Beschwerde" not in told.last().text
