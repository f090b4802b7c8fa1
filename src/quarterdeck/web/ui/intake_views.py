"""What the intake pages show, worked out from the services' answers: the board's rows
(ranked, excluded with their reasons, unscored, closed), where one item stands in the
ranking and why, its evidence checkpoints, and its cost-benefit figures as text."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from fractions import Fraction

from quarterdeck.domain.cost_benefit import Appraisal, Outcome
from quarterdeck.domain.portfolio import IntakeItem
from quarterdeck.domain.prioritisation import Effect
from quarterdeck.domain.scorecard import format_value
from quarterdeck.services.intake import CHECKPOINTS, READY_CHECKS
from quarterdeck.services.intake_ranking import IntakeRanking
from quarterdeck.services.scorecard import MetricCard

__all__ = [
    "AsideRow",
    "Board",
    "CheckpointRow",
    "Placement",
    "RankedRow",
    "TermRow",
    "board",
    "checkpoint_progress",
    "checkpoints",
    "figure",
    "figure_rows",
    "missing_checks",
    "placement",
]


def figure(value: Fraction) -> str:
    """A score for people: whole numbers as they are, others to at most three decimals."""
    if value.denominator == 1:
        return str(value.numerator)
    shown = (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.001"))
    return format(shown.normalize(), "f")


def missing_checks(item: IntakeItem) -> tuple[str, ...]:
    """The definition-of-ready checks not yet confirmed, as people read them."""
    return tuple(label for key, label in READY_CHECKS.items() if not item.ready.get(key))


@dataclass(frozen=True, slots=True)
class RankedRow:
    rank: int
    item: IntakeItem
    score: str
    normalised: str
    missing: tuple[str, ...]
    tied_with: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class AsideRow:
    item: IntakeItem
    reasons: tuple[str, ...]
    missing: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Board:
    ranked: tuple[RankedRow, ...]
    excluded: tuple[AsideRow, ...]  # failed a gate or a pass mark
    unscored: tuple[AsideRow, ...]  # lacks the method's inputs
    closed: tuple[IntakeItem, ...]  # done or dropped: never ranked
    of: int  # how many open items the ranking placed, whatever the filters


def board(ranking: IntakeRanking, shown: Sequence[IntakeItem]) -> Board:
    """The rows of the items the filters let through, each where the ranking put it (the
    rank counts every open item, so a filtered board keeps the real ranks)."""
    by_key = {item.key: item for item in shown}
    order = ranking.ranking
    ranked = tuple(
        RankedRow(
            r.rank,
            by_key[r.key],
            figure(r.score),
            figure(r.normalised),
            missing_checks(by_key[r.key]),
            r.tied_with,
        )
        for r in order.ranked
        if r.key in by_key
    )
    excluded = tuple(
        AsideRow(by_key[e.key], e.reasons, missing_checks(by_key[e.key]))
        for e in order.excluded
        if e.key in by_key
    )
    unscored = tuple(
        AsideRow(by_key[u.key], (u.reason,), missing_checks(by_key[u.key]))
        for u in ranking.unscored
        if u.key in by_key
    )
    placed = {row.item.key for row in ranked} | {row.item.key for row in excluded + unscored}
    closed = tuple(item for item in shown if item.key not in placed)
    return Board(ranked, excluded, unscored, closed, len(order.ranked))


@dataclass(frozen=True, slots=True)
class TermRow:
    criterion: str
    raw: str
    normalised: str
    weight: str
    contribution: str
    effect: str  # "adds" or "multiplies"
    note: str


@dataclass(frozen=True, slots=True)
class Placement:
    state: str  # ranked, excluded, unscored or closed
    rank: int | None
    of: int
    score: str
    normalised: str
    lines: tuple[str, ...]
    terms: tuple[TermRow, ...]


def placement(ranking: IntakeRanking, item: IntakeItem) -> Placement:
    """Where `item` stands under the ranking's method, and the lines that explain it."""
    order = ranking.ranking
    of = len(order.ranked)
    found = next((r for r in order.ranked if r.key == item.key), None)
    if found is not None:
        terms = tuple(
            TermRow(
                t.criterion,
                figure(t.raw),
                figure(t.normalised),
                figure(t.weight),
                figure(t.contribution),
                "adds" if t.effect is Effect.ADD else "multiplies",
                t.note,
            )
            for t in found.terms
        )
        return Placement(
            "ranked",
            found.rank,
            of,
            figure(found.score),
            figure(found.normalised),
            order.explain(item.key),
            terms,
        )
    if any(e.key == item.key for e in order.excluded):
        return Placement("excluded", None, of, "", "", order.explain(item.key), ())
    lacking = next((u for u in ranking.unscored if u.key == item.key), None)
    if lacking is not None:
        line = f"{item.key} is not ranked by {ranking.method.value}: {lacking.reason}."
        return Placement("unscored", None, of, "", "", (line,), ())
    line = f"{item.key} is {item.status}; only open items (proposed or in progress) are ranked."
    return Placement("closed", None, of, "", "", (line,), ())


