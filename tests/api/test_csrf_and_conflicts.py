"""Cookie-authenticated API writes need X-CSRF-Token; a stale version is a 409, never a merge."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from quarterdeck.storage import Database
from tests.api.routes import BY_ID, ROUTES, Route, send
from tests.api.world import ALPHA, Browsers, World, row_counts, target_in, workspace_state
from tests.conftest import sign_in

API_WRITES = [r for r in ROUTES if r.api and r.writes]
CSRF_REFUSAL = "the form has expired or did not come from Quarterdeck; reload and retry"


@pytest.mark.parametrize(
    "csrf_header",
    [None, "", "not-the-token"],
    ids=["missing", "empty", "wrong"],
)
@pytest.mark.parametrize("route", API_WRITES, ids=lambda r: r.id)
def test_cookie_write_without_the_sessions_csrf_token_is_refused(
    db: Database, world: World, client: TestClient, route: Route, csrf_header: str | None
) -> None:
    sign_in(client, world.alpha.owner.email)
    before, counts = workspace_state(db, ALPHA), row_counts(db)
    call = route.build(target_in(db, world, world.alpha))
    headers = {} if csrf_header is None else {"X-CSRF-Token": csrf_header}
    response = client.request(route.method, call.path, json=call.json, headers=headers)
    assert response.status_code == 403
    assert response.json() == {"error": "Not allowed", "detail": CSRF_REFUSAL}
    assert workspace_state(db, ALPHA) == before
    assert row_counts(db) == counts


def test_cookie_patch_with_the_csrf_header_succeeds(
    db: Database, world: World, client: TestClient
) -> None:
    csrf = sign_in(client, world.alpha.owner.email)
    response = client.patch(
        f"/api/v1/workspaces/{ALPHA}",
        json={"version": 1, "name": "Alpha Renamed"},
        headers={"X-CSRF-Token": csrf},
    )
    assert response.status_code == 200
    assert response.json()["name"] == "Alpha Renamed"
    assert response.json()["version"] == 2
    assert workspace_state(db, ALPHA)["workspace"]["name"] == "Alpha Renamed"


def test_csrf_token_of_another_session_is_refused(
    db: Database, world: World, browsers: Browsers
) -> None:
    owner, other = browsers.open(), browsers.open()
    sign_in(owner, world.alpha.owner.email)
    foreign = sign_in(other, world.alpha.owner.email)  # same person, another browser
    before = workspace_state(db, ALPHA)
    response = owner.patch(
        f"/api/v1/workspaces/{ALPHA}",
        json={"version": 1, "name": "Hijacked"},
        headers={"X-CSRF-Token": foreign},
    )
    assert response.status_code == 403
    assert workspace_state(db, ALPHA) == before


def test_csrf_token_cannot_be_read_cross_origin(world: World, client: TestClient) -> None:
    # /api/v1/me hands the session's CSRF token to the page's own scripts; no other origin may
    # read it, so the API grants no CORS.
    sign_in(client, world.alpha.viewer.email)
    evil = {"Origin": "https://evil.example"}
    read = client.get("/api/v1/me", headers=evil)
    preflight = client.options(
        "/api/v1/me", headers={**evil, "Access-Control-Request-Method": "GET"}
    )
    for response in (read, preflight):
        assert "access-control-allow-origin" not in response.headers
        assert "access-control-allow-credentials" not in response.headers


def test_reads_need_no_csrf_token(world: World, client: TestClient) -> None:
    sign_in(client, world.alpha.viewer.email)
    assert client.get(f"/api/v1/workspaces/{ALPHA}").status_code == 200


def test_stale_version_answers_409_and_keeps_the_stored_name(
    db: Database, world: World, browsers: Browsers
) -> None:
    first, second = browsers.open(), browsers.open()
    first_csrf = sign_in(first, world.alpha.owner.email)
    second_csrf = sign_in(second, world.alpha.owner.email)
    read_by_both = first.get(f"/api/v1/workspaces/{ALPHA}").json()["version"]
    saved = first.patch(
        f"/api/v1/workspaces/{ALPHA}",
        json={"version": read_by_both, "name": "First Wins"},
        headers={"X-CSRF-Token": first_csrf},
    )
    assert saved.status_code == 200
    after_first = workspace_state(db, ALPHA)
    stale = second.patch(
        f"/api/v1/workspaces/{ALPHA}",
        json={"version": read_by_both, "name": "Second Overwrites", "time_zone": "Asia/Tokyo"},
        headers={"X-CSRF-Token": second_csrf},
    )
    assert stale.status_code == 409
    body = stale.json()
    assert set(body) == {"error", "detail"}
    assert body["error"] == "Changed by someone else"
    assert ALPHA in body["detail"]
    assert f"since version {read_by_both}" in body["detail"]
    assert workspace_state(db, ALPHA) == after_first
    assert after_first["workspace"]["name"] == "First Wins"


def test_patch_with_the_current_version_bumps_it(
    db: Database, world: World, client: TestClient
) -> None:
    csrf = sign_in(client, world.alpha.owner.email)
    for expected in (1, 2, 3):  # bounded: three saves in a row, each with the version just read
        current = client.get(f"/api/v1/workspaces/{ALPHA}").json()["version"]
        assert current == expected
        response = client.patch(
            f"/api/v1/workspaces/{ALPHA}",
            json={"version": current, "profile": {"product_lines": expected}},
            headers={"X-CSRF-Token": csrf},
        )
        assert response.status_code == 200
    assert workspace_state(db, ALPHA)["workspace"]["version"] == 4


def test_owner_form_posted_with_the_api_csrf_token_is_accepted(
    db: Database, world: World, client: TestClient
) -> None:
    # The same per-session token protects forms and API calls.
    csrf = sign_in(client, world.alpha.owner.email)
    route = BY_ID["POST /w/{workspace}/settings"]
    response = send(client, route, route.build(target_in(db, world, world.alpha)), csrf=csrf)
    assert response.status_code == 303
    assert workspace_state(db, ALPHA)["workspace"]["name"] == "Renamed Organisation"


@pytest.mark.parametrize("version", [True, "1", 1.0, None])
def test_version_must_be_a_whole_number_not_something_that_looks_like_one(
    db: Database, world: World, client: TestClient, version: object
) -> None:
    csrf = sign_in(client, world.alpha.owner.email)
    before = workspace_state(db, ALPHA)
    response = client.patch(
        f"/api/v1/workspaces/{ALPHA}",
        json={"version": version, "name": "Renamed"},
        headers={"X-CSRF-Token": csrf},
    )
    assert response.status_code == 422
    assert "version" in response.json()["detail"]
    assert workspace_state(db, ALPHA) == before
