"""`quarterdeck intake`: requests go into the single intake with their definition of ready,
effort and dependencies; edits name the version read; items are scored and ranked with a
breakdown, and evidence checkpoints are recorded. Bad input is one red line and saves
nothing."""

from __future__ import annotations

import pytest

from tests.cli.conftest import Invoke
from tests.cli.portfolio_support import (
    READY,
    add,
    data,
    has_row,
    intake,
    ok,
    refused,
    start_portfolio,
)

FIVE = ("--departmental", "3", "--resources", "4", "--viability", "4", "--risk", "2")


@pytest.fixture(autouse=True)
def wide_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "220")


@pytest.fixture
def acme(cli: Invoke) -> Invoke:
    return start_portfolio(cli)


def test_an_item_is_added_with_every_field(acme: Invoke) -> None:
    ok(acme, "intake", "add", "acme", "Base", *READY, "--effort", "web=1")
    added = data(
        acme,
        *("intake", "add", "acme", "Faster checkout", "--kind", "product-bet"),
        *("--requester", "ann@acme.example", "--department", "Sales"),
        *("--description", "One-page checkout", "--hypothesis", "Fewer carts abandoned"),
        *("--smallest-bet", "A/B test on 10 %", "--urgency", "high", "--reason", "Peak season"),
        *("--requires", "IN-1", "--alternative-group", "checkout", "--mandatory"),
        *("--quarter", "2027-Q2", "--value", "40", "--success", "0.8"),
        *("--effort", "core=6", "--effort", "web=2.5"),
        *("--primary-metric", "conversion-rate", "--guardrail-metric", "error-rate"),
        *("--ready", "dependencies", "--ready", "risk,security"),
    )
    assert added["key"] == "IN-2"
    assert added["version"] == 1
    assert added["effort"] == {"core": "6", "web": "2.5"}
    assert added["requires"] == [1]
    assert added["ready"] == {"dependencies": True, "risk": True, "security": True}
    assert added["is_ready"] is False
    assert (added["urgency"], added["urgency_reason"]) == ("high", "Peak season")
    assert (added["pinned_quarter"], added["value"], added["success"]) == ("2027-Q2", "40", "0.8")
    assert added["mandatory"] is True
    assert added["smallest_bet"] == "A/B test on 10 %"
    said = ok(acme, "intake", "add", "acme", "Search", "--ready", "risk")
    assert said.startswith("Added IN-3 (version 1): Search\n")
    assert "Not ready yet, so not planned: unconfirmed dependencies, security, performance." in said


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (("--effort", "payroll=3"), "effort for unknown team 'payroll'; teams: core, web"),
        (("--effort", "core=-3"), "effort for team 'core' must not be below 0, not -3"),
        (("--effort", "core"), "--effort must read TEAM=WEEKS, like core=6; got 'core'"),
        (("--requires", "IN-9"), "dependency IN-9 is not an intake item of 'acme'"),
        (("--ready", "budget"), "--ready 'budget' is not a check of ready"),
        (("--urgency", "urgent"), "urgency urgent needs its reason"),
        (("--kind", "moonshot"), "kind 'moonshot' is not one of product-bet"),
        (("--outcome", "nowhere"), "unknown roadmap outcome 'nowhere'"),
        (("--success", "2"), "probability of success is from 0 to 1, not 2"),
    ],
)
def test_bad_input_to_add_is_refused_and_saves_nothing(
    acme: Invoke, options: tuple[str, ...], message: str
) -> None:
    assert message in refused(acme, "intake", "add", "acme", "Checkout", *options)
    assert intake(acme) == []


def test_a_dependency_cycle_is_refused(acme: Invoke) -> None:
    add(acme, "Base")
    add(acme, "On top", "--requires", "IN-1")
    assert "cycle" in refused(
        acme, "intake", "edit", "acme", "IN-1", "--version", "1", "--requires", "IN-2"
    )
    assert "IN-1 cannot depend on itself" in refused(
        acme, "intake", "edit", "acme", "IN-1", "--version", "1", "--requires", "IN-1"
    )
    base = data(acme, "intake", "show", "acme", "IN-1")
    assert (base["requires"], base["version"]) == ([], 1)


