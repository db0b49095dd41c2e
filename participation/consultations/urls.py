from django.urls import path

from participation.consultations import views

urlpatterns = [
    path("beteiligungen/", views.consultation_list, name="consultation_list"),
    path(
        "beteiligungen/<int:consultation_id>/einbetten/",
        views.consultation_embed,
        name="consultation_embed",
    ),
]
