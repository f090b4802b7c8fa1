"""Optimal selection within capacity, the handbook rule beside it, why candidates are
deferred, why a plan is impossible, and what an urgent candidate displaces."""

from __future__ import annotations

import itertools
import random
from collections.abc import Mapping
from typing import Any

import pytest

from quarterdeck.domain.errors import InvalidInput
from quarterdeck.domain.planning import (
    Binding,
    Candidate,
    ExclusiveGroup,
    Family,
    Kind,
    PlanInfeasible,
    PlanInput,
    Share,
    Split,
    Status,
    Team,
    compare,
    displace,
    evaluate,
    select,
    select_by_rule,
)

PRODUCT, PLATFORM, RISK, KTLO = (
    Kind.PRODUCT_BET,
    Kind.PLATFORM_INVESTMENT,
    Kind.RISK_REDUCTION,
    Kind.KEEP_THE_LIGHTS_ON,
)
Q1, Q2 = "2026-Q3", "2026-Q4"


def make_candidate(id: str, effort: Mapping[str, float], **overrides: Any) -> Candidate:
    fields: dict[str, Any] = {"kind": PRODUCT, "value": 10.0, **overrides}
    return Candidate(id=id, effort=effort, **fields)


def make_plan(*candidates: Candidate, **overrides: Any) -> PlanInput:
    quarters = overrides.pop("quarters", (Q1,))
    fields: dict[str, Any] = {
        "teams": (Team("web", dict.fromkeys(quarters, 10.0)),),
        **overrides,
    }
    return PlanInput(quarters=quarters, candidates=candidates, **fields)


def split(product: tuple[float, float, float], platform: tuple[float, float, float]) -> Split:
    risk = 100 - product[0] - platform[0]
    return Split(
        (Share(PRODUCT, *product), Share(PLATFORM, *platform), Share(RISK, risk, 0.0, 100.0))
    )


# --- the optimiser against exhaustive enumeration ----------------------------------------


def meets_every_constraint(plan: PlanInput, where: Mapping[str, int]) -> bool:
    """The rules of a plan, written out plainly: the oracle the solver is checked against."""
    if any(c.mandatory and c.id not in where for c in plan.candidates):
        return False
    for c in plan.candidates:
        if c.id in where and any(r not in where or where[r] > where[c.id] for r in c.requires):
            return False
    if any(sum(m in where for m in group.members) > 1 for group in plan.exclusive):
        return False
    for q, label in enumerate(plan.quarters):
        chosen = [c for c in plan.candidates if where.get(c.id) == q]
        for team in plan.teams:
            on_team = [c for c in chosen if c.effort.get(team.id, 0) > 0]
            if sum(c.effort[team.id] for c in on_team) > team.available(label) + 1e-9:
                return False
            if team.max_parallel is not None and len(on_team) > team.max_parallel:
                return False
        target = plan.splits.get(label)
        if target is None:
            continue
        run = sum(c.total_effort for c in chosen if c.kind == KTLO)
        base = sum(t.available(label) for t in plan.teams) - run
        for share in target.shares:
            own = sum(c.total_effort for c in chosen if c.kind == share.kind)
            rest = sum(c.total_effort for c in chosen if c.kind not in (share.kind, KTLO))
            if own > share.maximum / 100 * base + 1e-9:
                return False
            if rest > (100 - share.minimum) / 100 * base + 1e-9:
                return False
    return True


def best_by_enumeration(plan: PlanInput) -> float | None:
    """The greatest value over every way to plan the candidates, or None if none is valid."""
    options = [[None, *plan.allowed_quarters(c)] for c in plan.candidates]
    best: float | None = None
    for choice in itertools.product(*options):
        where = {c.id: q for c, q in zip(plan.candidates, choice, strict=True) if q is not None}
        if meets_every_constraint(plan, where):
            value = sum(plan.candidate(i).risk_adjusted_value for i in where)
            best = value if best is None else max(best, value)
    return best


