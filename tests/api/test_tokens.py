"""API tokens: bearer header only, bound to one workspace and a scope, shown once, stored hashed."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from quarterdeck.domain.access import Actor, Role
from quarterdeck.services import members
from quarterdeck.storage import Database
from tests.api.world import ALPHA, BRAVO, MovableClock, World, workspace_state
from tests.conftest import sign_in

UNAUTHENTICATED = {
    "error": "Sign-in required",
    "detail": "the API token is invalid, revoked or expired",
}


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def _issue_through_the_api(client: TestClient, csrf: str, **body: object) -> dict[str, object]:
    response = client.post(
        f"/api/v1/workspaces/{ALPHA}/tokens",
        json={"name": "deploys", "scope": "read", **body},
        headers={"X-CSRF-Token": csrf},
    )
    assert response.status_code == 201, response.text
    assert response.headers["Cache-Control"] == "no-store"  # the secret must not be cached
    issued = response.json()
    assert isinstance(issued, dict)
    return issued


def test_token_reads_its_own_workspace(world: World, client: TestClient) -> None:
    headers = bearer(world.alpha.read_token.secret)
    shown = client.get(f"/api/v1/workspaces/{ALPHA}", headers=headers)
    team = client.get(f"/api/v1/workspaces/{ALPHA}/members", headers=headers)
    me = client.get("/api/v1/me", headers=headers).json()
    assert shown.status_code == 200
    assert shown.json()["slug"] == ALPHA
    assert {m["email"] for m in team.json()} >= {world.alpha.owner.email}
    assert me["kind"] == "token"
    assert me["csrf_token"] is None
    assert world.alpha.owner.email in me["actor"]


def test_token_of_one_workspace_answers_404_on_another(world: World, client: TestClient) -> None:
    response = client.get(
        f"/api/v1/workspaces/{BRAVO}", headers=bearer(world.alpha.read_token.secret)
    )
    assert response.status_code == 404
    assert response.json() == {"error": "Not found", "detail": f"workspace '{BRAVO}' not found"}


def test_token_cannot_create_workspaces(db: Database, world: World, client: TestClient) -> None:
    response = client.post(
        "/api/v1/workspaces",
        json={"slug": "sneaky", "name": "Sneaky"},
        headers=bearer(world.alpha.write_token.secret),
    )
    assert response.status_code == 403
    assert workspace_state(db, "sneaky") == {"workspace": None}


def test_revoked_token_is_refused_at_once(world: World, client: TestClient) -> None:
    csrf = sign_in(client, world.alpha.owner.email)
    token = world.alpha.write_token
    revoked = client.delete(
        f"/api/v1/workspaces/{ALPHA}/tokens/{token.token.id}", headers={"X-CSRF-Token": csrf}
    )
    assert revoked.status_code == 200
    assert revoked.json()["revoked_at"] is not None
    client.cookies.clear()
    response = client.get(f"/api/v1/workspaces/{ALPHA}", headers=bearer(token.secret))
    assert response.status_code == 401
    assert response.json() == UNAUTHENTICATED
    assert response.headers["WWW-Authenticate"] == "Bearer"


def test_token_stops_working_when_it_expires(
    world: World, client: TestClient, clock: MovableClock
) -> None:
    csrf = sign_in(client, world.alpha.owner.email)
    issued = _issue_through_the_api(
        client, csrf, expires_at=(clock() + timedelta(hours=1)).isoformat()
    )
    client.cookies.clear()
    secret = str(issued["secret"])
    assert client.get(f"/api/v1/workspaces/{ALPHA}", headers=bearer(secret)).status_code == 200
    clock.advance(hours=1, seconds=1)
    response = client.get(f"/api/v1/workspaces/{ALPHA}", headers=bearer(secret))
    assert response.status_code == 401
    assert response.json() == UNAUTHENTICATED


def test_token_cannot_be_issued_already_expired(
    db: Database, world: World, client: TestClient, clock: MovableClock
) -> None:
    csrf = sign_in(client, world.alpha.owner.email)
    before = workspace_state(db, ALPHA)
    response = client.post(
        f"/api/v1/workspaces/{ALPHA}/tokens",
        json={"name": "stale", "expires_at": (clock() - timedelta(minutes=1)).isoformat()},
        headers={"X-CSRF-Token": csrf},
    )
    assert response.status_code == 422
    assert "expiry" in response.json()["detail"]
    assert workspace_state(db, ALPHA) == before


@pytest.mark.parametrize(
    ("how", "request_options"),
    [
        ("query parameter", lambda s: {"params": {"token": s}}),
        ("access_token parameter", lambda s: {"params": {"access_token": s}}),
        ("session cookie", lambda s: {"cookies": {"qd_session": s}}),
        ("token cookie", lambda s: {"cookies": {"token": s}}),
        ("other scheme", lambda s: {"headers": {"Authorization": f"Token {s}"}}),
        ("bare header", lambda s: {"headers": {"Authorization": s}}),
        ("custom header", lambda s: {"headers": {"X-API-Token": s}}),
    ],
)
def test_token_is_accepted_only_as_a_bearer_header(
    world: World, client: TestClient, how: str, request_options: Callable[[str], dict[str, Any]]
) -> None:
    options = request_options(world.alpha.read_token.secret)
    cookies = options.pop("cookies", None)
    if cookies:
        client.cookies.update(cookies)
    response = client.get(f"/api/v1/workspaces/{ALPHA}", **options)
    assert response.status_code == 401, how


def test_unknown_token_is_refused(world: World, client: TestClient) -> None:
    forged = "qd_" + "A" * 43
    response = client.get(f"/api/v1/workspaces/{ALPHA}", headers=bearer(forged))
    assert response.status_code == 401
    assert response.json() == UNAUTHENTICATED


def test_bearer_token_does_not_sign_in_to_the_pages(world: World, client: TestClient) -> None:
    response = client.get(
        f"/w/{ALPHA}", headers=bearer(world.alpha.read_token.secret), follow_redirects=False
    )
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login")


def test_secret_is_returned_once_and_only_its_sha256_is_stored(
    db: Database, world: World, client: TestClient
) -> None:
    csrf = sign_in(client, world.alpha.owner.email)
    issued = _issue_through_the_api(client, csrf, name="scanner", scope="write")
    secret = str(issued["secret"])
    assert secret.startswith("qd_")
    assert len(secret) >= 40
    listed = client.get(f"/api/v1/workspaces/{ALPHA}/tokens")
    assert listed.status_code == 200
    assert secret not in listed.text
    assert all("secret" not in token for token in listed.json())
    audit = client.get(f"/api/v1/workspaces/{ALPHA}/audit")
    assert secret not in audit.text
    with db.unit_of_work(write=False) as uow:
        row = (
            uow.session.execute(
                text("SELECT * FROM api_tokens WHERE id = :id"), {"id": issued["id"]}
            )
            .mappings()
            .one()
        )
        assert row["token_hash"] == hashlib.sha256(secret.encode()).hexdigest()
        assert all(secret not in str(value) for value in row.values())
        everywhere = uow.session.execute(text("SELECT * FROM audit_entries")).all()
        assert all(secret not in str(value) for found in everywhere for value in found)


def test_token_list_never_contains_secrets(world: World, client: TestClient) -> None:
    sign_in(client, world.alpha.owner.email)
    listed = client.get(f"/api/v1/workspaces/{ALPHA}/tokens")
    assert world.alpha.read_token.secret not in listed.text
    assert world.alpha.write_token.secret not in listed.text
    assert {t["prefix"] for t in listed.json()} == {
        world.alpha.read_token.token.prefix,
        world.alpha.write_token.token.prefix,
    }


def test_token_stops_working_when_its_creator_leaves_the_workspace(
    db: Database, world: World, client: TestClient, operator: Actor
) -> None:
    with db.unit_of_work(write=True) as uow:
        members.add(
            uow, actor=operator, workspace=ALPHA, email=world.alpha.editor.email, role=Role.OWNER
        )
        members.remove(uow, actor=operator, workspace=ALPHA, email=world.alpha.owner.email)
    response = client.get(
        f"/api/v1/workspaces/{ALPHA}", headers=bearer(world.alpha.read_token.secret)
    )
    assert response.status_code == 404


def test_reading_with_a_token_records_when_it_was_last_used(
    db: Database, world: World, client: TestClient
) -> None:
    response = client.get(
        f"/api/v1/workspaces/{ALPHA}", headers=bearer(world.alpha.read_token.secret)
    )
    assert response.status_code == 200
    tokens = workspace_state(db, ALPHA)["tokens"]
    used = next(t for t in tokens if t["id"] == world.alpha.read_token.token.id)
    assert used["last_used_at"] is not None


def test_workspace_export_contains_no_secrets_hashes_or_sessions(
    db: Database, world: World, client: TestClient
) -> None:
    sign_in(client, world.alpha.owner.email)
    exported = client.get(f"/api/v1/workspaces/{ALPHA}/export")
    assert exported.status_code == 200
    with db.unit_of_work(write=False) as uow:
        hashes = uow.session.execute(text("SELECT token_hash FROM api_tokens")).scalars().all()
        passwords = uow.session.execute(text("SELECT password_hash FROM users")).scalars().all()
        sessions = uow.session.execute(text("SELECT token_hash FROM auth_sessions")).scalars()
        session_hashes = sessions.all()
    for token in (world.alpha.read_token, world.alpha.write_token):
        assert token.secret not in exported.text
    for stored in [*hashes, *passwords, *session_hashes]:
        assert stored
        assert stored not in exported.text
    assert "$argon2" not in exported.text
    assert client.cookies["qd_session"] not in exported.text
