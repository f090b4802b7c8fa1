"""Reading JSON that came from outside: bounded, strict, and with errors that name the path.

Imports read untrusted files. This module refuses what is too large, not UTF-8, not JSON,
ambiguous (duplicate keys, NaN) or hostile (deep nesting, NUL characters) before any model
sees it, by the rules of `quarterdeck.ingest.json_safe`, and turns pydantic's errors into one
message naming each JSON path at fault.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated, Any, TypeVar

from pydantic import AfterValidator, PlainValidator, TypeAdapter, ValidationError
from pydantic_core import PydanticCustomError

from quarterdeck.domain.errors import InvalidInput
from quarterdeck.ingest.json_safe import (
    check_size,
    decode,
    invalid,
    json_path,
    parse,
    refuse_hostile,
)

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
_OURS = "quarterdeck"  # the error type of problems raised by this module's validators

_T = TypeVar("_T")


def read_object(data: bytes, *, max_bytes: int, what: str) -> dict[str, Any]:
    """The JSON object in `data`. Raises InvalidInput, naming `what`, when it is larger than
    `max_bytes` (checked before parsing), not UTF-8, not JSON (with line and column), not an
    object, has a key twice in one object, NaN/Infinity, a NUL character, or nests too deep."""
    check_size(data, max_bytes=max_bytes, what=what)
    document = parse(decode(data, what=what), what=what)
    if not isinstance(document, dict):
        raise InvalidInput(f"{what} must be a JSON object, not {_kind(document)}")
    refuse_hostile(document, what=what)
    return document


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


def _clip(value: object) -> str:
    shown = repr(value)
    return shown if len(shown) <= 40 else shown[:37] + "..."
