"""/api/: the versioned REST API, its OpenAPI schema and its documentation (served from
the platform itself, no CDN). Outside the language prefixes: one URL per resource."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from participation.api import moderation, views

v1 = [
    path("", views.ApiRootView.as_view(), name="api_root"),
    path("organisations/", views.OrganisationListView.as_view(), name="api_organisations"),
    path(
        "organisations/<int:pk>/",
        views.OrganisationDetailView.as_view(),
        name="api_organisation",
    ),
    path("consultations/", views.ConsultationListView.as_view(), name="api_consultations"),
    path(
        "consultations/<int:pk>/",
        views.ConsultationDetailView.as_view(),
        name="api_consultation",
    ),
    path(
        "consultations/<int:pk>/comments/",
        views.ConsultationCommentsView.as_view(),
        name="api_consultation_comments",
    ),
    path(
        "consultations/<int:pk>/proposals/",
        views.ConsultationProposalsView.as_view(),
        name="api_consultation_proposals",
    ),
    path(
        "consultations/<int:pk>/polls/",
        views.ConsultationPollsView.as_view(),
        name="api_consultation_polls",
    ),
    path("statements/", views.StatementListView.as_view(), name="api_statements"),
    path("comments/<int:pk>/", views.CommentDetailView.as_view(), name="api_comment"),
    path("proposals/<int:pk>/", views.ProposalDetailView.as_view(), name="api_proposal"),
    path(
        "proposals/<int:pk>/withdrawal/",
        views.ProposalWithdrawalView.as_view(),
        name="api_proposal_withdrawal",
    ),
    path(
        "proposals/<int:pk>/supports/",
        views.ProposalSupportsView.as_view(),
        name="api_proposal_supports",
    ),
    path("polls/<int:pk>/", views.PollDetailView.as_view(), name="api_poll"),
    path("polls/<int:pk>/votes/", views.PollVotesView.as_view(), name="api_poll_votes"),
    path(
        "moderation/queue/",
        moderation.ModerationQueueView.as_view(),
        name="api_moderation_queue",
    ),
    path(
        "moderation/decisions/",
        moderation.ModerationDecisionsView.as_view(),
        name="api_moderation_decisions",
    ),
    path(
        "moderation/decisions/<uuid:puid>/",
        moderation.ModerationDecisionDetailView.as_view(),
        name="api_moderation_decision",
    ),
]

urlpatterns = [
    *[path(f"v1/{pattern.pattern}", pattern.callback, name=pattern.name) for pattern in v1],
    path("schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api_schema", template_name="participation_api/swagger_ui.html"
        ),
        name="api_docs",
    ),
    re_path(r"^(?P<rest>[\s\S]*)$", views.api_not_found),
]
