"""The scorecard through the API: metrics chosen from the catalog or made up, thresholds
checked against the metric's direction, values recorded or imported whole, and each card's
status, reason, staleness and trend read back."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from quarterdeck.catalog.kpis import kpi_catalog
from quarterdeck.domain.access import TokenScope
from quarterdeck.domain.scorecard import Category, Direction, KpiSet, Unit
from quarterdeck.services import scorecard
from quarterdeck.storage import Database
from tests.api.routes import TRACKED_METRIC
from tests.api.world import (
    ALPHA,
    BRAVO,
    Browsers,
    MovableClock,
    World,
    as_person,
    row_counts,
    workspace_state,
)
from tests.conftest import sign_in

SC = f"/api/v1/workspaces/{ALPHA}/scorecard"
BUILD_TIME = {  # minutes, lower is better, reviewed monthly
    "key": "build-time",
    "owner": "Platform lead",
    "thresholds": {"target": 10, "warning": "15", "critical": 25.5},
}


def editor(browsers: Browsers, world: World) -> TestClient:
    """A signed-in editor whose writes carry the session's CSRF token."""
    client = browsers.open()
    csrf = sign_in(client, world.alpha.editor.email)
    client.headers["X-CSRF-Token"] = csrf
    return client


def days_ago(days: int) -> str:
    return (datetime.now(UTC).date() - timedelta(days=days)).isoformat()


def record(client: TestClient, key: str, period_end: str, value: object) -> httpx.Response:
    return client.post(
        f"{SC}/metrics/{key}/measurements", json={"period_end": period_end, "value": value}
    )


def test_the_catalog_lists_every_shipped_metric_with_its_sets(
    browsers: Browsers, world: World
) -> None:
    token = world.alpha.token(TokenScope.READ).secret
    client = browsers.open(headers={"Authorization": f"Bearer {token}"})
    catalog = kpi_catalog()
    everything = client.get("/api/v1/kpis").json()
    assert [k["key"] for k in everything["kpis"]] == list(catalog.keys)
    [quick] = [s for s in everything["sets"] if s["set"] == "quick-starter"]
    assert quick["keys"] == [k.key for k in catalog.in_set(KpiSet.QUICK_STARTER)]
    security = client.get("/api/v1/kpis", params={"category": "security"}).json()["kpis"]
    assert {k["category"] for k in security} == {"security"}
    assert client.get("/api/v1/kpis", params={"set": "board-pack"}).status_code == 422


def test_a_metric_added_with_thresholds_and_values_reads_its_status_and_trend(
    browsers: Browsers, world: World
) -> None:
    client = editor(browsers, world)
    added = client.post(f"{SC}/metrics", json=BUILD_TIME)
    assert added.status_code == 201, added.text
    assert added.json()["version"] == 1
    assert added.json()["cadence"] == "monthly"
    assert added.json()["thresholds"]["warning"] == "15"
    assert record(client, "build-time", days_ago(40), 14).status_code == 201
    latest = record(client, "build-time", days_ago(9), "9.5")
    assert latest.status_code == 201, latest.text
    assert latest.json()["source"] == "manual"
    assert latest.json()["recorded_by"] == world.alpha.editor.email

    card = client.get(f"{SC}/metrics/build-time").json()
    assert card["status"] == {
        "level": "green",
        "reason": "9.5 min meets the target of 10 min",
        "stale": False,
    }
    assert card["trend"]["direction"] == "improving"
    assert card["trend"]["change"] == "-4.5"
    assert [p["value"] for p in card["series"]] == ["14", "9.5"]
    assert [m["period_end"] for m in card["measurements"]] == [days_ago(9), days_ago(40)]
    assert card["trap"]

    board = client.get(SC).json()
    [cost] = [c for c in board["categories"] if c["category"] == "cost"]
    assert [m["key"] for m in cost["metrics"]] == ["build-time"]
    assert cost["metrics"][0]["owner"] == "Platform lead"


