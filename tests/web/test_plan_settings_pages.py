"""The planning settings form: shown with what is stored, saved whole against its version;
a refused form names every problem (a split whose targets do not sum to 100 % by its
quarter) and saves nothing; a stale one answers 409 with what is stored now."""

from __future__ import annotations

import re

from quarterdeck.services import portfolio_settings
from quarterdeck.storage import Database
from tests.api.routes import PLAN_QUARTERS
from tests.api.world import ALPHA, Browsers, World, as_person, workspace_state
from tests.web.browser import open_form, read
from tests.web.test_scorecard import signed_in, text_of

PLAN = f"/w/{ALPHA}/plan"
SETTINGS = PLAN + "/settings"
FIRST, SECOND = PLAN_QUARTERS


def test_settings_are_saved_from_the_form(db: Database, browsers: Browsers, world: World) -> None:
    client = signed_in(browsers, world.alpha.editor.email)
    form = open_form(client, SETTINGS, SETTINGS)
    assert form.fields["quarters"] == f"{FIRST} {SECOND}"
    assert form.fields[f"split_{FIRST}_product-bet_target"] == "60"
    response = form.submit(
        client,
        value_unit="EUR",
        goal_1_key="trust",
        goal_1_title="Keep customers' trust",
        goal_1_weight="2",
        **{
            f"split_{SECOND}_product-bet_target": "50",
            f"split_{SECOND}_platform-investment_target": "35",
        },
    )
    assert response.status_code == 303
    assert response.headers["location"].endswith(f"{PLAN}?done=settings")
    with db.unit_of_work(write=False) as uow:
        saved = portfolio_settings.planning_settings(
            uow, actor=as_person(world.alpha.owner), workspace=ALPHA
        )
    assert saved.value_unit == "EUR"
    assert [g.key for g in saved.goals] == ["growth", "trust"]
    assert saved.splits[SECOND].shares[1].target == 35
    assert saved.splits[FIRST].shares[0].target == 60


def test_a_split_that_does_not_sum_to_100_is_named_by_its_quarter_and_nothing_is_saved(
    db: Database, browsers: Browsers, world: World
) -> None:
    client = signed_in(browsers, world.alpha.owner.email)
    form = open_form(client, SETTINGS, SETTINGS)
    before = workspace_state(db, ALPHA)
    response = form.submit(
        client,
        weight_risk="-1",
        **{
            f"split_{FIRST}_product-bet_target": "50",
            f"split_{SECOND}_product-bet_target": "70",
        },
    )
    assert response.status_code == 422
    problems = [text_of(li).strip() for li in re.findall(r"<li>(.*?)</li>", response.text)]
    assert problems == [
        "weight of risk must not be below 0, not -1",
        f"{FIRST}: split: targets sum to 90 %, not 100 %",
        f"{SECOND}: split: targets sum to 110 %, not 100 %",
    ]
    typed = read(response.text).form(SETTINGS).fields
    assert typed[f"split_{FIRST}_product-bet_target"] == "50"
    assert typed["weight_risk"] == "-1"
    assert workspace_state(db, ALPHA) == before


def test_a_stale_settings_form_answers_409_and_shows_what_is_stored(
    db: Database, browsers: Browsers, world: World
) -> None:
    client = signed_in(browsers, world.alpha.owner.email)
    form = open_form(client, SETTINGS, SETTINGS)
    assert form.submit(client, value_unit="EUR").status_code == 303
    before = workspace_state(db, ALPHA)
    stale = form.submit(client, value_unit="USD")
    assert stale.status_code == 409
    assert "Nothing was saved; the form now shows the stored settings." in stale.text
    assert read(stale.text).form(SETTINGS).fields["value_unit"] == "EUR"
    assert workspace_state(db, ALPHA) == before
