"""Assessments in the browser: the catalog beside one's own sittings, taking one (every
statement rated 1 to 5, grouped by area; unrated statements named and nothing saved), the
result with its radar chart, strengths, gaps, priorities and the change since the previous
sitting; sittings stay private (anyone else's answers 404) until shared with one of the
taker's workspaces, where its members read it, and nowhere else."""

from __future__ import annotations

import html
import re

import pytest
from fastapi.testclient import TestClient

from quarterdeck.catalog.assessments import assessment_catalog
from quarterdeck.domain.access import Actor, Role
from quarterdeck.services import assessments, members
from quarterdeck.storage import Database
from tests.api.world import ALPHA, BRAVO, Browsers, World, as_person, row_counts
from tests.conftest import Factory, sign_in
from tests.web.browser import Form, read

IT = "it-manager-skills"
OWNERS_SITTING = 1  # alpha's owner's private cto-readiness sitting (tests/api/world.py)
HOSTILE = '<script>alert("x")</script>'


def text_of(page: str) -> str:
    inline = re.sub(r"</?(?:strong|em|a|span)\b[^>]*>", "", page)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", inline)))


def signed_in(browsers: Browsers, email: str) -> TestClient:
    client = browsers.open()
    sign_in(client, email)
    return client


def statements(key: str = IT) -> tuple[str, ...]:
    return assessment_catalog().assessment(key).statement_keys


def rated(value_of: dict[str, int] | None = None, *, default: int = 2) -> dict[str, str]:
    """Every statement of the IT manager assessment rated `default`, area by area as given."""
    areas = assessment_catalog().assessment(IT).areas
    chosen = value_of or {}
    return {
        f"rate_{s.key}": str(chosen.get(area.key, default))
        for area in areas
        for s in area.statements
    }


def take_form(client: TestClient) -> Form:
    return read(client.get(f"/assessments/{IT}/take").text).form(f"/assessments/{IT}/take")


def sittings(db: Database) -> int:
    return row_counts(db)["assessment_takes"]


def test_take_form_groups_every_statement_by_area_with_five_choices(
    world: World, browsers: Browsers
) -> None:
    client = signed_in(browsers, world.alpha.viewer.email)
    page = client.get(f"/assessments/{IT}/take").text
    form = read(page).form(f"/assessments/{IT}/take")
    radios = {name for name, kind in form.field_types.items() if kind == "radio"}
    assert radios == {f"rate_{key}" for key in statements()}
    for key in statements():
        assert len(re.findall(rf'name="rate_{key}" value="[1-5]"', page)) == 5
    assert re.findall(r"<legend>([^<]+)</legend>", page) == [
        "Technical skills",
        "Management skills",
        "Soft skills",
        "Operations management",
        "Marketing management",
        "Sales management",
    ]
    assert '<option value="it-manager">IT Manager (this assessment serves it)</option>' in page


def test_a_sitting_shows_radar_strengths_gaps_and_priorities_with_suggestions(
    db: Database, world: World, browsers: Browsers
) -> None:
    client = signed_in(browsers, world.alpha.viewer.email)
    ratings = rated({"technical": 5, "management": 4, "marketing": 1, "sales": 2}, default=3)
    response = take_form(client).submit(client, aiming_for="it-manager", **ratings)
    assert response.status_code == 303
    assert re.search(r"/assessments/sittings/\d+\?done=taken$", response.headers["location"])
    page = client.get(response.headers["location"]).text
    words = text_of(page)
    assert "Only you can see it until you share it" in words
    assert "aiming to be: IT Manager" in words
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="radar-chart"' in page
    assert 'class="earlier"' not in page  # a first sitting has nothing to compare
    assert "Technical skills 5.00 strength first sitting" in words
    assert "Marketing management 1.00 gap" in words
    strengths = words.split("Strengths")[1].split("Gaps")[0]
    assert "Technical skills (5.00)" in strengths
    assert "Management skills (4.00)" in strengths
    priorities = words.split("Development priorities")[1]
    assert priorities.index("Marketing management") < priorities.index("Sales management")
    tip = assessment_catalog().assessment(IT).areas[4].development[0]
    assert tip in priorities


def test_a_second_sitting_shows_the_change_and_the_earlier_outline(
    world: World, browsers: Browsers
) -> None:
    client = signed_in(browsers, world.alpha.viewer.email)
    take_form(client).submit(client, **rated(default=2))
    again = take_form(client).submit(client, **rated({"technical": 4}, default=2))
    page = client.get(again.headers["location"]).text
    assert '<polygon class="earlier"' in page
    assert "The dashed outline is your previous sitting." in page
    words = text_of(page)
    assert "Technical skills 4.00 strength +2.00" in words
    assert "Soft skills 2.00 gap no change" in words


def test_unrated_statements_are_named_and_nothing_is_saved(
    db: Database, world: World, browsers: Browsers
) -> None:
    client = signed_in(browsers, world.alpha.viewer.email)
    before = sittings(db)
    typed = rated(default=4)
    first, second = (f"rate_{key}" for key in statements()[:2])
    typed.pop(first)
    typed[second] = "7"
    response = take_form(client).submit(client, **typed)
    assert response.status_code == 422
    words = text_of(response.text)
    assert "rate every statement from 1 to 5; 2 not rated: Technical skills:" in words
    assert words.count("not rated") >= 3  # the message and a mark beside each statement
    third = f"rate_{statements()[2]}"
    assert f'name="{third}" value="4" checked' in response.text  # the ratings given stay
    assert sittings(db) == before


