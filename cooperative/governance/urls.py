from django.urls import path

from cooperative.governance import views

urlpatterns = [
    path("", views.cooperative_home_view, name="cooperative_home"),
    path("regeln/", views.rule_document_list_view, name="rule_document_list"),
    path("regeln/<slug:slug>/", views.rule_document_view, name="rule_document"),
    path("regeln/<slug:slug>/fassung/<int:number>/", views.rule_version_view, name="rule_version"),
    path("regeln/<slug:slug>/vergleich/", views.rule_diff_view, name="rule_diff"),
    path(
        "regeln/<slug:slug>/gruendungsfassung/",
        views.rule_document_found_view,
        name="rule_document_found",
    ),
    path("antraege/", views.motion_list_view, name="motion_list"),
    path("antraege/neu/", views.motion_create_view, name="motion_create"),
    path("antraege/<int:motion_id>/", views.motion_detail_view, name="motion_detail"),
    path(
        "antraege/<int:motion_id>/unterstuetzen/", views.motion_support_view, name="motion_support"
    ),
    path("antraege/<int:motion_id>/beitrag/", views.motion_comment_view, name="motion_comment"),
    path(
        "antraege/<int:amends_id>/aenderungsantrag/",
        views.motion_create_view,
        name="motion_amend",
    ),
    path(
        "antraege/<int:motion_id>/abstimmung-ansetzen/",
        views.ballot_create_view,
        name="ballot_create",
    ),
    path("abstimmungen/<int:ballot_id>/", views.ballot_detail_view, name="ballot_detail"),
    path("abstimmungen/<int:ballot_id>/abstimmen/", views.ballot_vote_view, name="ballot_vote"),
    path("abstimmungen/<int:ballot_id>/vollmacht/", views.ballot_proxy_view, name="ballot_proxy"),
    path(
        "abstimmungen/<int:ballot_id>/vollmacht/<int:proxy_id>/widerrufen/",
        views.ballot_proxy_revoke_view,
        name="ballot_proxy_revoke",
    ),
    path(
        "abstimmungen/<int:ballot_id>/quittung/", views.ballot_receipt_view, name="ballot_receipt"
    ),
    path("pruefprotokoll/", views.audit_log_view, name="audit_log"),
]
