"""The single intake through the API: items with where each stands in the ranking and why,
evidence checkpoints, cost-benefit figures and the roadmap they make. Every bad input
answers with a message naming what is wrong and changes nothing; a stale version answers
409. Settings, teams and outcomes are in test_portfolio_capacity, plans in
test_portfolio_planning.

Every tenant starts with the portfolio of tests/api/world.py `build_portfolio`."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from quarterdeck.services import intake
from quarterdeck.storage import Database
from tests.api.routes import OUTCOME, PLAN_QUARTERS, TEAM
from tests.api.world import (
    ALPHA,
    BRAVO,
    Browsers,
    World,
    as_person,
    row_counts,
    workspace_state,
)
from tests.conftest import sign_in

PF = f"/api/v1/workspaces/{ALPHA}"
Q1, Q2 = PLAN_QUARTERS
WSJF_IN_1 = {"business_value": 8, "time_criticality": 5, "risk_reduction": 2, "job_size": 5}
WSJF_IN_2 = {"business_value": 20, "time_criticality": 13, "risk_reduction": 3, "job_size": 8}


@pytest.fixture
def editor(browsers: Browsers, world: World) -> TestClient:
    """A signed-in editor of alpha whose writes carry the session's CSRF token."""
    client = browsers.open()
    client.headers["X-CSRF-Token"] = sign_in(client, world.alpha.editor.email)
    return client


