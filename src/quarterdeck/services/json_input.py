"""Reading JSON that came from outside: bounded, strict, and with errors that name the path.

Imports read untrusted files. This module refuses what is too large, not UTF-8, not JSON,
ambiguous (duplicate keys, NaN) or hostile (deep nesting, NUL characters) before any model
sees it, and turns pydantic's errors into one message naming each JSON path at fault.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated, Any, TypeVar

from pydantic import AfterValidator, PlainValidator, TypeAdapter, ValidationError
from pydantic_core import PydanticCustomError

from quarterdeck.domain.errors import InvalidInput

__all__ = [
    "MAX_NODES",
    "MAX_VALUE_DEPTH",
    "BoundedObject",
    "UtcTime",
    "invalid",
    "json_path",
    "problem",
    "read_object",
    "rule",
    "validate_into",
]

MAX_VALUE_DEPTH = 20  # of one free-form value, such as an audit row's before/after
MAX_NODES = 10_000  # values inside one free-form value
MAX_DOCUMENT_DEPTH = 64
_SHOWN_PROBLEMS = 5
_OURS = "quarterdeck"  # the error type of problems raised by this module's validators

_T = TypeVar("_T")


def read_object(data: bytes, *, max_bytes: int, what: str) -> dict[str, Any]:
    """The JSON object in `data`. Raises InvalidInput, naming `what`, when it is larger than
    `max_bytes` (checked before parsing), not UTF-8, not JSON (with line and column), not an
    object, has a key twice in one object, NaN/Infinity, a NUL character, or nests too deep."""
    if len(data) > max_bytes:
        raise InvalidInput(f"{what} is {len(data):,} bytes, more than the {max_bytes:,} allowed")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InvalidInput(f"{what} is not UTF-8 text (bad byte at offset {error.start})") from None
    document = _load(text, what)
    if not isinstance(document, dict):
        raise InvalidInput(f"{what} must be a JSON object, not {_kind(document)}")
    _scan(document, what)
    return document


def _load(text: str, what: str) -> object:
    def refuse(name: str) -> object:
        raise ValueError(f"{name} is not allowed in JSON")

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
            f"{what} is not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}"
        ) from None
    except RecursionError:
        raise InvalidInput(f"{what} is nested too deeply to read") from None
    except ValueError as error:  # duplicate keys, NaN, integers too long to convert
        raise InvalidInput(f"{what} is not valid JSON: {error}") from None


def _scan(document: dict[str, Any], what: str) -> None:
    # PostgreSQL text cannot hold NUL; depth is bounded before any recursive work sees it.
    stack: list[tuple[object, tuple[str | int, ...]]] = [(document, ())]
    while stack:
        node, path = stack.pop()
        if len(path) > MAX_DOCUMENT_DEPTH:
            deep = f"{json_path(path[:4])}...: nested deeper than {MAX_DOCUMENT_DEPTH} levels"
            raise invalid([deep], what)
        if isinstance(node, dict):
            for key, value in node.items():
                if "\x00" in key:
                    raise invalid([f"{json_path(path)}: a key contains a NUL character"], what)
                stack.append((value, (*path, key)))
        elif isinstance(node, list):
            stack.extend((value, (*path, index)) for index, value in enumerate(node))
        elif isinstance(node, str) and "\x00" in node:
            raise invalid([f"{json_path(path)}: contains a NUL character"], what)


def _kind(value: object) -> str:
    kinds = {list: "a list", str: "a string", bool: "true/false", type(None): "null"}
    return kinds.get(type(value), "a number")


# --- Field types and validators for strict models ----------------------------------------


def problem(message: str) -> PydanticCustomError:
    return PydanticCustomError(_OURS, "{message}", {"message": message})


def rule(check: Callable[[str], str]) -> AfterValidator:
    """A domain rule (raising InvalidInput) as a validator, so its message gets the path."""

    def run(value: str) -> str:
        try:
            return check(value)
        except InvalidInput as error:
            raise problem(error.message) from None

    return AfterValidator(run)


def _utc_time(value: object) -> datetime:
    example = "an ISO 8601 time with its zone, e.g. 2026-01-31T09:00:00Z"
    if not isinstance(value, str):
        raise problem(f"must be {example}")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise problem(f"must be {example}") from None
    if moment.tzinfo is None:
        raise problem(f"has no time zone; must be {example}")
    return moment.astimezone(UTC)


def _bounded(value: dict[str, Any]) -> dict[str, Any]:
    nodes, stack = 0, [(value, 1)]
    while stack:
        node, depth = stack.pop()
        nodes += 1
        if depth > MAX_VALUE_DEPTH:
            raise problem(f"is nested deeper than {MAX_VALUE_DEPTH} levels")
        if nodes > MAX_NODES:
            raise problem(f"holds more than {MAX_NODES:,} values")
        if isinstance(node, dict):
            stack.extend((child, depth + 1) for child in node.values())
        elif isinstance(node, list):
            stack.extend((child, depth + 1) for child in node)
    return value


UtcTime = Annotated[datetime, PlainValidator(_utc_time)]
"""A time given as an ISO 8601 string with its zone, handed back as aware UTC."""

BoundedObject = Annotated[dict[str, Any], AfterValidator(_bounded)]
"""A free-form JSON object, at most MAX_VALUE_DEPTH deep and MAX_NODES values large."""


# --- Errors ------------------------------------------------------------------------------


def validate_into(adapter: TypeAdapter[_T], value: object, root: str, problems: list[str]) -> Any:
    """`value` validated by `adapter`, or None after appending each problem, with its JSON
    path under `root`, to `problems` (so every part of a document is checked in one pass)."""
    try:
        return adapter.validate_python(value)
    except ValidationError as error:
        for detail in error.errors():
            message = "unknown field" if detail["type"] == "extra_forbidden" else detail["msg"]
            shown = detail["input"]
            # Our own rules quote the value already; a missing field has none to show.
            if isinstance(shown, str | int | float | bool) and detail["type"] not in {
                "missing",
                _OURS,
            }:
                message += f" (got {_clip(shown)})"
            problems.append(f"{json_path((root, *detail['loc']))}: {message}")
        return None


def invalid(problems: list[str], what: str) -> InvalidInput:
    """One readable error listing the first few problems and how many more there are."""
    shown = "; ".join(problems[:_SHOWN_PROBLEMS])
    more = len(problems) - _SHOWN_PROBLEMS
    suffix = f" (and {more} more problem{'s' if more > 1 else ''})" if more > 0 else ""
    return InvalidInput(f"{what} is not valid: {shown}{suffix}")


def json_path(parts: tuple[str | int, ...]) -> str:
    """('members', 2, 'role') -> 'members[2].role'."""
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(top level)"


def _clip(value: object) -> str:
    shown = repr(value)
    return shown if len(shown) <= 40 else shown[:37] + "..."
