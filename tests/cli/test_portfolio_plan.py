"""`quarterdeck plan`: the planning settings, a run showing the optimal plan beside the
handbook rule with the command that accepts exactly it, accepting, and an urgent insertion
showing what it displaces and recording a decision when accepted. Stale or changed plans
and bad settings are one red line and save nothing."""

from __future__ import annotations

import shlex

import pytest

from tests.cli.conftest import Invoke
from tests.cli.portfolio_support import add, data, has_row, ok, refused, start_portfolio


@pytest.fixture(autouse=True)
def wide_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "240")


@pytest.fixture
def acme(cli: Invoke) -> Invoke:
    return start_portfolio(cli)


@pytest.fixture
def planned(acme: Invoke) -> Invoke:
    """core has 26 person-weeks a quarter and each of these takes 20: one per quarter."""
    add(acme, "Checkout", "--value", "10", "--effort", "core=20")
    add(acme, "Billing", "--value", "8", "--effort", "core=20")
    add(acme, "Reporting", "--value", "3", "--effort", "core=20")
    add(
        acme,
        *("Fix data leak", "--kind", "risk-reduction", "--value", "1", "--effort", "core=20"),
        *("--urgency", "urgent", "--reason", "customer data exposed"),
    )
    ok(acme, "intake", "add", "acme", "Rushed", "--value", "50", "--effort", "web=2")
    return acme


def accept_command(output: str, marker: str = "quarterdeck plan accept") -> list[str]:
    """The arguments of the first `plan accept` line the output prints."""
    line = next(line for line in output.splitlines() if line.strip().startswith(marker))
    return shlex.split(line.strip())[1:]


def test_settings_are_shown_with_their_defaults(cli: Invoke) -> None:
    ok(cli, "workspace", "create", "acme", "--name", "Acme")
    found = data(cli, "plan", "settings", "acme")
    assert found["version"] == 0
    assert found["method"] == "five-criteria"
    assert set(found["defaults"]) == {"quarters", "goals", "splits"}
    assert len(found["quarters"]) == 4
    assert found["goals"] == [{"key": "growth", "title": "Grow revenue", "weight": "1"}]


def test_settings_change_against_the_version_read(acme: Invoke) -> None:
    changed = data(
        acme,
        *("plan", "settings", "acme", "--version", "1", "--split"),
        *("2027-Q2:product-bet=50:40-70", "--split", "2027-Q2:platform-investment=30"),
        *("--split", "2027-Q2:risk-reduction=20:10-30", "--goal", "growth=Grow revenue: EU:2"),
        *("--goal", "trust=Keep customers' trust", "--weight", "risk=2", "--method", "rice"),
        *("--criterion", "cost=2:0-10:lower-better:pass=8", "--value-unit", "EUR"),
        *("--time-limit", "10"),
    )
    assert changed["version"] == 2
    assert changed["splits"]["2027-Q1"][0] == {
        "kind": "product-bet",
        "target": 60.0,
        "minimum": 0.0,
        "maximum": 100.0,
    }
    assert changed["splits"]["2027-Q2"] == [
        {"kind": "product-bet", "target": 50.0, "minimum": 40.0, "maximum": 70.0},
        {"kind": "platform-investment", "target": 30.0, "minimum": 0.0, "maximum": 100.0},
        {"kind": "risk-reduction", "target": 20.0, "minimum": 10.0, "maximum": 30.0},
    ]
    assert changed["goals"] == [
        {"key": "growth", "title": "Grow revenue: EU", "weight": "2"},
        {"key": "trust", "title": "Keep customers' trust", "weight": "1"},
    ]
    assert changed["weights"]["risk"] == "2"
    assert changed["criteria"][0] | {"label": "cost"} == {
        "key": "cost",
        "label": "cost",
        "weight": "2",
        "low": "0",
        "high": "10",
        "direction": "lower-better",
        "pass_mark": "8",
    }
    assert (changed["method"], changed["value_unit"], changed["time_limit"]) == (
        "rice",
        "EUR",
        10.0,
    )
    shown = ok(acme, "plan", "settings", "acme")
    assert "Planning settings of acme (version 2)" in shown
    assert has_row(shown, "2027-Q2", "product bets", "50", "40", "70")
    assert "changed by someone else since version 1" in refused(
        acme, "plan", "settings", "acme", "--version", "1", "--value-unit", "USD"
    )


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (("--split", "2027-Q1:product-bet=50"), "2027-Q1: split: targets sum to 50 %, not 100 %"),
        (("--split", "2027-Q1:product-bet"), "--split must read QUARTER:KIND=TARGET[:MIN-MAX]"),
        (("--split", "all:moonshots=100"), "each share names a kind, one of product-bet"),
        (("--split", "2028-Q1:product-bet=100"), "--split names 2028-Q1, which is not a planning"),
        (("--quarters", "2027-Q3,2027-Q1"), "planning quarters must be in order, each once"),
        (("--quarters", "next"), "planning quarter 'next' is not a quarter like 2027-Q1"),
        (("--method", "coin"), "unknown prioritisation method 'coin'"),
        (("--method", "weighted"), "the weighted method needs at least one custom criterion"),
        (("--weight", "luck=2"), "unknown criterion 'luck'"),
        (("--time-limit", "0"), "the planning time limit must be above 0"),
        (("--criterion", "cost=1:cheap"), "--criterion must read KEY=WEIGHT"),
    ],
)
def test_bad_settings_are_refused_and_save_nothing(
    acme: Invoke, options: tuple[str, ...], message: str
) -> None:
    before = data(acme, "plan", "settings", "acme")
    assert message in refused(acme, "plan", "settings", "acme", *options)
    assert data(acme, "plan", "settings", "acme") == before


