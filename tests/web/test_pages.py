"""Pages work without JavaScript, and every form that changes something carries the CSRF token
and posts to a page route."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient
from httpx import Response

from tests.api.world import ALPHA, World
from tests.conftest import sign_in
from tests.web.browser import read

PageVisit = Callable[[TestClient, World], tuple[Response, str]]


def _as(role: str, path: str, status: int = 200) -> PageVisit:
    def visit(client: TestClient, world: World) -> tuple[Response, str]:
        csrf = sign_in(client, getattr(world.alpha, role).email)
        response = client.get(path)
        assert response.status_code == status, response.text
        return response, csrf

    return visit


def _anonymous(path: str, status: int = 200) -> PageVisit:
    def visit(client: TestClient, world: World) -> tuple[Response, str]:
        response = client.get(path)
        assert response.status_code == status
        return response, client.cookies.get("qd_login_csrf", path="/login") or ""

    return visit


def _settings_error(client: TestClient, world: World) -> tuple[Response, str]:
    csrf = sign_in(client, world.alpha.owner.email)
    response = client.post(
        f"/w/{ALPHA}/settings",
        data={"csrf_token": csrf, "version": "1", "name": "X", "headcount": "many"},
    )
    assert response.status_code == 422
    return response, csrf


def _token_issued(client: TestClient, world: World) -> tuple[Response, str]:
    csrf = sign_in(client, world.alpha.owner.email)
    response = client.post(f"/w/{ALPHA}/tokens", data={"csrf_token": csrf, "name": "ci"})
    assert response.status_code == 201
    return response, csrf


def _decision_error(client: TestClient, world: World) -> tuple[Response, str]:
    csrf = sign_in(client, world.alpha.editor.email)
    response = client.post(
        f"/w/{ALPHA}/decisions",
        data={"csrf_token": csrf, "title": "", "area": "", "estimated_spend": "a lot"},
    )
    assert response.status_code == 422
    return response, csrf


PAGES: dict[str, PageVisit] = {
    "sign-in": _anonymous("/login"),
    "api reference": _anonymous("/api/v1/docs"),
    "not found": _anonymous("/nothing/here", 404),
    "workspaces": _as("owner", "/"),
    "dashboard": _as("owner", f"/w/{ALPHA}"),
    "settings": _as("owner", f"/w/{ALPHA}/settings"),
    "settings with an error": _settings_error,
    "members (owner)": _as("owner", f"/w/{ALPHA}/members"),
    "members (viewer)": _as("viewer", f"/w/{ALPHA}/members"),
    "tokens": _as("owner", f"/w/{ALPHA}/tokens"),
    "token just issued": _token_issued,
    "audit log": _as("owner", f"/w/{ALPHA}/audit"),
    "decision log": _as("editor", f"/w/{ALPHA}/decisions?status=accepted&sort=title"),
    "new decision": _as("editor", f"/w/{ALPHA}/decisions/new"),
    "decision (proposed)": _as("editor", f"/w/{ALPHA}/decisions/1"),
    "decision (accepted)": _as("owner", f"/w/{ALPHA}/decisions/D-2"),
    "decision (viewer)": _as("viewer", f"/w/{ALPHA}/decisions/2"),
    "edit decision": _as("editor", f"/w/{ALPHA}/decisions/1/edit"),
    "decision diff": _as("viewer", f"/w/{ALPHA}/decisions/2/diff?old=1&new=2"),
    "due for revisit": _as("viewer", f"/w/{ALPHA}/decisions/due"),
    "decision form with an error": _decision_error,
    "not allowed": _as("viewer", f"/w/{ALPHA}/settings", 403),
    "another workspace": _as("owner", "/w/bravo-corp", 404),
    "markup in the address": _as("owner", "/w/<script>alert(1)<img src=x onerror=alert(2)>", 404),
}


@pytest.mark.parametrize("page", list(PAGES))
def test_page_has_no_scripts_or_inline_handlers(
    world: World, client: TestClient, page: str
) -> None:
    response, _ = PAGES[page](client, world)
    assert response.headers["content-type"].startswith("text/html")
    seen = read(response.text)
    assert seen.script_tags == 0
    assert "<script" not in response.text.lower()
    assert seen.inline_handlers == []
    assert "javascript:" not in response.text.lower()


@pytest.mark.parametrize("page", list(PAGES))
def test_every_form_that_posts_carries_the_sessions_csrf_token(
    world: World, client: TestClient, page: str
) -> None:
    response, csrf = PAGES[page](client, world)
    forms = read(response.text).forms
    for form in forms:
        assert form.method in ("post", "get"), form.action
        if form.method == "get":
            # Searches and comparisons change nothing; the token must not leak into addresses.
            assert "csrf_token" not in form.fields, form.action
            continue
        assert form.field_types.get("csrf_token") == "hidden", form.action
        assert form.fields["csrf_token"] == csrf, form.action
        assert csrf


@pytest.mark.parametrize("page", list(PAGES))
def test_every_form_posts_to_a_page_route_on_this_site(
    app: FastAPI, world: World, client: TestClient, page: str
) -> None:
    page_routes = {
        method: [
            context.path_regex
            for context in iter_route_contexts(app.routes)
            if isinstance(context.original_route, APIRoute)
            and method.upper() in (context.methods or ())
            and not context.path.startswith("/api/")
        ]
        for method in ("get", "post")
    }
    response, _ = PAGES[page](client, world)
    for form in read(response.text).forms:
        action = urlsplit(form.action)
        assert action.netloc in ("", "testserver")
        assert not action.path.startswith("/api/"), f"form posts to the JSON API: {form.action}"
        patterns = page_routes[form.method]
        assert any(pattern.match(action.path) for pattern in patterns), form.action


def test_route_names_are_unique_so_url_for_is_unambiguous(app: FastAPI) -> None:
    names = [
        context.name
        for context in iter_route_contexts(app.routes)
        if isinstance(context.original_route, APIRoute)
    ]
    duplicated = sorted({name for name in names if names.count(name) > 1})
    assert duplicated == []


def test_pages_link_to_the_stylesheet_only(world: World, client: TestClient) -> None:
    sign_in(client, world.alpha.owner.email)
    page = client.get(f"/w/{ALPHA}").text
    assert '<link rel="stylesheet" href="http://testserver/static/app.css">' in page
    assert client.get("/static/app.css").status_code == 200
