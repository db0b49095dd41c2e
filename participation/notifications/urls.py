from django.urls import path

from participation.notifications import views

urlpatterns = [
    path("benachrichtigungen/", views.notification_list_view, name="notification_list"),
    path(
        "benachrichtigungen/<int:notification_id>/",
        views.notification_open_view,
        name="notification_open",
    ),
    path(
        "benachrichtigungen/<int:notification_id>/gelesen/",
        views.notification_read_view,
        name="notification_read",
    ),
    path(
        "benachrichtigungen/alle-gelesen/",
        views.notifications_read_all_view,
        name="notifications_read_all",
    ),
]
