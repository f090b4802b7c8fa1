"""The delivery page: the four keys and MTTA from deployments, git history and incidents
stored through the services, overall and per service, each with its count, band and the
choices behind it; editors change the choices (audited, version-checked)."""

from __future__ import annotations

import html
import re
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from quarterdeck.domain.engineering import Deployment, DeploymentStatus
from quarterdeck.services import delivery, engineering
from quarterdeck.storage import Database
from tests.api.world import (
    ALPHA,
    Browsers,
    MovableClock,
    World,
    as_person,
    audit_rows_of_request,
)
from tests.conftest import sign_in
from tests.ingest.git_support import commit, make_repo, tag
from tests.web.browser import Form, read

DELIVERY = f"/w/{ALPHA}/scorecard/delivery"


def text_of(page: str) -> str:
    inline = re.sub(r"</?(?:strong|em|a|span)\b[^>]*>", "", page)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", inline)))


def iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def section(page: str, heading: str) -> str:
    """The words of the card headed `heading`."""
    for card in re.findall(r'<section class="card">.*?</section>', page, flags=re.S):
        if f"<h2>{heading}</h2>" in card:
            return text_of(card)
    raise AssertionError(f"no section {heading!r}")


@pytest.fixture
def records(db: Database, world: World, clock: MovableClock, tmp_path: Path) -> datetime:
    """Ten days ago, `shop` released v1.0.0 from git, then v1.1.0 two days later shipping
    two commits made 26 h and 14 h before it; an incident began 2 h after v1.1.0 and was
    acknowledged in 30 minutes and resolved in 3 h. `checkout` posted three deployments.
    Returns the time of v1.1.0."""
    start = clock().replace(microsecond=0) - timedelta(days=10)
    second = start + timedelta(days=2)
    repo = make_repo(tmp_path / "shop")
    commit(repo, "first", authored=(start - timedelta(days=2)).isoformat())
    tag(repo, "v1.0.0", at=start.isoformat())
    commit(repo, "checkout fix", authored=(second - timedelta(hours=26)).isoformat())
    commit(repo, "faster search", authored=(second - timedelta(hours=14)).isoformat())
    tag(repo, "v1.1.0", at=second.isoformat())
    incidents = (
        "incident_id,service,severity,started_at,acknowledged_at,resolved_at\n"
        f"INC-1,shop,sev2,{iso(second + timedelta(hours=2))},"
        f"{iso(second + timedelta(hours=2, minutes=30))},{iso(second + timedelta(hours=5))}\n"
    ).encode()
    actor = as_person(world.alpha.owner)
    with db.unit_of_work(write=True) as uow:
        engineering.ingest_git(
            uow, actor=actor, workspace=ALPHA, path=str(repo), release_pattern="v*", service="shop"
        )
        engineering.import_incidents(
            uow, actor=actor, workspace=ALPHA, data=incidents, source="incidents.csv"
        )
        engineering.record_deployments(
            uow,
            actor=actor,
            workspace=ALPHA,
            deployments=[
                Deployment(
                    f"pipeline-{n}",
                    "checkout",
                    "production",
                    None,
                    start + timedelta(days=n),
                    DeploymentStatus.SUCCESS,
                )
                for n in (1, 3, 5)
            ],
            origin="api",
        )
    return second


def choices_form(page: str) -> Form:
    return read(page).form_with_button("Save choices")


def signed_in(browsers: Browsers, email: str) -> TestClient:
    client = browsers.open()
    sign_in(client, email)
    return client


def test_the_page_shows_the_four_keys_and_mtta_with_counts_bands_and_choices(
    browsers: Browsers, world: World, records: datetime
) -> None:
    client = signed_in(browsers, world.alpha.viewer.email)
    page = client.get(DELIVERY, params={"days": 30})
    assert page.status_code == 200
    overall = section(page.text, "All services")
    assert "5 deployments" in overall
    assert "DORA 2023 band" in overall
    shop = section(page.text, "shop")
    assert "Lead time for changes 20.0 h 2 changes elite < 1 day" in shop
    assert "Change failure rate 50.0% 1 of 2 deployments low > 15%" in shop
    assert "Time to restore 3.0 h 1 incident high < 1 day" in shop
    assert "Time to acknowledge (MTTA) 30 min 1 incident no DORA band" in shop
    assert "1 changes shipped by a service's first deployment are excluded" in shop
    assert "interpolated median over 2 changes" in shop
    checkout = section(page.text, "checkout")
    assert "Deployment frequency 0.70 per week (0.10 a day) 3 deployments" in checkout
    assert "0 of 3 deployments" in checkout
    choices = section(page.text, "Choices in force")
    assert "Production environment production" in choices
    assert "shop: v* → shop" in choices
    assert [f.method for f in read(page.text).forms if f.path != "/logout"] == ["get"]


def test_an_editor_changes_the_choices_and_the_figures_follow(
    db: Database, browsers: Browsers, world: World, records: datetime
) -> None:
    client = signed_in(browsers, world.alpha.editor.email)
    form = choices_form(client.get(DELIVERY).text)
    assert form.fields["link_by_service_window"] == "yes"
    answer = form.submit(client, bands_edition="2021", link_by_service_window=None)
    assert answer.status_code == 303
    rows = audit_rows_of_request(db, answer.headers["X-Request-ID"])
    assert [row["action"] for row in rows] == ["delivery.choices_changed"]
    page = client.get(answer.headers["location"])
    assert "The delivery choices were saved" in page.text
    shop = section(page.text, "shop")
    assert "DORA 2021 band" in shop
    assert "Incident linking named cause only" in text_of(page.text)
    # Without linking by service and time, INC-1 names no cause: no deployment failed.
    assert "Change failure rate 0.0% 0 of 2 deployments elite 0-15%" in shop
    with db.unit_of_work(write=False) as uow:
        choices, version = delivery.current_choices(
            uow, actor=as_person(world.alpha.owner), workspace=ALPHA
        )
    assert (choices.settings.bands_edition.value, version) == ("2021", 2)


