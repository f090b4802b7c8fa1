from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from quarterdeck.catalog.loading import CatalogError, load_yaml, shipped
from quarterdeck.catalog.rights import (
    AREAS_FILE,
    ROLES_FILE,
    TEMPLATES_FILE,
    RightsCatalog,
    load_rights_catalog,
    rights_catalog,
)
from quarterdeck.domain.errors import InvalidInput
from quarterdeck.domain.rights import Condition, DecisionFacts, Involvement, route
from quarterdeck.domain.workspaces import LeadershipModel

EXPECTED_AREAS = (
    "roadmap",
    "architecture",
    "reliability",
    "pricing-packaging",
    "data-ai",
    "security",
    "build-vs-buy",
    "vendor",
    "spend",
    "hiring-structure",
    "cross-team",
    "process",
)
OWNS, CO_OWNS, INFLUENCES = Involvement.OWNS, Involvement.CO_OWNS, Involvement.INFLUENCES


@pytest.fixture(scope="module")
def catalog() -> RightsCatalog:
    return rights_catalog()


def shipped_text(name: str) -> str:
    return shipped(name).read_text(encoding="utf-8")


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def load_templates_edited(tmp_path: Path, old: str, new: str) -> RightsCatalog:
    text = shipped_text(TEMPLATES_FILE)
    assert old in text
    return load_rights_catalog(templates=write(tmp_path, TEMPLATES_FILE, text.replace(old, new, 1)))


# --- the shipped catalog -----------------------------------------------------------


def test_shipped_catalog_holds_the_decision_areas_of_the_decision_log(
    catalog: RightsCatalog,
) -> None:
    assert catalog.area_keys == EXPECTED_AREAS
    assert all(area.name and area.description.endswith(".") for area in catalog.areas)


def test_shipped_catalog_holds_the_leadership_roles(catalog: RightsCatalog) -> None:
    assert set(catalog.role_keys) == {
        "ceo",
        "cto",
        "cpo",
        "cpto",
        "vp-engineering",
        "head-of-engineering",
        "it-manager",
        "fractional-cto",
        "sponsor",
        "team-lead",
        "cio",
    }
    assert catalog.role("vp-engineering").name == "VP Engineering"


def test_unknown_area_or_role_key_is_invalid_input(catalog: RightsCatalog) -> None:
    with pytest.raises(InvalidInput, match="unknown decision area 'marketing'"):
        catalog.area("marketing")
    with pytest.raises(InvalidInput, match="unknown leadership role 'cfo'"):
        catalog.role("cfo")


def test_the_catalog_is_loaded_once() -> None:
    assert rights_catalog() is rights_catalog()


@pytest.mark.parametrize("model", list(LeadershipModel), ids=str)
def test_every_leadership_model_has_a_valid_template_covering_every_area(
    catalog: RightsCatalog, model: LeadershipModel
) -> None:
    template = catalog.template(model)
    assert template.model is model
    template.matrix.validate(catalog.area_keys, catalog.role_keys)
    assert set(template.matrix.areas) == set(EXPECTED_AREAS)
    conditions = {rule.condition for rule in template.rules}
    assert {
        Condition.CROSS_TEAM,
        Condition.SPEND_ABOVE,
        Condition.SECURITY_EXCEPTION,
        Condition.ONE_WAY_DOOR,
    } <= conditions


def test_default_spend_threshold_is_used_by_every_spend_rule(catalog: RightsCatalog) -> None:
    assert catalog.default_spend_threshold == Decimal("25000")
    for template in catalog.templates:
        spend = [r for r in template.rules if r.condition is Condition.SPEND_ABOVE]
        assert [rule.parameter for rule in spend] == [Decimal("25000")]


