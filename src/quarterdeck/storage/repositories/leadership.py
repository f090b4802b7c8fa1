"""Set-ups, cadences, playbook runs and engagements of a workspace, and the assessment
sittings of a person. Changes to existing records are compare-and-set on their version."""

from __future__ import annotations

from dataclasses import fields
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, func, select, update
from sqlalchemy.orm import Session

from quarterdeck.domain.errors import Conflict
from quarterdeck.domain.leadership_records import (
    AssessmentTake,
    Cadence,
    EngagementRecord,
    PlaybookRun,
    SetupRecord,
)
from quarterdeck.storage.leadership_tables import (
    AssessmentTakeRow,
    CadenceRow,
    EngagementRow,
    PlaybookRunRow,
    SetupRow,
)
from quarterdeck.storage.tables import Base

__all__ = ["LeadershipRepository"]

_Record = TypeVar("_Record")


def _copy(cls: type[_Record], row: Base) -> _Record:
    return cls(**{f.name: getattr(row, f.name) for f in fields(cls)})  # type: ignore[arg-type]


class LeadershipRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def _cas(
        self,
        table: type[Base],
        where: list[ColumnElement[bool]],
        expected_version: int,
        values: dict[str, Any],
        what: str,
    ) -> None:
        version = table.version  # type: ignore[attr-defined]
        result = self._session.execute(
            update(table)
            .where(*where, version == expected_version)
            .values(**values, version=version + 1)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            raise Conflict(
                f"{what} was changed by someone else since version {expected_version}; "
                "reload it and apply your change again"
            )
        self._session.expire_all()

    # -- set-ups ---------------------------------------------------------------------------

    def add_setup(
        self,
        workspace_id: int,
        *,
        leadership_model: str,
        installed: list[dict[str, Any]],
        done_by: str,
        now: datetime,
    ) -> SetupRecord:
        row = SetupRow(
            workspace_id=workspace_id,
            leadership_model=leadership_model,
            installed=installed,
            done_by=done_by,
            done_at=now,
        )
        self._session.add(row)
        self._session.flush()
        return _copy(SetupRecord, row)

    def setups(self, workspace_id: int) -> list[SetupRecord]:
        rows = self._session.scalars(
            select(SetupRow)
            .where(SetupRow.workspace_id == workspace_id)
            .order_by(SetupRow.id.desc())
        )
        return [_copy(SetupRecord, row) for row in rows]

    # -- cadences --------------------------------------------------------------------------

    def cadences(self, workspace_id: int) -> list[Cadence]:
        rows = self._session.scalars(
            select(CadenceRow)
            .where(CadenceRow.workspace_id == workspace_id)
            .order_by(CadenceRow.id)
        )
        return [_copy(Cadence, row) for row in rows]

    def put_cadence(
        self, workspace_id: int, cadence: Cadence, *, expected_version: int, now: datetime
    ) -> Cadence:
        values = {
            "name": cadence.name,
            "frequency": cadence.frequency,
            "length": cadence.length,
            "purpose": cadence.purpose,
            "owner": cadence.owner,
            "updated_at": now,
        }
        if expected_version == 0:
            if any(c.key == cadence.key for c in self.cadences(workspace_id)):
                raise Conflict(f"there is already a cadence {cadence.key!r}")
            self._session.add(
                CadenceRow(workspace_id=workspace_id, key=cadence.key, version=1, **values)
            )
            self._session.flush()
        else:
            self._cas(
                CadenceRow,
                [CadenceRow.workspace_id == workspace_id, CadenceRow.key == cadence.key],
                expected_version,
                values,
                f"cadence {cadence.key!r}",
            )
        return next(c for c in self.cadences(workspace_id) if c.key == cadence.key)

    # -- playbook runs ---------------------------------------------------------------------

    def runs(self, workspace_id: int) -> list[PlaybookRun]:
        rows = self._session.scalars(
            select(PlaybookRunRow)
            .where(PlaybookRunRow.workspace_id == workspace_id)
            .order_by(PlaybookRunRow.number)
        )
        return [_copy(PlaybookRun, row) for row in rows]

    def run(self, workspace_id: int, number: int) -> PlaybookRun | None:
        row = self._session.scalar(
            select(PlaybookRunRow).where(
                PlaybookRunRow.workspace_id == workspace_id, PlaybookRunRow.number == number
            )
        )
        return None if row is None else _copy(PlaybookRun, row)

    def add_run(self, workspace_id: int, values: dict[str, Any], *, now: datetime) -> PlaybookRun:
        last = self._session.scalar(
            select(func.max(PlaybookRunRow.number)).where(
                PlaybookRunRow.workspace_id == workspace_id
            )
        )
        row = PlaybookRunRow(
            workspace_id=workspace_id,
            number=int(last or 0) + 1,
            version=1,
            created_at=now,
            updated_at=now,
            **values,
        )
        self._session.add(row)
        self._session.flush()
        return _copy(PlaybookRun, row)

    def update_run(
        self,
        workspace_id: int,
        number: int,
        values: dict[str, Any],
        *,
        expected_version: int,
        now: datetime,
    ) -> PlaybookRun:
        self._cas(
            PlaybookRunRow,
            [PlaybookRunRow.workspace_id == workspace_id, PlaybookRunRow.number == number],
            expected_version,
            {**values, "updated_at": now},
            f"playbook run PB-{number}",
        )
        run = self.run(workspace_id, number)
        assert run is not None
        return run

    # -- engagements -----------------------------------------------------------------------

    def engagements(self, workspace_id: int) -> list[EngagementRecord]:
        rows = self._session.scalars(
            select(EngagementRow)
            .where(EngagementRow.workspace_id == workspace_id)
            .order_by(EngagementRow.id)
        )
        return [_copy(EngagementRecord, row) for row in rows]

    def engagements_of_leader(self, leader_id: int) -> list[EngagementRecord]:
        rows = self._session.scalars(
            select(EngagementRow)
            .where(EngagementRow.leader_id == leader_id)
            .order_by(EngagementRow.workspace_id)
        )
        return [_copy(EngagementRecord, row) for row in rows]

    def engagement(self, workspace_id: int, leader_id: int) -> EngagementRecord | None:
        row = self._session.scalar(
            select(EngagementRow).where(
                EngagementRow.workspace_id == workspace_id, EngagementRow.leader_id == leader_id
            )
        )
        return None if row is None else _copy(EngagementRecord, row)

    def put_engagement(
        self,
        workspace_id: int,
        leader_id: int,
        values: dict[str, Any],
        *,
        expected_version: int,
        now: datetime,
    ) -> EngagementRecord:
        """Add (expected_version 0) or change a leader's engagement with the workspace."""
        if expected_version == 0:
            if self.engagement(workspace_id, leader_id) is not None:
                raise Conflict(
                    "this leader already has an engagement with the workspace; reload it and "
                    "change that one"
                )
            self._session.add(
                EngagementRow(
                    workspace_id=workspace_id,
                    leader_id=leader_id,
                    version=1,
                    updated_at=now,
                    **values,
                )
            )
            self._session.flush()
        else:
            self._cas(
                EngagementRow,
                [EngagementRow.workspace_id == workspace_id, EngagementRow.leader_id == leader_id],
                expected_version,
                {**values, "updated_at": now},
                "the engagement",
            )
        stored = self.engagement(workspace_id, leader_id)
        assert stored is not None
        return stored

    # -- assessment sittings ---------------------------------------------------------------

    def add_take(
        self,
        *,
        user_id: int,
        assessment: str,
        aiming_for: str,
        ratings: dict[str, int],
        now: datetime,
    ) -> AssessmentTake:
        row = AssessmentTakeRow(
            user_id=user_id,
            assessment=assessment,
            aiming_for=aiming_for,
            ratings=ratings,
            shared_with=None,
            taken_at=now,
        )
        self._session.add(row)
        self._session.flush()
        return _copy(AssessmentTake, row)

    def takes_of(self, user_id: int, assessment: str | None = None) -> list[AssessmentTake]:
        query = select(AssessmentTakeRow).where(AssessmentTakeRow.user_id == user_id)
        if assessment is not None:
            query = query.where(AssessmentTakeRow.assessment == assessment)
        rows = self._session.scalars(
            query.order_by(AssessmentTakeRow.taken_at, AssessmentTakeRow.id)
        )
        return [_copy(AssessmentTake, row) for row in rows]

    def take(self, take_id: int) -> AssessmentTake | None:
        row = self._session.get(AssessmentTakeRow, take_id)
        return None if row is None else _copy(AssessmentTake, row)

    def shared_in(self, workspace_id: int) -> list[AssessmentTake]:
        rows = self._session.scalars(
            select(AssessmentTakeRow)
            .where(AssessmentTakeRow.shared_with == workspace_id)
            .order_by(AssessmentTakeRow.taken_at, AssessmentTakeRow.id)
        )
        return [_copy(AssessmentTake, row) for row in rows]

    def share_take(self, take_id: int, user_id: int, workspace_id: int | None) -> AssessmentTake:
        """Share a sitting with a workspace (None: make it private again); only its owner's."""
        row = self._session.get(AssessmentTakeRow, take_id)
        assert row is not None, "the service checks the sitting exists"
        assert row.user_id == user_id, "the service checks ownership"
        row.shared_with = workspace_id
        self._session.flush()
        return _copy(AssessmentTake, row)
