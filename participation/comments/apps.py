from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from participation.consultations.sections import MAIN, PageSection, page_section_register
from participation.contributions.discussion import Discussion, discussion_register
from participation.gate.registry import last_contribution_register
from participation.gate.targets import moderation_target_register


class CommentsConfig(AppConfig):
    name = "participation.comments"
    label = "participation_comments"
    verbose_name = _("Comments")

    def ready(self) -> None:
        from participation.comments import signals
        from participation.comments.context import discussion_context
        from participation.comments.moderation_target import CommentTarget
        from participation.comments.selectors import comment_last_written_at

        signals.connect()
        last_contribution_register("comments", comment_last_written_at)
        moderation_target_register(CommentTarget())
        # The thread on a proposal's page (or any other target's page).
        discussion_register(
            Discussion(
                template="participation_comments/discussion.html", context=discussion_context
            )
        )
        page_section_register(
            PageSection(
                name="draft_text",
                template="participation_comments/draft_text_teaser.html",
                slot=MAIN,
                position=20,
            )
        )
        page_section_register(
            PageSection(
                name="discussion",
                template="participation_comments/discussion.html",
                slot=MAIN,
                position=30,
                context=discussion_context,
                embed="diskussion",  # ?abschnitt=diskussion in the embed view
            )
        )
