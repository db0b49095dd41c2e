from django.urls import path

from participation.proposals import views

urlpatterns = [
    path(
        "beteiligungen/<int:consultation_id>/vorschlaege/",
        views.proposal_list_view,
        name="proposal_list",
    ),
    path(
        "beteiligungen/<int:consultation_id>/vorschlaege/neu/",
        views.proposal_create_view,
        name="proposal_create",
    ),
    path(
        "beteiligungen/<int:consultation_id>/vorschlaege/<int:proposal_id>/",
        views.proposal_detail_view,
        name="proposal_detail",
    ),
    path(
        "beteiligungen/<int:consultation_id>/vorschlaege/<int:proposal_id>/bearbeiten/",
        views.proposal_edit_view,
        name="proposal_edit",
    ),
    path(
        "beteiligungen/<int:consultation_id>/vorschlaege/<int:proposal_id>/zurueckziehen/",
        views.proposal_withdraw_view,
        name="proposal_withdraw",
    ),
    path(
        "beteiligungen/<int:consultation_id>/vorschlaege/<int:proposal_id>/unterstuetzung/",
        views.proposal_support_view,
        name="proposal_support",
    ),
    path(
        "beteiligungen/<int:consultation_id>/vorschlaege/<int:proposal_id>/folgen/",
        views.proposal_follow_view,
        name="proposal_follow",
    ),
    path(
        "beteiligungen/<int:consultation_id>/vorschlaege/<int:proposal_id>/rueckmeldung/",
        views.proposal_answer_view,
        name="proposal_answer",
    ),
]
