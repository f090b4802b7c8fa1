"""Hostile and broken input: wrong encodings, enormous files, YAML aliases, symbolic links,
too many files. Each is reported or refused with a message naming what is wrong."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from quarterdeck.domain.errors import InvalidInput
from quarterdeck.ingest.adr import AdrImport, read_adr_directory
from tests.ingest.adr_support import FIXTURES, by_source, reports

ORDINARY = """# 1. Use PostgreSQL

Date: 2021-05-05

## Status

Accepted

## Context

We need a relational database.

## Decision

PostgreSQL.

## Consequences

One engine to run.
"""


@pytest.fixture(scope="module")
def hostile() -> AdrImport:
    return read_adr_directory(FIXTURES / "hostile")


def test_a_file_that_is_not_utf8_fails_and_names_itself(hostile: AdrImport) -> None:
    entry = reports(hostile)["0001-saved-as-latin-1.markdown"]
    assert entry.outcome == "failed"
    assert entry.problems == (
        "0001-saved-as-latin-1.markdown is not UTF-8 text: line 11 has the byte 0xe9 "
        "(save the file as UTF-8 and import again)",
    )


def test_yaml_anchors_and_aliases_are_refused(hostile: AdrImport) -> None:
    entry = reports(hostile)["0002-front-matter-with-aliases.md"]
    assert entry.outcome == "failed"
    assert entry.problems == ("line 3: front matter uses a YAML anchor or alias; they are refused",)


@pytest.mark.parametrize(
    ("source", "problem"),
    [
        ("0003-unclosed-front-matter.md", "line 1: front matter opens with '---' but never closes"),
        ("0005-no-title.md", "no title: the file has no '# Title' heading"),
        (
            "0006-broken-yaml.md",
            "line 3: front matter is not valid YAML (did not find expected ',' or ']')",
        ),
    ],
)
def test_unreadable_files_fail_with_a_clear_problem(
    hostile: AdrImport, source: str, problem: str
) -> None:
    entry = reports(hostile)[source]
    assert (entry.outcome, entry.problems) == ("failed", (problem,))


def test_failures_are_listed_so_the_caller_can_refuse_the_whole_import(hostile: AdrImport) -> None:
    assert {entry.source for entry in hostile.failures} == {
        "0001-saved-as-latin-1.markdown",
        "0002-front-matter-with-aliases.md",
        "0003-unclosed-front-matter.md",
        "0005-no-title.md",
        "0006-broken-yaml.md",
    }
    assert reports(hostile)["0004-an-ordinary-record.md"].outcome == "imported"
    assert list(by_source(hostile)) == ["0004-an-ordinary-record.md"]


def test_a_file_over_the_default_size_limit_fails(tmp_path: Path) -> None:
    (tmp_path / "0001-use-postgresql.md").write_text(ORDINARY, encoding="utf-8")
    (tmp_path / "0002-enormous.md").write_bytes(b"# 2. Enormous\n\n" + b"x" * 1_000_000)
    result = read_adr_directory(tmp_path)
    entry = reports(result)["0002-enormous.md"]
    assert entry.outcome == "failed"
    assert entry.problems == (
        "0002-enormous.md is larger than 1000000 bytes, the limit for one ADR file",
    )
    assert [record.number for record in result.records] == [1]


def test_the_size_limit_can_be_lowered(tmp_path: Path) -> None:
    (tmp_path / "0001-use-postgresql.md").write_text(ORDINARY, encoding="utf-8")
    result = read_adr_directory(tmp_path, max_file_bytes=100)
    assert [entry.outcome for entry in result.report] == ["failed"]


def test_more_files_than_the_limit_refuses_the_directory(tmp_path: Path) -> None:
    for number in range(1, 5):
        (tmp_path / f"{number:04d}-decision.md").write_text(ORDINARY, encoding="utf-8")
    with pytest.raises(InvalidInput, match="more than 3 files, the limit for one ADR import"):
        read_adr_directory(tmp_path, max_files=3)


def test_a_path_that_is_not_a_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="is not a directory"):
        read_adr_directory(tmp_path / "missing")


def test_symbolic_links_are_skipped_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "0009-secret.md").write_text(ORDINARY, encoding="utf-8")
    adrs = tmp_path / "adrs"
    adrs.mkdir()
    (adrs / "0001-use-postgresql.md").write_text(ORDINARY, encoding="utf-8")
    os.symlink(outside / "0009-secret.md", adrs / "0002-linked-file.md")
    os.symlink(outside, adrs / "linked-folder")
    result = read_adr_directory(adrs)
    assert [record.source for record in result.records] == ["0001-use-postgresql.md"]
    for source in ("0002-linked-file.md", "linked-folder"):
        entry = reports(result)[source]
        assert (entry.outcome, entry.problems) == ("skipped", ("symbolic link; not followed",))


def test_hidden_folders_are_not_read(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "0001-not-an-adr.md").write_text(ORDINARY, encoding="utf-8")
    result = read_adr_directory(tmp_path)
    assert result.records == ()
    assert reports(result)[".git/"].problems == ("hidden folder; not read",)


def test_nul_characters_are_removed_and_said(tmp_path: Path) -> None:
    (tmp_path / "0001-use-postgresql.md").write_text(
        ORDINARY.replace("relational", "rela\x00tional"), encoding="utf-8"
    )
    (record,) = read_adr_directory(tmp_path).records
    assert record.content.context == "We need a relational database."
    assert "removed 1 NUL character(s)" in record.notes


def test_markdown_is_kept_as_written_for_the_renderer_to_sanitise(tmp_path: Path) -> None:
    payload = '<script>alert("x")</script> [click](javascript:alert(1))'
    (tmp_path / "0001-use-postgresql.md").write_text(
        ORDINARY.replace("We need a relational database.", payload), encoding="utf-8"
    )
    (record,) = read_adr_directory(tmp_path).records
    assert record.content.context == payload


def test_a_title_longer_than_the_limit_is_cut_and_reported(tmp_path: Path) -> None:
    (tmp_path / "0001-long.md").write_text(f"# 1. {'Long ' * 60}\n", encoding="utf-8")
    result = read_adr_directory(tmp_path)
    (record,) = result.records
    assert len(record.content.title) <= 200
    assert "title longer than 200 characters; cut to 200" in result.report[0].problems
