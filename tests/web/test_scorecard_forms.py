"""The scorecard page's forms for the workspace's own metrics, for importing a file of values
and for category owners: what is typed or uploaded is checked before anything is stored, a
refusal names the field (or the file and line) at fault, and only editors of the workspace
may send them."""

from __future__ import annotations

import html
import re
from datetime import timedelta
from decimal import Decimal

import httpx
import pytest
from fastapi.testclient import TestClient

from quarterdeck.catalog.kpis import kpi_catalog
from quarterdeck.domain.scorecard import Category, Direction, Thresholds, Unit
from quarterdeck.services import scorecard
from quarterdeck.settings import Settings
from quarterdeck.storage import Database
from quarterdeck.web import create_app
from tests.api.routes import TRACKED_METRIC
from tests.api.world import (
    ALPHA,
    BRAVO,
    Browsers,
    MovableClock,
    World,
    as_person,
    audit_rows_of_request,
    row_counts,
)
from tests.conftest import sign_in
from tests.web.browser import Form, read

BOARD = f"/w/{ALPHA}/scorecard"
CUSTOM = BOARD + "/metrics/custom"
IMPORT = BOARD + "/measurements/import"
CHURN = {
    "key": "churned-seats",
    "name": "Churned seats",
    "category": "product",
    "unit": "count",
    "direction": "lower-is-better",
    "meaning": "Seats given up at renewal.",
    "owner": "Head of Customer Success",
    "target": "10",
    "warning": "25",
    "critical": "50",
}


def text_of(page: str) -> str:
    inline = re.sub(r"</?(?:strong|em|a|span|code)\b[^>]*>", "", page)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", inline)))


def signed_in(browsers: Browsers, email: str) -> TestClient:
    client = browsers.open()
    sign_in(client, email)
    return client


def board_form(client: TestClient, action: str, slug: str = ALPHA) -> Form:
    return read(client.get(f"/w/{slug}/scorecard").text).form(action)


def stored_metric(db: Database, key: str) -> scorecard.TrackedMetric | None:
    with db.unit_of_work(write=False) as uow:
        ws = uow.workspaces.by_slug(ALPHA)
        assert ws is not None
        found = [m for m in scorecard.tracked_metrics(uow, ws) if m.key == key]
    return found[0] if found else None


def upload(
    client: TestClient, form: Form, content: bytes, name: str = "quality.csv"
) -> httpx.Response:
    """Send the import form with `content` as the chosen file."""
    return client.post(
        form.action,
        data=form.fields,
        files={"file": (name, content, "text/csv")},
        follow_redirects=False,
    )


def day(clock: MovableClock, days_ago: int) -> str:
    return (clock() - timedelta(days=days_ago)).date().isoformat()


# -- the workspace's own metric --------------------------------------------------------------


def test_an_editor_adds_a_custom_metric_with_thresholds_and_sees_its_page(
    db: Database, browsers: Browsers, world: World
) -> None:
    client = signed_in(browsers, world.alpha.editor.email)
    form = board_form(client, CUSTOM)
    assert form.fields["cadence"] == ""  # its category's, unless chosen
    answer = form.submit(client, **CHURN)
    assert answer.status_code == 303
    assert [row["action"] for row in audit_rows_of_request(db, answer.headers["X-Request-ID"])] == [
        "metric.added"
    ]
    page = client.get(answer.headers["location"])
    assert "The metric was added." in page.text
    assert "Seats given up at renewal." in page.text
    metric = stored_metric(db, "churned-seats")
    assert metric is not None
    assert metric.custom
    assert (metric.definition.name, metric.definition.unit, metric.definition.direction) == (
        "Churned seats",
        Unit.COUNT,
        Direction.LOWER,
    )
    assert metric.owner == "Head of Customer Success"
    assert metric.thresholds == Thresholds(Decimal(10), Decimal(25), Decimal(50))
    assert metric.cadence is kpi_catalog().category(Category.PRODUCT).review  # its category's
    again = form.submit(client, **CHURN)
    assert again.status_code == 409
    assert "'churned-seats' is already on the scorecard" in html.unescape(again.text)


