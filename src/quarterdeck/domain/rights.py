"""Decision rights: who owns which kind of decision, and what escalates to whom.

A rights matrix says, per decision area, how each leadership role takes part
(owns, co-owns, influences, is consulted, is informed). Escalation rules are the
guardrails: conditions under which a decision leaves the proposer's hands and goes to
a named role. `route` applies both to one proposed decision.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from quarterdeck.domain.errors import InvalidInput
from quarterdeck.domain.workspaces import LeadershipModel

__all__ = [
    "AREA_OWNER",
    "OUTSIDE_RIGHTS",
    "Cell",
    "Condition",
    "DecisionArea",
    "DecisionFacts",
    "Escalation",
    "EscalationRule",
    "Involvement",
    "LeadershipRole",
    "RightsMatrix",
    "RightsTemplate",
    "Routing",
    "WorkspaceRights",
    "parse_involvement",
    "route",
    "validate_rules",
]

# A rule may route to "whoever owns the decision's area" instead of a fixed role.
AREA_OWNER = "area-owner"
OUTSIDE_RIGHTS = "outside your decision rights"


class Involvement(StrEnum):
    OWNS = "owns"
    CO_OWNS = "co-owns"  # accountable with others through shared KPIs and explicit rights
    INFLUENCES = "influences"
    CONSULTED = "consulted"
    INFORMED = "informed"

    @property
    def decides(self) -> bool:
        """Whether this involvement lets the role take the decision."""
        return self in (Involvement.OWNS, Involvement.CO_OWNS)


@dataclass(frozen=True, slots=True)
class DecisionArea:
    """A kind of decision (roadmap, architecture, spend ...), from the catalog or custom."""

    key: str
    name: str
    description: str


@dataclass(frozen=True, slots=True)
class LeadershipRole:
    """A seat in the rights matrix (CTO, Sponsor, Team lead ...) that members are given."""

    key: str
    name: str
    description: str


@dataclass(frozen=True, slots=True)
class Cell:
    area: str
    role: str
    involvement: Involvement


@dataclass(frozen=True, slots=True)
class RightsMatrix:
    """Area -> role -> involvement, kept in the order it was written.

    A role without a cell for an area has no part in that area's decisions.
    """

    cells: tuple[Cell, ...] = ()

    def __post_init__(self) -> None:
        seen: set[tuple[str, str]] = set()
        for cell in self.cells:
            if (cell.area, cell.role) in seen:
                raise InvalidInput(f"role {cell.role!r} appears twice in area {cell.area!r}")
            seen.add((cell.area, cell.role))

    @classmethod
    def from_mapping(cls, rights: Mapping[str, Mapping[str, Involvement | str]]) -> RightsMatrix:
        """Build a matrix from {area: {role: involvement}}; involvement may be its text."""
        cells = []
        for area, roles in rights.items():
            for role, involvement in roles.items():
                cells.append(Cell(area, role, _as_involvement(area, role, involvement)))
        return cls(tuple(cells))

    def as_mapping(self) -> dict[str, dict[str, Involvement]]:
        """A fresh {area: {role: involvement}} copy, in matrix order."""
        result: dict[str, dict[str, Involvement]] = {}
        for cell in self.cells:
            result.setdefault(cell.area, {})[cell.role] = cell.involvement
        return result

    @property
    def areas(self) -> tuple[str, ...]:
        """The areas that have at least one cell, in matrix order."""
        return tuple(dict.fromkeys(cell.area for cell in self.cells))

    @property
    def roles(self) -> tuple[str, ...]:
        """The roles that have at least one cell, in order of first appearance."""
        return tuple(dict.fromkeys(cell.role for cell in self.cells))

    def involvement(self, area: str, role: str) -> Involvement | None:
        """How `role` takes part in `area`, or None when it has no part."""
        for cell in self.cells:
            if cell.area == area and cell.role == role:
                return cell.involvement
        return None

    def owners(self, area: str) -> tuple[str, ...]:
        """The roles that own or co-own `area`, in matrix order."""
        return tuple(c.role for c in self.cells if c.area == area and c.involvement.decides)

    def with_cell(self, area: str, role: str, involvement: Involvement | None) -> RightsMatrix:
        """A new matrix with one cell set (or removed, when `involvement` is None).

        The result is not validated: call `validate` once all edits are made.
        """
        replaced, cells = False, []
        for cell in self.cells:
            if cell.area == area and cell.role == role:
                replaced = True
                if involvement is not None:
                    cells.append(Cell(area, role, involvement))
            else:
                cells.append(cell)
        if not replaced and involvement is not None:
            cells.append(Cell(area, role, involvement))
        return RightsMatrix(tuple(cells))

    def validate(self, areas: Collection[str], roles: Collection[str]) -> None:
        """Raise InvalidInput listing every problem: unknown area or role keys, and any
        known area without exactly one owner or at least two co-owners."""
        problems = []
        unknown_areas = [a for a in self.areas if a not in areas]
        if unknown_areas:
            problems.append(f"unknown area(s): {', '.join(unknown_areas)}")
        unknown_roles = [r for r in self.roles if r not in roles]
        if unknown_roles:
            problems.append(f"unknown role(s): {', '.join(unknown_roles)}")
        for area in areas:
            problem = self._ownership_problem(area)
            if problem:
                problems.append(problem)
        if problems:
            raise InvalidInput("; ".join(problems))

    def _ownership_problem(self, area: str) -> str | None:
        owns = [c.role for c in self.cells if c.area == area and c.involvement is Involvement.OWNS]
        co_owns = [
            c.role for c in self.cells if c.area == area and c.involvement is Involvement.CO_OWNS
        ]
        if not owns and not co_owns:
            return f"area {area!r} has no owner"
        if owns and co_owns:
            return (
                f"area {area!r} is owned by {', '.join(owns)} and co-owned by "
                f"{', '.join(co_owns)}; use one owner or co-owners only"
            )
        if len(owns) > 1:
            return f"area {area!r} has {len(owns)} owners ({', '.join(owns)}); make them co-own it"
        if len(co_owns) == 1:
            return f"area {area!r} has a single co-owner ({co_owns[0]}); make it the owner"
        return None


def parse_involvement(value: str) -> Involvement | None:
    """'owns', 'co-owns', ... -> Involvement; 'none' or '' -> None (no part in the area)."""
    cleaned = value.strip().lower()
    if cleaned in ("", "none", "-"):
        return None
    try:
        return Involvement(cleaned)
    except ValueError:
        choices = ", ".join(member.value for member in Involvement)
        raise InvalidInput(f"involvement must be one of {choices} or none; got {value!r}") from None


def _as_involvement(area: str, role: str, value: Involvement | str) -> Involvement:
    try:
        return Involvement(value)
    except ValueError:
        choices = ", ".join(member.value for member in Involvement)
        raise InvalidInput(
            f"{area}/{role}: involvement must be one of {choices}; got {value!r}"
        ) from None


class Condition(StrEnum):
    CROSS_TEAM = "cross-team"
    SPEND_ABOVE = "spend-above"  # parameter: threshold in the workspace currency
    SECURITY_EXCEPTION = "security-exception"
    ONE_WAY_DOOR = "one-way-door"
    AREA = "area"  # parameter: the area key


@dataclass(frozen=True, slots=True)
class EscalationRule:
    """When `condition` holds for a decision, it goes to `route_to` (a role key, or
    AREA_OWNER for the owner(s) of the decision's area)."""

    name: str
    condition: Condition
    route_to: str
    parameter: Decimal | str | None = None

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise InvalidInput("an escalation rule needs a name")
        if not self.route_to.strip():
            raise InvalidInput(f"rule {self.name!r}: route_to is required")
        if self.condition is Condition.SPEND_ABOVE:
            threshold = self.parameter
            if not isinstance(threshold, Decimal) or not threshold.is_finite() or threshold < 0:
                raise InvalidInput(
                    f"rule {self.name!r}: spend-above needs a threshold of 0 or more"
                )
        elif self.condition is Condition.AREA:
            if not isinstance(self.parameter, str) or not self.parameter.strip():
                raise InvalidInput(f"rule {self.name!r}: an area rule needs the area key")
        elif self.parameter is not None:
            raise InvalidInput(f"rule {self.name!r}: {self.condition.value} takes no parameter")

    def applies_to(self, facts: DecisionFacts) -> bool:
        """Whether the rule's condition holds for the decision (spend must be strictly above)."""
        match self.condition:
            case Condition.CROSS_TEAM:
                return facts.cross_team
            case Condition.SPEND_ABOVE:
                assert isinstance(self.parameter, Decimal)
                return facts.estimated_spend is not None and facts.estimated_spend > self.parameter
            case Condition.SECURITY_EXCEPTION:
                return facts.security_exception
            case Condition.ONE_WAY_DOOR:
                return facts.one_way_door
            case Condition.AREA:
                return facts.area == self.parameter

    def reason(self, facts: DecisionFacts) -> str:
        """Why the rule sends this decision up, in words."""
        match self.condition:
            case Condition.CROSS_TEAM:
                return "it is a cross-team tradeoff"
            case Condition.SPEND_ABOVE:
                return f"estimated spend {facts.estimated_spend:,} is above {self.parameter:,}"
            case Condition.SECURITY_EXCEPTION:
                return "it asks for a security exception"
            case Condition.ONE_WAY_DOOR:
                return "it is a one-way door (costly or impossible to undo)"
            case Condition.AREA:
                return f"decisions in {self.parameter} always go to {self.route_to}"


def validate_rules(
    rules: Iterable[EscalationRule], *, areas: Collection[str], roles: Collection[str]
) -> None:
    """Raise InvalidInput naming every rule that routes to an unknown role or names an
    unknown area."""
    problems = []
    for rule in rules:
        if rule.route_to != AREA_OWNER and rule.route_to not in roles:
            problems.append(f"rule {rule.name!r} routes to unknown role {rule.route_to!r}")
        if rule.condition is Condition.AREA and rule.parameter not in areas:
            problems.append(f"rule {rule.name!r} names unknown area {rule.parameter!r}")
    if problems:
        raise InvalidInput("; ".join(problems))


@dataclass(frozen=True, slots=True)
class RightsTemplate:
    """The starting rights and guardrails for one leadership model; workspaces edit a copy."""

    model: LeadershipModel
    name: str
    description: str
    matrix: RightsMatrix
    rules: tuple[EscalationRule, ...]


@dataclass(frozen=True, slots=True)
class WorkspaceRights:
    """One workspace's decision rights: the template it started from, its matrix and
    guardrails, and the areas and roles it added to the catalog's.

    `version` 0 means the workspace has not edited its rights: the template applies.
    """

    template: LeadershipModel
    matrix: RightsMatrix
    rules: tuple[EscalationRule, ...]
    custom_areas: tuple[DecisionArea, ...] = ()
    custom_roles: tuple[LeadershipRole, ...] = ()
    version: int = 0
    updated_by: str = ""


@dataclass(frozen=True, slots=True)
class DecisionFacts:
    """What routing needs to know about a proposed decision."""

    area: str
    cross_team: bool = False
    estimated_spend: Decimal | None = None
    security_exception: bool = False
    one_way_door: bool = False


@dataclass(frozen=True, slots=True)
class Escalation:
    """One reason a decision goes up: the rule that fired (None when the proposer simply
    does not own the area), the role it goes to, and why, in words."""

    rule: EscalationRule | None
    route_to: str
    reason: str


@dataclass(frozen=True, slots=True)
class Routing:
    """The outcome of `route`: the proposer decides (route_to is None), or the decision
    waits in `route_to`'s approval queue for every reason listed in `escalations`."""

    route_to: str | None
    escalations: tuple[Escalation, ...] = ()

    @property
    def proposer_decides(self) -> bool:
        return self.route_to is None

    @property
    def fired(self) -> tuple[EscalationRule, ...]:
        """The rules that fired, in rule order."""
        return tuple(e.rule for e in self.escalations if e.rule is not None)

    @property
    def reasons(self) -> tuple[str, ...]:
        return tuple(e.reason for e in self.escalations)


def route(
    facts: DecisionFacts,
    proposer_roles: frozenset[str],
    matrix: RightsMatrix,
    rules: Sequence[EscalationRule],
) -> Routing:
    """Decide where a proposed decision goes.

    A rule fires when its condition holds and the proposer does not already hold every
    role it routes to (the CEO proposing a large spend is not sent to the CEO; a co-owner
    proposing a one-way door in a co-owned area is sent to the other co-owners). With
    rules fired, the decision goes to the first fired rule's role, and every fired rule
    is reported. With none fired, an owner or co-owner of the area decides; anyone else
    is sent to the area's first owner because it is outside their decision rights.

    Raises InvalidInput when the area has no owner in the matrix (unknown area).
    """
    owners = matrix.owners(facts.area)
    if not owners:
        raise InvalidInput(f"area {facts.area!r} has no owner in the decision rights")
    escalations = []
    for rule in rules:
        if not rule.applies_to(facts):
            continue
        targets = owners if rule.route_to == AREA_OWNER else (rule.route_to,)
        missing = [role for role in targets if role not in proposer_roles]
        if missing:
            escalations.append(Escalation(rule, missing[0], rule.reason(facts)))
    is_owner = not proposer_roles.isdisjoint(owners)
    if not is_owner:
        escalations.append(Escalation(None, owners[0], OUTSIDE_RIGHTS))
    if not escalations:
        return Routing(route_to=None)
    return Routing(route_to=escalations[0].route_to, escalations=tuple(escalations))
