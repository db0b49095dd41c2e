from django.urls import path

from participation.moderation import views

urlpatterns = [
    path("moderation/", views.queue_view, name="moderation_queue"),
    path("moderation/melden/<slug:kind>/<int:pk>/", views.report_view, name="moderation_report"),
    path(
        "moderation/melden/<slug:kind>/<int:pk>/anzeigename/",
        views.report_display_name_view,
        name="moderation_report_display_name",
    ),
    path(
        "moderation/meldung/eingegangen/",
        views.report_received_view,
        name="moderation_report_received",
    ),
    path(
        "moderation/entscheiden/<slug:kind>/<int:pk>/",
        views.decide_view,
        name="moderation_decide",
    ),
    path(
        "moderation/entscheiden/<slug:kind>/<int:pk>/ablehnen/",
        views.reject_reports_view,
        name="moderation_reject_reports",
    ),
    path(
        "moderation/freigeben/<slug:kind>/<int:pk>/",
        views.approve_view,
        name="moderation_approve",
    ),
    path(
        "moderation/entscheidungen/<uuid:puid>.json",
        views.decision_json_view,
        name="moderation_decision_json",
    ),
    path(
        "moderation/entscheidungen/<uuid:puid>/",
        views.decision_detail_view,
        name="moderation_decision_detail",
    ),
    path(
        "moderation/entscheidungen/<uuid:puid>/beschwerde/",
        views.appeal_create_view,
        name="moderation_appeal_create",
    ),
    path("moderation/beschwerden/", views.appeal_list_view, name="moderation_appeals"),
    path(
        "moderation/beschwerden/<int:appeal_id>/",
        views.appeal_decide_view,
        name="moderation_appeal_decide",
    ),
    path("moderation/meine/", views.my_notices_view, name="moderation_my_notices"),
]