def test_a_metric_goes_stale_when_its_cadence_passes_without_a_value(
    browsers: Browsers, world: World, clock: MovableClock
) -> None:
    token = world.alpha.token(TokenScope.WRITE).secret  # outlives a browser session
    client = browsers.open(headers={"Authorization": f"Bearer {token}"})
    client.post(f"{SC}/metrics", json=BUILD_TIME)
    record(client, "build-time", days_ago(1), 30)
    assert client.get(f"{SC}/metrics/build-time").json()["status"]["level"] == "red"
    clock.advance(days=40)
    status = client.get(f"{SC}/metrics").json()
    [card] = [c for c in status if c["key"] == "build-time"]
    assert card["status"]["level"] == "unknown"
    assert card["status"]["stale"] is True
    assert card["status"]["reason"].startswith("stale: last measured")
    assert "last reading: 30 min is above the critical line of 25.5 min" in card["status"]["reason"]


def test_a_workspaces_own_metric_is_added_with_its_definition(
    browsers: Browsers, world: World
) -> None:
    client = editor(browsers, world)
    added = client.post(
        f"{SC}/metrics",
        json={
            "key": "churned-seats",
            "custom": {
                "name": "Churned seats",
                "category": "product",
                "unit": "count",
                "direction": "lower-is-better",
                "meaning": "Seats customers gave back this month.",
            },
            "thresholds": {"target": 5, "warning": 20, "critical": 50},
        },
    )
    assert added.status_code == 201, added.text
    assert (added.json()["custom"], added.json()["cadence"]) == (True, "monthly")
    record(client, "churned-seats", days_ago(2), 24)
    card = client.get(f"{SC}/metrics/churned-seats").json()
    assert card["status"]["level"] == "amber"
    assert card["status"]["reason"] == "24 is above the warning line of 20 (target 5)"
    assert card["meaning"] == "Seats customers gave back this month."


@pytest.mark.parametrize(
    ("metric", "thresholds", "message"),
    [
        (
            {"key": "build-time"},
            {"target": 30, "warning": 24, "critical": 48},
            "for a lower-is-better metric the target (30) must be below the warning line (24)",
        ),
        (
            {"key": "mfa-coverage"},
            {"target": 100, "warning": 90, "critical": 95},
            "for a higher-is-better metric the warning line (90) must be above the critical "
            "line (95)",
        ),
        (
            {"key": "predictability"},
            {"low": 110, "high": 85},
            "the band's low end (110) is above its high end (85)",
        ),
        (
            {"key": "build-time"},
            {"low": 5, "high": 10},
            "a lower-is-better metric needs a target, warning and critical line, not a band",
        ),
        ({"key": "build-time"}, {"target": 5, "critical": 10}, "thresholds need warning as well"),
        ({"key": "build-time"}, {"target": 5, "low": 1, "high": 9}, "not both"),
        ({"key": "build-time"}, {"target": 5, "warning": "NaN", "critical": 9}, "warning"),
    ],
)
def test_thresholds_that_do_not_suit_the_direction_answer_422_saying_which_line(
    db: Database,
    browsers: Browsers,
    world: World,
    metric: dict[str, Any],
    thresholds: dict[str, Any],
    message: str,
) -> None:
    client = editor(browsers, world)
    counts = row_counts(db)
    refused = client.post(f"{SC}/metrics", json={**metric, "thresholds": thresholds})
    assert refused.status_code == 422
    assert message in refused.json()["detail"]
    assert row_counts(db) == counts
    stale = client.patch(
        f"{SC}/metrics/{TRACKED_METRIC}", json={"expected_version": 1, "thresholds": thresholds}
    )
    assert stale.status_code == 422
    assert row_counts(db) == counts