class Unchanged:
    """Asserts that the requests made inside it changed nothing anywhere."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def __enter__(self) -> None:
        self.state = (workspace_state(self.db, ALPHA), workspace_state(self.db, BRAVO))
        self.counts = row_counts(self.db)

    def __exit__(self, *_: object) -> None:
        assert (workspace_state(self.db, ALPHA), workspace_state(self.db, BRAVO)) == self.state
        assert row_counts(self.db) == self.counts


@pytest.fixture
def unchanged(db: Database) -> Unchanged:
    return Unchanged(db)


def refused(response: httpx.Response, status: int, *phrases: str) -> None:
    assert response.status_code == status, response.text
    for phrase in phrases:
        assert phrase in response.json()["detail"], response.json()["detail"]


# -- intake: bad input changes nothing ------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"effort": {"mobile": 3}}, "effort for unknown team 'mobile'; teams: core"),
        ({"effort": {TEAM: -2}}, "effort for team 'core' must not be below 0"),
        ({"value": "-1"}, "value must not be below 0"),
        ({"success": 1.5}, "probability of success is from 0 to 1"),
        ({"requires": ["IN-9"]}, "dependency IN-9 is not an intake item"),
        ({"urgency": "urgent"}, "urgency urgent needs its reason"),
        ({"pinned_quarter": "2027-Q5"}, "'2027-Q5' is not a quarter like 2027-Q1"),
        ({"outcome_key": "nowhere"}, "unknown roadmap outcome 'nowhere'"),
        ({"scores": {"rice": {"reach": 10}}}, "rice scores lack impact, confidence, effort"),
        ({"status": "in-progress"}, "one primary outcome metric and one guardrail metric"),
        ({"ready": {"vibes": True}}, "ready checks are dependencies, risk, security"),
        ({"kind": "wish"}, "kind: Input should be"),
        ({"owner": "me"}, "owner: Extra inputs are not permitted"),
        ({"effort": {TEAM: "NaN"}}, "effort.core"),
    ],
    ids=lambda v: v if isinstance(v, str) else next(iter(v)),
)
def test_an_item_with_bad_input_is_refused_whole(
    editor: TestClient, unchanged: Unchanged, values: dict[str, Any], message: str
) -> None:
    with unchanged:
        added = editor.post(f"{PF}/intake", json={"title": "Usage-based billing", **values})
        edited = editor.patch(f"{PF}/intake/IN-1", json={"version": 1, **values})
    refused(added, 422, message)
    refused(edited, 422, message)


def test_a_dependency_cycle_is_refused_and_the_first_link_stays(
    db: Database, editor: TestClient, unchanged: Unchanged
) -> None:
    linked = editor.patch(f"{PF}/intake/IN-2", json={"version": 1, "requires": ["IN-1"]})
    assert linked.status_code == 200, linked.text
    assert linked.json()["requires"] == ["IN-1"]
    with unchanged:
        cycle = editor.patch(f"{PF}/intake/1", json={"version": 1, "requires": [2]})
        own = editor.patch(f"{PF}/intake/in-1", json={"version": 1, "requires": ["IN-1"]})
    refused(cycle, 422, "dependency cycle: IN-1 requires IN-2 requires IN-1")
    refused(own, 422, "IN-1 cannot depend on itself")
    assert editor.get(f"{PF}/intake/IN-1").json()["requires"] == []


def test_a_stale_version_answers_409_and_keeps_the_first_edit(
    editor: TestClient, unchanged: Unchanged
) -> None:
    first = editor.patch(f"{PF}/intake/IN-1", json={"version": 1, "title": "Guided setup"})
    assert first.status_code == 200
    assert first.json()["version"] == 2
    with unchanged:
        stale = editor.patch(f"{PF}/intake/IN-1", json={"version": 1, "title": "Overwritten"})
        checkpoint = editor.post(
            f"{PF}/intake/IN-1/checkpoints/post-launch",
            json={"version": 1, "done": True, "note": "measured"},
        )
    refused(stale, 409)
    refused(checkpoint, 409)
    assert editor.get(f"{PF}/intake/IN-1").json()["title"] == "Guided setup"


def test_another_workspaces_item_answers_404_like_a_missing_one(
    db: Database, world: World, editor: TestClient, unchanged: Unchanged
) -> None:
    with db.unit_of_work(write=True) as uow:
        bravo_only = intake.add_item(
            uow,
            actor=as_person(world.bravo.owner),
            workspace=BRAVO,
            values={"title": "Bravo's secret project"},
        )
    assert bravo_only.key == "IN-3"
    with unchanged:
        answers = [
            editor.get(f"{PF}/intake/IN-3"),
            editor.patch(f"{PF}/intake/IN-3", json={"version": 1, "title": "Taken over"}),
            editor.put(
                f"{PF}/intake/IN-3/cost-benefit",
                json={
                    "version": 1,
                    "period": "year",
                    "discount_rate": 5,
                    "costs": [1],
                    "benefits": [2],
                },
            ),
            editor.get(f"/api/v1/workspaces/{BRAVO}/intake/IN-1"),
        ]
    for answer in answers[:3]:
        refused(answer, 404, "intake item IN-3 not found")
    refused(answers[3], 404)
    assert "secret" not in editor.get(f"{PF}/intake", params={"status": "all"}).text


def test_an_item_is_added_with_every_field_and_read_back(editor: TestClient) -> None:
    added = editor.post(
        f"{PF}/intake",
        json={
            "title": "Usage-based billing",
            "kind": "platform-investment",
            "department": "Sales",
            "hypothesis": "Metered plans convert accounts that outgrow the free tier.",
            "urgency": "high",
            "urgency_reason": "renewals depend on it",
            "ready": {"dependencies": True, "risk": True},
            "requires": ["IN-1"],
            "value": "40.5",
            "success": 0.6,
            "effort": {TEAM: "7.5"},
            "outcome_key": OUTCOME,
        },
    )
    assert added.status_code == 201, added.text
    item = added.json()
    assert item["key"] == "IN-3"
    assert item["version"] == 1
    assert item["value"] == "40.5"
    assert item["success"] == "0.6"
    assert item["effort"] == {TEAM: 7.5}  # person-weeks are numbers
    assert item["ready"] == {
        "dependencies": True,
        "risk": True,
        "security": False,
        "performance": False,
    }
    assert item["is_ready"] is False
    assert item["requires"] == ["IN-1"]
    listed = editor.get(f"{PF}/intake", params={"department": "sales"}).json()["items"]
    assert [i["key"] for i in listed] == ["IN-3"]
    roadmap = editor.get(f"{PF}/roadmap").json()
    assert [i["key"] for i in roadmap["tech"]] == ["IN-3"]
    [theme] = roadmap["themes"]
    [outcome] = theme["outcomes"]
    assert [i["key"] for i in outcome["initiatives"]] == ["IN-1", "IN-2", "IN-3"]


def test_the_intake_filters_by_kind_status_urgency_readiness_and_words(
    editor: TestClient,
) -> None:
    editor.post(f"{PF}/intake", json={"title": "Retire the old VPN", "kind": "risk-reduction"})
    done = editor.patch(
        f"{PF}/intake/IN-1",
        json={
            "version": 1,
            "status": "done",
            "primary_metric": "trial-conversion",
            "guardrail_metric": "error-rate",
        },
    )
    assert done.status_code == 200, done.text

    def keys(**query: str) -> list[str]:
        response = editor.get(f"{PF}/intake", params=query)
        assert response.status_code == 200, response.text
        return [i["key"] for i in response.json()["items"]]

    assert keys() == ["IN-2", "IN-3"]  # open items only
    assert keys(status="all") == ["IN-1", "IN-2", "IN-3"]
    assert keys(status="done") == ["IN-1"]
    assert keys(kind="risk-reduction") == ["IN-3"]
    assert keys(urgency="urgent") == ["IN-2"]
    assert keys(ready="true") == ["IN-2"]
    assert keys(ready="false") == ["IN-3"]
    assert keys(q="vpn") == ["IN-3"]
    assert editor.get(f"{PF}/intake", params={"status": "someday"}).status_code == 422
    [closed] = editor.get(f"{PF}/intake", params={"status": "done"}).json()["items"]
    assert closed["ranking"]["standing"] == "closed"


# -- ranking --------------------------------------------------------------------------------


def test_the_ranking_shows_every_term_of_the_breakdown_and_each_item_its_place(
    editor: TestClient,
) -> None:
    for key, wsjf in (("IN-1", WSJF_IN_1), ("IN-2", WSJF_IN_2)):
        scored = editor.patch(f"{PF}/intake/{key}", json={"version": 1, "scores": {"wsjf": wsjf}})
        assert scored.status_code == 200, scored.text
    ranking = editor.get(f"{PF}/intake/ranking", params={"method": "wsjf"}).json()
    assert ranking["method"] == "wsjf"
    first, second = ranking["ranked"]
    # (20 + 13 + 3) / 8 = 4.5 beats (8 + 5 + 2) / 5 = 3; normalised against the best.
    assert (first["key"], first["rank"], first["score"], first["normalised"]) == (
        "IN-2",
        1,
        "4.5",
        "1",
    )
    assert (second["key"], second["score"], second["normalised"]) == ("IN-1", "3", "0.666667")
    assert [
        (t["criterion"], t["raw"], t["contribution"], t["effect"]) for t in second["terms"]
    ] == [
        ("business-value", "8", "8", "add"),
        ("time-criticality", "5", "5", "add"),
        ("risk-reduction", "2", "2", "add"),
        ("job-size", "5", "0.2", "multiply"),
    ]
    # The workspace still ranks by five-criteria, for which nothing is scored yet.
    default = editor.get(f"{PF}/intake/ranking").json()
    assert default["ranked"] == []
    assert [u["reasons"] for u in default["unscored"]] == [["not scored for five-criteria"]] * 2
    assert editor.get(f"{PF}/intake/ranking", params={"method": "guesswork"}).status_code == 422

    switched = editor.put(f"{PF}/portfolio/settings", json={"version": 1, "method": "wsjf"})
    assert switched.status_code == 200, switched.text
    listed = editor.get(f"{PF}/intake").json()
    assert listed["method"] == "wsjf"
    assert [(i["key"], i["ranking"]["rank"], i["ranking"]["score"]) for i in listed["items"]] == [
        ("IN-1", 2, "3"),
        ("IN-2", 1, "4.5"),
    ]
    detail = editor.get(f"{PF}/intake/IN-1").json()
    assert (
        detail["explanation"][0] == "IN-1 is ranked 2nd of 2 with a score of 3 (0.667 normalised)."
    )
    assert "job-size: 5 multiplies by 0.2." in detail["explanation"]


def test_an_item_failing_a_gate_is_excluded_with_the_reason(editor: TestClient) -> None:
    five = {
        "serves": {"growth": 3},
        "departmental": 3,
        "resources": 3,
        "viability": 3,
        "risk": 2,
        "departments": False,
    }
    editor.patch(f"{PF}/intake/IN-1", json={"version": 1, "scores": {"five-criteria": five}})
    ranking = editor.get(f"{PF}/intake/ranking").json()
    [excluded] = ranking["excluded"]
    assert excluded["key"] == "IN-1"
    assert "fails gate 'departments'" in excluded["reasons"][0]
    detail = editor.get(f"{PF}/intake/IN-1").json()
    assert detail["ranking"]["standing"] == "excluded"
    assert detail["explanation"][0].startswith("IN-1 is not ranked: fails gate 'departments'")


# -- checkpoints and cost-benefit -----------------------------------------------------------


def test_a_checkpoint_is_recorded_with_its_evidence(
    editor: TestClient, unchanged: Unchanged
) -> None:
    with unchanged:
        bare = editor.post(
            f"{PF}/intake/IN-1/checkpoints/problem-validated", json={"version": 1, "done": True}
        )
        unknown = editor.post(
            f"{PF}/intake/IN-1/checkpoints/gut-feeling",
            json={"version": 1, "done": True, "note": "sure"},
        )
        bad_link = editor.post(
            f"{PF}/intake/IN-1/checkpoints/problem-validated",
            json={"version": 1, "done": True, "link": "ftp://files.example/x"},
        )
    refused(bare, 422, "needs a note or an evidence link")
    refused(unknown, 422, "unknown checkpoint 'gut-feeling'")
    refused(bad_link, 422, "must be an http or https address")
    done = editor.post(
        f"{PF}/intake/IN-1/checkpoints/problem-validated",
        json={"version": 1, "done": True, "link": "https://research.example/interviews"},
    )
    assert done.status_code == 200, done.text
    checkpoint = done.json()["checkpoints"]["problem-validated"]
    assert checkpoint["done"] is True
    assert checkpoint["link"] == "https://research.example/interviews"
    assert checkpoint["by"].startswith("editor@")
    assert done.json()["checkpoints"]["post-launch"]["done"] is False


def test_cost_benefit_figures_are_appraised_and_shown_with_the_item(
    editor: TestClient, unchanged: Unchanged
) -> None:
    figures = {
        "version": 1,
        "period": "quarter",
        "discount_rate": 8,
        "costs": [60000, "15000", 5000, 5000],
        "benefits": [0, 30000, 45000, 50000],
    }
    with unchanged:
        uneven = editor.put(
            f"{PF}/intake/IN-1/cost-benefit", json={**figures, "benefits": [0, 30000]}
        )
        rate = editor.put(f"{PF}/intake/IN-1/cost-benefit", json={**figures, "discount_rate": 100})
        flipped = editor.put(
            f"{PF}/intake/IN-1/cost-benefit",
            json={**figures, "pessimistic": {"benefits": "1.2", "costs": "0.9"}},
        )
    refused(uneven, 422, "costs list 4 periods and benefits 2")
    refused(rate, 422, "the discount rate is a yearly percentage below 100")
    refused(flipped, 422, "the pessimistic case must be no better than the expected one")
    saved = editor.put(f"{PF}/intake/IN-1/cost-benefit", json=figures)
    assert saved.status_code == 200, saved.text
    appraisal = saved.json()["appraisal"]
    assert appraisal["discount_rate"] == "8"
    assert appraisal["shown_by_default"] == ["pessimistic", "expected"]
    assert appraisal["expected"]["npv"] == "35680.28"
    assert appraisal["pessimistic"]["payback"] is None
    assert "loses money in the pessimistic case" in appraisal["caution"]
    detail = editor.get(f"{PF}/intake/IN-1").json()
    assert detail["appraisal"] == appraisal
    assert detail["cost_benefit"]["costs"] == ["60000", "15000", "5000", "5000"]
    assert detail["version"] == 2
