from django.urls import path

from participation.polls import views

urlpatterns = [
    path(
        "beteiligungen/<int:consultation_id>/umfragen/<int:poll_id>/abstimmen/",
        views.poll_vote_view,
        name="poll_vote",
    ),
    path(
        "beteiligungen/<int:consultation_id>/umfragen/<int:poll_id>/zuruecknehmen/",
        views.poll_withdraw_view,
        name="poll_withdraw",
    ),
    path(
        "beteiligungen/<int:consultation_id>/umfragen/<int:poll_id>/schliessen/",
        views.poll_close_view,
        name="poll_close",
    ),
]
