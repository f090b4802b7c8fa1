"""A decision's content as the JSON its rows and revisions store, and back."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from quarterdeck.domain.decisions import DecisionContent, Option, Reversibility

__all__ = ["content_from_json", "content_to_json"]


def content_to_json(content: DecisionContent) -> dict[str, Any]:
    return {
        "title": content.title,
        "area": content.area,
        "context": content.context,
        "options": [
            {"title": o.title, "pros": list(o.pros), "cons": list(o.cons)} for o in content.options
        ],
        "decision": content.decision,
        "rationale": content.rationale,
        "consequences": content.consequences,
        "deciders": list(content.deciders),
        "consulted": list(content.consulted),
        "informed": list(content.informed),
        "reversibility": content.reversibility.value,
        "estimated_spend": None
        if content.estimated_spend is None
        else str(content.estimated_spend),
        "cross_team": content.cross_team,
        "security_exception": content.security_exception,
        "revisit_on": None if content.revisit_on is None else content.revisit_on.isoformat(),
        "revisit_condition": content.revisit_condition,
        "tags": list(content.tags),
        "taken_in": content.taken_in,
    }


def content_from_json(data: dict[str, Any]) -> DecisionContent:
    spend = data.get("estimated_spend")
    revisit = data.get("revisit_on")
    return DecisionContent(
        title=data["title"],
        area=data["area"],
        context=data.get("context", ""),
        options=tuple(
            Option(title=o["title"], pros=tuple(o.get("pros", ())), cons=tuple(o.get("cons", ())))
            for o in data.get("options", ())
        ),
        decision=data.get("decision", ""),
        rationale=data.get("rationale", ""),
        consequences=data.get("consequences", ""),
        deciders=tuple(data.get("deciders", ())),
        consulted=tuple(data.get("consulted", ())),
        informed=tuple(data.get("informed", ())),
        reversibility=Reversibility(data.get("reversibility", Reversibility.TWO_WAY.value)),
        estimated_spend=None if spend is None else Decimal(spend),
        cross_team=bool(data.get("cross_team", False)),
        security_exception=bool(data.get("security_exception", False)),
        revisit_on=None if revisit is None else date.fromisoformat(revisit),
        revisit_condition=data.get("revisit_condition", ""),
        tags=tuple(data.get("tags", ())),
        taken_in=data.get("taken_in", ""),
    )
