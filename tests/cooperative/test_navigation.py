"""The cooperative's navigation offers each person exactly the pages they can use: every
link it shows opens (200), every page it leaves out refuses them (sign in first, or 403).
The member register is linked for the board, in the navigation and on the overview."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from cooperative.organisations.models import OrganisationRole
from tests.cooperative.governance.helpers import board_member, member_of
from tests.factories import OrganisationFactory, UserFactory, grant, log_in_with_second_factor

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "citizen", "member", "board", "editor", "admin")


@pytest.fixture
def people():
    board = board_member()
    editor = UserFactory()
    grant(editor, OrganisationFactory(), OrganisationRole.Role.EDITOR)
    return {
        "anonymous": None,
        "citizen": UserFactory(),
        "member": member_of(board=board).user,
        "board": board,
        "editor": editor,  # an agency's editor who is no member
        "admin": UserFactory(is_superuser=True, is_staff=True),
    }


def _pages() -> dict[str, str]:
    return {
        "overview": reverse("cooperative_home"),
        "rules": reverse("rule_document_list"),
        "motions": reverse("motion_list"),
        "mandates": reverse("mandate_list"),
        "audit": reverse("audit_log"),
        "register": reverse("member_register"),
        "membership": reverse("membership_mine"),
    }


PUBLIC = {"overview", "rules", "mandates", "audit"}
EXPECTED = {
    "anonymous": PUBLIC,
    "citizen": PUBLIC | {"membership"},
    "member": PUBLIC | {"membership", "motions"},
    "board": PUBLIC | {"membership", "motions", "register"},
    "editor": PUBLIC | {"membership"},
    # The platform admin has no governance power of its own (docs/roles-and-permissions.md).
    "admin": PUBLIC | {"membership"},
}


def _nav_links(client, url: str) -> set[str]:
    response = client.get(url)
    assert response.status_code == 200
    nav = BeautifulSoup(response.content, "html.parser").select_one("nav.coop-nav")
    assert nav is not None
    return {a["href"] for a in nav.select("a")}


def _log_in(client, user) -> None:
    if user is not None:
        log_in_with_second_factor(client, user)  # the board opens the register with it


@pytest.mark.parametrize("role", ROLES)
def test_the_navigation_links_the_pages_of_each_role(client, people, role):
    _log_in(client, people[role])
    pages = _pages()
    links = _nav_links(client, pages["overview"])
    assert {name for name, url in pages.items() if url in links} == EXPECTED[role]


@pytest.mark.parametrize("role", ROLES)
def test_every_link_opens_and_every_page_left_out_refuses(client, people, role):
    _log_in(client, people[role])
    links = _nav_links(client, reverse("audit_log"))
    wrong = []
    for name, url in _pages().items():
        status = client.get(url).status_code
        if (url in links) != (status == 200):
            wrong.append(f"{name}: linked={url in links}, status {status}")
    assert wrong == []


@pytest.mark.parametrize("role", ROLES)
def test_the_overview_links_the_register_for_the_board_only(client, people, role):
    _log_in(client, people[role])
    member_of(board=people["board"])  # an admitted member: not an application
    applicant = UserFactory()
    from cooperative.membership.services import membership_apply

    membership_apply(
        applied_by=applicant,
        organisation=None,
        member_group="citizens",
        shares=1,
        legal_name="Erika Antrag",
        address="Antragsweg 1\n12345 Musterstadt",
    )
    soup = BeautifulSoup(client.get(reverse("cooperative_home")).content, "html.parser")
    section = soup.select_one("#register-heading")
    if role == "board":
        assert section is not None
        text = section.find_parent("section").get_text(" ", strip=True)
        assert "1 Aufnahmeantrag wartet auf die Entscheidung des Vorstands." in text
        register = reverse("member_register")
        assert section.find_parent("section").select_one(f'a[href="{register}"]') is not None
    else:
        assert section is None
    # Nobody but the board reads names or addresses from the overview.
    assert "Erika Antrag" not in soup.get_text()


def test_anonymous_visitors_are_told_how_to_apply(client):
    soup = BeautifulSoup(client.get(reverse("cooperative_home")).content, "html.parser")
    login = reverse("account_login") + "?next=" + reverse("membership_mine")
    assert soup.select_one(f'main a[href="{login}"], a[href="{login}"]') is not None
