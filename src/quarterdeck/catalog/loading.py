"""Reading catalog YAML files safely and validating them with clear errors.

Catalog files are parsed with PyYAML's safe constructors through a loader that also
refuses aliases and anchors (which can blow small files up into huge documents) and
duplicate keys (where the later entry would silently win). Every error names the file
and, where it can, the line or the path inside the document.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from quarterdeck.domain.errors import InvalidInput

__all__ = [
    "MAX_CATALOG_BYTES",
    "CatalogError",
    "catalog_files",
    "load_yaml",
    "shipped",
    "validate_document",
]

MAX_CATALOG_BYTES = 1_000_000
_M = TypeVar("_M", bound=BaseModel)


class CatalogError(InvalidInput):
    """A catalog file cannot be read or breaks its schema; the message names file and path."""


class _StrictSafeLoader(yaml.SafeLoader):
    """Safe loading without aliases, anchors or duplicate mapping keys."""

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise yaml.MarkedYAMLError(
                problem="YAML aliases and anchors are not allowed", problem_mark=event.start_mark
            )
        return super().compose_node(parent, index)

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Hashable, Any]:
        seen: set[object] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if isinstance(key, Hashable) and key in seen:
                raise yaml.MarkedYAMLError(
                    problem=f"duplicate key {key!r}", problem_mark=key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def shipped(name: str) -> Traversable:
    """A data file shipped inside the quarterdeck.catalog package."""
    return files(__package__) / name


def load_yaml(source: Traversable | Path) -> object:
    """Parse one YAML document from `source`, refusing aliases, anchors, duplicate keys,
    files over MAX_CATALOG_BYTES and text that is not UTF-8. Raises CatalogError."""
    label = _label(source)
    try:
        raw = source.read_bytes()
    except OSError as error:
        raise CatalogError(f"{label}: cannot be read ({error.strerror or error})") from None
    if len(raw) > MAX_CATALOG_BYTES:
        raise CatalogError(f"{label}: larger than {MAX_CATALOG_BYTES:,} bytes")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise CatalogError(f"{label}: not UTF-8 text (byte {error.start})") from None
    loader = _StrictSafeLoader(text)
    try:
        return loader.get_single_data()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        where = f" line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise CatalogError(f"{label}:{where}: {error.problem or error}") from None
    except yaml.YAMLError as error:
        raise CatalogError(f"{label}: not valid YAML ({error})") from None
    finally:
        loader.dispose()


def validate_document(model: type[_M], document: object, source: Traversable | Path) -> _M:
    """Validate a parsed document against `model`; errors name the file and the path
    inside it (for example `templates.cpto.rights.roadmap`)."""
    try:
        return model.model_validate(document)
    except ValidationError as error:
        problems = [
            f"{_path(problem['loc']) or '(top level)'}: {problem['msg']}"
            for problem in error.errors(include_url=False)
        ]
        shown = "; ".join(problems[:5])
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        raise CatalogError(f"{_label(source)}: {shown}{more}") from None


def _path(loc: Sequence[int | str]) -> str:
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        elif str(part).endswith("[key]"):
            continue  # pydantic's marker for a bad dict key; the key itself precedes it
        else:
            text += f".{part}" if text else str(part)
    return text


def _label(source: Traversable | Path) -> str:
    return str(source)


def catalog_files(
    directory: Traversable | Path, *, what: str, suffix: str, most: int
) -> list[Traversable | Path]:
    """The `suffix` files of a catalog folder holding one `what` per file, in name order.
    Raises CatalogError naming the folder when it cannot be read, holds none, or holds
    more than `most`."""
    try:
        entries = [e for e in directory.iterdir() if e.name.endswith(suffix) and e.is_file()]
    except OSError as error:
        raise CatalogError(f"{directory}: cannot be read ({error.strerror or error})") from None
    if not entries:
        raise CatalogError(f"{directory}: holds no {what} ({suffix} file)")
    if len(entries) > most:
        raise CatalogError(f"{directory}: holds more than {most} {what} files")
    return sorted(entries, key=lambda entry: entry.name)
