"""From real records to scorecard values: a git repository with release tags, an incident
export and a scanner file go in through the services, and the computed measurements of
the last complete week come out with exactly the values the rules give."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from quarterdeck.domain.access import Actor
from quarterdeck.domain.errors import InvalidInput
from quarterdeck.domain.scorecard import Cadence
from quarterdeck.services import engineering, scorecard
from quarterdeck.storage import Database, make_engine
from tests.conftest import Factory
from tests.ingest.git_support import commit, make_repo, tag

NOW = datetime(2026, 3, 16, 12, 0, tzinfo=UTC)  # a Monday: the last complete week is 9-15 March
WEEK_END = date(2026, 3, 15)
INCIDENTS = b"""incident_id,service,severity,started_at,acknowledged_at,resolved_at
INC-1,shop,sev2,2026-03-12T12:00:00Z,2026-03-12T12:30:00Z,2026-03-12T15:00:00Z
"""
SCAN = Path(__file__).parent.parent / "ingest" / "fixtures" / "scans" / "grype-image.json"


@pytest.fixture
def clocked(database_url: str, make: Factory) -> Database:
    """The same database, on a clock stopped at NOW (the workspace lives in UTC)."""
    make.workspace("acme")
    return Database(make_engine(database_url), clock=lambda: NOW)


def build_repository(root: Path) -> Path:
    repo = make_repo(root / "shop")
    commit(repo, "first", authored="2026-03-02T09:00:00+00:00")
    tag(repo, "v1.0.0", at="2026-03-10T10:00:00+00:00")
    commit(repo, "checkout fix", authored="2026-03-11T08:00:00+01:00")  # 07:00 UTC
    commit(repo, "faster search", authored="2026-03-11T20:00:00+00:00")
    tag(repo, "v1.1.0", at="2026-03-12T10:00:00+00:00")
    commit(repo, "not yet released", authored="2026-03-13T09:00:00+00:00")
    return repo


def test_git_history_and_incidents_become_the_weeks_delivery_figures(
    clocked: Database, operator: Actor, tmp_path: Path
) -> None:
    repo = build_repository(tmp_path)
    with clocked.unit_of_work(write=True) as uow:
        for key in ("deployment-frequency", "lead-time", "change-failure-rate", "mttr", "mtta"):
            scorecard.add_metric(
                uow, actor=operator, workspace="acme", key=key, cadence=Cadence.WEEKLY
            )
        read = engineering.ingest_git(
            uow,
            actor=operator,
            workspace="acme",
            path=str(repo),
            release_pattern="v*",
            service="shop",
        )
        engineering.import_incidents(
            uow, actor=operator, workspace="acme", data=INCIDENTS, source="incidents.csv"
        )
    assert (read.commits_added, read.tags, read.deployments_from_tags) == (4, 2, 2)
    with clocked.unit_of_work(write=False) as uow:
        cards = {
            c.metric.key: c for c in scorecard.show(uow, actor=operator, workspace="acme").cards
        }
    latest = {key: card.latest for key, card in cards.items()}
    assert all(m is not None and m.period_end == WEEK_END for m in latest.values())
    values = {key: m.value for key, m in latest.items() if m is not None}
    # v1.0.0 is the first deployment (its history has no lead time); v1.1.0 ships two
    # commits made 27 h and 14 h before it: the median of two is their mean.
    assert values["lead-time"] == Decimal("20.50")
    assert values["deployment-frequency"] == Decimal("2.00")
    # INC-1 began 2 h after v1.1.0 of the same service: one failing deployment of two.
    assert values["change-failure-rate"] == Decimal("50.0")
    assert values["mttr"] == Decimal("3.00")
    assert values["mtta"] == Decimal("30.0")
    assert all(m is not None and m.source.startswith("computed:") for m in latest.values())


def test_reading_again_adds_nothing_and_a_bad_file_changes_nothing(
    clocked: Database, operator: Actor, tmp_path: Path
) -> None:
    repo = build_repository(tmp_path)
    with clocked.unit_of_work(write=True) as uow:
        engineering.ingest_git(uow, actor=operator, workspace="acme", path=str(repo))
    with clocked.unit_of_work(write=True) as uow:
        again = engineering.ingest_git(uow, actor=operator, workspace="acme", path=str(repo))
        first = engineering.import_incidents(
            uow, actor=operator, workspace="acme", data=INCIDENTS, source="incidents.csv"
        )
        repeat = engineering.import_incidents(
            uow, actor=operator, workspace="acme", data=INCIDENTS, source="incidents.csv"
        )
    assert again.commits_added == 0
    assert (first.intake.added, repeat.intake.added, repeat.intake.unchanged) == (1, 0, 1)
    broken = INCIDENTS + b"INC-2,shop,sev1,yesterday,,\n"
    refused = pytest.raises(InvalidInput, match=r"broken.csv line 3: column started_at")
    with refused, clocked.unit_of_work(write=True) as uow:
        engineering.import_incidents(
            uow, actor=operator, workspace="acme", data=broken, source="broken.csv"
        )
    with clocked.unit_of_work(write=False) as uow:
        ws = uow.workspaces.by_slug("acme")
        assert ws is not None
        assert [i.incident_id for i in uow.engineering.incidents(ws.id)] == ["INC-1"]


def test_a_path_that_is_not_a_repository_is_named(
    clocked: Database, operator: Actor, tmp_path: Path
) -> None:
    refused = pytest.raises(InvalidInput, match="not a git repository")
    with refused, clocked.unit_of_work(write=True) as uow:
        engineering.ingest_git(uow, actor=operator, workspace="acme", path=str(tmp_path))


@pytest.mark.parametrize(
    ("name", "data", "source"),
    [
        ("import_incidents", INCIDENTS, "incidents.csv"),
        ("import_scan", SCAN.read_bytes(), "grype.json"),
    ],
)
def test_a_file_import_holds_the_limit_it_is_given(
    clocked: Database, operator: Actor, name: str, data: bytes, source: str
) -> None:
    call = getattr(engineering, name)
    lowered = len(data) - 1
    message = (
        f"{source} is {len(data):,} bytes, more than the import limit of {lowered:,} bytes "
        "(QUARTERDECK_IMPORT_MAX_BYTES)"
    )
    with pytest.raises(InvalidInput) as refused, clocked.unit_of_work(write=True) as uow:
        call(uow, actor=operator, workspace="acme", data=data, source=source, max_bytes=lowered)
    assert message in refused.value.message
    with clocked.unit_of_work(write=True) as uow:
        done = call(
            uow, actor=operator, workspace="acme", data=data, source=source, max_bytes=len(data)
        )
    assert done.intake.added == 1
