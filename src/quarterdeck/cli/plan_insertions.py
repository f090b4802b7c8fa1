"""How an urgent insertion reads on the command line: what the urgent item displaces (with
the reasons), moves and brings in, the capacity and split it shifts, the value lost, and the
`plan accept` command that accepts it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from quarterdeck.cli.plan_views import Items, accept_json, accept_line, plan_json, rounded, title_of
from quarterdeck.cli.portfolio_options import figure, weeks
from quarterdeck.cli.session import say, table

if TYPE_CHECKING:
    from quarterdeck.domain.planning import Displacement
    from quarterdeck.services.planning import UrgentInsertion

__all__ = ["displacement_json", "print_displacement"]


def displacement_json(workspace: str, found: UrgentInsertion) -> dict[str, Any]:
    d, items = found.displacement, found.given.items
    return {
        "workspace": workspace,
        "urgent": d.urgent,
        "quarter": d.quarter,
        "against": found.against,
        "based_on": found.given.based_on,
        "value_unit": found.given.settings.value_unit,
        "displaced": [
            {
                "key": x.id,
                "title": title_of(items, x.id),
                "value": rounded(x.value),
                "reasons": [r.text for r in x.reasons],
            }
            for x in d.displaced
        ],
        "brought_in": [
            {"key": p.id, "title": title_of(items, p.id), "quarter": p.quarter}
            for p in d.brought_in
        ],
        "rescheduled": [
            {"key": r.id, "title": title_of(items, r.id), "before": r.before, "after": r.after}
            for r in d.rescheduled
        ],
        "capacity": [
            {
                "team": m.team,
                "quarter": m.quarter,
                "before": rounded(m.before),
                "after": rounded(m.after),
                "to_urgent": rounded(m.to_urgent),
                "from_displaced": rounded(m.from_displaced),
            }
            for m in d.capacity
        ],
        "split": [
            {
                "quarter": c.quarter,
                "kind": c.kind.value,
                "effort_before": rounded(c.effort_before),
                "effort_after": rounded(c.effort_after),
                "share_before": rounded(c.share_before),
                "share_after": rounded(c.share_after),
            }
            for c in d.split
        ],
        "value_lost": rounded(d.value_lost),
        "value_change": rounded(d.value_change),
        "after": plan_json(d.after, items),
        "accept": accept_json(
            workspace, found.given.based_on, d.after, insert=(d.urgent, d.quarter)
        ),
    }


def _share(effort: float, share: float | None) -> str:
    return weeks(effort) + ("" if share is None else f" ({weeks(share)} %)")


def print_displacement(workspace: str, found: UrgentInsertion) -> None:
    """What the urgent item displaces, moves and brings in, the capacity and split it
    shifts, the value lost, and how to accept it."""
    from quarterdeck.services.planning import assignment_of

    d, items, unit = found.displacement, found.given.items, found.given.settings.value_unit
    say(
        f"Planning {d.urgent} {title_of(items, d.urgent)} into {d.quarter}, "
        f"against {found.against}."
    )
    _displaced(d, items)
    if d.rescheduled:
        table(
            "Moved to another quarter",
            ["#", "Title", "From", "To"],
            [(r.id, title_of(items, r.id), r.before, r.after) for r in d.rescheduled],
        )
    if d.brought_in:
        table(
            "Brought in",
            ["#", "Title", "Quarter"],
            [(p.id, title_of(items, p.id), p.quarter) for p in d.brought_in],
        )
    if d.capacity:
        table(
            "Capacity moved (person-weeks)",
            ["Team", "Quarter", "Before", "After", f"To {d.urgent}", "Freed from displaced"],
            [
                (
                    m.team,
                    m.quarter,
                    weeks(m.before),
                    weeks(m.after),
                    weeks(m.to_urgent),
                    weeks(m.from_displaced),
                )
                for m in d.capacity
            ],
        )
    if d.split:
        table(
            "Capacity split change (person-weeks, share of planned split work)",
            ["Quarter", "Kind", "Before", "After"],
            [
                (
                    c.quarter,
                    c.kind.label,
                    _share(c.effort_before, c.share_before),
                    _share(c.effort_after, c.share_after),
                )
                for c in d.split
            ],
        )
    say(
        f"Risk-adjusted value deferred: {figure(d.value_lost)} {unit}; total planned value "
        f"changes by {'+' if d.value_change >= 0 else ''}{figure(d.value_change)} {unit}."
    )
    say("Accepting records a decision in the decision log naming what is displaced. Accept:")
    say(
        "  "
        + accept_line(
            workspace,
            found.given.based_on,
            assignment_of(d.after),
            insert=(d.urgent, d.quarter),
        )
    )


def _displaced(d: Displacement, items: Items) -> None:
    if not d.displaced:
        say("Nothing is displaced.")
        return
    table(
        "Displaced: deferred to make room",
        ["#", "Title", "Value", "Why it no longer fits"],
        [(x.id, title_of(items, x.id), figure(x.value), x.text) for x in d.displaced],
    )
