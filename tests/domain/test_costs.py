"""Cost metrics for one month or a range of months: infrastructure cost per customer and
per transaction, and spend against forecast."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from quarterdeck.domain.costs import (
    cost_per_customer,
    cost_per_transaction,
    forecast_variance,
    measure_costs,
)
from quarterdeck.domain.engineering import CostLine
from quarterdeck.domain.errors import InvalidInput
from quarterdeck.domain.scorecard import COMPUTATIONS

DEC, JAN, FEB, MAR, APR = (
    date(2025, 12, 1),
    date(2026, 1, 1),
    date(2026, 2, 1),
    date(2026, 3, 1),
    date(2026, 4, 1),
)


def line(
    period: date,
    category: str,
    amount: str | int,
    *,
    forecast: str | int | None = None,
    customers: int | None = None,
    transactions: int | None = None,
) -> CostLine:
    return CostLine(
        period,
        category,
        Decimal(amount),
        None if forecast is None else Decimal(forecast),
        customers,
        transactions,
    )


# --- cost per customer ---------------------------------------------------------------


def test_a_months_spend_is_all_its_lines_and_its_customers_the_largest_figure() -> None:
    lines = [
        line(JAN, "compute", 600, customers=200),
        line(JAN, "storage", 300, customers=250),
        line(JAN, "network", 100),  # no figure of its own, but its spend counts
    ]
    result = cost_per_customer(lines, first=JAN)
    assert (result.value, result.count, result.spend, result.divisor) == (
        Decimal(4),
        3,
        Decimal(1000),
        Decimal(250),
    )
    assert (result.months, result.without_figure, result.excluded) == ((JAN,), (), 0)


def test_a_total_line_is_the_months_spend_and_its_figure_wins() -> None:
    breakdown = [
        line(JAN, "compute", 700, customers=200),
        line(JAN, "storage", 300, customers=250),
    ]
    without_figure = cost_per_customer([line(JAN, " Total ", 1000), *breakdown], first=JAN)
    assert (without_figure.value, without_figure.count, without_figure.set_aside) == (
        Decimal(4),  # 1000, not 2000, over the largest figure of the breakdown
        1,
        2,
    )
    with_figure = cost_per_customer(
        [line(JAN, "TOTAL", 1000, customers=400), *breakdown], first=JAN
    )
    assert with_figure.value == Decimal("2.5")


def test_over_a_range_the_spend_is_divided_by_the_mean_customer_count() -> None:
    lines = [
        line(DEC, "compute", 9999, customers=1),  # before the range
        line(JAN, "compute", 1000, customers=100),
        line(FEB, "compute", 1200, customers=100),
        line(MAR, "compute", 600, customers=130),
        line(MAR, "storage", 500, customers=120),
        line(APR, "compute", 9999, customers=1),  # after it
    ]
    result = cost_per_customer(lines, first=JAN, last=MAR)
    # 3300 over the mean of 100, 100 and 130
    assert (result.value, result.spend, result.divisor) == (
        Decimal(30),
        Decimal(3300),
        Decimal(110),
    )
    assert (result.count, result.months) == (4, (JAN, FEB, MAR))


def test_a_month_without_a_customer_figure_is_left_out_spend_and_all() -> None:
    lines = [
        line(JAN, "compute", 1000, customers=100),
        line(FEB, "compute", 700),
        line(FEB, "storage", 500),
        line(MAR, "compute", 600, customers=150),
        line(MAR, "storage", 500, customers=120),
    ]
    result = cost_per_customer(lines, first=JAN, last=MAR)
    # (1000 + 1100) over the mean of 100 and 150
    assert (result.value, result.spend, result.divisor) == (
        Decimal("16.8"),
        Decimal(2100),
        Decimal(125),
    )
    assert (result.months, result.without_figure, result.excluded, result.count) == (
        (JAN, MAR),
        (FEB,),
        2,
        3,
    )
    assert "No customer figure for 2026-02: those months' 2 lines are left out" in " ".join(
        result.notes()
    )


def test_months_of_the_range_without_lines_are_counted() -> None:
    result = cost_per_customer([line(FEB, "compute", 500, customers=50)], first=JAN, last=APR)
    assert (result.value, result.months, result.without_lines) == (Decimal(10), (FEB,), 3)


def test_no_lines_or_no_customers_give_no_value() -> None:
    empty = cost_per_customer([], first=JAN)
    assert (empty.value, empty.count, empty.spend, empty.months, empty.without_lines) == (
        None,
        0,
        Decimal(0),
        (),
        1,
    )
    zero = cost_per_customer([line(JAN, "compute", 100, customers=0)], first=JAN)
    assert (zero.value, zero.count, zero.months) == (None, 1, (JAN,))


# --- cost per transaction ------------------------------------------------------------


def test_transactions_repeated_on_every_line_count_once_per_month() -> None:
    lines = [
        line(JAN, "compute", 600, transactions=40_000),
        line(JAN, "storage", 400, transactions=40_000),
        line(FEB, "compute", 1000, transactions=60_000),
    ]
    assert cost_per_transaction(lines, first=JAN).value == Decimal("0.025")
    quarter = cost_per_transaction(lines, first=JAN, last=MAR)
    # 2000 over 40,000 + 60,000: transactions add up across months
    assert (quarter.value, quarter.divisor, quarter.count) == (Decimal("0.02"), Decimal(100_000), 3)
    assert quarter.per == "transaction"


def test_lines_without_transactions_leave_their_month_out() -> None:
    lines = [
        line(JAN, "compute", 600, customers=10),
        line(FEB, "compute", 900, transactions=3_000),
    ]
    result = cost_per_transaction(lines, first=JAN, last=FEB)
    assert (result.value, result.without_figure, result.excluded) == (Decimal("0.3"), (JAN,), 1)


# --- spend against forecast ----------------------------------------------------------


def test_variance_is_actual_minus_forecast_as_a_percent_of_forecast() -> None:
    lines = [
        line(JAN, "compute", 1100, forecast=1000),
        line(JAN, "storage", 950, forecast=1000),
        line(JAN, "network", 80),  # no forecast: left out
    ]
    result = forecast_variance(lines, first=JAN)
    assert (result.value, result.ratio) == (Decimal("2.5"), Decimal("102.5"))
    assert (result.count, result.actual, result.forecast, result.excluded) == (
        2,
        Decimal(2050),
        Decimal(2000),
        1,
    )


def test_underspend_is_below_zero_and_a_range_sums_before_dividing() -> None:
    lines = [
        line(JAN, "compute", 1100, forecast=1000),
        line(JAN, "storage", 950, forecast=1000),
        line(FEB, "compute", 1800, forecast=2000),
    ]
    assert forecast_variance(lines, first=FEB).value == Decimal(-10)
    result = forecast_variance(lines, first=JAN, last=FEB)
    # 3850 against 4000
    assert (result.value, result.ratio, result.count) == (Decimal("-3.75"), Decimal("96.25"), 3)


def test_a_total_line_with_a_forecast_is_compared_alone() -> None:
    lines = [
        line(MAR, "total", 3000, forecast=2400),
        line(MAR, "compute", 2000, forecast=1500),
        line(MAR, "storage", 1000),
    ]
    result = forecast_variance(lines, first=MAR)
    assert (result.value, result.count, result.set_aside, result.excluded) == (Decimal(25), 1, 2, 0)


def test_without_a_forecast_on_the_total_line_the_breakdown_is_compared() -> None:
    lines = [
        line(APR, "total", 3000),
        line(APR, "compute", 2000, forecast=2500),
    ]
    result = forecast_variance(lines, first=APR)
    assert (result.value, result.count, result.set_aside, result.excluded) == (
        Decimal(-20),
        1,
        0,
        1,
    )


def test_no_forecast_or_a_zero_forecast_gives_no_value() -> None:
    empty = forecast_variance([line(JAN, "compute", 100)], first=JAN)
    assert (empty.value, empty.ratio, empty.count, empty.excluded) == (None, None, 0, 1)
    zero = forecast_variance([line(JAN, "compute", 100, forecast=0)], first=JAN)
    assert (zero.value, zero.ratio, zero.count) == (None, None, 1)


# --- ranges and all together ---------------------------------------------------------


def test_two_total_lines_in_a_month_are_refused() -> None:
    lines = [line(JAN, "Total", 100), line(JAN, "total ", 100)]
    with pytest.raises(InvalidInput, match="2026-01 has 2 total lines"):
        forecast_variance(lines, first=JAN)


@pytest.mark.parametrize(
    ("first", "last", "message"),
    [
        (date(2026, 1, 15), None, "first month must be given as its first day"),
        (JAN, date(2026, 3, 31), "last month must be given as its first day"),
        (MAR, JAN, "before the first"),
    ],
)
def test_a_bad_range_is_refused(first: date, last: date | None, message: str) -> None:
    for compute in (cost_per_customer, cost_per_transaction, forecast_variance, measure_costs):
        with pytest.raises(InvalidInput, match=message):
            compute([], first=first, last=last)


def test_measure_gives_every_cost_computation_of_the_catalog() -> None:
    lines = [line(JAN, "compute", 1000, forecast=800, customers=50, transactions=4000)]
    metrics = measure_costs(iter(lines), first=JAN)
    figures = metrics.by_computation()
    assert set(figures) == {name for name in COMPUTATIONS if name.startswith("costs.")}
    assert [figures[name].value for name in sorted(figures)] == [
        Decimal(20),
        Decimal("0.25"),
        Decimal(25),
    ]
    assert all(figure.notes() for figure in figures.values())
