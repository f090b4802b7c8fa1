"""Playbook runs and the handover pack through the API: a playbook started on a day 0
becomes a dated checklist; steps are marked done with evidence; a run is paused, resumed,
re-planned or abandoned with its reason kept, every change against the version read.

Every tenant starts with PB-1 (the new CTO's first 90 days, running, version 1, started
today) and PB-2 (paused, version 2): tests/api/world.py `build_leadership`."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient

from quarterdeck.catalog.playbooks import playbook_catalog
from quarterdeck.storage import Database
from tests.api.test_portfolio import PF, Unchanged, refused
from tests.api.world import LEADERSHIP_PLAYBOOK, Browsers, MovableClock, World
from tests.conftest import sign_in

PR = f"{PF}/playbook-runs"
EVIDENCE = {"note": "Summary agreed with the CEO.", "link": "https://wiki.example/context"}


@pytest.fixture
def editor(browsers: Browsers, world: World) -> TestClient:
    """A signed-in editor of alpha whose writes carry the session's CSRF token."""
    client = browsers.open()
    client.headers["X-CSRF-Token"] = sign_in(client, world.alpha.editor.email)
    return client


@pytest.fixture
def unchanged(db: Database) -> Unchanged:
    return Unchanged(db)


def _today(editor: TestClient) -> date:
    return date.fromisoformat(editor.get(f"{PR}/PB-1").json()["today"])


def test_a_started_playbook_is_a_dated_checklist_with_its_owners(
    editor: TestClient, world: World
) -> None:
    today = _today(editor)
    starts_on = today + timedelta(days=3)
    started = editor.post(
        PR,
        json={
            "playbook": "handover-to-permanent-cto",
            "starts_on": starts_on.isoformat(),
            "owners": {"cto": world.alpha.viewer.email.upper()},
        },
    )
    assert started.status_code == 201, started.text
    run = started.json()
    assert run["key"] == "PB-3"
    assert (run["status"], run["version"], run["percent"]) == ("running", 1, 0)
    assert run["owners"]["cto"] == world.alpha.viewer.email
    playbook = playbook_catalog().playbook("handover-to-permanent-cto")
    assert [s["key"] for s in run["steps"]] == list(playbook.step_keys)
    for shown, step in zip(run["steps"], playbook.steps, strict=True):
        assert shown["starts_on"] == (starts_on + timedelta(days=step.start_day)).isoformat()
        assert shown["due_on"] == (starts_on + timedelta(days=step.due_day)).isoformat()
        assert shown["owner"] == run["owners"].get(step.owner, "")
    assert run["history"][0]["action"] == "started"
    listed = editor.get(PR).json()
    assert [r["key"] for r in listed] == ["PB-1", "PB-2", "PB-3"]
    assert [r["key"] for r in editor.get(f"{PR}?status=paused").json()] == ["PB-2"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"playbook": "heroics"}, "unknown playbook 'heroics'"),
        ({"owners": {"cto": "stranger@example.com"}}, "is not a member of 'alpha-corp'"),
        ({"owners": {"cfo": "owner@alpha-corp.example"}}, "has no steps for role 'cfo'"),
        ({"starts_on": "2001-01-01"}, "more than a year from today"),
    ],
)
def test_a_run_that_cannot_start_starts_nothing(
    editor: TestClient, unchanged: Unchanged, body: dict[str, object], message: str
) -> None:
    start = {"playbook": "handover-to-permanent-cto", "starts_on": _today(editor).isoformat()}
    with unchanged:
        refused(editor.post(PR, json={**start, **body}), 422, message)


def test_a_step_is_done_with_evidence_and_a_stale_version_answers_409(
    browsers: Browsers, world: World, editor: TestClient, db: Database
) -> None:
    done = editor.post(f"{PR}/PB-1/steps/business-context/done", json={"version": 1, **EVIDENCE})
    assert done.status_code == 200, done.text
    run = done.json()
    assert (run["version"], run["done_count"]) == (2, 1)
    step = run["steps"][0]
    assert step["done"]["note"] == EVIDENCE["note"]
    assert step["done"]["by"] == world.alpha.editor.email
    # Someone who read version 1 cannot mark another step over that change.
    owner = browsers.open()
    owner.headers["X-CSRF-Token"] = sign_in(owner, world.alpha.owner.email)
    with Unchanged(db):
        stale = owner.post(
            f"{PR}/1/steps/peer-relationships/done", json={"version": 1, "note": "Met them."}
        )
    refused(stale, 409, "PB-1", "since version 1")
    with Unchanged(db):
        twice = editor.post(
            f"{PR}/PB-1/steps/business-context/done", json={"version": 2, **EVIDENCE}
        )
        bare = editor.post(f"{PR}/PB-1/steps/peer-relationships/done", json={"version": 2})
        unknown = editor.post(f"{PR}/PB-1/steps/golf/done", json={"version": 2, "note": "fore"})
        bad_link = editor.post(
            f"{PR}/PB-1/steps/peer-relationships/done",
            json={"version": 2, "link": "javascript:alert(1)"},
        )
    refused(twice, 422, "already done")
    refused(bare, 422, "needs a note or an evidence link")
    refused(unknown, 422, "has no step 'golf'")
    refused(bad_link, 422, "http or https")


