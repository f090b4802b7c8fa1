from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from quarterdeck.domain.access import Actor, ActorKind, Role
from quarterdeck.domain.decisions import Decision, DecisionContent, DecisionStatus
from quarterdeck.services import decisions, rights
from quarterdeck.storage import Database, UnitOfWork, make_engine
from tests.cli.conftest import Invoke
from tests.conftest import Factory


@pytest.fixture
def acme(cli: Invoke) -> Invoke:
    cli("workspace", "create", "acme", "--name", "Acme", "--time-zone", "Europe/Berlin")
    return cli


def new(cli: Invoke, title: str, *extra: str) -> str:
    result = cli("decision", "new", "acme", "--title", title, "--area", "architecture", *extra)
    assert result.exit_code == 0, result.output
    return result.output


def test_record_list_show_and_accept(acme: Invoke) -> None:
    assert "Recorded D-1 (proposed)" in new(
        acme,
        "Adopt feature flags",
        "--decider",
        "cto@acme.example",
        "--tag",
        "delivery",
        "--one-way",
        "--spend",
        "1200.50",
        "--revisit-on",
        "2027-01-15",
    )
    listed = json.loads(acme("decision", "list", "acme", "--json").output)
    assert listed["total"] == 1
    shown = json.loads(acme("decision", "show", "acme", "D-1", "--json").output)
    assert shown["content"]["reversibility"] == "one-way"
    assert shown["content"]["estimated_spend"] == "1200.50"
    assert shown["content"]["deciders"] == ["cto@acme.example"]
    assert "accepted" in acme("decision", "accept", "acme", "1").output
    refused = acme("decision", "reject", "acme", "D-1")
    assert refused.exit_code == 1
    assert "cannot become rejected" in refused.output


def test_edit_keeps_history(acme: Invoke) -> None:
    new(acme, "Adopt feature flags")
    assert (
        acme("decision", "edit", "acme", "D-1", "--context", "Releases are risky.").exit_code == 0
    )
    history = json.loads(acme("decision", "history", "acme", "D-1", "--json").output)
    assert [h["revision"] for h in history] == [1, 2]


def test_supersede_and_due(acme: Invoke) -> None:
    new(acme, "Run our own Kafka", "--revisit-on", "2020-01-01")
    new(acme, "Use a managed event bus")
    acme("decision", "accept", "acme", "1")
    assert [d["key"] for d in json.loads(acme("decision", "due", "acme", "--json").output)] == [
        "D-1"
    ]
    acme("decision", "accept", "acme", "2")
    assert acme("decision", "supersede", "acme", "D-1", "--by", "D-2").exit_code == 0
    shown = json.loads(acme("decision", "show", "acme", "1", "--json").output)
    assert shown["status"] == "superseded"
    assert shown["links"][0]["label"] == "superseded by"
    assert json.loads(acme("decision", "due", "acme", "--json").output) == []


def test_bad_numbers_and_missing_decisions_are_one_clear_line(acme: Invoke) -> None:
    assert "not a decision number" in acme("decision", "show", "acme", "X-1").output
    missing = acme("decision", "show", "acme", "D-99")
    assert missing.exit_code == 1
    assert "D-99 not found" in missing.output
    assert (
        "must be a number"
        in acme(
            "decision", "new", "acme", "--title", "t", "--area", "process", "--spend", "lots"
        ).output
    )


FIXTURES = Path(__file__).resolve().parent.parent / "ingest" / "fixtures"


