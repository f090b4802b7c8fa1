"""How the playbook commands show things: a playbook from the catalog, a run as a
checklist with dates, owners, done notes and overdue steps, a run's history, and the
handover pack as JSON."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from quarterdeck.cli.session import say, table

if TYPE_CHECKING:
    from quarterdeck.domain.playbooks import Playbook
    from quarterdeck.services.handover import HandoverPack
    from quarterdeck.services.playbook_runs import RunView

__all__ = ["handover_json", "playbook_json", "print_run", "run_json", "run_line"]


def playbook_json(playbook: Playbook, kinds: list[str]) -> dict[str, Any]:
    return {
        "key": playbook.key,
        "name": playbook.name,
        "summary": playbook.summary,
        "exit_criterion": playbook.exit_criterion,
        "length_days": playbook.length_days,
        "roles": sorted({step.owner for step in playbook.steps}),
        "kinds": kinds,
        "steps": [
            {
                "key": s.key,
                "title": s.title,
                "done_when": s.done_when,
                "owner": s.owner,
                "start_day": s.start_day,
                "due_day": s.due_day,
                "artifact": s.artifact,
            }
            for s in playbook.steps
        ],
    }


def run_json(view: RunView) -> dict[str, Any]:
    run = view.run
    return {
        "key": run.key,
        "number": run.number,
        "playbook": run.playbook,
        "playbook_name": view.playbook.name,
        "status": run.status,
        "starts_on": run.starts_on,
        "ends_on": view.ends_on,
        "today": view.today,
        "version": run.version,
        "owners": run.owners,
        "done_count": view.done_count,
        "step_count": len(view.steps),
        "percent": view.percent,
        "overdue": [s.key for s in view.overdue],
        "started_by": run.started_by,
        "created_at": run.created_at,
        "updated_at": run.updated_at,
        "steps": [
            {
                "key": s.key,
                "title": s.scheduled.step.title,
                "done_when": s.scheduled.step.done_when,
                "artifact": s.scheduled.step.artifact,
                "role": s.scheduled.step.owner,
                "owner": s.owner or None,
                "starts_on": s.scheduled.starts_on,
                "due_on": s.scheduled.due_on,
                "done": None if s.done is None else dict(s.done),
                "overdue": s.overdue,
            }
            for s in view.steps
        ],
        "history": run.history,
    }


def run_line(view: RunView) -> str:
    """One line on a run: status, progress and what is late."""
    run = view.run
    late = f", {len(view.overdue)} overdue" if view.overdue else ""
    return (
        f"{run.key} {view.playbook.name}: {run.status}, {view.done_count} of {len(view.steps)} "
        f"steps done ({view.percent} %){late}; day 0 {run.starts_on.isoformat()}, last step "
        f"due {view.ends_on.isoformat()}; version {run.version}."
    )


def print_run(workspace: str, view: RunView) -> None:
    say(run_line(view))
    rows = []
    for s in view.steps:
        done = s.done
        if done is None:
            state = "OVERDUE" if s.overdue else "open"
        else:
            evidence = " ".join(part for part in (done.get("note"), done.get("link")) if part)
            state = f"done {str(done.get('at', ''))[:10]} by {done.get('by')}: {evidence}"
        rows.append(
            (
                s.key,
                s.scheduled.step.title,
                f"{s.scheduled.step.owner}: {s.owner or 'nobody'}",
                s.scheduled.starts_on.isoformat(),
                s.scheduled.due_on.isoformat(),
                state,
            )
        )
    table(
        f"{view.run.key} in {workspace}: {view.playbook.name}",
        ["Step", "What", "Owner", "Starts", "Due", "Done"],
        rows,
    )
    table(
        "History",
        ["When (UTC)", "By", "What", "Why"],
        [
            (str(e.get("at", ""))[:19], e.get("by"), e.get("action"), e.get("reason"))
            for e in view.run.history
        ],
    )


def handover_json(pack: HandoverPack) -> dict[str, Any]:
    from quarterdeck.domain.scorecard import format_value

    def decision(d: Any) -> dict[str, Any]:
        return {
            "key": d.key,
            "title": d.content.title,
            "area": d.content.area,
            "status": d.status.value,
            "awaiting": d.awaiting,
            "decided_at": d.decided_at,
            "revisit_on": d.content.revisit_on,
        }

    return {
        "workspace": pack.workspace.slug,
        "name": pack.workspace.name,
        "on": pack.on,
        "open_decisions": [decision(d) for d in pack.open_decisions],
        "recent_decisions": [decision(d) for d in pack.recent_decisions],
        "status_counts": pack.status_counts,
        "revisit_due": [decision(d) for d in pack.revisit_due],
        "playbooks": [
            {
                "key": v.run.key,
                "playbook": v.run.playbook,
                "name": v.playbook.name,
                "status": v.run.status,
                "percent": v.percent,
                "done_count": v.done_count,
                "step_count": len(v.steps),
                "starts_on": v.run.starts_on,
                "ends_on": v.ends_on,
                "overdue": [s.key for s in v.overdue],
            }
            for v in pack.playbooks
        ],
        "scorecard": [
            {
                "metric": card.metric.key,
                "name": card.metric.definition.name,
                "latest": None
                if card.latest is None
                else format_value(card.latest.value, card.metric.definition.unit),
                "period_end": None if card.latest is None else card.latest.period_end,
                "status": card.status.level.value,
                "reason": card.status.reason,
                "owner": card.metric.owner or None,
            }
            for card in pack.cards
        ],
        "people": [
            {
                "email": m.email,
                "name": m.display_name,
                "access": m.role.value,
                "leadership_roles": list(m.leadership_roles),
            }
            for m in pack.members
        ],
    }
