"""The scorecard settings through the API: category owners and the delivery choices share
one version, so a change made against a stale one answers 409 and changes nothing; release
rules name repositories read into the workspace and start points name commits."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from quarterdeck.domain.access import TokenScope
from quarterdeck.services import engineering
from quarterdeck.storage import Database
from tests.api.world import ALPHA, BRAVO, Browsers, World, as_person, workspace_state
from tests.conftest import sign_in
from tests.ingest.git_support import commit, make_repo, tag

SC = f"/api/v1/workspaces/{ALPHA}/scorecard"
CHOICES = f"/api/v1/workspaces/{ALPHA}/delivery/choices"
FIXED = {  # every choice a PUT must send
    "production_environment": "production",
    "commit_time": "author",
    "bot_patterns": [],
    "link_by_service_window": True,
    "max_link_gap_hours": 24,
    "bands_edition": "2023",
}


def editor(browsers: Browsers, world: World) -> TestClient:
    """A signed-in editor whose writes carry the session's CSRF token."""
    client = browsers.open()
    csrf = sign_in(client, world.alpha.editor.email)
    client.headers["X-CSRF-Token"] = csrf
    return client


@pytest.fixture
def shop(db: Database, world: World, tmp_path: Path) -> str:
    """A repository `shop` read into alpha (no release rule yet); returns its first sha."""
    repo = make_repo(tmp_path / "shop")
    first = commit(repo, "first", authored="2026-03-02T09:00:00+00:00")
    tag(repo, "v1.0.0", at="2026-03-10T10:00:00+00:00")
    with db.unit_of_work(write=True) as uow:
        engineering.ingest_git(
            uow, actor=as_person(world.alpha.owner), workspace=ALPHA, path=str(repo)
        )
    return first


def test_a_category_owner_is_named_against_the_settings_version(
    db: Database, browsers: Browsers, world: World
) -> None:
    client = editor(browsers, world)
    read = client.get(SC).json()["settings_version"]
    assert read == 0
    named = client.put(
        f"{SC}/categories/delivery/owner", json={"expected_version": read, "owner": "VP Eng"}
    )
    assert named.status_code == 200, named.text
    assert named.json() == {
        "category": "delivery",
        "owner": "VP Eng",
        "owners": {"delivery": "VP Eng"},
        "version": 1,
    }
    [delivery] = client.get(SC).json()["categories"]
    assert (delivery["category"], delivery["owner"]) == ("delivery", "VP Eng")
    after_first = workspace_state(db, ALPHA)
    stale = client.put(
        f"{SC}/categories/delivery/owner", json={"expected_version": read, "owner": "CTO"}
    )
    assert stale.status_code == 409
    assert "changed by someone else" in stale.json()["detail"]
    assert workspace_state(db, ALPHA) == after_first
    for body in ({"owner": "CTO"}, {"expected_version": "1", "owner": "CTO"}):
        missing = client.put(f"{SC}/categories/delivery/owner", json=body)
        assert missing.status_code == 422
        assert "expected_version" in missing.json()["detail"]
    unknown = client.put(
        f"{SC}/categories/marketing/owner", json={"expected_version": 1, "owner": "x"}
    )
    assert unknown.status_code == 422
    assert workspace_state(db, ALPHA) == after_first


def test_owners_and_delivery_choices_share_one_version(
    db: Database, browsers: Browsers, world: World
) -> None:
    first, second = editor(browsers, world), editor(browsers, world)
    read = first.get(CHOICES).json()["version"]
    owner = second.put(
        f"{SC}/categories/cost/owner", json={"expected_version": read, "owner": "CFO"}
    )
    assert owner.status_code == 200
    after_owner = workspace_state(db, ALPHA)
    stale = first.put(CHOICES, json={"expected_version": read, **FIXED, "bands_edition": "2021"})
    assert stale.status_code == 409
    assert workspace_state(db, ALPHA) == after_owner
    assert first.get(SC).json()["settings_version"] == owner.json()["version"] == read + 1


def test_delivery_choices_are_replaced_against_the_version_read(
    db: Database, browsers: Browsers, world: World
) -> None:
    first, second = editor(browsers, world), editor(browsers, world)
    read = first.get(CHOICES).json()
    assert read["version"] == 0
    choices = {
        "expected_version": 0,
        "production_environment": "prod",
        "commit_time": "committer",
        "bot_patterns": ["renovate@*"],
        "link_by_service_window": False,
        "max_link_gap_hours": 6,
        "bands_edition": "2021",
    }
    saved = first.put(CHOICES, json=choices)
    assert saved.status_code == 200, saved.text
    kept = {name: value for name, value in choices.items() if name != "expected_version"}
    assert saved.json() == {**kept, "version": 1, "start_points": {}, "releases": []}
    after_first = workspace_state(db, ALPHA)
    stale = second.put(CHOICES, json={**choices, "production_environment": "live"})
    assert stale.status_code == 409
    assert workspace_state(db, ALPHA) == after_first
    partial = second.put(CHOICES, json={"expected_version": 1, "bands_edition": "2023"})
    assert partial.status_code == 422
    assert workspace_state(db, ALPHA) == after_first


