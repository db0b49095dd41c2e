from django.core.exceptions import PermissionDenied
from wagtail import hooks

from cooperative.organisations.services import ORGANISATION_CREATED_HOOK, ROLES_CHANGED_HOOK
from cooperative.permissions import allowed
from participation.consultations.models import ConsultationIndexPage, ConsultationPage
from participation.consultations.services import editors_sync, organisation_area_setup


@hooks.register(ORGANISATION_CREATED_HOOK)
def _organisation_created(organisation) -> None:
    organisation_area_setup(organisation=organisation)


@hooks.register(ROLES_CHANGED_HOOK)
def _roles_changed(organisation) -> None:
    editors_sync(organisation=organisation)


def _check_change(request, page) -> None:
    # Defence in depth behind Wagtail's group permissions: the rules decide too.
    specific = page.specific
    if isinstance(specific, ConsultationPage | ConsultationIndexPage) and not allowed(
        request.user, "participation_consultations.change_consultationpage", specific
    ):
        raise PermissionDenied


@hooks.register("before_edit_page")
def _before_edit_page(request, page):
    _check_change(request, page)


@hooks.register("before_delete_page")
def _before_delete_page(request, page):
    _check_change(request, page)


@hooks.register("before_create_page")
def _before_create_page(request, parent_page, page_class):
    _check_change(request, parent_page)
