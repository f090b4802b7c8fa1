"""The handover pack as Markdown (and as sanitized HTML): plain sections a successor can
read top to bottom, every name and title typed by a person escaped."""

from __future__ import annotations

from quarterdeck.domain.decisions import Decision
from quarterdeck.domain.scorecard import format_value
from quarterdeck.reports.markdown import escape_markdown as esc
from quarterdeck.reports.markdown import render_markdown
from quarterdeck.services.handover import HandoverPack

__all__ = ["handover_html", "handover_markdown"]


def _decision(d: Decision) -> str:
    waiting = f", waiting for {esc(d.awaiting)}" if d.awaiting else ""
    return f"- **{d.key}** {esc(d.content.title)} ({esc(d.content.area)}{waiting})"


def handover_markdown(pack: HandoverPack) -> str:
    ws = pack.workspace
    lines = [
        f"# Handover pack: {esc(ws.name)}",
        "",
        f"Prepared on {pack.on.isoformat()} from the workspace's own records.",
        "",
        "## Open decisions",
        "",
        *([_decision(d) for d in pack.open_decisions] or ["No decision is waiting."]),
        "",
        "## Decision log",
        "",
        "By status: "
        + (
            ", ".join(f"{status} {count}" for status, count in sorted(pack.status_counts.items()))
            or "empty"
        )
        + ".",
        "",
        "Most recent decisions:",
        "",
        *(
            [
                f"- **{d.key}** {esc(d.content.title)}: {d.status.value}"
                + (f" on {d.decided_at.date().isoformat()}" if d.decided_at else "")
                for d in pack.recent_decisions
            ]
            or ["- none yet"]
        ),
        "",
        "Due for revisit:",
        "",
        *(
            [
                f"- **{d.key}** {esc(d.content.title)} (revisit on {d.content.revisit_on})"
                for d in pack.revisit_due
            ]
            or ["- none"]
        ),
        "",
        "## Playbooks",
        "",
    ]
    if not pack.playbooks:
        lines.append("No playbook has been started.")
    for run in pack.playbooks:
        late = ", ".join(esc(s.scheduled.step.title) for s in run.overdue)
        lines.append(
            f"- **{run.run.key}** {esc(run.playbook.name)}: {run.run.status}, "
            f"{run.done_count} of {len(run.steps)} steps done ({run.percent} %), "
            f"day 0 {run.run.starts_on.isoformat()}, last step due {run.ends_on.isoformat()}"
            + (f"; overdue: {late}" if late else "")
        )
    lines += ["", "## Scorecard", ""]
    if not pack.cards:
        lines.append("No metric is tracked.")
    else:
        lines += ["| Metric | Latest | Status | Owner |", "|---|---|---|---|"]
        for card in pack.cards:
            latest = (
                "no value yet"
                if card.latest is None
                else f"{format_value(card.latest.value, card.metric.definition.unit)} "
                f"({card.latest.period_end.isoformat()})"
            )
            lines.append(
                f"| {esc(card.metric.definition.name)} | {esc(latest)} | "
                f"{card.status.level.value}: {esc(card.status.reason)} | "
                f"{esc(card.metric.owner) or 'nobody'} |"
            )
    lines += [
        "",
        "## People and roles",
        "",
        "| Person | Access | Leadership roles |",
        "|---|---|---|",
    ]
    for member in pack.members:
        seats = ", ".join(member.leadership_roles) or "none"
        lines.append(
            f"| {esc(member.display_name)} ({esc(member.email)}) | {member.role.value} "
            f"| {esc(seats)} |"
        )
    return "\n".join(lines) + "\n"


def handover_html(pack: HandoverPack) -> str:
    return render_markdown(handover_markdown(pack))
