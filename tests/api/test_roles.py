"""Roles and token scopes: viewers read, editors write, owners administer; nothing else passes."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from quarterdeck.domain.access import Role, TokenScope
from quarterdeck.storage import Database
from tests.api.routes import ROUTES, Policy, Route, send
from tests.api.world import ALPHA, World, row_counts, target_in, workspace_state
from tests.conftest import sign_in

WORKSPACE_ROUTES = [r for r in ROUTES if r.workspace_scoped]
WORKSPACE_API_ROUTES = [r for r in WORKSPACE_ROUTES if r.api]
ROLE_GRANTS = {
    Role.OWNER: {Policy.READ, Policy.WRITE, Policy.ADMINISTER},
    Role.EDITOR: {Policy.READ, Policy.WRITE},
    Role.VIEWER: {Policy.READ},
}
SCOPE_GRANTS = {
    TokenScope.READ: {Policy.READ},
    TokenScope.WRITE: {Policy.READ, Policy.WRITE},
}
REFUSAL = "does not allow this"


def _refused_for_the_role(response_text: str, route: Route) -> None:
    # The 403 must come from the role check, not from CSRF or anything else.
    assert REFUSAL in response_text
    assert f"{route.policy.value} needed" in response_text


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("route", WORKSPACE_ROUTES, ids=lambda r: r.id)
def test_member_may_call_a_route_only_if_the_role_grants_its_policy(
    db: Database, world: World, client: TestClient, route: Route, role: Role
) -> None:
    csrf = sign_in(client, world.alpha.user(role).email)
    before, counts = workspace_state(db, ALPHA), row_counts(db)
    response = send(client, route, route.build(target_in(db, world, world.alpha)), csrf=csrf)
    if route.policy in ROLE_GRANTS[role]:
        assert response.status_code == route.success, response.text
        if route.writes:
            assert row_counts(db)["audit_entries"] > counts["audit_entries"]
        else:
            assert workspace_state(db, ALPHA) == before
    else:
        assert response.status_code == 403
        _refused_for_the_role(response.text, route)
        assert workspace_state(db, ALPHA) == before
        assert row_counts(db) == counts


@pytest.mark.parametrize("scope", list(TokenScope))
@pytest.mark.parametrize("route", WORKSPACE_API_ROUTES, ids=lambda r: r.id)
def test_owners_token_may_call_a_route_only_if_its_scope_grants_the_policy(
    db: Database, world: World, client: TestClient, route: Route, scope: TokenScope
) -> None:
    # Scope caps the creator's role: even an owner's write token cannot administer.
    before, counts = workspace_state(db, ALPHA), row_counts(db)
    secret = world.alpha.token(scope).secret
    response = send(client, route, route.build(target_in(db, world, world.alpha)), bearer=secret)
    if route.policy in SCOPE_GRANTS[scope]:
        assert response.status_code == route.success, response.text
    else:
        assert response.status_code == 403
        assert response.json()["error"] == "Not allowed"
        _refused_for_the_role(response.json()["detail"], route)
        assert row_counts(db) == counts
        assert workspace_state(db, ALPHA)["workspace"] == before["workspace"]


@pytest.mark.parametrize("role", [Role.EDITOR, Role.VIEWER])
def test_audit_log_is_for_owners_only(world: World, client: TestClient, role: Role) -> None:
    sign_in(client, world.alpha.user(role).email)
    api = client.get(f"/api/v1/workspaces/{ALPHA}/audit")
    page = client.get(f"/w/{ALPHA}/audit")
    assert api.status_code == 403
    assert page.status_code == 403
    assert REFUSAL in api.json()["detail"]
    assert REFUSAL in page.text
    assert "<table" not in page.text


def test_owner_reads_the_audit_log(world: World, client: TestClient) -> None:
    sign_in(client, world.alpha.owner.email)
    entries = client.get(f"/api/v1/workspaces/{ALPHA}/audit").json()
    assert {"token.created", "member.added", "workspace.created"} <= {e["action"] for e in entries}
