"""Absolute URLs for one response: canonical HTML pages and API resources.

Canonical URLs are always those of the default language (the German page, without a
prefix), so that an object has one URL whatever the client's Accept-Language.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import translation

API_ROOT = "/api/v1/"


class Links:
    def __init__(self, request) -> None:
        self.request = request
        self.origin = request.build_absolute_uri("/")[:-1]
        self._pages: dict[int, str] = {}

    def absolute(self, path: str) -> str:
        return f"{self.origin}{path}"

    def api(self, *parts: object) -> str:
        return f"{self.origin}{API_ROOT}{'/'.join(str(part) for part in parts)}/"

    def page(self, page) -> str:
        url = self._pages.get(page.pk)
        if url is None:
            with translation.override(settings.LANGUAGE_CODE):
                relative = page.get_url(self.request) or ""
            url = self._pages[page.pk] = (
                relative if relative.startswith("http") else self.absolute(relative)
            )
        return url

    def route(self, name: str, *args: object) -> str:
        with translation.override(settings.LANGUAGE_CODE):
            return self.absolute(reverse(name, args=args))


def links_of(context) -> Links:
    links = context.get("links")
    if links is None:
        links = context["links"] = Links(context["request"])
    return links
