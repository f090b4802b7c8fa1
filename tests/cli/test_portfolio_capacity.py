"""`quarterdeck capacity`: teams and people go in and change against the version read;
`capacity show` gives every team's person-weeks per quarter against the accepted plan's
load, flags over-allocation, and says who works on what."""

from __future__ import annotations

from typing import Any

import pytest

from tests.cli.conftest import Invoke
from tests.cli.portfolio_support import add, data, has_row, ok, refused, start_portfolio


@pytest.fixture(autouse=True)
def wide_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "220")


@pytest.fixture
def acme(cli: Invoke) -> Invoke:
    return start_portfolio(cli)


def quarter(found: dict[str, Any], team: str, label: str) -> dict[str, Any]:
    teams = {t["key"]: t for t in found["teams"]}
    found_quarter: dict[str, Any] = next(
        q for q in teams[team]["quarters"] if q["quarter"] == label
    )
    return found_quarter


def test_teams_and_people_are_added_and_changed(cli: Invoke) -> None:
    ok(cli, "workspace", "create", "acme", "--name", "Acme")
    team = data(
        cli,
        *("capacity", "set", "team", "acme", "payments", "--name", "Payments"),
        *("--reserve", "20", "--max-parallel", "2"),
    )
    assert team == {
        "key": "payments",
        "name": "Payments",
        "reserve_percent": "20",
        "max_parallel": 2,
        "version": 1,
    }
    changed = data(
        cli, "capacity", "set", "team", "acme", "payments", "--version", "1", "--no-limit"
    )
    assert (changed["name"], changed["reserve_percent"], changed["max_parallel"]) == (
        "Payments",
        "20",
        None,
    )
    assert ok(cli, "capacity", "set", "person", "acme", "Ann", "--team", "payments") == (
        "Added Ann in team payments at 1 FTE (version 1).\n"
    )
    person = data(
        cli,
        *("capacity", "set", "person", "acme", "Bob", "--team", "payments", "--fte", "0.5"),
        *("--starts", "2027-02-01", "--leave", "2027-Q2=2"),
    )
    assert (person["fte"], person["starts_on"], person["leave"]) == (
        "0.5",
        "2027-02-01",
        {"2027-Q2": "2"},
    )
    moved = data(
        cli,
        *("capacity", "set", "person", "acme", "Bob", "--version", "1", "--starts", ""),
        *("--leave", "2027-Q3=1", "--leave", "2027-Q2=0"),
    )
    assert (moved["fte"], moved["starts_on"], moved["leave"], moved["version"]) == (
        "0.5",
        None,
        {"2027-Q3": "1"},
        2,
    )
    assert ok(cli, "capacity", "remove-person", "acme", "Bob", "--version", "2") == (
        "Removed Bob from the teams of acme.\n"
    )
    shown = data(cli, "capacity", "show", "acme")
    assert [p["name"] for p in shown["teams"][0]["people"]] == ["Ann"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("set", "team", "acme", "core", "--name", "Again"), "there is already a team 'core'"),
        (("set", "team", "acme", "ops"), "a new team needs --name"),
        (("set", "team", "acme", "Ops", "--name", "Ops"), "team key 'Ops' must be lower-case"),
        (("set", "team", "acme", "ops", "--name", "Ops", "--reserve", "120"), "up to 100, not 120"),
        (
            ("set", "team", "acme", "core", "--version", "7", "--reserve", "5"),
            "changed by someone else",
        ),
        (
            ("set", "team", "acme", "ops", "--version", "1", "--reserve", "5"),
            "team 'ops' not found",
        ),
        (
            ("set", "person", "acme", "Cy", "--team", "ops"),
            "unknown team 'ops'; add the team first",
        ),
        (("set", "person", "acme", "Cy"), "a new person needs --team"),
        (
            ("set", "person", "acme", "Cy", "--team", "core", "--fte", "2"),
            "FTE must be above 0 and at most 1",
        ),
        (
            ("set", "person", "acme", "Cy", "--team", "core", "--starts", "soon"),
            "--starts 'soon' is not a date",
        ),
        (
            ("set", "person", "acme", "Cy", "--team", "core", "--leave", "Q1=2"),
            "leave in 'Q1' is not a quarter",
        ),
        (
            ("set", "person", "acme", "core-1", "--team", "core"),
            "there is already a person named 'core-1'",
        ),
        (
            ("set", "person", "acme", "core-1", "--version", "3", "--fte", "0.5"),
            "changed by someone else",
        ),
        (
            ("remove-person", "acme", "core-1", "--version", "4"),
            "changed or removed by someone else",
        ),
        (
            ("remove-person", "acme", "Nobody", "--version", "1"),
            "Nobody is not in any team of 'acme'",
        ),
    ],
)
def test_bad_capacity_input_is_refused_and_saves_nothing(
    acme: Invoke, args: tuple[str, ...], message: str
) -> None:
    before = data(acme, "capacity", "show", "acme")
    assert message in refused(acme, "capacity", *args)
    assert data(acme, "capacity", "show", "acme") == before


def test_show_puts_the_accepted_plan_against_capacity_and_flags_over_allocation(
    acme: Invoke,
) -> None:
    empty = data(acme, "capacity", "show", "acme")
    assert empty["accepted_plan"] is None
    assert quarter(empty, "core", "2027-Q1") == {
        "quarter": "2027-Q1",
        "capacity": "26.00",
        "reserve": "0.00",
        "available": "26.00",
        "planned": None,
        "left": None,
        "running": None,
        "over_allocated": False,
    }
    add(acme, "Checkout", "--value", "10", "--effort", "core=20", "--effort", "web=4")
    accept = data(acme, "plan", "run", "acme")["accept"]["optimal"]["command"].split()[1:]
    ok(acme, *accept)
    ok(acme, "capacity", "set", "person", "acme", "core-2", "--version", "1", "--fte", "0.5")
    found = data(acme, "capacity", "show", "acme")
    assert found["accepted_plan"] == 1
    core = quarter(found, "core", "2027-Q1")
    assert (core["capacity"], core["planned"], core["left"], core["over_allocated"]) == (
        "19.50",
        20.0,
        -0.5,
        True,
    )
    assert quarter(found, "web", "2027-Q1")["over_allocated"] is False
    assert found["work"] == [
        {"quarter": "2027-Q1", "team": "core", "key": "IN-1", "title": "Checkout", "weeks": 20.0},
        {"quarter": "2027-Q1", "team": "web", "key": "IN-1", "title": "Checkout", "weeks": 4.0},
    ]
    product = next(
        s for s in found["split"] if (s["quarter"], s["kind"]) == ("2027-Q1", "product-bet")
    )
    assert (product["planned"], product["target"]) == (24.0, 60.0)
    shown = ok(acme, "capacity", "show", "acme")
    assert "Capacity of acme in person-weeks, planned load of plan 1" in shown
    assert has_row(
        shown, "Core", "2027-Q1", "19.5", "0", "19.5", "20", "-0.5", "1", "OVER by 0.5 pw"
    )
    assert has_row(shown, "2027-Q1", "product bets", "24", "100 %", "52.75 %", "60 %", "0-100 %")
    assert has_row(shown, "Core", "core-2", "0.5", "—", "—", "—", "2")
    assert has_row(shown, "2027-Q1", "web", "IN-1 Checkout", "4")


def test_show_says_how_to_start_without_teams(cli: Invoke) -> None:
    ok(cli, "workspace", "create", "acme", "--name", "Acme")
    assert ok(cli, "capacity", "show", "acme") == (
        "acme has no teams yet: add one with `quarterdeck capacity set team acme KEY --name "
        "NAME`.\n"
    )
