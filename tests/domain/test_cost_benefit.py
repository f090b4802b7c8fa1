"""Cost-benefit analysis of an initiative: NPV, ROI and payback in three cases, against
figures worked out by hand."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Any

import pytest

from quarterdeck.domain.cost_benefit import (
    CostBenefitCase,
    Flows,
    Period,
    Scenario,
    Spread,
    appraise,
)
from quarterdeck.domain.errors import InvalidInput

D = Decimal

# A platform investment over four years at 10 %: 1000 up front, 100 a year to run, 600 a
# year saved from the second year on.
PLATFORM = CostBenefitCase(
    initiative="Self-service provisioning",
    period=Period.YEAR,
    discount_rate=D("0.10"),
    expected=Flows(costs=(1000, 100, 100, 100), benefits=(0, 600, 600, 600)),
)
# Discount factors 1, 1.1, 1.21, 1.331; the sum of 1/factor over years 2-4 is
#   0.9090909 + 0.8264463 + 0.7513148 = 2.4868520.


def test_expected_case_npv_roi_and_payback() -> None:
    expected = appraise(PLATFORM).expected
    # Present costs: 1000 + 100 x 2.4868520 = 1248.68520 -> 1248.69
    # Present benefits: 600 x 2.4868520 = 1492.11119 -> 1492.11
    # NPV: -1000 + 500 x 2.4868520 = 243.42600 -> 243.43
    # ROI: 243.42600 / 1248.68520 x 100 = 19.4946 -> 19.49 %
    assert (expected.present_costs, expected.present_benefits) == (D("1248.69"), D("1492.11"))
    assert expected.npv == D("243.43")
    assert expected.roi == D("19.49")
    # Cumulative net: -1000, -500, 0, 500 -> behind after two years, the third brings the
    # missing 500 with a net of 500: 2 + 500/500 = 3 years.
    assert expected.payback == D("3.00")
    # Discounted net: -1000, 454.545, 413.223, 375.657; cumulative after year 3: -132.231;
    # 3 + 132.231 / 375.657 = 3.352 -> 3.35 years.
    assert expected.discounted_payback == D("3.35")
    assert expected.pays_back


def test_default_factors_make_the_pessimistic_and_optimistic_cases() -> None:
    appraisal = appraise(PLATFORM)
    pessimistic, optimistic = appraisal.pessimistic, appraisal.optimistic
    # Pessimistic: benefits x 0.75 = 450, costs x 1.25 = 1250 then 125:
    #   NPV = -1250 + (450 - 125) x 2.4868520 = -441.77; cumulative -1250, -925, -600, -275.
    assert pessimistic.costs == (D(1250), D(125), D(125), D(125))
    assert pessimistic.npv == D("-441.77")
    assert pessimistic.payback is None
    assert not pessimistic.pays_back
    # Optimistic: benefits x 1.10 = 660, costs x 0.95 = 950 then 95:
    #   NPV = -950 + (660 - 95) x 2.4868520 = 455.07.
    assert optimistic.npv == D("455.07")
    assert pessimistic.made_from == "expected benefits x 0.75, costs x 1.25"


def test_the_pessimistic_case_is_shown_first_beside_the_expected_one() -> None:
    appraisal = appraise(PLATFORM)
    shown = appraisal.shown_by_default()
    assert [o.scenario for o in shown] == [Scenario.PESSIMISTIC, Scenario.EXPECTED]
    assert appraisal.outcome(Scenario.OPTIMISTIC) is appraisal.optimistic
    assert appraisal.caution() == (
        "Self-service provisioning loses money in the pessimistic case (NPV -441.77); "
        "it pays only if the expected case holds."
    )
    assert appraisal.notes()[0] == (
        "Discounted at 10 % a year, compounded per year; the first year is today and is not "
        "discounted."
    )


def test_no_caution_when_even_the_pessimistic_case_pays() -> None:
    cheap = replace(PLATFORM, expected=Flows(costs=(100, 0), benefits=(0, 1000)))
    assert appraise(cheap).caution() is None
    losing = replace(PLATFORM, expected=Flows(costs=(1000, 0), benefits=(0, 100)))
    assert (
        appraise(losing).caution()
        == "Self-service provisioning loses money even in the expected case."
    )


def test_a_zero_rate_gives_the_plain_roi() -> None:
    case = replace(PLATFORM, discount_rate=D(0), expected=Flows((100, 0), (50, 100)))
    expected = appraise(case).expected
    # Net 50 on 100 spent: ROI 50 %; cumulative -50, 50 -> 1 + 50/100 = 1.5 periods.
    assert (expected.npv, expected.roi, expected.payback) == (D("50.00"), D("50.00"), D("1.50"))


def test_quarters_are_discounted_at_the_compound_quarterly_rate() -> None:
    # 1.05 ** 4 = 1.21550625, so a yearly 21.550625 % is 5 % a quarter.
    case = CostBenefitCase(
        initiative="Checkout rewrite",
        period=Period.QUARTER,
        discount_rate=D("0.21550625"),
        expected=Flows(costs=(1000, 0, 0), benefits=(0, 630, 441)),
    )
    expected = appraise(case).expected
    # -1000 + 630 / 1.05 + 441 / 1.1025 = -1000 + 600 + 400 = 0.
    assert (expected.npv, expected.roi) == (D("0.00"), D("0.00"))
    # Undiscounted cumulative: -1000, -370, 71 -> 2 + 370/441 = 2.839 -> 2.84 quarters.
    assert expected.payback == D("2.84")
    # Discounted cumulative: -1000, -400, 0 -> 2 + 400/400 = 3 quarters.
    assert expected.discounted_payback == D("3.00")


def test_payback_waits_for_the_cumulative_flow_to_stay_above_zero() -> None:
    # Net -100, 150, -100, 100: even after year 2, behind again after year 3 (-50);
    # 3 + 50/100 = 3.5, not 1.67.
    case = replace(PLATFORM, discount_rate=D(0), expected=Flows((100, 0, 100, 0), (0, 150, 0, 100)))
    assert appraise(case).expected.payback == D("3.50")


def test_never_behind_pays_back_at_once_and_no_spend_has_no_roi() -> None:
    case = replace(PLATFORM, expected=Flows((0, 0), (10, 10)))
    expected = appraise(case).expected
    assert (expected.payback, expected.roi) == (D(0), None)


def test_figures_are_rounded_half_up() -> None:
    case = replace(PLATFORM, discount_rate=D(0), expected=Flows((0,), (D("0.005"),)))
    assert appraise(case).expected.npv == D("0.01")  # half-even would give 0.00


def test_separate_series_for_each_case() -> None:
    case = replace(
        PLATFORM,
        pessimistic=Flows(costs=(1200, 150, 150, 150, 150), benefits=(0, 300, 500, 600, 600)),
        optimistic=Spread(benefits=D("1.5"), costs=D(1)),
    )
    appraisal = appraise(case)
    assert appraisal.pessimistic.made_from == "its own series"
    assert len(appraisal.pessimistic.costs) == 5  # the pessimistic case may run longer
    # Optimistic: -1000 + (900 - 100) x 2.4868520 = 989.48
    assert appraisal.optimistic.npv == D("989.48")


def case_with(**overrides: Any) -> Any:
    return lambda: appraise(replace(PLATFORM, **overrides))


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (case_with(initiative="  "), "needs the initiative's name"),
        (case_with(discount_rate=D(8)), "the discount rate is 8; give a yearly fraction"),
        (case_with(discount_rate=D("-0.01")), "the discount rate is -0.01"),
        (case_with(discount_rate=0.08), "discount rate must be a whole number or a decimal"),
        (
            case_with(expected=Flows((100, -5), (0, 50))),
            "'Self-service provisioning': expected costs, period 2: -5 is negative",
        ),
        (
            case_with(expected=Flows((100, D("Infinity")), (0, 50))),
            "expected costs, period 2 must be a finite number",
        ),
        (
            case_with(expected=Flows((100, 10.5), (0, 50))),
            "expected costs, period 2 must be a whole number or a decimal",
        ),
        (
            case_with(expected=Flows((100, 0, 0), (0, 50))),
            "3 periods of costs but 2 of benefits",
        ),
        (case_with(expected=Flows((), ())), "at least one period"),
        (
            case_with(pessimistic=Spread(benefits=D("1.1"), costs=D(1))),
            "the pessimistic case must be no better than the expected one",
        ),
        (
            case_with(optimistic=Spread(benefits=D(1), costs=D("1.2"))),
            "the optimistic case must be no worse than the expected one",
        ),
        (
            case_with(pessimistic=Spread(benefits=D(-1), costs=D(2))),
            "pessimistic factors must not be negative",
        ),
        (
            case_with(pessimistic=Flows((0, 0, 0, 0), (0, 600, 600, 600))),
            "the pessimistic case has a higher NPV than the expected one",
        ),
        (
            case_with(optimistic=Flows((5000,), (0,))),
            "the optimistic case has a lower NPV than the expected one",
        ),
        (case_with(period="fortnight"), "period must be one of month, quarter, year"),
    ],
)
def test_bad_input_is_refused_naming_the_initiative_and_the_field(build: Any, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        build()
