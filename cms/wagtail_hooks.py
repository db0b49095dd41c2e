"""Accessibility feedback in the Wagtail admin: the messages sent with the statement's
form, for admins and for groups given the model's permissions. Read, marked as handled
or deleted; never written here."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from cms.models import AccessibilityFeedback


class FeedbackPermissionPolicy(ModelPermissionPolicy):
    """The model's permissions, except that nobody adds feedback in the admin."""

    def user_has_permission(self, user, action):
        return action != "add" and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


class AccessibilityFeedbackViewSet(SnippetViewSet):
    model = AccessibilityFeedback
    icon = "mail"
    menu_label = _("Accessibility feedback")
    menu_order = 270
    add_to_admin_menu = True
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = ["__str__", "created_at", "page_url", "handled"]
    list_filter = ["handled"]
    search_fields = ["message", "name", "email", "page_url"]
    inspect_view_fields = ["created_at", "message", "name", "email", "page_url", "language"]
    # What someone sent stays as sent: only whether it was handled changes.
    panels = [FieldPanel("handled")]


register_permission_policy(AccessibilityFeedback, FeedbackPermissionPolicy(AccessibilityFeedback))
register_snippet(AccessibilityFeedbackViewSet)
