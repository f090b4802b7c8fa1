"""Workspaces never see each other: another workspace answers exactly like a missing one."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
from fastapi.testclient import TestClient

from quarterdeck.domain.access import Actor, Role, TokenScope
from quarterdeck.services import members
from quarterdeck.storage import Database
from tests.api.routes import ROUTES, Call, Route, send
from tests.api.world import (
    BRAVO,
    GHOST,
    Browsers,
    World,
    issue_token,
    row_counts,
    target_in,
    workspace_state,
)
from tests.conftest import sign_in

WORKSPACE_ROUTES = [r for r in ROUTES if r.workspace_scoped]
WORKSPACE_API_ROUTES = [r for r in WORKSPACE_ROUTES if r.api]


def _assert_answers_like_a_missing_workspace(
    db: Database, world: World, route: Route, ask: Callable[[Call], httpx.Response]
) -> None:
    """`ask(call)` sends a request; B's answer must equal the missing workspace's, B unchanged."""
    before_b = workspace_state(db, BRAVO)
    before_counts = row_counts(db)
    into_b = ask(route.build(target_in(db, world, world.bravo)))
    into_nowhere = ask(route.build(target_in(db, world, world.bravo, slug=GHOST)))
    assert into_b.status_code == 404
    assert into_nowhere.status_code == 404
    assert into_b.text.replace(BRAVO, GHOST) == into_nowhere.text
    assert workspace_state(db, BRAVO) == before_b
    assert row_counts(db) == before_counts


@pytest.mark.parametrize("route", WORKSPACE_ROUTES, ids=lambda r: r.id)
def test_owner_of_one_workspace_gets_404_for_every_route_of_another(
    db: Database, world: World, client: TestClient, route: Route
) -> None:
    csrf = sign_in(client, world.alpha.owner.email)
    _assert_answers_like_a_missing_workspace(
        db, world, route, lambda call: send(client, route, call, csrf=csrf)
    )


@pytest.mark.parametrize("scope", list(TokenScope))
@pytest.mark.parametrize("route", WORKSPACE_API_ROUTES, ids=lambda r: r.id)
def test_token_of_one_workspace_gets_404_for_every_route_of_another(
    db: Database, world: World, client: TestClient, route: Route, scope: TokenScope
) -> None:
    secret = world.alpha.token(scope).secret
    _assert_answers_like_a_missing_workspace(
        db, world, route, lambda call: send(client, route, call, bearer=secret)
    )


@pytest.mark.parametrize("route", WORKSPACE_API_ROUTES, ids=lambda r: r.id)
def test_token_stays_bound_to_its_workspace_even_when_its_creator_owns_another(
    db: Database, world: World, browsers: Browsers, operator: Actor, route: Route
) -> None:
    # The owner of B makes a token for A too; that token must not open B.
    with db.unit_of_work(write=True) as uow:
        members.add(
            uow,
            actor=operator,
            workspace=world.alpha.slug,
            email=world.bravo.owner.email,
            role=Role.OWNER,
        )
    secret = issue_token(
        db, by=world.bravo.owner, slug=world.alpha.slug, scope=TokenScope.WRITE
    ).secret
    client = browsers.open()
    _assert_answers_like_a_missing_workspace(
        db, world, route, lambda call: send(client, route, call, bearer=secret)
    )


def test_owner_cannot_revoke_another_workspaces_token_through_their_own_workspace(
    db: Database, world: World, client: TestClient
) -> None:
    csrf = sign_in(client, world.alpha.owner.email)
    victim = world.bravo.write_token.token.id
    before = workspace_state(db, BRAVO)
    api = client.delete(
        f"/api/v1/workspaces/{world.alpha.slug}/tokens/{victim}", headers={"X-CSRF-Token": csrf}
    )
    page = client.post(
        f"/w/{world.alpha.slug}/tokens/{victim}/revoke",
        data={"csrf_token": csrf},
        follow_redirects=False,
    )
    assert api.status_code == 404
    assert page.status_code == 404
    assert workspace_state(db, BRAVO) == before
    still_works = client.get(
        f"/api/v1/workspaces/{BRAVO}",
        headers={"Authorization": f"Bearer {world.bravo.write_token.secret}"},
    )
    assert still_works.status_code == 200


def test_owner_cannot_remove_another_workspaces_member_through_their_own_workspace(
    db: Database, world: World, client: TestClient
) -> None:
    csrf = sign_in(client, world.alpha.owner.email)
    before = workspace_state(db, BRAVO)
    response = client.delete(
        f"/api/v1/workspaces/{world.alpha.slug}/members/{world.bravo.spare.email}",
        headers={"X-CSRF-Token": csrf},
    )
    assert response.status_code == 404
    assert workspace_state(db, BRAVO) == before


def test_workspace_list_shows_only_the_members_workspaces(world: World, client: TestClient) -> None:
    sign_in(client, world.alpha.viewer.email)
    listed = client.get("/api/v1/workspaces").json()
    assert [w["slug"] for w in listed] == [world.alpha.slug]
    home = client.get("/")
    assert world.alpha.slug in home.text
    assert BRAVO not in home.text


def test_token_lists_only_its_own_workspace_even_if_its_creator_has_more(
    db: Database, world: World, client: TestClient, operator: Actor
) -> None:
    with db.unit_of_work(write=True) as uow:
        members.add(
            uow,
            actor=operator,
            workspace=BRAVO,
            email=world.alpha.owner.email,
            role=Role.VIEWER,
        )
    listed = client.get(
        "/api/v1/workspaces",
        headers={"Authorization": f"Bearer {world.alpha.read_token.secret}"},
    ).json()
    assert [w["slug"] for w in listed] == [world.alpha.slug]
