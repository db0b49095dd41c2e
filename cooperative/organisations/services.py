from django.db import transaction
from wagtail import hooks

from cooperative.organisations.models import Organisation, OrganisationRole

# Layers above (participation) derive their own state from roles, e.g. Wagtail
# editor groups; they register a callable under this hook name.
ROLES_CHANGED_HOOK = "allmende_organisation_roles_changed"
ORGANISATION_CREATED_HOOK = "allmende_organisation_created"


def _announce(hook_name: str, organisation: Organisation) -> None:
    # Derived state (such as admin groups) is written in the same transaction as the roles.
    for fn in hooks.get_hooks(hook_name):
        fn(organisation)


def organisation_create(
    *, name: str, slug: str, kind: str, description: str = "", website: str = ""
) -> Organisation:
    with transaction.atomic():
        organisation = Organisation(
            name=name, slug=slug, kind=kind, description=description, website=website
        )
        organisation.full_clean()
        organisation.save()
        organisation_created(organisation=organisation)
    return organisation


def organisation_created(*, organisation: Organisation) -> None:
    """Tell the layers above that an organisation exists (saved here or in the admin)."""
    _announce(ORGANISATION_CREATED_HOOK, organisation)


def organisation_roles_changed(*, organisation: Organisation) -> None:
    _announce(ROLES_CHANGED_HOOK, organisation)


def organisation_role_grant(*, user, organisation: Organisation, role: str) -> OrganisationRole:
    with transaction.atomic():
        grant, _ = OrganisationRole.objects.get_or_create(
            user=user, organisation=organisation, role=role
        )
        organisation_roles_changed(organisation=organisation)
    if hasattr(user, "_organisation_role_cache"):
        del user._organisation_role_cache
    return grant


def organisation_role_revoke(*, user, organisation: Organisation, role: str) -> None:
    with transaction.atomic():
        OrganisationRole.objects.filter(user=user, organisation=organisation, role=role).delete()
        organisation_roles_changed(organisation=organisation)
    if hasattr(user, "_organisation_role_cache"):
        del user._organisation_role_cache
