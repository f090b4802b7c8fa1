"""The decisions section of a workspace export: every decision with its whole history."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import Field, TypeAdapter, field_validator

from quarterdeck.domain.access import Actor
from quarterdeck.domain.decision_history import Revision
from quarterdeck.domain.decisions import (
    DecisionContent,
    DecisionStatus,
    LinkKind,
    Reversibility,
)
from quarterdeck.domain.errors import InvalidInput
from quarterdeck.domain.workspaces import Workspace
from quarterdeck.services.document_sections import MAX_INT, Count, Section, StrictItem, iso, text
from quarterdeck.services.json_input import UtcTime
from quarterdeck.storage import UnitOfWork
from quarterdeck.storage.repositories.decisions import content_from_json, content_to_json

__all__ = ["DECISIONS"]

_Number = Annotated[int, Field(ge=1, le=MAX_INT)]
_Lines = list[Annotated[str, text(500)]]
_Markdown = Annotated[str, text(100_000)]


class _OptionItem(StrictItem):
    title: Annotated[str, text(200, min_length=1)]
    pros: _Lines
    cons: _Lines


class _ContentItem(StrictItem):
    title: Annotated[str, text(200, min_length=1)]
    area: Annotated[str, text(64, min_length=1)]
    context: _Markdown
    options: list[_OptionItem]
    decision: _Markdown
    rationale: _Markdown
    consequences: _Markdown
    deciders: _Lines
    consulted: _Lines
    informed: _Lines
    reversibility: Annotated[Reversibility, Field(strict=False)]
    estimated_spend: Annotated[str, text(40)] | None
    cross_team: bool
    revisit_on: Annotated[str, text(10)] | None
    revisit_condition: Annotated[str, text(2_000)]
    tags: _Lines
    taken_in: Annotated[str, text(500)]

    @field_validator("estimated_spend")
    @classmethod
    def _a_number(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                Decimal(value)
            except InvalidOperation:
                raise ValueError(f"{value!r} is not a number") from None
        return value

    @field_validator("revisit_on")
    @classmethod
    def _a_date(cls, value: str | None) -> str | None:
        if value is not None:
            date.fromisoformat(value)
        return value

    def to_content(self) -> DecisionContent:
        return content_from_json(self.model_dump(mode="json"))


class _RevisionItem(StrictItem):
    revision: _Number
    status: Annotated[DecisionStatus, Field(strict=False)]
    author: Annotated[str, text(254, min_length=1)]
    created_at: UtcTime
    content: _ContentItem


class _LinkItem(StrictItem):
    kind: Annotated[LinkKind, Field(strict=False)]
    target: _Number


class _DecisionItem(StrictItem):
    number: _Number
    status: Annotated[DecisionStatus, Field(strict=False)]
    version: Count
    created_at: UtcTime
    decided_at: UtcTime | None
    revisions: Annotated[list[_RevisionItem], Field(min_length=1)]
    links: list[_LinkItem]


def _export(uow: UnitOfWork, workspace: Workspace) -> list[dict[str, Any]]:
    items = []
    for decision in uow.decisions.all_in(workspace.id):
        revisions = uow.decisions.revisions(workspace.id, decision.number)
        items.append(
            {
                "number": decision.number,
                "status": decision.status.value,
                "version": decision.version,
                "created_at": iso(decision.created_at),
                "decided_at": None if decision.decided_at is None else iso(decision.decided_at),
                "revisions": [
                    {
                        "revision": r.revision,
                        "status": r.status.value,
                        "author": r.author,
                        "created_at": iso(r.created_at),
                        "content": content_to_json(r.content),
                    }
                    for r in revisions
                ],
                "links": [
                    {"kind": link.kind.value, "target": link.number}
                    for link in decision.links
                    if link.outgoing
                ],
            }
        )
    return items


def _check(items: list[_DecisionItem]) -> None:
    numbers: dict[int, int] = {}
    for index, item in enumerate(items):
        if item.number in numbers:
            raise InvalidInput(
                f"decisions[{index}].number: D-{item.number} appears twice "
                f"(also decisions[{numbers[item.number]}])"
            )
        numbers[item.number] = index
        revisions = [r.revision for r in item.revisions]
        if revisions != sorted(set(revisions)):
            raise InvalidInput(f"decisions[{index}].revisions: numbers must rise without repeats")
        for r_index, revision in enumerate(item.revisions):
            try:
                revision.content.to_content()
            except InvalidInput as error:
                raise InvalidInput(
                    f"decisions[{index}].revisions[{r_index}].content: {error.message}"
                ) from None
    for index, item in enumerate(items):
        for l_index, link in enumerate(item.links):
            if link.target not in numbers:
                raise InvalidInput(
                    f"decisions[{index}].links[{l_index}].target: D-{link.target} is not in "
                    "this document"
                )
            if link.target == item.number:
                raise InvalidInput(
                    f"decisions[{index}].links[{l_index}]: a decision links to itself"
                )


def _restore(
    uow: UnitOfWork, actor: Actor, workspace: Workspace, items: list[_DecisionItem]
) -> None:
    for item in items:
        uow.decisions.add_imported(
            workspace.id,
            number=item.number,
            status=item.status,
            version=item.version,
            created_at=item.created_at,
            decided_at=item.decided_at,
            revisions=[
                Revision(
                    revision=r.revision,
                    status=r.status,
                    content=r.content.to_content(),
                    author=r.author,
                    created_at=r.created_at,
                )
                for r in item.revisions
            ],
        )
    now = uow.now()
    for item in items:
        for link in item.links:
            uow.decisions.link(workspace.id, item.number, link.target, link.kind, now)


DECISIONS: Section[_DecisionItem] = Section(
    "decisions", TypeAdapter(list[_DecisionItem]), _export, _check, _restore
)
