"""Reading monthly spend from a CSV or JSON export (a cloud bill summary, a finance
spreadsheet): one row per month and category, with the forecast and the customer and
transaction counts that unit costs are divided by.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from quarterdeck.domain.engineering import CostLine
from quarterdeck.ingest.cells import Row, clip
from quarterdeck.ingest.tabular import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_ROWS,
    Column,
    Layout,
    ParseReport,
    parse_table,
)

__all__ = ["COST_COLUMNS", "parse_costs"]

COST_COLUMNS = Layout(
    "costs",
    (
        Column("period", ("month", "billing_period", "billing_month"), required=True),
        Column("category", ("cost_category", "service", "product"), required=True),
        Column("amount", ("cost", "actual", "spend", "actual_cost"), required=True),
        Column("forecast", ("forecast_amount", "forecast_cost")),
        Column("customers", ("customer_count", "active_customers")),
        Column("transactions", ("transaction_count",)),
        Column("currency", ()),
    ),
)
_MONTH = re.compile(r"(\d{4})-(\d{2})(?:-(\d{2}))?")


def parse_costs(
    data: bytes,
    *,
    source: str,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_rows: int = DEFAULT_MAX_ROWS,
) -> ParseReport[CostLine]:
    """The cost lines in a CSV or JSON file (see COST_COLUMNS).

    Guarantees: every problem in the file is in the report, which then holds no records;
    the period is a month (2024-03, or its first day 2024-03-01; another day is a problem,
    not silently moved); a month and category appear once in the file; amount and forecast
    are finite and not negative (credits are netted before export); customers and
    transactions are whole numbers from 0. The optional currency column must hold one
    currency throughout, which the report notes: amounts carry no currency of their own."""
    currencies: dict[str, str] = {}  # currency -> where it first appears

    def build(row: Row) -> CostLine | None:
        currency = row.text("currency").upper()
        if currency and not currencies:
            currencies[currency] = row.location
        elif currency and currency not in currencies:
            (first, where), *_ = currencies.items()
            row.problem("currency", f"{currency} differs from {first} on {where}; use one currency")
        return _cost_line(row)

    report = parse_table(
        data,
        source=source,
        layout=COST_COLUMNS,
        build=build,
        max_bytes=max_bytes,
        max_rows=max_rows,
    )
    if not currencies or not report.ok:
        return report
    return replace(report, notes=(*report.notes, f"amounts are in {next(iter(currencies))}"))


def _cost_line(row: Row) -> CostLine | None:
    period = _month(row, "period")
    category = row.text("category")
    if period and category and (earlier := row.first_seen("period", (period, category))):
        row.problem(
            None,
            f"month {period:%Y-%m} and category {category!r} are already on {earlier}; "
            "give one row per month and category",
        )
    amount = row.number("amount")
    forecast = row.number("forecast")
    customers = row.whole("customers")
    transactions = row.whole("transactions")
    if period is None or amount is None:
        return None
    return CostLine(
        period=period,
        category=category,
        amount=amount,
        forecast=forecast,
        customers=customers,
        transactions=transactions,
    )


def _month(row: Row, column: str) -> date | None:
    value = row.cell(column)
    if value is None:
        return None
    match = _MONTH.fullmatch(value) if isinstance(value, str) else None
    try:
        day = date(int(match[1]), int(match[2]), int(match[3] or 1)) if match else None
    except ValueError:
        day = None
    if day is None:
        row.problem(column, f"{clip(value)} is not a month such as 2024-03 or 2024-03-01")
    elif day.day != 1:
        row.problem(column, f"{clip(value)} is not the first day of a month; write its month")
        return None
    return day
