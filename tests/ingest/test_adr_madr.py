"""MADR 2 (bullet metadata), MADR 3 (front matter with deciders) and MADR 4
(front matter with decision-makers, Consequences and Confirmation)."""

from __future__ import annotations

from datetime import date

import pytest

from quarterdeck.domain.decisions import DecisionStatus, LinkKind, Option
from quarterdeck.ingest.adr import AdrImport, read_adr_directory
from tests.ingest.adr_support import FIXTURES, by_source, reports


@pytest.fixture(scope="module")
def madr2() -> AdrImport:
    return read_adr_directory(FIXTURES / "madr2")


@pytest.fixture(scope="module")
def madr3() -> AdrImport:
    return read_adr_directory(FIXTURES / "madr3")


@pytest.fixture(scope="module")
def madr4() -> AdrImport:
    return read_adr_directory(FIXTURES / "madr4")


# --- MADR 2 -------------------------------------------------------------------------------


def test_madr2_bullet_metadata_is_read(madr2: AdrImport) -> None:
    record = by_source(madr2)["0001-use-markdown-architectural-decision-records.md"]
    assert record.number == 1
    assert record.status is DecisionStatus.ACCEPTED
    assert record.decided_on == date(2020, 11, 27)
    assert record.content.deciders == ("Priya Raman", "Tomasz Nowak")
    assert reports(madr2)[record.source].format == "madr-2"


def test_madr2_context_keeps_the_technical_story_and_the_decision_drivers(
    madr2: AdrImport,
) -> None:
    context = by_source(madr2)["0001-use-markdown-architectural-decision-records.md"]
    assert context.content.context == (
        "Technical Story: the platform wiki is out of date and nobody trusts it.\n\n"
        "We want to record the architectural decisions made in this project next to the code.\n"
        "Which format and structure should these records follow?\n\n"
        "## Decision Drivers\n\n"
        "* records are reviewed in pull requests\n"
        "* engineers write them without a special tool"
    )


def test_madr2_options_carry_their_good_and_bad_arguments(madr2: AdrImport) -> None:
    record = by_source(madr2)["0001-use-markdown-architectural-decision-records.md"]
    assert record.content.options == (
        Option(
            "MADR 2.1.2",
            ("it lists the options and their arguments", "it is plain Markdown"),
            ("the records get longer",),
        ),
        Option(
            "Michael Nygard's template",
            ("it is short and well known",),
            ("it does not record the options that were rejected",),
        ),
        Option(
            "Wiki pages",
            ("everyone can edit them",),
            ("they drift away from the code\nand nobody reviews the changes",),
        ),
    )
    assert (
        "option 'MADR 2.1.2': 2 line(s) that are neither a pro nor a con "
        "(descriptions, neutral arguments) not kept"
    ) in record.notes


def test_madr2_decision_outcome_and_its_consequences_are_split(madr2: AdrImport) -> None:
    content = by_source(madr2)["0001-use-markdown-architectural-decision-records.md"].content
    assert content.decision == (
        'Chosen option: "MADR 2.1.2", because it records the options and their trade-offs, and\n'
        "it is plain Markdown."
    )
    assert content.consequences == (
        "### Positive Consequences\n\n"
        "* Options and their arguments are written down, not only the winner.\n\n"
        "### Negative Consequences\n\n"
        "* Records are longer than Nygard's."
    )


def test_madr2_superseded_by_in_the_status_links_the_newer_record(madr2: AdrImport) -> None:
    records = by_source(madr2)
    older = records["0002-choose-mysql-for-reporting.md"]
    newer = records["0004-choose-postgresql-for-reporting.md"]
    assert older.status is DecisionStatus.SUPERSEDED
    assert older.decided_on == date(2020, 11, 27)  # written 27/11/2020
    assert newer.links == ((LinkKind.SUPERSEDES, 2),)
    assert older.links == ((LinkKind.RELATES_TO, 3),)  # "Refined by" in the Links section


def test_madr2_semicolon_separated_deciders_and_long_dates_are_read(madr2: AdrImport) -> None:
    record = by_source(madr2)["0004-choose-postgresql-for-reporting.md"]
    assert record.content.deciders == ("Priya Raman", "Ana Lima")
    assert record.decided_on == date(2021, 3, 3)  # written "March 3, 2021"


def test_madr2_a_record_without_consequences_imports_with_a_problem(madr2: AdrImport) -> None:
    record = by_source(madr2)["0003-keep-report-queries-in-the-repository.md"]
    assert record.status is DecisionStatus.REJECTED
    assert record.content.options == ()
    assert reports(madr2)[record.source].problems == ("no Consequences section",)


# --- MADR 3 -------------------------------------------------------------------------------


def test_madr3_front_matter_fills_people_and_tags(madr3: AdrImport) -> None:
    record = by_source(madr3)["0001-adopt-feature-flags.md"]
    assert record.status is DecisionStatus.ACCEPTED
    assert record.decided_on == date(2022, 5, 9)
    assert record.content.deciders == ("Ana Lima", "Jonas Becker")
    assert record.content.consulted == ("Support lead", "Product manager for checkout")
    assert record.content.informed == ("All engineering",)
    assert record.content.tags == ("process", "delivery")
    assert reports(madr3)[record.source].format == "madr-3"


