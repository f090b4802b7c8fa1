"""Explainable prioritisation of intake items (DOMAIN.md section 5), per workspace: the shared
core (scales, criteria, the breakdown of a score, rankings and their explanation, ties and
gates) and custom weighted criteria. The five-criteria model lives in
`prioritisation_five_criteria`, RICE and WSJF in `prioritisation_ratios`, the worked example's
two selection rules in `selection_rules`. Every choice the numbers depend on:

- Exact numbers. Inputs are int, Decimal or Fraction (floats are refused: 0.1 is not 0.1 in
  binary) and all arithmetic is in Fraction, so every score can be checked by hand.
- Breakdown. A ranked item carries one Term per criterion: raw value, normalised value,
  weight and contribution. The score is (sum of the ADD contributions) x (product of the
  MULTIPLY contributions); weighted models only add.
- Weighted models (five-criteria and custom). Each criterion has its own scale low..high and
  maps onto 0..1 by it: (raw - low) / (high - low) when higher is better, (high - raw) /
  (high - low) when lower is better (risk). Scaling by the criterion's range, not by the
  candidates' min and max, keeps a score still when items join or leave the intake and keeps
  one outlier from squashing the rest. A weight counts as its share of all weights (3, 1, 1
  count 3/5, 1/5, 1/5); contribution = share x normalised; the score is their sum, 0..1, and
  is also the normalised score. Unbounded scores (RICE, WSJF) are normalised against the best
  ranked item instead; `prioritisation_ratios` says why.
- Ties: equal scores are ordered by key, ascending; each tied item names the others.
- Gates: must-pass yes/no questions and pass marks on weighted criteria. A "no", an
  unanswered gate or a value worse than a pass mark excludes the item with every reason. An
  item failing a yes/no gate is set aside before scoring: its other scores are neither needed
  nor checked. A model may set items aside before scoring for reasons of its own
  (`prioritisation_five_criteria`: no strategic fit).

`exact`, `show`, `check_unique`, `ordinal`, `rank_by` and `weighted_scorer` are shared with
the sibling modules and kept out of `__all__`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from typing import Protocol, TypeVar

from quarterdeck.domain.errors import InvalidInput

__all__ = [
    "Candidate",
    "Criterion",
    "Direction",
    "Effect",
    "Excluded",
    "Gate",
    "Method",
    "Number",
    "Ranked",
    "Ranking",
    "Term",
    "WeightedModel",
    "rank_weighted",
]

Number = int | Decimal | Fraction
ONE, ZERO = Fraction(1), Fraction(0)
TIE_BREAK = "Equal scores are ordered by key, ascending."


class Direction(StrEnum):
    HIGHER_BETTER = "higher-better"
    LOWER_BETTER = "lower-better"


class Effect(StrEnum):
    ADD = "add"  # the score gains the contribution
    MULTIPLY = "multiply"  # the score is multiplied by the contribution


class Method(StrEnum):
    FIVE_CRITERIA = "five-criteria"
    WEIGHTED = "weighted"
    RICE = "rice"
    WSJF = "wsjf"


_BY_SCALE = (
    "Each criterion is mapped onto 0..1 by its own scale (reversed when lower is better) and "
    "counts by its share of all weights; the score is the sum, 0..1, and does not move when "
    "other items join or leave."
)
_BY_BEST = "The normalised score is the score divided by the best ranked item's (the top is 1)."
NORMALISATION = {
    Method.FIVE_CRITERIA: _BY_SCALE,
    Method.WEIGHTED: _BY_SCALE,
    Method.RICE: _BY_BEST,
    Method.WSJF: _BY_BEST,
}


# --- shared with the sibling modules --------------------------------------------------


def exact(value: object, where: str) -> Fraction:
    """`value` as a Fraction; raises InvalidInput, naming `where`, for floats, bools, other
    types and non-finite decimals."""
    if isinstance(value, bool) or not isinstance(value, int | Decimal | Fraction):
        raise InvalidInput(f"{where} must be a whole number, a decimal or a fraction: {value!r}")
    if isinstance(value, Decimal) and not value.is_finite():
        raise InvalidInput(f"{where} must be a finite number, not {value}")
    return Fraction(value)


def show(value: Fraction) -> str:
    """`value` for people: whole numbers as they are, others to at most three decimals."""
    if value.denominator == 1:
        return str(value.numerator)
    rounded = (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.001"))
    return format(rounded.normalize(), "f")


def check_unique(keys: Iterable[str], what: str) -> None:
    """Raises InvalidInput for a blank or repeated key among the `what`s."""
    seen: set[str] = set()
    for key in keys:
        if not key.strip():
            raise InvalidInput(f"every {what} needs a key")
        if key in seen:
            raise InvalidInput(f"two of the {what}s have the key {key!r}")
        seen.add(key)


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


@dataclass(frozen=True, slots=True)
class Gate:
    """A must-pass yes/no question; an item answered "no", or not at all, is excluded."""

    key: str
    question: str


@dataclass(frozen=True, slots=True)
class Term:
    """One criterion's part in an item's score; each model's module docstring says how."""

    criterion: str
    raw: Fraction  # as entered (RICE confidence in percent)
    normalised: Fraction  # the value the model uses: 0..1 for weighted models
    weight: Fraction  # share of all weights; 1 for RICE and WSJF
    contribution: Fraction
    effect: Effect = Effect.ADD
    note: str = ""  # how the raw value came about, where it is derived


