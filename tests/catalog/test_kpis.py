from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from quarterdeck.catalog.kpis import KPIS_FILE, KpiCatalog, kpi_catalog, load_kpi_catalog
from quarterdeck.catalog.loading import CatalogError, shipped
from quarterdeck.domain.errors import InvalidInput
from quarterdeck.domain.scorecard import (
    COMPUTATIONS,
    Cadence,
    Category,
    Direction,
    KpiSet,
    Source,
    Unit,
)

# Every metric of DOMAIN.md section 3's scorecard catalog, in file order.
PRODUCT = (
    "activation-rate",
    "onboarding-completion",
    "feature-adoption",
    "retention-rate",
    "churn-rate",
    "dau-mau",
    "nps",
    "customer-csat",
    "support-ticket-volume",
    "time-to-value",
    "revenue-growth",
    "conversion-rate",
    "initiative-revenue-impact",
)
DELIVERY = (
    "lead-time",
    "throughput",
    "predictability",
    "escaped-defects",
    "rollback-rate",
    "change-linked-incidents",
    "deployment-frequency",
    "change-success-rate",
    "rollout-vs-plan",
)
RELIABILITY = (
    "slo-attainment",
    "mttr",
    "mtta",
    "change-failure-rate",
    "on-call-load",
    "toil",
    "critical-system-uptime",
    "incident-volume",
    "repeat-incident-rate",
)
SECURITY = (
    "time-to-patch-critical",
    "open-critical-high",
    "control-coverage",
    "audit-findings",
    "privileged-access-reviews",
    "mfa-coverage",
    "secrets-rotation",
    "data-incidents",
    "data-classification-coverage",
    "governance-maturity",
    "patch-compliance",
    "phishing-click-rate",
    "access-hygiene",
    "backup-restore-success",
    "dr-test-success",
)
COST = (
    "cost-per-customer",
    "cost-per-transaction",
    "cloud-spend-variance",
    "feature-time-share",
    "rework-rate",
    "reuse-rate",
    "developer-satisfaction",
    "build-time",
    "budget-variance",
    "cost-per-user",
    "cost-per-device",
    "cost-per-ticket",
    "vendor-sla-adherence",
    "licence-utilisation",
)
IT_SERVICE = (
    "sla-compliance",
    "ticket-backlog-size",
    "ticket-backlog-age",
    "first-contact-resolution",
    "escalation-rate",
    "service-desk-csat",
    "request-fulfilment-time",
    "ticket-response-time",
    "ticket-resolution-time",
)
LEADERSHIP = ("project-outcomes", "stakeholder-satisfaction", "team-health")
BY_CATEGORY = {
    Category.PRODUCT: PRODUCT,
    Category.DELIVERY: DELIVERY,
    Category.RELIABILITY: RELIABILITY,
    Category.SECURITY: SECURITY,
    Category.COST: COST,
    Category.IT_SERVICE: IT_SERVICE,
    Category.LEADERSHIP: LEADERSHIP,
}
EXPECTED_KEYS = PRODUCT + DELIVERY + RELIABILITY + SECURITY + COST + IT_SERVICE + LEADERSHIP

# DOMAIN.md: activation, retention, NPS/CSAT, lead time, predictability variance, escaped
# defects, SLO attainment, MTTR, critical-vulnerability time-to-patch, infra cost per customer.
QUICK_STARTER = (
    "activation-rate",
    "retention-rate",
    "nps",
    "lead-time",
    "predictability",
    "escaped-defects",
    "slo-attainment",
    "mttr",
    "time-to-patch-critical",
    "cost-per-customer",
)
# DOMAIN.md's IT service set, item by item (some items are two or three metrics).
IT_SERVICE_SET = {
    "critical-system-uptime",  # uptime of critical systems
    "mtta",
    "mttr",
    "incident-volume",  # incident volume and repeat rate
    "repeat-incident-rate",
    "on-call-load",  # on-call health
    "sla-compliance",  # SLA compliance by priority
    "ticket-backlog-size",  # backlog size and age
    "ticket-backlog-age",
    "first-contact-resolution",
    "escalation-rate",
    "service-desk-csat",  # CSAT
    "change-success-rate",
    "rollout-vs-plan",
    "request-fulfilment-time",  # time to deliver common requests
    "patch-compliance",
    "phishing-click-rate",  # phishing-test results
    "access-hygiene",
    "backup-restore-success",  # backup-restore and DR-test success
    "dr-test-success",
    "budget-variance",
    "cost-per-user",  # cost per user/device/ticket
    "cost-per-device",
    "cost-per-ticket",
    "vendor-sla-adherence",
    "licence-utilisation",
}


@pytest.fixture(scope="module")
def catalog() -> KpiCatalog:
    return kpi_catalog()


def shipped_text() -> str:
    return shipped(KPIS_FILE).read_text(encoding="utf-8")


def load_edited(tmp_path: Path, old: str, new: str, *, count: int = 1) -> KpiCatalog:
    text = shipped_text()
    assert old in text
    path = tmp_path / KPIS_FILE
    path.write_text(text.replace(old, new, count), encoding="utf-8")
    return load_kpi_catalog(path)