def test_adr_import_dry_run_writes_nothing_then_import_and_export_round_trip(
    acme: Invoke, tmp_path: Path
) -> None:
    source = FIXTURES / "madr4"
    dry = acme("decision", "import-adr", "acme", str(source), "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "Dry run" in dry.output
    assert json.loads(acme("decision", "list", "acme", "--json").output)["total"] == 0
    done = acme("decision", "import-adr", "acme", str(source))
    assert done.exit_code == 0, done.output
    imported = json.loads(acme("decision", "list", "acme", "--json", "--limit", "500").output)
    assert imported["total"] > 0
    out = tmp_path / "adr"
    assert acme("decision", "export-adr", "acme", str(out), "--format", "madr").exit_code == 0
    acme("workspace", "create", "copy", "--name", "Copy")
    assert acme("decision", "import-adr", "copy", str(out)).exit_code == 0
    again = json.loads(acme("decision", "list", "copy", "--json", "--limit", "500").output)

    def essence(page: dict) -> list:
        return sorted(
            (d["number"], d["status"], d["content"]["title"], d["content"]["context"])
            for d in page["items"]
        )

    assert essence(again) == essence(imported)


def test_adr_import_refuses_everything_when_one_file_is_unreadable(acme: Invoke) -> None:
    result = acme("decision", "import-adr", "acme", str(FIXTURES / "hostile"))
    assert result.exit_code == 1
    assert "nothing was" in result.output
    assert json.loads(acme("decision", "list", "acme", "--json").output)["total"] == 0


def test_demo_has_a_believable_decision_log(cli: Invoke) -> None:
    cli("demo")
    log = json.loads(cli("decision", "list", "harbourline", "--json", "--limit", "500").output)
    statuses = {d["status"] for d in log["items"]}
    assert log["total"] >= 20
    assert statuses == {"proposed", "accepted", "rejected", "deprecated", "superseded"}
    assert len({d["content"]["area"] for d in log["items"]}) >= 10
    assert json.loads(cli("decision", "due", "harbourline", "--json").output)
    cli("demo")  # building it again keeps the log as it is
    again = json.loads(cli("decision", "list", "harbourline", "--json").output)
    assert again["total"] == log["total"]


# -- decision rights at the command line ---------------------------------------------------

SHARED_BUS = DecisionContent(
    title="Share one event bus between checkout and billing",
    area="architecture",
    cross_team=True,
    security_exception=True,
)


@pytest.fixture(autouse=True)
def wide_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    # Rich fits tables to the terminal; a wide one keeps every cell whole for the asserts.
    monkeypatch.setenv("COLUMNS", "220")


class Team:
    """Workspace acme (CTO + CPO template) with a team lead and a CTO who are members."""

    def __init__(self, cli: Invoke, make: Factory, database_url: str) -> None:
        self.cli = cli
        self.database_url = database_url
        self.now = datetime.now(UTC)
        workspace = make.workspace("acme")
        self.people: dict[str, Actor] = {}
        for key, seat in (("lead", "team-lead"), ("cto", "cto")):
            user = make.member(workspace, Role.EDITOR, f"{key}@example.com")
            self.people[key] = Actor(kind=ActorKind.USER, label=user.email, user_id=user.id)
            with make.db.unit_of_work(write=True) as uow:
                rights.assign(
                    uow, actor=make.operator, workspace="acme", email=user.email, roles=[seat]
                )

    @contextmanager
    def at(self, moment: datetime) -> Iterator[UnitOfWork]:
        """A unit of work whose clock says `moment`."""
        database = Database(make_engine(self.database_url), clock=lambda: moment)
        try:
            with database.unit_of_work(write=True) as uow:
                yield uow
        finally:
            database.dispose()

    def propose(self, who: str, content: DecisionContent, *, ago: timedelta) -> Decision:
        with self.at(self.now - ago) as uow:
            return decisions.record(uow, actor=self.people[who], workspace="acme", content=content)

    def approve(self, who: str, decision: Decision, *, ago: timedelta) -> Decision:
        with self.at(self.now - ago) as uow:
            return decisions.decide(
                uow,
                actor=self.people[who],
                workspace="acme",
                number=decision.number,
                expected_version=decision.version,
                to=DecisionStatus.ACCEPTED,
            )


@pytest.fixture
def team(cli: Invoke, make: Factory, database_url: str) -> Team:
    return Team(cli, make, database_url)


def cells(output: str, key: str) -> list[str]:
    """The cells of the table row that starts with `key`."""
    row = next(line for line in output.splitlines() if line.startswith(f"│ {key} "))
    return [cell.strip() for cell in row.split("│")[1:-1]]


def shown(cli: Invoke, number: str) -> dict[str, Any]:
    result = cli("decision", "show", "acme", number, "--json")
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.output)
    return data


