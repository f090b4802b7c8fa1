"""Errors have one JSON shape, 5xx answers carry a correlation id and no stack trace, and every
response kind carries the security headers."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from quarterdeck.services import audit, workspaces
from quarterdeck.storage import Database
from tests.api.world import ALPHA, BRAVO, GHOST, World, workspace_state
from tests.conftest import sign_in

LEAKED = 'secret-detail File "/srv/quarterdeck/boom.py", line 1'
STACK_TRACE_MARKERS = ("Traceback", 'File "', "RuntimeError", "secret-detail")


def _explode(*_args: object, **_kwargs: object) -> object:
    raise RuntimeError(LEAKED)


def _bearer(world: World) -> dict[str, str]:
    return {"Authorization": f"Bearer {world.alpha.read_token.secret}"}


ErrorCase = Callable[[TestClient, World, str], httpx.Response]
ERROR_CASES: dict[int, ErrorCase] = {
    401: lambda c, w, csrf: c.get(f"/api/v1/workspaces/{ALPHA}"),
    403: lambda c, w, csrf: c.get(f"/api/v1/workspaces/{ALPHA}/audit", headers=_bearer(w)),
    404: lambda c, w, csrf: c.get(f"/api/v1/workspaces/{GHOST}", headers=_bearer(w)),
    405: lambda c, w, csrf: c.put(f"/api/v1/workspaces/{ALPHA}", headers=_bearer(w)),
    409: lambda c, w, csrf: c.patch(
        f"/api/v1/workspaces/{ALPHA}", json={"version": 99}, headers={"X-CSRF-Token": csrf}
    ),
    422: lambda c, w, csrf: c.patch(
        f"/api/v1/workspaces/{ALPHA}",
        json={"name": "No version given"},
        headers={"X-CSRF-Token": csrf},
    ),
}


@pytest.mark.parametrize("status", list(ERROR_CASES))
def test_api_errors_are_json_with_error_and_detail(
    world: World, client: TestClient, status: int
) -> None:
    csrf = sign_in(client, world.alpha.owner.email) if status in (409, 422) else ""
    response = ERROR_CASES[status](client, world, csrf)
    assert response.status_code == status
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert set(body) == {"error", "detail"}
    assert body["error"]
    assert body["detail"]


def test_api_422_names_the_field_at_fault(world: World, client: TestClient) -> None:
    csrf = sign_in(client, world.alpha.owner.email)
    missing = client.patch(
        f"/api/v1/workspaces/{ALPHA}", json={"name": "x"}, headers={"X-CSRF-Token": csrf}
    )
    wrong_type = client.patch(
        f"/api/v1/workspaces/{ALPHA}",
        json={"version": 1, "profile": {"headcount": "abc"}},
        headers={"X-CSRF-Token": csrf},
    )
    bad_zone = client.patch(
        f"/api/v1/workspaces/{ALPHA}",
        json={"version": 1, "time_zone": "Mars/Olympus_Mons"},
        headers={"X-CSRF-Token": csrf},
    )
    assert missing.json()["detail"].startswith("version:")
    assert "profile.headcount" in wrong_type.json()["detail"]
    assert bad_zone.status_code == 422
    assert "time zone 'Mars/Olympus_Mons'" in bad_zone.json()["detail"]


def test_unexpected_api_error_answers_500_with_the_request_id_and_no_trace(
    world: World, client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    sign_in(client, world.alpha.viewer.email)
    monkeypatch.setattr(workspaces, "list_visible", _explode)
    response = client.get("/api/v1/workspaces")
    assert response.status_code == 500
    body = response.json()
    assert set(body) == {"error", "detail", "correlation_id"}
    assert body["correlation_id"] == response.headers["X-Request-ID"]
    assert all(marker not in response.text for marker in STACK_TRACE_MARKERS)


def test_unexpected_page_error_answers_a_500_page_with_the_request_id_and_no_trace(
    world: World, client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    sign_in(client, world.alpha.viewer.email)
    monkeypatch.setattr(workspaces, "list_visible", _explode)
    response = client.get("/")
    assert response.status_code == 500
    assert response.headers["content-type"].startswith("text/html")
    assert f"<code>{response.headers['X-Request-ID']}</code>" in response.text
    assert all(marker not in response.text for marker in STACK_TRACE_MARKERS)


def test_unexpected_error_during_a_write_saves_nothing(
    db: Database, world: World, client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    csrf = sign_in(client, world.alpha.owner.email)
    before = workspace_state(db, ALPHA)
    monkeypatch.setattr(audit, "record", _explode)  # fails after the row was updated
    response = client.patch(
        f"/api/v1/workspaces/{ALPHA}",
        json={"version": 1, "name": "Half Written"},
        headers={"X-CSRF-Token": csrf},
    )
    assert response.status_code == 500
    assert "nothing was saved" in response.json()["detail"]
    assert workspace_state(db, ALPHA) == before


def test_every_response_has_its_own_request_id(world: World, client: TestClient) -> None:
    seen = {client.get("/healthz").headers["X-Request-ID"] for _ in range(3)}
    assert len(seen) == 3


ResponseKind = Callable[[TestClient, World, pytest.MonkeyPatch], httpx.Response]


def _page_500(c: TestClient, w: World, mp: pytest.MonkeyPatch) -> httpx.Response:
    sign_in(c, w.alpha.viewer.email)
    mp.setattr(workspaces, "list_visible", _explode)
    return c.get("/")


def _json_500(c: TestClient, w: World, mp: pytest.MonkeyPatch) -> httpx.Response:
    mp.setattr(workspaces, "list_visible", _explode)
    return c.get("/api/v1/workspaces", headers=_bearer(w))


def _page_422(c: TestClient, w: World, mp: pytest.MonkeyPatch) -> httpx.Response:
    csrf = sign_in(c, w.alpha.owner.email)
    return c.post(
        f"/w/{ALPHA}/settings",
        data={"csrf_token": csrf, "version": "1", "name": "A", "headcount": "abc"},
    )


RESPONSE_KINDS: dict[str, tuple[int, ResponseKind]] = {
    "200 page": (200, lambda c, w, mp: c.get("/login")),
    "200 json": (200, lambda c, w, mp: c.get(f"/api/v1/workspaces/{ALPHA}", headers=_bearer(w))),
    "200 openapi": (200, lambda c, w, mp: c.get("/api/v1/openapi.json")),
    "200 api docs page": (200, lambda c, w, mp: c.get("/api/v1/docs")),
    "200 plain text": (200, lambda c, w, mp: c.get("/healthz")),
    "200 static file": (200, lambda c, w, mp: c.get("/static/app.css")),
    "303 redirect": (303, lambda c, w, mp: c.get(f"/w/{ALPHA}", follow_redirects=False)),
    "401 json": (401, lambda c, w, mp: c.get("/api/v1/me")),
    "403 json": (
        403,
        lambda c, w, mp: c.get(f"/api/v1/workspaces/{ALPHA}/tokens", headers=_bearer(w)),
    ),
    "404 page": (404, lambda c, w, mp: c.get("/no/such/page")),
    "404 json": (404, lambda c, w, mp: c.get(f"/api/v1/workspaces/{BRAVO}", headers=_bearer(w))),
    "404 static file": (404, lambda c, w, mp: c.get("/static/missing.css")),
    "405 page": (405, lambda c, w, mp: c.delete("/login")),
    "422 json": (422, lambda c, w, mp: c.post("/api/v1/workspaces", headers=_bearer(w), json={})),
    "422 page": (422, _page_422),
    "500 page": (500, _page_500),
    "500 json": (500, _json_500),
}


@pytest.mark.parametrize("kind", list(RESPONSE_KINDS))
def test_every_kind_of_response_carries_the_security_headers(
    world: World, client: TestClient, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    status, produce = RESPONSE_KINDS[kind]
    response = produce(client, world, monkeypatch)
    assert response.status_code == status
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "'unsafe-inline'" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Request-ID"]


def test_https_responses_ask_browsers_to_stay_on_https(app: FastAPI) -> None:
    with TestClient(app, base_url="https://quarterdeck.example") as secure:
        assert "max-age=" in secure.get("/healthz").headers["Strict-Transport-Security"]
    with TestClient(app) as plain:
        assert "Strict-Transport-Security" not in plain.get("/healthz").headers
