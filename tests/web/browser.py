"""Reading pages as a browser without JavaScript does: forms, the fields they submit, scripts."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

from fastapi.testclient import TestClient
from httpx import Response

SUBMITTED_INPUT_TYPES = {"hidden", "text", "email", "number", "date", "password", "search", "url"}


@dataclass
class Form:
    action: str
    method: str
    fields: dict[str, str] = field(default_factory=dict)
    field_types: dict[str, str] = field(default_factory=dict)
    buttons: list[str] = field(default_factory=list)

    @property
    def path(self) -> str:
        return urlsplit(self.action).path

    def submit(
        self, client: TestClient, *, follow_redirects: bool = False, **changes: str | None
    ) -> Response:
        """Post what a browser would, to the form's action: its current values with `changes`
        typed in (None unticks a checkbox or clears a field from the submission)."""
        values = dict(self.fields)
        for name, value in changes.items():
            if value is None:
                values.pop(name, None)
            else:
                values[name] = value
        return client.post(self.action, data=values, follow_redirects=follow_redirects)


@dataclass
class Page:
    forms: list[Form] = field(default_factory=list)
    script_tags: int = 0
    inline_handlers: list[str] = field(default_factory=list)

    def form(self, path: str) -> Form:
        """The one form that posts to `path` (actions are absolute URLs made by url_for)."""
        matching = [f for f in self.forms if urlsplit(f.action).path == path]
        assert len(matching) == 1, f"expected one form posting to {path}, found {len(matching)}"
        return matching[0]

    def form_with_button(self, label: str) -> Form:
        """The one form whose submit button says `label`, wherever it posts."""
        matching = [f for f in self.forms if label in f.buttons]
        assert len(matching) == 1, f"expected one form with button {label!r}"
        return matching[0]


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self._form: Form | None = None
        self._select: str | None = None
        self._first_option: str | None = None
        self._textarea: str | None = None
        self._button: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v or "") for k, v in attrs}
        self.page.inline_handlers.extend(f"<{tag} {k}>" for k in a if k.startswith("on"))
        if tag == "script":
            self.page.script_tags += 1
        elif tag == "form":
            self._form = Form(action=a.get("action", ""), method=a.get("method", "get").lower())
            self.page.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input":
            self._input(a)
        elif tag == "select":
            self._select, self._first_option = a.get("name"), None
        elif tag == "option" and self._select:
            value = a.get("value", "")
            if self._first_option is None:
                self._first_option = value
                self._form.fields.setdefault(self._select, value)
            if "selected" in a:
                self._form.fields[self._select] = value
        elif tag == "button":
            self._button = []
        elif tag == "textarea" and a.get("name"):
            self._textarea = a["name"]
            self._form.fields[self._textarea] = ""

    def _input(self, a: dict[str, str]) -> None:
        assert self._form is not None
        name, kind = a.get("name"), a.get("type", "text").lower()
        if not name:
            return
        self._form.field_types[name] = kind
        if kind in SUBMITTED_INPUT_TYPES:
            self._form.fields[name] = a.get("value", "")
        elif kind in {"checkbox", "radio"} and "checked" in a:
            self._form.fields[name] = a.get("value", "on")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "button" and self._button is not None and self._form is not None:
            self._form.buttons.append("".join(self._button).strip())
            self._button = None

    def handle_data(self, data: str) -> None:
        if self._button is not None:
            self._button.append(data)
        if self._textarea and self._form is not None:
            self._form.fields[self._textarea] += data


def read(html: str) -> Page:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader.page


def open_form(client: TestClient, page_path: str, action_path: str) -> Form:
    response = client.get(page_path)
    assert response.status_code == 200, response.text
    return read(response.text).form(action_path)
