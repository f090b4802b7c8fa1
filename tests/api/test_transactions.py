"""One request, one transaction, finished before the answer leaves the server."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from quarterdeck.storage import Database
from tests.api.world import ALPHA, World, workspace_state
from tests.conftest import sign_in


def test_a_commit_that_fails_answers_500_not_success(
    db: Database, world: World, client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    csrf = sign_in(client, world.alpha.owner.email)
    before = workspace_state(db, ALPHA)

    def failing_commit(self: Session) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(Session, "commit", failing_commit)
    response = client.patch(
        f"/api/v1/workspaces/{ALPHA}",
        json={"version": 1, "name": "Never Saved"},
        headers={"X-CSRF-Token": csrf},
    )
    monkeypatch.undo()
    assert response.status_code == 500
    assert response.json()["correlation_id"] == response.headers["X-Request-ID"]
    assert workspace_state(db, ALPHA) == before


def test_a_write_is_visible_to_the_very_next_request(world: World, client: TestClient) -> None:
    csrf = sign_in(client, world.alpha.owner.email)
    for round_ in range(5):  # bounded
        saved = client.patch(
            f"/api/v1/workspaces/{ALPHA}",
            json={"version": round_ + 1, "name": f"Name {round_}"},
            headers={"X-CSRF-Token": csrf},
        )
        assert saved.status_code == 200
        assert client.get(f"/api/v1/workspaces/{ALPHA}").json()["name"] == f"Name {round_}"
