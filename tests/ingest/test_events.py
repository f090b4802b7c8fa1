"""Realistic exports of each kind read into records: a PagerDuty-like and an Opsgenie-like
incident CSV, a service-desk export (Excel's BOM and CRLF), a cloud cost CSV and deployment
events posted as JSON."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from quarterdeck.domain.engineering import (
    CostLine,
    Deployment,
    DeploymentSource,
    DeploymentStatus,
    Incident,
    Ticket,
)
from quarterdeck.domain.errors import InvalidInput
from quarterdeck.ingest.events import (
    SlaTarget,
    parse_costs,
    parse_deployments,
    parse_incidents,
    parse_tickets,
)

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "events"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def test_a_pagerduty_incident_export_is_read_with_its_own_column_names() -> None:
    report = parse_incidents(fixture("incidents-pagerduty.csv"), source="incidents.csv")
    assert report.ok
    assert (report.kind, report.rows) == ("incidents", 4)
    assert report.records == (
        Incident(
            incident_id="1842",
            service="checkout-api",
            severity="high",
            started_at=utc("2024-03-04T09:12:44"),
            acknowledged_at=utc("2024-03-04T09:14:02"),
            resolved_at=utc("2024-03-04T10:03:19"),
            cause_deployment="deploy-2024-03-04-0907",
        ),
        Incident(
            incident_id="1843",
            service="search",
            severity="low",
            started_at=utc("2024-03-05T21:40:00"),
            acknowledged_at=utc("2024-03-05T22:05:10"),
            resolved_at=utc("2024-03-06T00:15:00"),
        ),
        Incident(
            incident_id="1847",
            service="checkout-api",
            severity="high",
            started_at=utc("2024-03-11T14:00:05"),
            acknowledged_at=utc("2024-03-11T14:00:50"),
            resolved_at=utc("2024-03-11T14:31:40"),
            cause_commit="9fceb02d0ae598e95dc970b74767f19372d61af8",
        ),
        Incident(
            incident_id="1850",
            service="payments",
            severity="high",
            started_at=utc("2024-03-19T03:17:00"),
        ),
    )
    assert report.notes == (
        "columns read under other names: incident_number as incident_id, service_name as "
        "service, urgency as severity, created_on as started_at, acknowledged_on as "
        "acknowledged_at, resolved_on as resolved_at",
    )


def test_camel_case_headers_of_an_opsgenie_export_are_read() -> None:
    report = parse_incidents(fixture("incidents-opsgenie.csv"), source="alerts.csv")
    assert report.ok
    assert [(incident.incident_id, incident.severity) for incident in report.records] == [
        ("OG-311", "P2"),
        ("OG-312", "P1"),
    ]
    assert report.records[1].started_at == utc("2024-04-09T21:20:00")  # -04:00 made UTC
    assert report.notes == (
        "columns read under other names: Id as incident_id, Priority as severity, "
        "CreatedAt as started_at, ClosedAt as resolved_at",
    )


def test_a_service_desk_export_saved_by_excel_is_read() -> None:
    data = fixture("tickets-service-desk.csv")
    assert data.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in data
    report = parse_tickets(data, source="tickets.csv")
    assert report.ok
    first, second, third, fourth = report.records
    assert first == Ticket(
        ticket_id="4101",
        priority="Urgent",
        opened_at=utc("2024-03-01T08:05:00"),
        first_response_at=utc("2024-03-01T08:20:00"),
        resolved_at=utc("2024-03-01T11:00:00"),
        reopened=False,
        csat=5,
        contacts=1,
    )
    assert (second.reopened, second.csat, second.contacts) == (True, 2, 4)
    assert (third.reopened, third.resolved_at, third.csat) == (False, None, None)
    assert fourth == Ticket(ticket_id="4104", priority="Low", opened_at=utc("2024-03-03T10:00"))


def test_sla_targets_per_priority_fill_the_rows_that_carry_none() -> None:
    targets = {
        "urgent": SlaTarget(Decimal(1), Decimal(8)),
        "HIGH": SlaTarget(Decimal(4), Decimal(24)),
        "Normal": SlaTarget(response_hours=Decimal(8)),
    }
    report = parse_tickets(
        fixture("tickets-service-desk.csv"), source="tickets.csv", targets=targets
    )
    assert [
        (ticket.priority, ticket.response_target_hours, ticket.resolution_target_hours)
        for ticket in report.records
    ] == [
        ("Urgent", Decimal(1), Decimal(8)),
        ("High", Decimal(4), Decimal(24)),
        ("Normal", Decimal(8), None),
        ("Low", None, None),
    ]
    assert report.notes[-1] == (
        "no SLA targets given for the priorities Low (1); only the rows' own are used"
    )


def test_sla_targets_written_in_the_rows_win_over_the_mapping() -> None:
    report = parse_tickets(
        fixture("tickets-with-targets.csv"),
        source="itsm.csv",
        targets={"P1": SlaTarget(Decimal(1), Decimal(24)), "P3": SlaTarget(Decimal(2))},
    )
    assert [
        (ticket.response_target_hours, ticket.resolution_target_hours, ticket.reopened)
        for ticket in report.records
    ] == [(Decimal("0.5"), Decimal(4), False), (Decimal(8), Decimal(72), True)]
    assert report.records[0].opened_at == utc("2024-05-06T07:00:00")


def test_an_sla_target_must_be_hours_above_zero() -> None:
    with pytest.raises(InvalidInput, match="above zero: 0"):
        SlaTarget(response_hours=Decimal(0))


def test_a_cloud_cost_export_gives_one_line_per_month_and_category() -> None:
    report = parse_costs(fixture("costs-cloud.csv"), source="costs.csv")
    assert report.ok
    assert report.records[0] == CostLine(
        period=date(2024, 1, 1),
        category="Compute",
        amount=Decimal("18250.40"),
        forecast=Decimal(18000),
        customers=412,
        transactions=1_934_000,
    )
    assert report.records[3].forecast is None
    assert report.records[4].period == date(2024, 3, 1)  # written 2024-03-01
    assert report.notes == (
        "columns read under other names: Month as period, Service as category, Cost as amount",
        "amounts are in EUR",
    )


def test_deployment_events_in_json_keep_every_row_of_a_retried_deployment() -> None:
    report = parse_deployments(fixture("deployments-events.json"), source="deploys.json")
    assert report.ok
    assert report.records[:3] == (
        Deployment(
            deployment_id="gha-8812231",
            service="checkout-api",
            environment="production",
            commit="9fceb02d0ae598e95dc970b74767f19372d61af8",
            finished_at=utc("2024-03-04T09:07:31"),
            status=DeploymentStatus.SUCCESS,
            source=DeploymentSource.IMPORT,
        ),
        Deployment(
            deployment_id="gha-8812240",
            service="checkout-api",
            environment="production",
            commit="1a2b3c4d5e6f",
            finished_at=utc("2024-03-04T12:02:10"),
            status=DeploymentStatus.FAILURE,
            source=DeploymentSource.IMPORT,
        ),
        Deployment(
            deployment_id="gha-8812240",
            service="checkout-api",
            environment="production",
            commit="1a2b3c4d5e6f",
            finished_at=utc("2024-03-04T12:40:55"),
            status=DeploymentStatus.SUCCESS,
            source=DeploymentSource.IMPORT,
        ),
    )
    assert (report.records[3].commit, report.records[3].status) == (None, DeploymentStatus.SUCCESS)
    assert report.notes == ("columns read under other names: commitSha as commit",)


def test_deployments_read_from_csv_and_json_are_the_same_records() -> None:
    csv_report = parse_deployments(fixture("deployments.csv"), source="deploys.csv")
    json_text = (
        '{"items": [{"deployment_id": "d-101", "service": "checkout-api", '
        '"environment": "production", "commit": "9FCEB02", '
        '"finished_at": "2024-03-04T09:07:31Z", "status": "Success"}]}'
    )
    json_report = parse_deployments(json_text.encode(), source="deploys.json")
    assert csv_report.notes == json_report.notes == ()
    assert json_report.records == csv_report.records[:1]


@pytest.mark.parametrize(
    ("word", "status"),
    [
        ("success", DeploymentStatus.SUCCESS),
        ("Succeeded", DeploymentStatus.SUCCESS),
        ("OK", DeploymentStatus.SUCCESS),
        ("passed", DeploymentStatus.SUCCESS),
        ("failure", DeploymentStatus.FAILURE),
        ("FAILED", DeploymentStatus.FAILURE),
        ("error", DeploymentStatus.FAILURE),
    ],
)
def test_common_status_words_are_understood(word: str, status: DeploymentStatus) -> None:
    data = f"id,service,env,finished_at,status\nd-1,api,prod,2024-03-04T09:00:00Z,{word}\n"
    (deployment,) = parse_deployments(data.encode(), source="d.csv").records_or_raise()
    assert deployment.status is status


def test_a_report_with_problems_raises_when_its_records_are_asked_for() -> None:
    report = parse_incidents(fixture("bad-values.csv"), source="bad.csv")
    with pytest.raises(InvalidInput) as raised:
        report.records_or_raise()
    assert raised.value.message.startswith(
        "bad.csv was not imported: bad.csv line 2: column started_at: '04/03/2024 09:12' is "
        "not an ISO 8601 time such as 2024-03-01T09:00:00Z; bad.csv line 3: "
    )