# Key cells of DOMAIN.md sections 2-3 (decision ownership by role, fractional CTO owns /
# does not own) and of the IT manager's scope under a CIO.
KEY_CELLS = [
    ("cto-cpo", "architecture", "cto", OWNS),
    ("cto-cpo", "reliability", "cto", OWNS),
    ("cto-cpo", "security", "cto", OWNS),
    ("cto-cpo", "roadmap", "cpo", OWNS),
    ("cto-cpo", "architecture", "cpo", INFLUENCES),
    ("cto-cpo", "pricing-packaging", "cpo", CO_OWNS),
    ("cto-cpo", "pricing-packaging", "cto", INFLUENCES),
    ("cto-cpo", "data-ai", "cto", CO_OWNS),
    ("cto-cpo", "data-ai", "cpo", CO_OWNS),
    ("cpto", "roadmap", "cpto", OWNS),
    ("cpto", "architecture", "cpto", CO_OWNS),
    ("cpto", "reliability", "cpto", CO_OWNS),
    ("cpto", "security", "cpto", CO_OWNS),
    ("cpto", "data-ai", "cpto", CO_OWNS),
    ("cpto", "pricing-packaging", "cpto", INFLUENCES),
    ("cpto", "build-vs-buy", "cpto", OWNS),
    ("cpto", "hiring-structure", "cpto", OWNS),
    ("cpto", "cross-team", "cpto", OWNS),
    ("fractional-cto", "architecture", "fractional-cto", OWNS),
    ("fractional-cto", "security", "fractional-cto", OWNS),
    ("fractional-cto", "process", "fractional-cto", OWNS),
    ("fractional-cto", "spend", "sponsor", OWNS),
    ("fractional-cto", "hiring-structure", "sponsor", OWNS),
    ("fractional-cto", "vendor", "sponsor", OWNS),
    ("fractional-cto", "spend", "ceo", Involvement.INFORMED),
    ("interim-cto", "architecture", "cto", OWNS),
    ("interim-cto", "hiring-structure", "ceo", OWNS),
    ("it-manager-cio", "reliability", "it-manager", OWNS),
    ("it-manager-cio", "process", "it-manager", OWNS),
    ("it-manager-cio", "vendor", "cio", OWNS),
    ("it-manager-cio", "security", "cio", OWNS),
]


@pytest.mark.parametrize(("model", "area", "role", "involvement"), KEY_CELLS)
def test_templates_follow_the_default_ownership_pattern(
    catalog: RightsCatalog, model: str, area: str, role: str, involvement: Involvement
) -> None:
    matrix = catalog.template(LeadershipModel(model)).matrix
    assert matrix.involvement(area, role) is involvement


@pytest.mark.parametrize(
    ("model", "leader", "area", "major_spend_goes_to"),
    [
        ("cto-cpo", "cto", "architecture", "ceo"),
        ("cpto", "cpto", "roadmap", "ceo"),
        ("fractional-cto", "fractional-cto", "architecture", "sponsor"),
        ("interim-cto", "cto", "architecture", "ceo"),
        ("it-manager-cio", "it-manager", "reliability", "cio"),
    ],
)
def test_major_spend_escalates_beyond_the_technology_leader(
    catalog: RightsCatalog, model: str, leader: str, area: str, major_spend_goes_to: str
) -> None:
    template = catalog.template(LeadershipModel(model))
    within = DecisionFacts(area=area, estimated_spend=Decimal("5000"))
    above = DecisionFacts(area=area, estimated_spend=Decimal("60000"))
    assert route(within, frozenset({leader}), template.matrix, template.rules).proposer_decides
    routing = route(above, frozenset({leader}), template.matrix, template.rules)
    assert routing.route_to == major_spend_goes_to
    assert [rule.name for rule in routing.fired] == ["Major spend"]


def test_interim_cto_one_way_doors_go_to_the_ceo(catalog: RightsCatalog) -> None:
    template = catalog.template(LeadershipModel.INTERIM_CTO)
    decision = DecisionFacts(area="architecture", one_way_door=True)
    routing = route(decision, frozenset({"cto"}), template.matrix, template.rules)
    assert routing.route_to == "ceo"


def test_cpto_decides_a_roadmap_call_inside_the_guardrails(catalog: RightsCatalog) -> None:
    template = catalog.template(LeadershipModel.CPTO)
    decision = DecisionFacts(area="roadmap", estimated_spend=Decimal("2000"))
    routing = route(decision, frozenset({"cpto"}), template.matrix, template.rules)
    assert routing.proposer_decides


# --- bad catalog files ----------------------------------------------------------------


def test_yaml_aliases_are_refused(tmp_path: Path) -> None:
    text = "version: 1\nareas:\n  roadmap: &entry {name: Roadmap, description: Plans.}\n"
    path = write(tmp_path, AREAS_FILE, text + "  process: *entry\n")
    with pytest.raises(CatalogError, match="aliases and anchors are not allowed") as caught:
        load_rights_catalog(areas=path)
    assert str(path) in caught.value.message
    assert "line 3" in caught.value.message


def test_yaml_merge_keys_are_refused_as_aliases(tmp_path: Path) -> None:
    path = write(tmp_path, "x.yaml", "base: &b {a: 1}\nchild:\n  <<: *b\n")
    with pytest.raises(CatalogError, match="aliases and anchors"):
        load_yaml(path)


def test_duplicate_keys_are_refused_with_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, "x.yaml", "areas:\n  roadmap: 1\n  roadmap: 2\n")
    with pytest.raises(CatalogError, match=r"line 3.*duplicate key 'roadmap'"):
        load_yaml(path)


