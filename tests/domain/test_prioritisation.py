"""Prioritisation models (five criteria, custom weighted, RICE, WSJF), gates, and the two
selection rules of the IT-manager example, against values worked out by hand."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest

from quarterdeck.domain.errors import InvalidInput
from quarterdeck.domain.prioritisation import (
    Candidate,
    Criterion,
    Direction,
    Effect,
    Gate,
    Method,
    WeightedModel,
    rank_weighted,
)
from quarterdeck.domain.prioritisation_five_criteria import (
    FiveCriteriaCandidate,
    FiveCriteriaModel,
    StrategicGoal,
    rank_five_criteria,
)
from quarterdeck.domain.prioritisation_ratios import (
    RiceCandidate,
    RiceModel,
    WsjfCandidate,
    WsjfModel,
    rank_rice,
    rank_wsjf,
)
from quarterdeck.domain.selection_rules import Prospect, SelectionRule, select

F = Fraction
LOWER = Direction.LOWER_BETTER

# --- the IT-manager worked example (DOMAIN.md section 5) ------------------------------

GOALS = (
    StrategicGoal("online-sales", "Grow online sales", weight=2),
    StrategicGoal("running-costs", "Cut running costs", weight=1),
)
# Strategic goals count twice as much as each other criterion: shares 2/6 = 1/3 and 1/6.
IT_MODEL = FiveCriteriaModel(goals=GOALS, strategic_weight=2)


def project(
    key: str, serves: dict[str, Any], *scores: Any, backed: bool = True
) -> FiveCriteriaCandidate:
    dept, resources, viability, risk = scores
    gates = {"departments": backed}
    return FiveCriteriaCandidate(
        key, f"Project {key}", serves, dept, resources, viability, risk, gates
    )


PROJECTS = (
    project("A", {"online-sales": 5}, 4, 3, 4, 4),
    project("B", {}, 5, 5, 5, 0),  # a fine project, but it serves no strategic goal
    project("C", {"running-costs": 3}, 3, 4, 5, 1),
    project("D", {"online-sales": 2, "running-costs": 4}, 3, 3, 4, 2),
    # E fits the strategy, then the department heads turn it down; its risk is not even
    # on the scale, which does not matter: a gated item is not scored.
    project("E", {"running-costs": 5}, 1, 1, 1, 99, backed=False),
)
# Benefit of each survivor, e.g. the expected NPV from its cost-benefit analysis (in 100k).
# A brings the most and is the riskiest, so the two rules part ways.
BENEFIT = {"A": 9, "C": 5, "D": 6}


def test_worked_example_ranks_the_three_that_survive_strategy_and_department_heads() -> None:
    ranking = rank_five_criteria(IT_MODEL, PROJECTS)
    # Strategic value = goal-weighted mean strength; goal shares 2/3 and 1/3:
    #   A: 5 x 2/3 = 10/3 -> /5 = 2/3      C: 3 x 1/3 = 1 -> 1/5
    #   D: 2 x 2/3 + 4 x 1/3 = 8/3 -> 8/15
    # Score = 1/3 x strategic + 1/6 x (dept + resources + viability + (5 - risk)) / 5:
    #   A: 1/3 x 2/3  + 1/6 x (4 + 3 + 4 + 1) / 5 = 2/9  + 2/5  = 28/45 (0.622)
    #   D: 1/3 x 8/15 + 1/6 x (3 + 3 + 4 + 3) / 5 = 8/45 + 13/30 = 11/18 (0.611)
    #   C: 1/3 x 1/5  + 1/6 x (3 + 4 + 5 + 4) / 5 = 1/15 + 8/15  = 3/5   (0.600)
    assert [(r.key, r.rank, r.score) for r in ranking.ranked] == [
        ("A", 1, F(28, 45)),
        ("D", 2, F(11, 18)),
        ("C", 3, F(3, 5)),
    ]
    assert ranking.method is Method.FIVE_CRITERIA
    assert [(e.key, e.reasons) for e in ranking.excluded] == [
        ("B", ("serves none of the workspace's strategic goals",)),
        ("E", ("fails gate 'departments' (Do the department heads back it? No)",)),
    ]


def test_worked_example_breakdown_shows_each_criterion() -> None:
    ranking = rank_five_criteria(IT_MODEL, PROJECTS)
    a = ranking.ranked[0]
    assert [(t.criterion, t.raw, t.normalised, t.weight, t.contribution) for t in a.terms] == [
        ("strategic-goals", F(10, 3), F(2, 3), F(1, 3), F(2, 9)),
        ("departmental-needs", 4, F(4, 5), F(1, 6), F(2, 15)),
        ("resources", 3, F(3, 5), F(1, 6), F(1, 10)),
        ("viability", 4, F(4, 5), F(1, 6), F(2, 15)),
        ("risk", 4, F(1, 5), F(1, 6), F(1, 30)),  # lower is better: (5 - 4) / 5
    ]
    assert sum(t.contribution for t in a.terms) == a.score == a.normalised
    assert a.term("strategic-goals").note == "Goal-weighted strength: online-sales 5 x 0.667."
    lines = ranking.explain("C")
    assert lines[0] == "C is ranked 3rd of 3 with a score of 0.6 (0.6 normalised)."
    assert "reversed when lower is better" in ranking.normalisation
    assert ranking.explain("E") == (
        "E is not ranked: fails gate 'departments' (Do the department heads back it? No).",
    )


def test_strategic_fit_can_be_switched_off() -> None:
    model = FiveCriteriaModel(goals=GOALS, strategic_weight=2, require_strategic_fit=False)
    ranking = rank_five_criteria(model, PROJECTS)
    # B: 1/3 x 0 + 1/6 x (5 + 5 + 5 + 5) / 5 = 2/3, now first.
    first = ranking.ranked[0]
    assert (first.key, first.score) == ("B", F(2, 3))
    assert [e.key for e in ranking.excluded] == ["E"]


def prospects() -> list[Prospect]:
    ranking = rank_five_criteria(IT_MODEL, PROJECTS)
    return [Prospect(r.key, r.title, BENEFIT[r.key], r.term("risk").raw) for r in ranking.ranked]


def test_easy_rule_takes_the_two_lowest_risks_the_safest_leading() -> None:
    # Risks: A 4, D 2, C 1 -> C then D; A is left out.
    selection = select(prospects(), capacity=2, rule=SelectionRule.LOWEST_RISK)
    assert selection.keys == ("C", "D")
    assert [(p.key, p.highest_priority, p.reason) for p in selection.chosen] == [
        ("C", True, "highest priority: the lowest risk (1)"),
        ("D", False, "2nd lowest risk (2)"),
    ]
    assert [(p.key, p.reason) for p in selection.left_out] == [
        ("A", "not among the 2 lowest risks (risk 4); capacity is 2 in parallel"),
    ]


def test_better_rule_takes_the_greatest_benefit_and_the_safest_beside_it() -> None:
    # Benefits: A 9, D 6, C 5 -> A is stamped highest priority; the safest of C and D is C.
    selection = select(prospects(), capacity=2, rule=SelectionRule.BENEFIT_THEN_SAFEST)
    assert selection.keys == ("A", "C")
    assert [(p.key, p.highest_priority, p.reason) for p in selection.chosen] == [
        ("A", True, "highest priority: the greatest benefit (9), taken despite its risk (4)"),
        ("C", False, "the safest of the rest (risk 1), run beside A"),
    ]
    assert [(p.key, p.reason) for p in selection.left_out] == [
        (
            "D",
            "neither the greatest benefit nor among the safest of the rest (risk 2); "
            "capacity is 2 in parallel",
        ),
    ]


def test_the_two_rules_differ_in_the_worked_example() -> None:
    easy = select(prospects(), capacity=2, rule=SelectionRule.LOWEST_RISK)
    better = select(prospects(), capacity=2, rule=SelectionRule.BENEFIT_THEN_SAFEST)
    assert set(easy.keys) != set(better.keys)
    assert sum(BENEFIT[k] for k in better.keys) > sum(BENEFIT[k] for k in easy.keys)


def test_selection_with_room_for_all_or_for_one() -> None:
    assert select(prospects(), capacity=5, rule=SelectionRule.LOWEST_RISK).keys == ("C", "D", "A")
    one = select(prospects(), capacity=1, rule=SelectionRule.BENEFIT_THEN_SAFEST)
    assert one.keys == ("A",)
    assert [p.key for p in one.left_out] == ["C", "D"]


def test_nothing_to_select_chooses_nothing() -> None:
    for rule in SelectionRule:
        assert select([], capacity=2, rule=rule).chosen == ()


def test_selection_ties_go_to_higher_benefit_then_to_the_earlier_prospect() -> None:
    tied = [Prospect("x", "X", 1, 2), Prospect("y", "Y", 3, 2), Prospect("z", "Z", 3, 2)]
    assert select(tied, capacity=2, rule=SelectionRule.LOWEST_RISK).keys == ("y", "z")
    assert select(tied, capacity=1, rule=SelectionRule.BENEFIT_THEN_SAFEST).keys == ("y",)


# --- custom weighted criteria --------------------------------------------------------

CUSTOM = WeightedModel(
    criteria=(
        Criterion("value", "Business value", 3, 0, 10),
        Criterion("cost", "Cost (k)", 1, 0, 100, LOWER),
        Criterion("risk", "Risk", 1, 1, 5, LOWER),
    )
)


def test_custom_weighted_criteria_scale_each_value_by_its_own_range() -> None:
    ranking = rank_weighted(
        CUSTOM,
        [
            Candidate("y", "Y", {"value": 10, "cost": 90, "risk": 5}),
            Candidate("x", "X", {"value": 8, "cost": Decimal("40"), "risk": 2}),
        ],
    )
    # Shares 3/5, 1/5, 1/5.
    #   x: value 8/10 = 4/5; cost (100 - 40)/100 = 3/5; risk (5 - 2)/(5 - 1) = 3/4
    #      3/5 x 4/5 + 1/5 x 3/5 + 1/5 x 3/4 = 12/25 + 3/25 + 3/20 = 3/4
    #   y: 3/5 x 1 + 1/5 x 1/10 + 1/5 x 0 = 31/50
    assert [(r.key, r.score) for r in ranking.ranked] == [("x", F(3, 4)), ("y", F(31, 50))]
    assert [t.contribution for t in ranking.ranked[0].terms] == [F(12, 25), F(3, 25), F(3, 20)]
    assert all(t.effect is Effect.ADD for t in ranking.ranked[0].terms)


def test_a_weighted_score_does_not_move_when_another_item_joins() -> None:
    x = Candidate("x", "X", {"value": 8, "cost": 40, "risk": 2})
    alone = rank_weighted(CUSTOM, [x]).ranked[0]
    joined = rank_weighted(CUSTOM, [x, Candidate("w", "W", {"value": 0, "cost": 0, "risk": 1})])
    assert next(r for r in joined.ranked if r.key == "x").normalised == alone.normalised == F(3, 4)


def test_equal_scores_are_ordered_by_key_and_name_each_other() -> None:
    same = {"value": 5, "cost": 50, "risk": 3}
    ranking = rank_weighted(CUSTOM, [Candidate(k, k, same) for k in ("m", "b", "k")])
    assert [(r.key, r.rank, r.tied_with) for r in ranking.ranked] == [
        ("b", 1, ("k", "m")),
        ("k", 2, ("b", "m")),
        ("m", 3, ("b", "k")),
    ]
    assert ranking.tie_break in ranking.explain("k")[-2]


def test_a_pass_mark_and_a_gate_exclude_with_every_reason() -> None:
    model = WeightedModel(
        criteria=(
            Criterion("value", "Value", 1, 0, 10),
            Criterion("risk", "Risk", 1, 1, 5, LOWER, pass_mark=4),
        ),
        gates=(Gate("security", "Has security signed off?"),),
    )
    ranking = rank_weighted(
        model,
        [
            Candidate("ok", "Ok", {"value": 5, "risk": 4}, {"security": True}),
            Candidate("risky", "Risky", {"value": 9, "risk": 5}, {"security": True}),
            Candidate("open", "Open", {"value": 9, "risk": 1}),
        ],
    )
    assert [r.key for r in ranking.ranked] == ["ok"]
    assert {e.key: e.reasons for e in ranking.excluded} == {
        "open": ("gate 'security' not answered (Has security signed off?)",),
        "risky": ("risk is 5, worse than its pass mark 4",),
    }


# --- RICE ----------------------------------------------------------------------------


def test_rice_multiplies_reach_impact_confidence_and_divides_by_effort() -> None:
    ranking = rank_rice(
        RiceModel(),
        [
            RiceCandidate("p", "P", 500, 2, 80, 4),  # 500 x 2 x 0.8 / 4 = 200
            RiceCandidate("r", "R", 300, 3, 100, Decimal("4.5")),  # 300 x 3 x 1 / 4.5 = 200
            RiceCandidate("q", "Q", 2000, F(1, 2), 50, 2),  # 2000 x 0.5 x 0.5 / 2 = 250
        ],
    )
    # Normalised against the best, 250: 200 / 250 = 4/5.
    assert [(r.key, r.score, r.normalised, r.tied_with) for r in ranking.ranked] == [
        ("q", 250, 1, ()),
        ("p", 200, F(4, 5), ("r",)),
        ("r", 200, F(4, 5), ("p",)),
    ]
    p = ranking.ranked[1]
    assert [(t.criterion, t.raw, t.contribution, t.effect) for t in p.terms] == [
        ("reach", 500, 500, Effect.ADD),
        ("impact", 2, 2, Effect.MULTIPLY),
        ("confidence", 80, F(4, 5), Effect.MULTIPLY),
        ("effort", 4, F(1, 4), Effect.MULTIPLY),
    ]
    assert ranking.explain("p")[4] == "effort: 4 multiplies by 0.25."


# --- WSJF ----------------------------------------------------------------------------


def test_wsjf_divides_cost_of_delay_by_job_size() -> None:
    ranking = rank_wsjf(
        WsjfModel(),
        [
            WsjfCandidate("s", "S", 8, 5, 3, 5),  # (8 + 5 + 3) / 5 = 16/5
            WsjfCandidate("t", "T", 13, 8, 1, 13),  # (13 + 8 + 1) / 13 = 22/13
            WsjfCandidate("u", "U", 3, 13, 2, 2),  # (3 + 13 + 2) / 2 = 9
        ],
    )
    # Normalised against the best, 9: 16/45 and 22/117.
    assert [(r.key, r.score, r.normalised) for r in ranking.ranked] == [
        ("u", 9, 1),
        ("s", F(16, 5), F(16, 45)),
        ("t", F(22, 13), F(22, 117)),
    ]
    u = ranking.ranked[0]
    assert [(t.criterion, t.contribution, t.effect) for t in u.terms] == [
        ("business-value", 3, Effect.ADD),
        ("time-criticality", 13, Effect.ADD),
        ("risk-reduction", 2, Effect.ADD),
        ("job-size", F(1, 2), Effect.MULTIPLY),
    ]


def test_wsjf_without_a_scale_takes_any_points_and_gates_apply() -> None:
    model = WsjfModel(scale=None, gates=(Gate("ready", "Is it ready?"),))
    ranking = rank_wsjf(
        model,
        [
            WsjfCandidate("a", "A", Decimal("2.5"), 0, 1, Decimal("0.5"), {"ready": True}),
            WsjfCandidate("b", "B", 20, 20, 20, 1, {"ready": False}),
        ],
    )
    assert [(r.key, r.score) for r in ranking.ranked] == [("a", 7)]  # 3.5 / 0.5
    assert [e.key for e in ranking.excluded] == ["b"]


# --- bad input -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: Criterion("risk", "Risk", -1), "criterion 'risk': weight must not be negative"),
        (lambda: Criterion("risk", "Risk", 1, 5, 5), "criterion 'risk': the scale's low end"),
        (lambda: Criterion("risk", "Risk", 1.5), "criterion 'risk': weight must be a whole"),
        (lambda: Criterion("v", "V", 1, pass_mark=9), "criterion 'v': pass mark 9 is outside"),
        (lambda: WeightedModel(criteria=()), "at least one criterion"),
        (
            lambda: WeightedModel(criteria=(Criterion("a", "A", 0), Criterion("b", "B", 0))),
            "all criteria weigh zero",
        ),
        (
            lambda: WeightedModel(criteria=(Criterion("a", "A", 1), Criterion("a", "A", 2))),
            "two of the criterions have the key 'a'",
        ),
        (lambda: FiveCriteriaModel(goals=()), "needs at least one strategic goal"),
        (
            lambda: FiveCriteriaModel(goals=GOALS, risk_weight=-2),
            "criterion 'risk': weight must not be negative",
        ),
        (
            lambda: FiveCriteriaModel(goals=(StrategicGoal("g", "G", 0),)),
            "strategic goal weights must be >= 0 and not all zero",
        ),
    ],
)
def test_bad_models_are_refused(build: Any, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        build()


def weighted(scores: dict[str, Any], **gates: bool) -> Any:
    return lambda: rank_weighted(CUSTOM, [Candidate("x7", "X", scores, gates)])


GOOD = {"value": 5, "cost": 50, "risk": 3}


@pytest.mark.parametrize(
    ("rank", "message"),
    [
        (weighted({**GOOD, "speed": 3}), "intake item x7: unknown criterion 'speed'"),
        (weighted({"value": 5, "cost": 50}), "intake item x7: no score for 'risk'"),
        (weighted({**GOOD, "risk": 6}), "intake item x7: risk is 6, outside its scale 1..5"),
        (weighted({**GOOD, "value": -1}), "intake item x7: value is -1, outside its scale"),
        (weighted({**GOOD, "cost": 5.0}), "intake item x7: cost must be a whole number"),
        (weighted({**GOOD, "cost": Decimal("NaN")}), "intake item x7: cost must be a finite"),
        (weighted(GOOD, legal=True), "intake item x7: unknown gate 'legal'"),
        (
            lambda: rank_weighted(CUSTOM, [Candidate("x", "X", GOOD), Candidate("x", "Y", GOOD)]),
            "two of the intake items have the key 'x'",
        ),
        (
            lambda: rank_rice(RiceModel(), [RiceCandidate("r1", "R", 10, 1, 120, 1)]),
            r"intake item r1: confidence is 120 %, outside 0..100 %",
        ),
        (
            lambda: rank_rice(RiceModel(), [RiceCandidate("r1", "R", 10, 1, -5, 1)]),
            r"intake item r1: confidence is -5 %",
        ),
        (
            lambda: rank_rice(RiceModel(), [RiceCandidate("r1", "R", 10, 1, 50, 0)]),
            "intake item r1: effort must be above zero, got 0",
        ),
        (
            lambda: rank_rice(RiceModel(), [RiceCandidate("r1", "R", -10, 1, 50, 1)]),
            "intake item r1: reach must not be negative",
        ),
        (
            lambda: rank_rice(RiceModel(), [RiceCandidate("r1", "R", 10, Decimal("1.5"), 50, 1)]),
            "intake item r1: impact is 1.5; use one of 0.25, 0.5, 1, 2, 3",
        ),
        (
            lambda: rank_wsjf(WsjfModel(), [WsjfCandidate("w1", "W", 4, 1, 1, 1)]),
            "intake item w1: business-value is 4; use one of 1, 2, 3, 5, 8, 13, 20",
        ),
        (
            lambda: rank_wsjf(WsjfModel(scale=None), [WsjfCandidate("w1", "W", 4, 1, 1, 0)]),
            "intake item w1: job-size must be above zero, got 0",
        ),
        (
            lambda: rank_wsjf(WsjfModel(scale=None), [WsjfCandidate("w1", "W", 4, -1, 1, 2)]),
            "intake item w1: time-criticality must be zero or more",
        ),
        (
            lambda: rank_five_criteria(IT_MODEL, [project("F", {"market-share": 3}, 1, 1, 1, 1)]),
            "intake item F: serves unknown strategic goal 'market-share'",
        ),
        (
            lambda: rank_five_criteria(IT_MODEL, [project("F", {"online-sales": 6}, 1, 1, 1, 1)]),
            "intake item F: strength for goal 'online-sales' is 6, outside 0..5",
        ),
        (
            lambda: rank_five_criteria(IT_MODEL, [project("F", {"online-sales": 3}, 1, 1, 7, 1)]),
            "intake item F: viability is 7, outside its scale 0..5",
        ),
        (
            lambda: select([Prospect("a", "A", 1, 1)], capacity=0, rule=SelectionRule.LOWEST_RISK),
            "capacity must be a whole number of at least 1",
        ),
        (
            lambda: select(
                [Prospect("a", "A", 1, 1), Prospect("a", "B", 2, 2)],
                capacity=1,
                rule=SelectionRule.LOWEST_RISK,
            ),
            "two of the prospects have the key 'a'",
        ),
        (
            lambda: rank_five_criteria(IT_MODEL, PROJECTS).explain("Z"),
            "intake item Z is not in this ranking",
        ),
    ],
)
def test_bad_input_is_refused_naming_the_item_and_the_field(rank: Any, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        rank()


def test_an_unanswered_or_failed_gate_spares_the_item_from_being_scored() -> None:
    ranking = rank_weighted(
        WeightedModel(CUSTOM.criteria, gates=(Gate("legal", "Has legal agreed?"),)),
        [Candidate("x", "X", {"value": 99}, {"legal": False})],
    )
    assert ranking.ranked == ()
    assert ranking.excluded[0].reasons == ("fails gate 'legal' (Has legal agreed? No)",)
