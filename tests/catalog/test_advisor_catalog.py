from __future__ import annotations

from pathlib import Path

import pytest

from quarterdeck.catalog.advisor import ADVISOR_FILE, advisor_rules, load_advisor_rules
from quarterdeck.catalog.loading import CatalogError, shipped
from quarterdeck.catalog.roles import role_catalog
from quarterdeck.domain.advisor import AdvisorRules
from quarterdeck.domain.role_kinds import EngagementMode
from quarterdeck.domain.workspaces import LeadershipModel

FIRST_RULE = """  - key: startup-stage
    title: Startup stage
    when:
      all_of:
        - {field: stage, op: eq, value: startup}"""


@pytest.fixture(scope="module")
def rules() -> AdvisorRules:
    return advisor_rules()


def load_edited(tmp_path: Path, old: str, new: str) -> AdvisorRules:
    text = shipped(ADVISOR_FILE).read_text(encoding="utf-8")
    assert old in text, old
    path = tmp_path / ADVISOR_FILE
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return load_advisor_rules(path)


def expect_error(tmp_path: Path, old: str, new: str, where: str, what: str) -> None:
    with pytest.raises(CatalogError) as caught:
        load_edited(tmp_path, old, new)
    message = caught.value.message
    assert message.startswith(f"{tmp_path / ADVISOR_FILE}: "), message
    assert where in message, message
    assert what in message, message


# --- the shipped file --------------------------------------------------------------------


def test_shipped_rules_load_with_unique_keys(rules: AdvisorRules) -> None:
    keys = [rule.key for rule in rules.rules] + [rule.key for rule in rules.contradictions]
    assert len(keys) == len(set(keys))
    assert len(rules.contradictions) >= 5


def test_shipped_rules_name_only_catalog_kinds_and_plans(rules: AdvisorRules) -> None:
    catalog = role_catalog()
    leaders = {kind.key for kind in catalog.kinds if not kind.neighbour}
    plans = {plan.key for plan in rules.plans}
    for rule in rules.rules:
        assert rule.kind is None or rule.kind in leaders
        assert rule.engagement is None or rule.engagement in plans
        assert set(rule.rules_out) <= leaders
    assert set(rules.kinds) == leaders


def test_every_kind_the_advisor_can_recommend_has_a_rule_for_it(rules: AdvisorRules) -> None:
    recommended = {rule.kind for rule in rules.rules if rule.kind and rule.weight > 0}
    # A remote CTO is any kind of CTO working away from headquarters: where, not what.
    assert recommended == {kind for kind in rules.kinds if kind != "remote-cto"}


def test_every_engagement_mode_has_a_default_plan_that_suits_it(rules: AdvisorRules) -> None:
    for mode in EngagementMode:
        assert mode in rules.plan(rules.default_plans[mode]).fits
    assert rules.default_plans[EngagementMode.FRACTIONAL] == "assessment-sprint"


def test_seats_follow_the_leadership_models(rules: AdvisorRules) -> None:
    models = {kind: seat.model for kind, seat in rules.seats.items()}
    assert models["cpto"] is LeadershipModel.CPTO
    assert models["fractional-cto"] is LeadershipModel.FRACTIONAL_CTO
    assert models["interim-cto"] is LeadershipModel.INTERIM_CTO
    assert models["it-manager"] is LeadershipModel.IT_MANAGER_UNDER_CIO
    assert rules.default_seat.model is LeadershipModel.CTO_AND_CPO


def test_the_fractional_scope_states_what_it_does_not_own(rules: AdvisorRules) -> None:
    assert len(rules.out_of_scope["fractional-cto"]) == 5


# --- schema errors name the file and the path inside it ----------------------------------


