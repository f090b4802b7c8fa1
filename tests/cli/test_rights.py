"""`quarterdeck rights ...`: reading and changing a workspace's decision rights."""

from __future__ import annotations

import json
from typing import Any

import pytest

from quarterdeck.domain.access import Role
from tests.cli.conftest import Invoke
from tests.conftest import Factory


@pytest.fixture(autouse=True)
def wide_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    # Rich fits tables to the terminal; a wide one keeps every cell whole for the asserts.
    monkeypatch.setenv("COLUMNS", "220")


@pytest.fixture
def acme(cli: Invoke, make: Factory) -> Invoke:
    """A cto-cpo workspace with an editor who holds no leadership role yet."""
    workspace = make.workspace("acme")
    make.member(workspace, Role.EDITOR, "lead@example.com")
    return cli


def rights_of(cli: Invoke) -> dict[str, Any]:
    result = cli("rights", "show", "acme", "--json")
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.output)
    return data


def refused(result: Any, message: str) -> None:
    assert result.exit_code == 1, result.output
    assert f"error: {message}" in result.output
    assert len(result.output.strip().splitlines()) == 1, result.output


def test_show_prints_the_matrix_the_guardrails_and_who_holds_which_role(acme: Invoke) -> None:
    acme("rights", "assign", "acme", "lead@example.com", "team-lead")
    result = acme("rights", "show", "acme")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "Decision rights of acme (CTO + CPO template, not edited yet)" in result.output
    header = next(line for line in lines if "Area" in line and "CTO" in line)
    assert "CEO" in header
    assert "CPTO" not in header  # only roles that take part in some area are columns
    architecture = next(line for line in lines if line.startswith("│ Architecture"))
    assert [cell.strip() for cell in architecture.split("│")[1:-1]][:4] == [
        "Architecture",
        "",
        "owns",
        "influences",
    ]
    assert "spend above 25,000" in result.output
    assert "the owner of the decision's area" in result.output
    assert next(line for line in lines if "Team lead" in line and "lead@example.com" in line)
    assert "Roles that decide but nobody holds: CEO, CTO, CPO." in result.output


def test_show_as_json(acme: Invoke) -> None:
    acme("rights", "assign", "acme", "lead@example.com", "team-lead")
    data = rights_of(acme)
    assert set(data) == {
        "workspace",
        "template",
        "version",
        "updated_by",
        "areas",
        "roles",
        "matrix",
        "rules",
        "unheld_owner_roles",
    }
    assert (data["workspace"], data["template"], data["version"]) == ("acme", "cto-cpo", 0)
    assert data["matrix"]["architecture"]["cto"] == "owns"
    assert data["rules"][1] == {
        "name": "Major spend",
        "when": "spend-above",
        "route_to": "ceo",
        "threshold": "25000",
    }
    lead = next(role for role in data["roles"] if role["key"] == "team-lead")
    assert lead == {
        "key": "team-lead",
        "name": "Team lead",
        "description": lead["description"],
        "custom": False,
        "holders": ["lead@example.com"],
    }
    assert data["unheld_owner_roles"] == ["ceo", "cto", "cpo"]
    assert {"key", "name", "description", "custom"} == set(data["areas"][0])


def test_set_moves_ownership_in_one_step_and_none_takes_a_role_out(acme: Invoke) -> None:
    moved = acme("rights", "set", "acme", "architecture", "cpo=owns", "cto=co-owns", "cpo=owns")
    refused(moved, "role 'cpo' is given twice")
    moved = acme("rights", "set", "acme", "architecture", "CPO=owns", "cto=Influences")
    assert moved.exit_code == 0, moved.output
    assert "Architecture in acme: CTO influences, CPO owns" in moved.output
    assert "(rights version 1)" in moved.output
    out = acme("rights", "set", "acme", "architecture", "team-lead=none")
    assert out.exit_code == 0, out.output
    data = rights_of(acme)
    assert data["version"] == 2
    assert data["matrix"]["architecture"] == {
        "cto": "influences",
        "cpo": "owns",
        "vp-engineering": "consulted",
        "head-of-engineering": "consulted",
    }


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        (["architecture", "cto=none"], "area 'architecture' has no owner"),
        (["architecture", "cpo=owns"], "area 'architecture' has 2 owners (cto, cpo)"),
        (["nowhere", "cto=owns"], "unknown area 'nowhere'; known: roadmap, architecture"),
        (["architecture", "cfo=owns"], "unknown role 'cfo'; known: ceo, cto"),
        (["architecture", "cto=rules"], "cto: involvement must be one of owns, co-owns"),
        (["architecture", "cto"], "'cto' must be ROLE=INVOLVEMENT, e.g. cto=owns"),
    ],
)
def test_a_bad_cell_is_one_clear_line_and_changes_nothing(
    acme: Invoke, cells: list[str], message: str
) -> None:
    before = rights_of(acme)
    refused(acme("rights", "set", "acme", *cells), message)
    assert rights_of(acme) == before


