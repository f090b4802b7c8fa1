"""Readable differences between two revisions of a decision."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, fields
from datetime import datetime

from quarterdeck.domain.decisions import DecisionContent, DecisionStatus, Option

__all__ = ["FieldChange", "Revision", "diff_contents"]


@dataclass(frozen=True, slots=True)
class Revision:
    """One saved state of a decision: its text and status, who saved it and when."""

    revision: int
    status: DecisionStatus
    content: DecisionContent
    author: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One field that differs: a line diff for text, added/removed items for lists."""

    field: str
    lines: tuple[str, ...] = ()  # unified diff lines without headers ("-old", "+new", " same")
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    before: str = ""
    after: str = ""


def _as_items(value: object) -> tuple[str, ...] | None:
    if isinstance(value, tuple):
        return tuple(_describe(item) for item in value)
    return None


def _describe(item: object) -> str:
    if isinstance(item, Option):
        pros = "; ".join(item.pros)
        cons = "; ".join(item.cons)
        return f"{item.title} (pros: {pros or '-'}; cons: {cons or '-'})"
    return str(item)


def diff_contents(old: DecisionContent, new: DecisionContent) -> list[FieldChange]:
    """Every field that changed from `old` to `new`, in the order the fields are declared."""
    changes = []
    for spec in fields(DecisionContent):
        before, after = getattr(old, spec.name), getattr(new, spec.name)
        if before == after:
            continue
        old_items, new_items = _as_items(before), _as_items(after)
        if old_items is not None and new_items is not None:
            changes.append(
                FieldChange(
                    field=spec.name,
                    added=tuple(i for i in new_items if i not in old_items),
                    removed=tuple(i for i in old_items if i not in new_items),
                )
            )
        elif isinstance(before, str) and isinstance(after, str) and "\n" in before + after:
            lines = difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=2)
            body = tuple(line for line in lines if not line.startswith(("---", "+++", "@@")))
            changes.append(FieldChange(field=spec.name, lines=body))
        else:
            changes.append(
                FieldChange(
                    field=spec.name,
                    before="" if before is None else _describe(before),
                    after="" if after is None else _describe(after),
                )
            )
    return changes
