from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from quarterdeck.catalog.kpis import kpi_catalog
from quarterdeck.catalog.loading import CatalogError, shipped
from quarterdeck.catalog.playbooks import PlaybookCatalog, playbook_catalog
from quarterdeck.catalog.roles import (
    ROLES_FILE,
    RoleCatalog,
    compare,
    load_role_catalog,
    role_catalog,
)
from quarterdeck.domain.errors import InvalidInput
from quarterdeck.domain.role_kinds import CompensationBasis, EngagementMode, Span

# Every kind of DOMAIN.md section 2, then the neighbouring roles, in file order.
KINDS = (
    "startup-cto",
    "scaleup-cto",
    "enterprise-cto",
    "cpto",
    "platform-cto",
    "transformation-cto",
    "ai-cto",
    "fractional-cto",
    "part-time-cto",
    "virtual-cto",
    "interim-cto",
    "field-cto",
    "remote-cto",
    "deputy-cto",
    "it-manager",
)
NEIGHBOURS = ("cio", "vp-engineering", "head-of-engineering", "cpo")
FULL_TIME_CTOS = (
    "startup-cto",
    "scaleup-cto",
    "enterprise-cto",
    "platform-cto",
    "transformation-cto",
    "ai-cto",
    "remote-cto",
)
Y, H, D, R = (
    CompensationBasis.YEARLY,
    CompensationBasis.HOURLY,
    CompensationBasis.DAILY,
    CompensationBasis.MONTHLY_RETAINER,
)
# DOMAIN.md section 2's benchmarks: (region, basis, currency, low, high, average, median, as_of)
CTO = {
    ("US", Y, "USD", None, None, 309_000, None, date(2026, 1, 1)),
    ("UK", Y, "GBP", None, None, 116_700, None, date(2026, 2, 1)),
}
FRACTIONAL = {
    ("US", H, "USD", 200, 500, 300, None, date(2026, 2, 1)),
    ("US", R, "USD", 10_000, 25_000, None, None, date(2026, 2, 1)),
    ("UK", D, "GBP", None, None, None, 800, date(2026, 2, 1)),
}
BENCHMARKS = {
    **dict.fromkeys(FULL_TIME_CTOS, CTO),
    "fractional-cto": FRACTIONAL,
    "part-time-cto": FRACTIONAL,
    "field-cto": {
        ("US", Y, "USD", None, None, 189_700, None, None),
        ("US", Y, "USD", 150_000, 234_600, None, None, None),
    },
    "cpto": {("US", Y, "USD", None, None, 220_000, None, date(2026, 2, 1))},
    "it-manager": {
        ("US", Y, "USD", 101_000, 157_000, None, 125_600, date(2026, 2, 1)),
        ("UK", Y, "GBP", None, None, 42_500, None, date(2026, 2, 1)),
        ("London", Y, "GBP", 55_000, None, None, None, date(2026, 2, 1)),
    },
    "head-of-engineering": {
        ("US", Y, "USD", None, None, 170_000, None, None),
        ("US", H, "USD", None, None, 74, None, None),
        ("UK", Y, "GBP", None, None, 96_000, None, None),
    },
}
# Which kinds each playbook applies to, as roles.yaml says in the kinds' `playbooks` lists.
APPLIES_TO = {
    "becoming-cto": {"deputy-cto", "it-manager", "vp-engineering", "head-of-engineering"},
    "fractional-engagement": {"fractional-cto", "part-time-cto", "virtual-cto"},
    "handover-to-permanent-cto": {"fractional-cto", "part-time-cto", "virtual-cto", "interim-cto"},
    "interim-cto-onboarding": {"interim-cto"},
    "it-manager-new-project": {"it-manager", "cio"},
    "new-cpto-30-days": {"cpto"},
    "new-cto-90-days": set(FULL_TIME_CTOS),
    "part-time-to-full-time": {"fractional-cto", "part-time-cto", "virtual-cto"},
    "remote-leadership-setup": {
        "fractional-cto",
        "virtual-cto",
        "remote-cto",
        "vp-engineering",
        "head-of-engineering",
    },
}


@pytest.fixture(scope="module")
def catalog() -> RoleCatalog:
    return role_catalog()


def load_edited(
    tmp_path: Path, old: str, new: str, *, count: int = 1, playbooks: PlaybookCatalog | None = None
) -> RoleCatalog:
    text = shipped(ROLES_FILE).read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / ROLES_FILE
    path.write_text(text.replace(old, new, count), encoding="utf-8")
    return load_role_catalog(path, playbooks=playbooks)


def at(tmp_path: Path, index: int) -> str:
    return f"{tmp_path / ROLES_FILE}: kinds[{index}]"


