from __future__ import annotations

from dataclasses import FrozenInstanceError
from decimal import Decimal
from typing import Any

import pytest

from quarterdeck.domain.errors import InvalidInput
from quarterdeck.domain.rights import (
    AREA_OWNER,
    OUTSIDE_RIGHTS,
    Condition,
    DecisionFacts,
    EscalationRule,
    Involvement,
    RightsMatrix,
    route,
    validate_rules,
)

AREAS = ("roadmap", "architecture", "spend")
ROLES = ("ceo", "cto", "cpo", "team-lead")


def make_matrix(**overrides: dict[str, str]) -> RightsMatrix:
    rights: dict[str, dict[str, str]] = {
        "roadmap": {"cpo": "owns", "cto": "influences", "team-lead": "informed"},
        "architecture": {"cto": "owns", "cpo": "influences", "team-lead": "consulted"},
        "spend": {"cto": "co-owns", "cpo": "co-owns", "ceo": "informed"},
    }
    rights.update(overrides)
    return RightsMatrix.from_mapping(rights)


def make_rules() -> tuple[EscalationRule, ...]:
    return (
        EscalationRule("Cross-team tradeoffs", Condition.CROSS_TEAM, "cto"),
        EscalationRule("Major spend", Condition.SPEND_ABOVE, "ceo", Decimal("25000")),
        EscalationRule("Security exceptions", Condition.SECURITY_EXCEPTION, "cto"),
        EscalationRule("One-way doors", Condition.ONE_WAY_DOOR, AREA_OWNER),
    )


def facts(area: str = "architecture", **overrides: Any) -> DecisionFacts:
    return DecisionFacts(area=area, **overrides)


# --- the matrix ---------------------------------------------------------------


def test_owners_lists_owner_or_co_owners_in_matrix_order() -> None:
    matrix = make_matrix()
    assert matrix.owners("architecture") == ("cto",)
    assert matrix.owners("spend") == ("cto", "cpo")
    assert matrix.owners("nowhere") == ()


def test_involvement_is_none_for_a_role_without_a_cell() -> None:
    matrix = make_matrix()
    assert matrix.involvement("roadmap", "cpo") is Involvement.OWNS
    assert matrix.involvement("roadmap", "ceo") is None


def test_with_cell_returns_a_new_matrix_and_leaves_the_original_alone() -> None:
    matrix = make_matrix()
    delegated = matrix.with_cell("architecture", "team-lead", Involvement.CO_OWNS)
    delegated = delegated.with_cell("architecture", "cto", Involvement.CO_OWNS)
    assert delegated.owners("architecture") == ("cto", "team-lead")
    assert matrix.owners("architecture") == ("cto",)
    delegated.validate(AREAS, ROLES)


def test_with_cell_none_removes_the_cell() -> None:
    matrix = make_matrix().with_cell("roadmap", "team-lead", None)
    assert matrix.involvement("roadmap", "team-lead") is None
    assert "team-lead" in matrix.as_mapping()["architecture"]


def test_matrix_is_frozen() -> None:
    matrix = make_matrix()
    with pytest.raises(FrozenInstanceError):
        matrix.cells = ()  # type: ignore[misc]


def test_a_role_twice_in_one_area_is_refused() -> None:
    matrix = make_matrix()
    with pytest.raises(InvalidInput, match="appears twice"):
        RightsMatrix((*matrix.cells, matrix.cells[0]))


def test_unknown_involvement_text_is_refused_with_the_choices() -> None:
    with pytest.raises(InvalidInput, match="roadmap/cpo: involvement must be one of owns"):
        RightsMatrix.from_mapping({"roadmap": {"cpo": "rules"}})


def test_validate_accepts_a_well_formed_matrix() -> None:
    make_matrix().validate(AREAS, ROLES)


def test_validate_names_unknown_areas_and_roles() -> None:
    matrix = make_matrix(pricing={"cfo": "owns"})
    with pytest.raises(InvalidInput, match="unknown area\\(s\\): pricing") as caught:
        matrix.validate(AREAS, ROLES)
    assert "unknown role(s): cfo" in caught.value.message


@pytest.mark.parametrize(
    ("cells", "problem"),
    [
        ({"cto": "influences"}, "has no owner"),
        ({"cto": "owns", "cpo": "owns"}, "has 2 owners"),
        ({"cto": "owns", "cpo": "co-owns"}, "owned by cto and co-owned by cpo"),
        ({"cto": "co-owns"}, "single co-owner"),
    ],
)
def test_every_area_needs_one_owner_or_several_co_owners(
    cells: dict[str, str], problem: str
) -> None:
    with pytest.raises(InvalidInput, match=problem):
        make_matrix(architecture=cells).validate(AREAS, ROLES)


def test_an_area_missing_from_the_matrix_has_no_owner() -> None:
    with pytest.raises(InvalidInput, match="'security' has no owner"):
        make_matrix().validate((*AREAS, "security"), ROLES)


# --- escalation rules ---------------------------------------------------------


