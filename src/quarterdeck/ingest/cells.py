"""Reading the cells of one row of an imported table (CSV, or JSON items): each cell is
checked by the rule its column needs (text, time, number, whole number, yes/no) and every
problem is recorded against the row's file, line and column. The table engine that finds
the rows is `tabular`.

Cells are untrusted: text cells must not hold control characters or run long, times need a
zone (or the zone the import was given), numbers are finite decimals written plainly, and
a JSON cell holds one value, never an object or a list. Cells are kept as text, never
evaluated: a cell such as "=cmd|' /C calc'!A0" is an odd service name, nothing more.
"""

from __future__ import annotations

import json
import re
from collections.abc import Hashable
from datetime import UTC, datetime, tzinfo
from decimal import Decimal
from typing import Protocol

__all__ = ["MAX_TEXT", "Row", "Sheet", "clip", "describe"]

MAX_TEXT = 200  # characters in one text cell (ids, names, severities)
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f]")
_DATE_ONLY = re.compile(r"^\d{4}-?\d{2}-?\d{2}$")
_NUMBER = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$")
_WHOLE = re.compile(r"^[+-]?\d{1,15}$")
_FLAGS = {"yes": True, "true": True, "1": True, "no": False, "false": False, "0": False}
_EXAMPLE_TIME = "2024-03-01T09:00:00Z"


class Sheet(Protocol):
    """The file a Row belongs to, as its cell readers need it: where problems are recorded,
    which columns are required, the zone for times without one, and the ids met so far."""

    source: str
    zone: tzinfo | None
    required: dict[str, bool]
    problems: list[str]
    seen: dict[str, dict[Hashable, str]]

    def localized(self, row: Row, column: str) -> None:
        """Count a time read in `zone`, for the report's note."""


