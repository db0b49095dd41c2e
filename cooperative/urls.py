"""The cooperative's pages under /genossenschaft/."""

from django.urls import include, path

urlpatterns = [
    path("", include("cooperative.governance.urls")),
    path("", include("cooperative.membership.urls")),
    path("", include("cooperative.mandates.urls")),
]