@pytest.mark.parametrize(
    ("old", "new", "where", "what"),
    [
        ("version: 1", "version: 1\ncolour: blue", "colour", "Extra inputs"),
        (FIRST_RULE, FIRST_RULE.replace("title:", "colour: blue\n    title:"), "rules[0].colour",
         "Extra inputs"),
        ("    weight: 3\n", "    weight: high\n", "rules[0].weight", "integer"),
        ("    weight: 3\n", "    weight: 11\n", "rules[0].weight", "less than or equal to 10"),
        ("    weight: 3\n", "    weight: 0\n", "rules[0]", "has no weight"),
        ("recommends: {kind: startup-cto}", "recommends: {kind: wizard-cto}",
         "rules[0].recommends.kind", "unknown kind of leader 'wizard-cto'"),
        ("recommends: {kind: startup-cto}", "recommends: {kind: cpo}",
         "rules[0].recommends.kind", "unknown kind of leader 'cpo'"),
        ("recommends: {kind: startup-cto}", "recommends: {engagement: sabbatical}",
         "rules[0].recommends.engagement", "unknown plan 'sabbatical'"),
        ("recommends: {kind: startup-cto}", "recommends: {}", "rules[0]",
         "neither a kind nor an engagement"),
        ("rules_out: [startup-cto,", "rules_out: [wizard-cto,", "rules_out[0]",
         "unknown kind of leader 'wizard-cto'"),
        ("{field: stage, op: eq, value: startup}", "{field: sector, op: eq, value: startup}",
         "rules[0].when.all_of[0].field", "unknown questionnaire field 'sector'"),
        ("{field: stage, op: eq, value: startup}", "{field: stage, op: like, value: startup}",
         "rules[0].when.all_of[0].op", "unknown op 'like'"),
        ("{field: stage, op: eq, value: startup}", "{field: stage, op: gte, value: startup}",
         "rules[0].when.all_of[0].op", "stage takes eq, ne, in, not 'gte'"),
        ("{field: stage, op: eq, value: startup}", "{field: stage, op: eq, value: seed}",
         "rules[0].when.all_of[0].value", "does not suit stage"),
        ("{field: stage, op: eq, value: startup}", "{field: stage, op: eq, value: 3}",
         "rules[0].when.all_of[0].value", "does not suit stage"),
        ("{field: engineers, op: gt, value_of: headcount}",
         "{field: engineers, op: gt, value_of: stage}",
         "contradictions[0].when.all_of[0].value_of", "not another number field"),
        (FIRST_RULE, FIRST_RULE.replace("all_of:", "all_of: []\n      colour:"),
         "rules[0].when.colour", "Extra inputs"),
        ("  - key: scaleup-stage", "  - key: startup-stage", "rules[1].key",
         "'startup-stage' is already used by rules[0]"),
        ("  - key: startup-stage", "  - key: engineers-exceed-headcount", "rules[0].key",
         "already used by contradictions[0]"),
        ("  - key: startup-stage", "  - key: Startup_Stage", "rules[0].key", "pattern"),
        ("    reason: A startup first", "    reasons: A startup first", "rules[0]", "reason"),
        ("  full-time: full-time\n", "", "default_plans.full-time", "no default plan"),
        ("  interim: interim\n", "  interim: part-time\n", "default_plans.interim",
         "does not fit interim"),
        ("    fits: [full-time]", "    fits: [sometimes]", "plans[0].fits[0]", "Input should be"),
        ("  - key: time-boxed-execution", "  - key: assessment-sprint", "plans[2].key",
         "already used by plans[1]"),
        ("cpto: {model: cpto, seat: cpto}", "cpto: {model: cpto, seat: cto}",
         "seats.kinds.cpto.seat", "'cto' holds no seat in the cpto template"),
        ("cpto: {model: cpto, seat: cpto}", "cpto: {model: duumvirate, seat: cpto}",
         "seats.kinds.cpto.model", "Input should be"),
        ("    cpto: {model: cpto", "    wizard-cto: {model: cpto", "seats.kinds.wizard-cto",
         "unknown kind of leader"),
        ("out_of_scope:\n  fractional-cto:", "out_of_scope:\n  wizard-cto:",
         "out_of_scope.wizard-cto", "unknown kind of leader"),
    ],
)  # fmt: skip
def test_a_broken_advisor_file_is_refused_naming_file_and_field(
    tmp_path: Path, old: str, new: str, where: str, what: str
) -> None:
    expect_error(tmp_path, old, new, where, what)


def test_a_rule_without_conditions_is_refused(tmp_path: Path) -> None:
    old = """    when:
      all_of:
        - {field: stage, op: eq, value: startup}
        - {field: technology_leader, op: in, value: [none, leaving]}
    recommends: {kind: startup-cto}"""
    new = """    when: {}
    recommends: {kind: startup-cto}"""
    expect_error(tmp_path, old, new, "rules[0].when", "at least one condition")


def test_yaml_aliases_are_refused(tmp_path: Path) -> None:
    expect_error(tmp_path, "version: 1", "version: &v 1\nextra: *v", "line", "aliases")


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match=r"advisor\.yaml: cannot be read"):
        load_advisor_rules(tmp_path / ADVISOR_FILE)