@pytest.mark.parametrize(
    ("typed", "messages"),
    [
        ({"key": "Churned Seats"}, ["metric key 'Churned Seats' must be lower-case words"]),
        ({"key": "nps"}, ["'nps' is a catalog metric"]),
        ({"name": " "}, ["a custom metric needs a name of 1-120 characters"]),
        ({"meaning": "x" * 2_001}, ["the explanation is limited to 2,000 characters"]),
        (
            {"unit": "furlongs", "warning": "", "cadence": "daily"},
            [
                "unit 'furlongs' is not one of percent",
                "cadence 'daily' is not one of weekly",
                "thresholds need warning as well",
            ],
        ),
        ({"target": "ten"}, ["target must be a number; got 'ten'"]),
        (
            {"target": "60"},
            ["for a lower-is-better metric the target (60) must be below the warning line (25)"],
        ),
        ({"direction": "target-band"}, ["a target-band metric takes a band"]),
        ({"category": "marketing"}, ["category 'marketing' is not one of product"]),
    ],
    ids=[
        "key",
        "catalog key",
        "name",
        "explanation",
        "unit, cadence and a missing line",
        "target",
        "lines out of order",
        "lines for a band",
        "category",
    ],
)
def test_a_refused_custom_metric_names_the_field_keeps_what_was_typed_and_stores_nothing(
    db: Database, browsers: Browsers, world: World, typed: dict[str, str], messages: list[str]
) -> None:
    client = signed_in(browsers, world.alpha.owner.email)
    counts = row_counts(db)
    refused = board_form(client, CUSTOM).submit(client, **{**CHURN, **typed})
    assert refused.status_code == 422
    words = text_of(refused.text)
    for message in messages:
        assert message in words
    again = read(refused.text).form(CUSTOM)
    assert again.fields["name"] == {**CHURN, **typed}["name"]
    assert again.fields["owner"] == CHURN["owner"]
    assert row_counts(db) == counts


# -- importing values ------------------------------------------------------------------------


def test_an_editor_imports_a_file_and_sees_how_many_values_were_added(
    db: Database, browsers: Browsers, world: World, clock: MovableClock
) -> None:
    client = signed_in(browsers, world.alpha.editor.email)
    form = board_form(client, IMPORT)
    content = (
        "metric,period_end,value,note\n"
        f"{TRACKED_METRIC},{day(clock, 40)},4,\n"
        f"{TRACKED_METRIC},{day(clock, 10)},3,two in billing\n"
    ).encode()
    answer = upload(client, form, content)
    assert answer.status_code == 303, answer.text
    rows = audit_rows_of_request(db, answer.headers["X-Request-ID"])
    assert [(row["action"], row["entity_id"]) for row in rows] == [
        ("measurements.imported", "quality.csv")
    ]
    page = client.get(answer.headers["location"])
    assert "The file was imported: 2 value(s) added, 0 replaced." in text_of(page.text)
    again = upload(client, form, content, name="C:\\exports\\quality.csv")
    assert "0 value(s) added, 2 replaced" in text_of(client.get(again.headers["location"]).text)
    with db.unit_of_work(write=False) as uow:
        found = scorecard.detail(
            uow, actor=as_person(world.alpha.owner), workspace=ALPHA, key=TRACKED_METRIC
        )
    assert sorted((m.value, m.source, m.note) for m in found.measurements) == [
        (Decimal(3), "import:quality.csv", "two in billing"),
        (Decimal(4), "import:quality.csv", ""),
    ]


def test_a_file_with_bad_lines_is_refused_whole_and_each_line_is_listed(
    db: Database, browsers: Browsers, world: World, clock: MovableClock
) -> None:
    client = signed_in(browsers, world.alpha.editor.email)
    counts = row_counts(db)
    refused = upload(
        client,
        board_form(client, IMPORT),
        (
            "metric,period_end,value,note\n"
            f"{TRACKED_METRIC},{day(clock, 40)},4,\n"
            f"{TRACKED_METRIC},{day(clock, 30)},many,\n"
            f"{TRACKED_METRIC},31/01/2026,2,\n"
        ).encode(),
    )
    assert refused.status_code == 422
    [listed] = re.findall(r'<ul class="import-problems">(.*?)</ul>', refused.text, re.S)
    problems = [text_of(item).strip() for item in listed.split("</li>") if item.strip()]
    assert len(problems) == 2
    assert problems[0].startswith("quality.csv line 3: column value")
    assert problems[1].startswith("quality.csv line 4: column period_end")
    assert "nothing was imported from quality.csv" in text_of(refused.text)
    untracked = upload(
        client,
        board_form(client, IMPORT),
        f"metric,period_end,value\nnps,{day(clock, 5)},41\n".encode(),
        name="nps.csv",
    )
    assert "nps.csv line 2: metric 'nps' is not on the scorecard" in text_of(untracked.text)
    assert row_counts(db) == counts