# --- the shipped catalog -----------------------------------------------------------


def test_the_catalog_holds_every_kind_of_leader_and_the_neighbours(catalog: RoleCatalog) -> None:
    assert catalog.keys == KINDS + NEIGHBOURS
    assert [kind.key for kind in catalog.kinds if kind.neighbour] == list(NEIGHBOURS)


@pytest.mark.parametrize("key", KINDS + NEIGHBOURS)
def test_every_kind_describes_itself(catalog: RoleCatalog, key: str) -> None:
    kind = catalog.kind(key)
    assert kind.name
    assert kind.focus.endswith(".")
    assert kind.owns
    assert kind.red_flags
    assert set(kind.success_measures) <= set(kpi_catalog().keys)
    assert set(kind.playbooks) <= set(playbook_catalog().keys)


@pytest.mark.parametrize("key", KINDS + NEIGHBOURS)
def test_benchmarks_are_exactly_the_domain_figures(catalog: RoleCatalog, key: str) -> None:
    shipped_figures = {
        (b.region, b.basis, b.currency, b.low, b.high, b.average, b.median, b.as_of)
        for b in catalog.kind(key).compensation
    }
    assert shipped_figures == BENCHMARKS.get(key, set())
    assert all(b.source for b in catalog.kind(key).compensation)


def test_engagements_follow_the_domain(catalog: RoleCatalog) -> None:
    fractional = catalog.kind("fractional-cto").engagement
    assert fractional.mode is EngagementMode.FRACTIONAL
    assert fractional.hours_per_week == Span(15, 20)
    interim = catalog.kind("interim-cto").engagement
    assert interim.mode is EngagementMode.INTERIM
    assert interim.months == Span(6, 12)
    assert catalog.kind("part-time-cto").engagement.mode is EngagementMode.PART_TIME
    assert catalog.kind("it-manager").engagement.mode is EngagementMode.FULL_TIME


def test_the_cpto_co_owns_architecture_and_owns_the_roadmap(catalog: RoleCatalog) -> None:
    cpto = catalog.kind("cpto")
    assert "roadmap" in cpto.owns
    assert "architecture" in cpto.co_owns
    assert "new-cpto-30-days" in cpto.playbooks


def test_every_playbook_applies_to_at_least_one_kind(catalog: RoleCatalog) -> None:
    used = {playbook for kind in catalog.kinds for playbook in kind.playbooks}
    assert used == set(playbook_catalog().keys)


@pytest.mark.parametrize("playbook", sorted(APPLIES_TO))
def test_each_playbook_applies_to_the_kinds_it_was_written_for(
    catalog: RoleCatalog, playbook: str
) -> None:
    assert {kind.key for kind in catalog.kinds if playbook in kind.playbooks} == APPLIES_TO[
        playbook
    ]


def test_playbooks_are_found_by_kind_of_leader(catalog: RoleCatalog) -> None:
    assert [p.key for p in catalog.playbooks_for("interim-cto")] == [
        "interim-cto-onboarding",
        "handover-to-permanent-cto",
    ]
    assert [p.key for p in catalog.playbooks_for("cpto")] == ["new-cpto-30-days"]
    assert [p.key for p in catalog.playbooks_for("cio")] == ["it-manager-new-project"]
    assert catalog.playbooks_for("field-cto") == ()
    assert catalog.playbooks_for("cpto")[0] is playbook_catalog().playbook("new-cpto-30-days")
    with pytest.raises(InvalidInput, match="unknown kind of leader 'astronaut'"):
        catalog.playbooks_for("astronaut")


def test_the_catalog_is_checked_against_the_shipped_playbooks(catalog: RoleCatalog) -> None:
    assert catalog.playbooks is playbook_catalog()


def test_the_catalog_is_loaded_once() -> None:
    assert role_catalog() is role_catalog()


# --- comparing kinds ---------------------------------------------------------------


def test_compare_puts_kinds_side_by_side_in_the_order_asked() -> None:
    assert [kind.key for kind in compare(["cpo", "cpto", "startup-cto"])] == [
        "cpo",
        "cpto",
        "startup-cto",
    ]


@pytest.mark.parametrize(
    ("keys", "message"),
    [
        ([], "compare 2 to 4 kinds of leader, not 0"),
        (["cpto"], "compare 2 to 4 kinds of leader, not 1"),
        (["cpto", "cpo", "cio", "ai-cto", "it-manager"], "not 5"),
        (["cpto", "cpto"], "cpto given more than once"),
        (["cpto", "chief-wizard"], "unknown kind of leader 'chief-wizard'"),
    ],
)
def test_compare_refuses_bad_input(keys: list[str], message: str) -> None:
    with pytest.raises(InvalidInput, match=re.escape(message)):
        compare(keys)


