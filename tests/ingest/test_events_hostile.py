"""Broken and hostile event files: wrong columns, bad values, times without a zone, repeated
ids, wrong encodings, oversized files, formula cells, the wrong kind of file. Each is refused
whole, with every problem named by file, line (or JSON item) and column."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from quarterdeck.domain.errors import InvalidInput
from quarterdeck.ingest.events import (
    DEFAULT_MAX_BYTES,
    parse_costs,
    parse_deployments,
    parse_incidents,
    parse_tickets,
)
from quarterdeck.settings import Settings
from tests.ingest.test_events import fixture

NO_ZONE = (
    "has no time zone; write its offset (2024-03-01T09:00:00Z or +01:00) "
    "or import with the workspace time zone"
)


def test_unknown_columns_are_refused_by_name() -> None:
    report = parse_deployments(fixture("unknown-column.csv"), source="deploys.csv")
    assert (report.records, report.rows) == ((), 0)
    assert report.problems == (
        "deploys.csv line 1: unknown columns 'title', 'Triggered By'; accepted: deployment_id, "
        "service, environment, commit, finished_at, status",
    )


def test_missing_required_columns_are_named_with_their_other_names() -> None:
    report = parse_deployments(fixture("missing-column.csv"), source="deploys.csv")
    assert report.problems == (
        "deploys.csv line 1: missing required column environment (or env, stage)",
        "deploys.csv line 1: missing required column status (or result, outcome, state)",
    )


def test_a_file_without_a_header_line_is_refused() -> None:
    data = b"d-1,checkout,production,9fceb02,2024-03-04T09:07:31Z,success\n"
    assert parse_deployments(data, source="d.csv").problems == (
        "d.csv line 1: no column of deployments found ('d-1', 'checkout', 'production', "
        "'9fceb02', ...); the first line must be a header naming the columns: deployment_id, "
        "service, environment, commit, finished_at, status",
    )


def test_two_columns_naming_the_same_thing_are_refused() -> None:
    data = b"incident_number,id,service,severity,started_at\n"
    assert parse_incidents(data, source="i.csv").problems == (
        "i.csv line 1: columns incident_number and id both give incident_id",
    )


def test_every_bad_value_is_listed_and_no_record_is_kept() -> None:
    report = parse_incidents(fixture("bad-values.csv"), source="incidents.csv")
    assert report.records == ()
    assert report.rows == 3
    assert report.problems == (
        "incidents.csv line 2: column started_at: '04/03/2024 09:12' is not an ISO 8601 time "
        "such as 2024-03-01T09:00:00Z",
        "incidents.csv line 3: column acknowledged_at: 2024-03-04T11:59:00Z is before "
        "started_at (2024-03-04T12:00:00Z)",
        "incidents.csv line 3: column resolved_at: 2024-03-04T11:00:00Z is before started_at "
        "(2024-03-04T12:00:00Z)",
        "incidents.csv line 3: column cause_commit: 'not-a-sha' is not a commit sha "
        "(7 to 40 or 64 hex digits)",
        "incidents.csv line 4: column service: is empty; a value is required",
        "incidents.csv line 4: column started_at: '2024-03-05' is a date without a time of "
        "day; write a time such as 2024-03-01T09:00:00Z",
    )


def test_times_without_a_zone_are_refused_when_no_zone_is_given() -> None:
    report = parse_tickets(fixture("naive-times.csv"), source="tickets.csv")
    assert report.records == ()
    assert report.problems == (
        f"tickets.csv line 2: column opened_at: '2024-03-04 09:00' {NO_ZONE}",
        f"tickets.csv line 2: column resolved_at: '2024-03-04 17:45' {NO_ZONE}",
        f"tickets.csv line 3: column opened_at: '2024-03-31T02:30:00' {NO_ZONE}",
    )


def test_times_without_a_zone_are_read_in_the_given_zone_and_the_report_says_so() -> None:
    report = parse_tickets(fixture("naive-times.csv"), source="tickets.csv", zone="Europe/London")
    assert report.ok
    first, second = report.records
    assert first.opened_at == datetime(2024, 3, 4, 9, 0, tzinfo=UTC)  # GMT in March
    assert first.first_response_at == datetime(2024, 3, 4, 9, 30, tzinfo=UTC)  # had +01:00
    assert first.resolved_at == datetime(2024, 3, 4, 17, 45, tzinfo=UTC)
    assert second.opened_at == datetime(2024, 3, 31, 1, 30, tzinfo=UTC)  # BST began at 01:00
    assert report.notes == (
        "times without a zone were read as Europe/London time: 3 values, the first at line 2, "
        "column opened_at",
    )


def test_a_local_time_the_clocks_skipped_or_repeated_is_refused() -> None:
    skipped = parse_tickets(fixture("naive-times.csv"), source="t.csv", zone="Europe/Paris")
    assert skipped.problems == (
        "t.csv line 3: column opened_at: '2024-03-31T02:30:00' does not exist in Europe/Paris "
        "(clocks changed); write its offset",
    )
    repeated = b"ticket_id,priority,opened_at\nT-9,P1,2024-10-27T02:30\n"
    assert parse_tickets(repeated, source="t.csv", zone="Europe/Paris").problems == (
        "t.csv line 2: column opened_at: '2024-10-27T02:30' happens twice in Europe/Paris "
        "(clocks changed); write its offset",
    )


def test_an_unknown_zone_is_the_callers_error() -> None:
    with pytest.raises(InvalidInput, match="unknown time zone 'Mars/Olympus_Mons'"):
        parse_tickets(b"", source="t.csv", zone="Mars/Olympus_Mons")


def test_duplicate_ids_are_refused_with_the_line_first_holding_them() -> None:
    report = parse_tickets(fixture("duplicate-ids.csv"), source="tickets.csv")
    assert report.problems == (
        "tickets.csv line 4: column ticket_id: 'T-1' is already on line 2; ids must be unique",
        "tickets.csv line 5: column ticket_id: 'T-1' is already on line 2; ids must be unique",
    )
    incidents = b"id,service,severity,started_at\n" + b"I-1,api,SEV1,2024-03-04T09:00:00Z\n" * 2
    assert parse_incidents(incidents, source="i.csv").problems == (
        "i.csv line 3: column id: 'I-1' is already on line 2; ids must be unique",
    )


def test_a_file_that_is_not_utf8_is_refused_with_the_line_of_the_bad_byte() -> None:
    report = parse_tickets(fixture("tickets-latin-1.csv"), source="tickets.csv")
    assert report.problems == (
        "tickets.csv is not UTF-8 text: line 3 has the byte 0xe9 "
        "(save the file as UTF-8 and import again)",
    )


@pytest.mark.parametrize(
    ("start", "what"),
    [
        (b"\xff\xfe", "UTF-16 text"),
        (b"PK\x03\x04", "a spreadsheet workbook or another zip archive"),
        (b"\xd0\xcf\x11\xe0", "an old Excel workbook (.xls)"),
    ],
)
def test_a_workbook_or_utf16_file_is_named_for_what_it_is(start: bytes, what: str) -> None:
    assert parse_costs(start + b"\x00" * 64, source="costs.xlsx").problems == (
        f"costs.xlsx is {what}; save it as CSV UTF-8 (or JSON) and import again",
    )


def test_a_file_over_a_lowered_limit_is_refused_before_it_is_read() -> None:
    header = b"deployment_id,service,environment,commit,finished_at,status\n"
    row = b"d-1,api,production,9fceb02,2024-03-04T09:07:31Z,success\n"
    data = header + row * 20
    report = parse_deployments(data, source="big.csv", max_bytes=len(data) - 1)
    assert report.problems == (
        f"big.csv is {len(data):,} bytes, more than the import limit of {len(data) - 1:,} "
        "bytes (QUARTERDECK_IMPORT_MAX_BYTES)",
    )
    assert report.rows == 0
    assert parse_deployments(data, source="big.csv", max_bytes=len(data)).ok


def test_the_readers_default_limit_is_the_settings_default() -> None:
    assert Settings.model_fields["import_max_bytes"].default == DEFAULT_MAX_BYTES


def test_a_file_over_eight_mib_is_read_when_the_limit_allows_it() -> None:
    item = {
        "deployment_id": "d-1",
        "service": "api",
        "environment": "production",
        "finished_at": "2024-03-04T09:07:31Z",
        "status": "success",
    }
    # Whitespace after the document: a large file that stays quick to read.
    data = json.dumps({"items": [item]}).encode() + b" " * (9 * 2**20)
    report = parse_deployments(data, source="big.json", max_bytes=16 * 2**20)
    assert (report.problems, report.rows) == ((), 1)


def test_a_file_over_the_row_limit_is_refused() -> None:
    data = b"period,category,amount\n" + b"".join(
        f"2024-{month:02},compute,10\n".encode() for month in range(1, 13)
    )
    assert parse_costs(data, source="costs.csv", max_rows=10).problems == (
        "costs.csv line 12: more than 10 rows, the limit",
    )


def test_formula_looking_cells_are_kept_as_inert_text() -> None:
    report = parse_incidents(fixture("formula-cells.csv"), source="incidents.csv")
    assert report.ok
    first, second = report.records
    assert first.incident_id == "=cmd|' /C calc'!A0"
    assert first.service == '=HYPERLINK("http://evil.example/","click")'
    assert first.severity == "@SUM(1+1)"
    assert (second.incident_id, second.service, second.severity) == ("+INC-2", "-api", "=1+2")


def test_a_sarif_report_given_as_deployments_is_named_for_what_it_is() -> None:
    report = parse_deployments(fixture("sarif-report.json"), source="results.sarif")
    assert report.problems == (
        "results.sarif looks like a SARIF report, not a list of deployments; expected a JSON "
        'object {"items": [...]} holding the deployments',
    )


def test_an_incident_export_given_as_deployments_names_the_columns_found() -> None:
    report = parse_deployments(fixture("incidents-pagerduty.csv"), source="deploys.csv")
    assert report.problems == (
        "deploys.csv line 1: no column of deployments found ('incident_number', 'service_name', "
        "'urgency', 'created_on', ...); the first line must be a header naming the columns: "
        "deployment_id, service, environment, commit, finished_at, status",
    )
