from django.db.models import QuerySet

from cooperative.organisations.models import Organisation, OrganisationRole


def user_has_role(user, organisation: Organisation | int | None, role: str) -> bool:
    if organisation is None or not getattr(user, "is_authenticated", False):
        return False
    organisation_id = organisation if isinstance(organisation, int) else organisation.pk
    # Cached per user object: templates and permission checks ask the same question often.
    cache = getattr(user, "_organisation_role_cache", None)
    if cache is None:
        cache = set(
            OrganisationRole.objects.filter(user=user).values_list("organisation_id", "role")
        )
        user._organisation_role_cache = cache
    return (organisation_id, role) in cache


# The roles that act in an organisation's name (a representative votes for it as a member).
ACTING_ROLES = (
    OrganisationRole.Role.EDITOR,
    OrganisationRole.Role.SPEAKER,
    OrganisationRole.Role.MODERATOR,
)


def user_acts_for_an_organisation(user) -> bool:
    """Whether the user is an editor, speaker or moderator of any organisation."""
    if not getattr(user, "is_authenticated", False):
        return False
    return OrganisationRole.objects.filter(user=user, role__in=ACTING_ROLES).exists()


def organisations_of(user, role: str | None = None) -> QuerySet[Organisation]:
    if not getattr(user, "is_authenticated", False):
        return Organisation.objects.none()
    roles = OrganisationRole.objects.filter(user=user)
    if role:
        roles = roles.filter(role=role)
    return Organisation.objects.filter(pk__in=roles.values("organisation_id"))


def organisation_members(organisation: Organisation, role: str) -> QuerySet:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(
        organisation_roles__organisation=organisation, organisation_roles__role=role
    )
