"""The rules for single cells (times, numbers, whole numbers, yes/no, shas, months, text)
and for the shape of CSV and JSON files, each with the exact message a person would see."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from quarterdeck.domain.engineering import DeploymentStatus
from quarterdeck.ingest.events import parse_costs, parse_deployments, parse_tickets

DEPLOY_HEADER = "deployment_id,service,environment,finished_at,status"


def deploy_problems(*rows: str) -> tuple[str, ...]:
    data = "\n".join((DEPLOY_HEADER, *rows)) + "\n"
    return parse_deployments(data.encode(), source="d.csv").problems


def json_problems(document: str) -> tuple[str, ...]:
    return parse_deployments(document.encode(), source="d.json").problems


def cost_problems(row: str) -> tuple[str, ...]:
    data = f"period,category,amount,forecast,customers,transactions\n{row}\n"
    return parse_costs(data.encode(), source="c.csv").problems


def ticket_problems(row: str) -> tuple[str, ...]:
    data = f"ticket_id,priority,opened_at,csat,contacts,reopened,response_target_hours\n{row}\n"
    return parse_tickets(data.encode(), source="t.csv").problems


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("2024-03-04T09:00:00Z", datetime(2024, 3, 4, 9, tzinfo=UTC)),
        ("2024-03-04T09:00:00.250+00:00", datetime(2024, 3, 4, 9, 0, 0, 250_000, tzinfo=UTC)),
        ("2024-03-04 10:00:00+01:00", datetime(2024, 3, 4, 9, tzinfo=UTC)),
        ("2024-03-04T04:30-04:30", datetime(2024, 3, 4, 9, tzinfo=UTC)),
    ],
)
def test_iso_times_with_an_offset_are_read_as_utc(written: str, expected: datetime) -> None:
    data = f"{DEPLOY_HEADER}\nd-1,api,production,{written},success\n".encode()
    (deployment,) = parse_deployments(data, source="d.csv").records_or_raise()
    assert deployment.finished_at == expected
    assert deployment.finished_at.tzinfo is UTC


ISO = "is not an ISO 8601 time such as 2024-03-01T09:00:00Z"
RANGE = "is out of range (years 1970 to 2100)"


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("04/03/2024 09:00", f"'04/03/2024 09:00' {ISO}"),
        ("2024-02-30T09:00:00Z", f"'2024-02-30T09:00:00Z' {ISO}"),
        (
            "2024-03-04",
            "'2024-03-04' is a date without a time of day; write a time such as "
            "2024-03-01T09:00:00Z",
        ),
        ("1969-12-31T23:59:59Z", f"'1969-12-31T23:59:59Z' {RANGE}"),
        ("0001-01-01T00:00:00+01:00", f"'0001-01-01T00:00:00+01:00' {RANGE}"),
    ],
)
def test_a_bad_time_is_named_with_its_line_and_column(written: str, message: str) -> None:
    assert deploy_problems(f"d-1,api,production,{written},success") == (
        f"d.csv line 2: column finished_at: {message}",
    )


def test_a_status_that_is_not_a_finished_outcome_is_refused() -> None:
    assert deploy_problems("d-1,api,production,2024-03-04T09:00:00Z,cancelled") == (
        "d.csv line 2: column status: 'cancelled' is not the status of a finished deployment; "
        "write success or failure (or succeeded, ok, failed, error)",
    )


@pytest.mark.parametrize(
    ("sha", "kept"),
    [
        ("9fceb02", "9fceb02"),
        ("E83C5163316F89BFBDE7D9AB23CA2E25604AF290", "e83c5163316f89bfbde7d9ab23ca2e25604af290"),
        ("a" * 64, "a" * 64),
    ],
)
def test_commit_shas_of_7_to_40_or_64_hex_digits_are_kept_in_lower_case(
    sha: str, kept: str
) -> None:
    data = f"{DEPLOY_HEADER},commit\nd-1,api,production,2024-03-04T09:00:00Z,ok,{sha}\n"
    (deployment,) = parse_deployments(data.encode(), source="d.csv").records_or_raise()
    assert deployment.commit == kept


@pytest.mark.parametrize("sha", ["9fceb0", "g" * 40, "a" * 41, "a" * 63, "9fceb02 (main)"])
def test_anything_else_is_not_a_commit_sha(sha: str) -> None:
    data = f"{DEPLOY_HEADER},commit\nd-1,api,production,2024-03-04T09:00:00Z,ok,{sha}\n"
    (problem,) = parse_deployments(data.encode(), source="d.csv").problems
    assert problem.startswith("d.csv line 2: column commit: '")
    assert problem.endswith(" is not a commit sha (7 to 40 or 64 hex digits)")


def test_text_cells_refuse_control_characters_and_great_length() -> None:
    long_name = "x" * 201
    assert deploy_problems(
        f"d-1,{long_name},production,2024-03-04T09:00:00Z,ok",
        'd-2,"two\nlines",production,2024-03-04T09:00:00Z,ok',
        "d-3,a\x00b,production,2024-03-04T09:00:00Z,ok",
    ) == (
        "d.csv line 2: column service: is longer than 200 characters",
        "d.csv line 3: column service: contains a control character (U+000A)",
        "d.csv line 4: column service: contains a control character (U+0000)",
    )


def test_amounts_are_plain_non_negative_decimals() -> None:
    assert cost_problems("2024-03,compute,NaN,-5,1.5,-2") == (
        "c.csv line 2: column amount: 'NaN' is not a number such as 1234.56",
        "c.csv line 2: column forecast: '-5' must be at least zero",
        "c.csv line 2: column customers: '1.5' is not a whole number",
        "c.csv line 2: column transactions: '-2' is out of range; must be at least 0",
    )
    assert cost_problems('2024-03,compute,"1,234.50",Infinity,,') == (
        "c.csv line 2: column amount: '1,234.50' is not a number such as 1234.56",
        "c.csv line 2: column forecast: 'Infinity' is not a number such as 1234.56",
    )


@pytest.mark.parametrize(
    ("written", "problem"),
    [
        ("2024-3", "'2024-3' is not a month such as 2024-03 or 2024-03-01"),
        ("2024-13", "'2024-13' is not a month such as 2024-03 or 2024-03-01"),
        ("March 2024", "'March 2024' is not a month such as 2024-03 or 2024-03-01"),
        ("2024-03-15", "'2024-03-15' is not the first day of a month; write its month"),
    ],
)
def test_the_period_is_a_month(written: str, problem: str) -> None:
    assert cost_problems(f"{written},compute,10,,,") == (f"c.csv line 2: column period: {problem}",)


def test_a_month_and_category_appear_once_in_a_cost_file() -> None:
    data = b"period,category,amount\n2024-02,compute,1\n2024-02-01,compute,2\n2024-02,storage,3\n"
    assert parse_costs(data, source="c.csv").problems == (
        "c.csv line 3: month 2024-02 and category 'compute' are already on line 2; "
        "give one row per month and category",
    )


def test_a_cost_file_holds_one_currency() -> None:
    data = b"period,category,amount,currency\n2024-02,compute,1,EUR\n2024-03,compute,2,usd\n"
    assert parse_costs(data, source="c.csv").problems == (
        "c.csv line 3: column currency: USD differs from EUR on line 2; use one currency",
    )


def test_ticket_scores_counts_flags_and_targets_are_checked() -> None:
    assert ticket_problems("T-1,P1,2024-03-04T09:00:00Z,6,-1,maybe,0") == (
        "t.csv line 2: column response_target_hours: '0' must be above zero",
        "t.csv line 2: column reopened: 'maybe' is not yes/no, true/false or 1/0",
        "t.csv line 2: column csat: '6' is out of range; must be from 1 to 5",
        "t.csv line 2: column contacts: '-1' is out of range; must be at least 0",
    )


@pytest.mark.parametrize(("written", "reopened"), [("YES", True), ("1", True), ("False", False)])
def test_yes_no_true_false_and_1_0_are_flags(written: str, reopened: bool) -> None:
    data = f"ticket_id,priority,opened_at,reopened\nT-1,P1,2024-03-04T09:00:00Z,{written}\n"
    (ticket,) = parse_tickets(data.encode(), source="t.csv").records_or_raise()
    assert ticket.reopened is reopened


def test_the_first_response_and_resolution_come_after_the_opening() -> None:
    data = (
        b"ticket_id,priority,opened_at,first_response_at,resolved_at\n"
        b"T-1,P1,2024-03-04T09:00:00Z,2024-03-04T08:59:59Z,2024-03-03T09:00:00Z\n"
    )
    assert parse_tickets(data, source="t.csv").problems == (
        "t.csv line 2: column first_response_at: 2024-03-04T08:59:59Z is before opened_at "
        "(2024-03-04T09:00:00Z)",
        "t.csv line 2: column resolved_at: 2024-03-03T09:00:00Z is before opened_at "
        "(2024-03-04T09:00:00Z)",
    )


# --- The shape of the file --------------------------------------------------------------


def test_semicolon_and_tab_separated_files_are_read_and_the_report_says_so() -> None:
    for mark, name in ((";", "semicolon"), ("\t", "tab")):
        data = f"{DEPLOY_HEADER}\nd-1,api,prod,2024-03-04T09:00:00Z,ok\n".replace(",", mark)
        report = parse_deployments(data.encode(), source="d.csv")
        assert (len(report.records), report.notes) == (1, (f"read as {name}-separated",))


def test_csv_rows_must_fit_the_header_and_quotes_must_close() -> None:
    assert deploy_problems("d-1,api,prod,2024-03-04T09:00:00Z,ok,extra") == (
        "d.csv line 2: has 6 cells, but the header names 5 columns",
    )
    assert deploy_problems('d-1,"api,prod,2024-03-04T09:00:00Z,ok') == (
        "d.csv line 2: not readable as CSV (unexpected end of data)",
    )
    assert deploy_problems("d-1,api,prod,2024-03-04T09:00:00Z") == (
        "d.csv line 2: column status: is empty; a value is required",
    )


def test_blank_lines_are_skipped_but_still_counted_as_a_spreadsheet_counts_them() -> None:
    assert deploy_problems("", "d-1,api,prod,yesterday,ok") == (
        "d.csv line 3: column finished_at: 'yesterday' is not an ISO 8601 time such as "
        "2024-03-01T09:00:00Z",
    )


def test_an_empty_file_is_refused_and_a_header_alone_gives_no_records() -> None:
    assert parse_deployments(b" \n", source="d.csv").problems == (
        "d.csv is empty; expected a header line naming the columns",
    )
    report = parse_deployments(f"{DEPLOY_HEADER}\n".encode(), source="d.csv")
    assert (report.ok, report.records, report.rows) == (True, (), 0)


EXPECTED = 'expected a JSON object {"items": [...]} holding the deployments'


@pytest.mark.parametrize(
    ("document", "problem"),
    [
        (
            '[{"id": "d-1"}]',
            'd.json must be a JSON object {"items": [...]} holding the deployments, not a list',
        ),
        ('{"rows": []}', f'd.json has no "items" list; {EXPECTED}'),
        ('{"items": {"id": "d-1"}}', 'd.json: "items" must be a list of objects, not an object'),
        (
            '{"items": [], "source": "ci"}',
            'd.json: unknown top-level key \'source\'; expected only "items" and "kind"',
        ),
        (
            '{"kind": "incidents", "items": []}',
            "d.json says it holds 'incidents' (\"kind\"), not deployments",
        ),
        ('{"items": [1,}', "d.json is not valid JSON: Expecting value at line 1, column 14"),
        (
            '{"items": [], "items": []}',
            "d.json is not valid JSON: the key 'items' appears twice in one object",
        ),
        ('{"items": [{"id": NaN}]}', "d.json is not valid JSON: NaN is not allowed in JSON"),
        ("[" * 100_000 + "]" * 100_000, "d.json is nested too deeply to read"),
        ('{"items": ["d-1"]}', "d.json items[0]: must be an object, not text"),
    ],
)
def test_a_json_file_must_be_an_object_holding_items(document: str, problem: str) -> None:
    assert json_problems(document) == (problem,)


def test_json_items_are_checked_field_by_field() -> None:
    document = """{"items": [
        {"id": "d-1", "deployId": "d-2", "service": {"name": "api"}, "environment": "prod",
         "finishedAt": 1709283600, "status": "ok", "title": "release 41"},
        {"id": "d-3", "title": "release 42", "service": "api", "environment": "prod",
         "finished_at": "2024-03-04T09:00:00Z"}
    ]}"""
    assert json_problems(document) == (
        "d.json items[0]: fields id and deployId both give deployment_id",
        "d.json items[0]: unknown field 'title'",
        "d.json items[0]: field service: must be text, not an object",
        "d.json items[0]: field finishedAt: must be a time as text, such as "
        "2024-03-01T09:00:00Z, not 1709283600",
        "d.json items[1]: field status: is missing",
    )


def test_json_values_of_the_right_type_are_read() -> None:
    document = """{"kind": "deployments", "items": [{"deployment_id": 8812231, "service": "api",
        "environment": "prod", "finished_at": "2024-03-04T09:00:00Z", "status": "FAILED"}]}"""
    (deployment,) = parse_deployments(document.encode(), source="d.json").records_or_raise()
    assert (deployment.deployment_id, deployment.status) == ("8812231", DeploymentStatus.FAILURE)
    costs = b'{"items": [{"period": "2024-02", "category": "c", "amount": 12.1, "customers": 4}]}'
    (line,) = parse_costs(costs, source="c.json").records_or_raise()
    assert (line.period, line.amount, line.customers) == (date(2024, 2, 1), Decimal("12.1"), 4)


def test_listing_stops_after_two_hundred_problems() -> None:
    rows = [f"d-{number},api,prod,soon,ok" for number in range(500)]
    problems = deploy_problems(*rows)
    assert len(problems) == 201
    assert problems[-1] == "d.csv: more than 200 problems; stopped"
    wide = [f"d-{number},api,prod,2024-03-04T09:00:00Z,ok,extra" for number in range(500)]
    assert len(deploy_problems(*wide)) == 201
