"""The kinds of technology leader through the API: the catalog, the role advisor and its
hiring brief, and setting a workspace up for its leadership model. Playbook runs and the
handover pack are in test_leadership_runs, engagements and assessments in
test_leadership_people.

Every tenant starts as tests/api/world.py builds it: a startup on the CTO + CPO model."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from quarterdeck.catalog.roles import role_catalog
from quarterdeck.storage import Database
from tests.api.routes_leadership_api import STARTUP_ANSWERS
from tests.api.test_portfolio import PF, Unchanged, refused
from tests.api.world import Browsers, World
from tests.conftest import sign_in


@pytest.fixture
def owner(browsers: Browsers, world: World) -> TestClient:
    """A signed-in owner of alpha whose writes carry the session's CSRF token."""
    client = browsers.open()
    client.headers["X-CSRF-Token"] = sign_in(client, world.alpha.owner.email)
    return client


@pytest.fixture
def unchanged(db: Database) -> Unchanged:
    return Unchanged(db)


# -- the catalog -------------------------------------------------------------------------------


def test_catalog_lists_every_kind_with_the_neighbouring_roles_marked(owner: TestClient) -> None:
    kinds = owner.get("/api/v1/roles").json()
    assert [k["key"] for k in kinds] == list(role_catalog().keys)
    by_key = {k["key"]: k for k in kinds}
    assert by_key["cio"]["neighbour"] is True
    fractional = by_key["fractional-cto"]
    assert fractional["neighbour"] is False
    assert fractional["engagement"]["mode"] == "fractional"
    assert fractional["engagement"]["hours_per_week"] == {"low": 15, "high": 20}
    assert [p["key"] for p in fractional["playbooks"]] == list(
        role_catalog().kind("fractional-cto").playbooks
    )
    assert all(m["name"] for m in fractional["success_measures"])


def test_comparison_keeps_the_order_asked_for(owner: TestClient) -> None:
    compared = owner.get("/api/v1/roles/compare?kinds=interim-cto,cpto&kinds=fractional-cto")
    assert compared.status_code == 200
    assert [k["key"] for k in compared.json()] == ["interim-cto", "cpto", "fractional-cto"]


@pytest.mark.parametrize(
    ("kinds", "message"),
    [
        ("cpto", "compare 2 to 4 kinds of leader, not 1"),
        ("cpto,cio,cpo,field-cto,ai-cto", "not 5"),
        ("cpto,cpto", "cpto given more than once"),
        ("cpto,chief-wizard", "unknown kind of leader 'chief-wizard'"),
    ],
)
def test_a_comparison_that_cannot_be_made_says_why(
    owner: TestClient, kinds: str, message: str
) -> None:
    refused(owner.get(f"/api/v1/roles/compare?kinds={kinds}"), 422, message)


def test_a_kind_lists_its_playbooks_and_the_assessments_that_serve_it(owner: TestClient) -> None:
    it_manager = owner.get("/api/v1/roles/it-manager").json()
    assert [p["key"] for p in it_manager["playbooks"]] == ["it-manager-new-project", "becoming-cto"]
    assert "it-manager-skills" in [a["key"] for a in it_manager["assessments"]]
    playbooks = owner.get("/api/v1/playbooks?kind=it-manager").json()
    assert [p["key"] for p in playbooks] == ["it-manager-new-project", "becoming-cto"]
    assessments = owner.get("/api/v1/assessments?kind=it-manager").json()
    assert "it-manager" in assessments[0]["role_kinds"]