# --- hostile or malformed files ----------------------------------------------------


def test_an_unknown_kpi_is_refused_with_its_path(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match=re.escape(f"{at(tmp_path, 0)}.success_measures[0]")):
        load_edited(tmp_path, "success_measures: [lead-time,", "success_measures: [velocity,")


def test_an_unknown_playbook_is_refused_with_its_path(tmp_path: Path) -> None:
    with pytest.raises(CatalogError) as caught:
        load_edited(tmp_path, "playbooks: [new-cto-90-days]", "playbooks: [vibes]")
    assert caught.value.message.startswith(f"{at(tmp_path, 0)}.playbooks[0]: unknown playbook")
    assert "new-cto-90-days" in caught.value.message


def test_playbooks_are_checked_against_the_catalog_given(tmp_path: Path) -> None:
    shipped_playbooks = playbook_catalog().playbooks
    without_becoming_cto = PlaybookCatalog(
        tuple(p for p in shipped_playbooks if p.key != "becoming-cto")
    )
    with pytest.raises(CatalogError) as caught:
        load_edited(tmp_path, "version: 1", "version: 1", playbooks=without_becoming_cto)
    message = caught.value.message
    assert message.startswith(f"{at(tmp_path, 13)}.playbooks[0]: unknown playbook 'becoming-cto'")
    assert "becoming-cto" not in message.split("known: ")[1]


def test_a_duplicate_key_is_refused_naming_both_entries(tmp_path: Path) -> None:
    with pytest.raises(
        CatalogError, match=re.escape(f"{at(tmp_path, 1)}.key: 'startup-cto' is already used")
    ):
        load_edited(tmp_path, "key: scaleup-cto", "key: startup-cto")


def test_a_range_with_low_above_high_is_refused(tmp_path: Path) -> None:
    with pytest.raises(
        CatalogError,
        match=re.escape(f"{at(tmp_path, 7)}.compensation[0]: low 600 is above high 500"),
    ):
        load_edited(tmp_path, "low: 200, high: 500", "low: 600, high: 500")
    with pytest.raises(
        CatalogError,
        match=re.escape(f"{at(tmp_path, 10)}.engagement.months: low 12 is above high 6"),
    ):
        load_edited(tmp_path, "months: {low: 6, high: 12}", "months: {low: 12, high: 6}")


@pytest.mark.parametrize("month", ["2026-13", "2026-1", "26-01", "January 2026", "2026-01-15"])
def test_a_benchmark_date_must_be_a_month(tmp_path: Path, month: str) -> None:
    with pytest.raises(
        CatalogError, match=re.escape(f"{at(tmp_path, 0)}.compensation[0].as_of: '{month}'")
    ):
        load_edited(tmp_path, 'as_of: "2026-01"', f'as_of: "{month}"')


def test_a_benchmark_must_say_when_it_is_undated(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match=r"kinds\[0\]\.compensation\[0\]\.as_of: Field required"):
        load_edited(tmp_path, 'as_of: "2026-01", ', "")


def test_an_unknown_field_is_refused_with_its_path(tmp_path: Path) -> None:
    with pytest.raises(CatalogError) as caught:
        load_edited(tmp_path, "    neighbour: true\n", "    neighbour: true\n    salary: 1\n")
    assert caught.value.message.startswith(str(tmp_path / ROLES_FILE))
    assert "kinds[15].salary: Extra inputs are not permitted" in caught.value.message


def test_a_part_time_engagement_must_state_its_hours(tmp_path: Path) -> None:
    old = "mode: part-time\n      hours_per_week: {low: 15, high: 20}\n"
    with pytest.raises(
        CatalogError, match=re.escape(f"{at(tmp_path, 8)}.engagement: a part-time engagement")
    ):
        load_edited(tmp_path, old, "mode: part-time\n")


def test_yaml_anchors_and_aliases_are_refused(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match=r"roles\.yaml: line \d+, column \d+: YAML aliases"):
        load_edited(
            tmp_path,
            "    red_flags: [still the only person",
            "    red_flags: &flags [still the only person",
        )
    with pytest.raises(CatalogError, match="YAML aliases and anchors are not allowed"):
        load_edited(tmp_path, "owns: [enterprise systems", "owns: *flags\n    x: [")


def test_a_file_that_is_not_a_mapping_is_refused(tmp_path: Path) -> None:
    path = tmp_path / ROLES_FILE
    path.write_text("- just\n- a list\n", encoding="utf-8")
    with pytest.raises(CatalogError, match=re.escape(str(path))):
        load_role_catalog(path)
