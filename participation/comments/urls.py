from django.urls import path

from participation.comments import views

urlpatterns = [
    path(
        "beteiligungen/<int:consultation_id>/textentwurf/",
        views.draft_text_view,
        name="draft_text",
    ),
    path(
        "beteiligungen/<int:consultation_id>/beitraege/",
        views.comment_thread_view,
        name="comment_thread",
    ),
    path(
        "beteiligungen/<int:consultation_id>/beitraege/neu/",
        views.comment_create_view,
        name="comment_create",
    ),
    path(
        "beteiligungen/<int:consultation_id>/beitraege/<int:comment_id>/bearbeiten/",
        views.comment_edit_view,
        name="comment_edit",
    ),
    path(
        "beteiligungen/<int:consultation_id>/beitraege/<int:comment_id>/loeschen/",
        views.comment_delete_view,
        name="comment_delete",
    ),
    path(
        "beteiligungen/<int:consultation_id>/beitraege/<int:comment_id>/reaktion/",
        views.comment_react_view,
        name="comment_react",
    ),
]
