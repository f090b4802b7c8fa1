"""The role advisor: from answers about an organisation to the kind of technology leader
it needs, how to engage them, and why (DOMAIN.md section 2).

The rules are data (catalog/advisor.yaml), written over the questionnaire's conditions
(`questionnaires`). A rule that fires adds its weight to a kind of leader and/or an
engagement plan, and may set kinds aside. Contradiction rules are checked first: when any
fires the answers cannot all be true, and the advice names the contradictions and
recommends nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from quarterdeck.domain.errors import InvalidInput
from quarterdeck.domain.questionnaires import (
    Condition,
    Coupling,
    LeaderStatus,
    Need,
    Questionnaire,
    Urgency,
    When,
)
from quarterdeck.domain.role_kinds import Engagement, EngagementMode
from quarterdeck.domain.workspaces import LeadershipModel

__all__ = [
    "Advice",
    "AdvisorRule",
    "AdvisorRules",
    "Condition",
    "Contradiction",
    "ContradictionRule",
    "Coupling",
    "EngagementPlan",
    "Fired",
    "KindScore",
    "LeaderStatus",
    "LeadershipSeat",
    "Need",
    "NotFired",
    "Questionnaire",
    "Urgency",
    "When",
    "advise",
]


@dataclass(frozen=True, slots=True)
class ContradictionRule:
    """Answers that cannot all be true; `reason` names the contradiction in words."""

    key: str
    title: str
    when: When
    reason: str


@dataclass(frozen=True, slots=True)
class AdvisorRule:
    """When it fires, `weight` counts for `kind` and/or the engagement plan `engagement`
    (a negative weight counts against them), and the kinds in `rules_out` are set aside."""

    key: str
    title: str
    when: When
    reason: str
    weight: int
    kind: str | None = None
    engagement: str | None = None
    rules_out: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.kind is None and self.engagement is None:
            raise InvalidInput(f"rule {self.key!r} recommends neither a kind nor an engagement")
        if self.weight == 0:
            raise InvalidInput(f"rule {self.key!r} has no weight")


@dataclass(frozen=True, slots=True)
class EngagementPlan:
    """A way to engage a leader (full-time, assessment sprint then retainer, ...); `fits`
    names the usual engagement modes of the kinds it suits."""

    key: str
    name: str
    description: str
    fits: tuple[EngagementMode, ...]


@dataclass(frozen=True, slots=True)
class LeadershipSeat:
    """The decision-rights template a kind works under, and its seat there (None when the
    kind advises and holds no seat of its own)."""

    model: LeadershipModel
    role: str | None


@dataclass(frozen=True, slots=True)
class AdvisorRules:
    """Everything `advise` needs; built and cross-checked by the catalog loader. `kinds`
    maps every kind of leader to its usual engagement, in role-catalog order."""

    rules: tuple[AdvisorRule, ...]
    contradictions: tuple[ContradictionRule, ...]
    plans: tuple[EngagementPlan, ...]
    default_plans: Mapping[EngagementMode, str]
    kinds: Mapping[str, Engagement]
    seats: Mapping[str, LeadershipSeat]
    default_seat: LeadershipSeat
    out_of_scope: Mapping[str, tuple[str, ...]]

    def plan(self, key: str) -> EngagementPlan:
        for plan in self.plans:
            if plan.key == key:
                return plan
        raise InvalidInput(f"unknown engagement plan {key!r}")


@dataclass(frozen=True, slots=True)
class Contradiction:
    rule: str
    title: str
    reason: str


@dataclass(frozen=True, slots=True)
class Fired:
    """A rule that fired, with what it did."""

    rule: str
    title: str
    reason: str
    weight: int
    kind: str | None
    engagement: str | None
    rules_out: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class NotFired:
    rule: str
    title: str
    unmet: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class KindScore:
    """A kind's total weight and the rules behind it; `ruled_out_by` when set aside."""

    kind: str
    score: int
    rules: tuple[str, ...]
    ruled_out_by: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Advice:
    """The advisor's answer. With contradictions it recommends nothing; otherwise `kinds`
    holds the recommended kinds, best first (empty when no rule points anywhere), with the
    plan, usual engagement and decision-rights seat of the first."""

    answers: Questionnaire
    contradictions: tuple[Contradiction, ...] = ()
    kinds: tuple[KindScore, ...] = ()
    ruled_out: tuple[KindScore, ...] = ()
    plan: EngagementPlan | None = None
    engagement: Engagement | None = None
    seat: LeadershipSeat | None = None
    out_of_scope: tuple[str, ...] = ()
    fired: tuple[Fired, ...] = ()
    not_fired: tuple[NotFired, ...] = ()

    @property
    def recommended(self) -> str | None:
        """The key of the recommended kind, or None."""
        return self.kinds[0].kind if self.kinds else None

    @property
    def supporting(self) -> tuple[Fired, ...]:
        """The fired rules behind the recommended kind and plan, and those that set the
        other kinds aside, in rule order."""
        kind, plan = self.recommended, self.plan.key if self.plan else None
        aside = {rule for score in self.ruled_out for rule in score.ruled_out_by}
        return tuple(
            f
            for f in self.fired
            if kind and (f.kind == kind or (plan and f.engagement == plan) or f.rule in aside)
        )


