"""A workspace export carries the scorecard and every engineering record, and importing it
gives the same workspace back; a hostile record is refused by its path and changes nothing."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, table

from quarterdeck.domain.access import Actor, Role
from quarterdeck.domain.errors import InvalidInput
from quarterdeck.domain.scorecard import Cadence, Category, Direction, Thresholds, Unit
from quarterdeck.services import engineering, portability, scorecard
from quarterdeck.storage import Database
from tests.conftest import Factory
from tests.ingest.git_support import commit, make_repo, tag

EVENTS = Path(__file__).parents[1] / "ingest" / "fixtures" / "events"
SCANS = Path(__file__).parents[1] / "ingest" / "fixtures" / "scans"
LIMIT = 50_000_000
CARRIED = (
    "commits",
    "git_tags",
    "deployments",
    "incidents",
    "scans",
    "scan_findings",
    "tickets",
    "cost_lines",
    "scorecard_metrics",
    "measurements",
    "scorecard_settings",
)


def export(db: Database, actor: Actor, slug: str) -> dict[str, Any]:
    with db.unit_of_work(write=False) as uow:
        return portability.export_workspace(uow, actor=actor, workspace=slug)


def import_document(db: Database, actor: Actor, document: dict[str, Any], slug: str) -> None:
    data = portability.dumps(document).encode("utf-8")
    with db.unit_of_work(write=True) as uow:
        portability.import_workspace(uow, actor=actor, data=data, slug=slug, max_bytes=LIMIT)


def counts(db: Database) -> dict[str, int]:
    with db.engine.connect() as connection:
        return {
            name: connection.execute(select(func.count()).select_from(table(name))).scalar_one()
            for name in CARRIED
        }


@pytest.fixture
def filled(db: Database, make: Factory, operator: Actor, tmp_path: Path) -> str:
    make.member(make.workspace("acme"), Role.OWNER, "owner@example.com")
    repo = make_repo(tmp_path / "shop")
    commit(
        repo, "first", authored="2026-03-02T09:00:00+05:30", committed="2026-03-02T10:00:00-07:00"
    )
    tag(repo, "v1.0.0", at="2026-03-10T10:00:00+01:00")
    commit(repo, "second", authored="2026-03-11T08:00:00+00:00")
    tag(repo, "v1.1.0")
    with db.unit_of_work(write=True) as uow:
        engineering.ingest_git(
            uow, actor=operator, workspace="acme", path=str(repo), release_pattern="v*"
        )
        for name, importer in (
            ("deployments.csv", engineering.import_deployments),
            ("incidents-pagerduty.csv", engineering.import_incidents),
            ("tickets-service-desk.csv", engineering.import_tickets),
        ):
            importer(
                uow,
                actor=operator,
                workspace="acme",
                data=(EVENTS / name).read_bytes(),
                source=name,
            )
        engineering.import_costs(
            uow,
            actor=operator,
            workspace="acme",
            data=(EVENTS / "costs-cloud.csv").read_bytes(),
            source="costs-cloud.csv",
        )
        engineering.import_scan(
            uow,
            actor=operator,
            workspace="acme",
            data=(SCANS / "trivy-image.json").read_bytes(),
            source="trivy-image.json",
        )
        scorecard.add_metric(
            uow,
            actor=operator,
            workspace="acme",
            key="mttr",
            owner="Maya",
            cadence=Cadence.WEEKLY,
            thresholds=Thresholds(Decimal(12), Decimal(24), Decimal(48)),
        )
        scorecard.add_custom_metric(
            uow,
            actor=operator,
            workspace="acme",
            key="churned-seats",
            name="Churned seats",
            category=Category.PRODUCT,
            unit=Unit.COUNT,
            direction=Direction.LOWER,
        )
        scorecard.record(
            uow,
            actor=operator,
            workspace="acme",
            key="churned-seats",
            period_end=date(2026, 2, 28),
            value=Decimal(7),
            note="Q1 <b>",
        )
        _, version = scorecard.category_owners(uow, actor=operator, workspace="acme")
        scorecard.set_category_owner(
            uow,
            actor=operator,
            workspace="acme",
            category=Category.RELIABILITY,
            owner="Priya",
            expected_version=version,
        )
    return "acme"


def test_the_scorecard_and_engineering_records_survive_a_round_trip(
    db: Database, operator: Actor, filled: str
) -> None:
    first = export(db, operator, filled)
    for name in (
        "commits",
        "git_repositories",
        "deployments",
        "incidents",
        "scans",
        "tickets",
        "cost_lines",
        "scorecard_metrics",
        "measurements",
        "scorecard_settings",
    ):
        assert first[name], f"{name} is empty in the export"
    assert first["commits"][0]["author_time"].endswith(("+05:30", "+00:00"))
    before = counts(db)
    import_document(db, operator, first, "acme-copy")
    second = export(db, operator, "acme-copy")
    for name in first:
        if name not in ("workspace", "audit", "members"):
            assert second[name] == first[name], name
    assert {k: 2 * v for k, v in before.items()} == counts(db)


def test_an_export_without_the_new_sections_still_imports(
    db: Database, operator: Actor, filled: str
) -> None:
    document = export(db, operator, filled)
    for name in (
        "commits",
        "git_repositories",
        "deployments",
        "incidents",
        "scans",
        "tickets",
        "cost_lines",
        "scorecard_metrics",
        "measurements",
        "scorecard_settings",
    ):
        del document[name]
    import_document(db, operator, document, "older")
    assert export(db, operator, "older")["commits"] == []


@pytest.mark.parametrize(
    ("section", "change", "message"),
    [
        ("commits", {"author_time": "2026-03-02T09:00:00"}, "commits[0].author_time"),
        ("commits", {"sha": "not-a-sha"}, "commits[0].sha"),
        ("measurements", {"value": "lots"}, "measurements[0].value"),
        (
            "scorecard_metrics",
            {"key": "no-such-metric", "custom": False, "definition": None},
            "is not in the metric catalog",
        ),
        ("cost_lines", {"amount": "NaN"}, "cost_lines[0].amount"),
        ("incidents", {"started_at": "yesterday"}, "incidents[0].started_at"),
    ],
)
def test_a_hostile_record_is_refused_by_its_path_and_changes_nothing(
    db: Database,
    operator: Actor,
    filled: str,
    section: str,
    change: dict[str, Any],
    message: str,
) -> None:
    document = json.loads(portability.dumps(export(db, operator, filled)))
    document[section][0] = {**document[section][0], **change}
    before = counts(db)
    with pytest.raises(InvalidInput, match=message.replace("[", r"\[").replace("]", r"\]")):
        import_document(db, operator, document, "hostile")
    assert counts(db) == before
