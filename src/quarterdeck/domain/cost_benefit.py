"""Cost-benefit analysis of one initiative (DOMAIN.md section 5): net present value, return on
investment and payback, each for a pessimistic, an expected and an optimistic case. Every
choice the figures depend on:

- Money is Decimal in the workspace's currency (the amounts carry none); inputs are int or
  Decimal, floats are refused. Costs and benefits are amounts of zero or more per period, in
  order: costs are what is spent (build, licences, run), benefits what is gained or saved
  (operational savings count as benefits). Within one case both series have one value per
  period; cases may differ in length (the pessimistic one may take longer).
- Periods are months, quarters or years. The discount rate is yearly, as a fraction (0.08
  for 8 %), 0 <= rate < 1; a rate of 1 or more is refused as a likely percent. Period t
  (counting from 0) is discounted by (1 + rate) ** (t / periods per year): the first period
  is today and is not discounted, the usual place of an up-front outlay, and a quarter is
  discounted by the compound quarterly rate, not by a quarter of the yearly one.
- NPV = sum over periods of (benefit - cost) / discount factor.
- ROI, in percent = NPV / present value of the costs x 100: the net gain per unit spent, both
  in today's money (with a rate of 0 it is the plain ROI); None when nothing is spent.
- Payback, in periods from the start: when the cumulative net flow turns zero or positive and
  stays so to the end of the horizon (a later dip moves it). Within the period where it
  turns, flows are taken as spread evenly: payback = whole periods before it + what was still
  owed / that period's net flow. None when it does not pay back within the horizon; 0 when
  the cumulative flow is never below zero. The discounted payback does the same on the
  discounted flows.
- Cases: each is its own series when given, or else the expected series scaled by factors,
  by default pessimistic benefits x 0.75 and costs x 1.25, optimistic benefits x 1.10 and
  costs x 0.95: wider on the downside, as estimates err towards optimism. A pessimistic
  factor may not improve on the expected case nor an optimistic one worsen it, and a
  pessimistic series with a higher NPV than expected (or an optimistic one with a lower) is
  refused as mislabelled.
- Arithmetic runs at 28 significant digits and is rounded once, at the end, half up: money
  and NPV to 0.01, ROI to 0.01 percent, payback to 0.01 period.
- Shown by default: the pessimistic case next to the expected one (`Appraisal.shown_by_
  default`); over-optimistic forecasts are a common way for initiatives to fail, so the
  optimistic case is available but never leads.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal, localcontext
from enum import StrEnum
from itertools import accumulate

from quarterdeck.domain.errors import InvalidInput

__all__ = [
    "DEFAULT_OPTIMISTIC",
    "DEFAULT_PESSIMISTIC",
    "Appraisal",
    "CostBenefitCase",
    "Flows",
    "Outcome",
    "Period",
    "Scenario",
    "Spread",
    "appraise",
]

CENT = Decimal("0.01")
HUNDRED = Decimal(100)
PRECISION = 28


class Period(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"

    @property
    def per_year(self) -> int:
        return {Period.MONTH: 12, Period.QUARTER: 4, Period.YEAR: 1}[self]


class Scenario(StrEnum):
    PESSIMISTIC = "pessimistic"
    EXPECTED = "expected"
    OPTIMISTIC = "optimistic"


@dataclass(frozen=True, slots=True)
class Flows:
    """Costs and benefits per period, first period first, the same number of each."""

    costs: tuple[Decimal | int, ...]
    benefits: tuple[Decimal | int, ...]


@dataclass(frozen=True, slots=True)
class Spread:
    """A case made from the expected one: every benefit and every cost times its factor."""

    benefits: Decimal
    costs: Decimal


DEFAULT_PESSIMISTIC = Spread(benefits=Decimal("0.75"), costs=Decimal("1.25"))
DEFAULT_OPTIMISTIC = Spread(benefits=Decimal("1.10"), costs=Decimal("0.95"))


@dataclass(frozen=True, slots=True)
class CostBenefitCase:
    initiative: str
    period: Period
    discount_rate: Decimal  # yearly, as a fraction: 0.08 is 8 %
    expected: Flows
    pessimistic: Flows | Spread = DEFAULT_PESSIMISTIC
    optimistic: Flows | Spread = DEFAULT_OPTIMISTIC


@dataclass(frozen=True, slots=True)
class Outcome:
    """One case's figures; the series are as used (scaled, unrounded), the figures rounded."""

    scenario: Scenario
    made_from: str  # "its own series" or the factors applied to the expected case
    costs: tuple[Decimal, ...]
    benefits: tuple[Decimal, ...]
    present_costs: Decimal
    present_benefits: Decimal
    npv: Decimal
    roi: Decimal | None  # percent; None when nothing is spent
    payback: Decimal | None  # periods; None when it does not pay back within the horizon
    discounted_payback: Decimal | None

    @property
    def pays_back(self) -> bool:
        return self.payback is not None


