"""The demo organisation's year of engineering records: generated, taken in through the
connectors, and computed into a scorecard that shows real values, some of them red."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from quarterdeck.catalog.kpis import kpi_catalog
from quarterdeck.domain.access import Actor
from quarterdeck.domain.errors import InvalidInput
from quarterdeck.domain.scorecard import Level
from quarterdeck.services import accounts, delivery, demo, scorecard
from quarterdeck.services.demo_engineering import REPOSITORY
from quarterdeck.storage import Database, make_engine, upgrade

# A Wednesday; the last complete fortnight is 23 February - 8 March, the last month February.
NOW = datetime(2026, 3, 18, 10, 30, tzinfo=UTC)
SCALE = 0.25  # a quarter of the full history's changes: the same story, built faster
OPERATOR = Actor.operator("operator:test")


class Built:
    """A demo built on its own SQLite database with the clock stopped at NOW."""

    def __init__(self, directory: Path) -> None:
        engine = make_engine(f"sqlite:///{directory / 'quarterdeck.db'}")
        upgrade(engine)
        self.db = Database(engine, clock=lambda: NOW)
        self.folder = directory / "demo-data"
        with self.db.unit_of_work(write=True) as uow:
            self.organisation = demo.build(
                uow, actor=OPERATOR, password="a demo password", data_dir=self.folder, scale=SCALE
            )

    def cards(self) -> dict[str, scorecard.MetricCard]:
        with self.db.unit_of_work(write=False) as uow:
            view = scorecard.show(uow, actor=OPERATOR, workspace=demo.DEMO_SLUG)
        return {card.metric.key: card for card in view.cards}

    def tips(self) -> tuple[str, ...]:
        with self.db.unit_of_work(write=False) as uow:
            workspace = uow.workspaces.by_slug(demo.DEMO_SLUG)
            assert workspace is not None
            repository = uow.engineering.repository(workspace.id, REPOSITORY)
        assert repository is not None
        return tuple(repository.tips)

    def report(self, days: int = 90) -> delivery.DeliveryReport:
        with self.db.unit_of_work(write=False) as uow:
            return delivery.report(
                uow,
                actor=OPERATOR,
                workspace=demo.DEMO_SLUG,
                start=NOW - timedelta(days=days),
                end=NOW,
            )


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(accounts, "PASSWORD_HASHER", PasswordHasher(time_cost=1, memory_cost=1024))
        yield Built(tmp_path_factory.mktemp("demo"))


def test_computed_metrics_show_values_computed_from_the_imported_records(built: Built) -> None:
    computed = {
        key: card for key, card in built.cards().items() if card.metric.definition.computed_by
    }
    assert len(computed) >= 10
    for key, card in computed.items():
        assert card.latest is not None, f"{key} has no value"
        assert card.latest.source == f"computed:{card.metric.definition.computed_by}", key
        assert not card.status.stale, key
        assert len(card.series) >= 6, f"{key} has too short a history"


def test_the_scorecard_is_mostly_green_and_amber_with_two_red_cards_for_a_reason(
    built: Built,
) -> None:
    levels = {key: card.status.level for key, card in built.cards().items()}
    assert levels["change-failure-rate"] is Level.RED
    assert levels["time-to-patch-critical"] is Level.RED
    assert levels["mtta"] is Level.AMBER
    assert Level.UNKNOWN not in levels.values()
    assert sum(level is Level.GREEN for level in levels.values()) > len(levels) / 2


def test_the_change_failure_rate_has_crept_up(built: Built) -> None:
    series = [value for _, value in built.cards()["change-failure-rate"].series]
    assert max(series[:-4]) < series[-1]
    assert series[-4] < series[-2] < series[-1]


def test_hand_entered_quick_starter_metrics_have_recent_values(built: Built) -> None:
    cards = built.cards()
    entered = [
        key
        for key in cards
        if kpi_catalog().kpi(key).computed_by is None and not cards[key].metric.custom
    ]
    assert {"activation-rate", "retention-rate", "nps"} <= set(entered)
    for key in entered:
        latest = cards[key].latest
        assert latest is not None, key
        assert latest.source == scorecard.MANUAL, key
        assert cards[key].status.level is not Level.UNKNOWN, key


def test_every_metric_has_an_owner_and_thresholds(built: Built) -> None:
    for key, card in built.cards().items():
        assert card.metric.owner, key
        assert card.metric.thresholds is not None, key


def test_the_delivery_report_has_deployments_and_incidents_in_every_service(built: Built) -> None:
    report = built.report()
    by_service = {metrics.service: metrics for metrics in report.services}
    assert {"tracking", "billing", "portal"} <= set(by_service)
    for service in ("tracking", "billing", "portal"):
        assert by_service[service].frequency.count > 0, service
        assert by_service[service].lead_time.count > 0, service
    links = report.loaded.links
    assert any(link.linked for link in links)
    assert any(not link.linked for link in links)
    assert report.overall.lead_time.bots > 0  # the dependency bot's bumps are left out
    assert report.loaded.unresolved_tags == ()


def test_the_records_cover_the_last_twelve_months(built: Built) -> None:
    engineering = built.organisation.engineering
    assert engineering is not None
    assert engineering.commits > 500
    assert engineering.authors >= 20
    assert engineering.releases > 80
    assert engineering.scans > 100
    assert engineering.incidents > engineering.caused_incidents > 0
    deployments = built.report(days=366).overall.frequency.count
    assert deployments == engineering.deployments
    assert built.report(days=7).overall.frequency.count > 0


def test_the_folder_holds_the_exports_the_workspace_took_in(built: Built) -> None:
    folder = built.folder
    for name in ("README.txt", "deployments.json", "incidents.csv", "service-desk.csv"):
        assert (folder / name).is_file(), name
    assert (folder / f"{REPOSITORY}.git" / "HEAD").is_file()
    assert len(list((folder / "scans").iterdir())) > 100
    with built.db.unit_of_work(write=False) as uow:
        workspace = uow.workspaces.by_slug(demo.DEMO_SLUG)
        assert workspace is not None
        [repository] = uow.engineering.repositories(workspace.id)
    assert Path(repository.path) == folder / f"{REPOSITORY}.git"


def test_building_again_with_the_same_clock_gives_the_same_figures(
    built: Built, tmp_path: Path
) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(accounts, "PASSWORD_HASHER", PasswordHasher(time_cost=1, memory_cost=1024))
        again = Built(tmp_path)
    first, second = built.cards(), again.cards()
    assert {key: card.series for key, card in first.items()} == {
        key: card.series for key, card in second.items()
    }
    assert again.organisation.engineering is not None
    assert replace(again.organisation.engineering, folder=built.folder) == (
        built.organisation.engineering
    )
    assert built.tips() == again.tips()


def test_the_demo_never_overwrites_a_folder_it_did_not_make(tmp_path: Path) -> None:
    folder = tmp_path / "records"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine", encoding="utf-8")
    engine = make_engine(f"sqlite:///{tmp_path / 'quarterdeck.db'}")
    upgrade(engine)
    with (
        pytest.raises(InvalidInput, match="did not make"),
        Database(engine).unit_of_work(write=True) as uow,
    ):
        demo.build(uow, actor=OPERATOR, data_dir=folder, scale=SCALE)
    assert [p.name for p in folder.iterdir()] == ["notes.txt"]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("sqlite:////srv/quarterdeck/data.db", Path("/srv/quarterdeck/data-demo-data")),
        ("sqlite:///relative/q.db", Path("relative/q-demo-data")),
    ],
)
def test_the_demo_data_sits_beside_a_sqlite_database(url: str, expected: Path) -> None:
    assert demo.default_data_dir(url) == expected


def test_the_demo_data_of_another_database_goes_to_the_user_data_directory() -> None:
    found = demo.default_data_dir("postgresql+psycopg://qd:secret@db.example/harbour_demo")
    assert found.parts[-2:] == ("demo-data", "harbour_demo")
    assert "secret" not in str(found)