def test_an_edit_changes_what_it_names_and_keeps_the_rest(acme: Invoke) -> None:
    add(acme, "Base")
    add(acme, "Other")
    add(acme, "Checkout", "--effort", "core=6", "--effort", "web=2", "--requires", "IN-1")
    saved = data(
        acme,
        *("intake", "edit", "acme", "IN-3", "--version", "1", "--title", "One-page checkout"),
        *("--effort", "web=0", "--effort", "core=8", "--requires", "IN-2"),
        *("--drop-requires", "IN-1", "--not-ready", "security", "--status", "in-progress"),
        *("--primary-metric", "conversion-rate", "--guardrail-metric", "error-rate"),
    )
    assert saved["title"] == "One-page checkout"
    assert saved["version"] == 2
    assert saved["effort"] == {"core": "8"}
    assert saved["requires"] == [2]
    assert saved["ready"]["security"] is False
    assert saved["ready"]["risk"] is True
    assert saved["status"] == "in-progress"
    assert saved["kind"] == "product-bet"
    assert "nothing to change" in refused(acme, "intake", "edit", "acme", "IN-3", "--version", "2")
    assert "--ready and --not-ready both name risk" in refused(
        acme,
        "intake",
        "edit",
        "acme",
        "IN-3",
        "--version",
        "2",
        "--ready",
        "risk",
        "--not-ready",
        "risk",
    )


def test_an_edit_against_a_stale_version_changes_nothing(acme: Invoke) -> None:
    add(acme, "Checkout")
    ok(acme, "intake", "edit", "acme", "IN-1", "--version", "1", "--value", "5")
    assert "was changed by someone else since version 1" in refused(
        acme, "intake", "edit", "acme", "IN-1", "--version", "1", "--value", "9"
    )
    shown = data(acme, "intake", "show", "acme", "IN-1")
    assert (shown["value"], shown["version"]) == ("5", 2)


def test_an_unknown_item_is_named(acme: Invoke) -> None:
    assert "intake item IN-99 not found" in refused(acme, "intake", "show", "acme", "IN-99")
    assert "intake item IN-99 not found" in refused(
        acme, "intake", "edit", "acme", "99", "--version", "1", "--title", "x"
    )
    assert "'IN-x' does not name an intake item (like IN-12)" in refused(
        acme, "intake", "show", "acme", "IN-x"
    )


def test_the_list_filters_and_shows_rank_and_score(acme: Invoke) -> None:
    add(acme, "Checkout", "--department", "Sales", "--urgency", "urgent", "--reason", "peak")
    ok(acme, "intake", "add", "acme", "Search engine", "--kind", "platform-investment")
    add(acme, "Old report")
    ok(acme, "intake", "edit", "acme", "IN-3", "--version", "1", "--status", "dropped")
    ok(acme, "intake", "score", "acme", "IN-1", "--version", "1", "--serves", "growth=4", *FIVE)
    listed = data(acme, "intake", "list", "acme")
    assert listed["method"] == "five-criteria"
    assert [(i["key"], i["rank"], i["score"]) for i in listed["items"]] == [
        ("IN-1", 1, "0.72"),
        ("IN-2", None, None),
    ]
    assert listed["items"][1]["not_ranked"] == "not scored for five-criteria"
    assert [i["key"] for i in data(acme, "intake", "list", "acme", "--status", "all")["items"]] == [
        "IN-1",
        "IN-2",
        "IN-3",
    ]
    assert [
        i["key"] for i in data(acme, "intake", "list", "acme", "--status", "dropped")["items"]
    ] == ["IN-3"]
    assert [i["key"] for i in data(acme, "intake", "list", "acme", "--not-ready")["items"]] == [
        "IN-2"
    ]
    assert [i["key"] for i in data(acme, "intake", "list", "acme", "--ready")["items"]] == ["IN-1"]
    assert [
        i["key"]
        for i in data(acme, "intake", "list", "acme", "--kind", "platform-investment")["items"]
    ] == ["IN-2"]
    assert [
        i["key"] for i in data(acme, "intake", "list", "acme", "--department", "sales")["items"]
    ] == ["IN-1"]
    assert [
        i["key"] for i in data(acme, "intake", "list", "acme", "--urgency", "urgent")["items"]
    ] == ["IN-1"]
    assert [
        i["key"] for i in data(acme, "intake", "list", "acme", "--search", "engine")["items"]
    ] == ["IN-2"]
    shown = ok(acme, "intake", "list", "acme")
    assert "Intake of acme (2 item(s), ranked by five-criteria)" in shown
    assert has_row(shown, "IN-1", "1", "0.72", "Checkout", "product-bet", "proposed", "urgent")
    assert has_row(shown, "IN-2", "unscored", "—", "Search engine", "platform-investment")
    assert "--status must be one of proposed, in-progress, done, dropped" in refused(
        acme, "intake", "list", "acme", "--status", "open"
    )


