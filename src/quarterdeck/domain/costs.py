"""Cost and efficiency metrics (DOMAIN.md section 3) from monthly cost lines: infrastructure
cost per customer and per transaction, and spend against forecast, for one month or a
range of months (both ends included).

Values are Decimals in the catalog's unit (currency: the workspace's, as the amounts carry
none; percent), None when nothing is there to compute from. The rules (every result's
`notes()` prints the ones behind its figure):

- A line belongs to the month of its period; lines outside the range are ignored.
- A month's spend is the amount of its line with the category "total" (ignoring case and
  surrounding spaces) when it has one: the other lines are then its breakdown, and adding
  them would count the spend twice. Otherwise it is the sum of the month's lines. Two
  total lines in one month are refused.
- Customers and transactions are figures of the month, not of a line (exports repeat them
  on every line): the total line's when it carries one, else the largest any of the
  month's lines carries (a line's figure may cover only its own service's users; the
  business has at least the most of them). A month without the figure is left out, its
  spend too, and its lines are counted as excluded.
- Cost per customer: the counted months' spend divided by their mean customer count
  (customers are a head count in each month, not a flow), so for one month it is spend /
  customers and for a quarter the quarter's spend per customer. Cost per transaction: the
  counted months' spend divided by the sum of their transactions. A divisor of zero gives
  no value.
- Spend against forecast (the catalog's cloud-spend-variance: a target band around zero):
  (actual - forecast) / forecast * 100, both summed over the lines that have a forecast;
  below zero is underspend. `ratio` gives actual / forecast * 100 (100 is on forecast).
  A month's total line is compared alone when it has a forecast; otherwise each of the
  month's lines that has one is. Lines without a forecast are left out and counted. A
  forecast summing to zero gives no value.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from quarterdeck.domain.engineering import CostLine
from quarterdeck.domain.errors import InvalidInput

__all__ = [
    "CostFigure",
    "CostMetrics",
    "ForecastVariance",
    "UnitCost",
    "cost_per_customer",
    "cost_per_transaction",
    "forecast_variance",
    "measure_costs",
]

HUNDRED = Decimal(100)
TOTAL_CATEGORY = "total"


def _span(first: date, last: date) -> str:
    return f"{first:%Y-%m}" if first == last else f"{first:%Y-%m} to {last:%Y-%m}"


@dataclass(frozen=True, slots=True)
class UnitCost:
    """costs.cost-per-customer or costs.cost-per-transaction."""

    value: Decimal | None  # currency per customer (or per transaction)
    per: str  # "customer" or "transaction"
    first: date  # first month of the range
    last: date  # last month, included
    count: int  # lines whose amount is in the spend
    spend: Decimal  # of the months counted
    divisor: Decimal  # mean customers, or the sum of transactions, of the months counted
    months: tuple[date, ...]  # months counted
    without_figure: tuple[date, ...]  # months with lines but no figure: left out
    excluded: int  # the lines of those months
    set_aside: int  # lines under a month's total line
    without_lines: int  # months of the range with no line at all

    def notes(self) -> tuple[str, ...]:
        divisor = "their mean customer count" if self.per == "customer" else "their transactions"
        lines = [
            f"Spend of {len(self.months)} months of {_span(self.first, self.last)} "
            f"({self.count} lines) divided by {divisor}, {self.divisor:f}.",
            f"A month's {self.per} figure is its total line's, else the largest on any of "
            "its lines; a total line's amount is the month's spend and the other lines "
            f"are its breakdown ({self.set_aside} set aside).",
        ]
        if self.without_figure:
            missing = ", ".join(f"{month:%Y-%m}" for month in self.without_figure)
            lines.append(
                f"No {self.per} figure for {missing}: those months' {self.excluded} lines "
                "are left out, with their spend."
            )
        if self.without_lines:
            lines.append(f"{self.without_lines} months of the range have no cost line.")
        return tuple(lines)


@dataclass(frozen=True, slots=True)
class ForecastVariance:
    """costs.forecast-variance."""

    value: Decimal | None  # (actual - forecast) / forecast * 100; below zero is underspend
    ratio: Decimal | None  # actual / forecast * 100
    first: date
    last: date
    count: int  # lines compared
    actual: Decimal  # amounts of the lines compared
    forecast: Decimal  # their forecasts
    excluded: int  # lines without a forecast
    set_aside: int  # lines under a month's total line that was compared

    def notes(self) -> tuple[str, ...]:
        return (
            f"Actual minus forecast as a percent of forecast over {self.count} lines of "
            f"{_span(self.first, self.last)} with a forecast ({self.actual:f} against "
            f"{self.forecast:f}); below zero is underspend.",
            f"{self.excluded} lines without a forecast are left out; {self.set_aside} lines "
            "are set aside because their month's total line was compared instead.",
        )


CostFigure = UnitCost | ForecastVariance


@dataclass(frozen=True, slots=True)
class CostMetrics:
    first: date
    last: date
    per_customer: UnitCost
    per_transaction: UnitCost
    forecast_variance: ForecastVariance

    def by_computation(self) -> dict[str, CostFigure]:
        """Each figure under the computation name a catalog entry's `computed_by` gives."""
        return {
            "costs.cost-per-customer": self.per_customer,
            "costs.cost-per-transaction": self.per_transaction,
            "costs.forecast-variance": self.forecast_variance,
        }


