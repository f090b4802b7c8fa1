"""Bodies of the portfolio API: planning settings, and teams and the people in them with
capacity per quarter; and the types the other portfolio bodies share. The roadmap's are in
`roadmap_schemas`, the intake's in `intake_schemas`, the plans' in `planning_schemas`.

Decimals (weights, FTE, percentages, money) travel as strings, as everywhere in the API;
person-weeks and weeks travel as numbers."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from quarterdeck.domain.planning import Kind, Split
from quarterdeck.domain.portfolio import PersonRecord, TeamRecord
from quarterdeck.domain.prioritisation import Criterion, Direction, Method
from quarterdeck.services.capacity import TeamCapacity
from quarterdeck.services.portfolio_settings import PlanningSettings
from quarterdeck.web.policies import MAX_ROW_ID

__all__ = [
    "KEY",
    "QUARTER",
    "Amount",
    "NewOrVersion",
    "PersonIn",
    "PersonOut",
    "Quarter",
    "SettingsIn",
    "SettingsOut",
    "TeamIn",
    "TeamOut",
    "TeamPut",
    "Version",
    "weeks",
]

KEY = r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$"
QUARTER = r"^\d{4}-Q[1-4]$"
Quarter = Annotated[str, Field(pattern=QUARTER, description="A quarter like 2027-Q1.")]
Amount = Annotated[
    Decimal,
    Field(
        allow_inf_nan=False,
        gt=-(10**15),
        lt=10**15,
        decimal_places=6,
        description="A number, or a string holding one.",
    ),
]
Version = Annotated[
    int,
    Field(strict=True, ge=1, le=MAX_ROW_ID, description="The version you read; stale answers 409."),
]
NewOrVersion = Annotated[
    int,
    Field(
        strict=True,
        ge=0,
        le=MAX_ROW_ID,
        description="0 adds; otherwise the version you read (stale answers 409).",
    ),
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


def weeks(value: Decimal | str) -> float:
    """Person-weeks (or weeks) as the number the API sends."""
    return float(value)


# -- planning settings -----------------------------------------------------------------------


class GoalBody(_Strict):
    key: str = Field(min_length=1, max_length=48)
    title: str = Field(min_length=1, max_length=200)
    weight: Amount = Decimal(1)


class ShareBody(_Strict):
    kind: Kind = Field(description="product-bet, platform-investment or risk-reduction.")
    target: Amount = Field(description="Percent of the quarter's split base.")
    minimum: Amount = Decimal(0)
    maximum: Amount = Decimal(100)


class CriterionBody(_Strict):
    key: str = Field(min_length=1, max_length=48)
    label: str = Field(default="", max_length=120)
    weight: Amount = Decimal(1)
    low: Amount = Decimal(0)
    high: Amount = Decimal(5)
    direction: Direction = Direction.HIGHER_BETTER
    pass_mark: Amount | None = Field(
        default=None, description="Must-pass: a worse value excludes the item."
    )


class SettingsIn(_Strict):
    """What is left out keeps its value; a given list replaces the stored one whole."""

    version: int = Field(
        strict=True,
        ge=0,
        le=MAX_ROW_ID,
        description="The version you read (0: never saved); stale answers 409.",
    )
    quarters: list[Quarter] | None = Field(default=None, max_length=8)
    goals: list[GoalBody] | None = Field(default=None, max_length=50)
    method: Method | None = None
    weights: dict[str, Amount] | None = Field(
        default=None,
        max_length=5,
        description="Five-criteria weights: strategic, departmental, resources, viability, risk.",
    )
    splits: dict[Quarter, list[ShareBody]] | None = Field(
        default=None, max_length=8, description="Target capacity split per quarter."
    )
    criteria: list[CriterionBody] | None = Field(default=None, max_length=30)
    value_unit: str | None = Field(default=None, max_length=24)
    time_limit: Amount | None = Field(default=None, description="Seconds the planner may take.")

    def changes(self) -> dict[str, Any]:
        """The settings given, as the service takes them."""
        given = self.model_dump(mode="json", exclude_unset=True, exclude={"version"})
        return {name: value for name, value in given.items() if value is not None}


class GoalOut(BaseModel):
    key: str
    title: str
    weight: Decimal


class ShareOut(BaseModel):
    kind: Kind
    target: float
    minimum: float
    maximum: float


class CriterionOut(BaseModel):
    key: str
    label: str
    weight: Decimal
    low: Decimal
    high: Decimal
    direction: Direction
    pass_mark: Decimal | None

    @classmethod
    def of(cls, c: Criterion) -> CriterionOut:
        return cls(
            key=c.key,
            label=c.label,
            weight=Decimal(str(c.weight)),
            low=Decimal(str(c.low)),
            high=Decimal(str(c.high)),
            direction=c.direction,
            pass_mark=None if c.pass_mark is None else Decimal(str(c.pass_mark)),
        )


def _shares(split: Split) -> list[ShareOut]:
    return [
        ShareOut(kind=s.kind, target=s.target, minimum=s.minimum, maximum=s.maximum)
        for s in split.shares
    ]


class SettingsOut(BaseModel):
    quarters: list[str] = Field(description="The quarters plans are made for, in order.")
    goals: list[GoalOut] = Field(description="Strategic goals the five-criteria method scores.")
    method: Method = Field(description="How the intake is ranked.")
    weights: dict[str, Decimal] = Field(description="The five criteria's weights.")
    splits: dict[str, list[ShareOut]] = Field(description="Target capacity split per quarter.")
    criteria: list[CriterionOut] = Field(description="Custom criteria of the weighted method.")
    value_unit: str
    time_limit: float = Field(description="Seconds the planner may take.")
    version: int = Field(description="0 until first saved; send it to change the settings.")
    defaults: list[str] = Field(description="Settings still at their defaults.")

    @classmethod
    def of(cls, s: PlanningSettings) -> SettingsOut:
        return cls(
            quarters=list(s.quarters),
            goals=[
                GoalOut(key=g.key, title=g.title, weight=Decimal(str(g.weight))) for g in s.goals
            ],
            method=s.method,
            weights=dict(s.weights),
            splits={quarter: _shares(split) for quarter, split in s.splits.items()},
            criteria=[CriterionOut.of(c) for c in s.criteria],
            value_unit=s.value_unit,
            time_limit=s.time_limit,
            version=s.version,
            defaults=list(s.defaults),
        )


# -- teams and people ------------------------------------------------------------------------

Percent = Annotated[Decimal, Field(allow_inf_nan=False, ge=-1000, le=1000, decimal_places=6)]
Parallel = Annotated[
    int | None,
    Field(strict=True, ge=0, le=10_000, description="Initiatives at once; null: no limit."),
]


class TeamIn(_Strict):
    key: str = Field(min_length=1, max_length=48, pattern=KEY)
    name: str = Field(min_length=1, max_length=120)
    reserve_percent: Percent = Field(
        default=Decimal(0), description="Capacity kept for keep-the-lights-on work, 0-100."
    )
    max_parallel: Parallel = None


class TeamPut(_Strict):
    """Every field is replaced: leaving out `max_parallel` removes the limit."""

    version: Version
    name: str = Field(min_length=1, max_length=120)
    reserve_percent: Percent = Field(description="Capacity kept for keep-the-lights-on, 0-100.")
    max_parallel: Parallel = None


class PersonIn(_Strict):
    """Every field is replaced: leaving out dates or leave removes them."""

    version: NewOrVersion
    team: str = Field(min_length=1, max_length=48, description="The team's key.")
    fte: Amount = Field(description="Above 0, at most 1.")
    starts_on: date | None = Field(default=None, description="Joins on; null: already there.")
    ends_on: date | None = Field(default=None, description="Leaves after; null: stays.")
    leave: dict[Quarter, Amount] = Field(
        default_factory=dict, max_length=40, description="Weeks away per quarter."
    )

    def weeks_away(self) -> Mapping[str, object]:
        return {quarter: str(w) for quarter, w in self.leave.items()}


class PersonOut(BaseModel):
    name: str
    team: str
    fte: Decimal
    starts_on: date | None
    ends_on: date | None
    leave: dict[str, float] = Field(description="Weeks away per quarter.")
    version: int

    @classmethod
    def of(cls, p: PersonRecord) -> PersonOut:
        return cls(
            name=p.name,
            team=p.team,
            fte=p.fte,
            starts_on=p.starts_on,
            ends_on=p.ends_on,
            leave={quarter: weeks(w) for quarter, w in p.leave.items()},
            version=p.version,
        )


class QuarterCapacityOut(BaseModel):
    quarter: str
    capacity: float = Field(description="Person-weeks of everyone, after leave and dates.")
    reserve: float = Field(description="Person-weeks kept for keep-the-lights-on work.")
    available: float = Field(description="Person-weeks left for initiatives.")


class TeamOut(BaseModel):
    key: str
    name: str
    reserve_percent: Decimal
    max_parallel: int | None
    version: int
    people: list[PersonOut]
    quarters: list[QuarterCapacityOut] = Field(description="Each planning quarter.")

    @classmethod
    def of(cls, found: TeamCapacity) -> TeamOut:
        t: TeamRecord = found.team
        return cls(
            key=t.key,
            name=t.name,
            reserve_percent=t.reserve_percent,
            max_parallel=t.max_parallel,
            version=t.version,
            people=[PersonOut.of(p) for p in found.people],
            quarters=[
                QuarterCapacityOut(
                    quarter=q,
                    capacity=weeks(found.capacity[q]),
                    reserve=weeks(found.reserve[q]),
                    available=weeks(found.available(q)),
                )
                for q in found.capacity
            ],
        )
