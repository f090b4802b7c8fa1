"""The building blocks of a workspace export: strict item models and sections.

Each capability owns the section holding its records (members, audit, decisions, ...): how an
item looks, how to export the items, which rules span items, and how to restore them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, TypeAdapter

from quarterdeck.domain.access import Actor
from quarterdeck.domain.workspaces import Workspace
from quarterdeck.storage import UnitOfWork

__all__ = ["MAX_INT", "Count", "Section", "StrictItem", "iso", "text"]

MAX_INT = 2**31 - 1  # INTEGER columns on PostgreSQL
Count = Annotated[int, Field(ge=0, le=MAX_INT)]

_T = TypeVar("_T")


def iso(moment: datetime) -> str:
    """A time as the document writes it: ISO 8601 in UTC, ending in 'Z'."""
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def text(max_length: int, min_length: int = 0) -> Any:
    return StringConstraints(min_length=min_length, max_length=max_length)


class StrictItem(BaseModel):
    # Unknown keys are refused at every level, so no row id from elsewhere can slip in.
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


def _names_no_roles(items: list[Any]) -> Iterable[tuple[str, str]]:
    return ()


@dataclass(frozen=True, slots=True)
class Section(Generic[_T]):
    """One list in the document, owned by the capability whose records it holds.

    A section added after documents were first written is not `required`: a document
    without it reads as if the list were empty. `roles_named` gives (JSON path, key) for
    every leadership role its items name; each must be a role the document knows (the
    catalog's, or a custom role of its decision rights).
    """

    name: str
    items: TypeAdapter[list[_T]]
    export: Callable[[UnitOfWork, Workspace], list[dict[str, Any]]]
    check: Callable[[list[_T]], None]  # rules spanning items; raises InvalidInput with a path
    restore: Callable[[UnitOfWork, Actor, Workspace, list[_T]], None]
    required: bool = True
    roles_named: Callable[[list[_T]], Iterable[tuple[str, str]]] = _names_no_roles