def test_a_run_shows_both_plans_and_accepts_exactly_the_one_shown(planned: Invoke) -> None:
    run = data(planned, "plan", "run", "acme")
    assert run["based_on"] == 0
    optimal = run["optimal"]
    assert [(p["key"], p["quarter"]) for p in optimal["planned"]] == [
        ("IN-1", "2027-Q1"),
        ("IN-2", "2027-Q2"),
    ]
    assert optimal["status"] == "optimal"
    assert optimal["value"] == 18
    deferred = {d["key"]: d for d in optimal["deferred"]}
    assert set(deferred) == {"IN-3", "IN-4"}
    assert "team core is full in 2027-Q1" in deferred["IN-3"]["reasons"][1]["text"]
    assert run["set_aside"][0]["key"] == "IN-5"
    assert run["set_aside"][0]["reason"].startswith("not ready: not yet confirmed that")
    assert run["value_difference"] == 0
    assert run["accept"]["optimal"]["assignment"] == {"IN-1": "2027-Q1", "IN-2": "2027-Q2"}
    assert run["accept"]["optimal"]["command"] == (
        "quarterdeck plan accept acme --based-on 0 --assignment IN-1=2027-Q1,IN-2=2027-Q2"
    )

    shown = ok(planned, "plan", "run", "acme")
    assert "Plan of acme for 2027-Q1, 2027-Q2 (no plan accepted yet)." in shown
    assert "Optimal plan: 18 points of risk-adjusted value (proven optimal)" in shown
    assert has_row(shown, "2027-Q1", "IN-1", "Checkout", "product-bet", "10", "core 20", "—")
    assert "Both plans hold the same risk-adjusted value." in shown
    assert has_row(shown, "IN-5", "Rushed", run["set_aside"][0]["reason"])
    accepted = ok(planned, *accept_command(shown))
    assert accepted == (
        "Accepted plan 1 (optimal) for 2027-Q1, 2027-Q2: 2 item(s) planned, value 18.\n"
    )
    assert "plan 1 was accepted since this plan was worked out" in refused(
        planned, *accept_command(shown)
    )
    items = {i["key"]: i for i in data(planned, "intake", "list", "acme")["items"]}
    assert (items["IN-1"]["planned_quarter"], items["IN-2"]["planned_quarter"]) == (
        "2027-Q1",
        "2027-Q2",
    )
    assert data(planned, "plan", "run", "acme")["based_on"] == 1


