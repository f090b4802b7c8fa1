"""Writing decisions as ADRs, and reading an export back into the same decisions."""

from __future__ import annotations

import dataclasses
import os
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from quarterdeck.domain.decisions import (
    Decision,
    DecisionContent,
    DecisionLink,
    DecisionStatus,
    LinkKind,
    Option,
    Reversibility,
)
from quarterdeck.domain.errors import InvalidInput
from quarterdeck.ingest.adr import (
    AdrExportRecord,
    adr_file_name,
    read_adr_directory,
    render_adr,
    write_adr_directory,
)


def make_content(**overrides: Any) -> DecisionContent:
    fields: dict[str, Any] = {
        "title": "Move the orders service to PostgreSQL",
        "area": "data-ai",
        "context": "Orders carry nested discount rules.\n\n- we query them by shape\n"
        "- MySQL needs a generated column per query",
        "options": (
            Option("PostgreSQL 15", ("jsonb with GIN indexes", "one engine for\nreporting too")),
            Option("Stay on MySQL", (), ("a generated column for every query",)),
            Option("A document store"),
        ),
        "decision": "Move to PostgreSQL 15.\n\n```sql\n## not a heading\nSELECT 1;\n```",
        "rationale": "It is the only option that meets the query needs.",
        "consequences": "* Good, because queries get simpler\n* Bad, because two engines run",
        "deciders": ("Ana Lima", "Jonas Becker"),
        "consulted": ("DBA guild",),
        "informed": ("Support", "Finance"),
        "reversibility": Reversibility.ONE_WAY,
        "estimated_spend": Decimal("12500.50"),
        "cross_team": True,
        "security_exception": True,
        "revisit_on": date(2025, 1, 31),
        "revisit_condition": "when write latency p99 passes 50 ms\nfor a week",
        "tags": ("database", "orders: core"),
        "taken_in": "Architecture review, 2024-03-05",
    }
    fields.update(overrides)
    return DecisionContent(**fields)


def make_log() -> list[AdrExportRecord]:
    return [
        AdrExportRecord(
            1,
            DecisionStatus.SUPERSEDED,
            date(2019, 3, 11),
            DecisionContent(
                title="Use MySQL for orders",
                area="architecture",
                context="The storefront already runs MySQL.",
                decision="Use the shared cluster.",
                consequences="We inherit its maintenance windows.",
            ),
        ),
        AdrExportRecord(
            2,
            DecisionStatus.ACCEPTED,
            date(2020, 11, 27),
            make_content(),
            links=(
                (LinkKind.SUPERSEDES, 1, "Use MySQL for orders"),
                (LinkKind.RELATES_TO, 3, ""),
            ),
        ),
        AdrExportRecord(
            3,
            DecisionStatus.PROPOSED,
            None,
            make_content(
                title="Keep reporting on the replica: yes/no? #1 [draft]",
                area="my-own-area",
                options=(),
                rationale="",
                deciders=(),
                estimated_spend=None,
                security_exception=False,
                revisit_on=None,
                tags=(),
            ),
            links=((LinkKind.AMENDS, 2, "Move the orders service to PostgreSQL"),),
        ),
        AdrExportRecord(
            12,
            DecisionStatus.REJECTED,
            date(2021, 6, 1),
            DecisionContent(title="Büy a wörkflow engine", area="build-vs-buy"),
        ),
    ]


@pytest.mark.parametrize("fmt", ["madr", "nygard"])
def test_an_export_reads_back_with_the_same_numbers_statuses_dates_and_links(
    tmp_path: Path, fmt: Any
) -> None:
    log = make_log()
    write_adr_directory(log, tmp_path / "out", fmt=fmt)
    result = read_adr_directory(tmp_path / "out")
    assert result.failures == ()
    assert [(r.number, r.status, r.decided_on) for r in result.records] == [
        (r.number, r.status, r.decided_on) for r in log
    ]
    assert [r.links for r in result.records] == [
        tuple((kind, number) for kind, number, _ in r.links) for r in log
    ]


def test_a_madr_export_keeps_every_decision_field(tmp_path: Path) -> None:
    log = make_log()
    write_adr_directory(log, tmp_path, fmt="madr")
    result = read_adr_directory(tmp_path)
    assert [record.content for record in result.records] == [record.content for record in log]


def test_a_nygard_export_keeps_title_context_decision_and_consequences(tmp_path: Path) -> None:
    log = make_log()
    write_adr_directory(log, tmp_path, fmt="nygard")
    result = read_adr_directory(tmp_path)
    for written, read in zip(log, result.records, strict=True):
        kept = ("title", "context", "decision", "consequences")
        assert {name: getattr(read.content, name) for name in kept} == {
            name: getattr(written.content, name) for name in kept
        }


def test_what_nygard_cannot_carry_comes_back_empty(tmp_path: Path) -> None:
    write_adr_directory(make_log(), tmp_path, fmt="nygard")
    content = read_adr_directory(tmp_path).records[1].content
    assert content == make_content(
        area="architecture",
        options=(),
        rationale="",
        deciders=(),
        consulted=(),
        informed=(),
        reversibility=Reversibility.TWO_WAY,
        estimated_spend=None,
        cross_team=False,
        security_exception=False,
        revisit_on=None,
        revisit_condition="",
        tags=(),
        taken_in="",
    )