def test_score_and_rank_explain_every_place(acme: Invoke) -> None:
    add(acme, "Checkout")
    add(acme, "Search")
    add(acme, "Reports")
    ok(acme, "intake", "score", "acme", "IN-1", "--version", "1", "--serves", "growth=4", *FIVE)
    scored = ok(
        acme, "intake", "score", "acme", "IN-2", "--version", "1", "--serves", "growth=5", *FIVE
    )
    assert scored.startswith("Scored IN-2 for five-criteria (version 2).\n")
    assert "IN-2 is ranked 1st of 2 with a score of 0.76 (0.76 normalised)." in scored
    assert "strategic-goals: 5 -> 1 x weight 0.2 adds 0.2." in scored
    ok(
        acme,
        *("intake", "score", "acme", "IN-3", "--version", "1", "--serves", "growth=3"),
        *(*FIVE, "--no-departments"),
    )
    ranking = data(acme, "intake", "rank", "acme")
    assert ranking["method"] == "five-criteria"
    assert [(r["key"], r["rank"], r["score"]) for r in ranking["ranked"]] == [
        ("IN-2", 1, "0.76"),
        ("IN-1", 2, "0.72"),
    ]
    risk = ranking["ranked"][0]["terms"][-1]
    assert risk == {
        "criterion": "risk",
        "raw": "2",
        "normalised": "0.6",
        "weight": "0.2",
        "contribution": "0.12",
        "effect": "add",
        "note": "",
    }
    assert ranking["excluded"] == [
        {
            "key": "IN-3",
            "title": "Reports",
            "reasons": ["fails gate 'departments' (Do the department heads back it? No)"],
        }
    ]
    shown = ok(acme, "intake", "rank", "acme")
    assert has_row(shown, "1", "IN-2", "Search", "0.76", "0.76", "5 (+0.2)", "3 (+0.12)")
    assert "Excluded" in shown

    rice = data(
        acme,
        *("intake", "score", "acme", "IN-1", "--version", "2", "--method", "rice"),
        *("--input", "reach=500", "--input", "impact=2", "--input", "confidence=80"),
        *("--input", "effort=4"),
    )
    assert rice["scores"]["rice"] == {
        "reach": "500",
        "impact": "2",
        "confidence": "80",
        "effort": "4",
    }
    assert rice["scores"]["five-criteria"]["serves"] == {"growth": "4"}
    assert rice["ranking"]["place"]["score"] == "200"
    by_rice = data(acme, "intake", "rank", "acme", "--method", "rice")
    assert [r["key"] for r in by_rice["ranked"]] == ["IN-1"]
    assert [u["key"] for u in by_rice["unscored"]] == ["IN-2", "IN-3"]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (("--serves", "fame=3", *FIVE), "unknown strategic goal 'fame'"),
        (("--serves", "growth=9", *FIVE), "strength for goal 'growth' is 9, outside 0..5"),
        (("--serves", "growth=3"), "five-criteria scores lack departmental"),
        (("--method", "rice", "--risk", "2"), "--risk is an input of the five-criteria method"),
        (("--method", "rice", "--input", "reach=5"), "rice scores lack impact, confidence"),
        (
            (
                "--method",
                "rice",
                "--input",
                "reach=5",
                "--input",
                "impact=7",
                "--input",
                "confidence=50",
                "--input",
                "effort=1",
            ),
            "impact",
        ),
        (("--method", "weighted", "--input", "cost=2"), "the workspace has no custom criteria"),
        (
            (
                "--method",
                "magic",
            ),
            "scores for unknown method 'magic'",
        ),
    ],
)
def test_scores_the_ranking_cannot_use_are_refused(
    acme: Invoke, options: tuple[str, ...], message: str
) -> None:
    add(acme, "Checkout")
    assert message in refused(acme, "intake", "score", "acme", "IN-1", "--version", "1", *options)
    shown = data(acme, "intake", "show", "acme", "IN-1")
    assert (shown["scores"], shown["version"]) == ({}, 1)


