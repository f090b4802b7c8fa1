"""The questionnaire the role advisor works from, and the small condition language its
rules are written in (catalog/advisor.yaml).

A condition compares one answer with a value (`engineers gte 30`) or with another answer
of the same kind (`engineers gt headcount`); sets of needs are tested with `has` and
`lacks`. Conditions group into a `When`: all of one list and, when given, any of another.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from quarterdeck.domain.errors import InvalidInput
from quarterdeck.domain.workspaces import MAX_HEADCOUNT, MAX_PRODUCT_LINES, Stage

__all__ = [
    "FIELDS",
    "OPS",
    "Condition",
    "Coupling",
    "FieldKind",
    "FieldSpec",
    "LeaderStatus",
    "Need",
    "Op",
    "Questionnaire",
    "Urgency",
    "Value",
    "When",
]


class Coupling(StrEnum):
    """How closely product decisions and technology decisions depend on each other."""

    TIGHT = "tight"
    LOOSE = "loose"


class Urgency(StrEnum):
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"


class LeaderStatus(StrEnum):
    """Where the organisation's current technology leader stands."""

    NONE = "none"
    STAYING = "staying"
    LEAVING = "leaving"
    ON_LEAVE = "on-leave"


class Need(StrEnum):
    FOUNDATION = "foundation"
    PRODUCT_OUTCOMES = "product-outcomes"
    PLATFORM = "platform"
    TRANSFORMATION = "transformation"
    AI = "ai"
    CUSTOMER_FACING = "customer-facing"
    COACHING = "coaching"
    IT_OPERATIONS = "it-operations"
    DILIGENCE = "diligence"

    @property
    def label(self) -> str:
        return _NEED_LABELS[self]


_NEED_LABELS = {
    Need.FOUNDATION: "technical direction and a first foundation",
    Need.PRODUCT_OUTCOMES: "product bets turned into delivered outcomes",
    Need.PLATFORM: "platform, infrastructure and reliability",
    Need.TRANSFORMATION: "modernisation of systems and of the operating model",
    Need.AI: "AI adoption",
    Need.CUSTOMER_FACING: "technical credibility with customers and partners",
    Need.COACHING: "coaching for the in-house technology leader",
    Need.IT_OPERATIONS: "internal IT operations",
    Need.DILIGENCE: "readiness for technical due diligence",
}


