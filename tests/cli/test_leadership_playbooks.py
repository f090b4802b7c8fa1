"""`quarterdeck setup` and `quarterdeck playbook`: setting a workspace up for its leadership
model, the playbook catalog, starting a playbook with a day 0 and owners, following it as
a checklist, changing it against the version read, and the handover pack. Bad input is one
red line and saves nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.cli.conftest import Invoke
from tests.cli.portfolio_support import data, has_row, ok, refused

TODAY = datetime.now(UTC).date()  # the workspaces here keep UTC


@pytest.fixture(autouse=True)
def wide_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "240")


@pytest.fixture
def acme(cli: Invoke) -> Invoke:
    """Workspace acme under an interim CTO: Ana holds the cto seat, Ben is an editor."""
    for email, name in (("ana@acme.example", "Ana"), ("ben@acme.example", "Ben")):
        ok(cli, "user", "add", email, "--name", name, "--generate")
    ok(
        cli,
        *("workspace", "create", "acme", "--name", "Acme", "--stage", "scale-up"),
        *("--leadership-model", "interim-cto", "--owner", "ana@acme.example"),
    )
    ok(cli, "member", "add", "acme", "ben@acme.example", "--role", "editor")
    ok(cli, "rights", "assign", "acme", "ana@acme.example", "cto")
    return cli


def runs(cli: Invoke) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = data(cli, "playbook", "runs", "acme")
    return found


def start(cli: Invoke, *options: str, days_ago: int = 0) -> dict[str, Any]:
    day0 = (TODAY - timedelta(days=days_ago)).isoformat()
    started: dict[str, Any] = data(
        cli, "playbook", "start", "acme", "new-cto-90-days", "--start", day0, *options
    )
    return started


def test_setup_lists_suggestions_with_why_and_whether_in_place(acme: Invoke) -> None:
    proposal = data(acme, "setup", "acme")
    assert proposal["leadership_model"] == "interim-cto"
    ids = [s["id"] for s in proposal["suggestions"]]
    assert ids[0] == "rights"
    assert "playbook:interim-cto-onboarding" in ids
    assert all(s["why"] for s in proposal["suggestions"])
    cadence = next(s for s in proposal["suggestions"] if s["id"].startswith("cadence:"))
    assert cadence["in_place"] is False
    shown = ok(acme, "setup", "acme")
    assert has_row(shown, "playbook:interim-cto-onboarding", "Playbook: Interim CTO onboarding")
    assert "--accept-all" in shown


def test_setup_installs_what_is_accepted_and_records_the_rest_as_skipped(acme: Invoke) -> None:
    cadence = next(
        s["id"]
        for s in data(acme, "setup", "acme")["suggestions"]
        if s["id"].startswith("cadence:")
    )
    record = data(
        acme,
        "setup",
        "acme",
        "--accept",
        f"{cadence},playbook:interim-cto-onboarding",
        "--start",
        TODAY.isoformat(),
    )
    outcomes = {e["id"]: e["outcome"] for e in record["entries"]}
    assert outcomes[cadence] == "installed"
    assert outcomes["playbook:interim-cto-onboarding"] == "installed"
    assert outcomes["scorecard:quick-starter"] == "skipped"
    assert [r["playbook"] for r in runs(acme)] == ["interim-cto-onboarding"]
    after = {s["id"]: s["in_place"] for s in data(acme, "setup", "acme")["suggestions"]}
    assert after[cadence] is True
    assert after["scorecard:quick-starter"] is False
    shown = ok(acme, "setup", "acme", "--accept-all")
    assert "already in place" in shown
    assert has_row(shown, "installed", "scorecard:quick-starter")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--accept", "coffee-machine"), "no suggestion 'coffee-machine'"),
        (("--accept", "rights", "--accept-all"), "not both"),
        (("--start", "2027-01-04"), "--start goes with --accept"),
        (("--model", "dictator", "--accept-all"), "unknown leadership model 'dictator'"),
        (("--accept-all", "--start", "tomorrow"), "--start 'tomorrow' is not a date"),
    ],
)
def test_bad_setup_input_is_refused_and_installs_nothing(
    acme: Invoke, args: tuple[str, ...], message: str
) -> None:
    assert message in refused(acme, "setup", "acme", *args)
    assert not any(s["in_place"] for s in data(acme, "setup", "acme")["suggestions"][1:])
    assert runs(acme) == []


def test_playbook_list_shows_the_catalog_and_filters_by_kind(cli: Invoke) -> None:
    every = data(cli, "playbook", "list")
    assert "new-cto-90-days" in [p["key"] for p in every]
    interim = data(cli, "playbook", "list", "--kind", "interim-cto")
    assert [p["key"] for p in interim] == ["interim-cto-onboarding", "handover-to-permanent-cto"]
    assert len(interim[0]["steps"]) == 12
    assert "interim-cto" in interim[0]["kinds"]
    assert "unknown kind of leader 'chief-wizard'" in refused(
        cli, "playbook", "list", "--kind", "chief-wizard"
    )


def test_a_started_playbook_is_a_checklist_with_dates_and_owners(acme: Invoke) -> None:
    run = start(acme)
    assert run["key"] == "PB-1"
    assert run["version"] == 1
    assert run["status"] == "running"
    assert run["owners"] == {"cto": "ana@acme.example"}
    first = run["steps"][0]
    assert first["starts_on"] == TODAY.isoformat()
    assert first["owner"] == "ana@acme.example"
    assert run["percent"] == 0
    assert run["overdue"] == []
    given = start(acme, "--owner", "cto=ben@acme.example")
    assert given["key"] == "PB-2"
    assert given["owners"] == {"cto": "ben@acme.example"}
    assert [r["key"] for r in runs(acme)] == ["PB-1", "PB-2"]


def test_a_step_is_done_with_a_note_or_link_and_late_steps_are_flagged(acme: Invoke) -> None:
    run = start(acme, days_ago=100)
    assert len(run["overdue"]) == len(run["steps"])
    step = run["steps"][0]["key"]
    after = data(
        acme, "playbook", "done", "acme", "PB-1", step, "--version", "1", "--note", "Met the CEO"
    )
    assert after["version"] == 2
    assert after["steps"][0]["done"]["note"] == "Met the CEO"
    assert step not in after["overdue"]
    linked = data(
        acme,
        "playbook",
        "done",
        "acme",
        "1",
        run["steps"][1]["key"],
        "--version",
        "2",
        "--link",
        "https://wiki.acme.example/assessment",
    )
    assert linked["done_count"] == 2
    assert linked["percent"] == round(100 * 2 / len(run["steps"]))
    assert data(acme, "playbook", "show", "acme", "PB-1") == linked
    shown = ok(acme, "playbook", "show", "acme", "PB-1")
    assert "OVERDUE" in shown
    assert "Met the CEO" in shown
    assert "2 of 7 steps done (29 %)" in shown
    assert has_row(shown, "started")


def test_pause_resume_replan_and_abandon_keep_their_reasons(acme: Invoke) -> None:
    start(acme)
    paused = data(acme, "playbook", "pause", "acme", "PB-1", "--version", "1", "--reason", "Board")
    assert paused["status"] == "paused"
    resumed = data(acme, "playbook", "resume", "acme", "PB-1", "--version", "2")
    assert resumed["status"] == "running"
    new_day0 = (TODAY + timedelta(days=14)).isoformat()
    replanned = data(
        acme,
        "playbook",
        "replan",
        "acme",
        "PB-1",
        "--version",
        "3",
        "--start",
        new_day0,
        "--reason",
        "Start after the offsite",
        "--owner",
        "cto=ben@acme.example",
    )
    assert replanned["starts_on"] == new_day0
    assert replanned["owners"] == {"cto": "ben@acme.example"}
    abandoned = data(
        acme, "playbook", "abandon", "acme", "PB-1", "--version", "4", "--reason", "Hired"
    )
    assert abandoned["status"] == "abandoned"
    assert [e["action"] for e in abandoned["history"]] == [
        "started",
        "paused",
        "resumed",
        "re-planned",
        "abandoned",
    ]
    assert abandoned["history"][-1]["reason"] == "Hired"
    assert has_row(
        ok(acme, "playbook", "runs", "acme"), "PB-1", "New CTO, first 90 days", "abandoned"
    )


def far() -> str:
    return (TODAY + timedelta(days=400)).isoformat()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("nope", "--start", "2027-01-04"), "unknown playbook 'nope'"),
        (("new-cto-90-days", "--start", "soon"), "--start 'soon' is not a date"),
        (("new-cto-90-days", "--start", "FAR"), "is more than a year from today"),
        (
            ("new-cto-90-days", "--start", "TODAY", "--owner", "cto=zed@elsewhere.example"),
            "zed@elsewhere.example, is not a member of 'acme'",
        ),
        (
            ("new-cto-90-days", "--start", "TODAY", "--owner", "ceo=ben@acme.example"),
            "has no steps for role 'ceo'",
        ),
        (("new-cto-90-days", "--start", "TODAY", "--owner", "cto"), "--owner must read ROLE=EMAIL"),
    ],
)
def test_bad_starts_are_refused_and_start_nothing(
    acme: Invoke, args: tuple[str, ...], message: str
) -> None:
    values = [far() if a == "FAR" else TODAY.isoformat() if a == "TODAY" else a for a in args]
    assert message in refused(acme, "playbook", "start", "acme", *values)
    assert runs(acme) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("done", "STEP", "--version", "2", "--note", "x"), "changed by someone else"),
        (("done", "STEP", "--version", "1"), "needs a note or an evidence link"),
        (("done", "STEP", "--version", "1", "--link", "wiki/page"), "http or https address"),
        (("done", "no-such-step", "--version", "1", "--note", "x"), "has no step 'no-such-step'"),
        (("pause", "--version", "1"), "say why the run is paused"),
        (("abandon", "--version", "1", "--reason", " "), "say why the run is abandoned"),
        (("resume", "--version", "1"), "PB-1 is running; this needs it paused"),
        (("replan", "--version", "1", "--start", "FAR", "--reason", "x"), "more than a year"),
        (
            (
                "replan",
                "--version",
                "1",
                "--start",
                "TODAY",
                "--reason",
                "x",
                "--owner",
                "cto=zed@elsewhere.example",
            ),
            "is not a member of 'acme'",
        ),
    ],
)
def test_bad_changes_are_refused_and_change_nothing(
    acme: Invoke, args: tuple[str, ...], message: str
) -> None:
    run = start(acme)
    step = run["steps"][0]["key"]
    verb, *rest = (
        step if a == "STEP" else far() if a == "FAR" else TODAY.isoformat() if a == "TODAY" else a
        for a in args
    )
    assert message in refused(acme, "playbook", verb, "acme", "PB-1", *rest)
    assert runs(acme) == [run]


def test_unknown_runs_are_refused(acme: Invoke) -> None:
    assert "PB-9 not found" in refused(acme, "playbook", "show", "acme", "PB-9")
    assert "does not name a playbook run" in refused(acme, "playbook", "show", "acme", "PB-x")
    assert "not found" in refused(acme, "playbook", "runs", "nowhere")


def test_the_handover_pack_comes_as_markdown_html_or_json(acme: Invoke) -> None:
    start(acme, days_ago=100)
    markdown = ok(acme, "playbook", "handover", "acme")
    assert markdown.startswith("# Handover pack: Acme")
    assert "**PB-1**" in markdown
    assert r"| Ana (ana@acme\.example) | owner | cto |" in markdown
    html = ok(acme, "playbook", "handover", "acme", "--html")
    assert html.startswith("<h1>Handover pack: Acme</h1>")
    pack = data(acme, "playbook", "handover", "acme")
    assert pack["workspace"] == "acme"
    assert pack["playbooks"][0]["key"] == "PB-1"
    assert len(pack["playbooks"][0]["overdue"]) == 7
    assert {p["email"] for p in pack["people"]} == {"ana@acme.example", "ben@acme.example"}
    assert pack["document"].startswith("# Handover pack: Acme")