def test_a_playbook_and_an_assessment_read_whole(owner: TestClient) -> None:
    playbook = owner.get("/api/v1/playbooks/interim-cto-onboarding").json()
    assert len(playbook["steps"]) == 12
    assert "interim-cto" in playbook["kinds"]
    assert playbook["length_days"] == max(s["due_day"] for s in playbook["steps"])
    assessment = owner.get("/api/v1/assessments/modern-cto-skills").json()
    assert len(assessment["areas"]) == 13
    assert (assessment["rating_min"], assessment["rating_max"]) == (1, 5)
    assert all(len(area["statements"]) == 3 for area in assessment["areas"])


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/api/v1/roles/chief-wizard", "there is no kind of leader 'chief-wizard'"),
        ("/api/v1/playbooks/world-domination", "there is no playbook 'world-domination'"),
        ("/api/v1/assessments/iq-test", "there is no assessment 'iq-test'"),
    ],
)
def test_a_key_the_catalog_does_not_hold_answers_404(
    owner: TestClient, path: str, message: str
) -> None:
    refused(owner.get(path), 404, message, "known:")


def test_a_filter_by_an_unknown_kind_answers_422(owner: TestClient) -> None:
    refused(owner.get("/api/v1/playbooks?kind=chief-wizard"), 422, "unknown kind of leader")
    refused(owner.get("/api/v1/assessments?kind=chief-wizard"), 422, "unknown kind of leader")


# -- the advisor -------------------------------------------------------------------------------


def test_advisor_recommends_a_fractional_cto_starting_with_an_assessment_sprint(
    owner: TestClient, unchanged: Unchanged
) -> None:
    with unchanged:
        response = owner.post("/api/v1/advisor", json={"answers": STARTUP_ANSWERS})
    assert response.status_code == 200, response.text
    advice = response.json()
    assert advice["contradictions"] == []
    assert advice["recommended"] == "fractional-cto"
    assert advice["recommended_name"] == role_catalog().kind("fractional-cto").name
    assert advice["kinds"][0]["kind"] == "fractional-cto"
    scores = [k["score"] for k in advice["kinds"]]
    assert scores == sorted(scores, reverse=True)
    assert advice["plan"]["key"] == "assessment-sprint"
    assert advice["engagement"]["hours_per_week"] == {"low": 15, "high": 20}
    assert advice["seat"] == {"model": "fractional-cto", "role": "fractional-cto"}
    supporting = [r["rule"] for r in advice["reasons"] if r["supports"]]
    assert "fractional-no-full-time-budget" in supporting
    assert "fractional-assessment-start" in supporting
    assert set(advice["kinds"][0]["rules"]) <= {r["rule"] for r in advice["reasons"]}
    assert all(n["unmet"] for n in advice["not_fired"])
    # Questions left out are read with their defaults.
    assert advice["answers"]["urgency"] == "normal"
    assert advice["answers"]["needs"] == ["foundation", "product-outcomes"]


def test_advisor_names_a_contradiction_and_then_recommends_nothing(owner: TestClient) -> None:
    answers = {**STARTUP_ANSWERS, "engineers": 80}
    advice = owner.post("/api/v1/advisor", json={"answers": answers}).json()
    assert [c["rule"] for c in advice["contradictions"]] == ["engineers-exceed-headcount"]
    assert "one of the two numbers is wrong" in advice["contradictions"][0]["reason"]
    assert advice["recommended"] is None
    assert advice["kinds"] == []
    assert advice["plan"] is None


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({**STARTUP_ANSWERS, "budget": 3}, "the advisor asks no question 'budget'"),
        ({"stage": "startup", "headcount": 40}, "answer engineers first"),
        ({**STARTUP_ANSWERS, "headcount": "forty"}, "headcount must be a whole number"),
        ({**STARTUP_ANSWERS, "headcount": 40.5}, "headcount must be a whole number"),
        ({**STARTUP_ANSWERS, "stage": "unicorn"}, "stage must be one of startup"),
        ({**STARTUP_ANSWERS, "needs": ["magic"]}, "needs must be one of"),
        ({**STARTUP_ANSWERS, "regulated": "perhaps"}, "answer yes or no"),
    ],
)
def test_a_bad_answer_is_named(
    owner: TestClient, unchanged: Unchanged, answers: dict[str, object], message: str
) -> None:
    with unchanged:
        refused(owner.post("/api/v1/advisor", json={"answers": answers}), 422, message)


