"""Nygard / adr-tools records: `# N. Title`, a Date line, Status/Context/Decision/Consequences."""

from __future__ import annotations

from datetime import date

import pytest

from quarterdeck.domain.decisions import DecisionStatus, LinkKind
from quarterdeck.ingest.adr import AdrImport, read_adr_directory
from tests.ingest.adr_support import FIXTURES, by_source, reports


@pytest.fixture(scope="module")
def nygard() -> AdrImport:
    return read_adr_directory(FIXTURES / "nygard")


def test_every_adr_tools_record_imports_and_nothing_fails(nygard: AdrImport) -> None:
    assert nygard.failures == ()
    assert [record.number for record in nygard.records] == list(range(1, 10))


def test_a_plain_record_is_read_field_by_field(nygard: AdrImport) -> None:
    record = by_source(nygard)["0001-record-architecture-decisions.md"]
    assert record.number == 1
    assert record.status is DecisionStatus.ACCEPTED
    assert record.decided_on == date(2019, 3, 4)
    content = record.content
    assert content.title == "Record architecture decisions"
    assert content.area == "architecture"
    assert content.context.startswith("The platform team keeps relitigating choices")
    assert content.context.endswith("in every onboarding.")
    assert content.decision.startswith("We will keep Architecture Decision Records in `doc/adr`")
    assert content.consequences.endswith("link\nto the record they rely on.")
    assert content.options == ()
    assert content.deciders == ()
    assert record.links == ()
    assert "no area given; filed under architecture" in record.notes


def test_the_report_says_what_was_taken_from_a_complete_record(nygard: AdrImport) -> None:
    entry = reports(nygard)["0001-record-architecture-decisions.md"]
    assert entry.outcome == "imported"
    assert entry.format == "nygard"
    assert entry.taken == (
        "number",
        "title",
        "status",
        "date",
        "context",
        "decision",
        "consequences",
    )
    assert entry.problems == ()


def test_supercedes_and_superceded_by_become_one_link_on_the_newer_record(
    nygard: AdrImport,
) -> None:
    records = by_source(nygard)
    older = records["0002-use-mysql-for-the-orders-service.md"]
    newer = records["0003-use-postgresql-for-the-orders-service.md"]
    assert older.status is DecisionStatus.SUPERSEDED
    assert older.links == ()
    assert newer.links == ((LinkKind.SUPERSEDES, 2),)
    assert "links" in reports(nygard)[older.source].taken


def test_a_heading_inside_a_code_block_stays_in_the_text(nygard: AdrImport) -> None:
    record = by_source(nygard)["0003-use-postgresql-for-the-orders-service.md"]
    assert "## Not a heading: this is inside a code block" in record.content.decision
    assert record.content.consequences.startswith("We operate one more database.")


def test_a_file_with_a_bom_and_windows_line_endings_reads_like_any_other(
    nygard: AdrImport,
) -> None:
    record = by_source(nygard)["0004-adopt-feature-flags.md"]
    assert record.content.title == "Adopt feature flags for risky releases"
    assert record.decided_on == date(2020, 11, 27)  # written 27/11/2020
    assert "\r" not in record.content.context
    assert record.content.context.endswith("takes forty minutes.")


def test_a_custom_link_is_kept_as_relates_to_with_a_note(nygard: AdrImport) -> None:
    record = by_source(nygard)["0004-adopt-feature-flags.md"]
    assert record.links == ((LinkKind.RELATES_TO, 6),)
    assert "link 'clarified by' to 6 kept as relates-to" in record.notes


def test_amends_and_relates_to_links_are_read_from_the_status_section(nygard: AdrImport) -> None:
    record = by_source(nygard)["0006-retire-the-ftp-export.md"]
    assert record.status is DecisionStatus.DEPRECATED
    assert record.links == ((LinkKind.AMENDS, 1), (LinkKind.RELATES_TO, 3))


def test_an_unpadded_number_is_kept_and_said(nygard: AdrImport) -> None:
    record = by_source(nygard)["7-split-the-monolith.md"]
    assert record.number == 7
    assert "number 7 read from an unpadded file name" in record.notes
    assert record.status is DecisionStatus.ACCEPTED  # written "✅ Accepted"
    assert record.decided_on == date(2020, 11, 27)  # written "November 27, 2020"


def test_a_duplicate_number_in_a_subfolder_gets_the_next_free_number(nygard: AdrImport) -> None:
    first = by_source(nygard)["0005-move-to-kubernetes.md"]
    later = by_source(nygard)["services/0005-extract-the-billing-service.md"]
    assert first.number == 5
    assert later.number == 8
    assert "number 5 is already used by 0005-move-to-kubernetes.md; numbered 8" in later.notes


def test_a_link_from_a_subfolder_is_resolved_by_its_relative_path(nygard: AdrImport) -> None:
    record = by_source(nygard)["services/0005-extract-the-billing-service.md"]
    assert record.links == ((LinkKind.RELATES_TO, 7),)
    assert record.status is DecisionStatus.ACCEPTED  # "Accepted on 2021-01-02"
    assert record.decided_on == date(2021, 2, 15)  # the Date line wins over the status's date


def test_a_missing_section_is_reported_and_the_record_still_imports(nygard: AdrImport) -> None:
    entry = reports(nygard)["services/0005-extract-the-billing-service.md"]
    assert entry.outcome == "imported"
    assert entry.problems == ("no Consequences section",)


def test_a_file_without_a_number_is_numbered_after_the_highest(nygard: AdrImport) -> None:
    record = by_source(nygard)["use-structured-logging.md"]
    assert record.number == 9
    assert "no number in the file name or title; numbered 9" in record.notes


def test_an_unknown_status_becomes_proposed_with_a_note(nygard: AdrImport) -> None:
    record = by_source(nygard)["use-structured-logging.md"]
    assert record.status is DecisionStatus.PROPOSED
    assert "status 'In review' is not a Quarterdeck status; taken as proposed" in record.notes


def test_a_decorated_proposed_status_is_read(nygard: AdrImport) -> None:
    record = by_source(nygard)["0005-move-to-kubernetes.md"]
    assert record.status is DecisionStatus.PROPOSED  # written "**Proposed**"
    assert record.decided_on == date(2020, 11, 27)  # written 27.11.2020


def test_a_month_first_date_is_read_as_such_and_said(nygard: AdrImport) -> None:
    record = by_source(nygard)["0006-retire-the-ftp-export.md"]
    assert record.decided_on == date(2021, 3, 15)
    assert "date '03/15/2021' read as month/day/year" in record.notes


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        ("README.md", "README, index or template file; not an ADR"),
        ("templates/template.md", "README, index or template file; not an ADR"),
        ("notes.txt", "not a Markdown file"),
    ],
)
def test_readme_template_and_other_files_are_skipped_and_reported(
    nygard: AdrImport, source: str, reason: str
) -> None:
    entry = reports(nygard)[source]
    assert entry.outcome == "skipped"
    assert entry.problems == (reason,)
    assert source not in by_source(nygard)
