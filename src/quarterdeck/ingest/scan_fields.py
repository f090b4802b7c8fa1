"""Reading scanner files safely, and the typed field access the format readers share.

A scanner file is untrusted. Before any reader sees it, it is refused when too large, not
UTF-8, not JSON, ambiguous (a key twice, NaN) or hostile (deep nesting, NUL characters),
by the same rules as `quarterdeck.services.json_input.read_object`. That module lives in
the services layer, which ingest may not import, and it accepts only a JSON object, while
pip-audit's older format is a list; hence these few lines of its own.

Every problem found afterwards names the file and the JSON path at fault, e.g.
"trivy.json is not valid: Results[0].Vulnerabilities[3].PkgName: is required".
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from quarterdeck.domain.engineering import Severity
from quarterdeck.domain.errors import InvalidInput
from quarterdeck.ingest.json_safe import check_size

__all__ = [
    "MAX_DEPTH",
    "MAX_LOCATION",
    "MAX_PACKAGE",
    "MAX_RULE_ID",
    "MAX_SCANNER",
    "MAX_TARGET",
    "MAX_TITLE",
    "Node",
    "clip",
    "json_path",
    "load_json",
]

MAX_DEPTH = 64
# Column sizes of the stored scan and finding (storage/engineering_tables.py).
MAX_SCANNER = 120
MAX_TARGET = 500
MAX_RULE_ID = 200
MAX_PACKAGE = 300
MAX_LOCATION = 500
MAX_TITLE = 200  # titles are clipped, never refused: they are not part of an identity

_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_TIME_EXAMPLE = "an ISO 8601 time with its zone, e.g. 2026-01-31T09:00:00Z"


def load_json(data: bytes, *, name: str, max_bytes: int) -> object:
    """The JSON value in `data` (an object or a list). Raises InvalidInput naming `name`."""
    check_size(data, max_bytes=max_bytes, what=name)
    if data.startswith(_UTF16_BOMS):
        # Windows PowerShell's ">" writes UTF-16; say so rather than point at a byte.
        raise InvalidInput(f"{name} is UTF-16 text; save it as UTF-8 and import it again")
    try:
        text = data.decode("utf-8-sig")  # a UTF-8 byte order mark is harmless: dropped
    except UnicodeDecodeError as error:
        raise InvalidInput(f"{name} is not UTF-8 text (bad byte at offset {error.start})") from None
    document = _parse(text, name)
    if not isinstance(document, dict | list):
        raise InvalidInput(f"{name} must hold a JSON object or list, not {describe(document)}")
    _refuse_hostile(document, name)
    return document


def _parse(text: str, name: str) -> object:
    def refuse(constant: str) -> object:
        raise ValueError(f"{constant} is not allowed in JSON")

    def unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key, value in pairs:
            if key in result:
                raise ValueError(f"the key {key!r} appears twice in one object")
            result[key] = value
        return result

    try:
        return json.loads(text, parse_constant=refuse, object_pairs_hook=unique_keys)
    except json.JSONDecodeError as error:
        raise InvalidInput(
            f"{name} is not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}"
        ) from None
    except RecursionError:
        raise InvalidInput(f"{name} is nested too deeply to read") from None
    except ValueError as error:  # duplicate keys, NaN, integers too long to convert
        raise InvalidInput(f"{name} is not valid JSON: {error}") from None


def _refuse_hostile(document: dict[str, Any] | list[Any], name: str) -> None:
    # PostgreSQL text cannot hold NUL; depth is bounded before any recursive work sees it.
    stack: list[tuple[object, tuple[str | int, ...]]] = [(document, ())]
    while stack:
        node, path = stack.pop()
        if len(path) > MAX_DEPTH:
            where = f"{json_path(path[:4])}..."
            raise InvalidInput(f"{name} is not valid: {where}: nested deeper than {MAX_DEPTH}")
        if isinstance(node, dict):
            for key, value in node.items():
                if "\x00" in key:
                    where = json_path(path)
                    raise InvalidInput(f"{name} is not valid: {where}: a key contains NUL")
                stack.append((value, (*path, key)))
        elif isinstance(node, list):
            stack.extend((value, (*path, index)) for index, value in enumerate(node))
        elif isinstance(node, str) and "\x00" in node:
            raise InvalidInput(f"{name} is not valid: {json_path(path)}: contains NUL")


def json_path(parts: tuple[str | int, ...]) -> str:
    """('runs', 0, 'tool') -> 'runs[0].tool'."""
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(top level)"


def describe(value: object) -> str:
    """What a JSON value is, in words: 'an object', 'a list', 'the string "x"', ..."""
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    shown = json.dumps(value, ensure_ascii=False)
    return f"{'the string' if isinstance(value, str) else 'the number'} {clip(shown, 40)}"


def clip(text: str, limit: int) -> str:
    """`text` on one line without control characters (a terminal escape in a scanner's
    description must not reach the terminal that lists findings), at most `limit`
    characters (an ellipsis marks a cut)."""
    flat = "".join(ch for ch in " ".join(text.split()) if unicodedata.category(ch) != "Cc")
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


@dataclass(frozen=True, slots=True)
class Node:
    """A JSON value in a named file, with its path, so every problem can say where it is.
    The accessors treat an absent key and null alike (scanners written in Go print null for
    an empty list)."""

    value: Any
    path: tuple[str | int, ...] = ()
    source: str = ""

    def problem(self, message: str) -> InvalidInput:
        return InvalidInput(f"{self.source} is not valid: {json_path(self.path)}: {message}")

    def raw(self, key: str) -> Any:
        """The value under `key` (None when absent); this node must be an object."""
        return self._object().get(key)

    def child(self, key: str | int) -> Node:
        if isinstance(key, int):
            return Node(self.value[key], (*self.path, key), self.source)
        return Node(self.raw(key), (*self.path, key), self.source)

    def has(self, key: str) -> bool:
        return self.raw(key) is not None

    def object(self, key: str) -> Node | None:
        """The object under `key`; None when it is absent."""
        node = self.child(key)
        if node.value is None:
            return None
        return node.require_object()

    def require(self, key: str) -> Node:
        """The object under `key`, which must be there."""
        node = self.child(key)
        if node.value is None:
            raise node.problem("is required")
        return node.require_object()

    def objects(self, key: str) -> list[Node]:
        """The objects in the list under `key` (none when it is absent)."""
        return [item.require_object() for item in self.items(key)]

    def items(self, key: str) -> list[Node]:
        """The values in the list under `key` (none when it is absent)."""
        node = self.child(key)
        if node.value is None:
            return []
        if not isinstance(node.value, list):
            raise node.problem(f"must be a list, not {describe(node.value)}")
        return [node.child(index) for index in range(len(node.value))]

    def require_object(self) -> Node:
        self._object()
        return self

    def text(self, key: str, *, required: bool = False, limit: int | None = None) -> str:
        """The string under `key`, trimmed; "" when absent and not `required`. A string
        longer than `limit` is refused (such values are identities: clipping would merge)."""
        node = self.child(key)
        return node.as_text(required=required, limit=limit)

    def as_text(self, *, required: bool = False, limit: int | None = None) -> str:
        if self.value is None:
            if required:
                raise self.problem("is required")
            return ""
        if not isinstance(self.value, str):
            raise self.problem(f"must be a string, not {describe(self.value)}")
        text = self.value.strip()
        if required and not text:
            raise self.problem("must not be empty")
        if limit is not None and len(text) > limit:
            raise self.problem(f"is longer than {limit} characters")
        return text

    def whole_number(self, key: str) -> int | None:
        node = self.child(key)
        if node.value is None:
            return None
        if isinstance(node.value, bool) or not isinstance(node.value, int):
            raise node.problem(f"must be a whole number, not {describe(node.value)}")
        return node.value

    def time(self, key: str) -> datetime | None:
        """The time under `key`, in UTC; None when absent. A time without a zone is refused:
        guessing one would shift every time-to-patch by hours."""
        node = self.child(key)
        if node.value is None:
            return None
        if not isinstance(node.value, str):
            raise node.problem(f"must be {_TIME_EXAMPLE}, not {describe(node.value)}")
        try:
            moment = datetime.fromisoformat(node.value.strip())
        except ValueError:
            raise node.problem(f"must be {_TIME_EXAMPLE}, not {describe(node.value)}") from None
        if moment.utcoffset() is None:
            raise node.problem(f"has no time zone; must be {_TIME_EXAMPLE}")
        return moment.astimezone(UTC)

    def severity(self, key: str, names: dict[str, Severity]) -> Severity:
        """The severity named under `key`, matched without regard to case against `names`
        (spelled as the format spells them); unknown when absent. A name not in `names` is
        refused rather than guessed: a new word for "critical" must not count as unknown."""
        node = self.child(key)
        if node.value is None:
            return Severity.UNKNOWN
        word = node.as_text().casefold()
        for name, severity in names.items():
            if name.casefold() == word:
                return severity
        raise node.problem(f"must be one of {', '.join(names)}, not {describe(node.value)}")

    def _object(self) -> dict[str, Any]:
        if not isinstance(self.value, dict):
            raise self.problem(f"must be an object, not {describe(self.value)}")
        return self.value
