"""The options `intake add` and `intake edit` share, one per field of an intake item, and how
the ones given become the values the intake service checks and saves."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from quarterdeck.cli.portfolio_options import item_no, listed, pairs
from quarterdeck.cli.session import fail

if TYPE_CHECKING:
    from quarterdeck.domain.portfolio import IntakeItem

__all__ = [
    "AlternativeGroup",
    "Department",
    "Description",
    "Effort",
    "Guardrail",
    "Hypothesis",
    "KindOption",
    "Mandatory",
    "OutcomeOption",
    "Primary",
    "Quarter",
    "Ready",
    "Reason",
    "Requester",
    "Requires",
    "SmallestBet",
    "Success",
    "UrgencyOption",
    "Value",
    "changed_values",
    "given_values",
]


KindOption = Annotated[
    str | None,
    typer.Option(
        "--kind",
        help="product-bet (the default for a new item), platform-investment, risk-reduction "
        "or keep-the-lights-on.",
        show_default=False,
    ),
]
Requester = Annotated[str | None, typer.Option(help="Who asks for it.", show_default=False)]
Department = Annotated[str | None, typer.Option(help="The department asking.", show_default=False)]
Description = Annotated[str | None, typer.Option(help="What is asked for.", show_default=False)]
Hypothesis = Annotated[
    str | None, typer.Option(help="Why: what we believe it will change.", show_default=False)
]
SmallestBet = Annotated[
    str | None,
    typer.Option(
        help="The smallest bet that would prove or disprove the hypothesis.", show_default=False
    ),
]
UrgencyOption = Annotated[
    str | None,
    typer.Option(
        "--urgency",
        help="normal, high or urgent (high and urgent need --reason).",
        show_default=False,
    ),
]
Reason = Annotated[str | None, typer.Option(help="Why it is urgent.", show_default=False)]
Requires = Annotated[
    list[str] | None,
    typer.Option(
        help="An intake item that must be done first, e.g. IN-3; repeat for several.",
        show_default=False,
    ),
]
AlternativeGroup = Annotated[
    str | None,
    typer.Option(
        help="A short key shared by alternatives of which at most one is planned, "
        "e.g. search-engine.",
        show_default=False,
    ),
]
Mandatory = Annotated[
    bool | None,
    typer.Option(
        "--mandatory/--not-mandatory", help="Whether every plan must hold it.", show_default=False
    ),
]
Quarter = Annotated[
    str | None,
    typer.Option(help='Pin it to this quarter, e.g. 2027-Q1 ("" unpins it).', show_default=False),
]
Value = Annotated[
    str | None,
    typer.Option(
        help="Its value in the workspace's value unit (see `plan settings`).", show_default=False
    ),
]
Success = Annotated[
    str | None,
    typer.Option(
        help="Probability it delivers that value, 0 to 1 (default 1).", show_default=False
    ),
]
Effort = Annotated[
    list[str] | None,
    typer.Option(
        help="TEAM=WEEKS: person-weeks of a team, e.g. core=6; repeat for several teams "
        "(TEAM=0 drops a team's estimate).",
        show_default=False,
    ),
]
OutcomeOption = Annotated[
    str | None, typer.Option(help="The key of the roadmap outcome it serves.", show_default=False)
]
Primary = Annotated[
    str | None,
    typer.Option(
        help="Its primary outcome metric, a metric key like activation-rate.", show_default=False
    ),
]
Guardrail = Annotated[
    str | None,
    typer.Option(help="Its guardrail metric, a metric key like error-rate.", show_default=False),
]
Ready = Annotated[
    list[str] | None,
    typer.Option(
        help="A check of the definition of ready that is met: dependencies, risk, security "
        "or performance; repeat for several.",
        show_default=False,
    ),
]


def _checks(given: list[str] | None, option: str) -> list[str]:
    from quarterdeck.services.intake import READY_CHECKS

    checks = listed(given)
    for check in checks:
        if check not in READY_CHECKS:
            fail(
                f"{option} {check!r} is not a check of ready; the checks: {', '.join(READY_CHECKS)}"
            )
    return checks


def given_values(**given: Any) -> dict[str, Any]:
    """The fields given (None: not given) as the intake service names them. `requires`,
    `effort` and `ready` arrive as the options' lists."""
    values: dict[str, Any] = {}
    renamed = {"quarter": "pinned_quarter", "reason": "urgency_reason", "outcome": "outcome_key"}
    for name, value in given.items():
        if value is None or name in ("requires", "effort", "ready"):
            continue
        values[renamed.get(name, name)] = value
    if given.get("requires"):
        values["requires"] = [item_no(text) for text in listed(given["requires"])]
    if given.get("effort"):
        values["effort"] = pairs(given["effort"], "--effort", "TEAM=WEEKS, like core=6")
    if given.get("ready"):
        values["ready"] = dict.fromkeys(_checks(given["ready"], "--ready"), True)
    return values


def changed_values(
    item: IntakeItem,
    given: dict[str, Any],
    *,
    not_ready: list[str] | None,
    drop_requires: list[str] | None,
) -> dict[str, Any]:
    """`given` (from `given_values`) applied to `item`: effort is changed per team named,
    dependencies and confirmed checks are added to (and taken off by `drop_requires` and
    `not_ready`); every other field given replaces the stored one."""
    changes = dict(given)
    if "effort" in changes:
        changes["effort"] = {**item.effort, **changes["effort"]}
    if "ready" in changes or not_ready:
        withdrawn = dict.fromkeys(_checks(not_ready, "--not-ready"), False)
        both = sorted(set(withdrawn) & set(changes.get("ready", {})))
        if both:
            fail(f"--ready and --not-ready both name {both[0]}")
        changes["ready"] = {**item.ready, **changes.get("ready", {}), **withdrawn}
    if "requires" in changes or drop_requires:
        dropped = {item_no(text) for text in listed(drop_requires)}
        kept = (set(item.requires) | set(changes.get("requires", []))) - dropped
        changes["requires"] = sorted(kept)
    return changes