def test_a_stale_version_answers_409_and_keeps_the_first_change(
    db: Database, browsers: Browsers, world: World
) -> None:
    first, second = editor(browsers, world), editor(browsers, world)
    read = first.get(f"{SC}/metrics/{TRACKED_METRIC}").json()["version"]
    saved = first.patch(
        f"{SC}/metrics/{TRACKED_METRIC}", json={"expected_version": read, "owner": "Head of QA"}
    )
    assert saved.status_code == 200
    assert saved.json()["version"] == read + 1
    after_first = workspace_state(db, ALPHA)
    stale = second.patch(
        f"{SC}/metrics/{TRACKED_METRIC}", json={"expected_version": read, "owner": "Someone else"}
    )
    assert stale.status_code == 409
    assert f"since version {read}" in stale.json()["detail"]
    assert workspace_state(db, ALPHA) == after_first
    assert second.patch(f"{SC}/metrics/{TRACKED_METRIC}", json={"owner": "x"}).status_code == 422


def test_thresholds_left_out_stay_and_null_removes_them(browsers: Browsers, world: World) -> None:
    client = editor(browsers, world)
    path = f"{SC}/metrics/{TRACKED_METRIC}"
    lines = {"target": 2, "warning": 5, "critical": 10}
    set_ = client.patch(path, json={"expected_version": 1, "thresholds": lines})
    kept = client.patch(path, json={"expected_version": 2, "cadence": "weekly"})
    assert kept.json()["thresholds"] == set_.json()["thresholds"]
    assert kept.json()["cadence"] == "weekly"
    cleared = client.patch(path, json={"expected_version": 3, "thresholds": None})
    assert cleared.json()["thresholds"] is None
    record(client, TRACKED_METRIC, days_ago(1), 4)
    assert client.get(path).json()["status"]["reason"] == "4, no thresholds set"


def test_a_removed_metric_keeps_its_values_for_when_it_is_tracked_again(
    browsers: Browsers, world: World
) -> None:
    client = editor(browsers, world)
    record(client, TRACKED_METRIC, days_ago(3), 2)
    assert client.delete(f"{SC}/metrics/{TRACKED_METRIC}").status_code == 204
    gone = client.get(f"{SC}/metrics/{TRACKED_METRIC}/measurements")
    assert gone.status_code == 404
    assert client.delete(f"{SC}/metrics/{TRACKED_METRIC}").status_code == 404
    assert client.post(f"{SC}/metrics", json={"key": TRACKED_METRIC}).status_code == 201
    values = client.get(f"{SC}/metrics/{TRACKED_METRIC}/measurements").json()
    assert [(v["period_end"], v["value"]) for v in values] == [(days_ago(3), "2")]


def test_starting_from_a_set_adds_only_what_is_not_tracked(
    browsers: Browsers, world: World
) -> None:
    client = editor(browsers, world)
    started = client.post(f"{SC}/start", json={"set": "quick-starter"})
    assert started.status_code == 200
    expected = [
        k.key for k in kpi_catalog().in_set(KpiSet.QUICK_STARTER) if k.key != TRACKED_METRIC
    ]
    assert [m["key"] for m in started.json()["added"]] == expected
    assert all(m["thresholds"] is None for m in started.json()["added"])
    again = client.post(f"{SC}/start", json={"set": "quick-starter"})
    assert again.json() == {"added": []}
    assert client.post(f"{SC}/metrics", json={"key": "nps"}).status_code == 409
    unknown = client.post(f"{SC}/metrics", json={"key": "happiness-index"})
    assert unknown.status_code == 422
    assert "not in the metric catalog" in unknown.json()["detail"]


def test_a_value_is_checked_before_it_is_stored(
    db: Database, browsers: Browsers, world: World
) -> None:
    client, counts = editor(browsers, world), row_counts(db)
    negative = record(client, TRACKED_METRIC, days_ago(1), -1)
    assert negative.status_code == 422
    assert "cannot be negative" in negative.json()["detail"]
    future = record(client, TRACKED_METRIC, (date.today() + timedelta(days=60)).isoformat(), 1)
    assert "more than a month from today" in future.json()["detail"]
    for value in ("NaN", "1e400", "abc", True):
        assert record(client, TRACKED_METRIC, days_ago(1), value).status_code == 422
    assert row_counts(db) == counts