@dataclass(frozen=True, slots=True)
class CheckpointRow:
    key: str
    label: str
    done: bool
    note: str
    link: str
    by: str
    at: datetime | None


def checkpoints(item: IntakeItem) -> tuple[CheckpointRow, ...]:
    """Every evidence checkpoint, recorded or not, in the order of the product cycle."""
    rows = []
    for key, label in CHECKPOINTS.items():
        entry = item.checkpoints.get(key) or {}
        at = entry.get("at")
        rows.append(
            CheckpointRow(
                key=key,
                label=label,
                done=bool(entry.get("done")),
                note=str(entry.get("note", "")),
                link=str(entry.get("link", "")),
                by=str(entry.get("by", "")),
                at=datetime.fromisoformat(at) if isinstance(at, str) and at else None,
            )
        )
    return tuple(rows)


def checkpoint_progress(item: IntakeItem) -> str:
    """How many evidence checkpoints are done, like 2/3."""
    done = sum(1 for row in checkpoints(item) if row.done)
    return f"{done}/{len(CHECKPOINTS)}"


def _money(value: Decimal) -> str:
    return f"{value:,.2f}"


def _periods(value: Decimal | None, appraisal: Appraisal) -> str:
    if value is None:
        return "does not pay back within the horizon"
    unit = appraisal.period.value
    return f"{value} {unit}{'' if value == 1 else 's'}"


def figure_rows(
    appraisal: Appraisal, outcomes: Sequence[Outcome]
) -> list[tuple[str, tuple[str, ...]]]:
    """(label, the value in each of `outcomes`) for NPV, ROI, payback, discounted payback,
    the present values and the flows per period."""

    def row(label: str, shown: list[str]) -> tuple[str, tuple[str, ...]]:
        return label, tuple(shown)

    return [
        row("Net present value", [_money(o.npv) for o in outcomes]),
        row(
            "Return on investment",
            ["none: nothing is spent" if o.roi is None else f"{o.roi} %" for o in outcomes],
        ),
        row("Payback", [_periods(o.payback, appraisal) for o in outcomes]),
        row("Discounted payback", [_periods(o.discounted_payback, appraisal) for o in outcomes]),
        row("Present value of the costs", [_money(o.present_costs) for o in outcomes]),
        row("Present value of the benefits", [_money(o.present_benefits) for o in outcomes]),
        row(
            f"Costs per {appraisal.period.value}",
            [", ".join(_money(c) for c in o.costs) for o in outcomes],
        ),
        row(
            f"Benefits per {appraisal.period.value}",
            [", ".join(_money(b) for b in o.benefits) for o in outcomes],
        ),
    ]


@dataclass(frozen=True, slots=True)
class MetricRef:
    """What an intake item or outcome shows of a metric the scorecard tracks."""

    name: str
    latest: str  # the latest value as people read it, "" before any value
    level: str  # green, amber, red or unknown


def metric_refs(cards: Sequence[MetricCard]) -> dict[str, MetricRef]:
    """Scorecard cards by metric key, as the intake and roadmap pages link them."""
    return {
        card.metric.key: MetricRef(
            card.metric.definition.name,
            ""
            if card.latest is None
            else format_value(card.latest.value, card.metric.definition.unit),
            card.status.level.value,
        )
        for card in cards
    }
