"""decision queue: what waits for approval, how long decisions take, and what to delegate."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from quarterdeck.cli.routing import reasons, routing_json, with_rights
from quarterdeck.cli.session import JsonFlag, WorkspaceArg, cli_state, emit_json, fail, say, table

if TYPE_CHECKING:
    from datetime import timedelta

    from quarterdeck.domain.bottlenecks import DelegationHint, LatencySummary
    from quarterdeck.domain.decisions import Decision
    from quarterdeck.services.rights import RightsView

__all__ = ["register"]


def register(decision_app: typer.Typer) -> None:
    decision_app.command("queue")(queue)


def queue(
    ctx: typer.Context,
    workspace: WorkspaceArg,
    role: Annotated[str | None, typer.Option(help="Only those waiting for this role.")] = None,
    as_json: JsonFlag = False,
) -> None:
    """Decisions waiting for approval, oldest first, with decision latency and hints on
    what to delegate."""
    from quarterdeck.services import decisions

    state = cli_state(ctx)

    def work(uow: Any) -> tuple[list[decisions.QueueEntry], decisions.DecisionSignals]:
        waiting = decisions.queue(uow, actor=state.operator, workspace=workspace, role=role)
        return waiting, decisions.signals(uow, actor=state.operator, workspace=workspace)

    (waiting, signals), view = with_rights(state, workspace, work, write=False)
    known = [r.key for r in view.roles]
    if role is not None and role not in known:
        fail(f"unknown role {role!r}; known: {', '.join(known)}")
    if as_json:
        emit_json(
            {
                "queue": [_queued(entry.decision, entry.waiting, view) for entry in waiting],
                "latency": {
                    "median_hours": None
                    if signals.latency.median_hours is None
                    else round(signals.latency.median_hours, 2),
                    "count": signals.latency.count,
                    "excluded": signals.latency.excluded,
                    "window_days": signals.window_days,
                },
                "hints": [_hint_json(hint, view) for hint in signals.hints],
            }
        )
        return
    rows = [
        (
            entry.decision.key,
            entry.decision.content.title,
            view.area_name(entry.decision.content.area),
            view.role_name(entry.decision.awaiting or ""),
            reasons(entry.decision),
            _age(entry.waiting),
        )
        for entry in waiting
    ]
    title = f"Waiting for approval in {workspace}" + ("" if role is None else f" ({role})")
    if rows:
        table(title, ["#", "Title", "Area", "Waiting for", "Reasons", "Age"], rows)
    else:
        whom = "approval" if role is None else f"the {view.role_name(role)}'s approval"
        say(f"Nothing is waiting for {whom} in {workspace}.")
    say(_latency_line(signals.latency, signals.window_days))
    for hint in signals.hints:
        say(_hint_message(hint, view))


def _queued(decision: Decision, waited: timedelta, view: RightsView) -> dict[str, Any]:
    return {
        "key": decision.key,
        "number": decision.number,
        "title": decision.content.title,
        "area": decision.content.area,
        "area_name": view.area_name(decision.content.area),
        "created_at": decision.created_at.isoformat(),
        "waiting_hours": round(waited.total_seconds() / 3600, 2),
        "age": _age(waited),
        **routing_json(decision, view),
    }


def _age(waited: timedelta) -> str:
    """How long something has waited, coarsely: '3 d 4 h', '5 h 12 min', '7 min'."""
    minutes = int(waited.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return f"{days} d {hours} h"
    if hours:
        return f"{hours} h {minutes} min"
    return f"{minutes} min"


def _latency_line(latency: LatencySummary, window_days: int) -> str:
    """'Decision latency, last 90 days: median 26.5 h over 14 decisions'."""
    head = f"Decision latency, last {window_days} days"
    if latency.median_hours is None:
        line = f"{head}: no decision was accepted or rejected"
    else:
        plural = "" if latency.count == 1 else "s"
        line = f"{head}: median {latency.median_hours:.1f} h over {latency.count} decision{plural}"
    if latency.excluded:
        line += f" ({latency.excluded} left out: decided before they were proposed)"
    return line


def _hint_json(hint: DelegationHint, view: RightsView) -> dict[str, Any]:
    labels = _hint_labels(hint, view)
    return {
        "approver": hint.approver,
        "area": hint.area,
        "area_name": view.area_name(hint.area),
        "count": hint.count,
        "total": hint.total,
        "share": round(hint.share, 3),
        "window_days": hint.window_days,
        "message": hint.message(**labels),
    }


def _hint_message(hint: DelegationHint, view: RightsView) -> str:
    return hint.message(**_hint_labels(hint, view))


def _hint_labels(hint: DelegationHint, view: RightsView) -> dict[str, str]:
    names = {m.email: f"{m.display_name} ({m.email})" for m in view.members if m.display_name}
    return {
        "approver_label": names.get(hint.approver, hint.approver),
        "area_label": view.area_name(hint.area),
    }
