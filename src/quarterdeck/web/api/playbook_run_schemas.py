"""Bodies of the playbook runs API: starting a playbook with its day 0 and owners, the run
as a dated checklist, and the changes made to it against the version read."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from quarterdeck.services.playbook_runs import RunStatus, RunView, StepView
from quarterdeck.web.policies import MAX_ROW_ID

__all__ = [
    "DoneIn",
    "ReasonIn",
    "ReplanIn",
    "ResumeIn",
    "RunOut",
    "RunSummaryOut",
    "StartIn",
]

KEY = r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$"
Version = Annotated[
    int,
    Field(strict=True, ge=1, le=MAX_ROW_ID, description="The version you read; stale answers 409."),
]
Owners = Annotated[
    dict[Annotated[str, Field(max_length=48)], Annotated[str, Field(max_length=254)]],
    Field(
        max_length=20,
        description="A member's email for each leadership role the steps name "
        "(role key -> email); a role left out goes to the member holding that seat.",
    ),
]
Reason = Annotated[str, Field(max_length=1_000)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class StartIn(_Strict):
    playbook: str = Field(max_length=48, pattern=KEY, description="The playbook's key.")
    starts_on: date = Field(description="Day 0, within a year of today.")
    owners: Owners = {}


class DoneIn(_Strict):
    version: Version
    note: str = Field(default="", max_length=2_000)
    link: str = Field(default="", max_length=500, description="An http(s) link to the evidence.")


class ReasonIn(_Strict):
    """Pausing and abandoning say why."""

    version: Version
    reason: Reason


class ResumeIn(_Strict):
    version: Version
    reason: Reason = ""


class ReplanIn(_Strict):
    version: Version
    starts_on: date = Field(description="The new day 0; every step's dates move with it.")
    reason: Reason
    owners: Owners | None = Field(default=None, description="Owners to change; others stay.")


class DoneOut(BaseModel):
    note: str
    link: str
    by: str
    at: datetime

    @classmethod
    def of(cls, done: Mapping[str, Any] | None) -> DoneOut | None:
        return None if done is None else cls.model_validate(dict(done))


class RunStepOut(BaseModel):
    key: str
    title: str
    done_when: str
    artifact: str
    owner_role: str = Field(description="The leadership role that owns the step.")
    owner: str = Field(description="The member's email; empty when the role has nobody.")
    starts_on: date
    due_on: date = Field(description="Due at the end of this day, in the workspace's zone.")
    overdue: bool
    done: DoneOut | None

    @classmethod
    def of(cls, s: StepView) -> RunStepOut:
        step = s.scheduled.step
        return cls(
            key=step.key,
            title=step.title,
            done_when=step.done_when,
            artifact=step.artifact,
            owner_role=step.owner,
            owner=s.owner,
            starts_on=s.scheduled.starts_on,
            due_on=s.scheduled.due_on,
            overdue=s.overdue,
            done=DoneOut.of(s.done),
        )


class EventOut(BaseModel):
    at: datetime
    by: str
    action: str
    reason: str


class RunSummaryOut(BaseModel):
    key: str = Field(description="PB-1, PB-2, ...")
    playbook: str
    name: str
    status: RunStatus
    starts_on: date = Field(description="Day 0.")
    ends_on: date = Field(description="When the last step falls due.")
    done_count: int
    step_count: int
    percent: int = Field(description="Steps done, in percent.")
    overdue: list[str] = Field(description="Steps past due and not done (running runs only).")
    version: int

    @classmethod
    def fields_of(cls, view: RunView) -> dict[str, object]:
        run = view.run
        return {
            "key": run.key,
            "playbook": run.playbook,
            "name": view.playbook.name,
            "status": RunStatus(run.status),
            "starts_on": run.starts_on,
            "ends_on": view.ends_on,
            "done_count": view.done_count,
            "step_count": len(view.steps),
            "percent": view.percent,
            "overdue": [s.key for s in view.overdue],
            "version": run.version,
        }

    @classmethod
    def of(cls, view: RunView) -> RunSummaryOut:
        return cls.model_validate(cls.fields_of(view))


class RunOut(RunSummaryOut):
    exit_criterion: str
    today: date = Field(description="Today in the workspace's time zone, as overdue is judged.")
    owners: dict[str, str] = Field(description="Leadership role -> the member who owns it.")
    started_by: str
    created_at: datetime
    updated_at: datetime
    steps: list[RunStepOut] = Field(description="In playbook order.")
    history: list[EventOut] = Field(description="Started, paused, resumed, ... with why.")

    @classmethod
    def of_view(cls, view: RunView) -> RunOut:
        run = view.run
        return cls.model_validate(
            {
                **cls.fields_of(view),
                "exit_criterion": view.playbook.exit_criterion,
                "today": view.today,
                "owners": dict(run.owners),
                "started_by": run.started_by,
                "created_at": run.created_at,
                "updated_at": run.updated_at,
                "steps": [RunStepOut.of(s) for s in view.steps],
                "history": [EventOut.model_validate(event) for event in run.history],
            }
        )