def test_apply_template_resets_catalog_areas_and_guardrails_but_keeps_custom_ones(
    acme: Invoke,
) -> None:
    acme("rights", "area", "add", "acme", "payments", "Payments", "--owner", "cto")
    acme("rights", "set", "acme", "architecture", "cpo=owns", "cto=influences")
    declined = acme("rights", "apply-template", "acme", "cpto", input="n\n")
    assert declined.exit_code == 1
    assert "to the CPTO (combined product and technology) template" in declined.output
    assert "Nothing was changed." in declined.output
    assert rights_of(acme)["template"] == "cto-cpo"

    done = acme("rights", "apply-template", "acme", "cpto", "--yes")
    assert done.exit_code == 0, done.output
    assert "13 areas, 4 guardrails" in done.output
    data = rights_of(acme)
    assert data["template"] == "cpto"
    assert data["matrix"]["roadmap"]["cpto"] == "owns"
    assert data["matrix"]["payments"] == {"cto": "owns"}
    assert data["rules"][0]["route_to"] == "cpto"

    confirmed = acme("rights", "apply-template", "acme", input="y\n")  # the profile's model
    assert confirmed.exit_code == 0, confirmed.output
    assert "Applied the CTO + CPO template to acme" in confirmed.output
    assert rights_of(acme)["matrix"]["architecture"]["cto"] == "owns"


def test_apply_template_refuses_an_unknown_model_without_asking(acme: Invoke) -> None:
    result = acme("rights", "apply-template", "acme", "dictator", input="y\n")
    refused(result, "leadership model must be one of cto-cpo, cpto, fractional-cto")
    assert rights_of(acme)["version"] == 0


def test_rules_are_added_and_removed_by_name(acme: Invoke) -> None:
    added = acme(
        "rights", "rule", "add", "acme", "Payments go to the CEO", "--when", "area",
        "--area", "spend", "--route-to", "ceo",
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    assert "when area is Spend, the decision goes to CEO" in added.output
    spend = acme(
        "rights", "rule", "add", "acme", "Huge spend", "--when", "spend-above",
        "--threshold", "100,000", "--route-to", "area-owner",
    )  # fmt: skip
    assert spend.exit_code == 0, spend.output
    rules = rights_of(acme)["rules"]
    assert rules[-2:] == [
        {"name": "Payments go to the CEO", "when": "area", "route_to": "ceo", "area": "spend"},
        {
            "name": "Huge spend",
            "when": "spend-above",
            "route_to": "area-owner",
            "threshold": "100000",
        },
    ]
    removed = acme("rights", "rule", "remove", "acme", "major spend")
    assert removed.exit_code == 0, removed.output
    assert "Removed guardrail 'Major spend' from acme." in removed.output
    names = [rule["name"] for rule in rights_of(acme)["rules"]]
    assert "Major spend" not in names
    assert len(names) == 5


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--when", "sometimes", "--route-to", "cto"], "rule 'R': when must be one of cross-team"),
        (["--when", "cross-team", "--route-to", "cfo"], "rule 'R' routes to unknown role 'cfo'"),
        (
            ["--when", "area", "--area", "moon", "--route-to", "cto"],
            "rule 'R' names unknown area 'moon'",
        ),
        (["--when", "area", "--route-to", "cto"], "--when area needs --area AREA"),
        (["--when", "spend-above", "--route-to", "ceo"], "--when spend-above needs --threshold"),
        (
            ["--when", "spend-above", "--threshold", "lots", "--route-to", "ceo"],
            "rule 'R': threshold must be an amount; got 'lots'",
        ),
        (
            ["--when", "cross-team", "--threshold", "5", "--route-to", "ceo"],
            "--threshold goes with --when spend-above",
        ),
    ],
)
def test_a_bad_rule_is_one_clear_line_and_changes_nothing(
    acme: Invoke, args: list[str], message: str
) -> None:
    before = rights_of(acme)
    refused(acme("rights", "rule", "add", "acme", "R", *args), message)
    assert rights_of(acme) == before


