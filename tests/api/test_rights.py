"""Decision rights over HTTP: the rights document (matrix and guardrails), custom areas and
roles, templates, and the leadership roles members hold."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from quarterdeck.storage import Database
from tests.api.world import ALPHA, Browsers, World, row_counts, workspace_state
from tests.conftest import sign_in

RIGHTS = f"/api/v1/workspaces/{ALPHA}/rights"


def _without_nulls(rules: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: v for k, v in rule.items() if v is not None} for rule in rules]


def _unchanged(db: Database, before: dict[str, Any], counts: dict[str, int]) -> None:
    assert workspace_state(db, ALPHA) == before
    assert row_counts(db) == counts


# -- the rights document -------------------------------------------------------------------


def test_new_workspace_shows_its_templates_rights(world: World, client: TestClient) -> None:
    sign_in(client, world.alpha.viewer.email)
    shown = client.get(RIGHTS)
    assert shown.status_code == 200
    body = shown.json()
    assert (body["template"], body["version"], body["updated_by"]) == ("cto-cpo", 0, "")
    assert body["matrix"]["architecture"]["cto"] == "owns"
    cto = next(role for role in body["roles"] if role["key"] == "cto")
    assert (cto["name"], cto["custom"]) == ("CTO", False)
    assert cto["description"]
    assert "security" in {area["key"] for area in body["areas"]}
    major_spend = next(rule for rule in body["rules"] if rule["when"] == "spend-above")
    assert major_spend["threshold"] == "25000"
    assert body["holders"]["cto"] == []
    assert {"cto", "cpo", "ceo"} <= set(body["unheld_owner_roles"])


def test_rights_document_round_trips_through_get_and_put(
    db: Database, world: World, client: TestClient
) -> None:
    csrf = sign_in(client, world.alpha.owner.email)
    read = client.get(RIGHTS).json()
    matrix = {
        **read["matrix"],
        "process": {"vp-engineering": "owns", "cto": "consulted", "team-lead": "informed"},
    }
    rules = [
        *read["rules"],
        {"name": "Data platform", "when": "area", "area": "data-ai", "route_to": "cto"},
        {"name": "Big contracts", "when": "spend-above", "threshold": "100000", "route_to": "ceo"},
    ]
    saved = client.put(
        RIGHTS,
        json={"expected_version": 0, "matrix": matrix, "rules": rules},
        headers={"X-CSRF-Token": csrf},
    )
    assert saved.status_code == 200, saved.text
    shown = client.get(RIGHTS).json()
    assert saved.json() == shown
    assert (shown["version"], shown["updated_by"]) == (1, world.alpha.owner.email)
    assert shown["matrix"] == matrix
    assert _without_nulls(shown["rules"]) == _without_nulls(rules)
    stored = workspace_state(db, ALPHA)["rights"]
    assert stored["document"]["matrix"]["process"] == matrix["process"]

    # What GET answers is what PUT takes: sending it back changes nothing but the version.
    again = client.put(
        RIGHTS,
        json={"expected_version": 1, "matrix": shown["matrix"], "rules": shown["rules"]},
        headers={"X-CSRF-Token": csrf},
    )
    assert again.status_code == 200, again.text
    assert again.json() == {**shown, "version": 2}


def test_stale_rights_version_answers_409_and_changes_nothing(
    db: Database, world: World, browsers: Browsers
) -> None:
    first, second = browsers.open(), browsers.open()
    first_csrf = sign_in(first, world.alpha.owner.email)
    second_csrf = sign_in(second, world.alpha.owner.email)
    read = first.get(RIGHTS).json()
    assert second.get(RIGHTS).json() == read
    mine = {**read["matrix"], "vendor": {"vp-engineering": "owns", "cto": "informed"}}
    theirs = {**read["matrix"], "vendor": {"cpo": "owns"}}
    saved = first.put(
        RIGHTS,
        json={"expected_version": 0, "matrix": mine, "rules": read["rules"]},
        headers={"X-CSRF-Token": first_csrf},
    )
    assert saved.status_code == 200
    before, counts = workspace_state(db, ALPHA), row_counts(db)
    stale = second.put(
        RIGHTS,
        json={"expected_version": 0, "matrix": theirs, "rules": read["rules"]},
        headers={"X-CSRF-Token": second_csrf},
    )
    assert stale.status_code == 409
    assert "changed by someone else" in stale.json()["detail"]
    _unchanged(db, before, counts)
    assert second.get(RIGHTS).json()["matrix"]["vendor"] == mine["vendor"]


def test_a_version_from_the_future_is_stale_too(
    db: Database, world: World, client: TestClient
) -> None:
    csrf = sign_in(client, world.alpha.owner.email)
    read = client.get(RIGHTS).json()
    before, counts = workspace_state(db, ALPHA), row_counts(db)
    response = client.put(
        RIGHTS,
        json={"expected_version": 3, "matrix": read["matrix"], "rules": read["rules"]},
        headers={"X-CSRF-Token": csrf},
    )
    assert response.status_code == 409
    _unchanged(db, before, counts)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda m: m | {"security": {"cpo": "influences", "ceo": "informed"}},
            "area 'security' has no owner",
        ),
        (
            lambda m: {area: roles for area, roles in m.items() if area != "security"},
            "area 'security' has no owner",
        ),
        (
            lambda m: m | {"security": {"cto": None, "cpo": "influences"}},
            "area 'security' has no owner",
        ),
        (
            lambda m: m | {"spend": {"cto": "co-owns", "cpo": "influences"}},
            "area 'spend' has a single co-owner (cto)",
        ),
    ],
    ids=["owner demoted", "area left out", "owner removed with null", "lone co-owner"],
)
def test_put_leaving_an_area_without_a_proper_owner_is_422_and_changes_nothing(
    db: Database, world: World, client: TestClient, change: Any, message: str
) -> None:
    csrf = sign_in(client, world.alpha.owner.email)
    read = client.get(RIGHTS).json()
    before, counts = workspace_state(db, ALPHA), row_counts(db)
    response = client.put(
        RIGHTS,
        json={"expected_version": 0, "matrix": change(read["matrix"]), "rules": read["rules"]},
        headers={"X-CSRF-Token": csrf},
    )
    assert response.status_code == 422
    assert message in response.json()["detail"]
    _unchanged(db, before, counts)
    assert client.get(RIGHTS).json() == read


@pytest.mark.parametrize(
    ("matrix_change", "extra_rule", "message"),
    [
        (
            {"roadmap": {"cpo": "owns", "chief-of-staff": "consulted"}},
            None,
            "unknown role(s): chief-of-staff",
        ),
        ({"moonshots": {"cto": "owns"}}, None, "unknown area(s): moonshots"),
        ({"roadmap": {"cpo": "decides"}}, None, "matrix.roadmap.cpo"),
        (
            {},
            {"name": "Board calls", "when": "cross-team", "route_to": "board"},
            "rule 'Board calls' routes to unknown role 'board'",
        ),
        (
            {},
            {"name": "Anything big", "when": "spend-above", "route_to": "ceo"},
            "rule 'Anything big': threshold must be an amount",
        ),
        (
            {},
            {"name": "Moon", "when": "area", "area": "moonshots", "route_to": "cto"},
            "rule 'Moon' names unknown area 'moonshots'",
        ),
        (
            {},
            {"name": "Odd", "when": "whenever", "route_to": "cto"},
            "rules.4.when",
        ),
    ],
    ids=[
        "unknown role",
        "unknown area",
        "unknown involvement",
        "rule to unknown role",
        "spend rule without threshold",
        "rule on unknown area",
        "unknown condition",
    ],
)
def test_put_with_unknown_keys_or_a_bad_rule_is_422_naming_it_and_changes_nothing(
    db: Database,
    world: World,
    client: TestClient,
    matrix_change: dict[str, Any],
    extra_rule: dict[str, Any] | None,
    message: str,
) -> None:
    csrf = sign_in(client, world.alpha.owner.email)
    read = client.get(RIGHTS).json()
    rules = read["rules"] + ([extra_rule] if extra_rule else [])
    before, counts = workspace_state(db, ALPHA), row_counts(db)
    response = client.put(
        RIGHTS,
        json={"expected_version": 0, "matrix": read["matrix"] | matrix_change, "rules": rules},
        headers={"X-CSRF-Token": csrf},
    )
    assert response.status_code == 422
    assert message in response.json()["detail"]
    _unchanged(db, before, counts)


def test_custom_role_and_area_are_added_and_survive_a_new_template(
    world: World, client: TestClient
) -> None:
    csrf = sign_in(client, world.alpha.owner.email)
    headers = {"X-CSRF-Token": csrf}
    role = client.post(
        RIGHTS + "/roles",
        json={"key": "head-of-data", "name": "Head of Data", "expected_version": 0},
        headers=headers,
    )
    assert role.status_code == 201, role.text
    assert {"key": "head-of-data", "name": "Head of Data", "description": "", "custom": True} in (
        role.json()["roles"]
    )
    area = client.post(
        RIGHTS + "/areas",
        json={
            "key": "data-platform",
            "name": "Data platform",
            "description": "Warehouse, pipelines and the metrics layer.",
            "owner": "head-of-data",
            "expected_version": 1,
        },
        headers=headers,
    )
    assert area.status_code == 201, area.text
    assert area.json()["matrix"]["data-platform"] == {"head-of-data": "owns"}
    assert area.json()["version"] == 2
    assert "head-of-data" in area.json()["unheld_owner_roles"]

    applied = client.post(
        RIGHTS + "/template", json={"model": "cpto", "expected_version": 2}, headers=headers
    )
    assert applied.status_code == 200, applied.text
    body = applied.json()
    assert (body["template"], body["version"]) == ("cpto", 3)
    assert body["matrix"]["roadmap"]["cpto"] == "owns"
    assert "cpo" not in body["matrix"]["roadmap"]
    assert body["matrix"]["data-platform"] == {"head-of-data": "owns"}
    assert {"data-platform"} == {a["key"] for a in body["areas"] if a["custom"]}
    assert client.get(RIGHTS).json() == body


@pytest.mark.parametrize(
    ("path", "body", "message"),
    [
        (
            "/areas",
            {"key": "Payments Platform", "name": "Payments", "owner": "cto"},
            "lower-case words joined by hyphens",
        ),
        ("/areas", {"key": "payments", "name": "Payments", "owner": "treasurer"}, "treasurer"),
        ("/areas", {"key": "security", "name": "Security again", "owner": "cto"}, "security"),
        ("/roles", {"key": "cto", "name": "Another CTO"}, "already in use: cto"),
        ("/template", {"model": "committee"}, "model"),
    ],
    ids=["bad key", "unknown owner", "area key taken", "role key taken", "unknown model"],
)
def test_bad_custom_entries_and_templates_are_422_and_change_nothing(
    db: Database, world: World, client: TestClient, path: str, body: dict[str, Any], message: str
) -> None:
    csrf = sign_in(client, world.alpha.owner.email)
    before, counts = workspace_state(db, ALPHA), row_counts(db)
    response = client.post(
        RIGHTS + path, json={**body, "expected_version": 0}, headers={"X-CSRF-Token": csrf}
    )
    assert response.status_code == 422
    assert message in response.json()["detail"]
    _unchanged(db, before, counts)


# -- leadership roles ----------------------------------------------------------------------


def test_owner_gives_and_takes_leadership_roles(
    db: Database, world: World, client: TestClient
) -> None:
    csrf = sign_in(client, world.alpha.owner.email)
    editor = world.alpha.editor.email
    path = f"/api/v1/workspaces/{ALPHA}/members/{editor}/leadership-roles"
    given = client.put(path, json={"roles": ["cto", "team-lead"]}, headers={"X-CSRF-Token": csrf})
    assert given.status_code == 200, given.text
    assert given.json() == {
        "email": editor,
        "display_name": given.json()["display_name"],
        "role": "editor",
        "leadership_roles": ["cto", "team-lead"],
    }
    shown = client.get(RIGHTS).json()
    assert shown["holders"]["cto"] == [editor]
    assert shown["holders"]["team-lead"] == [editor]
    assert "cto" not in shown["unheld_owner_roles"]
    (member,) = [m for m in workspace_state(db, ALPHA)["members"] if m["email"] == editor]
    assert member["leadership_roles"] == ("cto", "team-lead")

    taken = client.put(path, json={"roles": []}, headers={"X-CSRF-Token": csrf})
    assert taken.json()["leadership_roles"] == []
    assert client.get(RIGHTS).json()["holders"]["cto"] == []


@pytest.mark.parametrize(
    ("who", "roles", "status", "message"),
    [
        ("editor", ["wizard"], 422, "unknown role 'wizard'"),
        ("outsider", ["cto"], 404, "is not a member of 'alpha-corp'"),
    ],
)
def test_refused_role_assignment_changes_nothing(
    db: Database,
    world: World,
    client: TestClient,
    who: str,
    roles: list[str],
    status: int,
    message: str,
) -> None:
    csrf = sign_in(client, world.alpha.owner.email)
    email = world.alpha.editor.email if who == "editor" else world.bravo.owner.email
    before, counts = workspace_state(db, ALPHA), row_counts(db)
    response = client.put(
        f"/api/v1/workspaces/{ALPHA}/members/{email}/leadership-roles",
        json={"roles": roles},
        headers={"X-CSRF-Token": csrf},
    )
    assert response.status_code == status
    assert message in response.json()["detail"]
    _unchanged(db, before, counts)
