"""Which decision area an ADR belongs to, from the hints ADR tools leave: a category, an area,
tags. ADR formats have no areas of their own, so anything else is filed under architecture."""

from __future__ import annotations

import functools
import re
from collections.abc import Collection, Iterable

__all__ = ["DEFAULT_AREA", "area_for"]

DEFAULT_AREA = "architecture"

# Words people tag ADRs with, by the shipped area they point to. An area applies only when
# the workspace has it (the reader is given the workspace's areas).
_SYNONYMS: dict[str, tuple[str, ...]] = {
    "architecture": ("architectural", "design", "platform", "infrastructure", "infra"),
    "reliability": (
        "sre",
        "availability",
        "resilience",
        "observability",
        "monitoring",
        "incidents",
        "operations",
        "ops",
        "slo",
    ),
    "security": ("privacy", "compliance", "auth", "authentication", "authorization", "infosec"),
    "data-ai": ("data", "ai", "ml", "machine learning", "analytics", "data and ai", "data ai"),
    "pricing-packaging": ("pricing", "packaging", "pricing and packaging", "billing"),
    "build-vs-buy": ("build or buy", "make or buy", "buy vs build"),
    "vendor": ("vendors", "supplier", "suppliers", "procurement"),
    "spend": ("cost", "costs", "budget", "finops"),
    "hiring-structure": (
        "hiring",
        "hiring and structure",
        "team structure",
        "org",
        "organisation",
        "organization",
        "people",
    ),
    "cross-team": ("cross team dependency", "dependencies", "dependency"),
    "process": ("workflow", "ways of working", "documentation", "docs", "doc", "delivery"),
    "roadmap": ("product", "strategy", "planning"),
}


def _normal(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.lower().replace("&", " and ")).split())


@functools.lru_cache(maxsize=16)
def _names(areas: tuple[str, ...]) -> dict[str, str]:
    """Normalised names and synonyms to area keys; built once per set of areas."""
    by_name = {_normal(area): area for area in areas}
    for area, words in _SYNONYMS.items():
        if area in areas:
            for word in words:
                by_name.setdefault(_normal(word), area)
    return by_name


def area_for(
    explicit: Iterable[str], tags: Iterable[str], areas: Collection[str]
) -> tuple[str, str]:
    """(area, note) from explicit hints (area, category) first, then tags.

    The note says what was guessed; it is "" when an explicit hint named an area exactly.
    """
    by_name = _names(tuple(sorted(areas)))
    unmatched: list[str] = []
    for hint in explicit:
        found = by_name.get(_normal(hint))
        if found is not None:
            exact = _normal(hint) == _normal(found)
            return found, "" if exact else f"area {found} taken from {hint!r}"
        unmatched.append(hint)
    for tag in tags:
        found = by_name.get(_normal(tag))
        if found is not None:
            return found, f"area {found} taken from the tag {tag!r}"
    if unmatched:
        shown = ", ".join(repr(hint) for hint in unmatched)
        return DEFAULT_AREA, f"{shown} is not a decision area here; filed under {DEFAULT_AREA}"
    return DEFAULT_AREA, f"no area given; filed under {DEFAULT_AREA}"
