from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from cooperative.organisations.models import Organisation
from cooperative.organisations.services import organisation_created, organisation_roles_changed


class OrganisationViewSet(SnippetViewSet):
    model = Organisation
    icon = "group"
    menu_label = _("Organisations")
    menu_order = 250
    add_to_admin_menu = True
    list_display = ["name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name"]
    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("kind"),
        FieldPanel("description"),
        FieldPanel("website"),
        FieldPanel("embed_origins", heading=_("Embedding on other websites")),
        InlinePanel("roles", heading=_("Roles"), label=_("Role")),
    ]


register_snippet(OrganisationViewSet)


@hooks.register("after_create_snippet")
def _after_create(request, instance) -> None:
    if isinstance(instance, Organisation):
        organisation_created(organisation=instance)


@hooks.register("after_edit_snippet")
def _after_edit(request, instance) -> None:
    if isinstance(instance, Organisation):
        organisation_roles_changed(organisation=instance)