def test_refused_and_stale_choices_change_nothing(
    db: Database, browsers: Browsers, world: World, records: datetime
) -> None:
    client = signed_in(browsers, world.alpha.owner.email)
    form = choices_form(client.get(DELIVERY).text)
    refused = form.submit(client, max_link_gap_hours="forever", production_environment="prod")
    assert refused.status_code == 422
    assert "the linking gap must be a number of hours, got 'forever'" in html.unescape(refused.text)
    assert choices_form(refused.text).fields["production_environment"] == "prod"
    too_long = form.submit(client, max_link_gap_hours="1000")
    assert too_long.status_code == 422
    assert "at most 720 hours" in too_long.text
    assert form.submit(client, production_environment="prod").status_code == 303
    stale = form.submit(client, production_environment="live")
    assert stale.status_code == 409
    assert "Nothing was changed" in stale.text
    assert choices_form(stale.text).fields["production_environment"] == "prod"
    with db.unit_of_work(write=False) as uow:
        choices, _ = delivery.current_choices(
            uow, actor=as_person(world.alpha.owner), workspace=ALPHA
        )
    assert choices.settings.production_environment == "prod"


def test_an_empty_workspace_says_where_deployments_come_from(
    browsers: Browsers, world: World
) -> None:
    client = signed_in(browsers, world.alpha.viewer.email)
    page = client.get(DELIVERY)
    assert page.status_code == 200
    assert "No deployments are stored yet" in page.text
    assert "0 deployments" in section(page.text, "All services")
    assert client.get(DELIVERY, params={"days": 0}).status_code == 422


def test_an_editor_sets_release_rules_and_start_points_in_rows(
    db: Database, browsers: Browsers, world: World, records: datetime
) -> None:
    client = signed_in(browsers, world.alpha.editor.email)
    form = choices_form(client.get(DELIVERY).text)
    assert (form.fields["release_0_repository"], form.fields["release_0_pattern"]) == ("shop", "v*")
    assert form.fields["release_1_repository"] == form.fields["start_0_service"] == ""
    with db.unit_of_work(write=False) as uow:
        ws = uow.workspaces.by_slug(ALPHA)
        assert ws is not None
        first = sorted(uow.engineering.commits(ws.id))[0]
    answer = form.submit(
        client,
        release_0_service="storefront",
        start_0_service="storefront",
        start_0_commit=first[:8],
    )
    assert answer.status_code == 303, answer.text
    rows = audit_rows_of_request(db, answer.headers["X-Request-ID"])
    assert [row["action"] for row in rows] == ["delivery.choices_changed"]
    page = client.get(answer.headers["location"]).text
    choices = section(page, "Choices in force")
    assert "shop: v* → storefront" in choices
    assert f"Start points storefront: {first[:12]}" in choices
    assert "Lead time for changes" in section(page, "storefront")
    saved = choices_form(page)
    assert (saved.fields["start_0_service"], saved.fields["start_0_commit"]) == (
        "storefront",
        first,
    )
    cleared = saved.submit(
        client,
        release_0_repository="",
        release_0_pattern="",
        release_0_service="",
        start_0_service="",
        start_0_commit="",
    )
    assert cleared.status_code == 303
    after = section(client.get(cleared.headers["location"]).text, "Choices in force")
    assert "Release tags none" in after
    assert "Start points none" in after


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ({"release_1_pattern": "r*"}, "release rule 2: give the repository and the tag pattern"),
        (
            {"release_1_repository": "billing", "release_1_pattern": "v*"},
            "repository 'billing' is not read into 'alpha-corp'",
        ),
        (
            {"release_1_repository": "shop", "release_1_pattern": "r*"},
            "release rule 2: 'shop' has a rule already",
        ),
        (
            {"start_0_service": "shop", "start_0_commit": "not-a-sha"},
            "the start point of 'shop' must be a commit sha of 4-64 hex characters",
        ),
        ({"start_1_commit": "abcd1234"}, "start point 2: give the service and the commit sha"),
    ],
    ids=["half a rule", "unknown repository", "two rules", "bad sha", "sha without service"],
)
def test_refused_rows_say_which_and_come_back_as_typed(
    db: Database,
    browsers: Browsers,
    world: World,
    records: datetime,
    typed: dict[str, str],
    message: str,
) -> None:
    client = signed_in(browsers, world.alpha.owner.email)
    with db.unit_of_work(write=False) as uow:
        before = delivery.current_choices(uow, actor=as_person(world.alpha.owner), workspace=ALPHA)
    refused = choices_form(client.get(DELIVERY).text).submit(client, **typed)
    assert refused.status_code == 422
    assert message in html.unescape(refused.text)
    again = choices_form(refused.text)
    for name, value in typed.items():
        assert again.fields[name] == value
    with db.unit_of_work(write=False) as uow:
        after = delivery.current_choices(uow, actor=as_person(world.alpha.owner), workspace=ALPHA)
    assert after == before
