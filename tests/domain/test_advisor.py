from __future__ import annotations

from typing import Any

import pytest

from quarterdeck.catalog.advisor import advisor_rules
from quarterdeck.domain.advisor import (
    Advice,
    AdvisorRules,
    Condition,
    Coupling,
    LeaderStatus,
    Need,
    Questionnaire,
    Urgency,
    When,
    advise,
)
from quarterdeck.domain.errors import InvalidInput
from quarterdeck.domain.questionnaires import Op
from quarterdeck.domain.role_kinds import EngagementMode
from quarterdeck.domain.workspaces import LeadershipModel, Stage

# A 40-person startup with 8 engineers, one tightly coupled product line, no technology
# leader, no full-time budget, normal urgency and no needs named: every case below
# changes only what it is about.
BASE: dict[str, Any] = {"stage": "startup", "headcount": 40, "engineers": 8}


def make(**overrides: Any) -> Questionnaire:
    return Questionnaire(**{**BASE, **overrides})


def consult(**overrides: Any) -> Advice:
    return advise(make(**overrides), advisor_rules())


# rule key -> (answers that make it fire, answers that do not); one row per shipped rule.
RULE_CASES: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "startup-stage": ({}, {"stage": "scale-up"}),
    "scaleup-stage": ({"stage": "scale-up"}, {}),
    "enterprise-stage": ({"stage": "enterprise"}, {}),
    "cpto-resource-constrained": ({"headcount": 50}, {"headcount": 51}),
    "cpto-product-led": ({"needs": {"product-outcomes"}}, {"needs": {"foundation"}}),
    "cpto-single-product-line": ({}, {"product_lines": 2}),
    "cpto-tight-coupling": ({}, {"coupling": "loose"}),
    "split-several-product-lines": ({"product_lines": 3}, {"product_lines": 2}),
    "split-regulated": ({"regulated": True}, {}),
    "split-rapid-growth": ({"growth": 50}, {"growth": 49}),
    "split-deep-specialisation": ({"needs": {"ai"}}, {"needs": {"foundation"}}),
    "split-reliability-existential": ({"reliability_critical": True}, {}),
    "split-integration": ({"m_and_a": True}, {}),
    "platform-at-scale": (
        {"headcount": 100, "engineers": 30, "needs": {"platform"}},
        {"headcount": 100, "engineers": 29, "needs": {"platform"}},
    ),
    "transformation-need": (
        {"needs": {"transformation"}},
        {"needs": {"transformation"}, "technology_leader": "staying"},
    ),
    "ai-need": ({"needs": {"ai"}}, {"needs": {"ai"}, "technology_leader": "on-leave"}),
    "customer-facing-need": ({"needs": {"customer-facing"}}, {}),
    "it-operations-non-software": (
        {"product_lines": 0, "needs": {"it-operations"}},
        {"needs": {"it-operations"}},
    ),
    "fractional-no-full-time-budget": ({}, {"full_time_budget": True}),
    "fractional-small-team": ({"engineers": 15}, {"engineers": 16}),
    "fractional-direction-and-system": (
        {"needs": {"foundation"}},
        {"needs": {"foundation"}, "technology_leader": "leaving"},
    ),
    "part-time-no-team-yet": ({"engineers": 0}, {"engineers": 1}),
    "fractional-assessment-start": ({}, {"urgency": "high"}),
    "time-boxed-urgent": ({"urgency": "high"}, {"urgency": "high", "full_time_budget": True}),
    "diligence-ahead": ({"needs": {"diligence"}}, {}),
    "full-time-requested": (
        {"wants_full_time": True, "full_time_budget": True},
        {"full_time_budget": True},
    ),
    "graduate-to-full-time": (
        {"full_time_budget": True, "engineers": 25},
        {"full_time_budget": True, "engineers": 24},
    ),
    "interim-vacancy": ({"urgency": "high", "position_vacant": True}, {"position_vacant": True}),
    "interim-cover-leave": ({"technology_leader": "on-leave"}, {}),
    "virtual-coaching-need": (
        {"technology_leader": "staying", "needs": {"coaching"}},
        {"technology_leader": "leaving", "needs": {"coaching"}},
    ),
    "deputy-delivery-load": (
        {"technology_leader": "staying", "full_time_budget": True, "engineers": 30},
        {"technology_leader": "staying", "full_time_budget": True},
    ),
}

