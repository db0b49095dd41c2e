from django.urls import path

from cooperative.membership import views

urlpatterns = [
    path("mitgliedschaft/", views.membership_mine_view, name="membership_mine"),
    path(
        "mitgliedschaft/<int:member_id>/kuendigen/",
        views.membership_resign_view,
        name="membership_resign",
    ),
    path("mitglieder/", views.member_register_view, name="member_register"),
    path(
        "mitglieder/mitgliederliste.csv",
        views.member_register_csv_view,
        name="member_register_csv",
    ),
    path(
        "mitglieder/<int:member_id>/entscheiden/",
        views.membership_decide_view,
        name="membership_decide",
    ),
    path(
        "mitglieder/<int:member_id>/ausschliessen/",
        views.membership_exclude_view,
        name="membership_exclude",
    ),
]