def test_an_unknown_kind_to_aim_for_is_refused(
    db: Database, world: World, browsers: Browsers
) -> None:
    client = signed_in(browsers, world.alpha.viewer.email)
    before = sittings(db)
    response = take_form(client).submit(client, aiming_for="chief-wizard", **rated())
    assert response.status_code == 422
    assert "unknown kind of leader 'chief-wizard'" in text_of(response.text)
    assert sittings(db) == before


def test_my_assessments_lists_the_catalog_and_my_latest_sittings(
    world: World, browsers: Browsers
) -> None:
    client = signed_in(browsers, world.alpha.owner.email)
    page = client.get("/assessments").text
    words = text_of(page)
    for assessment in assessment_catalog().assessments:
        assert assessment.name in words
    assert "CTO readiness" in words
    assert words.count("Not taken yet.") == len(assessment_catalog().assessments) - 1
    assert "Take it again" in words
    assert f'href="http://testserver/assessments/sittings/{OWNERS_SITTING}"' in page
    assert "private" in words


@pytest.mark.parametrize("who", ["viewer", "bravo owner"])
def test_another_persons_sitting_is_404_and_cannot_be_shared(
    db: Database, world: World, browsers: Browsers, who: str
) -> None:
    email = world.alpha.viewer.email if who == "viewer" else world.bravo.owner.email
    client = browsers.open()
    csrf = sign_in(client, email)
    response = client.get(f"/assessments/sittings/{OWNERS_SITTING}")
    assert response.status_code == 404
    assert "Strengths" not in response.text
    shared = client.post(
        f"/assessments/sittings/{OWNERS_SITTING}/share",
        data={"csrf_token": csrf, "workspace": ALPHA},
    )
    assert shared.status_code == 404
    assert "CTO readiness" not in client.get(f"/w/{ALPHA}/assessments").text
    with db.unit_of_work(write=False) as uow:
        take = uow.leadership.take(OWNERS_SITTING)
        assert take is not None
        assert take.shared_with is None


@pytest.mark.parametrize("sitting", ["999", "0", "x", "9" * 30])
def test_a_sitting_that_does_not_exist_is_404(
    world: World, browsers: Browsers, sitting: str
) -> None:
    client = signed_in(browsers, world.alpha.owner.email)
    assert client.get(f"/assessments/sittings/{sitting}").status_code == 404


def test_a_shared_sitting_is_read_in_that_workspace_only_until_taken_back(
    db: Database, world: World, browsers: Browsers, make: Factory
) -> None:
    owner = signed_in(browsers, world.alpha.owner.email)
    page = owner.get(f"/assessments/sittings/{OWNERS_SITTING}").text
    share = read(page).form(f"/assessments/sittings/{OWNERS_SITTING}/share")
    assert share.submit(owner, workspace=ALPHA).status_code == 303
    assert "Shared with alpha-corp" in text_of(
        owner.get(f"/assessments/sittings/{OWNERS_SITTING}").text
    )

    viewer = signed_in(browsers, world.alpha.viewer.email)
    shared = viewer.get(f"/w/{ALPHA}/assessments").text
    words = text_of(shared)
    assert f"{world.alpha.owner.display_name}: CTO readiness" in words
    assert "aiming to be: Scale-up CTO" in words
    assert 'class="radar-chart"' in shared
    assert viewer.get(f"/assessments/sittings/{OWNERS_SITTING}").status_code == 404

    elsewhere = signed_in(browsers, world.bravo.owner.email)
    assert "CTO readiness" not in elsewhere.get(f"/w/{BRAVO}/assessments").text
    assert elsewhere.get(f"/w/{ALPHA}/assessments").status_code == 404

    private = read(owner.get(f"/assessments/sittings/{OWNERS_SITTING}").text).form(
        f"/assessments/sittings/{OWNERS_SITTING}/share"
    )
    assert private.submit(owner, workspace="").status_code == 303
    assert "CTO readiness" not in viewer.get(f"/w/{ALPHA}/assessments").text


def test_sharing_with_a_workspace_one_does_not_belong_to_is_refused(
    db: Database, world: World, browsers: Browsers
) -> None:
    client = browsers.open()
    csrf = sign_in(client, world.alpha.owner.email)
    response = client.post(
        f"/assessments/sittings/{OWNERS_SITTING}/share",
        data={"csrf_token": csrf, "workspace": BRAVO},
    )
    assert response.status_code == 404
    assert f"workspace '{BRAVO}' not found" in text_of(response.text)
    with db.unit_of_work(write=False) as uow:
        take = uow.leadership.take(OWNERS_SITTING)
        assert take is not None
        assert take.shared_with is None


def test_a_hostile_name_on_a_shared_sitting_renders_as_text(
    db: Database, world: World, browsers: Browsers, make: Factory, operator: Actor
) -> None:
    person = make.user("mallory@example.com", name=HOSTILE)
    with db.unit_of_work(write=True) as uow:
        members.add(uow, actor=operator, workspace=ALPHA, email=person.email, role=Role.VIEWER)
        sitting = assessments.take(
            uow, actor=as_person(person), assessment=IT, ratings=dict.fromkeys(statements(), 3)
        )
        assessments.share(uow, actor=as_person(person), take_id=sitting.take.id, workspace=ALPHA)
    client = signed_in(browsers, world.alpha.viewer.email)
    page = client.get(f"/w/{ALPHA}/assessments").text
    assert f"{HOSTILE}: IT manager skill sets" in text_of(page)
    assert "<script>alert" not in page
    assert read(page).script_tags == 0