class Row:
    """One row's cells by column name. Each reader checks one cell and, when it is wrong,
    records a problem and returns None ("" for text) so every cell still gets checked."""

    __slots__ = ("_sheet", "_values", "_written", "failed", "location")

    def __init__(
        self, sheet: Sheet, location: str, values: dict[str, object], written: dict[str, str]
    ) -> None:
        self._sheet = sheet
        self.location = location  # "line 5" or "items[4]"
        self._values = values
        self._written = written
        self.failed = False

    def problem(self, column: str | None, message: str) -> None:
        self.failed = True
        self._sheet.problems.append(self.where(column) + message)

    def where(self, column: str | None) -> str:
        """The start of a problem in this row: "FILE line 5: column service: "."""
        at = f"{self._sheet.source} {self.location}: "
        return at if column is None else f"{at}{self.place(column)}: "

    def place(self, column: str) -> str:
        """The column as the file names it: "column Service" ("field service" in JSON)."""
        word = "field" if self.location.startswith("items") else "column"
        return f"{word} {self._written.get(column, column)}"

    def first_seen(self, scope: str, key: Hashable) -> str | None:
        """Where `key` was met before in this file under `scope`, or None (and remember it)."""
        seen = self._sheet.seen.setdefault(scope, {})
        if key in seen:
            return seen[key]
        seen[key] = self.location
        return None

    def cell(self, column: str) -> object | None:
        """The cell's value (text stripped; None when empty, after a problem if required)."""
        value = self._values.get(column)
        if isinstance(value, str):
            value = value.strip() or None
        if value is None and self._sheet.required[column]:
            missing = column not in self._written
            self.problem(column, "is missing" if missing else "is empty; a value is required")
        return value

    def text(self, column: str) -> str:
        value = self.cell(column)
        if value is None:
            return ""
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)  # JSON ids such as "incident_number": 1234
        if not isinstance(value, str):
            self.problem(column, f"must be text, not {clip(value)}")
        elif (control := _CONTROL.search(value)) is not None:
            self.problem(column, f"contains a control character (U+{ord(control[0]):04X})")
        elif len(value) > MAX_TEXT:
            self.problem(column, f"is longer than {MAX_TEXT} characters")
        else:
            return value
        return ""

    def time(self, column: str) -> datetime | None:
        """An ISO 8601 time with its offset or Z, handed back in UTC. A time without a zone is
        read in the zone the caller gave (and counted for the note), else refused."""
        value = self.cell(column)
        if value is None:
            return None
        shown = clip(value)
        if not isinstance(value, str):
            self.problem(column, f"must be a time as text, such as {_EXAMPLE_TIME}, not {shown}")
            return None
        if _DATE_ONLY.match(value):
            self.problem(
                column,
                f"{shown} is a date without a time of day; write a time such as {_EXAMPLE_TIME}",
            )
            return None
        try:
            written = datetime.fromisoformat(value)
        except ValueError:
            self.problem(column, f"{shown} is not an ISO 8601 time such as {_EXAMPLE_TIME}")
            return None
        aware = self._localize(column, written, shown) if written.utcoffset() is None else written
        if aware is None:
            return None
        try:
            moment = aware.astimezone(UTC)
        except OverflowError:  # 0001-01-01T00:00:00+01:00
            moment = datetime.min.replace(tzinfo=UTC)
        if not 1970 <= moment.year <= 2100:
            self.problem(column, f"{shown} is out of range (years 1970 to 2100)")
            return None
        return moment

    def _localize(self, column: str, naive: datetime, shown: str) -> datetime | None:
        zone = self._sheet.zone
        if zone is None:
            self.problem(
                column,
                f"{shown} has no time zone; write its offset ({_EXAMPLE_TIME} or +01:00) "
                "or import with the workspace time zone",
            )
            return None
        first, second = naive.replace(tzinfo=zone), naive.replace(tzinfo=zone, fold=1)
        if first.utcoffset() != second.utcoffset():
            back = first.astimezone(UTC).astimezone(zone).replace(tzinfo=None)
            why = "does not exist" if back != naive else "happens twice"
            self.problem(column, f"{shown} {why} in {zone} (clocks changed); write its offset")
            return None
        self._sheet.localized(self, column)
        return first

    def number(self, column: str, *, positive: bool = False) -> Decimal | None:
        """A non-negative (or, with `positive`, greater than zero) finite decimal."""
        value = self.cell(column)
        if value is None:
            return None
        shown = clip(value)
        if isinstance(value, int | float) and not isinstance(value, bool):
            value = repr(value)  # JSON numbers; repr is the shortest exact spelling
        if not isinstance(value, str) or len(value) > 30 or not _NUMBER.match(value):
            self.problem(column, f"{shown} is not a number such as 1234.56")
            return None
        amount = Decimal(value)
        if amount < 0 or (positive and amount == 0):
            self.problem(column, f"{shown} must be {'above' if positive else 'at least'} zero")
            return None
        return amount

    def whole(self, column: str, *, low: int = 0, high: int | None = None) -> int | None:
        value = self.cell(column)
        if value is None:
            return None
        shown = clip(value)
        if isinstance(value, str) and _WHOLE.match(value):
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem(column, f"{shown} is not a whole number")
            return None
        if value < low or (high is not None and value > high):
            bounds = f"from {low} to {high}" if high is not None else f"at least {low}"
            self.problem(column, f"{shown} is out of range; must be {bounds}")
            return None
        return value

    def flag(self, column: str) -> bool | None:
        """yes/no, true/false or 1/0, in any case."""
        value = self.cell(column)
        if value is None or isinstance(value, bool):
            return value
        flag = _FLAGS.get(str(value).lower()) if isinstance(value, str | int) else None
        if flag is None:
            self.problem(column, f"{clip(value)} is not yes/no, true/false or 1/0")
        return flag

    def not_before(
        self, column: str, later: datetime | None, start: str, earlier: datetime | None
    ) -> None:
        """A problem when `later` (in `column`) is before `earlier` (in `start`)."""
        if later is not None and earlier is not None and later < earlier:
            self.problem(
                column,
                f"{_iso(later)} is before {self._written.get(start, start)} ({_iso(earlier)})",
            )


def describe(value: object) -> str:
    """What kind of JSON value `value` is, as a message says it: "an object", "text" ..."""
    kinds = {dict: "an object", list: "a list", str: "text", bool: "true/false"}
    return kinds.get(type(value), "null" if value is None else "a number")


def clip(value: object) -> str:
    """A cell's value as a message shows it: quoted, and cut short when long."""
    if isinstance(value, dict | list):
        return describe(value)  # JSON readers take single values only
    shown = repr(value) if isinstance(value, str) else json.dumps(value)
    return shown if len(shown) <= 40 else shown[:37] + "..."


def _iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")