def upload(client: TestClient, text: str, *, source: str = "quality.csv") -> httpx.Response:
    kind = "application/json" if text.startswith("{") else "text/csv"
    return client.post(
        f"{SC}/measurements/import",
        params={"source": source},
        content=text.encode(),
        headers={"Content-Type": kind},
    )


def test_an_import_is_all_or_nothing_and_names_every_bad_line(
    db: Database, browsers: Browsers, world: World
) -> None:
    client, counts = editor(browsers, world), row_counts(db)
    refused = upload(
        client,
        "metric,period_end,value,note\n"
        f"{TRACKED_METRIC},{days_ago(40)},3,\n"
        f"nps,{days_ago(40)},41,not tracked\n"
        f"{TRACKED_METRIC},{days_ago(9)},many,\n"
        f"{TRACKED_METRIC},{days_ago(8)},-2,\n",
    )
    assert refused.status_code == 422
    detail = refused.json()["detail"]
    assert "quality.csv line 4: column value" in detail
    assert "line 2" not in detail
    assert row_counts(db) == counts
    untracked = upload(client, f"metric,period_end,value\nnps,{days_ago(40)},41\n")
    assert untracked.json()["detail"] == (
        "nothing was imported: quality.csv line 2: metric 'nps' is not on the scorecard"
    )
    assert row_counts(db) == counts


def test_an_imported_file_adds_then_replaces_its_own_values(
    browsers: Browsers, world: World
) -> None:
    client = editor(browsers, world)
    document = (
        '{"kind": "measurements", "items": ['
        f'{{"metric": "{TRACKED_METRIC}", "period_end": "{days_ago(20)}", "value": 3}},'
        f'{{"metric": "{TRACKED_METRIC}", "period_end": "{days_ago(6)}", "value": 1}}]}}'
    )
    first = upload(client, document, source="qa.json")
    assert first.status_code == 200, first.text
    assert first.json() == {"rows": 2, "added": 2, "replaced": 0}
    assert upload(client, document, source="qa.json").json() == {
        "rows": 2,
        "added": 0,
        "replaced": 2,
    }
    record(client, TRACKED_METRIC, days_ago(6), 2)  # a person's value wins over the file's
    card = client.get(f"{SC}/metrics/{TRACKED_METRIC}").json()
    assert card["latest"]["value"] == "2"
    assert {m["source"] for m in card["measurements"]} == {"import:qa.json", "manual"}


def test_another_workspaces_metric_answers_404_like_a_missing_one(
    db: Database, browsers: Browsers, world: World
) -> None:
    client = editor(browsers, world)  # alpha's editor, asking for it on alpha's scorecard
    with db.unit_of_work(write=True) as uow:
        scorecard.add_custom_metric(
            uow,
            actor=as_person(world.bravo.owner),
            workspace=BRAVO,
            key="bravo-only",
            name="Bravo's own",
            category=Category.PRODUCT,
            unit=Unit.COUNT,
            direction=Direction.HIGHER,
        )
    before = workspace_state(db, BRAVO)
    for key in ("bravo-only", "never-tracked"):
        answers = [
            client.get(f"{SC}/metrics/{key}"),
            client.patch(f"{SC}/metrics/{key}", json={"expected_version": 1, "owner": "me"}),
            client.delete(f"{SC}/metrics/{key}"),
            record(client, key, days_ago(1), 1),
        ]
        assert [a.status_code for a in answers] == [404] * 4
        assert answers[0].json()["detail"] == (
            f"metric {key!r} is not on the scorecard of {ALPHA!r}"
        )
    assert workspace_state(db, BRAVO) == before


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"start": "2024-03-01", "days": "30"}, "give start or days, not both"),
        ({"start": "2024-03-31", "end": "2024-03-01"}, "the window must end after it starts"),
        ({"days": "0"}, "days"),
    ],
)
def test_a_delivery_window_that_makes_no_sense_answers_422(
    browsers: Browsers, world: World, query: dict[str, str], message: str
) -> None:
    client = editor(browsers, world)
    answer = client.get(f"/api/v1/workspaces/{ALPHA}/delivery", params=query)
    assert answer.status_code == 422
    assert message in answer.json()["detail"]