def test_new_with_accept_is_accepted_at_once_and_says_by_whom(acme: Invoke) -> None:
    output = new(acme, "Adopt feature flags", "--accept", "--security-exception")
    assert "Recorded D-1 (accepted): Adopt feature flags" in output
    assert "D-1 was accepted by operator:" in output
    assert "(the operator, who holds every right)" in output
    data = shown(acme, "D-1")
    assert data["status"] == "accepted"
    assert data["content"]["security_exception"] is True
    assert data["routing"]["decided_as"] == "the operator, who holds every right"
    assert data["routing"]["decided_by"].startswith("operator:")
    assert data["routing"]["awaiting"] is None
    table = acme("decision", "show", "acme", "D-1").output
    assert cells(table, "decided by")[1].endswith("(the operator, who holds every right)")


def test_new_without_accept_stays_with_its_proposer(acme: Invoke) -> None:
    output = new(acme, "Adopt feature flags")
    assert "Recorded D-1 (proposed)" in output
    assert (
        "D-1 is inside the proposer's decision rights; accept it with "
        "`quarterdeck decision accept acme D-1`."
    ) in output
    data = shown(acme, "D-1")
    assert data["content"]["security_exception"] is False
    assert data["routing"]["decided_by"] is None
    assert "Nothing is waiting for approval in acme." in acme("decision", "queue", "acme").output


def test_a_decision_in_an_unknown_area_is_refused_and_nothing_is_recorded(acme: Invoke) -> None:
    result = acme("decision", "new", "acme", "--title", "Moon base", "--area", "moon")
    assert result.exit_code == 1
    assert result.output.startswith("error: unknown area 'moon'; choose one of roadmap,")
    assert json.loads(acme("decision", "list", "acme", "--json").output)["total"] == 0


def test_edit_sets_and_clears_the_security_exception(acme: Invoke) -> None:
    new(acme, "Open port 22 to the vendor")
    assert acme("decision", "edit", "acme", "D-1", "--security-exception").exit_code == 0
    assert shown(acme, "D-1")["content"]["security_exception"] is True
    acme("decision", "edit", "acme", "D-1", "--context", "They need shell access.")
    assert shown(acme, "D-1")["content"]["security_exception"] is True  # left as it was
    assert acme("decision", "edit", "acme", "D-1", "--no-security-exception").exit_code == 0
    assert shown(acme, "D-1")["content"]["security_exception"] is False
    history = json.loads(acme("decision", "history", "acme", "D-1", "--json").output)
    assert [h["revision"] for h in history] == [1, 2, 3, 4]


def test_a_member_without_rights_sends_a_decision_to_the_approval_queue(team: Team) -> None:
    team.propose("lead", SHARED_BUS, ago=timedelta(days=3, hours=4, minutes=5))
    queue = team.cli("decision", "queue", "acme")
    assert queue.exit_code == 0, queue.output
    assert cells(queue.output, "D-1") == [
        "D-1",
        SHARED_BUS.title,
        "Architecture",
        "CTO",
        "it is a cross-team tradeoff; it asks for a security exception; "
        "outside the proposer's decision rights",
        "3 d 4 h",
    ]
    assert "Decision latency, last 90 days: no decision was accepted or rejected" in queue.output

    table = team.cli("decision", "show", "acme", "D-1").output
    assert cells(table, "waiting for") == ["waiting for", "CTO (cto)"]
    escalated = [cells[1] for cells in _rows(table, "escalated")]
    assert escalated == [
        "Cross-team tradeoffs: it is a cross-team tradeoff (to CTO)",
        "Security exceptions: it asks for a security exception (to CTO)",
        "outside the proposer's decision rights (to CTO)",
    ]
    routing = shown(team.cli, "D-1")["routing"]
    assert routing == {
        "proposed_by": "lead@example.com",
        "awaiting": "cto",
        "awaiting_name": "CTO",
        "escalations": [
            {
                "rule": "Cross-team tradeoffs",
                "route_to": "cto",
                "route_to_name": "CTO",
                "reason": "it is a cross-team tradeoff",
            },
            {
                "rule": "Security exceptions",
                "route_to": "cto",
                "route_to_name": "CTO",
                "reason": "it asks for a security exception",
            },
            {
                "rule": None,
                "route_to": "cto",
                "route_to_name": "CTO",
                "reason": "outside your decision rights",
            },
        ],
        "decided_by": None,
        "decided_as": None,
    }
    listed = json.loads(team.cli("decision", "list", "acme", "--json").output)
    assert listed["items"][0]["routing"]["awaiting"] == "cto"

    assert team.cli("decision", "accept", "acme", "D-1").exit_code == 0
    decided = team.cli("decision", "show", "acme", "D-1").output
    assert cells(decided, "decided by")[1].endswith("(the operator, who holds every right)")
    assert not _rows(decided, "waiting for")
    assert len(_rows(decided, "escalated")) == 3  # why it went up stays on the record
    assert "Nothing is waiting" in team.cli("decision", "queue", "acme").output


