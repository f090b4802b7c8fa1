"""log4brains records: date-prefixed file names, MADR-like bodies with `- Key: value` lines."""

from __future__ import annotations

from datetime import date

import pytest

from quarterdeck.domain.decisions import DecisionStatus, LinkKind, Option
from quarterdeck.ingest.adr import AdrImport, read_adr_directory
from tests.ingest.adr_support import FIXTURES, by_source, reports


@pytest.fixture(scope="module")
def log4brains() -> AdrImport:
    return read_adr_directory(FIXTURES / "log4brains")


def test_date_prefixed_files_are_numbered_in_path_order(log4brains: AdrImport) -> None:
    numbers = {record.source: record.number for record in log4brains.records}
    assert numbers == {
        "20201127-use-log4brains-to-manage-the-adrs.md": 1,
        "20210304-adopt-a-service-mesh.md": 2,
        "20210611-use-platform-mutual-tls-instead-of-a-mesh.md": 3,
        "backend/20210512-cache-product-pages-at-the-edge.md": 4,
    }
    assert all(
        entry.format == "log4brains" for entry in log4brains.report if entry.outcome == "imported"
    )


def test_a_date_prefix_is_not_taken_for_an_adr_number(log4brains: AdrImport) -> None:
    record = by_source(log4brains)["20201127-use-log4brains-to-manage-the-adrs.md"]
    assert "no number in the file name or title; numbered 1" in record.notes
    assert record.decided_on == date(2020, 11, 27)
    assert record.status is DecisionStatus.ACCEPTED
    assert record.content.tags == ("dev-tools", "doc")


def test_log4brains_dash_bullets_options_and_consequences_are_read(log4brains: AdrImport) -> None:
    content = by_source(log4brains)["20210304-adopt-a-service-mesh.md"].content
    assert content.deciders == ("Mei Chen", "Rafael Ortiz")
    assert content.tags == ("security", "networking")
    assert content.area == "security"
    assert content.options == (
        Option("Istio", ("it has the most features",), ("it is heavy to operate",)),
        Option("Linkerd", ("it is light",), ("fewer people know it",)),
    )
    assert content.consequences.startswith("### Positive Consequences\n\n- Traffic between")


def test_links_by_slug_are_resolved_and_reversed(log4brains: AdrImport) -> None:
    records = by_source(log4brains)
    older = records["20210304-adopt-a-service-mesh.md"]
    newer = records["20210611-use-platform-mutual-tls-instead-of-a-mesh.md"]
    assert older.status is DecisionStatus.SUPERSEDED
    assert older.links == ()
    assert newer.links == ((LinkKind.SUPERSEDES, 2),)


def test_without_a_date_line_the_file_name_gives_the_date(log4brains: AdrImport) -> None:
    record = by_source(log4brains)["backend/20210512-cache-product-pages-at-the-edge.md"]
    assert record.decided_on == date(2021, 5, 12)
    assert "date taken from the file name" in record.notes
    assert record.content.area == "spend"  # from the tag "cost"


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        ("index.md", "README, index or template file; not an ADR"),
        ("template.md", "README, index or template file; not an ADR"),
        (".log4brains.yml", "hidden file"),
    ],
)
def test_log4brains_home_page_template_and_settings_are_skipped(
    log4brains: AdrImport, source: str, reason: str
) -> None:
    entry = reports(log4brains)[source]
    assert (entry.outcome, entry.problems) == ("skipped", (reason,))
