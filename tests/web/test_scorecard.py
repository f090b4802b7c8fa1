"""The scorecard in the browser: cards by category, a metric's page with its chart and
measurements, the forms that start, fill and configure it. Refused forms say why and
change nothing; hostile text renders inert; the charts are inline SVG without script.
The delivery page is in test_scorecard_delivery.py."""

from __future__ import annotations

import html
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient

from quarterdeck.catalog.kpis import kpi_catalog
from quarterdeck.domain.access import Actor, Role
from quarterdeck.domain.scorecard import Category, Direction, KpiSet, Unit
from quarterdeck.services import scorecard
from quarterdeck.storage import Database
from tests.api.routes import TRACKED_METRIC
from tests.api.world import ALPHA, BRAVO, GHOST, Browsers, MovableClock, World, as_person
from tests.conftest import sign_in
from tests.web.browser import open_form, read

BOARD = f"/w/{ALPHA}/scorecard"
DEFECTS = TRACKED_METRIC  # quick-starter; a count, lower is better, entered by hand
OPERATOR = Actor.operator("operator:test")


def metric_page(key: str, slug: str = ALPHA) -> str:
    return f"/w/{slug}/scorecard/metrics/{key}"


def text_of(page: str) -> str:
    """The page's words as a reader sees them: inline tags vanish, block tags separate."""
    inline = re.sub(r"</?(?:strong|em|a|span)\b[^>]*>", "", page)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", inline)))


def signed_in(browsers: Browsers, email: str) -> TestClient:
    client = browsers.open()
    sign_in(client, email)
    return client


def post_forms(page: str) -> list[str]:
    """Where the page's POST forms go, the sign-out form left out."""
    return [f.path for f in read(page).forms if f.method == "post" and f.path != "/logout"]


def start(db: Database, world: World, slug: str = ALPHA) -> None:
    owner = world.alpha.owner if slug == ALPHA else world.bravo.owner
    with db.unit_of_work(write=True) as uow:
        scorecard.start_from_set(
            uow, actor=as_person(owner), workspace=slug, kpi_set=KpiSet.QUICK_STARTER
        )


def empty(db: Database) -> None:
    """Alpha's scorecard as a new workspace has it: the world tracks one metric."""
    with db.unit_of_work(write=True) as uow:
        scorecard.remove_metric(uow, actor=OPERATOR, workspace=ALPHA, key=TRACKED_METRIC)


def detail(db: Database, key: str, slug: str = ALPHA) -> scorecard.MetricDetail:
    with db.unit_of_work(write=False) as uow:
        return scorecard.detail(uow, actor=OPERATOR, workspace=slug, key=key)


def card_of(page: str, name: str) -> str:
    """The markup of the card whose metric is called `name`."""
    for card in re.findall(r'<li class="metric-card.*?</li>', page, flags=re.S):
        if f">{name}</a>" in card:
            return str(card)
    raise AssertionError(f"no card for {name!r}")


def test_viewers_read_cards_and_metric_pages_without_any_form(
    db: Database, browsers: Browsers, world: World
) -> None:
    start(db, world)
    client = signed_in(browsers, world.alpha.viewer.email)
    board = client.get(BOARD)
    assert board.status_code == 200
    words = text_of(board.text)
    for name in ("Product outcomes", "Delivery", "Escaped defects", "Lead time for changes"):
        assert name in words
    assert "unknown 10" in words  # ten metrics, none measured or given thresholds yet
    assert post_forms(board.text) == []
    page = client.get(metric_page(DEFECTS))
    assert page.status_code == 200
    assert "How to read it" in page.text
    assert post_forms(page.text) == []


def test_an_empty_scorecard_offers_the_ready_made_sets_to_editors_only(
    db: Database, browsers: Browsers, world: World
) -> None:
    empty(db)
    editor = signed_in(browsers, world.alpha.editor.email)
    page = read(editor.get(BOARD).text)
    assert {b for f in page.forms for b in f.buttons} >= {
        "Start from the Quick starter set",
        "Start from the IT service set",
        "Add metric",
    }
    viewer = signed_in(browsers, world.alpha.viewer.email)
    blank = viewer.get(BOARD)
    assert "No metrics yet" in blank.text
    assert post_forms(blank.text) == []


