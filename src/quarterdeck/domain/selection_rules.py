"""The two selection rules of the IT-manager example (DOMAIN.md section 5): which of the ranked
projects to run when capacity allows only some in parallel. Every choice the picks depend on:

- Prospects carry a benefit on any scale where more is better (e.g. expected NPV) and a risk
  on any scale where less is better (e.g. the risk criterion's raw value); both are exact
  numbers (int, Decimal or Fraction), as in `prioritisation`.
- The easy rule (LOWEST_RISK) takes the `capacity` lowest-risk prospects; the safest is the
  highest priority.
- The better rule (BENEFIT_THEN_SAFEST) stamps the greatest-benefit prospect "highest
  priority", whatever its risk, and fills the other places with the safest of the rest:
  neither timid nor overstretched.
- Ties on risk go to the higher benefit, ties on benefit to the lower risk, then to the
  earlier prospect, so pass prospects in rank order.
- Every chosen and every left-out prospect carries its reason; the highest-priority pick
  comes first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from quarterdeck.domain.errors import InvalidInput
from quarterdeck.domain.prioritisation import Number, check_unique, exact, ordinal, show

__all__ = ["Pick", "Prospect", "Selection", "SelectionRule", "select"]


class SelectionRule(StrEnum):
    LOWEST_RISK = "lowest-risk"  # the easy rule: the lowest-risk items, the safest leading
    BENEFIT_THEN_SAFEST = "benefit-then-safest"  # the better rule: top benefit, safest beside


@dataclass(frozen=True, slots=True)
class Prospect:
    key: str
    title: str
    benefit: Number  # any scale where more is better, e.g. expected NPV
    risk: Number  # any scale where less is better, e.g. the risk criterion's raw value


@dataclass(frozen=True, slots=True)
class Pick:
    key: str
    title: str
    highest_priority: bool
    reason: str


@dataclass(frozen=True, slots=True)
class Selection:
    rule: SelectionRule
    capacity: int
    chosen: tuple[Pick, ...]  # the highest-priority one first
    left_out: tuple[Pick, ...]

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(pick.key for pick in self.chosen)


def select(prospects: Sequence[Prospect], *, capacity: int, rule: SelectionRule) -> Selection:
    """Choose up to `capacity` items to run in parallel by `rule`, with a reason for each
    chosen and each left-out item. Ties on risk go to the higher benefit, ties on benefit to
    the lower risk, then to the earlier prospect (pass them in rank order). Raises
    InvalidInput for a capacity below one, duplicate keys or non-numeric values."""
    if isinstance(capacity, bool) or not isinstance(capacity, int) or capacity < 1:
        raise InvalidInput(f"capacity must be a whole number of at least 1, got {capacity!r}")
    check_unique((p.key for p in prospects), "prospect")
    rows = [
        (exact(p.benefit, f"{p.key}: benefit"), exact(p.risk, f"{p.key}: risk"), i, p)
        for i, p in enumerate(prospects)
    ]
    safest = sorted(rows, key=lambda r: (r[1], -r[0], r[2]))
    picks: list[Pick] = []
    if not rows:
        return Selection(rule, capacity, (), ())
    if rule is SelectionRule.LOWEST_RISK:
        for n, (_, risk, _, p) in enumerate(safest[:capacity], start=1):
            label = "highest priority: the lowest risk" if n == 1 else f"{ordinal(n)} lowest risk"
            picks.append(Pick(p.key, p.title, n == 1, f"{label} ({show(risk)})"))
        rest = safest[capacity:]
        why = f"not among the {capacity} lowest risks (risk {{risk}})"
    else:
        benefit, risk, i, lead = max(rows, key=lambda r: (r[0], -r[1], -r[2]))
        picks.append(
            Pick(
                lead.key,
                lead.title,
                True,
                f"highest priority: the greatest benefit ({show(benefit)}), "
                f"taken despite its risk ({show(risk)})",
            )
        )
        others = [row for row in safest if row[2] != i]
        for _, risk, _, p in others[: capacity - 1]:
            reason = f"the safest of the rest (risk {show(risk)}), run beside {lead.key}"
            picks.append(Pick(p.key, p.title, False, reason))
        rest = others[capacity - 1 :]
        why = "neither the greatest benefit nor among the safest of the rest (risk {risk})"
    left = tuple(
        Pick(
            p.key,
            p.title,
            False,
            why.format(risk=show(risk)) + f"; capacity is {capacity} in parallel",
        )
        for _, risk, _, p in rest
    )
    return Selection(rule, capacity, tuple(picks), left)