class FieldKind(StrEnum):
    NUMBER = "number"
    FLAG = "flag"
    CHOICE = "choice"
    SET = "set"


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One question: what kind of answer it takes, and its range or choices."""

    kind: FieldKind
    label: str
    choices: type[StrEnum] | None = None
    low: int = 0
    high: int = 0

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(member.value for member in self.choices) if self.choices else ()


_N, _F, _C, _S = FieldKind.NUMBER, FieldKind.FLAG, FieldKind.CHOICE, FieldKind.SET
# Every question, by the attribute name conditions use; Questionnaire has one field each.
FIELDS: Mapping[str, FieldSpec] = MappingProxyType(
    {
        "stage": FieldSpec(_C, "stage", Stage),
        "headcount": FieldSpec(_N, "headcount", low=1, high=MAX_HEADCOUNT),
        "engineers": FieldSpec(_N, "engineers", low=0, high=MAX_HEADCOUNT),
        "growth": FieldSpec(_N, "expected headcount growth (%)", low=-100, high=1000),
        "coupling": FieldSpec(_C, "product/technology coupling", Coupling),
        "product_lines": FieldSpec(_N, "product lines", low=0, high=MAX_PRODUCT_LINES),
        "regulated": FieldSpec(_F, "heavily regulated"),
        "reliability_critical": FieldSpec(_F, "reliability is existential"),
        "m_and_a": FieldSpec(_F, "M&A or multi-platform integration"),
        "full_time_budget": FieldSpec(_F, "budget for a full-time executive"),
        "wants_full_time": FieldSpec(_F, "asks for a full-time hire"),
        "urgency": FieldSpec(_C, "urgency", Urgency),
        "technology_leader": FieldSpec(_C, "technology leader", LeaderStatus),
        "position_vacant": FieldSpec(_F, "technology leader post vacant"),
        "diligence_ahead": FieldSpec(_F, "fundraising diligence ahead"),
        "needs": FieldSpec(_S, "needs", Need),
    }
)


@dataclass(frozen=True, slots=True)
class Questionnaire:
    """The answers the advisor works from. Choices may be given as their text ("scale-up")
    and needs as any iterable of texts; they are stored as enums. Raises InvalidInput
    naming the field for a wrong type or an answer out of range."""

    stage: Stage
    headcount: int
    engineers: int
    growth: int = 0  # expected change in headcount over the next 12 months, in %
    coupling: Coupling = Coupling.TIGHT
    product_lines: int = 1  # software products or lines sold; 0 for a non-software business
    regulated: bool = False
    reliability_critical: bool = False
    m_and_a: bool = False
    full_time_budget: bool = False
    wants_full_time: bool = False
    urgency: Urgency = Urgency.NORMAL
    technology_leader: LeaderStatus = LeaderStatus.NONE
    position_vacant: bool = False
    diligence_ahead: bool = False
    needs: frozenset[Need] = frozenset()

    def __post_init__(self) -> None:
        for name, spec in FIELDS.items():
            object.__setattr__(self, name, _checked(name, spec, getattr(self, name)))


def _checked(name: str, spec: FieldSpec, value: object) -> object:
    if spec.kind is FieldKind.NUMBER:
        if not isinstance(value, int) or isinstance(value, bool):
            raise InvalidInput(f"{name} must be a whole number; got {value!r}")
        if not spec.low <= value <= spec.high:
            raise InvalidInput(f"{name} must be between {spec.low:,} and {spec.high:,}")
        return value
    if spec.kind is FieldKind.FLAG:
        if not isinstance(value, bool):
            raise InvalidInput(f"{name} must be true or false; got {value!r}")
        return value
    assert spec.choices is not None
    if spec.kind is FieldKind.CHOICE:
        return _choice(name, spec, value)
    if isinstance(value, str | bytes) or not hasattr(value, "__iter__"):
        raise InvalidInput(f"{name} must be a set of {', '.join(spec.values)}")
    return frozenset(_choice(name, spec, item) for item in value)


def _choice(name: str, spec: FieldSpec, value: object) -> StrEnum:
    assert spec.choices is not None
    if isinstance(value, str) and value in spec.values:
        return spec.choices(value)
    raise InvalidInput(f"{name} must be one of {', '.join(spec.values)}; got {value!r}")


class Op(StrEnum):
    EQ = "eq"
    NE = "ne"
    IN = "in"
    GT = "gt"
    GTE = "gte"
    LT = "lt"
    LTE = "lte"
    HAS = "has"  # a set answer includes the value
    LACKS = "lacks"


_ORDERING = frozenset({Op.GT, Op.GTE, Op.LT, Op.LTE})
OPS: Mapping[FieldKind, frozenset[Op]] = MappingProxyType(
    {
        FieldKind.NUMBER: frozenset({Op.EQ, Op.NE, Op.IN}) | _ORDERING,
        FieldKind.FLAG: frozenset({Op.EQ, Op.NE}),
        FieldKind.CHOICE: frozenset({Op.EQ, Op.NE, Op.IN}),
        FieldKind.SET: frozenset({Op.HAS, Op.LACKS}),
    }
)
_WORDS = {
    Op.EQ: "is",
    Op.NE: "is not",
    Op.IN: "is one of",
    Op.GT: "is more than",
    Op.GTE: "is at least",
    Op.LT: "is less than",
    Op.LTE: "is at most",
    Op.HAS: "include",
    Op.LACKS: "do not include",
}

Value = bool | int | str | tuple[int, ...] | tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Condition:
    """`field op value`, or `field op value_of` to compare two answers of the same kind.
    Raises InvalidInput for an unknown field, an op the field does not take, or a value
    of the wrong kind."""

    field: str
    op: Op
    value: Value | None = None
    value_of: str | None = None

    def __post_init__(self) -> None:
        spec = FIELDS.get(self.field)
        if spec is None:
            raise InvalidInput(
                f"unknown questionnaire field {self.field!r}; known: {', '.join(FIELDS)}"
            )
        if self.op not in OPS[spec.kind]:
            allowed = ", ".join(op.value for op in Op if op in OPS[spec.kind])
            raise InvalidInput(f"{self.field} takes the ops {allowed}, not {self.op.value!r}")
        if (self.value is None) == (self.value_of is None):
            raise InvalidInput(f"{self.field}: give either value or value_of")
        if self.value_of is not None:
            other = FIELDS.get(self.value_of)
            if other is None or other.kind is not spec.kind or self.value_of == self.field:
                raise InvalidInput(f"value_of {self.value_of!r}: not another {spec.kind} field")
            if self.op is Op.IN:
                raise InvalidInput("value_of cannot be used with in")
            return
        if not _fits(spec, self.op, self.value):
            raise InvalidInput(f"value {self.value!r} does not suit {self.field} {self.op}")

    def holds(self, answers: Questionnaire) -> bool:
        actual: Any = getattr(answers, self.field)
        wanted: Any = getattr(answers, self.value_of) if self.value_of else self.value
        match self.op:
            case Op.EQ:
                return bool(actual == wanted)
            case Op.NE:
                return bool(actual != wanted)
            case Op.IN:
                return actual in wanted
            case Op.GT:
                return bool(actual > wanted)
            case Op.GTE:
                return bool(actual >= wanted)
            case Op.LT:
                return bool(actual < wanted)
            case Op.LTE:
                return bool(actual <= wanted)
            case Op.HAS:
                return wanted in actual
            case Op.LACKS:
                return wanted not in actual

    def describe(self, answers: Questionnaire | None = None) -> str:
        """The condition in words, with the answer given when `answers` is passed."""
        wanted = FIELDS[self.value_of].label if self.value_of else _show(self.value)
        text = f"{FIELDS[self.field].label} {_WORDS[self.op]} {wanted}"
        return f"{text} (answer: {_show(getattr(answers, self.field))})" if answers else text


def _fits(spec: FieldSpec, op: Op, value: object) -> bool:
    if op is Op.IN:
        return isinstance(value, tuple) and bool(value) and all(_one(spec, v) for v in value)
    return _one(spec, value)


def _one(spec: FieldSpec, value: object) -> bool:
    if spec.kind is FieldKind.NUMBER:
        return isinstance(value, int) and not isinstance(value, bool)
    if spec.kind is FieldKind.FLAG:
        return isinstance(value, bool)
    return isinstance(value, str) and value in spec.values


def _show(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, tuple | frozenset):
        return ", ".join(sorted(str(item) for item in value)) or "none"
    return str(value)


@dataclass(frozen=True, slots=True)
class When:
    """Every `all_of` condition holds and, when `any_of` is given, at least one of it."""

    all_of: tuple[Condition, ...] = ()
    any_of: tuple[Condition, ...] = ()

    def __post_init__(self) -> None:
        if not self.all_of and not self.any_of:
            raise InvalidInput("a rule needs at least one condition")

    def holds(self, answers: Questionnaire) -> bool:
        return all(c.holds(answers) for c in self.all_of) and (
            not self.any_of or any(c.holds(answers) for c in self.any_of)
        )

    def unmet(self, answers: Questionnaire) -> tuple[str, ...]:
        """The conditions that kept the rule from firing, in words."""
        missed = [c.describe(answers) for c in self.all_of if not c.holds(answers)]
        if self.any_of and not any(c.holds(answers) for c in self.any_of):
            missed.append("none of: " + "; ".join(c.describe(answers) for c in self.any_of))
        return tuple(missed)
