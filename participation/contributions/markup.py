"""The small Markdown subset allowed in contributions, rendered and sanitised once on write."""

import html

import nh3
from django.utils.html import strip_tags
from markdown_it import MarkdownIt

ALLOWED_TAGS = {"p", "br", "strong", "em", "a", "ul", "ol", "li", "blockquote", "code", "pre"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
LINK_REL = "nofollow ugc noopener"

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "breaks": True}).disable(
    ["image", "heading", "lheading", "hr", "table", "html_block", "html_inline"], True
)


def render_markdown(source: str) -> str:
    html = _markdown.render(source)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        link_rel=LINK_REL,
        url_schemes={"http", "https", "mailto"},
        strip_comments=True,
    ).strip()


def markdown_to_text(source: str) -> str:
    """The words of a contribution without its markup, on one line: for headings, short
    excerpts, labels and plain-text places (a link keeps its text, not its address)."""
    text = strip_tags(_markdown.render(source))
    return " ".join(html.unescape(text).split())
