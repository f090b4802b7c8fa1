"""Markdown to safe HTML: CommonMark with tables, then an allow-list sanitizer."""

from __future__ import annotations

from functools import cache

import nh3
from markdown_it import MarkdownIt

__all__ = ["escape_markdown", "render_markdown"]

_TAGS = {
    "p",
    "br",
    "hr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "strong",
    "em",
    "del",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}


@cache
def _parser() -> MarkdownIt:
    # Raw HTML in the source is shown as text, never passed through.
    return MarkdownIt("commonmark", {"html": False}).enable("table").enable("strikethrough")


def render_markdown(text: str) -> str:
    """HTML for `text` that is safe to put in a page or a report: no scripts, no event
    handlers, no style, links only to http(s) and mailto, and every link marked nofollow."""
    html = _parser().render(text)
    return nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener noreferrer",
    )


_MARKUP = frozenset("\\`*_{}[]()#+-.!|<>~&=")


def escape_markdown(text: str) -> str:
    """`text` (a name, a title, anything a person typed) as literal Markdown inline text:
    one line, every character Markdown could read as markup backslashed (CommonMark reads
    a backslashed punctuation mark as the character itself), so it cannot open a heading,
    a list, a table cell, a link or an entity. Commas, colons and the like stay as typed."""
    return "".join(f"\\{char}" if char in _MARKUP else char for char in " ".join(text.split()))