@dataclass(frozen=True, slots=True)
class Appraisal:
    initiative: str
    period: Period
    discount_rate: Decimal
    pessimistic: Outcome
    expected: Outcome
    optimistic: Outcome

    def outcome(self, scenario: Scenario) -> Outcome:
        return {
            Scenario.PESSIMISTIC: self.pessimistic,
            Scenario.EXPECTED: self.expected,
            Scenario.OPTIMISTIC: self.optimistic,
        }[scenario]

    def shown_by_default(self) -> tuple[Outcome, Outcome]:
        """The cases a page or report shows first: pessimistic, then expected beside it."""
        return (self.pessimistic, self.expected)

    def caution(self) -> str | None:
        """A warning when the initiative pays only if things go as expected, else None."""
        if self.pessimistic.npv < 0 <= self.expected.npv:
            return (
                f"{self.initiative} loses money in the pessimistic case (NPV "
                f"{self.pessimistic.npv}); it pays only if the expected case holds."
            )
        if self.expected.npv < 0:
            return f"{self.initiative} loses money even in the expected case."
        return None

    def notes(self) -> tuple[str, ...]:
        """The rules behind the figures, for a page or report to print under them."""
        rate = (self.discount_rate * HUNDRED).normalize()
        return (
            f"Discounted at {rate:f} % a year, compounded per {self.period.value}; the first "
            f"{self.period.value} is today and is not discounted.",
            "ROI is NPV over the present value of the costs.",
            f"Payback counts {self.period.value}s from the start, spreading each "
            f"{self.period.value}'s flow evenly; it is none when the initiative does not pay "
            "back within the horizon.",
            f"Pessimistic case: {self.pessimistic.made_from}; optimistic case: "
            f"{self.optimistic.made_from}.",
            "Figures rounded half up to two decimals.",
        )


