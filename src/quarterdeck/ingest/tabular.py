"""Reading the tabular files connectors import (CSV, or JSON holding a list of rows) into
rows, and the report every such import returns. Each row's cells are checked one by one by
the readers of `cells` (Row and clip are importable from here too).

Every problem is collected, not only the first, as "FILE line N: column X: message" (the
line as a spreadsheet shows it: the header is line 1) or "FILE items[N]: field X: message"
for JSON. An import is all or nothing: a report with any problem holds no records.

A JSON file is an object, {"kind": "deployments", "items": [{...}, ...]} ("kind" may be
left out), never a bare list: an object is what the project's JSON reader accepts, can say
what it holds, and lets a SARIF or scanner report given by mistake be named as such.

Files are untrusted: the size is checked before anything is decoded (against the import
limit the caller passes, by default the setting's default: see `limits`), the text must be
UTF-8 (a byte-order mark is allowed), and JSON is read by the rules of `json_safe` (no key
twice, no NaN). What cells may hold is said in `cells`.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass
from datetime import tzinfo
from typing import Generic, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from quarterdeck.domain.errors import InvalidInput
from quarterdeck.ingest.cells import Row, clip, describe
from quarterdeck.ingest.json_safe import check_size, parse
from quarterdeck.ingest.limits import DEFAULT_MAX_BYTES

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_ROWS",
    "Column",
    "Layout",
    "ParseReport",
    "Row",
    "clip",
    "parse_table",
]

DEFAULT_MAX_ROWS = 100_000
MAX_PROBLEMS = 200  # listing stops there: the file needs fixing whole, not line by line
_SHOWN_IN_ERROR = 10
_BOM = b"\xef\xbb\xbf"
_OTHER_FILES = (  # a top-level key that tells what a JSON file given by mistake is
    ("runs", "a SARIF report"),
    ("Results", "a Trivy report"),
    ("matches", "a Grype report"),
    ("bomFormat", "a CycloneDX SBOM"),
)

_NOT_TEXT = (  # what files people export by mistake begin with
    (b"\xff\xfe", "UTF-16 text"),
    (b"\xfe\xff", "UTF-16 text"),
    (b"PK\x03\x04", "a spreadsheet workbook or another zip archive"),
    (b"\xd0\xcf\x11\xe0", "an old Excel workbook (.xls)"),
)

R = TypeVar("R")


@dataclass(frozen=True, slots=True)
class ParseReport(Generic[R]):
    """What reading one file gave: its records, or none and every problem found.

    `problems` name the file, line (or JSON item) and column; `notes` state choices made
    on the file's behalf (times read in the given zone, columns read under other names);
    `rows` counts the data rows read."""

    source: str
    kind: str
    records: tuple[R, ...] = ()
    problems: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    rows: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    def records_or_raise(self) -> tuple[R, ...]:
        """The records; raises InvalidInput listing the first problems when there are any."""
        if not self.problems:
            return self.records
        shown = "; ".join(self.problems[:_SHOWN_IN_ERROR])
        more = len(self.problems) - _SHOWN_IN_ERROR
        suffix = f" (and {more} more problem{'s' if more > 1 else ''})" if more > 0 else ""
        raise InvalidInput(f"{self.source} was not imported: {shown}{suffix}")


@dataclass(frozen=True, slots=True)
class Column:
    """A column a kind of file may hold. Names match ignoring case; spaces, hyphens and dots
    count as underscores and camelCase as snake_case ("Finished At" and "finishedAt" are
    finished_at); `aliases` are other names, which the report notes when used."""

    name: str
    aliases: tuple[str, ...] = ()
    required: bool = False


@dataclass(frozen=True, slots=True)
class Layout:
    kind: str  # plural, as messages say it: "deployments"
    columns: tuple[Column, ...]

    def names(self) -> dict[str, Column]:
        return {
            _normal(name): column
            for column in self.columns
            for name in (column.name, *column.aliases)
        }


def parse_table(
    data: bytes,
    *,
    source: str,
    layout: Layout,
    build: Callable[[Row], R | None],
    zone: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_rows: int = DEFAULT_MAX_ROWS,
) -> ParseReport[R]:
    """Read `data` (CSV, or JSON when it starts with "{" or "[") and `build` a record from
    every row. `build` checks cells through the Row it is given; a record from a row with
    a problem is dropped, and a report with any problem holds no records at all.

    A time without a zone is a problem unless `zone` (an IANA name such as Europe/Paris)
    is given: it is then read in that zone and a note says so. Raises InvalidInput only
    for an unknown `zone`; everything wrong with the file is in the report."""
    reading = _Reading(source, layout, _zone(zone))
    records: list[R] = []
    for row in reading.rows(data, max_bytes, max_rows):
        try:
            record = build(row)
        except InvalidInput as error:  # a domain rule the cells broke
            row.problem(None, error.message)
            continue
        if record is not None and not row.failed:
            records.append(record)
        if reading.full:
            break
    if reading.full:
        reading.problems.append(f"{source}: more than {MAX_PROBLEMS} problems; stopped")
    return ParseReport(
        source=source,
        kind=layout.kind,
        records=() if reading.problems else tuple(records),
        problems=tuple(reading.problems),
        notes=reading.notes(),
        rows=reading.count,
    )


class _Reading:
    """The state of reading one file: its problems, notes and ids met so far."""

    def __init__(self, source: str, layout: Layout, zone: tzinfo | None) -> None:
        self.source = source
        self.layout = layout
        self.zone = zone
        self.lookup = layout.names()
        self.required = {column.name: column.required for column in layout.columns}
        self.problems: list[str] = []
        self.seen: dict[str, dict[Hashable, str]] = {}
        self.count = 0
        self._renamed: dict[str, str] = {}  # written name -> column, for the note
        self._localized = 0
        self._first_localized = ""
        self._delimiter = ","
        self._header_names: list[str] = []

    def notes(self) -> tuple[str, ...]:
        notes = []
        if self._delimiter != ",":
            notes.append(f"read as {'semicolon' if self._delimiter == ';' else 'tab'}-separated")
        if self._renamed:
            renamed = ", ".join(f"{name} as {column}" for name, column in self._renamed.items())
            notes.append(f"columns read under other names: {renamed}")
        if self._localized:
            notes.append(
                f"times without a zone were read as {self.zone} time: {self._localized} "
                f"value{'s' if self._localized > 1 else ''}, the first at {self._first_localized}"
            )
        return tuple(notes)

    def localized(self, row: Row, column: str) -> None:
        if not self._localized:
            self._first_localized = f"{row.location}, {row.place(column)}"
        self._localized += 1

    @property
    def full(self) -> bool:
        return len(self.problems) >= MAX_PROBLEMS

    def problem(self, message: str) -> None:
        self.problems.append(f"{self.source}{message}")

    def rows(self, data: bytes, max_bytes: int, max_rows: int) -> Iterator[Row]:
        try:
            check_size(data, max_bytes=max_bytes, what=self.source)
        except InvalidInput as error:
            self.problems.append(error.message)
            return
        for mark, what in _NOT_TEXT:
            if data.startswith(mark):
                self.problem(f" is {what}; save it as CSV UTF-8 (or JSON) and import again")
                return
        data = data.removeprefix(_BOM)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as error:
            line = data[: error.start].count(b"\n") + 1
            self.problem(
                f" is not UTF-8 text: line {line} has the byte 0x{data[error.start]:02x} "
                "(save the file as UTF-8 and import again)"
            )
            return
        start = text.lstrip()[:1]
        if not start:
            self.problem(" is empty; expected a header line naming the columns")
        elif start in "{[":  # no CSV header starts so
            yield from self._json_rows(text, max_rows)
        else:
            yield from self._csv_rows(text, max_rows)

    # --- CSV --------------------------------------------------------------------------------

    def _csv_rows(self, text: str, max_rows: int) -> Iterator[Row]:
        first_line = text.split("\n", 1)[0]
        if "," not in first_line:
            self._delimiter = next((mark for mark in ";\t" if mark in first_line), ",")
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=self._delimiter, strict=True)
        line = 0  # as a spreadsheet counts: one per record, however many lines a cell spans
        try:
            header = self._header(next(reader))
            line = 1
            if header is None:
                return
            written = dict(zip(header, self._header_names, strict=True))
            for cells in reader:
                line += 1
                if self.full:
                    return
                if not any(cell.strip() for cell in cells):
                    continue
                self.count += 1
                if self.count > max_rows:
                    self.problem(f" line {line}: more than {max_rows:,} rows, the limit")
                    return
                if len(cells) > len(header):
                    self.problem(
                        f" line {line}: has {len(cells)} cells, "
                        f"but the header names {len(header)} columns"
                    )
                    continue
                values: dict[str, object] = dict(zip(header, cells, strict=False))
                yield Row(self, f"line {line}", values, written)
        except csv.Error as error:
            self.problem(f" line {line + 1}: not readable as CSV ({error})")

    def _header(self, names: list[str]) -> list[str] | None:
        """The column each header cell names ("" for none), or None after a problem."""
        self._header_names = [name.strip() for name in names]
        columns: list[str] = []
        unknown: list[str] = []
        by_column: dict[str, str] = {}
        for position, name in enumerate(self._header_names, start=1):
            column = self.lookup.get(_normal(name))
            columns.append(column.name if column else "")
            if not name:
                self.problem(f" line 1: column {position} has no name")
            elif column is None:
                unknown.append(name)
            elif column.name in by_column:
                self.problem(
                    f" line 1: columns {by_column[column.name]} and {name} both give {column.name}"
                )
            else:
                by_column[column.name] = name
                if _normal(name) != column.name:
                    self._renamed[name] = column.name
        known = ", ".join(column.name for column in self.layout.columns)
        if unknown and not by_column:  # another kind of file, or one without a header
            found = ", ".join(map(clip, unknown[:4])) + (", ..." if len(unknown) > 4 else "")
            self.problem(
                f" line 1: no column of {self.layout.kind} found ({found}); the first line "
                f"must be a header naming the columns: {known}"
            )
            return None
        if unknown:
            plural = "s" if len(unknown) > 1 else ""
            listed = ", ".join(map(clip, unknown))
            self.problem(f" line 1: unknown column{plural} {listed}; accepted: {known}")
        for column in self.layout.columns:
            if column.required and column.name not in by_column:
                also = f" (or {', '.join(column.aliases)})" if column.aliases else ""
                self.problem(f" line 1: missing required column {column.name}{also}")
        return None if self.problems else columns

    # --- JSON -------------------------------------------------------------------------------

    def _json_rows(self, text: str, max_rows: int) -> Iterator[Row]:
        items = self._items(text)
        unknown: set[str] = set()
        for index, item in enumerate(items):
            if self.full:
                return
            location = f"items[{index}]"
            self.count += 1
            if self.count > max_rows:
                self.problem(f" {location}: more than {max_rows:,} items, the limit")
                return
            if not isinstance(item, dict):
                self.problem(f" {location}: must be an object, not {describe(item)}")
                continue
            values: dict[str, object] = {}
            written: dict[str, str] = {}
            problems = len(self.problems)
            for key, value in item.items():
                column = self.lookup.get(_normal(key))
                if column is None:
                    if key not in unknown:
                        unknown.add(key)
                        self.problem(f" {location}: unknown field {clip(key)}")
                elif column.name in written:
                    self.problem(
                        f" {location}: fields {written[column.name]} and {key} both give "
                        f"{column.name}"
                    )
                else:
                    values[column.name], written[column.name] = value, key
                    if _normal(key) != column.name:
                        self._renamed[key] = column.name
            row = Row(self, location, values, written)
            row.failed = len(self.problems) > problems
            yield row

    def _items(self, text: str) -> list[object]:
        kind = self.layout.kind
        expected = f'a JSON object {{"items": [...]}} holding the {kind}'
        document = self._load(text)
        if document is None:
            return []
        if not isinstance(document, dict):
            self.problem(f" must be {expected}, not {describe(document)}")
            return []
        if "items" not in document:
            what = next((what for key, what in _OTHER_FILES if key in document), None)
            if what is not None:
                self.problem(f" looks like {what}, not a list of {kind}; expected {expected}")
            else:
                self.problem(f' has no "items" list; expected {expected}')
            return []
        claimed = document.get("kind", kind)
        if claimed != kind:
            self.problem(f' says it holds {clip(claimed)} ("kind"), not {kind}')
        for key in document.keys() - {"items", "kind"}:
            self.problem(f': unknown top-level key {clip(key)}; expected only "items" and "kind"')
        items = document["items"]
        if not isinstance(items, list):
            self.problem(f': "items" must be a list of objects, not {describe(items)}')
            return []
        return [] if self.problems else items

    def _load(self, text: str) -> object:
        # The rules services/json_input.read_object applies too; that one also refuses a
        # top-level list, as _items does.
        try:
            return parse(text, what=self.source)
        except InvalidInput as error:
            self.problems.append(error.message)
            return None


def _zone(name: str | None) -> tzinfo | None:
    if name is None:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(f"unknown time zone {name!r}") from None


def _normal(name: str) -> str:
    """The name a header means: "Finished At", "finished-at", "finishedAt" -> finished_at."""
    snake = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name.strip())
    return re.sub(r"[\s.\-]+", "_", snake.lower())
