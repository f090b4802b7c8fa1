"""How plans read on the command line: a plan (planned per quarter, deferred with the
reasons, team loads, the split), a plan run beside the handbook rule, and the `plan accept`
command line that accepts exactly the plan shown (an urgent insertion is in plan_insertions)."""

from __future__ import annotations

import shlex
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from quarterdeck.cli.portfolio_options import figure, weeks
from quarterdeck.cli.session import say, table

if TYPE_CHECKING:
    from quarterdeck.domain.planning import Plan
    from quarterdeck.domain.portfolio import IntakeItem
    from quarterdeck.services.planning import PlanRun

__all__ = [
    "Items",
    "accept_json",
    "accept_line",
    "plan_json",
    "print_run",
    "rounded",
    "run_json",
    "title_of",
]

Items = Mapping[str, "IntakeItem"]


def rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 6)


def title_of(items: Items, key: str) -> str:
    item = items.get(key)
    return "" if item is None else item.title


def plan_json(plan: Plan, items: Items) -> dict[str, Any]:
    return {
        "strategy": plan.strategy.value,
        "status": plan.status.value,
        "value": rounded(plan.value),
        "gap": rounded(plan.gap),
        "seconds": rounded(plan.seconds),
        "planned": [
            {
                "key": p.id,
                "title": title_of(items, p.id),
                "kind": p.kind.value,
                "quarter": p.quarter,
                "value": rounded(p.value),
                "effort": {team: rounded(w) for team, w in p.effort.items() if w > 0},
                "mandatory": p.mandatory,
            }
            for p in plan.planned
        ],
        "deferred": [
            {
                "key": d.id,
                "title": title_of(items, d.id),
                "kind": d.kind.value,
                "value": rounded(d.value),
                "reasons": [
                    {"binding": r.binding.value, "quarter": r.quarter, "text": r.text}
                    for r in d.reasons
                ],
            }
            for d in plan.deferred
        ],
        "loads": [
            {
                "team": x.team,
                "quarter": x.quarter,
                "capacity": rounded(x.capacity),
                "reserved": rounded(x.reserved),
                "available": rounded(x.available),
                "used": rounded(x.used),
                "left": rounded(x.left),
                "running": x.running,
                "max_parallel": x.max_parallel,
            }
            for x in plan.loads
        ],
        "split": [
            {
                "quarter": s.quarter,
                "kind": s.kind.value,
                "effort": rounded(s.effort),
                "share": rounded(s.share),
                "of_base": rounded(s.of_base),
                "target": s.target,
                "minimum": s.minimum,
                "maximum": s.maximum,
            }
            for s in plan.split
        ],
    }


def _assignment_text(assignment: Mapping[str, str]) -> str:
    return ",".join(f"{key}={quarter}" for key, quarter in assignment.items()) or "none"


def accept_line(
    workspace: str,
    based_on: int,
    assignment: Mapping[str, str],
    *,
    strategy: str = "optimal",
    insert: tuple[str, str] | None = None,
) -> str:
    """The `plan accept` command that accepts exactly this assignment and nothing else."""
    words = ["quarterdeck", "plan", "accept", workspace]
    if insert is not None:
        words += ["--insert", insert[0], "--quarter", insert[1]]
    elif strategy != "optimal":
        words += ["--strategy", strategy]
    words += ["--based-on", str(based_on), "--assignment", _assignment_text(assignment)]
    return shlex.join(words)


def accept_json(workspace: str, based_on: int, plan: Plan, **extra: Any) -> dict[str, Any]:
    from quarterdeck.services.planning import assignment_of

    assignment = assignment_of(plan)
    return {
        "based_on": based_on,
        "assignment": assignment,
        "command": accept_line(workspace, based_on, assignment, **extra),
    }


def run_json(workspace: str, run: PlanRun) -> dict[str, Any]:
    given, comparison = run.given, run.comparison
    based_on = given.based_on
    return {
        "workspace": workspace,
        "quarters": list(given.plan.quarters),
        "value_unit": given.settings.value_unit,
        "based_on": based_on,
        "optimal": plan_json(comparison.optimal, given.items),
        "rule": None if comparison.rule is None else plan_json(comparison.rule, given.items),
        "rule_failure": comparison.rule_failure,
        "value_difference": rounded(comparison.value_difference),
        "only_optimal": list(comparison.only_optimal),
        "only_rule": list(comparison.only_rule),
        "set_aside": [
            {"key": s.key, "title": s.title, "reason": s.reason} for s in given.set_aside
        ],
        "accepted": None if run.accepted is None else plan_json(run.accepted, given.items),
        "accept": {
            "optimal": accept_json(workspace, based_on, comparison.optimal),
            "handbook-rule": None
            if comparison.rule is None
            else accept_json(workspace, based_on, comparison.rule, strategy="handbook-rule"),
        },
    }