def _money(value: object, where: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise InvalidInput(f"{where} must be a whole number or a decimal: {value!r}")
    amount = Decimal(value)
    if not amount.is_finite():
        raise InvalidInput(f"{where} must be a finite number, not {value}")
    return amount


def _series(values: Sequence[object], where: str) -> tuple[Decimal, ...]:
    amounts = []
    for n, value in enumerate(values, start=1):
        amount = _money(value, f"{where}, period {n}")
        if amount < 0:
            raise InvalidInput(f"{where}, period {n}: {amount} is negative; give amounts >= 0")
        amounts.append(amount)
    return tuple(amounts)


def _flows(flows: Flows, where: str) -> tuple[tuple[Decimal, ...], tuple[Decimal, ...]]:
    costs = _series(flows.costs, f"{where} costs")
    benefits = _series(flows.benefits, f"{where} benefits")
    if not costs:
        raise InvalidInput(f"{where}: give costs and benefits for at least one period")
    if len(costs) != len(benefits):
        raise InvalidInput(
            f"{where}: {len(costs)} periods of costs but {len(benefits)} of benefits; "
            "give both for every period (0 where there is none)"
        )
    return costs, benefits


def _spread(spread: Spread, scenario: Scenario, where: str) -> Spread:
    benefits = _money(spread.benefits, f"{where}: {scenario.value} benefit factor")
    costs = _money(spread.costs, f"{where}: {scenario.value} cost factor")
    if benefits < 0 or costs < 0:
        raise InvalidInput(f"{where}: {scenario.value} factors must not be negative")
    pessimistic = scenario is Scenario.PESSIMISTIC
    if (benefits > 1 or costs < 1) if pessimistic else (benefits < 1 or costs > 1):
        side = "no better" if pessimistic else "no worse"
        raise InvalidInput(
            f"{where}: the {scenario.value} case must be {side} than the expected one: "
            f"benefits x {benefits}, costs x {costs}"
        )
    return Spread(benefits, costs)


def _payback(net: Sequence[Decimal]) -> Decimal | None:
    cumulative = list(accumulate(net))
    if cumulative[-1] < 0:
        return None
    behind = [n for n, total in enumerate(cumulative) if total < 0]
    if not behind:
        return Decimal(0)
    last = behind[-1]
    # The next period's net flow is positive: it takes the cumulative from below 0 to >= 0.
    return Decimal(last + 1) + (-cumulative[last]) / net[last + 1]


def _round(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(CENT, rounding=ROUND_HALF_UP)


def _outcome(
    scenario: Scenario,
    made_from: str,
    costs: tuple[Decimal, ...],
    benefits: tuple[Decimal, ...],
    rate: Decimal,
    period: Period,
) -> tuple[Outcome, Decimal]:
    factors = [(1 + rate) ** (Decimal(t) / Decimal(period.per_year)) for t in range(len(costs))]
    present_costs = sum((c / f for c, f in zip(costs, factors, strict=True)), Decimal(0))
    present_benefits = sum((b / f for b, f in zip(benefits, factors, strict=True)), Decimal(0))
    npv = present_benefits - present_costs
    net = [b - c for b, c in zip(benefits, costs, strict=True)]
    discounted = [n / f for n, f in zip(net, factors, strict=True)]
    roi = None if present_costs == 0 else npv / present_costs * HUNDRED
    outcome = Outcome(
        scenario=scenario,
        made_from=made_from,
        costs=costs,
        benefits=benefits,
        present_costs=present_costs.quantize(CENT, rounding=ROUND_HALF_UP),
        present_benefits=present_benefits.quantize(CENT, rounding=ROUND_HALF_UP),
        npv=npv.quantize(CENT, rounding=ROUND_HALF_UP),
        roi=_round(roi),
        payback=_round(_payback(net)),
        discounted_payback=_round(_payback(discounted)),
    )
    return outcome, npv


def appraise(case: CostBenefitCase) -> Appraisal:
    """NPV, ROI and payback of the initiative in its pessimistic, expected and optimistic
    cases. Raises InvalidInput, naming the initiative and the field, for a blank name, a rate
    outside 0..1, negative or non-numeric amounts, series of unequal length or none at all,
    factors that flip a case's side, and cases labelled the wrong way round."""
    name = case.initiative.strip()
    if not name:
        raise InvalidInput("a cost-benefit analysis needs the initiative's name")
    where = f"initiative {name!r}"
    if not isinstance(case.period, Period):
        raise InvalidInput(f"{where}: period must be one of {', '.join(p.value for p in Period)}")
    rate = _money(case.discount_rate, f"{where}: discount rate")
    if not 0 <= rate < 1:
        raise InvalidInput(
            f"{where}: the discount rate is {rate}; give a yearly fraction from 0 up to, but "
            "not including, 1 (8 % is 0.08)"
        )
    with localcontext(Context(prec=PRECISION)):
        costs, benefits = _flows(case.expected, f"{where}: expected")
        cases: dict[Scenario, tuple[Outcome, Decimal]] = {}
        cases[Scenario.EXPECTED] = _outcome(
            Scenario.EXPECTED, "its own series", costs, benefits, rate, case.period
        )
        for scenario, given in (
            (Scenario.PESSIMISTIC, case.pessimistic),
            (Scenario.OPTIMISTIC, case.optimistic),
        ):
            if isinstance(given, Flows):
                own = _flows(given, f"{where}: {scenario.value}")
                cases[scenario] = _outcome(scenario, "its own series", *own, rate, case.period)
                continue
            spread = _spread(given, scenario, where)
            made_from = f"expected benefits x {spread.benefits}, costs x {spread.costs}"
            scaled_costs = tuple(c * spread.costs for c in costs)
            scaled_benefits = tuple(b * spread.benefits for b in benefits)
            cases[scenario] = _outcome(
                scenario, made_from, scaled_costs, scaled_benefits, rate, case.period
            )
    expected_npv = cases[Scenario.EXPECTED][1]
    if cases[Scenario.PESSIMISTIC][1] > expected_npv:
        raise InvalidInput(f"{where}: the pessimistic case has a higher NPV than the expected one")
    if cases[Scenario.OPTIMISTIC][1] < expected_npv:
        raise InvalidInput(f"{where}: the optimistic case has a lower NPV than the expected one")
    return Appraisal(
        initiative=name,
        period=case.period,
        discount_rate=rate,
        pessimistic=cases[Scenario.PESSIMISTIC][0],
        expected=cases[Scenario.EXPECTED][0],
        optimistic=cases[Scenario.OPTIMISTIC][0],
    )
