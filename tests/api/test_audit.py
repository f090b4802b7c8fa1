"""Every change through the web appends audit rows: who, what, before and after, request id."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from quarterdeck.storage import Database
from tests.api.routes import ROUTES, Route, send
from tests.api.world import ALPHA, World, audit_rows_of_request, target_in, workspace_state
from tests.conftest import sign_in

AUDITED_WRITES = [r for r in ROUTES if r.audit_actions]
# Recorded outside any workspace: a sitting is its taker's until they share it.
PERSONAL_ACTIONS = {"assessment.taken", "assessment.unshared"}
# Which of before/after each action records.
SHAPES = {
    "workspace.created": (False, True),
    "workspace.updated": (True, True),
    "member.added": (False, True),
    "member.removed": (True, False),
    "token.created": (False, True),
    "token.revoked": (True, True),
    "decision.recorded": (False, True),
    "decision.edited": (True, True),
    "decision.accepted": (True, True),
    "decision.superseded": (True, True),
    "decision.linked.amends": (False, True),
    "decision.linked.relates-to": (False, True),
    "rights.changed": (True, True),
    "deployments.recorded": (False, True),
    "rights.rules_changed": (True, True),
    "rights.template_applied": (True, True),
    "rights.area_added": (True, True),
    "rights.role_added": (True, True),
    "member.leadership_roles_changed": (True, True),
    "metric.added": (False, True),
    "metric.configured": (True, True),
    "metric.removed": (True, False),
    "measurement.recorded": (False, True),
    "scorecard.category_owner_set": (True, True),
    "delivery.choices_changed": (True, True),
    "measurements.imported": (False, True),
    "deployments.imported": (False, True),
    "incidents.imported": (False, True),
    "tickets.imported": (False, True),
    "costs.imported": (False, True),
    "scan.imported": (False, True),
    "portfolio.settings_changed": (True, True),
    "team.added": (False, True),
    "team.changed": (True, True),
    "person.added": (False, True),
    "person.changed": (True, True),
    "person.removed": (True, False),
    "outcome.added": (False, True),
    "outcome.changed": (True, True),
    "intake.added": (False, True),
    "intake.changed": (True, True),
    "intake.checkpoint": (True, True),
    "intake.cost_benefit": (True, True),
    "plan.accepted": (False, True),
    "playbook.started": (False, True),
    "playbook.step_done": (True, True),
    "playbook.paused": (True, True),
    "playbook.resumed": (True, True),
    "playbook.replanned": (True, True),
    "playbook.abandoned": (True, True),
    "engagement.recorded": (False, True),
    "engagement.changed": (True, True),
    "assessment.taken": (False, True),
    "assessment.shared": (True, True),
    "assessment.unshared": (True, True),
    "workspace.set_up": (False, True),
}


def test_every_write_route_is_expected_to_audit() -> None:
    unaudited = [r.id for r in ROUTES if r.writes and not r.audit_actions]
    # Sessions are not content; a password change is audited on the account, outside any
    # workspace (tests/web/test_account.py); the advisor and its brief are posted answers
    # judged and stored nowhere.
    assert unaudited == [
        "POST /login",
        "POST /logout",
        "POST /account/password",
        "POST /api/v1/advisor",
        "POST /api/v1/advisor/brief",
    ]


@pytest.mark.parametrize("route", AUDITED_WRITES, ids=lambda r: r.id)
def test_write_appends_audit_rows_with_actor_request_id_before_and_after(
    db: Database, world: World, client: TestClient, route: Route
) -> None:
    csrf = sign_in(client, world.alpha.owner.email)
    response = send(client, route, route.build(target_in(db, world, world.alpha)), csrf=csrf)
    assert response.status_code == route.success, response.text
    rows = audit_rows_of_request(db, response.headers["X-Request-ID"])
    assert [row["action"] for row in rows] == list(route.audit_actions)
    personal = [row for row in rows if row["action"] in PERSONAL_ACTIONS]
    assert all(row["workspace_id"] is None for row in personal)
    workspace_ids = {row["workspace_id"] for row in rows if row not in personal}
    assert len(workspace_ids) == (0 if len(personal) == len(rows) else 1)
    assert None not in workspace_ids
    for row in rows:
        assert row["actor"] == world.alpha.owner.email
        has_before, has_after = SHAPES[row["action"]]
        assert (row["before"] is not None) is has_before
        assert (row["after"] is not None) is has_after


def test_update_audit_row_holds_the_old_and_new_values(
    db: Database, world: World, client: TestClient
) -> None:
    csrf = sign_in(client, world.alpha.owner.email)
    response = client.patch(
        f"/api/v1/workspaces/{ALPHA}",
        json={"version": 1, "name": "Alpha Two", "profile": {"headcount": 50}},
        headers={"X-CSRF-Token": csrf},
    )
    request_id = response.headers["X-Request-ID"]
    (row,) = audit_rows_of_request(db, request_id)
    assert row["before"]["name"] == f"Workspace {ALPHA}"
    assert row["after"]["name"] == "Alpha Two"
    assert row["after"]["profile"]["headcount"] == 50
    listed = client.get(f"/api/v1/workspaces/{ALPHA}/audit?limit=1").json()
    assert listed[0]["request_id"] == request_id
    assert listed[0]["action"] == "workspace.updated"
    assert listed[0]["actor"] == world.alpha.owner.email


def test_refused_write_leaves_no_audit_row(db: Database, world: World, client: TestClient) -> None:
    csrf = sign_in(client, world.alpha.owner.email)
    before = workspace_state(db, ALPHA)
    stale = client.patch(
        f"/api/v1/workspaces/{ALPHA}",
        json={"version": 7, "name": "Never"},
        headers={"X-CSRF-Token": csrf},
    )
    assert stale.status_code == 409
    assert audit_rows_of_request(db, stale.headers["X-Request-ID"]) == []
    assert workspace_state(db, ALPHA) == before


def test_audit_log_pages_backwards_with_before(world: World, client: TestClient) -> None:
    sign_in(client, world.alpha.owner.email)
    everything = client.get(f"/api/v1/workspaces/{ALPHA}/audit").json()
    newest = client.get(f"/api/v1/workspaces/{ALPHA}/audit?limit=2").json()
    older = client.get(f"/api/v1/workspaces/{ALPHA}/audit?limit=2&before={newest[-1]['id']}")
    assert [e["id"] for e in newest + older.json()] == [e["id"] for e in everything[:4]]
    ids = [e["id"] for e in everything]
    assert ids == sorted(ids, reverse=True)
