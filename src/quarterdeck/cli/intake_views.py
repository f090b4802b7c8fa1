"""How intake items, their ranking and their cost-benefit read on the command line: plain
data for --json, and rows and lines for people."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from quarterdeck.cli.portfolio_options import figure, weeks

if TYPE_CHECKING:
    from quarterdeck.domain.cost_benefit import Appraisal, Outcome
    from quarterdeck.domain.portfolio import IntakeItem
    from quarterdeck.domain.prioritisation import Ranked
    from quarterdeck.services.intake_ranking import IntakeRanking

__all__ = [
    "LISTED_COLUMNS",
    "appraisal_json",
    "appraisal_rows",
    "checkpoint_words",
    "explanation",
    "item_rows",
    "listed_json",
    "listed_row",
    "place",
    "print_item",
    "ranked_json",
    "ranking_json",
]


# -- ranking ---------------------------------------------------------------------------------


def ranked_json(ranked: Ranked) -> dict[str, Any]:
    """A ranked item with its breakdown; numbers as text to three decimals at most."""
    return {
        "key": ranked.key,
        "title": ranked.title,
        "rank": ranked.rank,
        "score": figure(ranked.score),
        "normalised": figure(ranked.normalised),
        "tied_with": list(ranked.tied_with),
        "terms": [
            {
                "criterion": t.criterion,
                "raw": figure(t.raw),
                "normalised": figure(t.normalised),
                "weight": figure(t.weight),
                "contribution": figure(t.contribution),
                "effect": t.effect.value,
                "note": t.note,
            }
            for t in ranked.terms
        ],
    }


def ranking_json(result: IntakeRanking) -> dict[str, Any]:
    ranking = result.ranking
    return {
        "method": result.method.value,
        "normalisation": ranking.normalisation,
        "tie_break": ranking.tie_break,
        "ranked": [ranked_json(r) for r in ranking.ranked],
        "excluded": [
            {"key": e.key, "title": e.title, "reasons": list(e.reasons)} for e in ranking.excluded
        ],
        "unscored": [{"key": u.key, "title": u.title, "reason": u.reason} for u in result.unscored],
    }


def place(result: IntakeRanking, key: str) -> tuple[Ranked | None, str | None]:
    """Where `key` stands: its ranked entry, or why it is not ranked (None for neither: a
    closed item, which no ranking holds)."""
    ranked = next((r for r in result.ranking.ranked if r.key == key), None)
    if ranked is not None:
        return ranked, None
    out = next((e for e in result.ranking.excluded if e.key == key), None)
    if out is not None:
        return None, "excluded: " + "; ".join(out.reasons)
    unscored = next((u for u in result.unscored if u.key == key), None)
    return None, None if unscored is None else unscored.reason


def explanation(result: IntakeRanking, item: IntakeItem) -> tuple[str, ...]:
    """Why the item holds its place in the ranking, line by line."""
    from quarterdeck.services.intake import OPEN

    if item.status not in OPEN:
        return (f"{item.key} is {item.status}; only open items are ranked.",)
    unscored = next((u for u in result.unscored if u.key == item.key), None)
    if unscored is not None:
        return (f"{item.key} is not ranked by {result.method.value}: {unscored.reason}.",)
    return result.ranking.explain(item.key)


def listed_json(item: IntakeItem, result: IntakeRanking) -> dict[str, Any]:
    """An item as `intake list --json` gives it: its fields, whether it is ready, and its
    place in the ranking."""
    from quarterdeck.services.intake import is_ready, item_json

    ranked, why = place(result, item.key)
    return {
        **item_json(item),
        "is_ready": is_ready(item),
        "rank": None if ranked is None else ranked.rank,
        "score": None if ranked is None else figure(ranked.score),
        "not_ranked": why,
    }


LISTED_COLUMNS = (
    *("#", "Rank", "Score", "Title", "Kind", "Status", "Urgency", "Ready", "Value"),
    "Planned",
)


def listed_row(item: IntakeItem, result: IntakeRanking) -> tuple[object, ...]:
    """An item as a row of `intake list` (LISTED_COLUMNS)."""
    from quarterdeck.services.intake import is_ready

    ranked, why = place(result, item.key)
    rank: object = None if ranked is None else ranked.rank
    if ranked is None and why is not None:  # open but left out; None for a closed item
        rank = "excluded" if why.startswith("excluded") else "unscored"
    return (
        item.key,
        rank,
        None if ranked is None else figure(ranked.score),
        item.title,
        item.kind,
        item.status,
        item.urgency,
        "yes" if is_ready(item) else "no",
        figure(item.value),
        item.planned_quarter or None,
    )


# -- an item ---------------------------------------------------------------------------------


def checkpoint_words(item: IntakeItem) -> str:
    """'1 of 3 done: problem-validated' (the evidence checkpoints met)."""
    from quarterdeck.services.intake import CHECKPOINTS

    done = [key for key in CHECKPOINTS if item.checkpoints.get(key, {}).get("done")]
    return f"{len(done)} of {len(CHECKPOINTS)} done" + (f": {', '.join(done)}" if done else "")


def _scores_text(scores: dict[str, Any]) -> str:
    parts = []
    for method, inputs in scores.items():
        given = []
        for name, value in inputs.items():
            if isinstance(value, dict):
                given += [f"serves {goal}={strength}" for goal, strength in value.items()]
            else:
                given.append(f"{name}={value}")
        parts.append(f"{method}: {', '.join(given)}")
    return "; ".join(parts)


def item_rows(item: IntakeItem) -> list[tuple[str, object]]:
    """(field, value) rows for `intake show`, empty fields left out."""
    from quarterdeck.services.intake import READY_CHECKS, is_ready

    checks = ", ".join(f"{key} {'yes' if item.ready.get(key) else 'no'}" for key in READY_CHECKS)
    urgency = item.urgency + (f" ({item.urgency_reason})" if item.urgency_reason else "")
    rows: list[tuple[str, object]] = [
        ("key", item.key),
        ("kind", item.kind),
        ("status", item.status),
        ("requester", item.requester),
        ("department", item.department),
        ("description", item.description),
        ("hypothesis", item.hypothesis),
        ("smallest bet", item.smallest_bet),
        ("urgency", urgency),
        ("ready", f"{'yes' if is_ready(item) else 'no'} ({checks})"),
        ("requires", ", ".join(f"IN-{n}" for n in item.requires)),
        ("alternative group", item.alternative_group),
        ("mandatory", "yes" if item.mandatory else ""),
        ("pinned quarter", item.pinned_quarter),
        ("planned quarter", item.planned_quarter),
        ("value", figure(item.value)),
        ("success", figure(item.success)),
        ("effort", ", ".join(f"{team} {weeks(Decimal(w))} pw" for team, w in item.effort.items())),
        ("outcome", item.outcome_key),
        ("primary metric", item.primary_metric),
        ("guardrail metric", item.guardrail_metric),
        ("scores", _scores_text(item.scores)),
        ("checkpoints", checkpoint_words(item)),
        ("created", f"{item.created_at:%Y-%m-%d %H:%M} UTC by {item.created_by}"),
        ("updated", f"{item.updated_at:%Y-%m-%d %H:%M} UTC"),
        ("version", item.version),
    ]
    return [(name, value) for name, value in rows if value not in ("", None)]


def print_item(
    workspace: str,
    found: IntakeItem,
    method: str,
    lines: tuple[str, ...],
    appraisal: Appraisal | None,
) -> None:
    """`intake show`: the fields, the ranking explanation, the checkpoints and the
    cost-benefit figures."""
    from quarterdeck.cli.session import say, table
    from quarterdeck.services.intake import CHECKPOINTS

    table(f"{found.key}: {found.title}", ["Field", "Value"], item_rows(found))
    say(f"Ranking by {method}:")
    for line in lines:
        say(f"  {line}")
    table(
        f"Evidence checkpoints of {found.key}",
        ["Checkpoint", "Done", "Note", "Link", "By", "At"],
        [
            (
                label,
                "yes" if entry.get("done") else "no" if entry else "not recorded",
                entry.get("note") or None,
                entry.get("link") or None,
                entry.get("by"),
                entry.get("at", "")[:16].replace("T", " ") or None,
            )
            for key, label in CHECKPOINTS.items()
            for entry in (found.checkpoints.get(key, {}),)
        ],
    )
    if appraisal is None:
        say(f"No cost-benefit analysis yet: `quarterdeck cba {workspace} {found.key} --help`.")
        return
    columns, rows = appraisal_rows(appraisal)
    table(f"Cost-benefit of {found.key} (per {appraisal.period.value})", columns, rows)
    caution = appraisal.caution()
    if caution:
        say(f"Caution: {caution}")


# -- cost-benefit ----------------------------------------------------------------------------


def _money(value: object) -> str | None:
    return None if value is None else str(value)


def outcome_json(outcome: Outcome) -> dict[str, Any]:
    return {
        "made_from": outcome.made_from,
        "costs": [_money(c) for c in outcome.costs],
        "benefits": [_money(b) for b in outcome.benefits],
        "present_costs": _money(outcome.present_costs),
        "present_benefits": _money(outcome.present_benefits),
        "npv": _money(outcome.npv),
        "roi_percent": _money(outcome.roi),
        "payback": _money(outcome.payback),
        "discounted_payback": _money(outcome.discounted_payback),
    }


def appraisal_json(found: Appraisal, *, everything: bool = False) -> dict[str, Any]:
    """The cases shown (pessimistic and expected; optimistic too with `everything`), the
    caution and the notes."""
    shown = [*found.shown_by_default(), *((found.optimistic,) if everything else ())]
    return {
        "period": found.period.value,
        "discount_rate_percent": format((found.discount_rate * 100).normalize(), "f"),
        "cases": {outcome.scenario.value: outcome_json(outcome) for outcome in shown},
        "caution": found.caution(),
        "notes": list(found.notes()),
    }


def appraisal_rows(found: Appraisal, *, everything: bool = False) -> tuple[list[str], list[Any]]:
    """Columns and rows of the figures, one column per case shown."""
    shown = [*found.shown_by_default(), *((found.optimistic,) if everything else ())]
    per = found.period.value

    def periods(value: object) -> str | None:
        return None if value is None else f"{value} {per}s"

    def percent(value: object) -> str | None:
        return None if value is None else f"{value} %"

    figures: list[tuple[str, Any]] = [
        ("NPV", lambda o: o.npv),
        ("ROI", lambda o: percent(o.roi)),
        ("Payback", lambda o: periods(o.payback) or "does not pay back"),
        (
            "Discounted payback",
            lambda o: periods(o.discounted_payback) or "does not pay back",
        ),
        ("Present value of costs", lambda o: o.present_costs),
        ("Present value of benefits", lambda o: o.present_benefits),
        ("Made from", lambda o: o.made_from),
    ]
    columns = ["Figure", *(o.scenario.value.capitalize() for o in shown)]
    rows = [[name, *(read(o) for o in shown)] for name, read in figures]
    return columns, rows