def random_plan(rng: random.Random) -> PlanInput:
    quarters = (Q1, Q2) if rng.random() < 0.4 else (Q1,)
    count = rng.randint(6, 7) if len(quarters) == 2 else rng.randint(6, 10)
    teams = tuple(
        Team(
            name,
            {q: float(rng.randint(6, 18)) for q in quarters},
            keep_the_lights_on={quarters[0]: 2.0} if rng.random() < 0.3 else {},
            max_parallel=rng.choice([None, None, 2, 3]),
        )
        for name in ("web", "data", "mobile")[: rng.randint(2, 3)]
    )
    ids = [f"c{i}" for i in range(count)]
    candidates = []
    for i, cid in enumerate(ids):
        on = rng.sample([t.id for t in teams], rng.randint(1, 2))
        candidates.append(
            Candidate(
                cid,
                rng.choice([PRODUCT, PRODUCT, PLATFORM, RISK, KTLO]),
                float(rng.randint(1, 20)),
                {team: float(rng.randint(1, 9)) for team in on},
                success=rng.choice([0.3, 0.5, 0.7, 0.9, 1.0]),
                requires=(rng.choice(ids[:i]),) if i and rng.random() < 0.3 else (),
                mandatory=rng.random() < 0.08,
                quarter=rng.choice(quarters) if rng.random() < 0.1 else None,
            )
        )
    exclusive = ()
    if rng.random() < 0.6:
        exclusive = (ExclusiveGroup("alternatives", tuple(rng.sample(ids, rng.randint(2, 3)))),)
    splits = {}
    if rng.random() < 0.5:
        loose = float(rng.choice([10, 20, 40]))
        splits = dict.fromkeys(quarters, split((60, 60 - loose, 60 + loose), (25, 0, 25 + loose)))
    return PlanInput(quarters, teams, tuple(candidates), splits, exclusive)


def test_the_optimum_matches_exhaustive_enumeration_on_random_plans() -> None:
    rng = random.Random(20260601)
    infeasible = 0
    for _ in range(200):
        plan = random_plan(rng)
        best = best_by_enumeration(plan)
        if best is None:
            infeasible += 1
            with pytest.raises(PlanInfeasible):
                select(plan)
            continue
        chosen = select(plan)
        assert chosen.status == Status.OPTIMAL
        assert chosen.value == pytest.approx(best, abs=1e-6)
        where = {item.id: plan.quarters.index(item.quarter) for item in chosen.planned}
        assert meets_every_constraint(plan, where)
        # Every candidate left out of an optimal plan names a constraint that binds.
        for deferred in chosen.deferred:
            assert deferred.reasons
            assert all(r.binding != Binding.LEFT_OUT for r in deferred.reasons)
        try:
            rule = select_by_rule(plan)
        except PlanInfeasible:
            continue
        rule_where = {item.id: plan.quarters.index(item.quarter) for item in rule.planned}
        assert meets_every_constraint(plan, rule_where)
        assert rule.value <= chosen.value + 1e-9
    assert 5 < infeasible < 100  # both kinds of instance were exercised


def test_the_solver_prints_nothing(capfd: pytest.CaptureFixture[str]) -> None:
    select(make_plan(make_candidate("a", {"web": 4})))
    assert capfd.readouterr() == ("", "")


# --- deferred candidates and their reasons ----------------------------------------------


def test_a_candidate_outbid_for_a_full_team_is_of_lower_value() -> None:
    plan = make_plan(
        make_candidate("big", {"web": 8}, value=20),
        make_candidate("small", {"web": 4}, value=5),
    )
    (deferred,) = select(plan).deferred
    assert deferred.id == "small"
    assert [r.binding for r in deferred.reasons] == [Binding.LOWER_VALUE, Binding.TEAM_FULL]
    assert "team web is full in 2026-Q3: needs 4 person-weeks, 2 of 10 left" in deferred.text


def test_a_candidate_too_large_for_its_team_is_not_said_to_be_outbid() -> None:
    plan = make_plan(make_candidate("huge", {"web": 12}))
    (deferred,) = select(plan).deferred
    assert [r.binding for r in deferred.reasons] == [Binding.TEAM_FULL]


