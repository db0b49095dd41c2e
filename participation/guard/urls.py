from django.urls import path

from participation.guard import views

urlpatterns = [
    path(
        "beteiligungen/<int:consultation_id>/ruhemodus/",
        views.calm_mode_view,
        name="guard_calm_mode",
    ),
]