def at(key: str) -> str:
    """The path of a shipped entry inside the file, as errors name it."""
    return f"kpis[{EXPECTED_KEYS.index(key)}]"


# --- the shipped catalog --------------------------------------------------------------------


def test_the_catalog_holds_every_metric_of_the_domain_scorecard(catalog: KpiCatalog) -> None:
    assert catalog.keys == EXPECTED_KEYS


@pytest.mark.parametrize("category", list(Category), ids=str)
def test_each_category_holds_its_metrics(catalog: KpiCatalog, category: Category) -> None:
    assert tuple(kpi.key for kpi in catalog.in_category(category)) == BY_CATEGORY[category]


def test_the_quick_starter_set_is_the_domain_minimum_scorecard(catalog: KpiCatalog) -> None:
    assert tuple(kpi.key for kpi in catalog.in_set(KpiSet.QUICK_STARTER)) == QUICK_STARTER
    covered = {kpi.category for kpi in catalog.in_set("quick-starter")}
    assert covered == {
        Category.PRODUCT,
        Category.DELIVERY,
        Category.RELIABILITY,
        Category.SECURITY,
        Category.COST,
    }


def test_the_it_service_set_holds_the_whole_domain_list(catalog: KpiCatalog) -> None:
    assert {kpi.key for kpi in catalog.in_set("it-service")} == IT_SERVICE_SET
    assert len(catalog.in_set(KpiSet.IT_SERVICE)) == 26


def test_categories_and_sets_have_names_and_review_cadences(catalog: KpiCatalog) -> None:
    assert [info.category for info in catalog.categories] == list(Category)
    assert [info.kpi_set for info in catalog.sets] == list(KpiSet)
    assert catalog.category("security").name == "Security and risk"
    assert catalog.set_info(KpiSet.QUICK_STARTER).name == "Quick starter"
    reviews = {info.category: info.review for info in catalog.categories}
    assert reviews[Category.SECURITY] is reviews[Category.COST] is Cadence.MONTHLY
    assert reviews[Category.DELIVERY] is Cadence.BIWEEKLY
    assert catalog.kpi("lead-time").review is Cadence.BIWEEKLY
    assert catalog.kpi("mfa-coverage").review is Cadence.MONTHLY


def test_every_computation_is_used_by_exactly_one_metric(catalog: KpiCatalog) -> None:
    used = Counter(kpi.computed_by for kpi in catalog.kpis if kpi.source is Source.COMPUTED)
    assert set(used) == set(COMPUTATIONS)
    assert set(used.values()) == {1}
    assert all(kpi.computed_by is None for kpi in catalog.kpis if kpi.source is Source.MANUAL)


@pytest.mark.parametrize(
    ("key", "unit", "direction", "computed_by"),
    [
        ("lead-time", Unit.HOURS, Direction.LOWER, "delivery.lead-time"),
        ("deployment-frequency", Unit.PER_WEEK, Direction.HIGHER, "delivery.deployment-frequency"),
        ("change-failure-rate", Unit.PERCENT, Direction.LOWER, "delivery.change-failure-rate"),
        ("mttr", Unit.HOURS, Direction.LOWER, "delivery.time-to-restore"),
        ("mtta", Unit.MINUTES, Direction.LOWER, "delivery.mtta"),
        ("time-to-patch-critical", Unit.DAYS, Direction.LOWER, "scans.time-to-patch-critical"),
        ("sla-compliance", Unit.PERCENT, Direction.HIGHER, "tickets.sla-compliance"),
        ("service-desk-csat", Unit.SCORE, Direction.HIGHER, "tickets.csat"),
        ("cost-per-customer", Unit.CURRENCY, Direction.LOWER, "costs.cost-per-customer"),
        ("cloud-spend-variance", Unit.PERCENT, Direction.TARGET_BAND, "costs.forecast-variance"),
        ("predictability", Unit.PERCENT, Direction.TARGET_BAND, None),
        ("slo-attainment", Unit.PERCENT, Direction.HIGHER, None),
    ],
)
def test_key_metrics_are_measured_as_defined(
    catalog: KpiCatalog, key: str, unit: Unit, direction: Direction, computed_by: str | None
) -> None:
    kpi = catalog.kpi(key)
    assert (kpi.unit, kpi.direction, kpi.computed_by) == (unit, direction, computed_by)


def test_only_planned_vs_delivered_and_spend_variances_are_target_bands(
    catalog: KpiCatalog,
) -> None:
    bands = {kpi.key for kpi in catalog.kpis if kpi.direction is Direction.TARGET_BAND}
    assert bands == {"predictability", "cloud-spend-variance", "budget-variance"}


def test_every_metric_explains_itself_in_sentences(catalog: KpiCatalog) -> None:
    for kpi in catalog.kpis:
        for text in (kpi.meaning, kpi.reading, kpi.trap):
            assert text[0].isupper(), (kpi.key, text)
            assert text.endswith("."), (kpi.key, text)