def test_deferred_reasons_name_the_binding_constraint() -> None:
    plan = PlanInput(
        quarters=(Q1,),
        teams=(Team("web", {Q1: 40.0}, max_parallel=3), Team("data", {Q1: 40.0})),
        candidates=(
            make_candidate("bet-a", {"web": 8}, value=30),
            make_candidate("bet-b", {"web": 8}, value=29),
            make_candidate("bet-c", {"web": 8}, value=28),
            make_candidate("platform", {"data": 10}, kind=PLATFORM, value=20),
            make_candidate("bet-d", {"data": 2}, value=1),
            make_candidate("needs-big", {"data": 1}, kind=RISK, requires=("too-big",)),
            make_candidate("too-big", {"data": 50}, kind=RISK),
            make_candidate("cheap-twin", {"data": 1}, kind=PLATFORM, value=1),
            make_candidate("costly-twin", {"data": 1}, kind=PLATFORM, value=9),
            make_candidate("fourth-on-web", {"web": 1}, kind=RISK, value=2),
        ),
        # Product bets may take 30 % of the 80 person-weeks: 24, all of it taken by three.
        splits={Q1: split((30, 0, 30), (55, 0, 100))},
        exclusive=(ExclusiveGroup("twins", ("cheap-twin", "costly-twin")),),
    )
    chosen = select(plan)
    assert chosen.ids() == {"bet-a", "bet-b", "bet-c", "platform", "costly-twin"}
    bindings = {d.id: [r.binding for r in d.reasons] for d in chosen.deferred}
    assert bindings == {
        "bet-d": [Binding.LOWER_VALUE, Binding.SPLIT_MAXIMUM],
        "needs-big": [Binding.NEEDS_DEFERRED],
        "too-big": [Binding.TEAM_FULL],
        "cheap-twin": [Binding.EXCLUDED],
        "fourth-on-web": [Binding.LOWER_VALUE, Binding.PARALLEL_LIMIT],
    }
    texts = {d.id: d.text for d in chosen.deferred}
    assert (
        "product bets would take 26 person-weeks in 2026-Q3, above their maximum of 30 % (24)"
        in texts["bet-d"]
    )
    assert texts["needs-big"] == "depends on too-big, which is not in the plan"
    assert texts["cheap-twin"] == "excluded by costly-twin, chosen in alternatives twins"
    assert "team web already runs its limit of 3 initiatives in 2026-Q3" in texts["fourth-on-web"]


def test_the_split_reserve_keeps_capacity_for_platform_work() -> None:
    plan = make_plan(
        make_candidate("bet", {"web": 9}, value=50),
        make_candidate("platform", {"web": 2}, kind=PLATFORM, value=1),
        splits={Q1: split((60, 0, 100), (25, 20, 100))},
    )
    chosen = select(plan)
    assert chosen.ids() == {"platform"}
    (deferred,) = chosen.deferred
    assert Binding.SPLIT_RESERVE in {r.binding for r in deferred.reasons}
    assert "20 % of 2026-Q3 is reserved for platform investment" in deferred.text


def test_a_dependency_is_planned_in_the_same_or_an_earlier_quarter() -> None:
    plan = make_plan(
        make_candidate("api", {"web": 8}, kind=PLATFORM),
        make_candidate("app", {"web": 8}, requires=("api",)),
        quarters=(Q1, Q2),
    )
    chosen = select(plan)
    assert [(item.id, item.quarter) for item in chosen.planned] == [("api", Q1), ("app", Q2)]


def test_keep_the_lights_on_is_reserved_before_the_split() -> None:
    plan = make_plan(
        make_candidate("run", {"web": 5}, kind=KTLO, mandatory=True),
        make_candidate("bet", {"web": 3}),
        make_candidate("platform", {"web": 2}, kind=PLATFORM),
        splits={Q1: split((60, 0, 60), (40, 0, 100))},
    )
    chosen = select(plan)
    assert chosen.ids() == {"run", "bet", "platform"}
    product = next(line for line in chosen.split if line.kind == PRODUCT)
    assert (product.effort, product.share, product.of_base) == (3.0, 60.0, 60.0)


# --- impossible plans --------------------------------------------------------------------


def reasons(error: pytest.ExceptionInfo[PlanInfeasible]) -> list[tuple[tuple[Family, ...], str]]:
    return [(c.families, c.text) for c in error.value.conflicts]


