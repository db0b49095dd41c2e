"""The guard's per-consultation settings in the Wagtail admin (for platform admins and
groups given the model permissions): whether calm mode starts on its own, and thresholds
that differ from the platform defaults."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from participation.guard.models import GuardConfig


class GuardConfigViewSet(SnippetViewSet):
    model = GuardConfig
    icon = "warning"
    menu_label = _("Shitstorm guard")
    menu_order = 260
    add_to_admin_menu = True
    list_display = ["consultation", "auto_calm_mode", "surge_factor", "min_events"]
    list_filter = ["auto_calm_mode"]
    panels = [
        FieldPanel("consultation"),
        FieldPanel("auto_calm_mode"),
        MultiFieldPanel(
            [FieldPanel("surge_factor"), FieldPanel("min_events")],
            heading=_("When is it a surge?"),
        ),
        MultiFieldPanel(
            [FieldPanel("slow_mode_minutes"), FieldPanel("young_account_days")],
            heading=_("Calm mode"),
        ),
    ]


register_snippet(GuardConfigViewSet)