def advise(answers: Questionnaire, rules: AdvisorRules) -> Advice:
    """Apply the rules to the answers, deterministically.

    Contradictions first: any that fires gives an Advice naming them and recommending
    nothing. Otherwise every rule is checked in order; kinds are ranked by total weight
    (ties in role-catalog order), kinds a fired rule sets aside are dropped, and only a
    positive total recommends. The plan is the highest-weighted one that suits the first
    kind's usual engagement, or that engagement's default plan.
    """
    found = tuple(
        Contradiction(rule.key, rule.title, rule.reason)
        for rule in rules.contradictions
        if rule.when.holds(answers)
    )
    if found:
        return Advice(answers, contradictions=found)
    fired, not_fired = [], []
    for rule in rules.rules:
        if rule.when.holds(answers):
            fired.append(
                Fired(
                    rule.key,
                    rule.title,
                    rule.reason,
                    rule.weight,
                    rule.kind,
                    rule.engagement,
                    rule.rules_out,
                )
            )
        else:
            not_fired.append(NotFired(rule.key, rule.title, rule.when.unmet(answers)))
    scores: dict[str, int] = {}
    backing: dict[str, list[str]] = {}
    aside: dict[str, list[str]] = {}
    for f in fired:
        if f.kind is not None:
            scores[f.kind] = scores.get(f.kind, 0) + f.weight
            backing.setdefault(f.kind, []).append(f.rule)
        for kind in f.rules_out:
            aside.setdefault(kind, []).append(f.rule)
    order = {key: index for index, key in enumerate(rules.kinds)}
    ranked = sorted(
        (KindScore(k, s, tuple(backing[k]), tuple(aside.get(k, ()))) for k, s in scores.items()),
        key=lambda score: (-score.score, order.get(score.kind, len(order))),
    )
    kinds = tuple(s for s in ranked if s.score > 0 and not s.ruled_out_by)
    ruled_out = tuple(s for s in ranked if s.score > 0 and s.ruled_out_by)
    if not kinds:
        return Advice(answers, ruled_out=ruled_out, fired=tuple(fired), not_fired=tuple(not_fired))
    top = kinds[0].kind
    engagement = rules.kinds[top]
    return Advice(
        answers,
        kinds=kinds,
        ruled_out=ruled_out,
        plan=_plan(engagement.mode, fired, rules),
        engagement=engagement,
        seat=rules.seats.get(top, rules.default_seat),
        out_of_scope=rules.out_of_scope.get(top, ()),
        fired=tuple(fired),
        not_fired=tuple(not_fired),
    )


def _plan(mode: EngagementMode, fired: list[Fired], rules: AdvisorRules) -> EngagementPlan:
    weights: dict[str, int] = {}
    for f in fired:
        if f.engagement is not None:
            weights[f.engagement] = weights.get(f.engagement, 0) + f.weight
    suited = [p for p in rules.plans if mode in p.fits and weights.get(p.key, 0) > 0]
    if not suited:
        return rules.plan(rules.default_plans[mode])
    return max(suited, key=lambda plan: weights[plan.key])  # max keeps the first of a tie