def test_nygard_files_look_like_adr_tools_files() -> None:
    log = make_log()
    record = dataclasses.replace(log[1], incoming=((LinkKind.AMENDS, 3, "Keep it"),))
    name, text = render_adr(record, fmt="nygard")
    assert name == "0002-move-the-orders-service-to-postgresql.md"
    assert text.startswith(
        "# 2. Move the orders service to PostgreSQL\n\nDate: 2020-11-27\n\n## Status\n\n"
        "Accepted\n\nSupersedes [1. Use MySQL for orders](0001-use-mysql-for-orders.md)\n\n"
        "Relates to [ADR-0003](0003.md)\n\n"
        "Amended by [3. Keep it](0003-keep-it.md)\n\n## Context\n\n"
    )


def test_madr_files_carry_madr_front_matter_and_sections() -> None:
    _, text = render_adr(make_log()[1], fmt="madr")
    assert text.startswith(
        "---\nstatus: accepted\ndate: 2020-11-27\ndecision-makers:\n- Ana Lima\n- Jonas Becker\n"
    )
    for heading in (
        "# Move the orders service to PostgreSQL",
        "## Context and Problem Statement",
        "## Considered Options",
        "## Decision Outcome",
        "### Consequences",
        "## Pros and Cons of the Options",
        "* Good, because jsonb with GIN indexes",
        "* Supersedes [ADR-0001](0001-use-mysql-for-orders.md)",
    ):
        assert f"\n{heading}\n" in text
    assert "&" not in text.split("\n---\n")[0]  # no YAML anchors for the reader to refuse


def test_reverse_links_are_written_on_the_older_record(tmp_path: Path) -> None:
    write_adr_directory(make_log(), tmp_path, fmt="nygard")
    text = (tmp_path / "0001-use-mysql-for-orders.md").read_text(encoding="utf-8")
    assert "Superseded by [2. Move the orders service to PostgreSQL](0002-move-the-" in text
    newer = (tmp_path / adr_file_name(2, make_content().title)).read_text(encoding="utf-8")
    assert "Amended by [3. Keep reporting on the replica" in newer
    third = adr_file_name(3, "Keep reporting on the replica: yes/no? #1 [draft]")
    assert "Relates to" not in (tmp_path / third).read_text(encoding="utf-8")


def test_file_names_are_padded_slugs() -> None:
    assert adr_file_name(7, "Split the monolith!") == "0007-split-the-monolith.md"
    assert adr_file_name(12, "Büy a wörkflow engine") == "0012-buy-a-workflow-engine.md"
    assert adr_file_name(3, "???") == "0003-decision.md"
    assert adr_file_name(12345, "x" * 100) == f"12345-{'x' * 60}.md"


def test_writing_into_a_non_empty_directory_is_refused_unless_asked(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(InvalidInput, match="is not empty"):
        write_adr_directory(make_log(), tmp_path, fmt="madr")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["notes.txt"]
    paths = write_adr_directory(make_log(), tmp_path, fmt="madr", overwrite=True)
    assert [path.name[:4] for path in paths] == ["0001", "0002", "0003", "0012"]


def test_overwriting_never_writes_through_a_symbolic_link(tmp_path: Path) -> None:
    outside = tmp_path / "outside.md"
    outside.write_text("untouched", encoding="utf-8")
    target = tmp_path / "out"
    target.mkdir()
    os.symlink(outside, target / "0001-use-mysql-for-orders.md")
    write_adr_directory(make_log(), target, fmt="nygard", overwrite=True)
    assert outside.read_text(encoding="utf-8") == "untouched"
    assert not (target / "0001-use-mysql-for-orders.md").is_symlink()


def test_two_decisions_with_one_number_are_refused(tmp_path: Path) -> None:
    log = make_log()
    with pytest.raises(InvalidInput, match="share a number"):
        write_adr_directory([log[0], dataclasses.replace(log[1], number=1)], tmp_path, fmt="madr")


def test_an_unknown_format_is_refused() -> None:
    with pytest.raises(InvalidInput, match="unknown"):
        render_adr(make_log()[0], fmt="asciidoc")  # type: ignore[arg-type]


def test_an_export_record_is_built_from_a_stored_decision() -> None:
    decision = Decision(
        id=40,
        workspace_id=1,
        number=5,
        status=DecisionStatus.ACCEPTED,
        content=make_content(),
        version=3,
        created_at=datetime(2024, 3, 1, tzinfo=UTC),
        decided_at=datetime(2024, 3, 5, 23, 30, tzinfo=UTC),
        links=(
            DecisionLink(LinkKind.SUPERSEDES, 2, "Old", outgoing=True),
            DecisionLink(LinkKind.SUPERSEDES, 9, "Newer", outgoing=False),
        ),
    )
    record = AdrExportRecord.from_decision(decision)
    assert (record.number, record.status, record.decided_on) == (
        5,
        DecisionStatus.ACCEPTED,
        date(2024, 3, 5),
    )
    assert record.links == ((LinkKind.SUPERSEDES, 2, "Old"),)
    assert record.incoming == ((LinkKind.SUPERSEDES, 9, "Newer"),)


@pytest.mark.parametrize("fmt", ["madr", "nygard"])
def test_a_title_with_a_line_break_is_written_on_one_line(tmp_path: Path, fmt: Any) -> None:
    record = AdrExportRecord(
        1, DecisionStatus.PROPOSED, None, DecisionContent(title="Pick a\nqueue", area="vendor")
    )
    write_adr_directory([record], tmp_path, fmt=fmt)
    assert read_adr_directory(tmp_path).records[0].content.title == "Pick a queue"
