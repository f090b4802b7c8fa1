"""The evidence forms of an intake item: one evidence checkpoint, and the cost-benefit case
(costs and benefits per period, the discount rate, the factors of the pessimistic and
optimistic cases), each read with every problem the form alone reveals named at once."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from quarterdeck.domain.errors import InvalidInput
from quarterdeck.domain.portfolio import IntakeItem
from quarterdeck.services.intake import CHECKPOINTS
from quarterdeck.web.ui.intake_forms import amount, choice

__all__ = [
    "PERIODS",
    "CheckpointForm",
    "CostBenefitForm",
    "checkpoint_from_form",
    "cost_benefit_from_form",
    "cost_benefit_values",
]

PERIODS = ("month", "quarter", "year")
_SERIES_LIMIT = 4_000  # characters of a list of amounts


@dataclass(frozen=True, slots=True)
class CheckpointForm:
    checkpoint: str
    done: bool
    note: str
    link: str


def checkpoint_from_form(fields: Mapping[str, str]) -> CheckpointForm:
    """Which checkpoint, done or not, a note and a link (the service checks them)."""
    checkpoint = fields.get("checkpoint", "")
    if checkpoint not in CHECKPOINTS:
        raise InvalidInput(f"checkpoint {checkpoint[:40]!r} is not one of {', '.join(CHECKPOINTS)}")
    return CheckpointForm(
        checkpoint=checkpoint,
        done=fields.get("done") == "yes",
        note=fields.get("note", "")[:2_001],
        link=fields.get("link", "")[:501],
    )


@dataclass(frozen=True, slots=True)
class CostBenefitForm:
    period: str
    discount_rate: str
    costs: str
    benefits: str
    pessimistic: tuple[str, str] | None
    optimistic: tuple[str, str] | None


def _factors(fields: Mapping[str, str], case: str, problems: list[str]) -> tuple[str, str] | None:
    typed = [
        amount(fields.get(f"{case}_{part}", ""), f"{case} {part} factor", problems)
        for part in ("benefits", "costs")
    ]
    filled = [fields.get(f"{case}_{part}", "").strip() for part in ("benefits", "costs")]
    if not any(filled):
        return None
    if not all(filled):
        problems.append(f"give both {case} factors (benefits and costs) or neither")
        return None
    benefits, costs = typed
    return None if benefits is None or costs is None else (benefits, costs)


def cost_benefit_from_form(fields: Mapping[str, str]) -> CostBenefitForm:
    """Period, yearly discount rate in percent, costs and benefits per period (separated by
    commas or spaces) and the optional factors of the two other cases; InvalidInput naming
    every field at fault (the service checks the amounts themselves)."""
    problems: list[str] = []
    period = choice(fields, "period", PERIODS, problems)
    rate = amount(fields.get("discount_rate", ""), "discount rate", problems, high=Decimal(99))
    if rate is None and not fields.get("discount_rate", "").strip():
        problems.append("discount rate is required (a yearly percentage, 0 for none)")
    series = {}
    for name in ("costs", "benefits"):
        text = fields.get(name, "").strip()
        if not text:
            problems.append(f"{name} are required: one amount per {period or 'period'}")
        elif len(text) > _SERIES_LIMIT:
            problems.append(f"{name} are limited to {_SERIES_LIMIT:,} characters")
        series[name] = text
    pessimistic = _factors(fields, "pessimistic", problems)
    optimistic = _factors(fields, "optimistic", problems)
    if problems or rate is None:
        raise InvalidInput("; ".join(problems))
    return CostBenefitForm(
        period, rate, series["costs"], series["benefits"], pessimistic, optimistic
    )


def cost_benefit_values(item: IntakeItem) -> dict[str, str]:
    """The stored case as the cost-benefit form's fields; a quarter at 8 % for a new one."""
    data = item.cost_benefit
    if data is None:
        return {"period": "quarter", "discount_rate": "8"}
    rate = Decimal(data["discount_rate"]) * 100
    values = {
        "period": data["period"],
        "discount_rate": format(rate.normalize(), "f"),
        "costs": ", ".join(data["costs"]),
        "benefits": ", ".join(data["benefits"]),
    }
    for case in ("pessimistic", "optimistic"):
        if case in data:
            values[f"{case}_benefits"] = data[case]["benefits"]
            values[f"{case}_costs"] = data[case]["costs"]
    return values
