"""Playbook runs: a playbook started in a workspace on a day 0 with an owner for each
leadership role its steps name. Its steps become a checklist with dates in the workspace
time zone; a step is marked done with a note or an evidence link; overdue steps are
flagged; a run can be paused, resumed, re-planned to a new day 0, or abandoned, each with
its reason kept. A run whose every step is done is complete."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from quarterdeck.catalog.playbooks import playbook_catalog
from quarterdeck.domain.access import Actor, Permission
from quarterdeck.domain.errors import InvalidInput, NotFound
from quarterdeck.domain.leadership_records import PlaybookRun
from quarterdeck.domain.playbooks import Playbook, ScheduledStep, schedule
from quarterdeck.domain.workspaces import Workspace
from quarterdeck.services import audit
from quarterdeck.services.access import authorize
from quarterdeck.storage import UnitOfWork

__all__ = [
    "RunStatus",
    "RunView",
    "StepView",
    "abandon",
    "get_run",
    "mark_done",
    "pause",
    "replan",
    "resume",
    "run_number",
    "runs",
    "start",
    "view_of",
]

_LINK = re.compile(r"^https?://\S+$")
HORIZON = timedelta(days=366)  # how far from today a day 0 may lie


class RunStatus(StrEnum):
    RUNNING = "running"
    PAUSED = "paused"
    ABANDONED = "abandoned"
    COMPLETE = "complete"


@dataclass(frozen=True, slots=True)
class StepView:
    scheduled: ScheduledStep
    owner: str  # the member's email, or "" when the role has nobody
    done: Mapping[str, Any] | None  # note, link, by, at
    overdue: bool

    @property
    def key(self) -> str:
        return self.scheduled.step.key


@dataclass(frozen=True, slots=True)
class RunView:
    run: PlaybookRun
    playbook: Playbook
    steps: tuple[StepView, ...]
    today: date

    @property
    def done_count(self) -> int:
        return sum(1 for s in self.steps if s.done)

    @property
    def percent(self) -> int:
        return round(100 * self.done_count / len(self.steps))

    @property
    def overdue(self) -> tuple[StepView, ...]:
        return tuple(s for s in self.steps if s.overdue)

    @property
    def ends_on(self) -> date:
        return max(s.scheduled.due_on for s in self.steps)


def run_number(text: object) -> int:
    """The number of a run named as 3, "3" or "PB-3"."""
    raw = str(text).strip()
    digits = raw[3:] if raw.upper().startswith("PB-") else raw
    if isinstance(text, bool) or not digits.isdigit() or int(digits) < 1:
        raise InvalidInput(f"{text!r} does not name a playbook run (like PB-3)")
    return int(digits)


def _today(uow: UnitOfWork, ws: Workspace) -> date:
    return ws.local(uow.now()).date()


def view_of(run: PlaybookRun, ws: Workspace, today: date) -> RunView:
    playbook = playbook_catalog().playbook(run.playbook)
    live = run.status == RunStatus.RUNNING
    steps = tuple(
        StepView(
            scheduled=scheduled,
            owner=run.owners.get(scheduled.step.owner, ""),
            done=run.progress.get(scheduled.step.key),
            overdue=live and scheduled.step.key not in run.progress and scheduled.is_overdue(today),
        )
        for scheduled in schedule(playbook, run.starts_on, ws.time_zone)
    )
    return RunView(run, playbook, steps, today)


def _check_start(uow: UnitOfWork, ws: Workspace, starts_on: date) -> date:
    if not isinstance(starts_on, date):
        raise InvalidInput("the start date must be a date like 2027-01-04")
    today = _today(uow, ws)
    if abs(starts_on - today) > HORIZON:
        raise InvalidInput(
            f"a start on {starts_on.isoformat()} is more than a year from today "
            f"({today.isoformat()} in {ws.time_zone}); check the date"
        )
    return starts_on


def _owners(
    uow: UnitOfWork, ws: Workspace, playbook: Playbook, given: Mapping[str, str]
) -> dict[str, str]:
    """An owner (member email) for every role the playbook's steps name: as given, else the
    member holding that leadership seat. Refuses roles the playbook does not use and
    people who are not members."""
    roles = sorted({step.owner for step in playbook.steps})
    unknown = sorted(set(given) - set(roles))
    if unknown:
        raise InvalidInput(
            f"playbook {playbook.key!r} has no steps for role {unknown[0]!r}; its roles: "
            + ", ".join(roles)
        )
    members = uow.memberships.in_workspace(ws.id)
    emails = {m.email.lower(): m.email for m in members}
    owners = {}
    for role in roles:
        email = given.get(role, "").strip()
        if email:
            if email.lower() not in emails:
                raise InvalidInput(
                    f"owner of the {role} steps, {email}, is not a member of {ws.slug!r}"
                )
            owners[role] = emails[email.lower()]
            continue
        seated = [m.email for m in members if role in m.leadership_roles]
        owners[role] = seated[0] if seated else ""
    return owners


def _audit(
    uow: UnitOfWork,
    actor: Actor,
    ws: Workspace,
    action: str,
    run: PlaybookRun,
    before: PlaybookRun | None,
) -> None:
    def state(r: PlaybookRun) -> dict[str, Any]:
        return {
            "playbook": r.playbook,
            "starts_on": r.starts_on.isoformat(),
            "status": r.status,
            "owners": r.owners,
            "done": sorted(r.progress),
            "version": r.version,
        }

    audit.record(
        uow,
        actor=actor,
        workspace_id=ws.id,
        action=action,
        entity_type="playbook_run",
        entity_id=run.key,
        before=None if before is None else state(before),
        after=state(run),
    )


def start(
    uow: UnitOfWork,
    *,
    actor: Actor,
    workspace: str,
    playbook: str,
    starts_on: date,
    owners: Mapping[str, str] | None = None,
) -> PlaybookRun:
    """Start a playbook with `starts_on` as its day 0 (PB-1, PB-2, ...)."""
    ws = authorize(uow, actor, workspace, Permission.WRITE).workspace
    catalog = playbook_catalog()
    if playbook not in catalog.keys:
        raise InvalidInput(f"unknown playbook {playbook!r}; known: {', '.join(catalog.keys)}")
    chosen = catalog.playbook(playbook)
    run = uow.leadership.add_run(
        ws.id,
        {
            "playbook": playbook,
            "starts_on": _check_start(uow, ws, starts_on),
            "status": RunStatus.RUNNING.value,
            "owners": _owners(uow, ws, chosen, owners or {}),
            "progress": {},
            "history": [_event(uow, actor, "started", f"day 0 is {starts_on.isoformat()}")],
            "started_by": actor.label,
        },
        now=uow.now(),
    )
    _audit(uow, actor, ws, "playbook.started", run, None)
    return run


def _event(uow: UnitOfWork, actor: Actor, action: str, reason: str) -> dict[str, str]:
    return {"at": uow.now().isoformat(), "by": actor.label, "action": action, "reason": reason}


def _load(uow: UnitOfWork, ws: Workspace, number: int) -> PlaybookRun:
    run = uow.leadership.run(ws.id, number)
    if run is None:
        raise NotFound(f"playbook run PB-{number} not found")
    return run


def runs(uow: UnitOfWork, *, actor: Actor, workspace: str) -> list[RunView]:
    ws = authorize(uow, actor, workspace, Permission.READ).workspace
    today = _today(uow, ws)
    return [view_of(run, ws, today) for run in uow.leadership.runs(ws.id)]


def get_run(uow: UnitOfWork, *, actor: Actor, workspace: str, number: int) -> RunView:
    ws = authorize(uow, actor, workspace, Permission.READ).workspace
    return view_of(_load(uow, ws, number), ws, _today(uow, ws))


def _reason(reason: str, what: str) -> str:
    reason = reason.strip()
    if not reason:
        raise InvalidInput(f"say why the run is {what}")
    if len(reason) > 1_000:
        raise InvalidInput("the reason is limited to 1,000 characters")
    return reason


def _change(
    uow: UnitOfWork,
    actor: Actor,
    workspace: str,
    number: int,
    expected_version: int,
    action: str,
    change: Any,
) -> PlaybookRun:
    ws = authorize(uow, actor, workspace, Permission.WRITE).workspace
    before = _load(uow, ws, number)
    values = change(ws, before)
    run = uow.leadership.update_run(
        ws.id, number, values, expected_version=expected_version, now=uow.now()
    )
    _audit(uow, actor, ws, f"playbook.{action}", run, before)
    return run


def _needs(run: PlaybookRun, *allowed: RunStatus) -> None:
    if run.status not in allowed:
        raise InvalidInput(f"{run.key} is {run.status}; this needs it {' or '.join(allowed)}")


def mark_done(
    uow: UnitOfWork,
    *,
    actor: Actor,
    workspace: str,
    number: int,
    expected_version: int,
    step: str,
    note: str = "",
    link: str = "",
) -> PlaybookRun:
    """Mark a step done with a note and/or an evidence link (at least one)."""
    note, link = note.strip(), link.strip()
    if not note and not link:
        raise InvalidInput("marking a step done needs a note or an evidence link")
    if len(note) > 2_000:
        raise InvalidInput("the note is limited to 2,000 characters")
    if link and (len(link) > 500 or not _LINK.match(link)):
        raise InvalidInput("the evidence link must be an http or https address")

    def change(ws: Workspace, run: PlaybookRun) -> dict[str, Any]:
        _needs(run, RunStatus.RUNNING)
        playbook = playbook_catalog().playbook(run.playbook)
        playbook.step(step)  # names the known steps when unknown
        if step in run.progress:
            raise InvalidInput(f"step {step!r} of {run.key} is already done")
        progress = {
            **run.progress,
            step: {"note": note, "link": link, "by": actor.label, "at": uow.now().isoformat()},
        }
        values: dict[str, Any] = {"progress": progress}
        if len(progress) == len(playbook.steps):
            values["status"] = RunStatus.COMPLETE.value
            values["history"] = [
                *run.history,
                _event(uow, actor, "completed", "every step is done"),
            ]
        return values

    return _change(uow, actor, workspace, number, expected_version, "step_done", change)


def pause(
    uow: UnitOfWork,
    *,
    actor: Actor,
    workspace: str,
    number: int,
    expected_version: int,
    reason: str,
) -> PlaybookRun:
    why = _reason(reason, "paused")

    def change(ws: Workspace, run: PlaybookRun) -> dict[str, Any]:
        _needs(run, RunStatus.RUNNING)
        return {
            "status": RunStatus.PAUSED.value,
            "history": [*run.history, _event(uow, actor, "paused", why)],
        }

    return _change(uow, actor, workspace, number, expected_version, "paused", change)


def resume(
    uow: UnitOfWork,
    *,
    actor: Actor,
    workspace: str,
    number: int,
    expected_version: int,
    reason: str = "",
) -> PlaybookRun:
    def change(ws: Workspace, run: PlaybookRun) -> dict[str, Any]:
        _needs(run, RunStatus.PAUSED)
        event = _event(uow, actor, "resumed", reason.strip()[:1_000] or "resumed")
        return {"status": RunStatus.RUNNING.value, "history": [*run.history, event]}

    return _change(uow, actor, workspace, number, expected_version, "resumed", change)


def replan(
    uow: UnitOfWork,
    *,
    actor: Actor,
    workspace: str,
    number: int,
    expected_version: int,
    starts_on: date,
    reason: str,
    owners: Mapping[str, str] | None = None,
) -> PlaybookRun:
    """Move the run's day 0 (every step's dates move with it; done steps stay done) and,
    optionally, change owners. A paused run resumes."""
    why = _reason(reason, "re-planned")

    def change(ws: Workspace, run: PlaybookRun) -> dict[str, Any]:
        _needs(run, RunStatus.RUNNING, RunStatus.PAUSED)
        playbook = playbook_catalog().playbook(run.playbook)
        new_owners = (
            run.owners if owners is None else _owners(uow, ws, playbook, {**run.owners, **owners})
        )
        event = _event(
            uow,
            actor,
            "re-planned",
            f"day 0 {run.starts_on.isoformat()} -> {starts_on.isoformat()}: {why}",
        )
        return {
            "starts_on": _check_start(uow, ws, starts_on),
            "owners": new_owners,
            "status": RunStatus.RUNNING.value,
            "history": [*run.history, event],
        }

    return _change(uow, actor, workspace, number, expected_version, "replanned", change)


def abandon(
    uow: UnitOfWork,
    *,
    actor: Actor,
    workspace: str,
    number: int,
    expected_version: int,
    reason: str,
) -> PlaybookRun:
    why = _reason(reason, "abandoned")

    def change(ws: Workspace, run: PlaybookRun) -> dict[str, Any]:
        _needs(run, RunStatus.RUNNING, RunStatus.PAUSED)
        return {
            "status": RunStatus.ABANDONED.value,
            "history": [*run.history, _event(uow, actor, "abandoned", why)],
        }

    return _change(uow, actor, workspace, number, expected_version, "abandoned", change)