def test_text_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_bytes("name: caf\u00e9\n".encode("latin-1"))
    with pytest.raises(CatalogError, match="not UTF-8"):
        load_yaml(path)


def test_broken_yaml_names_the_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, ROLES_FILE, "version: 1\nroles: {ceo: [\n")
    with pytest.raises(CatalogError, match=f"{ROLES_FILE}.*line"):
        load_rights_catalog(roles=path)


def test_a_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match="cannot be read"):
        load_rights_catalog(areas=tmp_path / "missing.yaml")


def test_a_schema_error_names_the_file_and_the_path(tmp_path: Path) -> None:
    text = shipped_text(AREAS_FILE).replace("    name: Roadmap\n", "    name: 42\n", 1)
    path = write(tmp_path, AREAS_FILE, text)
    with pytest.raises(
        CatalogError, match=re.escape("areas.roadmap.name: Input should be a valid string")
    ):
        load_rights_catalog(areas=path)


def test_an_unexpected_field_is_refused(tmp_path: Path) -> None:
    catalog_path = write(tmp_path, ROLES_FILE, shipped_text(ROLES_FILE) + "owner: someone\n")
    with pytest.raises(CatalogError, match="owner: Extra inputs are not permitted"):
        load_rights_catalog(roles=catalog_path)


def test_a_bad_key_is_refused(tmp_path: Path) -> None:
    text = shipped_text(ROLES_FILE).replace("  team-lead:", "  Team Lead:", 1)
    with pytest.raises(CatalogError, match=re.escape("roles.Team Lead")):
        load_rights_catalog(roles=write(tmp_path, ROLES_FILE, text))


def test_a_template_naming_an_unknown_role_names_template_and_role(tmp_path: Path) -> None:
    with pytest.raises(
        CatalogError, match=re.escape("templates.cpto.rights: unknown role(s): chief-architect")
    ):
        load_templates_edited(
            tmp_path,
            "roadmap: {cpto: owns, ceo: consulted",
            "roadmap: {cpto: owns, chief-architect: consulted",
        )


def test_a_template_that_leaves_an_area_without_owner_is_refused(tmp_path: Path) -> None:
    with pytest.raises(
        CatalogError, match=re.escape("templates.cto-cpo.rights: area 'roadmap' has no owner")
    ):
        load_templates_edited(tmp_path, "roadmap: {cpo: owns,", "roadmap: {cpo: influences,")


def test_a_template_missing_an_area_is_refused(tmp_path: Path) -> None:
    old = "      vendor: {cto: owns, vp-engineering: consulted, cpo: informed}\n"
    with pytest.raises(
        CatalogError, match=re.escape("cto-cpo.rights: does not cover area(s) vendor")
    ):
        load_templates_edited(tmp_path, old, "")


def test_a_missing_leadership_model_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match="no template for leadership model\\(s\\): cpto"):
        load_templates_edited(tmp_path, "  cpto:\n    name: CPTO", "  cpto-plus:\n    name: CPTO")


def test_a_rule_routing_to_an_unknown_role_names_the_rule(tmp_path: Path) -> None:
    with pytest.raises(
        CatalogError,
        match=re.escape("cto-cpo.escalation: rule 'Major spend' routes to unknown role 'cfo'"),
    ):
        load_templates_edited(
            tmp_path, "when: spend-above, route_to: ceo", "when: spend-above, route_to: cfo"
        )


def test_a_rule_with_an_unknown_condition_names_its_position(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match=r"templates.cto-cpo.escalation\[0\].when"):
        load_templates_edited(
            tmp_path, "when: cross-team, route_to: cto", "when: sometimes, route_to: cto"
        )


def test_a_threshold_on_a_rule_that_is_not_about_spend_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match=r"escalation\[0\].threshold: only a spend-above rule"):
        load_templates_edited(
            tmp_path,
            "when: cross-team, route_to: cto}",
            "when: cross-team, route_to: cto, threshold: 5}",
        )


def test_a_rule_may_set_its_own_threshold(tmp_path: Path) -> None:
    catalog = load_templates_edited(
        tmp_path,
        "when: spend-above, route_to: ceo}",
        "when: spend-above, route_to: ceo, threshold: 10000.50}",
    )
    rule = catalog.template(LeadershipModel.CTO_AND_CPO).rules[1]
    assert rule.parameter == Decimal("10000.5")


def test_a_negative_default_threshold_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match="default_spend_threshold"):
        load_templates_edited(
            tmp_path, "default_spend_threshold: 25000", "default_spend_threshold: -1"
        )
