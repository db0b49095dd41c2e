from django.urls import path

from participation.results import views

urlpatterns = [
    path(
        "beteiligungen/<int:consultation_id>/ergebnisse/",
        views.results_view,
        name="consultation_results",
    ),
    path(
        "beteiligungen/<int:consultation_id>/ergebnisse.csv",
        views.results_view,
        {"fmt": "csv"},
        name="consultation_results_csv",
    ),
    path(
        "beteiligungen/<int:consultation_id>/ergebnisse.json",
        views.results_view,
        {"fmt": "json"},
        name="consultation_results_json",
    ),
]
