"""Planning settings, teams and people with capacity per quarter, and roadmap outcomes
through the API: each checked whole, saved against the version read, and every bad input
refused with a message naming it and nothing changed."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from quarterdeck.storage import Database
from tests.api.routes import PERSON, PLAN_QUARTERS, TEAM
from tests.api.test_portfolio import PF, Unchanged, refused
from tests.api.world import Browsers, World
from tests.conftest import sign_in

Q1, Q2 = PLAN_QUARTERS


@pytest.fixture
def editor(browsers: Browsers, world: World) -> TestClient:
    """A signed-in editor of alpha whose writes carry the session's CSRF token."""
    client = browsers.open()
    client.headers["X-CSRF-Token"] = sign_in(client, world.alpha.editor.email)
    return client


@pytest.fixture
def unchanged(db: Database) -> Unchanged:
    return Unchanged(db)


def test_settings_are_checked_whole_and_saved_against_the_version_read(
    editor: TestClient, unchanged: Unchanged
) -> None:
    shown = editor.get(f"{PF}/portfolio/settings").json()
    assert shown["quarters"] == PLAN_QUARTERS
    assert shown["version"] == 1
    split = [
        {"kind": "product-bet", "target": 60},
        {"kind": "platform-investment", "target": 25},
        {"kind": "risk-reduction", "target": 10},
    ]
    with unchanged:
        uneven = editor.put(
            f"{PF}/portfolio/settings",
            json={"version": 1, "value_unit": "EUR", "splits": {Q1: split}},
        )
        weighted = editor.put(f"{PF}/portfolio/settings", json={"version": 1, "method": "weighted"})
        weight = editor.put(f"{PF}/portfolio/settings", json={"version": 1, "weights": {"luck": 1}})
        stale = editor.put(f"{PF}/portfolio/settings", json={"version": 0, "value_unit": "EUR"})
        order = editor.put(f"{PF}/portfolio/settings", json={"version": 1, "quarters": [Q2, Q1]})
    refused(uneven, 422, "2027-Q1: split: targets sum to 95 %, not 100 %")
    refused(weighted, 422, "the weighted method needs at least one custom criterion")
    refused(weight, 422, "unknown criterion 'luck'")
    refused(stale, 409)
    refused(order, 422, "planning quarters must be in order")
    saved = editor.put(
        f"{PF}/portfolio/settings",
        json={
            "version": 1,
            "value_unit": "EUR k",
            "criteria": [{"key": "fit", "label": "Strategic fit", "weight": 2, "pass_mark": 2}],
            "method": "weighted",
        },
    )
    assert saved.status_code == 200, saved.text
    body = saved.json()
    assert (body["version"], body["value_unit"], body["method"]) == (2, "EUR k", "weighted")
    assert body["criteria"][0]["pass_mark"] == "2"
    assert body["quarters"] == PLAN_QUARTERS  # left out, kept


def test_teams_show_capacity_per_quarter_after_leave_dates_and_reserve(
    editor: TestClient, unchanged: Unchanged
) -> None:
    added = editor.post(
        f"{PF}/teams", json={"key": "platform", "name": "Platform", "reserve_percent": 20}
    )
    assert added.status_code == 201, added.text
    person = editor.put(
        f"{PF}/people/Grace Hopper",
        json={"version": 0, "team": "platform", "fte": "0.5", "leave": {Q1: 3}},
    )
    assert person.status_code == 200, person.text
    with unchanged:
        again = editor.post(f"{PF}/teams", json={"key": "platform", "name": "Platform again"})
        nowhere = editor.put(
            f"{PF}/people/Alan Turing", json={"version": 0, "team": "mobile", "fte": 1}
        )
        twice = editor.put(
            f"{PF}/people/Grace Hopper", json={"version": 0, "team": "platform", "fte": 1}
        )
        fte = editor.put(f"{PF}/people/{PERSON}", json={"version": 1, "team": TEAM, "fte": 2})
        reserve = editor.put(
            f"{PF}/teams/{TEAM}", json={"version": 1, "name": "Core", "reserve_percent": 120}
        )
        stale = editor.delete(f"{PF}/people/{PERSON}", params={"version": 7})
        missing = editor.delete(f"{PF}/people/Nobody", params={"version": 1})
    refused(again, 409, "there is already a team 'platform'")
    refused(nowhere, 422, "unknown team 'mobile'")
    refused(twice, 409, "there is already a person named 'Grace Hopper'")
    refused(fte, 422, "FTE must be above 0 and at most 1")
    refused(reserve, 422, "a percentage up to 100")
    refused(stale, 409)
    refused(missing, 404)
    teams = {t["key"]: t for t in editor.get(f"{PF}/teams").json()}
    platform = {q["quarter"]: q for q in teams["platform"]["quarters"]}
    # Half-time: 6.5 person-weeks a quarter, 1.5 fewer for three weeks away in Q1.
    assert platform[Q1] == {"quarter": Q1, "capacity": 5.0, "reserve": 1.0, "available": 4.0}
    assert platform[Q2] == {"quarter": Q2, "capacity": 6.5, "reserve": 1.3, "available": 5.2}
    assert teams["platform"]["people"][0]["leave"] == {Q1: 3.0}
    removed = editor.delete(f"{PF}/people/Grace Hopper", params={"version": 1})
    assert removed.status_code == 204
    assert editor.get(f"{PF}/teams").json()[1]["people"] == []


def test_an_outcome_is_added_and_changed_against_its_version(
    editor: TestClient, unchanged: Unchanged
) -> None:
    outcome = {
        "theme": "Reliability",
        "title": "Checkout stays up",
        "metric": "slo-attainment",
        "target": "99.9 % monthly",
        "quarter": Q2,
    }
    added = editor.put(f"{PF}/outcomes/checkout-uptime", json={"version": 0, **outcome})
    assert added.status_code == 200, added.text
    assert added.json()["version"] == 1
    with unchanged:
        again = editor.put(f"{PF}/outcomes/checkout-uptime", json={"version": 0, **outcome})
        missing = editor.put(f"{PF}/outcomes/nowhere", json={"version": 3, **outcome})
        metric = editor.put(
            f"{PF}/outcomes/checkout-uptime", json={"version": 1, **outcome, "metric": "Uptime!"}
        )
    refused(again, 409)
    refused(missing, 404, "outcome 'nowhere' not found")
    refused(metric, 422, "metric")
    themes = [t["name"] for t in editor.get(f"{PF}/roadmap").json()["themes"]]
    assert themes == ["Growth", "Reliability"]
