"""A workspace's portfolio: intake items, roadmap outcomes, teams and people, planning
settings and accepted plans. Every change to an existing record is a compare-and-set on its
version, so a stale edit raises Conflict and writes nothing."""

from __future__ import annotations

from dataclasses import fields
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, delete, func, select, update
from sqlalchemy.orm import Session

from quarterdeck.domain.errors import Conflict
from quarterdeck.domain.portfolio import (
    AcceptedPlan,
    IntakeItem,
    Outcome,
    PersonRecord,
    TeamRecord,
)
from quarterdeck.storage.portfolio_tables import (
    IntakeItemRow,
    OutcomeRow,
    PersonRow,
    PlanRow,
    PortfolioSettingsRow,
    TeamRow,
)
from quarterdeck.storage.tables import Base

__all__ = ["ITEM_FIELDS", "PortfolioRepository"]


_Stored = TypeVar("_Stored")

# Columns an edit may change, per table; the rest are identity and bookkeeping.
ITEM_FIELDS = tuple(
    f.name
    for f in fields(IntakeItem)
    if f.name not in {"number", "created_by", "version", "created_at", "updated_at"}
)


def _copy(cls: type[_Stored], row: Base, **extra: Any) -> _Stored:
    names = [f.name for f in fields(cls)]  # type: ignore[arg-type]
    values = {name: extra[name] if name in extra else getattr(row, name) for name in names}
    return cls(**values)


