"""The advisor service reads answers as forms and commands give them."""

from __future__ import annotations

import pytest

from quarterdeck.domain.access import Actor
from quarterdeck.domain.errors import InvalidInput
from quarterdeck.domain.workspaces import OrganisationProfile, Stage
from quarterdeck.services import advisor
from quarterdeck.storage import Database
from tests.conftest import Factory

STARTUP = {
    "stage": "startup",
    "headcount": "40",
    "engineers": "8",
    "full_time_budget": "no",
    "technology_leader": "none",
    "needs": "foundation, product-outcomes",
}


def test_a_forty_person_startup_without_a_leader_gets_a_fractional_cto_with_a_sprint() -> None:
    _, advice = advisor.run(STARTUP)
    assert advice.recommended == "fractional-cto"
    assert advice.plan is not None
    assert advice.plan.key == "assessment-sprint"
    text = advisor.brief(advice, organisation="Acme <b>Ltd</b>")
    assert text.startswith("# Hiring brief: Fractional CTO for Acme \\<b\\>Ltd\\</b\\>")
    assert "<b>" not in advisor.brief(advice, organisation="Acme <b>Ltd</b>", html=True)


def test_a_contradiction_is_named_instead_of_a_guess() -> None:
    _, advice = advisor.run({**STARTUP, "engineers": "0", "needs": "platform"})
    assert advice.recommended is None
    assert [c.rule for c in advice.contradictions] == ["platform-need-without-engineers"]


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({**STARTUP, "engineers": "eight"}, "engineers must be a whole number"),
        ({**STARTUP, "regulated": "maybe"}, "answer yes or no"),
        ({**STARTUP, "mood": "good"}, "asks no question 'mood'"),
        ({"stage": "startup"}, "answer headcount, engineers first"),
        ({**STARTUP, "needs": "world-peace"}, "needs must be one of"),
    ],
)
def test_bad_answers_are_named(answers: dict[str, str], message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        advisor.run(answers)


def test_answers_start_from_the_workspace_profile(
    db: Database, make: Factory, operator: Actor
) -> None:
    make.workspace(
        "acme",
        profile=OrganisationProfile(
            stage=Stage.SCALE_UP,
            headcount=240,
            engineering_headcount=60,
            product_lines=3,
            regulated=True,
        ),
    )
    with db.unit_of_work(write=False) as uow:
        answers = advisor.profile_answers(uow, actor=operator, workspace="acme")
    assert answers == {
        "stage": "scale-up",
        "headcount": 240,
        "engineers": 60,
        "product_lines": 3,
        "regulated": True,
    }
