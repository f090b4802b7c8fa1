"""How the assess commands show a sitting: every area's mean, the strengths, the gaps, the
development priorities with their suggestions, and the change since the previous sitting."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from quarterdeck.cli.session import say, table

if TYPE_CHECKING:
    from quarterdeck.services.assessments import Sitting

__all__ = ["print_sitting", "sitting_json"]


def sitting_json(sitting: Sitting) -> dict[str, Any]:
    take, result = sitting.take, sitting.result
    return {
        "id": take.id,
        "assessment": take.assessment,
        "assessment_name": sitting.assessment.name,
        "aiming_for": take.aiming_for or None,
        "taken_at": take.taken_at,
        "shared_with": sitting.shared_with_slug,
        "ratings": take.ratings,
        "areas": [
            {
                "key": s.area.key,
                "name": s.area.name,
                "mean": str(s.mean),
                "strength": s.is_strength,
                "gap": s.is_gap,
            }
            for s in result.areas
        ],
        "strengths": [s.area.key for s in result.strengths],
        "gaps": [s.area.key for s in result.gaps],
        "priorities": [
            {
                "key": s.area.key,
                "name": s.area.name,
                "mean": str(s.mean),
                "development": list(s.area.development),
            }
            for s in result.priorities
        ],
        "since_previous": None
        if sitting.since_previous is None
        else [
            {
                "key": c.area.key,
                "name": c.area.name,
                "earlier": str(c.earlier),
                "later": str(c.later),
                "change": str(c.change),
            }
            for c in sitting.since_previous
        ],
    }


def print_sitting(sitting: Sitting) -> None:
    take, result = sitting.take, sitting.result
    aim = f", aiming for {take.aiming_for}" if take.aiming_for else ""
    shared = f"shared with {sitting.shared_with_slug}" if sitting.shared_with_slug else "private"
    say(
        f"Sitting {take.id}: {sitting.assessment.name}{aim}, taken "
        f"{take.taken_at:%Y-%m-%d %H:%M} UTC ({shared})."
    )
    changes = {c.area.key: c.change for c in sitting.since_previous or ()}
    columns = ["Area", "Mean", "Reading"]
    if sitting.since_previous is not None:
        columns.append("Since previous")
    rows = []
    for scored in result.areas:
        reading = "strength" if scored.is_strength else "gap" if scored.is_gap else ""
        row: list[object] = [scored.area.name, scored.mean, reading or None]
        if sitting.since_previous is not None:
            change = changes.get(scored.area.key)
            row.append(None if change is None else f"{change:+}")
        rows.append(row)
    table(f"{sitting.assessment.name}: areas (1 to 5)", columns, rows)
    say("Strengths: " + (", ".join(s.area.name for s in result.strengths) or "none yet") + ".")
    say("Gaps: " + (", ".join(s.area.name for s in result.gaps) or "none") + ".")
    if result.priorities:
        say("Development priorities:")
        for rank, scored in enumerate(result.priorities, start=1):
            say(f"  {rank}. {scored.area.name} ({scored.mean})")
            for suggestion in scored.area.development:
                say(f"     - {suggestion}")
    if sitting.since_previous is None:
        say("First sitting of this assessment: nothing earlier to compare with.")
    else:
        up = [c.area.name for c in sitting.since_previous if c.change > 0]
        down = [c.area.name for c in sitting.since_previous if c.change < 0]
        say(
            "Since the previous sitting: "
            + (f"up in {', '.join(up)}" if up else "no area up")
            + "; "
            + (f"down in {', '.join(down)}" if down else "no area down")
            + "."
        )
