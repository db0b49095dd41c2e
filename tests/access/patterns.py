"""Every URL pattern and WebSocket route of the project, found by walking the resolvers.

The language-prefixed patterns (`i18n_patterns`) are walked once, with German (the
default language, no prefix) active: `/en/...` resolves to the very same pattern objects.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern
from django.utils import translation

CONVERTER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


@dataclass(frozen=True)
class Route:
    """One pattern: its full route (as `ResolverMatch.route` gives it), its name for the
    table (namespace:name; "" when unnamed or when several patterns share the name), its
    qualified name as the resolver reports it, and the converters of its parameters."""

    route: str
    name: str
    converters: tuple[tuple[str, str], ...]  # (parameter, converter); regex groups: "re"
    qualified: str = ""  # namespaces and name joined by ":" ("ns:" when unnamed)

    @property
    def key(self) -> str:
        return self.name or self.route


def _join(first: str, second: str) -> str:
    # As Django joins the routes of nested patterns: a nested regex loses its "^".
    if not first:
        return second
    return first + (second[1:] if second.startswith("^") else second)


def _converters(pattern) -> list[tuple[str, str]]:
    if isinstance(pattern, RoutePattern):
        return [(m["name"], m["converter"] or "str") for m in CONVERTER.finditer(str(pattern))]
    regex = pattern.regex
    named = [(name, "re") for name in regex.groupindex]
    unnamed = regex.groups - len(regex.groupindex)
    return named + [(f"#{n}", "re") for n in range(unnamed)]


def _walk(resolver: URLResolver, prefix: str, namespaces: tuple[str, ...], converters: list):
    for entry in resolver.url_patterns:
        route = _join(prefix, str(entry.pattern))
        found = converters + _converters(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = namespaces + ((entry.namespace,) if entry.namespace else ())
            yield from _walk(entry, route, inner, found)
        elif isinstance(entry, URLPattern):
            qualified = ":".join((*namespaces, entry.name or ""))
            name = qualified if entry.name else ""
            yield Route(route=route, name=name, converters=tuple(found), qualified=qualified)


def url_routes() -> list[Route]:
    """Every HTTP pattern, in resolver order. A name shared by several patterns names
    none of them: such patterns are keyed by their route."""
    with translation.override("de"):
        routes = list(_walk(get_resolver(), "", (), []))
    names: dict[str, int] = {}
    for route in routes:
        names[route.name] = names.get(route.name, 0) + 1
    return [
        route if not route.name or names[route.name] == 1 else replace(route, name="")
        for route in routes
    ]


def resolves_to(match, route: Route) -> bool:
    """Whether a `ResolverMatch` is of this very pattern (not of another with the same
    route string, such as one that shadows it)."""
    qualified = ":".join((*match.namespaces, match.url_name or ""))
    return match.route == route.route and qualified == route.qualified


def websocket_routes() -> list[str]:
    from config.routing import websocket_urlpatterns

    return [str(pattern.pattern) for pattern in websocket_urlpatterns]
