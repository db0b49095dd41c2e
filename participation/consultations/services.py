"""Writes for consultations and for the organisation areas in the page tree."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Site,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from cooperative.organisations.models import Organisation, OrganisationRole
from cooperative.organisations.selectors import organisation_members
from participation.consultations.models import ConsultationIndexPage, OrganisationApprovalTask

APPROVAL_WORKFLOW_NAME = "Vier-Augen-Freigabe"
EDITOR_PAGE_PERMISSIONS = ("add_page", "change_page")
EDITOR_COLLECTION_PERMISSIONS = (
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
)


def approval_workflow_ensure(*, root: Page) -> Workflow:
    """One four-eyes workflow guards publishing everywhere below `root`."""
    with transaction.atomic():
        task = OrganisationApprovalTask.objects.filter(active=True).first()
        if task is None:
            task = OrganisationApprovalTask.objects.create(name=_("Approval by a second editor"))
        workflow, _created = Workflow.objects.get_or_create(name=APPROVAL_WORKFLOW_NAME)
        WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
        WorkflowPage.objects.update_or_create(page=root, defaults={"workflow": workflow})
    return workflow


def organisation_area_setup(
    *, organisation: Organisation, home: Page | None = None
) -> ConsultationIndexPage:
    """Create (or repair) the organisation's area: its index page, editor group and collection."""
    with transaction.atomic():
        index = ConsultationIndexPage.objects.filter(organisation=organisation).first()
        if index is None:
            if home is None:
                site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
                if site is None:
                    raise ValueError("A default site must exist before organisations get areas.")
                home = site.root_page
            index = ConsultationIndexPage(
                title=organisation.name, slug=organisation.slug, organisation=organisation
            )
            home.add_child(instance=index)
            index.save_revision().publish()
        group = index.editors_group
        if group is None:
            group, _created = Group.objects.get_or_create(
                name=f"Redaktion {organisation.name}"[:150]
            )
            index.editors_group = group
            index.save(update_fields=["editors_group"])
        group.permissions.add(
            Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
        )
        for codename in EDITOR_PAGE_PERMISSIONS:
            GroupPagePermission.objects.get_or_create(
                group=group,
                page=index,
                permission=Permission.objects.get(
                    content_type__app_label="wagtailcore", codename=codename
                ),
            )
        root_collection = Collection.get_first_root_node()
        collection = root_collection.get_children().filter(name=organisation.name).first()
        if collection is None:
            collection = root_collection.add_child(name=organisation.name)
        for app_label, codename in EDITOR_COLLECTION_PERMISSIONS:
            GroupCollectionPermission.objects.get_or_create(
                group=group,
                collection=collection,
                permission=Permission.objects.get(
                    content_type__app_label=app_label, codename=codename
                ),
            )
        editors_sync(organisation=organisation)
    return index


def editors_sync(*, organisation: Organisation) -> None:
    """Make the Wagtail editor group hold exactly the organisation's editors."""
    index = (
        ConsultationIndexPage.objects.filter(organisation=organisation)
        .select_related("editors_group")
        .first()
    )
    if index is None or index.editors_group is None:
        return
    index.editors_group.user_set.set(
        organisation_members(organisation, OrganisationRole.Role.EDITOR)
    )