def test_release_rules_and_start_points_are_set_and_kept_when_left_out(
    db: Database, browsers: Browsers, world: World, shop: str
) -> None:
    client = editor(browsers, world)
    saved = client.put(
        CHOICES,
        json={
            "expected_version": 0,
            **FIXED,
            "releases": [{"repository": "shop", "pattern": "v*", "service": "storefront"}],
            "start_points": {"storefront": shop[:7].upper()},
        },
    )
    assert saved.status_code == 200, saved.text
    body = saved.json()
    assert body["releases"] == [{"repository": "shop", "pattern": "v*", "service": "storefront"}]
    assert body["start_points"] == {"storefront": shop}  # completed: it names one commit
    report = client.get(f"/api/v1/workspaces/{ALPHA}/delivery", params={"days": 3650}).json()
    assert [m["service"] for m in report["services"]] == ["storefront"]
    kept = client.put(CHOICES, json={"expected_version": body["version"], **FIXED})
    assert kept.status_code == 200
    assert (kept.json()["releases"], kept.json()["start_points"]) == (
        body["releases"],
        body["start_points"],
    )
    cleared = client.put(
        CHOICES,
        json={
            "expected_version": kept.json()["version"],
            **FIXED,
            "releases": [],
            "start_points": {},
        },
    )
    assert (cleared.json()["releases"], cleared.json()["start_points"]) == ([], {})


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"releases": [{"repository": "billing", "pattern": "v*", "service": "billing"}]},
            "repository 'billing' is not read into 'alpha-corp'",
        ),
        (
            {
                "releases": [
                    {"repository": "shop", "pattern": "v*", "service": "shop"},
                    {"repository": "shop", "pattern": "release-*", "service": "shop"},
                ]
            },
            "one release rule per repository; given twice: shop",
        ),
        (
            {"releases": [{"repository": "shop", "pattern": "v" * 101, "service": "shop"}]},
            "pattern",
        ),
        ({"releases": [{"repository": "shop", "pattern": "v*", "service": ""}]}, "service"),
        ({"start_points": {"shop": "not-a-sha"}}, "start_points"),
        ({"start_points": {"shop": "abc"}}, "start_points"),
        ({"start_points": {f"service-{n}": "abcd" for n in range(51)}}, "start_points"),
    ],
    ids=[
        "unknown repository",
        "two rules for one repository",
        "long pattern",
        "no service",
        "not hex",
        "too short",
        "more than 50",
    ],
)
def test_bad_release_rules_and_start_points_answer_422_and_change_nothing(
    db: Database,
    browsers: Browsers,
    world: World,
    shop: str,
    change: dict[str, object],
    message: str,
) -> None:
    client = editor(browsers, world)
    before = workspace_state(db, ALPHA)
    answer = client.put(CHOICES, json={"expected_version": 0, **FIXED, **change})
    assert answer.status_code == 422
    assert message in answer.json()["detail"]
    assert workspace_state(db, ALPHA) == before


def test_viewers_read_tokens_and_other_workspaces_cannot_set_release_rules(
    db: Database, browsers: Browsers, world: World, shop: str
) -> None:
    body = {
        "expected_version": 0,
        **FIXED,
        "releases": [{"repository": "shop", "pattern": "v*", "service": "shop"}],
        "start_points": {"shop": shop},
    }
    before_alpha, before_bravo = workspace_state(db, ALPHA), workspace_state(db, BRAVO)
    viewer = browsers.open()
    viewer.headers["X-CSRF-Token"] = sign_in(viewer, world.alpha.viewer.email)
    assert viewer.put(CHOICES, json=body).status_code == 403
    reader = browsers.open(
        headers={"Authorization": f"Bearer {world.alpha.token(TokenScope.READ).secret}"}
    )
    assert reader.put(CHOICES, json=body).status_code == 403
    writer = browsers.open(headers={"Authorization": f"Bearer {world.alpha.write_token.secret}"})
    into_bravo = writer.put(f"/api/v1/workspaces/{BRAVO}/delivery/choices", json=body)
    assert into_bravo.status_code == 404
    assert workspace_state(db, ALPHA) == before_alpha
    assert workspace_state(db, BRAVO) == before_bravo