CONTRADICTION_CASES: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "engineers-exceed-headcount": (
        {"headcount": 8, "engineers": 9},
        {"headcount": 8, "engineers": 8},
    ),
    "platform-need-without-engineers": (
        {"engineers": 0, "needs": {"platform"}},
        {"engineers": 1, "needs": {"platform"}},
    ),
    "staying-leader-in-vacant-post": (
        {"technology_leader": "staying", "position_vacant": True},
        {"technology_leader": "none", "position_vacant": True},
    ),
    "full-time-hire-without-budget": (
        {"wants_full_time": True},
        {"wants_full_time": True, "full_time_budget": True},
    ),
    "product-need-without-product-line": (
        {"product_lines": 0, "needs": {"product-outcomes"}},
        {"product_lines": 0},
    ),
    "coaching-without-in-house-leader": (
        {"needs": {"coaching"}},
        {"needs": {"coaching"}, "technology_leader": "staying"},
    ),
}


@pytest.fixture(scope="module")
def rules() -> AdvisorRules:
    return advisor_rules()


def test_every_shipped_rule_has_a_case(rules: AdvisorRules) -> None:
    assert {rule.key for rule in rules.rules} == set(RULE_CASES)
    assert {rule.key for rule in rules.contradictions} == set(CONTRADICTION_CASES)


@pytest.mark.parametrize("key", RULE_CASES)
def test_rule_fires_on_its_case(key: str) -> None:
    advice = consult(**RULE_CASES[key][0])
    assert advice.contradictions == ()
    assert key in {fired.rule for fired in advice.fired}


@pytest.mark.parametrize("key", RULE_CASES)
def test_rule_stays_quiet_otherwise_and_says_why(key: str) -> None:
    advice = consult(**RULE_CASES[key][1])
    assert advice.contradictions == ()
    assert key not in {fired.rule for fired in advice.fired}
    (missed,) = [m for m in advice.not_fired if m.rule == key]
    assert missed.unmet
    assert all("(answer: " in text for text in missed.unmet)


@pytest.mark.parametrize("key", CONTRADICTION_CASES)
def test_contradiction_is_named_and_nothing_is_recommended(key: str) -> None:
    advice = consult(**CONTRADICTION_CASES[key][0])
    assert key in {c.rule for c in advice.contradictions}
    assert advice.recommended is None
    assert (advice.kinds, advice.plan, advice.seat, advice.fired) == ((), None, None, ())


@pytest.mark.parametrize("key", CONTRADICTION_CASES)
def test_contradiction_stays_quiet_when_the_answers_agree(key: str) -> None:
    assert key not in {c.rule for c in consult(**CONTRADICTION_CASES[key][1]).contradictions}


def test_every_contradiction_found_is_named_in_words() -> None:
    advice = consult(
        headcount=5,
        engineers=0,
        product_lines=0,
        needs={"platform", "coaching", "product-outcomes"},
    )
    assert [c.rule for c in advice.contradictions] == [
        "platform-need-without-engineers",
        "product-need-without-product-line",
        "coaching-without-in-house-leader",
    ]
    assert "nobody builds or runs software" in advice.contradictions[0].reason


def test_startup_without_leader_or_budget_gets_a_fractional_cto_starting_with_an_assessment() -> (
    None
):
    advice = consult(needs={"foundation", "product-outcomes"})
    assert advice.recommended == "fractional-cto"
    assert advice.plan is not None
    assert advice.plan.key == "assessment-sprint"
    assert advice.engagement is not None
    assert advice.engagement.mode is EngagementMode.FRACTIONAL
    assert advice.engagement.hours_per_week is not None
    assert (advice.engagement.hours_per_week.low, advice.engagement.hours_per_week.high) == (
        15,
        20,
    )
    assert advice.seat is not None
    assert (advice.seat.model, advice.seat.role) == (
        LeadershipModel.FRACTIONAL_CTO,
        "fractional-cto",
    )
    assert advice.out_of_scope
    supporting = [fired.rule for fired in advice.supporting]
    assert "fractional-no-full-time-budget" in supporting
    assert "fractional-assessment-start" in supporting
    aside = {score.kind: score.ruled_out_by for score in advice.ruled_out}
    assert aside["cpto"] == ("fractional-no-full-time-budget",)
    assert aside["startup-cto"] == ("fractional-no-full-time-budget",)