class PortfolioRepository:
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

    # -- settings --------------------------------------------------------------------------

    def settings(self, workspace_id: int) -> tuple[dict[str, Any], int]:
        """The stored settings and their version (0: never saved)."""
        row = self._settings_row(workspace_id)
        return ({}, 0) if row is None else (dict(row.settings), row.version)

    def put_settings(
        self, workspace_id: int, settings: dict[str, Any], *, expected_version: int, now: datetime
    ) -> int:
        if expected_version == 0:
            if self._settings_row(workspace_id) is not None:
                raise Conflict(
                    "the planning settings were saved by someone else; reload them and apply "
                    "your change again"
                )
            self._session.add(
                PortfolioSettingsRow(
                    workspace_id=workspace_id, settings=settings, version=1, updated_at=now
                )
            )
            self._session.flush()
            return 1
        try:
            self._cas(
                PortfolioSettingsRow,
                [PortfolioSettingsRow.workspace_id == workspace_id],
                expected_version,
                {"settings": settings, "updated_at": now},
                "",
            )
        except Conflict:
            raise Conflict(
                f"the planning settings were changed by someone else since version "
                f"{expected_version}; reload them and apply your change again"
            ) from None
        return expected_version + 1

    def _settings_row(self, workspace_id: int) -> PortfolioSettingsRow | None:
        return self._session.scalar(
            select(PortfolioSettingsRow).where(PortfolioSettingsRow.workspace_id == workspace_id)
        )

    # -- teams -----------------------------------------------------------------------------

    def teams(self, workspace_id: int) -> list[TeamRecord]:
        rows = self._session.scalars(
            select(TeamRow).where(TeamRow.workspace_id == workspace_id).order_by(TeamRow.key)
        )
        return [_copy(TeamRecord, row) for row in rows]

    def team(self, workspace_id: int, key: str) -> TeamRecord | None:
        row = self._team_row(workspace_id, key)
        return None if row is None else _copy(TeamRecord, row)

    def _team_row(self, workspace_id: int, key: str) -> TeamRow | None:
        return self._session.scalar(
            select(TeamRow).where(TeamRow.workspace_id == workspace_id, TeamRow.key == key)
        )

    def add_team(
        self,
        workspace_id: int,
        *,
        key: str,
        name: str,
        reserve_percent: Decimal,
        max_parallel: int | None,
        now: datetime,
    ) -> TeamRecord:
        if self._team_row(workspace_id, key) is not None:
            raise Conflict(f"there is already a team {key!r}")
        row = TeamRow(
            workspace_id=workspace_id,
            key=key,
            name=name,
            reserve_percent=reserve_percent,
            max_parallel=max_parallel,
            version=1,
            created_at=now,
            updated_at=now,
        )
        self._session.add(row)
        self._session.flush()
        return _copy(TeamRecord, row)

    def update_team(
        self,
        workspace_id: int,
        key: str,
        *,
        expected_version: int,
        name: str,
        reserve_percent: Decimal,
        max_parallel: int | None,
        now: datetime,
    ) -> TeamRecord:
        self._cas(
            TeamRow,
            [TeamRow.workspace_id == workspace_id, TeamRow.key == key],
            expected_version,
            {
                "name": name,
                "reserve_percent": reserve_percent,
                "max_parallel": max_parallel,
                "updated_at": now,
            },
            f"team {key!r}",
        )
        stored = self.team(workspace_id, key)
        assert stored is not None
        return stored

    # -- people ----------------------------------------------------------------------------

    def people(self, workspace_id: int) -> list[PersonRecord]:
        query = (
            select(PersonRow, TeamRow.key)
            .join(TeamRow, TeamRow.id == PersonRow.team_id)
            .where(PersonRow.workspace_id == workspace_id)
            .order_by(TeamRow.key, PersonRow.name)
        )
        return [_copy(PersonRecord, row, team=team) for row, team in self._session.execute(query)]

    def person(self, workspace_id: int, name: str) -> PersonRecord | None:
        return next((p for p in self.people(workspace_id) if p.name == name), None)

    def put_person(
        self,
        workspace_id: int,
        *,
        name: str,
        team: str,
        fte: Decimal,
        starts_on: date | None,
        ends_on: date | None,
        leave: dict[str, str],
        expected_version: int,
        now: datetime,
    ) -> PersonRecord:
        """Add a person (expected_version 0) or change one (compare-and-set)."""
        team_row = self._team_row(workspace_id, team)
        assert team_row is not None, "the service checks the team"
        values = {
            "team_id": team_row.id,
            "fte": fte,
            "starts_on": starts_on,
            "ends_on": ends_on,
            "leave": leave,
            "updated_at": now,
        }
        existing = self._session.scalar(
            select(PersonRow.id).where(
                PersonRow.workspace_id == workspace_id, PersonRow.name == name
            )
        )
        if expected_version == 0:
            if existing is not None:
                raise Conflict(f"there is already a person named {name!r}")
            self._session.add(PersonRow(workspace_id=workspace_id, name=name, version=1, **values))
            self._session.flush()
        else:
            self._cas(
                PersonRow,
                [PersonRow.workspace_id == workspace_id, PersonRow.name == name],
                expected_version,
                values,
                f"{name}'s capacity",
            )
        stored = self.person(workspace_id, name)
        assert stored is not None
        return stored

    def remove_person(self, workspace_id: int, name: str, *, expected_version: int) -> None:
        result = self._session.execute(
            delete(PersonRow).where(
                PersonRow.workspace_id == workspace_id,
                PersonRow.name == name,
                PersonRow.version == expected_version,
            )
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            raise Conflict(f"{name} was changed or removed by someone else; reload the team")

    # -- outcomes --------------------------------------------------------------------------

    def outcomes(self, workspace_id: int) -> list[Outcome]:
        rows = self._session.scalars(
            select(OutcomeRow)
            .where(OutcomeRow.workspace_id == workspace_id)
            .order_by(OutcomeRow.theme, OutcomeRow.quarter, OutcomeRow.key)
        )
        return [_copy(Outcome, row) for row in rows]

    def put_outcome(
        self, workspace_id: int, outcome: Outcome, *, expected_version: int, now: datetime
    ) -> Outcome:
        values = {
            "theme": outcome.theme,
            "title": outcome.title,
            "metric": outcome.metric,
            "target": outcome.target,
            "quarter": outcome.quarter,
            "updated_at": now,
        }
        if expected_version == 0:
            exists = self._session.scalar(
                select(OutcomeRow.id).where(
                    OutcomeRow.workspace_id == workspace_id, OutcomeRow.key == outcome.key
                )
            )
            if exists is not None:
                raise Conflict(f"there is already an outcome {outcome.key!r}")
            self._session.add(
                OutcomeRow(workspace_id=workspace_id, key=outcome.key, version=1, **values)
            )
            self._session.flush()
        else:
            self._cas(
                OutcomeRow,
                [OutcomeRow.workspace_id == workspace_id, OutcomeRow.key == outcome.key],
                expected_version,
                values,
                f"outcome {outcome.key!r}",
            )
        return next(o for o in self.outcomes(workspace_id) if o.key == outcome.key)

    # -- intake items ----------------------------------------------------------------------

    def items(self, workspace_id: int) -> list[IntakeItem]:
        rows = self._session.scalars(
            select(IntakeItemRow)
            .where(IntakeItemRow.workspace_id == workspace_id)
            .order_by(IntakeItemRow.number)
        )
        return [_copy(IntakeItem, row) for row in rows]

    def item(self, workspace_id: int, number: int) -> IntakeItem | None:
        row = self._session.scalar(
            select(IntakeItemRow).where(
                IntakeItemRow.workspace_id == workspace_id, IntakeItemRow.number == number
            )
        )
        return None if row is None else _copy(IntakeItem, row)

    def add_item(
        self, workspace_id: int, values: dict[str, Any], *, created_by: str, now: datetime
    ) -> IntakeItem:
        last = self._session.scalar(
            select(func.max(IntakeItemRow.number)).where(IntakeItemRow.workspace_id == workspace_id)
        )
        row = IntakeItemRow(
            workspace_id=workspace_id,
            number=int(last or 0) + 1,
            created_by=created_by,
            version=1,
            created_at=now,
            updated_at=now,
            **{name: values[name] for name in ITEM_FIELDS},
        )
        self._session.add(row)
        self._session.flush()
        return _copy(IntakeItem, row)

    def update_item(
        self,
        workspace_id: int,
        number: int,
        values: dict[str, Any],
        *,
        expected_version: int,
        now: datetime,
    ) -> IntakeItem:
        self._cas(
            IntakeItemRow,
            [IntakeItemRow.workspace_id == workspace_id, IntakeItemRow.number == number],
            expected_version,
            {**{name: values[name] for name in ITEM_FIELDS if name in values}, "updated_at": now},
            f"intake item {number}",
        )
        stored = self.item(workspace_id, number)
        assert stored is not None
        return stored

    def set_planned_quarters(
        self, workspace_id: int, assignment: dict[int, str], now: datetime
    ) -> None:
        """Give every item its quarter in an accepted plan; items outside it lose theirs.
        Each changed item's version moves on, so an edit opened before stays stale."""
        for item in self.items(workspace_id):
            quarter = assignment.get(item.number, "")
            if quarter != item.planned_quarter:
                self._session.execute(
                    update(IntakeItemRow)
                    .where(
                        IntakeItemRow.workspace_id == workspace_id,
                        IntakeItemRow.number == item.number,
                    )
                    .values(
                        planned_quarter=quarter,
                        version=IntakeItemRow.version + 1,
                        updated_at=now,
                    )
                    .execution_options(synchronize_session=False)
                )
        self._session.expire_all()

    # -- plans -----------------------------------------------------------------------------

    def plans(self, workspace_id: int) -> list[AcceptedPlan]:
        rows = self._session.scalars(
            select(PlanRow)
            .where(PlanRow.workspace_id == workspace_id)
            .order_by(PlanRow.number.desc())
        )
        return [_copy(AcceptedPlan, row) for row in rows]

    def latest_plan(self, workspace_id: int) -> AcceptedPlan | None:
        row = self._session.scalar(
            select(PlanRow)
            .where(PlanRow.workspace_id == workspace_id)
            .order_by(PlanRow.number.desc())
            .limit(1)
        )
        return None if row is None else _copy(AcceptedPlan, row)

    def add_plan(self, workspace_id: int, plan: AcceptedPlan) -> AcceptedPlan:
        """Store an accepted plan; `plan.number` must be the next one (checked here, so two
        acceptances racing from the same page cannot both land)."""
        last = self._session.scalar(
            select(func.max(PlanRow.number)).where(PlanRow.workspace_id == workspace_id)
        )
        if plan.number != int(last or 0) + 1:
            raise Conflict(
                f"plan {int(last or 0)} was accepted since this one was worked out; run the "
                "plan again"
            )
        row = PlanRow(
            workspace_id=workspace_id, **{f.name: getattr(plan, f.name) for f in fields(plan)}
        )
        self._session.add(row)
        self._session.flush()
        return _copy(AcceptedPlan, row)