def _rows(output: str, key: str) -> list[list[str]]:
    return [
        [cell.strip() for cell in line.split("│")[1:-1]]
        for line in output.splitlines()
        if line.startswith(f"│ {key} ")
    ]


def test_the_queue_filters_by_role(team: Team) -> None:
    team.propose("lead", SHARED_BUS, ago=timedelta(hours=5, minutes=12))
    cluster = DecisionContent(
        title="Pay for a bigger cluster", area="spend", estimated_spend=Decimal("90000")
    )
    team.propose("cto", cluster, ago=timedelta(minutes=7))
    everything = team.cli("decision", "queue", "acme").output
    assert cells(everything, "D-1")[-1] == "5 h 12 min"
    assert cells(everything, "D-2")[3:] == [
        "CEO",
        "estimated spend 90,000 is above 25,000",
        "7 min",
    ]
    assert everything.index("│ D-1 ") < everything.index("│ D-2 ")  # oldest first
    for_cto = team.cli("decision", "queue", "acme", "--role", "cto").output
    assert "│ D-1 " in for_cto
    assert "│ D-2 " not in for_cto
    nothing = team.cli("decision", "queue", "acme", "--role", "cpo")
    assert "Nothing is waiting for the CPO's approval in acme." in nothing.output
    unknown = team.cli("decision", "queue", "acme", "--role", "cfo")
    assert unknown.exit_code == 1
    assert unknown.output.startswith("error: unknown role 'cfo'; known: ceo, cto,")


def test_the_queue_reports_latency_and_suggests_delegating_a_busy_area(team: Team) -> None:
    for index in range(5):
        proposed = team.propose(
            "lead",
            replace(SHARED_BUS, title=f"Shared bus {index}"),
            ago=timedelta(days=20 - index),
        )
        team.approve("cto", proposed, ago=timedelta(days=20 - index, hours=-24 - index))
    waiting = team.propose("lead", SHARED_BUS, ago=timedelta(days=1))
    output = team.cli("decision", "queue", "acme").output
    assert cells(output, waiting.key)[3] == "CTO"
    assert "Decision latency, last 90 days: median 26.0 h over 5 decisions" in output
    assert (
        "cto (cto@example.com) approved 5 of the 5 Architecture decisions of the last 90 days. "
        "Consider handing Architecture decisions to the people closest to the work"
    ) in output

    data = json.loads(team.cli("decision", "queue", "acme", "--json").output)
    assert set(data) == {"queue", "latency", "hints"}
    assert data["latency"] == {
        "median_hours": 26.0,
        "count": 5,
        "excluded": 0,
        "window_days": 90,
    }
    [entry] = data["queue"]
    assert entry["key"] == waiting.key
    assert (entry["title"], entry["area"], entry["area_name"]) == (
        SHARED_BUS.title,
        "architecture",
        "Architecture",
    )
    assert (entry["awaiting"], entry["awaiting_name"]) == ("cto", "CTO")
    assert [note["rule"] for note in entry["escalations"]] == [
        "Cross-team tradeoffs",
        "Security exceptions",
        None,
    ]
    assert entry["proposed_by"] == "lead@example.com"
    assert entry["age"] == "1 d 0 h"
    assert 24 <= entry["waiting_hours"] < 24.1
    [hint] = data["hints"]
    assert {k: v for k, v in hint.items() if k != "message"} == {
        "approver": "cto@example.com",
        "area": "architecture",
        "area_name": "Architecture",
        "count": 5,
        "total": 5,
        "share": 1.0,
        "window_days": 90,
    }
    assert hint["message"].startswith("cto (cto@example.com) approved 5 of the 5 Architecture")
    decided = shown(team.cli, "D-1")["routing"]
    assert (decided["decided_by"], decided["decided_as"]) == ("cto@example.com", "approver as CTO")
