"""Playbook runs: dates in the workspace's time zone, owners from leadership seats, steps
done with evidence, overdue flags, pause, re-plan, abandon and completion."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from quarterdeck.domain.access import Actor, Role
from quarterdeck.domain.errors import Conflict, InvalidInput, NotFound
from quarterdeck.services import playbook_runs, rights
from quarterdeck.services.playbook_runs import RunStatus
from quarterdeck.storage import Database
from tests.conftest import Factory


@pytest.fixture
def ws(db: Database, make: Factory, operator: Actor) -> str:
    workspace = make.workspace("acme", time_zone="Pacific/Auckland")
    cto = make.member(workspace, Role.OWNER, "cto@acme.example")
    with db.unit_of_work(write=True) as uow:
        rights.assign(uow, actor=operator, workspace="acme", email=cto.email, roles=["cto"])
    return "acme"


def today_in(db: Database, ws: str) -> date:
    with db.unit_of_work(write=False) as uow:
        workspace = uow.workspaces.by_slug(ws)
        assert workspace is not None
        return workspace.local(uow.now()).date()


def start(
    db: Database,
    operator: Actor,
    ws: str,
    day0: date,
    playbook: str = "new-cto-90-days",
    **owners: str,
) -> int:
    with db.unit_of_work(write=True) as uow:
        return playbook_runs.start(
            uow, actor=operator, workspace=ws, playbook=playbook, starts_on=day0, owners=owners
        ).number


def view(db: Database, operator: Actor, ws: str, number: int) -> playbook_runs.RunView:
    with db.unit_of_work(write=False) as uow:
        return playbook_runs.get_run(uow, actor=operator, workspace=ws, number=number)


def test_a_started_run_is_a_dated_checklist_owned_by_the_seat_holder(
    db: Database, operator: Actor, ws: str
) -> None:
    day0 = today_in(db, ws) - timedelta(days=30)
    number = start(db, operator, ws, day0)
    run = view(db, operator, ws, number)
    assert run.run.key == "PB-1"
    first = run.steps[0]
    assert first.key == "business-context"
    assert first.scheduled.starts_on == day0
    assert first.scheduled.due_on == day0 + timedelta(days=21)
    assert first.owner == "cto@acme.example"
    # Day 30: due on day 21 and 30 have passed or are today; only those before today are late.
    assert [s.key for s in run.overdue] == ["business-context"]
    assert run.percent == 0


def test_done_needs_evidence_and_completes_the_run(db: Database, operator: Actor, ws: str) -> None:
    number = start(
        db, operator, ws, today_in(db, ws), playbook="new-cpto-30-days", cpto="cto@acme.example"
    )
    with (
        db.unit_of_work(write=True) as uow,
        pytest.raises(InvalidInput, match="needs a note or an evidence link"),
    ):
        playbook_runs.mark_done(
            uow,
            actor=operator,
            workspace=ws,
            number=number,
            expected_version=1,
            step="shared-roadmap",
        )
    with (
        db.unit_of_work(write=True) as uow,
        pytest.raises(InvalidInput, match="has no step 'nope'"),
    ):
        playbook_runs.mark_done(
            uow,
            actor=operator,
            workspace=ws,
            number=number,
            expected_version=1,
            step="nope",
            note="x",
        )
    version = 1
    steps = [s.key for s in view(db, operator, ws, number).steps]
    for step in steps:
        with db.unit_of_work(write=True) as uow:
            version = playbook_runs.mark_done(
                uow,
                actor=operator,
                workspace=ws,
                number=number,
                expected_version=version,
                step=step,
                note="done",
                link="https://wiki.acme.example/x",
            ).version
    run = view(db, operator, ws, number)
    assert run.run.status == RunStatus.COMPLETE
    assert run.percent == 100
    assert run.run.history[-1]["action"] == "completed"


def test_pause_hides_lateness_replan_moves_dates_and_abandon_keeps_the_reason(
    db: Database, operator: Actor, ws: str
) -> None:
    day0 = today_in(db, ws) - timedelta(days=60)
    number = start(db, operator, ws, day0)
    assert view(db, operator, ws, number).overdue
    with db.unit_of_work(write=True) as uow, pytest.raises(InvalidInput, match="say why"):
        playbook_runs.pause(
            uow, actor=operator, workspace=ws, number=number, expected_version=1, reason=" "
        )
    with db.unit_of_work(write=True) as uow:
        playbook_runs.pause(
            uow,
            actor=operator,
            workspace=ws,
            number=number,
            expected_version=1,
            reason="parental leave",
        )
    assert view(db, operator, ws, number).overdue == ()
    new_day0 = today_in(db, ws)
    with db.unit_of_work(write=True) as uow:
        run = playbook_runs.replan(
            uow,
            actor=operator,
            workspace=ws,
            number=number,
            expected_version=2,
            starts_on=new_day0,
            reason="back from leave",
        )
    assert run.status == RunStatus.RUNNING
    replanned = view(db, operator, ws, number)
    assert replanned.steps[0].scheduled.starts_on == new_day0
    assert replanned.overdue == ()
    with db.unit_of_work(write=True) as uow, pytest.raises(Conflict):
        playbook_runs.abandon(
            uow, actor=operator, workspace=ws, number=number, expected_version=2, reason="x"
        )
    with db.unit_of_work(write=True) as uow:
        playbook_runs.abandon(
            uow,
            actor=operator,
            workspace=ws,
            number=number,
            expected_version=3,
            reason="the CTO left",
        )
    run = view(db, operator, ws, number).run
    assert run.status == RunStatus.ABANDONED
    assert [e["action"] for e in run.history] == ["started", "paused", "re-planned", "abandoned"]
    assert run.history[-1]["reason"] == "the CTO left"
    with db.unit_of_work(write=True) as uow, pytest.raises(InvalidInput, match="is abandoned"):
        playbook_runs.mark_done(
            uow,
            actor=operator,
            workspace=ws,
            number=number,
            expected_version=4,
            step="expectations",
            note="x",
        )


@pytest.mark.parametrize(
    ("playbook", "day0_offset", "owners", "message"),
    [
        ("new-cto-90-days", 400, {}, "more than a year from today"),
        ("new-cto-90-days", -400, {}, "more than a year from today"),
        ("no-such-playbook", 0, {}, "unknown playbook 'no-such-playbook'"),
        ("new-cto-90-days", 0, {"cpo": "cto@acme.example"}, "has no steps for role 'cpo'"),
        ("new-cto-90-days", 0, {"cto": "stranger@else.example"}, "is not a member of 'acme'"),
    ],
)
def test_senseless_dates_and_owners_are_refused(
    db: Database,
    operator: Actor,
    ws: str,
    playbook: str,
    day0_offset: int,
    owners: dict[str, str],
    message: str,
) -> None:
    with db.unit_of_work(write=True) as uow, pytest.raises(InvalidInput, match=message):
        playbook_runs.start(
            uow,
            actor=operator,
            workspace=ws,
            playbook=playbook,
            starts_on=today_in(db, ws) + timedelta(days=day0_offset),
            owners=owners,
        )
    with db.unit_of_work(write=False) as uow:
        assert playbook_runs.runs(uow, actor=operator, workspace=ws) == []


def test_another_workspaces_run_is_not_found(
    db: Database, make: Factory, operator: Actor, ws: str
) -> None:
    start(db, operator, ws, today_in(db, ws))
    make.workspace("other")
    with db.unit_of_work(write=False) as uow, pytest.raises(NotFound, match="PB-1"):
        playbook_runs.get_run(uow, actor=operator, workspace="other", number=1)