def test_a_duplicate_or_missing_rule_name_is_refused(acme: Invoke) -> None:
    before = rights_of(acme)
    duplicate = acme(
        "rights", "rule", "add", "acme", "one-way DOORS", "--when", "cross-team",
        "--route-to", "ceo",
    )  # fmt: skip
    refused(duplicate, "acme already has a guardrail named 'one-way DOORS'")
    refused(
        acme("rights", "rule", "remove", "acme", "Nope"),
        "acme has no guardrail named 'Nope'; guardrails: 'Cross-team tradeoffs'",
    )
    assert rights_of(acme) == before


def test_custom_areas_and_roles(acme: Invoke) -> None:
    role = acme("rights", "role", "add", "acme", "head-of-data", "Head of Data")
    assert role.exit_code == 0, role.output
    area = acme(
        "rights", "area", "add", "acme", "data-platform", "Data platform",
        "--owner", "head-of-data", "--description", "Warehouses and pipelines.",
    )  # fmt: skip
    assert area.exit_code == 0, area.output
    assert "Added area data-platform (Data platform) to acme, owned by Head of Data." in (
        area.output
    )
    data = rights_of(acme)
    assert data["matrix"]["data-platform"] == {"head-of-data": "owns"}
    assert data["areas"][-1] == {
        "key": "data-platform",
        "name": "Data platform",
        "description": "Warehouses and pipelines.",
        "custom": True,
    }
    assert data["roles"][-1]["key"] == "head-of-data"
    assert data["roles"][-1]["custom"] is True
    assert "head-of-data" in data["unheld_owner_roles"]
    table = acme("rights", "show", "acme").output
    assert "Head of Data" in table
    assert "Data platform" in table


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["area", "add", "acme", "payments", "Payments", "--owner", "cfo"], "unknown role 'cfo'"),
        (
            ["area", "add", "acme", "Pay Ments", "Payments", "--owner", "cto"],
            "custom area key 'Pay Ments' must be lower-case words joined by hyphens",
        ),
        (
            ["area", "add", "acme", "security", "Security", "--owner", "cto"],
            "custom area key(s) already in use: security",
        ),
        (["role", "add", "acme", "cto", "Another CTO"], "custom role key(s) already in use: cto"),
        (["role", "add", "acme", "data", ""], "custom role 'data' needs a name of 1-80"),
    ],
)
def test_a_bad_custom_area_or_role_is_refused(acme: Invoke, args: list[str], message: str) -> None:
    before = rights_of(acme)
    refused(acme("rights", *args), message)
    assert rights_of(acme) == before


def test_assign_gives_exactly_the_roles_named_and_none_clears_them(acme: Invoke) -> None:
    given = acme("rights", "assign", "acme", "lead@example.com", "team-lead", "cto")
    assert given.exit_code == 0, given.output
    assert "lead@example.com holds CTO, Team lead in acme." in given.output
    holders = {r["key"]: r["holders"] for r in rights_of(acme)["roles"]}
    assert holders["cto"] == holders["team-lead"] == ["lead@example.com"]
    assert "cto" not in rights_of(acme)["unheld_owner_roles"]
    acme("rights", "assign", "acme", "lead@example.com", "cpo")
    holders = {r["key"]: r["holders"] for r in rights_of(acme)["roles"]}
    assert (holders["cto"], holders["cpo"]) == ([], ["lead@example.com"])
    cleared = acme("rights", "assign", "acme", "lead@example.com", "--none")
    assert cleared.exit_code == 0, cleared.output
    assert "lead@example.com holds no leadership role in acme." in cleared.output
    assert all(not r["holders"] for r in rights_of(acme)["roles"])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["lead@example.com", "cfo"], "unknown role 'cfo'; known: ceo"),
        (["stranger@example.com", "cto"], "stranger@example.com is not a member of 'acme'"),
        (["lead@example.com"], "name the roles to give, or --none to take them all away"),
        (["lead@example.com", "cto", "--none"], "give roles or --none, not both"),
    ],
)
def test_a_bad_assignment_is_refused(acme: Invoke, args: list[str], message: str) -> None:
    acme("rights", "assign", "acme", "lead@example.com", "team-lead")
    refused(acme("rights", "assign", "acme", *args), message)
    holders = {r["key"]: r["holders"] for r in rights_of(acme)["roles"]}
    assert holders["team-lead"] == ["lead@example.com"]
    assert holders["cto"] == []


def test_another_workspace_is_not_found(acme: Invoke) -> None:
    refused(acme("rights", "show", "nowhere"), "workspace 'nowhere' not found")
    refused(
        acme("rights", "set", "nowhere", "architecture", "cto=owns"),
        "workspace 'nowhere' not found",
    )
