"""Who may do what with consultations. Views, hooks and consumers ask these by name."""

import rules
from django.db import connection
from wagtail.models import Page

from cooperative.organisations.models import OrganisationRole
from cooperative.organisations.selectors import user_has_role

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
    restricted = page.__dict__.get("_has_view_restrictions")
    if restricted is None:
        restricted = page.__dict__["_has_view_restrictions"] = has_view_restrictions(page)
    return not restricted


def has_view_restrictions(page) -> bool:
    """Whether a view restriction applies to the page, from it or an ancestor, in one short
    query (Wagtail's get_view_restrictions takes two or more; this is asked on every page
    view and every vote). As there, an alias is restricted by its source page; Wagtail
    makes aliases of source pages only, never of aliases."""
    step = Page.steplen
    paths = [page.path[:end] for end in range(step, len(page.path) + 1, step)]
    marks = ", ".join(["%s"] * len(paths))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM wagtailcore_pageviewrestriction AS r "  # noqa: S608 (marks only)
            "JOIN wagtailcore_page AS p ON p.id = r.page_id "
            f"WHERE (p.path IN ({marks}) AND p.alias_of_id IS NULL) "
            "OR r.page_id IN (SELECT a.alias_of_id FROM wagtailcore_page AS a "
            f"WHERE a.path IN ({marks}) AND a.alias_of_id IS NOT NULL) LIMIT 1",
            [*paths, *paths],
        )
        return cursor.fetchone() is not None


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
