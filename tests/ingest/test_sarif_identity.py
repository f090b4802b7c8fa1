"""A SARIF finding in code is the same finding from scan to scan while its rule, its file and
the tool's fingerprint stay, wherever its line moves: first seen once, fixed when a scan no
longer has it, so time to patch is not cut short by an edit above it."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from quarterdeck.domain.engineering import Finding
from quarterdeck.domain.errors import InvalidInput
from quarterdeck.domain.findings import ImportedScan, track
from quarterdeck.ingest.scans import read_scan

T0 = datetime(2026, 2, 2, 9, tzinfo=UTC)
REPOSITORY = "https://git.test/acme/app"


def result(line: int, *, uri: str = "app/db.py", **fields: Any) -> dict[str, Any]:
    place = {"artifactLocation": {"uri": uri}, "region": {"startLine": line}}
    return {
        "ruleId": "py/sql-injection",
        "level": "error",
        "message": {"text": "SQL query built from user input"},
        "locations": [{"physicalLocation": place}],
        **fields,
    }


def sarif_scan(day: int, *results: dict[str, Any]) -> ImportedScan:
    """A CodeQL run on `day` (days after T0) with `results`, read as imported."""
    at = T0 + timedelta(days=day)
    run = {
        "tool": {"driver": {"name": "CodeQL"}},
        "invocations": [{"executionSuccessful": True, "endTimeUtc": at.isoformat()}],
        "versionControlProvenance": [{"repositoryUri": REPOSITORY}],
        "results": list(results),
    }
    data = json.dumps({"version": "2.1.0", "runs": [run]}).encode()
    return ImportedScan(read_scan(data, name=f"day-{day}.sarif"), at)


def one(*results: dict[str, Any]) -> Finding:
    (finding,) = sarif_scan(0, *results).report.findings
    return finding


LINE_HASH = {"partialFingerprints": {"primaryLocationLineHash": "5f1d3c1a9e0b7a42:1"}}


@pytest.mark.parametrize("prints", [LINE_HASH, {}], ids=["fingerprinted", "without fingerprint"])
def test_a_finding_whose_line_moves_stays_one_finding_until_a_scan_no_longer_has_it(
    prints: dict[str, Any],
) -> None:
    scans = [
        sarif_scan(0, result(10, **prints)),
        sarif_scan(7, result(12, **prints)),
        sarif_scan(21),
    ]
    (tracked,) = track(scans[:2])
    assert (tracked.first_seen, tracked.fixed_at, tracked.episode) == (T0, None, 1)
    assert tracked.finding.title == "SQL query built from user input (line 12)"  # as last seen
    (fixed,) = track(scans)
    assert (fixed.first_seen, fixed.fixed_at) == (T0, T0 + timedelta(days=21))
    assert fixed.days_to_fix == 21


def test_the_line_is_shown_in_the_title_and_left_out_of_the_identity() -> None:
    moved = [one(result(line, **LINE_HASH)) for line in (10, 12)]
    assert [f.title for f in moved] == [
        "SQL query built from user input (line 10)",
        "SQL query built from user input (line 12)",
    ]
    assert moved[0].identity == moved[1].identity
    assert moved[0].location.startswith("app/db.py#")
    assert one(result(10)).location == "app/db.py"


def test_the_tools_fingerprint_tells_apart_two_findings_of_one_rule_in_one_file() -> None:
    other = {"partialFingerprints": {"primaryLocationLineHash": "0b8f1e2d3c4a5968:1"}}
    both = sarif_scan(0, result(10, **LINE_HASH), result(30, **other))
    first, second = both.report.findings
    assert first.identity != second.identity
    later = sarif_scan(7, result(14, **LINE_HASH))  # the one on line 30 is gone
    tracked = {t.finding.title: t.fixed_at for t in track([both, later])}
    assert tracked == {
        "SQL query built from user input (line 14)": None,
        "SQL query built from user input (line 30)": T0 + timedelta(days=7),
    }


def test_the_same_fingerprint_in_another_file_or_of_another_rule_is_another_finding() -> None:
    here = one(result(10, **LINE_HASH))
    assert one(result(10, uri="app/other.py", **LINE_HASH)).identity != here.identity
    assert one(result(10, ruleId="py/xss", **LINE_HASH)).identity != here.identity


def test_fingerprints_are_preferred_to_partial_fingerprints() -> None:
    full = {"fingerprints": {"matchBasedId/v1": "4f0c7d0b_0"}}
    first = one(result(10, **full, partialFingerprints={"primaryLocationLineHash": "aa:1"}))
    second = one(result(40, **full, partialFingerprints={"primaryLocationLineHash": "bb:1"}))
    assert first.identity == second.identity
    assert one(result(10, **LINE_HASH)).identity != first.identity


def test_a_fingerprint_that_is_not_a_string_is_refused_with_its_path() -> None:
    broken = result(10, partialFingerprints={"primaryLocationLineHash": 5})
    with pytest.raises(InvalidInput) as refused:
        one(broken)
    assert refused.value.message == (
        "day-0.sarif is not valid: runs[0].results[0].partialFingerprints."
        "primaryLocationLineHash: must be a string, not the number 5"
    )
