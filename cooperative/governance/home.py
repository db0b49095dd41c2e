"""The cooperative's home page (/genossenschaft/) shows sections of apps that lie above
governance (the mandates in force). Each registers a function rendering its section in its
`AppConfig.ready()`; the page renders them in the order of registration, between the
ballots and the log."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest

HomeSection = Callable[[HttpRequest], str]

_sections: list[HomeSection] = []


def home_section_register(section: HomeSection) -> None:
    if section not in _sections:
        _sections.append(section)


def home_sections_render(request: HttpRequest) -> list[str]:
    return [section(request) for section in _sections]
