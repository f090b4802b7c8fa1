"""Deployment events posted by a pipeline: recorded once, validated, kept to their workspace."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from quarterdeck.domain.access import TokenScope
from quarterdeck.storage import Database
from tests.api.routes import DEPLOYMENT_EVENT
from tests.api.world import ALPHA, BRAVO, Browsers, World, row_counts, workspace_state

PATH = f"/api/v1/workspaces/{ALPHA}/deployments"


def pipeline(browsers: Browsers, world: World, scope: TokenScope = TokenScope.WRITE) -> TestClient:
    token = world.alpha.token(scope).secret
    return browsers.open(headers={"Authorization": f"Bearer {token}"})


def test_an_event_is_recorded_once_however_often_it_is_posted(
    db: Database, browsers: Browsers, world: World
) -> None:
    client = pipeline(browsers, world)
    first = client.post(PATH, json=DEPLOYMENT_EVENT)
    assert first.status_code == 201
    assert first.json() == {"added": 1, "already_known": 0}
    again = client.post(PATH, json=DEPLOYMENT_EVENT)
    assert again.status_code == 200
    assert again.json() == {"added": 0, "already_known": 1}
    [stored] = workspace_state(db, ALPHA)["deployments"]
    assert stored["deployment_id"] == "pipeline-8812"
    assert stored["finished_at"].isoformat() == "2026-11-20T13:05:00+00:00"
    assert stored["source"] == "event"
    assert workspace_state(db, BRAVO)["deployments"] == []


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"finished_at": "2026-11-20T14:05:00"}, "finished_at"),
        ({"commit": "not-a-sha"}, "commit"),
        ({"status": "sort-of"}, "status"),
        ({"service": ""}, "service"),
        ({"pipeline": "gitlab"}, "pipeline"),
    ],
)
def test_a_malformed_event_is_refused_with_the_field_named(
    db: Database, browsers: Browsers, world: World, change: dict[str, Any], field: str
) -> None:
    before = row_counts(db)
    answer = pipeline(browsers, world).post(PATH, json={**DEPLOYMENT_EVENT, **change})
    assert answer.status_code == 422
    assert field in answer.text
    assert row_counts(db) == before


def test_a_read_token_cannot_post_and_another_workspace_is_not_found(
    db: Database, browsers: Browsers, world: World
) -> None:
    before = row_counts(db)
    assert (
        pipeline(browsers, world, TokenScope.READ).post(PATH, json=DEPLOYMENT_EVENT).status_code
        == 403
    )
    other = f"/api/v1/workspaces/{BRAVO}/deployments"
    assert pipeline(browsers, world).post(other, json=DEPLOYMENT_EVENT).status_code == 404
    assert row_counts(db) == before
