"""Who may do what with consultations. Views, hooks and consumers ask these by name."""

import rules
from wagtail.models import Page

from cooperative.organisations.models import OrganisationRole
from cooperative.organisations.selectors import user_has_role
from cooperative.sql import page_view_restricted

Role = OrganisationRole.Role


def _consultation(obj):
    from participation.consultations.models import ConsultationPage

    if isinstance(obj, Page) and not isinstance(obj, ConsultationPage):
        obj = obj.specific
    return obj if isinstance(obj, ConsultationPage) else None


def _organisation_of(obj):
    page = _consultation(obj)
    if page is not None:
        return page.organisation
    from participation.consultations.models import ConsultationIndexPage

    if isinstance(obj, Page) and not isinstance(obj, ConsultationIndexPage):
        obj = obj.specific
    if isinstance(obj, ConsultationIndexPage):
        return obj.organisation
    return None


def has_org_role(role: str):
    @rules.predicate(name=f"is_{role}_of_organisation")
    def predicate(user, obj) -> bool:
        return user_has_role(user, _organisation_of(obj), role)

    return predicate


is_editor = has_org_role(Role.EDITOR)
is_speaker = has_org_role(Role.SPEAKER)
is_moderator = has_org_role(Role.MODERATOR)
is_representative = has_org_role(Role.REPRESENTATIVE)


@rules.predicate
def is_published(user, obj) -> bool:
    page = _consultation(obj)
    if not (page and page.live):
        return False
    # Asked several times per request (view, then each action); the answer is the page's.
    restricted = page.__dict__.get(_RESTRICTED)
    if restricted is None:
        restricted = page.__dict__[_RESTRICTED] = has_view_restrictions(page)
    return not restricted


_RESTRICTED = "_has_view_restrictions"


def has_view_restrictions(page) -> bool:
    """Whether a view restriction applies to the page, from it or an ancestor, as Wagtail's
    `get_view_restrictions` would find (an alias is restricted by its source page), in one
    short query (cooperative/sql.py)."""
    return page_view_restricted(page)


def view_restrictions_known(page, restricted: bool) -> None:
    """Tell `is_published` the answer for this page instance, read along with it elsewhere
    (the vote endpoint's one query)."""
    page.__dict__[_RESTRICTED] = restricted


def phase_allows(action: str):
    """True while the consultation's current phase opens `action` (comment, vote, ...)."""

    @rules.predicate(name=f"phase_allows_{action}")
    def predicate(user, obj) -> bool:
        page = _consultation(obj)
        phase = page.current_phase() if page else None
        return bool(phase and phase.allows(action))

    return predicate


is_admin = rules.is_superuser

rules.add_perm(
    "participation_consultations.view_consultationpage",
    is_published | is_admin | is_editor,
)
rules.add_perm("participation_consultations.change_consultationpage", is_admin | is_editor)
rules.add_perm("participation_consultations.approve_consultationpage", is_admin | is_editor)
