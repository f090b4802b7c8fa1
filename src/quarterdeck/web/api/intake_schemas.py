"""Bodies of the intake API: items, where each stands in the ranking and why, and evidence
checkpoints. The ranking's are in `ranking_schemas`, the cost-benefit figures' in
`cost_benefit_schemas`.

Values and scores travel as strings holding decimals; person-weeks travel as numbers."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from quarterdeck.domain.planning import Kind
from quarterdeck.domain.portfolio import IntakeItem, item_key
from quarterdeck.domain.prioritisation import Method
from quarterdeck.services.intake import CHECKPOINTS, READY_CHECKS, Status, Urgency, is_ready
from quarterdeck.services.json_input import BoundedObject
from quarterdeck.web.api.cost_benefit_schemas import AppraisalOut, FiguresOut, figures_of
from quarterdeck.web.api.portfolio_schemas import Amount, Version, weeks
from quarterdeck.web.api.ranking_schemas import Standing

__all__ = [
    "ITEM_KEY",
    "CheckpointIn",
    "CostBenefitOut",
    "IntakeItemOut",
    "ItemDetailOut",
    "ItemIn",
    "ItemListOut",
    "ItemPatch",
    "ListedItemOut",
]

ITEM_KEY = r"^(?:[Ii][Nn]-)?[1-9][0-9]{0,8}$"
ItemRef = Annotated[
    int | str,
    Field(description="An intake item: 12, '12' or 'IN-12'."),
]
Quarter = Annotated[str, Field(max_length=7, description="Like 2027-Q1; empty: none.")]
Line = Annotated[str, Field(max_length=5_000)]
Short = Annotated[str, Field(max_length=120)]
MetricKey = Annotated[str, Field(max_length=64, description="A metric key; empty: none.")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


# -- items -----------------------------------------------------------------------------------


class _ItemFields(_Strict):
    kind: Kind | None = None
    status: Status | None = None
    requester: Short | None = None
    department: Short | None = None
    description: Line | None = None
    hypothesis: Line | None = Field(default=None, description="Why it is asked for.")
    smallest_bet: Line | None = Field(default=None, description="What would prove it.")
    urgency: Urgency | None = None
    urgency_reason: Line | None = Field(default=None, description="Needed unless normal.")
    ready: dict[str, bool] | None = Field(
        default=None,
        max_length=len(READY_CHECKS),
        description="The definition of ready: " + ", ".join(READY_CHECKS) + ".",
    )
    requires: list[ItemRef] | None = Field(
        default=None, max_length=100, description="Items it depends on."
    )
    alternative_group: Annotated[str, Field(max_length=48)] | None = Field(
        default=None, description="Items in one group are alternatives: at most one is planned."
    )
    mandatory: bool | None = None
    pinned_quarter: Quarter | None = None
    value: Amount | None = Field(default=None, description="In the workspace's value unit.")
    success: Amount | None = Field(default=None, description="Probability of success, 0 to 1.")
    scores: BoundedObject | None = Field(
        default=None,
        description="Per prioritisation method, its inputs: five-criteria (serves, "
        "departmental, resources, viability, risk, departments), rice (reach, impact, "
        "confidence, effort), wsjf (business_value, time_criticality, risk_reduction, "
        "job_size), weighted (one per custom criterion).",
    )
    effort: dict[str, Amount] | None = Field(
        default=None, max_length=100, description="Person-weeks per team key."
    )
    outcome_key: Annotated[str, Field(max_length=48)] | None = Field(
        default=None, description="The roadmap outcome it serves; empty: none."
    )
    primary_metric: MetricKey | None = None
    guardrail_metric: MetricKey | None = None

    def values(self) -> dict[str, Any]:
        """The fields given, as the service takes them."""
        given = self.model_dump(mode="json", exclude_unset=True, exclude={"version"})
        return {name: value for name, value in given.items() if value is not None}


class ItemIn(_ItemFields):
    """A new request; what is left out takes its default (a proposed, normal product bet)."""

    title: str = Field(min_length=1, max_length=200)


class ItemPatch(_ItemFields):
    """What is left out keeps its value."""

    version: Version
    title: Annotated[str, Field(min_length=1, max_length=200)] | None = None


class CheckpointOut(BaseModel):
    title: str
    done: bool
    note: str
    link: str
    by: str
    at: datetime | None


class IntakeItemOut(BaseModel):
    key: str
    number: int
    title: str
    kind: Kind
    status: Status
    requester: str
    department: str
    description: str
    hypothesis: str
    smallest_bet: str
    urgency: Urgency
    urgency_reason: str
    ready: dict[str, bool] = Field(description="Every check of the definition of ready.")
    is_ready: bool = Field(description="Every check answered yes.")
    requires: list[str]
    alternative_group: str
    mandatory: bool
    pinned_quarter: str
    value: Decimal
    success: Decimal
    scores: dict[str, Any]
    effort: dict[str, float] = Field(description="Person-weeks per team.")
    outcome_key: str
    primary_metric: str
    guardrail_metric: str
    checkpoints: dict[str, CheckpointOut] = Field(description="Every evidence checkpoint.")
    cost_benefit: FiguresOut | None
    planned_quarter: str = Field(description="Its quarter in the accepted plan; empty: none.")
    created_by: str
    created_at: datetime
    updated_at: datetime
    version: int

    @classmethod
    def fields_of(cls, item: IntakeItem) -> dict[str, Any]:
        checkpoints = {}
        for key, title in CHECKPOINTS.items():
            entry = item.checkpoints.get(key, {})
            at = entry.get("at")
            checkpoints[key] = CheckpointOut(
                title=title,
                done=bool(entry.get("done", False)),
                note=entry.get("note", ""),
                link=entry.get("link", ""),
                by=entry.get("by", ""),
                at=None if at is None else datetime.fromisoformat(at),
            )
        return {
            "key": item.key,
            "number": item.number,
            "title": item.title,
            "kind": Kind(item.kind),
            "status": Status(item.status),
            "requester": item.requester,
            "department": item.department,
            "description": item.description,
            "hypothesis": item.hypothesis,
            "smallest_bet": item.smallest_bet,
            "urgency": Urgency(item.urgency),
            "urgency_reason": item.urgency_reason,
            "ready": {check: bool(item.ready.get(check)) for check in READY_CHECKS},
            "is_ready": is_ready(item),
            "requires": [item_key(n) for n in item.requires],
            "alternative_group": item.alternative_group,
            "mandatory": item.mandatory,
            "pinned_quarter": item.pinned_quarter,
            "value": item.value,
            "success": item.success,
            "scores": item.scores,
            "effort": {team: weeks(w) for team, w in item.effort.items()},
            "outcome_key": item.outcome_key,
            "primary_metric": item.primary_metric,
            "guardrail_metric": item.guardrail_metric,
            "checkpoints": checkpoints,
            "cost_benefit": figures_of(item.cost_benefit),
            "planned_quarter": item.planned_quarter,
            "created_by": item.created_by,
            "created_at": item.created_at,
            "updated_at": item.updated_at,
            "version": item.version,
        }

    @classmethod
    def of(cls, item: IntakeItem) -> IntakeItemOut:
        return cls.model_validate(cls.fields_of(item))


# -- where an item stands in the ranking ---------------------------------------------------


class ListedItemOut(IntakeItemOut):
    ranking: Standing


class ItemListOut(BaseModel):
    method: Method = Field(description="The method the ranking columns come from.")
    items: list[ListedItemOut]


# -- checkpoints and one item in full -------------------------------------------------------


class CheckpointIn(_Strict):
    version: Version
    done: bool
    note: str = Field(default="", max_length=2_000)
    link: str = Field(default="", max_length=500, description="An http(s) link to the evidence.")


class ItemDetailOut(IntakeItemOut):
    ranking: Standing = Field(description="Where it stands under the workspace's method.")
    explanation: list[str] = Field(description="Why it holds its place, line by line.")
    appraisal: AppraisalOut | None = Field(description="Null without cost-benefit figures.")


class CostBenefitOut(BaseModel):
    item: IntakeItemOut
    appraisal: AppraisalOut
