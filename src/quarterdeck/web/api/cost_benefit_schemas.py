"""Bodies of an initiative's cost-benefit figures and their appraisal: NPV, ROI and payback
in a pessimistic, an expected and an optimistic case. Money travels as strings holding
decimals."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from quarterdeck.domain.cost_benefit import Appraisal, Outcome, Period, Scenario
from quarterdeck.web.api.portfolio_schemas import Amount, Version

__all__ = ["AppraisalOut", "CostBenefitIn", "FiguresOut", "figures_of"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _percent(fraction: Decimal) -> Decimal:
    """A yearly rate stored as a fraction (0.08), as the percent people give (8)."""
    return Decimal(format((fraction * 100).normalize(), "f"))


class FiguresOut(BaseModel):
    period: Period
    discount_rate: Decimal = Field(description="Yearly percent.")
    costs: list[Decimal]
    benefits: list[Decimal]
    pessimistic: dict[str, Decimal] | None = Field(description="Benefit and cost factors.")
    optimistic: dict[str, Decimal] | None


def figures_of(stored: Mapping[str, Any] | None) -> FiguresOut | None:
    """The figures an item keeps, as they were given; None when it has none."""
    if stored is None:
        return None
    return FiguresOut(
        period=Period(stored["period"]),
        discount_rate=_percent(Decimal(stored["discount_rate"])),
        costs=[Decimal(c) for c in stored["costs"]],
        benefits=[Decimal(b) for b in stored["benefits"]],
        pessimistic=stored.get("pessimistic"),
        optimistic=stored.get("optimistic"),
    )


class FactorsIn(_Strict):
    benefits: Amount = Field(description="Every expected benefit times this.")
    costs: Amount = Field(description="Every expected cost times this.")


Series = Annotated[list[Amount], Field(min_length=1, max_length=120)]


class CostBenefitIn(_Strict):
    version: Version
    period: Period
    discount_rate: Amount = Field(description="Yearly percent: 8 for 8 %.")
    costs: Series = Field(description="One amount per period, first period first.")
    benefits: Series
    pessimistic: FactorsIn | None = Field(
        default=None, description="Default: benefits x 0.75, costs x 1.25."
    )
    optimistic: FactorsIn | None = Field(
        default=None, description="Default: benefits x 1.10, costs x 0.95."
    )


class CaseOut(BaseModel):
    scenario: Scenario
    made_from: str
    costs: list[Decimal]
    benefits: list[Decimal]
    present_costs: Decimal
    present_benefits: Decimal
    npv: Decimal
    roi: Decimal | None = Field(description="Percent; null when nothing is spent.")
    payback: Decimal | None = Field(description="Periods; null when it does not pay back.")
    discounted_payback: Decimal | None

    @classmethod
    def of(cls, o: Outcome) -> CaseOut:
        return cls.model_validate(
            {
                **{name: getattr(o, name) for name in cls.model_fields},
                "costs": list(o.costs),
                "benefits": list(o.benefits),
            }
        )


class AppraisalOut(BaseModel):
    period: Period
    discount_rate: Decimal = Field(description="Yearly percent.")
    pessimistic: CaseOut
    expected: CaseOut
    optimistic: CaseOut
    shown_by_default: list[Scenario] = Field(description="The cases to show first.")
    caution: str | None
    notes: list[str] = Field(description="The rules behind the figures.")

    @classmethod
    def of(cls, a: Appraisal) -> AppraisalOut:
        return cls(
            period=a.period,
            discount_rate=_percent(a.discount_rate),
            pessimistic=CaseOut.of(a.pessimistic),
            expected=CaseOut.of(a.expected),
            optimistic=CaseOut.of(a.optimistic),
            shown_by_default=[o.scenario for o in a.shown_by_default()],
            caution=a.caution(),
            notes=list(a.notes()),
        )
