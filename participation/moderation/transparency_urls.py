"""Public moderation pages: the log, the transparency report and the bulk DSA export (one
decision's record is the core's moderation_decision_json)."""

from django.urls import path

from participation.moderation import transparency_views as views

urlpatterns = [
    path("moderation/protokoll/", views.moderation_log, name="moderation_log"),
    path(
        "moderation/transparenzbericht/",
        views.transparency_report_page,
        name="moderation_transparency_report",
    ),
    path(
        "moderation/transparenzbericht.csv",
        views.transparency_report_page,
        {"fmt": "csv"},
        name="moderation_transparency_report_csv",
    ),
    path(
        "moderation/entscheidungen.json",
        views.decisions_dsa_export,
        {"fmt": "json"},
        name="moderation_decisions_dsa_export",
    ),
    path(
        "moderation/entscheidungen.jsonl",
        views.decisions_dsa_export,
        {"fmt": "jsonl"},
        name="moderation_decisions_dsa_export_jsonl",
    ),
]
