"""Small helpers for the ADR tests: where the fixtures are, and reading one file."""

from __future__ import annotations

from pathlib import Path

from quarterdeck.ingest.adr import AdrImport, FileReport, ImportedAdr, read_adr_directory

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def by_source(result: AdrImport) -> dict[str, ImportedAdr]:
    return {record.source: record for record in result.records}


def reports(result: AdrImport) -> dict[str, FileReport]:
    return {entry.source: entry for entry in result.report}


def read_one(folder: Path, text: str, name: str = "0001-a-decision.md") -> ImportedAdr:
    """Write one ADR into an empty folder and read it back; the file must import."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    result = read_adr_directory(folder)
    assert not result.failures, result.failures
    (record,) = result.records
    return record