def test_a_plan_that_no_longer_fits_is_refused(planned: Invoke) -> None:
    command = accept_command(ok(planned, "plan", "run", "acme"))
    ok(planned, "capacity", "remove-person", "acme", "core-2", "--version", "1")
    assert "no longer fits what is stored (IN-1 in 2027-Q1: team core is full" in refused(
        planned, *command
    )
    assert "team core is full in 2027-Q2" in refused(
        planned,
        "plan",
        "accept",
        "acme",
        "--based-on",
        "0",
        "--assignment",
        "IN-1=2027-Q2,IN-2=2027-Q2",
    )
    assert data(planned, "plan", "run", "acme")["based_on"] == 0
    assert "--assignment must read ITEM=QUARTER" in refused(
        planned, "plan", "accept", "acme", "--based-on", "0", "--assignment", "IN-1"
    )
    assert "unknown strategy 'greedy'" in refused(planned, *command, "--strategy", "greedy")


def test_an_urgent_insertion_shows_what_it_displaces_and_records_a_decision(
    planned: Invoke,
) -> None:
    ok(planned, *accept_command(ok(planned, "plan", "run", "acme")))
    insertion = data(planned, "plan", "insert", "acme", "IN-4", "--quarter", "2027-Q1")
    assert (insertion["urgent"], insertion["quarter"], insertion["against"]) == (
        "IN-4",
        "2027-Q1",
        "accepted plan 1",
    )
    assert [d["key"] for d in insertion["displaced"]] == ["IN-2"]
    assert insertion["rescheduled"] == [
        {"key": "IN-1", "title": "Checkout", "before": "2027-Q1", "after": "2027-Q2"}
    ]
    assert insertion["value_lost"] == 8
    assert insertion["value_change"] == -7
    assert {(m["team"], m["quarter"], m["to_urgent"]) for m in insertion["capacity"]} == {
        ("core", "2027-Q1", 20),
        ("core", "2027-Q2", 0),
    }
    assert {(c["quarter"], c["kind"]) for c in insertion["split"]} == {
        ("2027-Q1", "product-bet"),
        ("2027-Q1", "risk-reduction"),
    }
    shown = ok(planned, "plan", "insert", "acme", "IN-4", "--quarter", "2027-Q1")
    assert "Planning IN-4 Fix data leak into 2027-Q1, against accepted plan 1." in shown
    assert has_row(shown, "IN-2", "Billing", "8")
    assert has_row(shown, "IN-1", "Checkout", "2027-Q1", "2027-Q2")
    assert (
        "Risk-adjusted value deferred: 8 points; total planned value changes by -7 points." in shown
    )
    command = accept_command(shown)
    assert command == [
        *("plan", "accept", "acme", "--insert", "IN-4", "--quarter", "2027-Q1"),
        *("--based-on", "1", "--assignment", "IN-4=2027-Q1,IN-1=2027-Q2"),
    ]
    accepted = ok(planned, *command, "--note", "Regulator deadline")
    assert "Accepted plan 2 (optimal)" in accepted
    assert (
        "Recorded D-1 (accepted) in the decision log: Urgent IN-4 Fix data leak displaces IN-2"
        in accepted
    )
    decision = data(planned, "decision", "show", "acme", "D-1")
    assert decision["content"]["area"] == "roadmap"
    assert "IN-2 Billing" in decision["content"]["context"]
    assert "Regulator deadline" in decision["content"]["decision"]
    assert "plan 2 was accepted since this plan was worked out" in refused(planned, *command)


def test_an_urgent_item_that_cannot_be_planned_is_refused(planned: Invoke) -> None:
    assert "IN-5 cannot be planned: not ready" in refused(planned, "plan", "insert", "acme", "IN-5")
    assert "intake item IN-9 not found" in refused(planned, "plan", "insert", "acme", "IN-9")
    assert "2028-Q1 is not one of the planning quarters" in refused(
        planned, "plan", "insert", "acme", "IN-4", "--quarter", "2028-Q1"
    )
    assert "--quarter goes with --insert" in refused(
        planned,
        "plan",
        "accept",
        "acme",
        "--based-on",
        "0",
        "--assignment",
        "none",
        "--quarter",
        "2027-Q1",
    )


def test_a_plan_with_no_way_to_fit_mandatory_work_names_the_conflict(acme: Invoke) -> None:
    add(acme, "Huge", "--value", "5", "--effort", "core=40", "--mandatory")
    message = refused(acme, "plan", "run", "acme")
    assert message.startswith("error: no plan meets every constraint: ")
    assert "IN-1" in message
