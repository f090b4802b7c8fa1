"""The low-level rules for reading JSON that came from outside, shared by every reader of
untrusted files (connectors here, workspace imports in `services.json_input`).

Each step raises InvalidInput whose message starts with the name of what is read: the size
is checked before anything is decoded, the text must be UTF-8, and the JSON must not repeat
a key in one object, hold NaN or Infinity, nest deeper than MAX_DOCUMENT_DEPTH or hold a
NUL character. Readers call the steps they need, in this order, and check the shape of the
document (an object, a list) in between as they see fit.
"""

from __future__ import annotations

import json
from typing import Any

from quarterdeck.domain.errors import InvalidInput
from quarterdeck.ingest.limits import too_large

__all__ = [
    "MAX_DOCUMENT_DEPTH",
    "check_size",
    "decode",
    "invalid",
    "json_path",
    "parse",
    "refuse_hostile",
]

MAX_DOCUMENT_DEPTH = 64
_SHOWN_PROBLEMS = 5


def check_size(data: bytes, *, max_bytes: int, what: str) -> None:
    """Raise InvalidInput when `data` is larger than `max_bytes` (the import limit, see
    `limits`): before anything decodes it."""
    if len(data) > max_bytes:
        raise InvalidInput(too_large(what, size=len(data), max_bytes=max_bytes))


def decode(data: bytes, *, what: str) -> str:
    """`data` as UTF-8 text; InvalidInput naming the offset of the first bad byte."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InvalidInput(f"{what} is not UTF-8 text (bad byte at offset {error.start})") from None


def parse(text: str, *, what: str) -> object:
    """The JSON value in `text`. Raises InvalidInput when it is not JSON (with line and
    column), repeats a key in one object, holds NaN or Infinity, an integer too long to
    convert, or nests too deeply for the parser."""

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


def refuse_hostile(document: object, *, what: str) -> None:
    """Raise InvalidInput, naming the JSON path, when `document` nests deeper than
    MAX_DOCUMENT_DEPTH or holds a NUL character in a key or a string."""
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


def json_path(parts: tuple[str | int, ...]) -> str:
    """('members', 2, 'role') -> 'members[2].role'."""
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(top level)"


def invalid(problems: list[str], what: str) -> InvalidInput:
    """One readable error listing the first few problems and how many more there are."""
    shown = "; ".join(problems[:_SHOWN_PROBLEMS])
    more = len(problems) - _SHOWN_PROBLEMS
    suffix = f" (and {more} more problem{'s' if more > 1 else ''})" if more > 0 else ""
    return InvalidInput(f"{what} is not valid: {shown}{suffix}")