def test_the_last_step_done_completes_the_run(editor: TestClient) -> None:
    keys = playbook_catalog().playbook(LEADERSHIP_PLAYBOOK).step_keys
    version = 1
    for key in keys:  # bounded by the playbook's steps
        response = editor.post(
            f"{PR}/PB-1/steps/{key}/done", json={"version": version, "note": "done"}
        )
        assert response.status_code == 200, response.text
        version = response.json()["version"]
    run = editor.get(f"{PR}/PB-1").json()
    assert (run["status"], run["percent"]) == ("complete", 100)
    assert run["history"][-1]["action"] == "completed"


def test_pause_resume_replan_and_abandon_keep_their_reasons(editor: TestClient) -> None:
    paused = editor.post(f"{PR}/PB-1/pause", json={"version": 1, "reason": "CEO on leave."})
    assert paused.json()["status"] == "paused"
    refused(
        editor.post(f"{PR}/PB-1/steps/business-context/done", json={"version": 2, **EVIDENCE}),
        422,
        "PB-1 is paused",
    )
    refused(editor.post(f"{PR}/PB-1/pause", json={"version": 2, "reason": "x"}), 422, "paused")
    resumed = editor.post(f"{PR}/PB-1/resume", json={"version": 2})
    assert resumed.json()["status"] == "running"
    new_day_0 = _today(editor) + timedelta(days=14)
    replanned = editor.post(
        f"{PR}/PB-1/replan",
        json={"version": 3, "starts_on": new_day_0.isoformat(), "reason": "After the board."},
    ).json()
    assert replanned["starts_on"] == new_day_0.isoformat()
    assert replanned["steps"][0]["starts_on"] == new_day_0.isoformat()
    abandoned = editor.post(
        f"{PR}/PB-1/abandon", json={"version": 4, "reason": "A permanent CTO was hired."}
    ).json()
    assert abandoned["status"] == "abandoned"
    history = [(e["action"], e["reason"]) for e in abandoned["history"]]
    assert history[1:] == [
        ("paused", "CEO on leave."),
        ("resumed", "resumed"),
        ("re-planned", f"day 0 {_today(editor).isoformat()} -> {new_day_0}: After the board."),
        ("abandoned", "A permanent CTO was hired."),
    ]
    refused(editor.post(f"{PR}/PB-1/resume", json={"version": 5}), 422, "PB-1 is abandoned")


def test_pausing_or_abandoning_without_a_reason_is_refused(
    editor: TestClient, unchanged: Unchanged
) -> None:
    with unchanged:
        refused(editor.post(f"{PR}/PB-1/pause", json={"version": 1, "reason": " "}), 422, "say why")
        refused(
            editor.post(f"{PR}/PB-2/abandon", json={"version": 2, "reason": ""}), 422, "say why"
        )


def test_overdue_steps_are_flagged_while_the_run_is_running(
    browsers: Browsers, world: World, clock: MovableClock
) -> None:
    token = world.alpha.read_token.secret  # outlives a browser session
    reader = browsers.open(headers={"Authorization": f"Bearer {token}"})
    assert reader.get(f"{PR}/PB-1").json()["overdue"] == []
    clock.advance(days=30)  # business-context is due on day 21
    run = reader.get(f"{PR}/PB-1").json()
    assert "business-context" in run["overdue"]
    assert next(s for s in run["steps"] if s["key"] == "business-context")["overdue"] is True
    assert reader.get(f"{PR}/PB-2").json()["overdue"] == []  # paused


def test_a_run_that_does_not_exist_answers_404(editor: TestClient) -> None:
    refused(editor.get(f"{PR}/PB-99"), 404, "playbook run PB-99 not found")
    refused(editor.post(f"{PR}/PB-99/pause", json={"version": 1, "reason": "x"}), 404, "PB-99")


def test_viewers_read_runs_but_cannot_change_them(
    browsers: Browsers, world: World, unchanged: Unchanged
) -> None:
    viewer = browsers.open()
    viewer.headers["X-CSRF-Token"] = sign_in(viewer, world.alpha.viewer.email)
    assert viewer.get(f"{PR}/PB-1").status_code == 200
    with unchanged:
        refused(viewer.post(f"{PR}/PB-1/pause", json={"version": 1, "reason": "x"}), 403, "write")


def test_the_handover_pack_lists_the_runs_under_way(editor: TestClient) -> None:
    markdown = editor.get(f"{PF}/handover")
    assert markdown.status_code == 200
    assert markdown.headers["content-type"].startswith("text/markdown")
    assert markdown.text.startswith("# Handover pack: ")
    assert playbook_catalog().playbook(LEADERSHIP_PLAYBOOK).name in markdown.text
    html = editor.get(f"{PF}/handover?format=html")
    assert html.headers["content-type"].startswith("text/html")
    assert "<h1>" in html.text
    refused(editor.get(f"{PF}/handover?format=pdf"), 422, "format")