def test_show_gives_every_field_the_ranking_checkpoints_and_cost_benefit(acme: Invoke) -> None:
    add(acme, "Checkout", "--hypothesis", "Fewer carts abandoned", "--effort", "core=6")
    ok(acme, "intake", "score", "acme", "IN-1", "--version", "1", "--serves", "growth=4", *FIVE)
    done = data(
        acme,
        *("intake", "checkpoint", "acme", "IN-1", "problem-validated", "--version", "2"),
        *("--note", "12 interviews", "--link", "https://wiki.acme.example/interviews"),
    )
    assert done["checkpoints"]["problem-validated"]["done"] is True
    assert done["checkpoints"]["problem-validated"]["note"] == "12 interviews"
    ok(
        acme,
        "cba",
        "acme",
        "IN-1",
        "--version",
        "3",
        "--rate",
        "8",
        "--costs",
        "100,20",
        "--benefits",
        "0,150",
    )
    shown = data(acme, "intake", "show", "acme", "IN-1")
    assert shown["hypothesis"] == "Fewer carts abandoned"
    assert shown["is_ready"] is True
    assert shown["ranking"]["place"]["rank"] == 1
    assert shown["ranking"]["explanation"][0] == (
        "IN-1 is ranked 1st of 1 with a score of 0.72 (0.72 normalised)."
    )
    assert shown["appraisal"]["cases"]["expected"]["npv"] == "20.37"  # -100 + 130 / 1.08
    assert set(shown["appraisal"]["cases"]) == {"pessimistic", "expected"}
    text = ok(acme, "intake", "show", "acme", "IN-1")
    assert "IN-1: Checkout" in text
    assert "Ranking by five-criteria:\n  IN-1 is ranked 1st of 1" in text
    assert has_row(text, "hypothesis", "Fewer carts abandoned")
    assert has_row(text, "effort", "core 6 pw")
    assert has_row(text, "checkpoints", "1 of 3 done: problem-validated")
    assert has_row(
        text, "Problem validated", "yes", "12 interviews", "https://wiki.acme.example/interviews"
    )
    assert has_row(text, "NPV", "-43.98", "20.37")  # -125 + 87.5 / 1.08 pessimistic


def test_a_checkpoint_is_recorded_done_or_not(acme: Invoke) -> None:
    add(acme, "Checkout")
    assert "a checkpoint marked done needs a note or an evidence link" in refused(
        acme, "intake", "checkpoint", "acme", "IN-1", "experiment-plan", "--version", "1"
    )
    assert "unknown checkpoint 'launch'" in refused(
        acme, "intake", "checkpoint", "acme", "IN-1", "launch", "--version", "1", "--note", "x"
    )
    assert "the evidence link must be an http or https address" in refused(
        acme,
        "intake",
        "checkpoint",
        "acme",
        "IN-1",
        "post-launch",
        "--version",
        "1",
        "--link",
        "ftp://x",
    )
    assert (
        ok(
            acme,
            "intake",
            "checkpoint",
            "acme",
            "IN-1",
            "experiment-plan",
            "--version",
            "1",
            "--not-done",
        )
        == "IN-1: Experiment plan is not done (version 2).\n"
    )
    assert (
        data(acme, "intake", "show", "acme", "IN-1")["checkpoints"]["experiment-plan"]["done"]
        is False
    )