@pytest.mark.parametrize(
    ("answers", "kind", "plan", "model"),
    [
        (
            {"full_time_budget": True, "needs": {"product-outcomes"}},
            "cpto",
            "full-time",
            LeadershipModel.CPTO,
        ),
        (
            {"full_time_budget": True, "regulated": True, "engineers": 20},
            "startup-cto",
            "full-time",
            LeadershipModel.CTO_AND_CPO,
        ),
        (
            {
                "stage": "scale-up",
                "headcount": 300,
                "engineers": 80,
                "full_time_budget": True,
                "needs": {"platform"},
            },
            "platform-cto",
            "full-time",
            LeadershipModel.CTO_AND_CPO,
        ),
        (
            {
                "stage": "enterprise",
                "headcount": 5000,
                "engineers": 400,
                "product_lines": 6,
                "full_time_budget": True,
            },
            "enterprise-cto",
            "full-time",
            LeadershipModel.CTO_AND_CPO,
        ),
        (
            {
                "stage": "scale-up",
                "headcount": 300,
                "product_lines": 0,
                "full_time_budget": True,
                "needs": {"it-operations"},
            },
            "it-manager",
            "full-time",
            LeadershipModel.IT_MANAGER_UNDER_CIO,
        ),
        (
            {"full_time_budget": True, "urgency": "high", "position_vacant": True},
            "interim-cto",
            "interim",
            LeadershipModel.INTERIM_CTO,
        ),
        ({"technology_leader": "on-leave"}, "interim-cto", "interim", LeadershipModel.INTERIM_CTO),
        (
            {"technology_leader": "staying", "needs": {"coaching"}},
            "virtual-cto",
            "virtual-coaching",
            LeadershipModel.CTO_AND_CPO,
        ),
        (
            {"urgency": "high", "technology_leader": "leaving"},
            "fractional-cto",
            "time-boxed-execution",
            LeadershipModel.FRACTIONAL_CTO,
        ),
        (
            {"technology_leader": "staying", "diligence_ahead": True},
            "fractional-cto",
            "assessment-sprint",
            LeadershipModel.FRACTIONAL_CTO,
        ),
        (
            {"headcount": 5, "engineers": 0},
            "part-time-cto",
            "part-time",
            LeadershipModel.FRACTIONAL_CTO,
        ),
        (
            {"full_time_budget": True, "engineers": 30, "coupling": "loose", "product_lines": 2},
            "startup-cto",
            "full-time",
            LeadershipModel.CTO_AND_CPO,
        ),
    ],
    ids=[
        "funded-product-led-startup-cpto",
        "split-trigger-startup-cto",
        "platform-at-scale",
        "enterprise",
        "non-software-it-manager",
        "urgent-vacancy-interim",
        "leave-interim",
        "staying-leader-coached",
        "urgent-unfunded-time-boxed",
        "diligence-assessment",
        "no-team-part-time",
        "graduate-full-time",
    ],
)
def test_scenario_recommends_the_expected_kind_plan_and_rights(
    answers: dict[str, Any], kind: str, plan: str, model: LeadershipModel
) -> None:
    advice = consult(**answers)
    assert advice.recommended == kind
    assert advice.plan is not None
    assert advice.plan.key == plan
    assert advice.seat is not None
    assert advice.seat.model is model


def test_a_split_trigger_counts_against_a_combined_cpto() -> None:
    combined = consult(full_time_budget=True, engineers=20, needs={"product-outcomes"})
    split = consult(full_time_budget=True, engineers=20, needs={"product-outcomes"}, m_and_a=True)
    cpto = {score.kind: score.score for score in combined.kinds}["cpto"]
    assert {score.kind: score.score for score in split.kinds}.get("cpto", 0) == cpto - 5
    assert split.recommended == "startup-cto"


def test_graduating_sets_part_time_models_aside() -> None:
    advice = consult(full_time_budget=True, engineers=30, needs={"foundation"})
    assert "fractional-cto" not in {score.kind for score in advice.kinds}
    assert {score.kind: score.ruled_out_by for score in advice.ruled_out}["fractional-cto"] == (
        "graduate-to-full-time",
    )


def test_no_rule_pointing_anywhere_gives_no_recommendation_rather_than_a_guess() -> None:
    advice = consult(technology_leader="staying")
    assert advice.contradictions == ()
    assert advice.recommended is None
    assert advice.plan is None
    assert advice.not_fired


