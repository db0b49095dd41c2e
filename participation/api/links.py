"""Absolute URLs for one response: canonical HTML pages and API resources.

Canonical URLs are always those of the default language (the German page, without a
prefix), so that an object has one URL whatever the client's Accept-Language.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import translation

API_ROOT = "/api/v1/"
_MARKER = "999999999"  # a route argument that no real id equals; replaced per object


class Links:
    def __init__(self, request) -> None:
        self.request = request
        self.origin = request.build_absolute_uri("/")[:-1]
        self._pages: dict[int, str] = {}
        self._indexes: dict[int, object] = {}
        self._routes: dict[str, str] = {}

    def absolute(self, path: str) -> str:
        return f"{self.origin}{path}"

    def api(self, *parts: object) -> str:
        return f"{self.origin}{API_ROOT}{'/'.join(str(part) for part in parts)}/"

    def page(self, page) -> str:
        url = self._pages.get(page.pk)
        if url is None:
            with translation.override(settings.LANGUAGE_CODE):
                # get_url() would ask Site.find_for_request() (a query per response); the
                # parts come from the site root paths Wagtail caches on the request.
                parts = page.get_url_parts(self.request)
                relative = (parts[2] if parts else None) or ""
            url = self._pages[page.pk] = (
                relative if relative.startswith("http") else self.absolute(relative)
            )
        return url

    def organisation_page(self, organisation) -> str | None:
        """The organisation's area page, looked up once per response."""
        index = (
            getattr(organisation, "_api_index", None)
            or organisation._state.fields_cache.get("consultation_index")  # select_related
            or self._indexes.get(organisation.pk)
        )
        if index is None and organisation.pk not in self._indexes:
            from participation.consultations.models import ConsultationIndexPage

            index = ConsultationIndexPage.objects.filter(organisation_id=organisation.pk).first()
            self._indexes[organisation.pk] = index
        return self.page(index) if index is not None else None

    def route(self, name: str, *args: object) -> str:
        """reverse() once per route and response; later objects fill in their ids."""
        key = f"{name}/{len(args)}"
        template = self._routes.get(key)
        if template is None:
            markers = [f"{_MARKER}{n}" for n in range(len(args))]
            with translation.override(settings.LANGUAGE_CODE):
                template = self._routes[key] = self.absolute(reverse(name, args=markers))
        url = template
        for n, arg in enumerate(args):
            url = url.replace(f"{_MARKER}{n}", str(arg))
        return url


def links_of(context) -> Links:
    links = context.get("links")
    if links is None:
        links = context["links"] = Links(context["request"])
    return links
