"""Engineering records are stored idempotently: history and events once, revised incidents,
tickets and cost lines updated in place; times keep the offsets they were written in."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

from quarterdeck.domain.engineering import (
    Commit,
    CostLine,
    Deployment,
    DeploymentStatus,
    Finding,
    Incident,
    ScanReport,
    Severity,
    TagRef,
    Ticket,
)
from quarterdeck.storage import Database
from tests.conftest import Factory

BERLIN_SUMMER = timezone(timedelta(hours=2))
INDIA = timezone(timedelta(hours=5, minutes=30))
T0 = datetime(2026, 3, 1, 9, 0, tzinfo=BERLIN_SUMMER)


def commit(sha: str, *parents: str, hours: int = 0) -> Commit:
    return Commit(
        sha=sha,
        parents=parents,
        author_email="dev@example.com",
        author_time=T0 + timedelta(hours=hours),
        committer_time=(T0 + timedelta(hours=hours + 1)).astimezone(INDIA),
    )


def test_commits_and_tags_are_stored_once_with_their_offsets(db: Database, make: Factory) -> None:
    ws = make.workspace("acme")
    history = [commit("a" * 40), commit("b" * 40, "a" * 40, hours=2)]
    with db.unit_of_work(write=True) as uow:
        assert uow.engineering.add_commits(ws.id, history) == 2
        assert uow.engineering.add_commits(ws.id, history) == 0
        uow.engineering.save_repository_read(
            ws.id,
            name="shop",
            path="/srv/shop",
            tips=["b" * 40],
            tags=[TagRef("v1.0.0", "b" * 40, T0.astimezone(INDIA)), TagRef("v0.9", "a" * 40)],
            added_commits=2,
            now=datetime.now(UTC),
        )
    with db.unit_of_work(write=False) as uow:
        stored = uow.engineering.commits(ws.id)
        tags = uow.engineering.tags(ws.id)
        repository = uow.engineering.repository(ws.id, "shop")
    assert stored["b" * 40] == history[1]
    assert stored["b" * 40].committer_time.utcoffset() == timedelta(hours=5, minutes=30)
    assert stored["a" * 40].author_time.utcoffset() == timedelta(hours=2)
    assert [(name, t.name, t.tagger_time) for name, t in tags] == [
        ("shop", "v0.9", None),
        ("shop", "v1.0.0", T0),
    ]
    assert repository is not None
    assert (repository.tips, repository.commit_count) == (("b" * 40,), 2)


def test_deployment_events_are_kept_once_and_incidents_are_revised(
    db: Database, make: Factory
) -> None:
    ws = make.workspace("acme")
    now = datetime.now(UTC)
    deploy = Deployment("d-1", "shop", "production", "b" * 40, T0, DeploymentStatus.SUCCESS)
    open_incident = Incident("INC-1", "shop", "sev2", T0 + timedelta(hours=1))
    with db.unit_of_work(write=True) as uow:
        assert uow.engineering.add_deployments(ws.id, [deploy, deploy], now=now) == 1
        assert uow.engineering.put_incidents(ws.id, [open_incident], now=now) == (1, 0)
    resolved = Incident(
        "INC-1", "shop", "sev2", T0 + timedelta(hours=1), resolved_at=T0 + timedelta(hours=3)
    )
    with db.unit_of_work(write=True) as uow:
        assert uow.engineering.add_deployments(ws.id, [deploy], now=now) == 0
        assert uow.engineering.put_incidents(ws.id, [resolved], now=now) == (0, 1)
        assert uow.engineering.put_incidents(ws.id, [resolved], now=now) == (0, 0)
    with db.unit_of_work(write=False) as uow:
        assert uow.engineering.deployments(ws.id) == [deploy]
        [incident] = uow.engineering.incidents(ws.id)
    assert incident.resolved_at == T0 + timedelta(hours=3)


def test_a_scan_file_is_imported_once_and_other_workspaces_see_nothing(
    db: Database, make: Factory
) -> None:
    acme, other = make.workspace("acme"), make.workspace("other")
    report = ScanReport(
        "trivy", "shop:1.4", T0, (Finding("CVE-2026-1", Severity.CRITICAL, "openssl@3.0.1"),)
    )
    now = datetime.now(UTC)
    with db.unit_of_work(write=True) as uow:
        assert uow.engineering.add_scan(
            acme.id, digest="f" * 64, report=report, file_name="t.json", now=now
        )
        assert not uow.engineering.add_scan(
            acme.id, digest="f" * 64, report=report, file_name="t.json", now=now
        )
    with db.unit_of_work(write=False) as uow:
        [stored] = uow.engineering.scans(acme.id)
        assert uow.engineering.scans(other.id) == []
    assert stored.report == report
    assert stored.time_from_file


def test_tickets_and_cost_lines_are_updated_in_place(db: Database, make: Factory) -> None:
    ws = make.workspace("acme")
    now = datetime.now(UTC)
    ticket = Ticket("T-1", "P1", T0, response_target_hours=Decimal("1.5"))
    cost = CostLine(date(2026, 3, 1), "cloud", Decimal("1200.50"), forecast=Decimal("1100"))
    with db.unit_of_work(write=True) as uow:
        assert uow.engineering.put_tickets(ws.id, [ticket], now=now) == (1, 0)
        assert uow.engineering.put_cost_lines(ws.id, [cost], now=now) == (1, 0)
    revised = CostLine(date(2026, 3, 1), "cloud", Decimal("1250.00"), forecast=Decimal("1100"))
    closed = Ticket("T-1", "P1", T0, resolved_at=T0 + timedelta(hours=5), csat=4)
    with db.unit_of_work(write=True) as uow:
        assert uow.engineering.put_cost_lines(ws.id, [revised], now=now) == (0, 1)
        assert uow.engineering.put_tickets(ws.id, [closed], now=now) == (0, 1)
    with db.unit_of_work(write=False) as uow:
        assert uow.engineering.cost_lines(ws.id) == [revised]
        assert uow.engineering.tickets(ws.id) == [closed]