def test_mandatory_work_above_a_teams_capacity_is_named() -> None:
    plan = make_plan(
        make_candidate("a", {"web": 6}, mandatory=True),
        make_candidate("b", {"web": 6}, mandatory=True),
    )
    with pytest.raises(PlanInfeasible) as error:
        select(plan)
    assert reasons(error) == [
        (
            (Family.CAPACITY,),
            "a (mandatory), b (mandatory) need 12 person-weeks of team web, "
            "which has 10 over the plan's 1 quarter",
        )
    ]


def test_a_mandatory_candidate_too_large_on_its_own_is_named() -> None:
    plan = make_plan(make_candidate("a", {"web": 11}, mandatory=True))
    with pytest.raises(PlanInfeasible, match=r"a \(mandatory\) does not fit even on its own"):
        select(plan)


def test_mandatory_work_needing_an_alternative_excluded_by_other_mandatory_work() -> None:
    plan = make_plan(
        make_candidate("vendor", {"web": 1}),
        make_candidate("in-house", {"web": 1}, mandatory=True),
        make_candidate("integration", {"web": 1}, mandatory=True, requires=("vendor",)),
        exclusive=(ExclusiveGroup("build-or-buy", ("vendor", "in-house")),),
    )
    with pytest.raises(PlanInfeasible) as error:
        select(plan)
    assert reasons(error) == [
        (
            (Family.EXCLUSIVE, Family.DEPENDENCIES),
            "alternatives build-or-buy allow only one of vendor (required by integration), "
            "in-house (mandatory)",
        )
    ]


def test_a_pinned_quarter_before_its_requirement_is_named() -> None:
    plan = make_plan(
        make_candidate("api", {"web": 1}, quarter=Q2),
        make_candidate("app", {"web": 1}, quarter=Q1, mandatory=True, requires=("api",)),
        quarters=(Q1, Q2),
    )
    with pytest.raises(PlanInfeasible, match="is pinned to 2026-Q3 but needs api"):
        select(plan)


def test_the_solver_names_the_conflicting_family_and_the_smallest_set() -> None:
    # 18 person-weeks fit into 2 x 10 in total, but no two of the three share a quarter.
    plan = make_plan(
        *(make_candidate(i, {"web": 6}, mandatory=True) for i in ("a", "b", "c")),
        make_candidate("d", {"web": 1}, mandatory=True),
        quarters=(Q1, Q2),
    )
    with pytest.raises(PlanInfeasible) as error:
        select(plan)
    (conflict,) = error.value.conflicts
    assert conflict.candidates == ("a", "b", "c")
    assert conflict.families == (Family.CAPACITY,)
    assert "relaxing it would allow a plan" in conflict.text


# --- the handbook rule beside the optimum ------------------------------------------------


def test_the_handbook_rule_and_the_optimum_differ_and_both_are_shown() -> None:
    # DOMAIN.md section 5: A, C and D are viable, capacity allows two in parallel.
    plan = PlanInput(
        quarters=(Q1,),
        teams=(Team("it", {Q1: 30.0}, max_parallel=2),),
        candidates=(
            make_candidate("A", {"it": 10}, value=10, success=0.5),
            make_candidate("C", {"it": 10}, value=8, success=0.9),
            make_candidate("D", {"it": 10}, value=6, success=0.95),
        ),
    )
    comparison = compare(plan)
    assert comparison.rule is not None
    assert comparison.rule.ids() == {"A", "D"}  # highest benefit, the safest beside it
    assert comparison.optimal.ids() == {"C", "D"}
    assert comparison.rule.value == pytest.approx(10.7)
    assert comparison.optimal.value == pytest.approx(12.9)
    assert comparison.value_difference == pytest.approx(2.2)
    assert (comparison.only_optimal, comparison.only_rule) == (("C",), ("A",))
    (left_out,) = comparison.rule.deferred
    assert left_out.id == "C"
    assert left_out.reasons[0].text == "fits on its own, not beside what the rule took first"