@pytest.mark.parametrize(
    ("condition", "parameter", "message"),
    [
        (Condition.SPEND_ABOVE, None, "needs a threshold"),
        (Condition.SPEND_ABOVE, Decimal("-1"), "needs a threshold"),
        (Condition.AREA, None, "needs the area key"),
        (Condition.CROSS_TEAM, Decimal("5"), "takes no parameter"),
    ],
)
def test_a_rule_needs_the_parameter_its_condition_uses(
    condition: Condition, parameter: Decimal | None, message: str
) -> None:
    with pytest.raises(InvalidInput, match=message):
        EscalationRule("rule", condition, "ceo", parameter)


def test_validate_rules_names_unknown_roles_and_areas() -> None:
    rules = [
        EscalationRule("to the board", Condition.CROSS_TEAM, "board"),
        EscalationRule("hiring", Condition.AREA, "ceo", "hiring"),
        EscalationRule("one-way", Condition.ONE_WAY_DOOR, AREA_OWNER),
    ]
    with pytest.raises(InvalidInput, match="unknown role 'board'") as caught:
        validate_rules(rules, areas=AREAS, roles=ROLES)
    assert "unknown area 'hiring'" in caught.value.message
    assert "one-way" not in caught.value.message


# --- routing --------------------------------------------------------------------


def test_an_owner_inside_the_guardrails_decides() -> None:
    routing = route(
        facts(estimated_spend=Decimal("900")), frozenset({"cto"}), make_matrix(), make_rules()
    )
    assert routing.proposer_decides
    assert routing.route_to is None
    assert routing.fired == ()


def test_a_co_owner_inside_the_guardrails_decides() -> None:
    routing = route(facts("spend"), frozenset({"cpo"}), make_matrix(), make_rules())
    assert routing.proposer_decides


def test_spend_above_the_threshold_escalates_to_the_rules_role() -> None:
    routing = route(
        facts(estimated_spend=Decimal("25000.01")), frozenset({"cto"}), make_matrix(), make_rules()
    )
    assert routing.route_to == "ceo"
    assert [rule.name for rule in routing.fired] == ["Major spend"]
    assert "above 25,000" in routing.reasons[0]


def test_spend_equal_to_the_threshold_stays_with_the_owner() -> None:
    routing = route(
        facts(estimated_spend=Decimal("25000")), frozenset({"cto"}), make_matrix(), make_rules()
    )
    assert routing.proposer_decides


def test_every_rule_that_fires_is_reported_and_the_first_picks_the_approver() -> None:
    decision = facts(
        "roadmap", cross_team=True, estimated_spend=Decimal("80000"), security_exception=True
    )
    routing = route(decision, frozenset({"cpo"}), make_matrix(), make_rules())
    assert routing.route_to == "cto"
    assert [rule.name for rule in routing.fired] == [
        "Cross-team tradeoffs",
        "Major spend",
        "Security exceptions",
    ]
    assert [e.route_to for e in routing.escalations] == ["cto", "ceo", "cto"]


def test_a_rule_routing_to_a_role_the_proposer_holds_does_not_fire() -> None:
    routing = route(facts(cross_team=True), frozenset({"cto"}), make_matrix(), make_rules())
    assert routing.proposer_decides


def test_a_proposer_outside_their_rights_goes_to_the_areas_owner() -> None:
    routing = route(facts("architecture"), frozenset({"team-lead"}), make_matrix(), make_rules())
    assert routing.route_to == "cto"
    assert routing.reasons == (OUTSIDE_RIGHTS,)
    assert routing.fired == ()


def test_a_non_owner_whose_decision_fires_a_rule_goes_to_the_rules_role() -> None:
    routing = route(
        facts("architecture", estimated_spend=Decimal("30000")),
        frozenset({"team-lead"}),
        make_matrix(),
        make_rules(),
    )
    assert routing.route_to == "ceo"
    assert routing.reasons[-1] == OUTSIDE_RIGHTS


def test_a_one_way_door_in_a_co_owned_area_goes_to_the_other_co_owner() -> None:
    routing = route(
        facts("spend", one_way_door=True), frozenset({"cpo"}), make_matrix(), make_rules()
    )
    assert routing.route_to == "cto"
    assert [rule.name for rule in routing.fired] == ["One-way doors"]


def test_a_sole_owner_takes_their_own_one_way_door() -> None:
    routing = route(facts(one_way_door=True), frozenset({"cto"}), make_matrix(), make_rules())
    assert routing.proposer_decides


def test_an_area_rule_sends_every_decision_in_that_area_to_its_role() -> None:
    rules = (EscalationRule("Roadmap to the CEO", Condition.AREA, "ceo", "roadmap"),)
    routing = route(facts("roadmap"), frozenset({"cpo"}), make_matrix(), rules)
    assert routing.route_to == "ceo"
    assert route(facts("architecture"), frozenset({"cto"}), make_matrix(), rules).proposer_decides


def test_routing_an_unknown_area_is_invalid_input() -> None:
    with pytest.raises(InvalidInput, match="'marketing' has no owner"):
        route(facts("marketing"), frozenset({"cto"}), make_matrix(), make_rules())


def test_a_spend_threshold_that_is_not_a_number_is_refused() -> None:
    with pytest.raises(InvalidInput, match="needs a threshold"):
        EscalationRule("spend", Condition.SPEND_ABOVE, "ceo", Decimal("NaN"))
