"""The `quarterdeck:` mapping in MADR front matter: the decision fields MADR has no place
for, so that an exported log imports back without loss. Other tools ignore the mapping."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from quarterdeck.domain.decisions import DecisionContent, LinkKind, Reversibility
from quarterdeck.ingest.adr_dates import parse_date
from quarterdeck.ingest.adr_text import RawLink, split_names

__all__ = ["Extras", "extras_for", "read_extras"]

_LINK_LABELS = {
    LinkKind.SUPERSEDES: "supersedes",
    LinkKind.AMENDS: "amends",
    LinkKind.RELATES_TO: "relates to",
}


@dataclass(slots=True)
class Extras:
    area: str = ""
    tags: tuple[str, ...] | None = None  # None: the mapping says nothing about tags
    rationale: str = ""
    reversibility: Reversibility = Reversibility.TWO_WAY
    estimated_spend: Decimal | None = None
    cross_team: bool = False
    security_exception: bool = False
    revisit_on: date | None = None
    revisit_condition: str = ""
    taken_in: str = ""
    links: list[RawLink] = field(default_factory=list)


def extras_for(
    content: DecisionContent, links: tuple[tuple[LinkKind, int, str], ...]
) -> dict[str, object]:
    """The mapping the MADR writer puts under `quarterdeck:` (the rationale goes in the body)."""
    spend = content.estimated_spend
    return {
        "area": content.area,
        "tags": list(content.tags),
        "reversibility": content.reversibility.value,
        "estimated_spend": None if spend is None else str(spend),
        "cross_team": content.cross_team,
        "security_exception": content.security_exception,
        "revisit_on": content.revisit_on,
        "revisit_condition": content.revisit_condition,
        "taken_in": content.taken_in,
        "links": [
            {"kind": kind.value, "number": number, "title": title} for kind, number, title in links
        ],
    }


def read_extras(value: object, problems: list[str]) -> Extras:
    """Read the mapping; a value that does not fit is reported in `problems` and left out."""
    extras = Extras()
    if value is None:
        return extras
    if not isinstance(value, dict):
        problems.append("front matter: quarterdeck is not a mapping; not kept")
        return extras
    for key, item in value.items():
        if item is None:
            continue
        if not _read_one(extras, str(key), item):
            problems.append(f"front matter: quarterdeck.{key} = {item!r} not understood; not kept")
    return extras


def _read_one(extras: Extras, key: str, item: object) -> bool:
    """Set one field; False when the value does not fit it."""
    if key in ("area", "rationale", "revisit_condition", "taken_in"):
        if not isinstance(item, str):
            return False
        setattr(extras, key, item)
    elif key == "tags":
        tags, understood = split_names(item)
        extras.tags = tags
        return understood
    elif key == "reversibility":
        try:
            extras.reversibility = Reversibility(str(item))
        except ValueError:
            return False
    elif key == "estimated_spend":
        try:
            spend = Decimal(str(item))
        except InvalidOperation:
            return False
        if not spend.is_finite() or spend < 0:
            return False
        extras.estimated_spend = spend
    elif key in ("cross_team", "security_exception"):
        if not isinstance(item, bool):
            return False
        setattr(extras, key, item)
    elif key == "revisit_on":
        found = parse_date(item)
        if found is None:
            return False
        extras.revisit_on = found[0]
    elif key == "links":
        return _read_links(extras, item)
    else:
        return False
    return True


def _read_links(extras: Extras, item: object) -> bool:
    if not isinstance(item, list):
        return False
    understood = True
    for entry in item:
        try:
            kind = LinkKind(str(entry["kind"]))
            number = int(entry["number"])
        except (TypeError, KeyError, ValueError):
            understood = False
            continue
        extras.links.append(RawLink(_LINK_LABELS[kind], f"ADR-{number}", "", 0))
    return understood