@dataclass(frozen=True, slots=True)
class Ranked:
    key: str
    title: str
    rank: int  # 1 is first; unique, ties broken by key
    score: Fraction
    normalised: Fraction  # 0..1; how, is the ranking's `normalisation`
    terms: tuple[Term, ...]
    tied_with: tuple[str, ...]  # keys with exactly the same score

    def term(self, criterion: str) -> Term:
        """The term of `criterion`; raises InvalidInput if the model has no such criterion."""
        for term in self.terms:
            if term.criterion == criterion:
                return term
        raise InvalidInput(f"the ranking has no criterion {criterion!r}")


@dataclass(frozen=True, slots=True)
class Excluded:
    key: str
    title: str
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Ranking:
    method: Method
    normalisation: str
    tie_break: str
    ranked: tuple[Ranked, ...]
    excluded: tuple[Excluded, ...]  # in key order

    def explain(self, key: str) -> tuple[str, ...]:
        """Why `key` holds its place, line by line; raises InvalidInput for an unknown key."""
        for out in self.excluded:
            if out.key == key:
                return (f"{key} is not ranked: {'; '.join(out.reasons)}.",)
        item = next((r for r in self.ranked if r.key == key), None)
        if item is None:
            raise InvalidInput(f"intake item {key} is not in this ranking")
        lines = [
            f"{key} is ranked {ordinal(item.rank)} of {len(self.ranked)} with a score of "
            f"{show(item.score)} ({show(item.normalised)} normalised)."
        ]
        for t in item.terms:
            if t.effect is Effect.ADD:
                lines.append(
                    f"{t.criterion}: {show(t.raw)} -> {show(t.normalised)} x weight "
                    f"{show(t.weight)} adds {show(t.contribution)}. {t.note}".rstrip()
                )
            else:
                lines.append(f"{t.criterion}: {show(t.raw)} multiplies by {show(t.contribution)}.")
        if item.tied_with:
            lines.append(f"Same score as {', '.join(item.tied_with)}. {self.tie_break}")
        lines.append(self.normalisation)
        return tuple(lines)