def test_editor_starts_records_a_value_and_sees_the_card_turn_amber_with_the_reason(
    db: Database, browsers: Browsers, world: World
) -> None:
    empty(db)
    client = signed_in(browsers, world.alpha.editor.email)
    started = read(client.get(BOARD).text).form_with_button("Start from the Quick starter set")
    board = started.submit(client, follow_redirects=True)
    assert board.status_code == 200
    assert "The set's metrics were added" in text_of(board.text)
    assert len(re.findall(r'<li class="metric-card', board.text)) == len(
        kpi_catalog().in_set(KpiSet.QUICK_STARTER)
    )
    configure = open_form(client, metric_page(DEFECTS), metric_page(DEFECTS) + "/configure")
    saved = configure.submit(
        client, follow_redirects=True, owner="Head of QA", target="2", warning="5", critical="10"
    )
    assert "The metric's settings were saved." in text_of(saved.text)
    record = read(saved.text).form(metric_page(DEFECTS) + "/measurements")
    assert record.fields["period_end"]  # today, in the workspace's time zone
    recorded = record.submit(client, follow_redirects=True, value="6", note="two from the beta")
    assert "The value was recorded." in recorded.text
    assert "two from the beta" in recorded.text
    card = card_of(client.get(BOARD).text, "Escaped defects")
    assert "level-amber" in card
    assert "6 is above the warning line of 5 (target 2)" in html.unescape(card)
    assert "vs target 2" in card
    assert "<svg" in card
    stored = detail(db, DEFECTS)
    assert stored.card.metric.owner == "Head of QA"
    assert [(m.value, m.recorded_by) for m in stored.measurements] == [
        (Decimal(6), world.alpha.editor.email)
    ]


def test_a_set_added_to_a_running_scorecard_keeps_what_is_there(
    db: Database, browsers: Browsers, world: World
) -> None:
    client = signed_in(browsers, world.alpha.owner.email)
    form = read(client.get(BOARD).text).form_with_button("Add the IT service set")
    board = form.submit(client, follow_redirects=True)
    keys = {k.key for k in kpi_catalog().in_set(KpiSet.IT_SERVICE)} | {TRACKED_METRIC}
    assert len(re.findall(r'<li class="metric-card', board.text)) == len(keys)
    assert [m.version for m in [detail(db, TRACKED_METRIC).card.metric]] == [1]


def test_thresholds_in_the_wrong_order_are_refused_with_what_was_typed(
    db: Database, browsers: Browsers, world: World
) -> None:
    start(db, world)
    client = signed_in(browsers, world.alpha.editor.email)
    form = open_form(client, metric_page(DEFECTS), metric_page(DEFECTS) + "/configure")
    refused = form.submit(client, owner="Someone", target="30", warning="20", critical="10")
    assert refused.status_code == 422
    assert (
        "for a lower-is-better metric the target (30) must be below the warning line (20)"
        in html.unescape(refused.text)
    )
    again = read(refused.text).form(metric_page(DEFECTS) + "/configure")
    assert (again.fields["owner"], again.fields["target"], again.fields["warning"]) == (
        "Someone",
        "30",
        "20",
    )
    metric = detail(db, DEFECTS).card.metric
    assert (metric.owner, metric.thresholds, metric.version) == ("", None, 1)


def test_a_stale_configure_form_answers_409_and_shows_the_stored_settings(
    db: Database, browsers: Browsers, world: World
) -> None:
    start(db, world)
    first = signed_in(browsers, world.alpha.editor.email)
    second = signed_in(browsers, world.alpha.owner.email)
    action = metric_page(DEFECTS) + "/configure"
    mine, theirs = (
        open_form(first, metric_page(DEFECTS), action),
        open_form(second, metric_page(DEFECTS), action),
    )
    assert mine.submit(first, owner="Ana").status_code == 303
    stale = theirs.submit(second, owner="Ben", target="1", warning="2", critical="3")
    assert stale.status_code == 409
    assert "Nothing was changed" in stale.text
    assert read(stale.text).form(action).fields["owner"] == "Ana"
    metric = detail(db, DEFECTS).card.metric
    assert (metric.owner, metric.thresholds, metric.version) == ("Ana", None, 2)


