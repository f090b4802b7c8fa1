"""Reading metric values typed into a spreadsheet: one row per metric and period.

Columns: `metric` (the scorecard key), `period_end` (the last day of the period the value
is for, YYYY-MM-DD), `value` (a number; negative only where the metric allows it, which the
scorecard checks), and an optional `note`. A metric and period appear once in the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from quarterdeck.ingest.cells import Row
from quarterdeck.ingest.tabular import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_ROWS,
    Column,
    Layout,
    ParseReport,
    parse_table,
)

__all__ = ["MEASUREMENT_COLUMNS", "MeasurementLine", "parse_measurements"]

MEASUREMENT_COLUMNS = Layout(
    "measurements",
    (
        Column("metric", ("metric_key", "kpi", "key"), required=True),
        Column("period_end", ("period", "date", "as_of"), required=True),
        Column("value", ("measurement", "amount"), required=True),
        Column("note", ("comment", "notes")),
    ),
)
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


@dataclass(frozen=True, slots=True)
class MeasurementLine:
    location: str  # "FILE line N", for the scorecard's own checks
    metric: str
    period_end: date
    value: Decimal
    note: str


def parse_measurements(
    data: bytes,
    *,
    source: str,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_rows: int = DEFAULT_MAX_ROWS,
) -> ParseReport[MeasurementLine]:
    """The values in a CSV or JSON file (see MEASUREMENT_COLUMNS); every problem in the
    file is in the report, which then holds no records."""

    def build(row: Row) -> MeasurementLine | None:
        metric = row.text("metric").lower()
        period_end = _day(row, "period_end")
        value = _value(row, "value")
        note = row.text("note")
        if metric and period_end and (earlier := row.first_seen("period", (metric, period_end))):
            row.problem(
                None,
                f"metric {metric!r} for the period ending {period_end.isoformat()} is already "
                f"on {earlier}; give one value per metric and period",
            )
        if not metric or period_end is None or value is None:
            return None
        return MeasurementLine(f"{source} {row.location}", metric, period_end, value, note)

    return parse_table(
        data,
        source=source,
        layout=MEASUREMENT_COLUMNS,
        build=build,
        max_bytes=max_bytes,
        max_rows=max_rows,
    )


def _day(row: Row, column: str) -> date | None:
    text = row.text(column)
    if not text:
        row.problem(column, "a date like 2026-03-31 is required")
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        row.problem(column, f"{text!r} is not a date like 2026-03-31")
        return None


def _value(row: Row, column: str) -> Decimal | None:
    raw = row.cell(column)
    if isinstance(raw, float | int) and not isinstance(raw, bool):
        raw = str(raw)  # a JSON number
    text = raw.strip() if isinstance(raw, str) else row.text(column)
    if not _NUMBER.fullmatch(text):
        row.problem(column, f"{text!r} is not a plain number like 42 or -3.5")
        return None
    try:
        return Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern admits only decimals
        row.problem(column, f"{text!r} is not a number")
        return None