def test_every_question_is_described_with_what_it_takes(owner: TestClient) -> None:
    questions = {q["name"]: q for q in owner.get("/api/v1/advisor/questions").json()}
    assert {name for name, q in questions.items() if q["required"]} == {
        "stage",
        "headcount",
        "engineers",
    }
    assert questions["stage"]["choices"] == ["startup", "scale-up", "enterprise"]
    assert questions["headcount"]["low"] == 1
    assert questions["urgency"]["default"] == "normal"
    assert questions["needs"]["default"] == []


def test_hiring_brief_comes_as_markdown_or_as_sanitized_html(owner: TestClient) -> None:
    body = {"answers": STARTUP_ANSWERS, "organisation": "Acme <script>alert(1)</script>"}
    markdown = owner.post("/api/v1/advisor/brief", json=body)
    assert markdown.status_code == 200
    assert markdown.headers["content-type"].startswith("text/markdown")
    assert markdown.text.startswith("# Hiring brief: Fractional CTO for Acme")
    html = owner.post("/api/v1/advisor/brief?format=html", json=body)
    assert html.headers["content-type"].startswith("text/html")
    assert "<script>" not in html.text
    assert "Fractional CTO" in html.text
    refused(
        owner.post("/api/v1/advisor/brief", json={**body, "organisation": ""}),
        422,
        "organisation",
    )


def test_the_workspace_profile_gives_the_first_answers(owner: TestClient) -> None:
    prefilled = owner.get(f"{PF}/advisor/answers").json()["answers"]
    assert prefilled["stage"] == "startup"
    assert {"engineers", "product_lines", "regulated"} <= set(prefilled)
    completed = {**prefilled, "headcount": 40, "engineers": 8, "needs": ["foundation"]}
    assert owner.post("/api/v1/advisor", json={"answers": completed}).status_code == 200


# -- set-up ------------------------------------------------------------------------------------


def test_owner_installs_the_accepted_suggestions_and_the_record_says_what_became_of_each(
    owner: TestClient,
) -> None:
    proposal = owner.get(f"{PF}/setup?model=fractional-cto").json()
    assert proposal["model"] == "fractional-cto"
    assert proposal["leader_kind"] == "fractional-cto"
    ids = [s["id"] for s in proposal["suggestions"]]
    assert ids[0] == "rights"
    assert "playbook:fractional-engagement" in ids
    assert not any(s["in_place"] for s in proposal["suggestions"])
    accepted = ["rights", "playbook:fractional-engagement"]
    installed = owner.post(f"{PF}/setup", json={"model": "fractional-cto", "accept": accepted})
    assert installed.status_code == 201, installed.text
    record = installed.json()
    assert record["leadership_model"] == "fractional-cto"
    outcomes = {entry["id"]: entry["outcome"] for entry in record["installed"]}
    assert outcomes == {i: "installed" if i in accepted else "skipped" for i in ids}
    assert [s["id"] for s in owner.get(f"{PF}/setups").json()] == [record["id"]]
    # The profile now follows the model, and what was installed is in place.
    again = owner.get(f"{PF}/setup").json()
    assert again["model"] == "fractional-cto"
    in_place = {s["id"] for s in again["suggestions"] if s["in_place"]}
    assert set(accepted) <= in_place
    runs = owner.get(f"{PF}/playbook-runs?status=running").json()
    assert "fractional-engagement" in [r["playbook"] for r in runs]


def test_an_unknown_suggestion_installs_nothing(owner: TestClient, unchanged: Unchanged) -> None:
    with unchanged:
        response = owner.post(f"{PF}/setup", json={"accept": ["rights", "playbook:heroics"]})
    refused(response, 422, "no suggestion 'playbook:heroics'", "known:")


def test_an_editor_reads_the_proposal_but_cannot_install(
    browsers: Browsers, world: World, unchanged: Unchanged
) -> None:
    editor = browsers.open()
    editor.headers["X-CSRF-Token"] = sign_in(editor, world.alpha.editor.email)
    assert editor.get(f"{PF}/setup").status_code == 200
    with unchanged:
        refused(editor.post(f"{PF}/setup", json={"accept": ["rights"]}), 403, "administer")