def test_the_rule_brings_a_candidates_requirements_along() -> None:
    plan = make_plan(
        make_candidate("app", {"web": 4}, value=20, requires=("api",)),
        make_candidate("api", {"web": 4}, kind=PLATFORM, value=1, success=0.5),
        make_candidate("other", {"web": 4}, value=15),
    )
    assert select_by_rule(plan).ids() == {"app", "api"}


# --- displacement ------------------------------------------------------------------------


def test_an_urgent_candidate_displaces_exactly_the_cheapest_way_out() -> None:
    plan = PlanInput(
        quarters=(Q1, Q2),
        teams=(Team("web", {Q1: 10.0, Q2: 10.0}), Team("data", {Q1: 10.0, Q2: 10.0})),
        candidates=(
            make_candidate("checkout", {"web": 6}, value=10),
            make_candidate("search", {"web": 4}, value=8),
            make_candidate("reports", {"data": 5}, kind=PLATFORM, value=5),
            make_candidate("later", {"web": 10}, value=12, quarter=Q2),
        ),
    )
    urgent = make_candidate("patch-cve", {"web": 4}, kind=RISK, value=3)
    result = displace(plan, urgent)
    assert result.quarter == Q1
    assert [d.id for d in result.displaced] == ["search"]
    assert result.displaced[0].reasons[0].binding == Binding.LOWER_VALUE
    assert result.brought_in == ()
    assert result.rescheduled == ()
    (move,) = result.capacity
    assert (move.team, move.quarter, move.to_urgent, move.from_displaced) == ("web", Q1, 4, 4)
    assert move.change == 0
    changes = {(c.kind, c.effort_before, c.effort_after) for c in result.split}
    assert changes == {(PRODUCT, 10.0, 6.0), (RISK, 0.0, 4.0)}
    assert result.value_lost == pytest.approx(8)
    assert result.value_change == pytest.approx(-5)


def test_an_urgent_candidate_that_cannot_fit_names_the_conflict() -> None:
    plan = make_plan(make_candidate("run", {"web": 8}, kind=KTLO, mandatory=True))
    with pytest.raises(PlanInfeasible, match="team web"):
        displace(plan, make_candidate("hotfix", {"web": 4}))


def test_an_unknown_urgent_candidate_is_refused() -> None:
    with pytest.raises(InvalidInput, match="'ghost': no such candidate"):
        displace(make_plan(), "ghost")


# --- bad input ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (
            lambda: make_plan(make_candidate("a", {"web": -1})),
            "candidate 'a': effort for team 'web' must not be negative",
        ),
        (
            lambda: make_plan(make_candidate("a", {"mobile": 2})),
            "candidate 'a': effort for unknown team 'mobile'",
        ),
        (
            lambda: make_plan(make_candidate("a", {"web": 1}, requires=("b",))),
            "candidate 'a': requires unknown candidate 'b'",
        ),
        (
            lambda: make_plan(make_candidate("a", {"web": 1}), make_candidate("a", {"web": 2})),
            "candidate id 'a' appears twice",
        ),
        (
            lambda: make_plan(
                make_candidate("a", {"web": 1}, requires=("c",)),
                make_candidate("b", {"web": 1}, requires=("a",)),
                make_candidate("c", {"web": 1}, requires=("b",)),
            ),
            "dependency cycle: a requires c requires b requires a",
        ),
        (
            lambda: Split((Share(PRODUCT, 60), Share(PLATFORM, 30))),
            "split: targets sum to 90 %, not 100 %",
        ),
        (
            lambda: Split((Share(PRODUCT, 60, 70, 65), Share(PLATFORM, 40))),
            "split share product-bet: minimum 70 % is above maximum 65 %",
        ),
        (
            lambda: Split((Share(KTLO, 100),)),
            "split share keep-the-lights-on: only",
        ),
        (
            lambda: Team("web", {Q1: 5}, keep_the_lights_on={Q1: 6}),
            "team 'web': keep-the-lights-on reserve in 2026-Q3 (6) exceeds its capacity (5)",
        ),
        (
            lambda: make_plan(teams=(Team("web", {Q2: 5}),)),
            "team 'web': no capacity given for 2026-Q3",
        ),
        (
            lambda: make_plan(exclusive=(ExclusiveGroup("g", ("x", "y")),)),
            "exclusive group 'g': unknown candidate 'x'",
        ),
        (
            lambda: make_candidate("a", {"web": 1}, success=1.5),
            "candidate 'a': success is a probability from 0 to 1",
        ),
    ],
)
def test_bad_input_is_refused_with_a_message_naming_the_field(build: Any, message: str) -> None:
    with pytest.raises(InvalidInput) as error:
        build()
    assert error.value.message.startswith(message)


