"""Deny by default: every route has an explicit policy, and the walker that checks it works."""

from __future__ import annotations

import pytest
from fastapi import APIRouter, FastAPI
from fastapi.testclient import TestClient

import quarterdeck.web.api
import quarterdeck.web.app
from quarterdeck.settings import Settings
from quarterdeck.storage import Database
from quarterdeck.web import create_app
from quarterdeck.web.app import routes_without_policy
from quarterdeck.web.policies import PublicDep
from tests.api.routes import (
    ROUTES,
    Policy,
    Route,
    Target,
    app_routes,
    declared_policy,
    ids,
    send,
)

NOWHERE = Target(
    slug="ghost-corp",
    version=1,
    member_email="nobody@example.com",
    token_id=1,
    newcomer_email="nobody@example.com",
)


def _unguarded() -> dict[str, str]:
    return {"secret": "anyone can read this"}


def _guarded(_: PublicDep) -> dict[str, str]:
    return {"fine": "public on purpose"}


def test_every_route_is_classified_in_the_policy_table(app: FastAPI) -> None:
    served = set(app_routes(app))
    table = {route.id for route in ROUTES}
    assert served - table == set(), "classify these routes in tests/api/routes.py"
    assert table - served == set(), "these classified routes no longer exist"


@pytest.mark.parametrize("route", ROUTES, ids=ids(list(ROUTES)))
def test_route_depends_on_the_policy_the_table_states(app: FastAPI, route: Route) -> None:
    dependant = app_routes(app)[route.id]
    assert declared_policy(dependant) is route.policy


def test_the_real_app_has_no_route_without_a_policy(app: FastAPI) -> None:
    assert routes_without_policy(app) == []


def test_walker_reports_a_route_added_without_a_policy_on_the_app(app: FastAPI) -> None:
    app.add_api_route("/api/v1/unguarded", _unguarded, methods=["GET"])
    assert routes_without_policy(app) == ["GET /api/v1/unguarded"]


def test_walker_reports_a_route_without_a_policy_in_an_included_router() -> None:
    router = APIRouter()
    router.add_api_route("/unguarded", _unguarded, methods=["GET"])
    router.add_api_route("/guarded", _guarded, methods=["GET"])
    app = FastAPI()
    app.include_router(router, prefix="/api/v1")
    assert routes_without_policy(app) == ["GET /api/v1/unguarded"]


def test_create_app_refuses_to_start_with_an_unprotected_api_route(
    settings: Settings, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    extended = APIRouter()
    extended.include_router(quarterdeck.web.api.router)
    extended.add_api_route("/unguarded", _unguarded, methods=["GET"])
    monkeypatch.setattr(quarterdeck.web.api, "router", extended)
    with pytest.raises(RuntimeError, match="GET /api/v1/unguarded"):
        create_app(settings, database=db)


def test_walker_inspects_every_route_of_the_real_app(
    app: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    # With no policy declared at all, every route must be reported.
    monkeypatch.setattr(quarterdeck.web.app, "POLICIES", frozenset())
    assert sorted(routes_without_policy(app)) == sorted(
        f"{m} {p}" for m, p in (r.id.split(" ", 1) for r in ROUTES)
    )


@pytest.mark.parametrize(
    "route", [r for r in ROUTES if r.api and r.policy is not Policy.PUBLIC], ids=lambda r: r.id
)
def test_api_route_without_credentials_answers_401(client: TestClient, route: Route) -> None:
    response = send(client, route, route.build(NOWHERE))
    assert response.status_code == 401
    assert response.json() == {"error": "Sign-in required", "detail": "sign in to continue"}
    assert response.headers["WWW-Authenticate"] == "Bearer"


@pytest.mark.parametrize(
    "route",
    [r for r in ROUTES if not r.api and r.policy is not Policy.PUBLIC],
    ids=lambda r: r.id,
)
def test_page_without_a_session_sends_the_browser_to_sign_in(
    client: TestClient, route: Route
) -> None:
    call = route.build(NOWHERE)
    response = send(client, route, call)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?next=/")


@pytest.mark.parametrize(
    "route", [r for r in ROUTES if r.policy is Policy.PUBLIC and not r.writes], ids=lambda r: r.id
)
def test_public_route_answers_without_credentials(client: TestClient, route: Route) -> None:
    response = send(client, route, route.build(NOWHERE))
    assert response.status_code == route.success


def test_the_openapi_schema_is_public_and_lists_every_api_route(client: TestClient) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    listed = {
        f"{method.upper()} /api/v1{path.removeprefix('/api/v1')}"
        for path, operations in schema["paths"].items()
        for method in operations
    }
    documented = {r.id for r in ROUTES if r.api and r.id != "GET /api/v1/docs"}
    assert listed == documented
