"""The sections of a workspace export that hold decisions: the workspace's decision rights
(`rights`), and every decision with its whole history and routing (`decisions`)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import Field, TypeAdapter, field_validator

from quarterdeck.catalog.rights import rights_catalog
from quarterdeck.domain.access import Actor
from quarterdeck.domain.decision_history import Revision
from quarterdeck.domain.decisions import (
    DecisionContent,
    DecisionStatus,
    LinkKind,
    Reversibility,
    RoutingNote,
)
from quarterdeck.domain.errors import InvalidInput
from quarterdeck.domain.rights import WorkspaceRights
from quarterdeck.domain.workspaces import LeadershipModel, Workspace
from quarterdeck.services import rights
from quarterdeck.services.document_sections import MAX_INT, Count, Section, StrictItem, iso, text
from quarterdeck.services.json_input import BoundedObject, UtcTime
from quarterdeck.storage import UnitOfWork
from quarterdeck.storage.repositories.decisions import (
    Routed,
    content_from_json,
    content_to_json,
)

__all__ = ["DECISIONS", "RIGHTS", "known_roles"]

# --- Decision rights ---------------------------------------------------------------------


class _RightsItem(StrictItem):
    template: Annotated[LeadershipModel, Field(strict=False)]
    document: BoundedObject  # checked by `rights_from_document`, which names what is wrong

    def to_rights(self) -> WorkspaceRights:
        return rights.rights_from_document(self.template.value, self.document)


def _export_rights(uow: UnitOfWork, workspace: Workspace) -> list[dict[str, Any]]:
    stored = uow.rights.get(workspace.id)
    if stored is None:  # the template of the profile's leadership model applies
        return []
    return [{"template": stored.template, "document": stored.document}]


def _check_rights(items: list[_RightsItem]) -> None:
    if len(items) > 1:
        raise InvalidInput(f"rights: a workspace has one set of decision rights, not {len(items)}")
    for index, item in enumerate(items):
        try:
            item.to_rights()
        except InvalidInput as error:
            raise InvalidInput(f"rights[{index}].document: {error.message}") from None


def _restore_rights(
    uow: UnitOfWork, actor: Actor, workspace: Workspace, items: list[_RightsItem]
) -> None:
    for item in items:
        uow.rights.put(
            workspace.id,
            expected_version=0,
            template=item.template.value,
            document=rights.document_of(item.to_rights()),
            author=actor.label,
            now=uow.now(),
        )


def known_roles(items: list[_RightsItem]) -> frozenset[str]:
    """The leadership roles a document knows: the catalog's, and the custom roles of the
    decision rights it holds (call after the rights section was checked)."""
    custom = (role.key for item in items for role in item.to_rights().custom_roles)
    return frozenset((*rights_catalog().role_keys, *custom))


RIGHTS: Section[_RightsItem] = Section(
    "rights",
    TypeAdapter(list[_RightsItem]),
    _export_rights,
    _check_rights,
    _restore_rights,
    required=False,  # documents written before decision rights existed have no such list
)


# --- Decisions ---------------------------------------------------------------------------

_Number = Annotated[int, Field(ge=1, le=MAX_INT)]
_Lines = list[Annotated[str, text(500)]]
_Markdown = Annotated[str, text(100_000)]
_RoleKey = Annotated[str, text(48, min_length=1)]


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
    security_exception: bool = False  # older documents leave it out
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


class _EscalationItem(StrictItem):
    rule: Annotated[str, text(80)]  # empty: the proposer held no rights in the area
    route_to: _RoleKey
    reason: Annotated[str, text(2_000, min_length=1)]

    def to_note(self) -> RoutingNote:
        return RoutingNote(self.rule, self.route_to, self.reason)


class _DecisionItem(StrictItem):
    number: _Number
    status: Annotated[DecisionStatus, Field(strict=False)]
    version: Count
    created_at: UtcTime
    decided_at: UtcTime | None
    revisions: Annotated[list[_RevisionItem], Field(min_length=1)]
    links: list[_LinkItem]
    # Written since decision rights exist; older documents leave them out.
    awaiting: _RoleKey | None = None
    escalations: Annotated[list[_EscalationItem], Field(max_length=100)] = []
    decided_by: Annotated[str, text(254, min_length=1)] | None = None
    decided_as: Annotated[str, text(200, min_length=1)] | None = None

    def routed(self) -> Routed:
        return Routed(
            awaiting=self.awaiting,
            escalations=tuple(note.to_note() for note in self.escalations),
            decided_by=self.decided_by,
            decided_as=self.decided_as,
        )


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
                "awaiting": decision.awaiting,
                "escalations": [
                    {"rule": note.rule, "route_to": note.route_to, "reason": note.reason}
                    for note in decision.escalations
                ],
                "decided_by": decision.decided_by,
                "decided_as": decision.decided_as,
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
            routing=item.routed(),
        )
    now = uow.now()
    for item in items:
        for link in item.links:
            uow.decisions.link(workspace.id, item.number, link.target, link.kind, now)


def _roles_named(items: list[_DecisionItem]) -> Iterator[tuple[str, str]]:
    for index, item in enumerate(items):
        if item.awaiting is not None:
            yield f"decisions[{index}].awaiting", item.awaiting
        for e_index, note in enumerate(item.escalations):
            yield f"decisions[{index}].escalations[{e_index}].route_to", note.route_to


DECISIONS: Section[_DecisionItem] = Section(
    "decisions",
    TypeAdapter(list[_DecisionItem]),
    _export,
    _check,
    _restore,
    roles_named=_roles_named,
)