# --- months -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Month:
    start: date
    lines: tuple[CostLine, ...]
    total: CostLine | None

    @property
    def spend(self) -> Decimal:
        if self.total is not None:
            return self.total.amount
        return sum((line.amount for line in self.lines), Decimal(0))

    @property
    def spend_lines(self) -> int:
        return 1 if self.total is not None else len(self.lines)

    def figure(self, read: Callable[[CostLine], int | None]) -> int | None:
        if self.total is not None and (own := read(self.total)) is not None:
            return own
        return max((f for line in self.lines if (f := read(line)) is not None), default=None)


def _range(first: date, last: date | None) -> tuple[date, date]:
    last = first if last is None else last
    for name, month in (("first", first), ("last", last)):
        if month.day != 1:
            raise InvalidInput(f"the {name} month must be given as its first day, not {month}")
    if last < first:
        raise InvalidInput("the last month of the range is before the first")
    return first, last


def _months(lines: Iterable[CostLine], first: date, last: date) -> tuple[list[_Month], int]:
    """The range's months that have lines, oldest first, and how many have none."""
    by_month: dict[date, list[CostLine]] = {}
    for line in lines:
        month = line.period.replace(day=1)
        if first <= month <= last:
            by_month.setdefault(month, []).append(line)
    months = []
    for month, rows in sorted(by_month.items()):
        totals = [r for r in rows if r.category.strip().casefold() == TOTAL_CATEGORY]
        if len(totals) > 1:
            raise InvalidInput(f"{month:%Y-%m} has {len(totals)} total lines; give one")
        months.append(_Month(month, tuple(rows), totals[0] if totals else None))
    length = (last.year - first.year) * 12 + last.month - first.month + 1
    return months, length - len(months)


def _unit_cost(
    months: Sequence[_Month],
    empty: int,
    first: date,
    last: date,
    per: str,
    read: Callable[[CostLine], int | None],
) -> UnitCost:
    counted: list[tuple[_Month, int]] = []
    without: list[date] = []
    excluded = 0
    for month in months:
        figure = month.figure(read)
        if figure is None:
            without.append(month.start)
            excluded += len(month.lines)
        else:
            counted.append((month, figure))
    spend = sum((month.spend for month, _ in counted), Decimal(0))
    figures = Decimal(sum(figure for _, figure in counted))
    # Spend times months over the summed head counts: the same as spend over their mean,
    # without rounding the mean first.
    scale = len(counted) if per == "customer" else 1
    return UnitCost(
        spend * scale / figures if figures else None,
        per,
        first,
        last,
        sum(month.spend_lines for month, _ in counted),
        spend,
        figures / scale if counted else figures,
        tuple(month.start for month, _ in counted),
        tuple(without),
        excluded,
        sum(len(month.lines) - month.spend_lines for month, _ in counted),
        empty,
    )


# --- metrics ----------------------------------------------------------------------


def cost_per_customer(
    lines: Iterable[CostLine], *, first: date, last: date | None = None
) -> UnitCost:
    """costs.cost-per-customer for the months `first` to `last` (both first days of a
    month, included; `last` defaults to `first`). Raises InvalidInput for a bad range or a
    month with two total lines."""
    first, last = _range(first, last)
    months, empty = _months(lines, first, last)
    return _unit_cost(months, empty, first, last, "customer", lambda line: line.customers)


def cost_per_transaction(
    lines: Iterable[CostLine], *, first: date, last: date | None = None
) -> UnitCost:
    """costs.cost-per-transaction for the months `first` to `last`; as cost_per_customer."""
    first, last = _range(first, last)
    months, empty = _months(lines, first, last)
    return _unit_cost(months, empty, first, last, "transaction", lambda line: line.transactions)


def forecast_variance(
    lines: Iterable[CostLine], *, first: date, last: date | None = None
) -> ForecastVariance:
    """costs.forecast-variance for the months `first` to `last`: actual minus forecast as a
    percent of forecast. Raises InvalidInput as cost_per_customer does."""
    first, last = _range(first, last)
    months, _ = _months(lines, first, last)
    compared: list[CostLine] = []
    excluded = set_aside = 0
    for month in months:
        if month.total is not None and month.total.forecast is not None:
            compared.append(month.total)
            set_aside += len(month.lines) - 1
            continue
        with_forecast = [line for line in month.lines if line.forecast is not None]
        compared += with_forecast
        excluded += len(month.lines) - len(with_forecast)
    actual = sum((line.amount for line in compared), Decimal(0))
    forecast = sum((line.forecast or Decimal(0) for line in compared), Decimal(0))
    return ForecastVariance(
        HUNDRED * (actual - forecast) / forecast if forecast else None,
        HUNDRED * actual / forecast if forecast else None,
        first,
        last,
        len(compared),
        actual,
        forecast,
        excluded,
        set_aside,
    )


def measure_costs(
    lines: Iterable[CostLine], *, first: date, last: date | None = None
) -> CostMetrics:
    """Every cost figure for the months `first` to `last`; raises as the single ones do."""
    first, last = _range(first, last)
    rows = list(lines)
    return CostMetrics(
        first,
        last,
        cost_per_customer(rows, first=first, last=last),
        cost_per_transaction(rows, first=first, last=last),
        forecast_variance(rows, first=first, last=last),
    )