def test_ties_go_to_the_kind_listed_first_in_the_role_catalog() -> None:
    advice = consult(
        stage="scale-up",
        headcount=300,
        engineers=80,
        technology_leader="staying",
        full_time_budget=True,
        needs={"customer-facing"},
    )
    assert [(s.kind, s.score) for s in advice.kinds] == [("field-cto", 4), ("deputy-cto", 4)]


def test_advice_is_deterministic() -> None:
    answers = {"needs": {"foundation", "ai", "diligence"}, "growth": 80}
    assert consult(**answers) == consult(**answers)


def test_every_reason_carries_the_key_of_the_rule_that_fired(rules: AdvisorRules) -> None:
    by_key = {rule.key: rule for rule in rules.rules}
    for fired in consult(needs={"foundation", "product-outcomes"}).fired:
        assert fired.reason == by_key[fired.rule].reason
        assert fired.weight == by_key[fired.rule].weight


# --- the questionnaire -------------------------------------------------------------------


def test_questionnaire_reads_choices_given_as_text() -> None:
    answers = make(coupling="loose", urgency="high", technology_leader="on-leave", needs=["ai"])
    assert answers.stage is Stage.STARTUP
    assert answers.coupling is Coupling.LOOSE
    assert answers.urgency is Urgency.HIGH
    assert answers.technology_leader is LeaderStatus.ON_LEAVE
    assert answers.needs == frozenset({Need.AI})


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("headcount", 0),
        ("headcount", True),
        ("engineers", -1),
        ("engineers", 2.5),
        ("growth", 1001),
        ("growth", -101),
        ("product_lines", -1),
        ("stage", "seed"),
        ("urgency", 3),
        ("technology_leader", "gone"),
        ("regulated", "yes"),
        ("full_time_budget", 1),
        ("needs", "ai"),
        ("needs", {"cloud"}),
    ],
)
def test_questionnaire_rejects_bad_answers_naming_the_field(field: str, value: object) -> None:
    with pytest.raises(InvalidInput, match=rf"^{field} must"):
        make(**{field: value})


# --- the condition language --------------------------------------------------------------


@pytest.mark.parametrize(
    ("condition", "fragment"),
    [
        ({"field": "sector", "op": Op.EQ, "value": "x"}, "unknown questionnaire field 'sector'"),
        ({"field": "stage", "op": Op.GTE, "value": "startup"}, "stage takes the ops eq, ne, in"),
        ({"field": "needs", "op": Op.EQ, "value": "ai"}, "needs takes the ops has, lacks"),
        ({"field": "engineers", "op": Op.GTE, "value": "30"}, "does not suit engineers"),
        ({"field": "engineers", "op": Op.EQ, "value": True}, "does not suit engineers"),
        ({"field": "stage", "op": Op.IN, "value": ()}, "does not suit stage"),
        ({"field": "stage", "op": Op.EQ, "value": "seed"}, "does not suit stage"),
        ({"field": "engineers", "op": Op.GT, "value_of": "stage"}, "not another number field"),
        ({"field": "engineers", "op": Op.GT}, "either value or value_of"),
        ({"field": "engineers", "op": Op.GT, "value": 1, "value_of": "headcount"}, "either"),
    ],
)
def test_condition_rejects_what_its_field_cannot_take(
    condition: dict[str, Any], fragment: str
) -> None:
    with pytest.raises(InvalidInput, match=fragment):
        Condition(**condition)


def test_conditions_compare_answers_and_describe_themselves() -> None:
    answers = make(needs={"ai"})
    more = Condition("engineers", Op.GT, value_of="headcount")
    assert not more.holds(answers)
    assert more.describe(answers) == "engineers is more than headcount (answer: 8)"
    assert Condition("needs", Op.HAS, "ai").holds(answers)
    assert Condition("needs", Op.LACKS, "platform").holds(answers)
    assert Condition("technology_leader", Op.IN, ("none", "leaving")).holds(answers)
    assert Condition("growth", Op.LTE, 0).holds(answers)


def test_a_when_needs_a_condition_and_reports_an_unmet_any_of() -> None:
    with pytest.raises(InvalidInput, match="at least one condition"):
        When()
    when = When(any_of=(Condition("regulated", Op.EQ, True), Condition("m_and_a", Op.EQ, True)))
    assert when.unmet(make()) == (
        "none of: heavily regulated is yes (answer: no); "
        "M&A or multi-platform integration is yes (answer: no)",
    )