def _effort_text(effort: Mapping[str, float]) -> str:
    return ", ".join(f"{team} {weeks(w)}" for team, w in effort.items() if w > 0)


def _planned_table(title: str, plan: Plan, items: Items) -> None:
    table(
        title,
        ["Quarter", "#", "Title", "Kind", "Value", "Effort (pw)", "Mandatory"],
        [
            (
                p.quarter,
                p.id,
                title_of(items, p.id),
                p.kind.value,
                figure(p.value),
                _effort_text(p.effort),
                "yes" if p.mandatory else None,
            )
            for p in plan.planned
        ],
    )


def _status(plan: Plan) -> str:
    if plan.status.value == "time-limit":
        return f"best found in the time limit, gap {figure(100 * (plan.gap or 0), 2)} %"
    return "proven optimal" if plan.status.value == "optimal" else "by the rule"


def print_run(workspace: str, run: PlanRun) -> None:
    """The optimal plan beside the handbook rule's, what either leaves out and why, the
    loads and split of the optimal plan, and how to accept either."""
    from quarterdeck.services.planning import assignment_of

    given, comparison = run.given, run.comparison
    unit, optimal = given.settings.value_unit, comparison.optimal
    basis = "no plan accepted yet" if given.latest is None else f"accepted plan {given.based_on}"
    say(f"Plan of {workspace} for {', '.join(given.plan.quarters)} ({basis}).")
    _planned_table(
        f"Optimal plan: {figure(optimal.value)} {unit} of risk-adjusted value ({_status(optimal)})",
        optimal,
        given.items,
    )
    rule = comparison.rule
    if rule is None:
        say(f"The handbook rule finds no plan: {comparison.rule_failure}")
    else:
        _planned_table(
            f"Handbook rule (highest benefit first, the safest beside it): {figure(rule.value)} "
            f"{unit}",
            rule,
            given.items,
        )
        only = [
            f"only in the optimal plan: {', '.join(comparison.only_optimal)}"
            if comparison.only_optimal
            else "",
            f"only in the rule's: {', '.join(comparison.only_rule)}"
            if comparison.only_rule
            else "",
        ]
        difference = comparison.value_difference or 0.0
        say(
            (
                f"The optimal plan holds {figure(difference)} {unit} more than the handbook rule's"
                if abs(difference) > 1e-9
                else "Both plans hold the same risk-adjusted value"
            )
            + "".join(f"; {part}" for part in only if part)
            + "."
        )
    if optimal.deferred:
        table(
            "Deferred by the optimal plan",
            ["#", "Title", "Value", "Why"],
            [
                (d.id, title_of(given.items, d.id), figure(d.value), d.text)
                for d in optimal.deferred
            ],
        )
    if given.set_aside:
        table(
            "Set aside: open items the planner does not consider",
            ["#", "Title", "Why"],
            [(s.key, s.title, s.reason) for s in given.set_aside],
        )
    _loads_table("Team load of the optimal plan (person-weeks)", optimal)
    if run.accepted is not None:
        say(f"Accepted plan {given.based_on} holds {figure(run.accepted.value)} {unit} today.")
    say("Accept the optimal plan as shown:")
    say("  " + accept_line(workspace, given.based_on, assignment_of(optimal)))
    if rule is not None:
        say("or the handbook rule's:")
        say(
            "  "
            + accept_line(workspace, given.based_on, assignment_of(rule), strategy="handbook-rule")
        )


def _loads_table(title: str, plan: Plan) -> None:
    table(
        title,
        ["Team", "Quarter", "Available", "Planned", "Left", "Initiatives"],
        [
            (
                x.team,
                x.quarter,
                weeks(x.available),
                weeks(x.used),
                weeks(x.left),
                x.running if x.max_parallel is None else f"{x.running} of {x.max_parallel}",
            )
            for x in plan.loads
        ],
    )
