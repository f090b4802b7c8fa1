from __future__ import annotations

from html.parser import HTMLParser

import pytest

from quarterdeck.reports.markdown import render_markdown


def test_markdown_renders_the_usual_formatting() -> None:
    html = render_markdown("## Why\n\n* **fast**\n* `code`\n\n| a | b |\n|---|---|\n| 1 | 2 |")
    assert "<h2>Why</h2>" in html
    assert "<strong>fast</strong>" in html
    assert "<code>code</code>" in html
    assert "<td>1</td>" in html


@pytest.mark.parametrize(
    "payload",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "[click](javascript:alert(1))",
        '<a href="javascript:alert(1)">x</a>',
        "<iframe src='https://evil.example'></iframe>",
        '<div style="background:url(javascript:alert(1))">x</div>',
        "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "<svg onload=alert(1)>",
    ],
)
def test_hostile_markdown_renders_inert(payload: str) -> None:
    elements = Elements()
    elements.feed(render_markdown(payload))
    assert elements.tags <= {"p", "a"}
    for name, value in elements.attributes:
        assert not name.startswith("on")
        assert name != "style"
        if name == "href":
            assert value.startswith(("http:", "https:", "mailto:"))


class Elements(HTMLParser):
    """The tags and attributes a browser would build from the HTML."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.attributes: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.attributes.extend((name, value or "") for name, value in attrs)


def test_links_are_kept_and_marked_nofollow() -> None:
    html = render_markdown("[handbook](https://example.com/handbook)")
    assert 'href="https://example.com/handbook"' in html
    assert "nofollow" in html