def test_lookups_refuse_unknown_keys_sets_and_categories(catalog: KpiCatalog) -> None:
    assert catalog.kpi("mttr").name == "Time to restore (MTTR)"
    with pytest.raises(InvalidInput, match="unknown metric 'velocity'"):
        catalog.kpi("velocity")
    with pytest.raises(InvalidInput, match="unknown metric set 'board'; known: quick-starter"):
        catalog.in_set("board")
    with pytest.raises(InvalidInput, match="unknown metric category 'people'"):
        catalog.in_category("people")


def test_the_catalog_is_loaded_once() -> None:
    assert kpi_catalog() is kpi_catalog()


# --- broken files ---------------------------------------------------------------------------


def test_an_unknown_field_is_refused_with_its_path(tmp_path: Path) -> None:
    with pytest.raises(CatalogError) as caught:
        load_edited(tmp_path, "  - key: nps\n", "  - key: nps\n    owner: cpo\n")
    assert str(tmp_path / KPIS_FILE) in caught.value.message
    assert f"{at('nps')}.owner: Extra inputs are not permitted" in caught.value.message


def test_a_bad_direction_is_refused_with_its_path(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match=re.escape(f"{at('activation-rate')}.direction: Input")):
        load_edited(tmp_path, "direction: higher-is-better", "direction: up")


def test_a_bad_unit_or_category_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match=re.escape(f"{at('activation-rate')}.unit: Input")):
        load_edited(tmp_path, "unit: percent", "unit: furlongs")
    with pytest.raises(CatalogError, match=re.escape(f"{at('activation-rate')}.category: Input")):
        load_edited(tmp_path, "category: product", "category: marketing")


def test_a_duplicate_key_is_refused_naming_both_entries(tmp_path: Path) -> None:
    with pytest.raises(CatalogError) as caught:
        load_edited(tmp_path, "key: churn-rate", "key: retention-rate")
    message = caught.value.message
    assert f"{at('churn-rate')}.key: 'retention-rate' is already used by kpis[3]" in message
    assert str(tmp_path / KPIS_FILE) in message


def test_a_key_must_be_lower_case_words_joined_by_hyphens(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match=re.escape(f"{at('nps')}.key: String should match")):
        load_edited(tmp_path, "key: nps", "key: Net_Promoter")


def test_an_unknown_computation_is_refused_with_its_path(tmp_path: Path) -> None:
    with pytest.raises(CatalogError) as caught:
        load_edited(tmp_path, "computed_by: delivery.lead-time", "computed_by: delivery.vibes")
    assert (
        f"{at('lead-time')}.computed_by: unknown computation 'delivery.vibes'"
        in caught.value.message
    )


def test_a_computed_metric_must_name_its_computation(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match=re.escape(f"{at('lead-time')}.computed_by: a computed")):
        load_edited(tmp_path, "    computed_by: delivery.lead-time\n", "")


def test_a_manual_metric_names_no_computation(tmp_path: Path) -> None:
    edited = "  - key: nps\n    computed_by: tickets.csat\n"
    with pytest.raises(CatalogError, match=re.escape(f"{at('nps')}.computed_by: only a computed")):
        load_edited(tmp_path, "  - key: nps\n", edited)


def test_yaml_aliases_are_refused(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match="aliases and anchors are not allowed") as caught:
        load_edited(tmp_path, "sets: [quick-starter]", "sets: &starter [quick-starter]")
    assert str(tmp_path / KPIS_FILE) in caught.value.message


def test_an_unknown_set_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match=re.escape(f"{at('activation-rate')}.sets[0]: Input")):
        load_edited(tmp_path, "sets: [quick-starter]", "sets: [board-pack]")


def test_a_set_listed_twice_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match="sets: quick-starter listed more than once"):
        load_edited(tmp_path, "sets: [quick-starter]", "sets: [quick-starter, quick-starter]")


def test_an_empty_set_is_refused(tmp_path: Path) -> None:
    text = shipped_text().replace("    sets: [it-service]\n", "")
    path = tmp_path / KPIS_FILE
    path.write_text(text.replace("[quick-starter, it-service]", "[quick-starter]"), "utf-8")
    with pytest.raises(CatalogError, match="kpis: no metric is in set it-service"):
        load_kpi_catalog(path)


def test_a_quick_starter_set_beyond_ten_metrics_is_refused(tmp_path: Path) -> None:
    edited = "  - key: churn-rate\n    sets: [quick-starter]\n"
    with pytest.raises(CatalogError, match="set quick-starter has 11 metrics; it needs 8 to 10"):
        load_edited(tmp_path, "  - key: churn-rate\n", edited)


def test_a_quick_starter_set_below_eight_metrics_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match="set quick-starter has 7 metrics; it needs 8 to 10"):
        load_edited(tmp_path, "sets: [quick-starter]\n", "sets: []\n", count=3)


def test_every_category_must_be_described_and_used(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match=r"categories: unknown people .*; missing leadership"):
        load_edited(tmp_path, "  leadership:\n    name:", "  people:\n    name:")
    with pytest.raises(CatalogError, match="kpis: no metric in category leadership"):
        load_edited(tmp_path, "category: leadership", "category: product", count=3)


def test_an_unknown_version_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match="version: Input should be 1"):
        load_edited(tmp_path, "version: 1", "version: 2")