def test_a_tag_that_names_an_area_files_the_decision_there(madr3: AdrImport) -> None:
    record = by_source(madr3)["0001-adopt-feature-flags.md"]
    assert record.content.area == "process"
    assert "area process taken from the tag 'process'" in record.notes


def test_madr3_validation_and_more_information_stay_with_the_consequences(
    madr3: AdrImport,
) -> None:
    content = by_source(madr3)["0001-adopt-feature-flags.md"].content
    assert content.consequences == (
        "* Good, because risky changes ship dark and roll out gradually\n"
        "* Bad, because stale flags pile up unless we remove them\n\n"
        "## Validation\n\n"
        "A build check fails when a flag is older than ninety days.\n\n"
        "## More Information\n\n"
        "The flag naming convention lives in the engineering handbook."
    )
    assert [option.title for option in content.options] == [
        "Feature flags from a hosted service",
        "Feature flags in our own configuration service",
        "Release branches per feature",
    ]
    assert content.options[0].cons == ("it adds a vendor with per-seat pricing",)


def test_a_category_naming_an_area_is_taken_and_a_draft_is_proposed(madr3: AdrImport) -> None:
    record = by_source(madr3)["0002-encrypt-backups-with-customer-keys.md"]
    assert record.content.area == "security"
    assert record.content.deciders == ("Jonas Becker",)
    assert record.status is DecisionStatus.PROPOSED
    assert "status 'draft' is not a Quarterdeck status; taken as proposed" in record.notes


# --- MADR 4 -------------------------------------------------------------------------------


def test_madr4_decision_makers_consulted_and_informed_are_read(madr4: AdrImport) -> None:
    record = by_source(madr4)["0001-split-the-monolith-into-services.md"]
    assert record.status is DecisionStatus.ACCEPTED  # written "accepted" in quotes
    assert record.decided_on == date(2023, 2, 14)
    assert record.content.deciders == ("Dana Whitfield", "Olu Adeyemi")
    assert record.content.consulted == ("Staff engineers",)
    assert record.content.informed == ("Product leadership", "Support")
    assert reports(madr4)[record.source].format == "madr-4"


def test_madr4_confirmation_is_kept_under_the_consequences(madr4: AdrImport) -> None:
    content = by_source(madr4)["0001-split-the-monolith-into-services.md"].content
    assert content.consequences == (
        "* Good, because each team owns a package and its tests\n"
        "* Bad, because a shared deployment remains\n\n"
        "### Confirmation\n\n"
        "An architecture test in CI fails when one package reaches into another's internals.\n\n"
        "## More Information\n\n"
        "We revisit this once the checkout package has been stable for two quarters."
    )
    assert content.decision.startswith('Chosen option: "Modular monolith')


def test_madr4_options_match_their_pros_and_cons_and_drop_neutral_ones(madr4: AdrImport) -> None:
    record = by_source(madr4)["0001-split-the-monolith-into-services.md"]
    first = record.content.options[0]
    assert first == Option(
        "Split into services along team boundaries",
        ("teams deploy independently",),
        ("distributed transactions appear in checkout",),
    )
    assert len(record.content.options) == 3
    assert any("neutral arguments" in note for note in record.notes)


def test_madr4_links_in_more_information_are_taken(madr4: AdrImport) -> None:
    record = by_source(madr4)["0001-split-the-monolith-into-services.md"]
    assert record.links == ((LinkKind.AMENDS, 2),)


def test_madr4_superseded_by_a_bare_adr_number_links_the_record_in_a_subfolder(
    madr4: AdrImport,
) -> None:
    records = by_source(madr4)
    older = records["0002-adopt-trunk-based-development.md"]
    newer = records["platform/0003-adopt-trunk-based-development-with-merge-queues.md"]
    assert older.status is DecisionStatus.SUPERSEDED
    assert newer.links == ((LinkKind.SUPERSEDES, 2),)
    assert any("read from 0002-adopt-trunk-based-development.md" in n for n in newer.notes)


def test_a_template_placeholder_for_decision_makers_is_reported_not_imported(
    madr4: AdrImport,
) -> None:
    record = by_source(madr4)["platform/0003-adopt-trunk-based-development-with-merge-queues.md"]
    assert record.content.deciders == ()
    assert reports(madr4)[record.source].problems == (
        "decision-makers is not a list of names; not kept",
    )


def test_a_record_with_only_a_context_imports_and_names_the_missing_sections(
    madr4: AdrImport,
) -> None:
    record = by_source(madr4)["platform/0004-vendor-for-incident-paging.md"]
    assert record.status is DecisionStatus.PROPOSED
    assert record.content.area == "vendor"  # from the tag "vendors"
    assert record.content.decision == ""
    assert reports(madr4)[record.source].problems == (
        "no Decision section",
        "no Consequences section",
    )