def test_an_import_without_a_file_or_beyond_the_limit_is_refused_unread(
    settings: Settings, db: Database, browsers: Browsers, world: World, clock: MovableClock
) -> None:
    client = signed_in(browsers, world.alpha.editor.email)
    counts = row_counts(db)
    nothing = upload(client, board_form(client, IMPORT), b"", name="")
    assert nothing.status_code == 422
    assert "choose a CSV or JSON file of values to import" in nothing.text
    small = create_app(settings.model_copy(update={"import_max_bytes": 1024}), database=db)
    with TestClient(small) as limited:
        sign_in(limited, world.alpha.editor.email)
        form = board_form(limited, IMPORT)
        line = f"{TRACKED_METRIC},{day(clock, 3)},4,{'n' * 40}\n"
        larger = upload(limited, form, ("metric,period_end,value,note\n" + line * 30).encode())
        assert larger.status_code == 422
        limit = "more than the import limit of 1,024 bytes (QUARTERDECK_IMPORT_MAX_BYTES)"
        assert f"quality.csv is {limit}" in text_of(larger.text)
        huge = upload(limited, form, b"x" * 70_000)  # beyond the form's allowance: unread
        assert huge.status_code == 422
        assert "the file is more than the import limit of 1,024 bytes" in text_of(huge.text)
    assert row_counts(db) == counts


# -- who may send them -----------------------------------------------------------------------


def test_viewers_and_other_workspaces_cannot_add_metrics_or_import(
    db: Database, browsers: Browsers, world: World
) -> None:
    counts = row_counts(db)
    editor = signed_in(browsers, world.alpha.editor.email)
    custom, importing = board_form(editor, CUSTOM), board_form(editor, IMPORT)
    viewer = browsers.open()
    csrf = sign_in(viewer, world.alpha.viewer.email)
    page = viewer.get(BOARD).text
    assert "Your own metric" not in page
    assert "Import values" not in page
    as_viewer = viewer.post(CUSTOM, data={**CHURN, "csrf_token": csrf})
    assert as_viewer.status_code == 403
    imported = viewer.post(
        IMPORT, data={"csrf_token": csrf}, files={"file": ("q.csv", b"metric,period_end,value\n")}
    )
    assert imported.status_code == 403
    into_bravo = editor.post(
        CUSTOM.replace(ALPHA, BRAVO), data={**custom.fields, **CHURN}, follow_redirects=False
    )
    assert into_bravo.status_code == 404
    bravo_import = upload(
        editor, Form(importing.action.replace(ALPHA, BRAVO), "post", importing.fields), b"x"
    )
    assert bravo_import.status_code == 404
    no_token = editor.post(IMPORT, files={"file": ("q.csv", b"metric,period_end,value\n")})
    assert no_token.status_code == 403
    assert row_counts(db) == counts


# -- category owners -------------------------------------------------------------------------


def test_a_stale_category_owner_form_answers_409_and_shows_the_stored_owner(
    db: Database, browsers: Browsers, world: World
) -> None:
    first = signed_in(browsers, world.alpha.editor.email)
    second = signed_in(browsers, world.alpha.owner.email)

    def delivery_owner(client: TestClient) -> Form:
        owners = [f for f in read(client.get(BOARD).text).forms if f.path == BOARD + "/owners"]
        [found] = [f for f in owners if f.fields["category"] == "delivery"]
        return found

    mine, theirs = delivery_owner(first), delivery_owner(second)
    assert mine.fields["version"] == theirs.fields["version"] == "0"
    assert mine.submit(first, owner="VP Engineering").status_code == 303
    stale = theirs.submit(second, owner="CTO")
    assert stale.status_code == 409
    words = text_of(stale.text)
    assert "Nothing was changed; the page now shows the stored owners." in words
    assert "Owner: VP Engineering" in words
    reloaded = [f for f in read(stale.text).forms if f.path == BOARD + "/owners"]
    assert {f.fields["version"] for f in reloaded} == {"1"}
    with db.unit_of_work(write=False) as uow:
        owners = scorecard.category_owners(uow, actor=as_person(world.alpha.owner), workspace=ALPHA)
    assert owners == ({"delivery": "VP Engineering"}, 1)
