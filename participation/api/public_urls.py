"""Feeds, calendars, open data and the token page: under the language prefixes, beside the
pages they belong to."""

from django.urls import path

from participation.api import account_views, calendar, dcat, feeds, public_views

urlpatterns = [
    path("feeds/beteiligungen/", feeds.ConsultationsFeed(), name="feed_consultations"),
    path(
        "feeds/beteiligungen/<int:consultation_id>/beitraege/",
        feeds.ContributionsFeed(),
        name="feed_consultation_contributions",
    ),
    path("feeds/organisationen/<slug:slug>/", feeds.OrganisationFeed(), name="feed_organisation"),
    path("feeds/stellungnahmen/", feeds.StatementsFeed(), name="feed_statements"),
    path("feeds/ergebnisse/", feeds.ResultsFeed(), name="feed_results"),
    path(
        "beteiligungen/<int:consultation_id>/phasen.ics",
        calendar.consultation_calendar,
        name="consultation_calendar",
    ),
    path("kalender.ics", calendar.platform_calendar, name="platform_calendar"),
    path(
        "beteiligungen/<int:consultation_id>/daten.<str:fmt>",
        public_views.consultation_export,
        name="consultation_export",
    ),
    path("offene-daten/", public_views.open_data_view, name="open_data"),
    path("offene-daten/katalog.<str:fmt>", dcat.catalogue_view, name="open_data_catalogue"),
    path("konto/api-zugaenge/", account_views.token_list, name="api_tokens"),
    path(
        "konto/api-zugaenge/<int:token_id>/widerrufen/",
        account_views.token_revoke_view,
        name="api_token_revoke",
    ),
]
