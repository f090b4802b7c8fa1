"""The decision log: what was decided, why, by whom, and when to look again."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from quarterdeck.domain.errors import InvalidInput

__all__ = [
    "Decision",
    "DecisionContent",
    "DecisionLink",
    "DecisionStatus",
    "LinkKind",
    "Option",
    "Reversibility",
    "RoutingNote",
    "check_no_cycle",
    "check_transition",
    "display_number",
    "parse_number",
]


class DecisionStatus(StrEnum):
    PROPOSED = "proposed"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    DEPRECATED = "deprecated"
    SUPERSEDED = "superseded"


_TRANSITIONS: Mapping[DecisionStatus, frozenset[DecisionStatus]] = {
    DecisionStatus.PROPOSED: frozenset({DecisionStatus.ACCEPTED, DecisionStatus.REJECTED}),
    DecisionStatus.ACCEPTED: frozenset({DecisionStatus.DEPRECATED, DecisionStatus.SUPERSEDED}),
    DecisionStatus.REJECTED: frozenset(),
    DecisionStatus.DEPRECATED: frozenset(),
    DecisionStatus.SUPERSEDED: frozenset(),
}


def check_transition(current: DecisionStatus, target: DecisionStatus) -> None:
    """Raise InvalidInput unless the lifecycle allows moving from `current` to `target`."""
    allowed = _TRANSITIONS[current]
    if target not in allowed:
        options = ", ".join(sorted(s.value for s in allowed)) or "nothing: it is final"
        raise InvalidInput(
            f"a decision that is {current.value} cannot become {target.value}; "
            f"it can become {options}"
        )


class Reversibility(StrEnum):
    TWO_WAY = "two-way"  # cheap to undo: decide fast, close to the work
    ONE_WAY = "one-way"  # costly or impossible to undo: decide carefully, higher up


class LinkKind(StrEnum):
    SUPERSEDES = "supersedes"
    AMENDS = "amends"
    RELATES_TO = "relates-to"

    @property
    def reverse_label(self) -> str:
        """How the link reads from the other record."""
        return {
            LinkKind.SUPERSEDES: "superseded by",
            LinkKind.AMENDS: "amended by",
            LinkKind.RELATES_TO: "relates to",
        }[self]


@dataclass(frozen=True, slots=True)
class Option:
    """One option considered, with its arguments for and against."""

    title: str
    pros: tuple[str, ...] = ()
    cons: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class DecisionContent:
    """Everything a person writes about a decision; each save keeps a revision of it."""

    title: str
    area: str
    context: str = ""
    options: tuple[Option, ...] = ()
    decision: str = ""
    rationale: str = ""
    consequences: str = ""
    deciders: tuple[str, ...] = ()
    consulted: tuple[str, ...] = ()
    informed: tuple[str, ...] = ()
    reversibility: Reversibility = Reversibility.TWO_WAY
    estimated_spend: Decimal | None = None
    cross_team: bool = False
    security_exception: bool = False  # asks to depart from a security policy or control
    revisit_on: date | None = None
    revisit_condition: str = ""
    tags: tuple[str, ...] = ()
    taken_in: str = ""  # the meeting or context where it was taken

    def __post_init__(self) -> None:
        if not self.title.strip() or len(self.title) > 200:
            raise InvalidInput("title must be 1-200 characters")
        if not self.area.strip():
            raise InvalidInput("area is required")
        if self.estimated_spend is not None and self.estimated_spend < 0:
            raise InvalidInput("estimated spend must be zero or more")


@dataclass(frozen=True, slots=True)
class DecisionLink:
    kind: LinkKind
    number: int  # the other decision's number within the same workspace
    title: str = ""
    outgoing: bool = True  # False: the other record links to this one


@dataclass(frozen=True, slots=True)
class RoutingNote:
    """Why a decision went to an approver: the escalation rule that fired (empty when the
    proposer simply held no rights in the area), the role it went to, and the reason."""

    rule: str
    route_to: str
    reason: str


@dataclass(frozen=True, slots=True)
class Decision:
    id: int
    workspace_id: int
    number: int
    status: DecisionStatus
    content: DecisionContent
    version: int
    created_at: datetime
    decided_at: datetime | None
    links: tuple[DecisionLink, ...] = field(default=())
    updated_at: datetime | None = None  # the last saved revision (links do not count)
    # Decision rights: the role whose approval queue it waits in (None: the proposer may
    # decide it, or it is decided), every reason it was sent there, and who decided it.
    awaiting: str | None = None
    escalations: tuple[RoutingNote, ...] = ()
    proposed_by: str = ""
    decided_by: str | None = None
    decided_as: str | None = None  # the standing they decided with, in words

    @property
    def key(self) -> str:
        return display_number(self.number)


def display_number(number: int) -> str:
    return f"D-{number}"


def parse_number(text: str) -> int:
    """'D-12', 'd12' or '12' -> 12; anything else is InvalidInput."""
    cleaned = text.strip().upper().removeprefix("D").removeprefix("-")
    if not cleaned.isdigit() or int(cleaned) < 1:
        raise InvalidInput(f"{text!r} is not a decision number like D-12")
    return int(cleaned)


def check_no_cycle(
    source: int, target: int, kind: LinkKind, existing: Iterable[tuple[int, int]]
) -> None:
    """Refuse a self-link, and a supersede/amend link that would close a loop.

    `existing` holds (from, to) pairs of links of the same kind in the workspace.
    """
    if source == target:
        verb = {LinkKind.SUPERSEDES: "supersede", LinkKind.AMENDS: "amend"}.get(kind, "relate to")
        raise InvalidInput(f"{display_number(source)} cannot {verb} itself")
    if kind is LinkKind.RELATES_TO:
        return
    graph: dict[int, set[int]] = {}
    for start, end in existing:
        graph.setdefault(start, set()).add(end)
    frontier, seen = [target], set()
    while frontier:
        node = frontier.pop()
        if node == source:
            raise InvalidInput(
                f"{display_number(source)} {kind.value} {display_number(target)} would make a loop"
            )
        if node not in seen:
            seen.add(node)
            frontier.extend(graph.get(node, ()))