def test_a_bad_time_limit_is_refused() -> None:
    with pytest.raises(InvalidInput, match="time limit"):
        select(make_plan(), time_limit=0)


def test_a_time_limit_leaves_the_best_plan_found_with_its_gap() -> None:
    rng = random.Random(7)
    teams = tuple(Team(f"t{i}", {Q1: 40.0, Q2: 40.0}, max_parallel=6) for i in range(6))
    candidates = tuple(
        make_candidate(
            f"c{i}",
            {f"t{t}": float(rng.randint(1, 12)) for t in rng.sample(range(6), 2)},
            kind=rng.choice([PRODUCT, PLATFORM, RISK]),
            value=float(rng.randint(1, 100)),
            success=rng.choice([0.5, 0.8, 1.0]),
        )
        for i in range(400)
    )
    plan = PlanInput(
        (Q1, Q2), teams, candidates, dict.fromkeys((Q1, Q2), split((60, 40, 70), (25, 10, 40)))
    )
    chosen = select(plan, time_limit=0.001)
    # A millisecond passes long before the proof: the best plan found by then is kept
    # (at worst the greedy first plan), not lost.
    assert chosen.status in (Status.TIME_LIMIT, Status.OPTIMAL)
    assert chosen.planned
    where = {item.id: plan.quarters.index(item.quarter) for item in chosen.planned}
    assert meets_every_constraint(plan, where)


def test_evaluate_accepts_a_plan_meeting_every_constraint_and_names_a_broken_one() -> None:
    plan = PlanInput(
        quarters=("Q1", "Q2"),
        teams=(Team("core", {"Q1": 10, "Q2": 10}),),
        candidates=(
            Candidate("a", Kind.PRODUCT_BET, 5, {"core": 8}),
            Candidate("b", Kind.PRODUCT_BET, 4, {"core": 8}, requires=("a",)),
            Candidate("m", Kind.RISK_REDUCTION, 1, {"core": 1}, mandatory=True, quarter="Q2"),
        ),
    )
    good = evaluate(plan, {"a": "Q1", "b": "Q2", "m": "Q2"})
    assert good.value == 10
    assert [(p.id, p.quarter) for p in good.planned] == [("a", "Q1"), ("b", "Q2"), ("m", "Q2")]
    with pytest.raises(InvalidInput, match="a in Q1: team core is full in Q1"):
        evaluate(plan, {"a": "Q1", "b": "Q1", "m": "Q2"})
    with pytest.raises(InvalidInput, match="b in Q1: depends on a, planned only in Q2"):
        evaluate(plan, {"a": "Q2", "b": "Q1", "m": "Q2"})
    with pytest.raises(InvalidInput, match="mandatory m must be in the plan"):
        evaluate(plan, {"a": "Q1"})
    with pytest.raises(InvalidInput, match="m is pinned to Q2, not Q1"):
        evaluate(plan, {"m": "Q1"})


def test_the_rule_places_pinned_mandatory_work_before_unpinned_mandatory_work() -> None:
    """An unpinned mandatory candidate listed first must not take the room a pinned one
    needs: it can go to a later quarter, the pinned one cannot."""
    plan = PlanInput(
        quarters=("Q1", "Q2"),
        teams=(Team("core", {"Q1": 10, "Q2": 10}),),
        candidates=(
            Candidate("loose", Kind.PRODUCT_BET, 1, {"core": 8}, mandatory=True),
            Candidate("pinned", Kind.RISK_REDUCTION, 1, {"core": 8}, mandatory=True, quarter="Q1"),
        ),
    )
    result = select_by_rule(plan)
    assert {(p.id, p.quarter) for p in result.planned} == {("pinned", "Q1"), ("loose", "Q2")}
