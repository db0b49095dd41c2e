from django.urls import path

from cooperative.mandates import views

urlpatterns = [
    path("mandate/", views.mandate_list_view, name="mandate_list"),
    path("mandate/neu/", views.mandate_create_view, name="mandate_create"),
    path("mandate/<int:mandate_id>/widerrufen/", views.mandate_revoke_view, name="mandate_revoke"),
]
