"""An in-page table of contents for long pages, made on the server from the page itself.

    {% page_contents as contents %}…the page's sections…{% endpage_contents %}
    {% if contents.headings|length > 2 %}<nav>…{% for id, text in contents.headings %}…{% endif %}
    {{ contents.html }}

The enclosed part is rendered first; every `<h2>` that has an `id` and is not visually
hidden becomes an entry, so the list names exactly the sections a person will find on the
page (a consultation without polls lists no polls), with and without JavaScript."""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser

from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@dataclass(frozen=True)
class PageContents:
    html: SafeString
    headings: list[tuple[str, str]]


class _Headings(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.headings: list[tuple[str, str]] = []
        self._current: tuple[str, list[str]] | None = None
        self._skip_depth = 0  # inside an element that is not part of the heading's name

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "h2":
            classes = (attributes.get("class") or "").split()
            if attributes.get("id") and "visually-hidden" not in classes:
                self._current = (attributes["id"] or "", [])
        elif self._current is not None and (
            "count" in (attributes.get("class") or "").split() or self._skip_depth
        ):
            self._skip_depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "h2" and self._current is not None:
            anchor, parts = self._current
            text = " ".join("".join(parts).split())
            if text:
                self.headings.append((anchor, text))
            self._current = None
            self._skip_depth = 0
        elif self._skip_depth:
            self._skip_depth -= 1

    def handle_data(self, data: str) -> None:
        if self._current is not None and not self._skip_depth:
            self._current[1].append(data)


def headings_of(html: str) -> list[tuple[str, str]]:
    parser = _Headings()
    parser.feed(html)
    parser.close()
    return parser.headings


class PageContentsNode(template.Node):
    def __init__(self, nodelist: template.NodeList, name: str) -> None:
        self.nodelist = nodelist
        self.name = name

    def render(self, context: template.Context) -> str:
        html = self.nodelist.render(context)
        context[self.name] = PageContents(html=mark_safe(html), headings=headings_of(html))  # noqa: S308  (rendered by the template engine, escaped there)
        return ""


@register.tag("page_contents")
def page_contents(parser: template.base.Parser, token: template.base.Token) -> PageContentsNode:
    bits = token.split_contents()
    if len(bits) != 3 or bits[1] != "as":
        raise template.TemplateSyntaxError(
            "Usage: {% page_contents as name %}…{% endpage_contents %}"
        )
    nodelist = parser.parse(("endpage_contents",))
    parser.delete_first_token()
    return PageContentsNode(nodelist, bits[2])