def test_a_value_that_is_no_number_comes_back_in_the_form_and_nothing_is_stored(
    db: Database, browsers: Browsers, world: World
) -> None:
    start(db, world)
    client = signed_in(browsers, world.alpha.editor.email)
    form = open_form(client, metric_page(DEFECTS), metric_page(DEFECTS) + "/measurements")
    refused = form.submit(client, value="lots", period_end="31/03/2026", note="kept")
    assert refused.status_code == 422
    message = html.unescape(refused.text)
    assert "value must be a number; got 'lots'" in message
    assert "period end must be a date like 2026-03-31" in message
    again = read(refused.text).form(metric_page(DEFECTS) + "/measurements")
    assert (again.fields["value"], again.fields["note"]) == ("lots", "kept")
    negative = form.submit(client, value="-3")
    assert negative.status_code == 422
    assert "cannot be negative" in negative.text
    assert detail(db, DEFECTS).measurements == ()


def test_a_catalog_metric_is_added_from_the_picker_and_removed_keeping_its_history(
    db: Database, browsers: Browsers, world: World
) -> None:
    client = signed_in(browsers, world.alpha.owner.email)
    picker = open_form(client, BOARD, BOARD + "/metrics")
    added = picker.submit(client, key="critical-system-uptime", follow_redirects=True)
    assert added.status_code == 200
    assert "The metric was added." in added.text
    record = read(added.text).form(metric_page("critical-system-uptime") + "/measurements")
    record.submit(client, value="99.95")
    again = picker.submit(client, key="critical-system-uptime")
    assert again.status_code == 409
    assert "already on the scorecard" in again.text
    remove = open_form(
        client,
        metric_page("critical-system-uptime"),
        metric_page("critical-system-uptime") + "/remove",
    )
    gone = remove.submit(client, follow_redirects=True)
    assert "its measurements are kept" in gone.text
    cards = re.findall(r'<a class="metric-name"[^>]*>([^<]+)</a>', gone.text)
    assert cards == ["Escaped defects"]
    catalog_page = client.get(metric_page("critical-system-uptime"))
    assert catalog_page.status_code == 200
    assert "not on the scorecard" in catalog_page.text
    read(catalog_page.text).form(BOARD + "/metrics").submit(client)
    assert [m.value for m in detail(db, "critical-system-uptime").measurements] == [
        Decimal("99.95")
    ]


def test_a_category_owner_is_named_on_the_board(
    db: Database, browsers: Browsers, world: World
) -> None:
    start(db, world)
    client = signed_in(browsers, world.alpha.editor.email)
    owners = [f for f in read(client.get(BOARD).text).forms if f.path == BOARD + "/owners"]
    (delivery_form,) = [f for f in owners if f.fields["category"] == "delivery"]
    saved = delivery_form.submit(client, owner="VP Engineering", follow_redirects=True)
    assert "The category owner was saved." in saved.text
    assert "Owner: VP Engineering" in text_of(saved.text)
    refused = delivery_form.submit(client, category="marketing")
    assert refused.status_code == 422
    assert "category 'marketing' is not one of" in html.unescape(refused.text)


def test_another_workspaces_metric_answers_404_like_a_missing_one(
    db: Database, browsers: Browsers, world: World
) -> None:
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
    client = signed_in(browsers, world.alpha.owner.email)
    csrf = read(client.get(BOARD).text).form(BOARD + "/metrics").fields["csrf_token"]
    assert client.get(metric_page("bravo-only")).status_code == 404
    posted = client.post(
        metric_page("bravo-only") + "/measurements",
        data={"csrf_token": csrf, "period_end": "2026-01-31", "value": "3"},
    )
    assert posted.status_code == 404
    into_bravo = client.get(metric_page("bravo-only", BRAVO))
    into_nowhere = client.get(metric_page("bravo-only", GHOST))
    assert into_bravo.status_code == into_nowhere.status_code == 404
    assert into_bravo.text.replace(BRAVO, GHOST) == into_nowhere.text
    assert client.get(metric_page("Not_A-key")).status_code == 404
    assert detail(db, "bravo-only", BRAVO).measurements == ()


HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_hostile_names_owners_and_notes_render_inert(
    db: Database, browsers: Browsers, world: World
) -> None:
    owner = as_person(world.alpha.owner)
    with db.unit_of_work(write=True) as uow:
        scorecard.add_custom_metric(
            uow,
            actor=owner,
            workspace=ALPHA,
            key="hostile",
            name=HOSTILE[:120],
            category=Category.COST,
            unit=Unit.COUNT,
            direction=Direction.LOWER,
            meaning=HOSTILE,
            owner=HOSTILE,
        )
        scorecard.set_category_owner(
            uow,
            actor=owner,
            workspace=ALPHA,
            category=Category.COST,
            owner=HOSTILE,
            expected_version=0,
        )
        for day, value in (("2026-01-31", "3"), ("2026-02-28", "4")):
            scorecard.record(
                uow,
                actor=owner,
                workspace=ALPHA,
                key="hostile",
                period_end=date.fromisoformat(day),
                value=Decimal(value),
                note=HOSTILE,
            )
    client = signed_in(browsers, world.alpha.editor.email)
    for path in (BOARD, metric_page("hostile")):
        page = client.get(path)
        assert page.status_code == 200
        seen = read(page.text)
        assert seen.script_tags == 0
        assert seen.inline_handlers == []
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page.text
        assert "<img" not in page.text


def test_the_metric_page_draws_the_chart_as_inline_svg_without_script_or_style(
    db: Database, browsers: Browsers, world: World, clock: MovableClock
) -> None:
    start(db, world)
    actor = as_person(world.alpha.owner)
    with db.unit_of_work(write=True) as uow:
        metric = scorecard.detail(uow, actor=actor, workspace=ALPHA, key=DEFECTS).card.metric
        scorecard.configure(
            uow,
            actor=actor,
            workspace=ALPHA,
            key=DEFECTS,
            expected_version=metric.version,
            thresholds=scorecard.parse_thresholds(
                Direction.LOWER, {"target": "2", "warning": "5", "critical": "10"}
            ),
        )
    client = signed_in(browsers, world.alpha.editor.email)
    form = open_form(client, metric_page(DEFECTS), metric_page(DEFECTS) + "/measurements")
    today = clock().date()
    days = [today - timedelta(days=n) for n in (28, 14, 0)]
    for day, value in zip(days, ("1", "4", "12"), strict=True):
        assert form.submit(client, period_end=day.isoformat(), value=value).status_code == 303
    page = client.get(metric_page(DEFECTS))
    (svg,) = re.findall(r'<svg[^>]*class="chart".*?</svg>', page.text, flags=re.S)
    assert svg.count('<circle class="dot') == 3
    assert f"<title>{today.isoformat()}: 12</title>" in svg
    for line in ("target 2", "warning 5", "critical 10"):
        assert line in svg
    assert "<script" not in page.text.lower()
    assert " style=" not in page.text
    assert read(page.text).inline_handlers == []
    assert "level-red" in page.text
    assert "12 is above the critical line of 10" in html.unescape(page.text)


@pytest.mark.parametrize("role", [Role.VIEWER, Role.EDITOR, Role.OWNER])
def test_the_dashboard_counts_the_scorecard_by_status(
    db: Database, browsers: Browsers, world: World, role: Role
) -> None:
    start(db, world)
    client = signed_in(browsers, world.alpha.user(role).email)
    page = client.get(f"/w/{ALPHA}").text
    assert "Scorecard green 0 amber 0 red 0 unknown 10 All 10 metrics" in text_of(page)
    assert f'href="http://testserver{BOARD}"' in page