class _Item(Protocol):
    @property
    def key(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def gates(self) -> Mapping[str, bool]: ...


_T = TypeVar("_T", bound=_Item)
_Scorer = Callable[[_T], tuple[tuple[Term, ...], list[str]]]


def _gate_reasons(gates: Sequence[Gate], item: _Item) -> list[str]:
    known = {gate.key for gate in gates}
    unknown = sorted(set(item.gates) - known)
    if unknown:
        listed = ", ".join(sorted(known)) or "none"
        raise InvalidInput(f"intake item {item.key}: unknown gate {unknown[0]!r} (known: {listed})")
    reasons = []
    for gate in gates:
        answer = item.gates.get(gate.key)
        if answer is None:
            reasons.append(f"gate {gate.key!r} not answered ({gate.question})")
        elif not isinstance(answer, bool):
            raise InvalidInput(f"intake item {item.key}: gate {gate.key!r} needs yes or no")
        elif not answer:
            reasons.append(f"fails gate {gate.key!r} ({gate.question} No)")
    return reasons


def rank_by(
    method: Method,
    gates: Sequence[Gate],
    candidates: Sequence[_T],
    score: _Scorer[_T],
    early: Mapping[str, list[str]] | None = None,
) -> Ranking:
    """Rank `candidates` by `score`. An item with `early` reasons or a failed or unanswered
    gate is excluded without being scored; one the scorer finds reasons against is excluded
    with them. Raises InvalidInput for duplicate keys and unknown gates, and passes on the
    scorer's."""
    check_unique((c.key for c in candidates), "intake item")
    scored: list[tuple[str, str, Fraction, tuple[Term, ...]]] = []
    excluded = []
    for item in candidates:
        reasons = [*(early or {}).get(item.key, []), *_gate_reasons(gates, item)]
        if not reasons:
            terms, reasons = score(item)
        if reasons:
            excluded.append(Excluded(item.key, item.title, tuple(reasons)))
            continue
        added = sum((t.contribution for t in terms if t.effect is Effect.ADD), ZERO)
        factor = math.prod(
            (t.contribution for t in terms if t.effect is Effect.MULTIPLY), start=ONE
        )
        scored.append((item.key, item.title, added * factor, terms))
    order = sorted(scored, key=lambda s: (-s[2], s[0]))
    best = order[0][2] if order else ZERO
    ranked = []
    for rank, (key, title, value, terms) in enumerate(order, start=1):
        if method in (Method.RICE, Method.WSJF):
            normalised = value / best if best > 0 else ZERO
        else:
            normalised = value
        tied = tuple(other for other, _, v, _ in order if v == value and other != key)
        ranked.append(Ranked(key, title, rank, value, normalised, terms, tied))
    out = tuple(sorted(excluded, key=lambda e: e.key))
    return Ranking(method, NORMALISATION[method], TIE_BREAK, tuple(ranked), out)


# --- custom weighted criteria --------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Criterion:
    """A named criterion on the scale low..high; `pass_mark` makes it must-pass: a raw value
    worse than the mark (below it, or above it when lower is better) excludes the item."""

    key: str
    label: str
    weight: Number
    low: Number = 0
    high: Number = 5
    direction: Direction = Direction.HIGHER_BETTER
    pass_mark: Number | None = None

    def __post_init__(self) -> None:
        where = f"criterion {self.key!r}"
        if exact(self.weight, f"{where}: weight") < 0:
            raise InvalidInput(f"{where}: weight must not be negative, got {self.weight}")
        low, high = exact(self.low, f"{where}: low"), exact(self.high, f"{where}: high")
        if low >= high:
            raise InvalidInput(f"{where}: the scale's low end {low} must be below its high end")
        mark = None if self.pass_mark is None else exact(self.pass_mark, f"{where}: pass mark")
        if mark is not None and not low <= mark <= high:
            raise InvalidInput(f"{where}: pass mark {self.pass_mark} is outside {low}..{high}")

    def normalise(self, raw: Fraction) -> Fraction:
        low, high = Fraction(self.low), Fraction(self.high)
        top = raw - low if self.direction is Direction.HIGHER_BETTER else high - raw
        return top / (high - low)

    def passes(self, raw: Fraction) -> bool:
        if self.pass_mark is None:
            return True
        mark = Fraction(self.pass_mark)
        return raw >= mark if self.direction is Direction.HIGHER_BETTER else raw <= mark


@dataclass(frozen=True, slots=True)
class WeightedModel:
    """A workspace's custom weighted criteria and gates."""

    criteria: tuple[Criterion, ...]
    gates: tuple[Gate, ...] = ()

    def __post_init__(self) -> None:
        if not self.criteria:
            raise InvalidInput("a weighted model needs at least one criterion")
        check_unique((c.key for c in self.criteria), "criterion")
        check_unique((g.key for g in self.gates), "gate")
        if sum(Fraction(c.weight) for c in self.criteria) == 0:
            raise InvalidInput("all criteria weigh zero; give at least one a weight above zero")


@dataclass(frozen=True, slots=True)
class Candidate:
    key: str
    title: str
    scores: Mapping[str, Number]  # criterion key -> raw value on its scale
    gates: Mapping[str, bool] = field(default_factory=dict)


def weighted_scorer(model: WeightedModel) -> _Scorer[Candidate]:
    total = sum((Fraction(c.weight) for c in model.criteria), ZERO)
    known = {c.key for c in model.criteria}

    def score(item: Candidate) -> tuple[tuple[Term, ...], list[str]]:
        where = f"intake item {item.key}"
        unknown = sorted(set(item.scores) - known)
        if unknown:
            listed = ", ".join(sorted(known))
            raise InvalidInput(f"{where}: unknown criterion {unknown[0]!r} (known: {listed})")
        terms, failures = [], []
        for c in model.criteria:
            if c.key not in item.scores:
                raise InvalidInput(f"{where}: no score for {c.key!r}")
            raw = exact(item.scores[c.key], f"{where}: {c.key}")
            if not Fraction(c.low) <= raw <= Fraction(c.high):
                raise InvalidInput(
                    f"{where}: {c.key} is {show(raw)}, outside its scale {c.low}..{c.high}"
                )
            if not c.passes(raw):
                failures.append(f"{c.key} is {show(raw)}, worse than its pass mark {c.pass_mark}")
            norm, share = c.normalise(raw), Fraction(c.weight) / total
            terms.append(Term(c.key, raw, norm, share, share * norm))
        return tuple(terms), failures

    return score


def rank_weighted(model: WeightedModel, candidates: Sequence[Candidate]) -> Ranking:
    """Rank by custom weighted criteria. Raises InvalidInput for duplicate keys, unknown or
    missing criteria or gates, and values outside a criterion's scale."""
    return rank_by(Method.WEIGHTED, model.gates, candidates, weighted_scorer(model))
