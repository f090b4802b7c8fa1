"""The single intake, the capacity model, the planning settings, ranking and cost-benefit
as stored per workspace: every bad input is refused whole with a message naming it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest

from quarterdeck.domain.access import Actor, ActorKind, Role
from quarterdeck.domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from quarterdeck.domain.planning import Kind
from quarterdeck.services import capacity, intake, intake_ranking, portfolio_settings, roadmap
from quarterdeck.services.intake import IntakeFilter
from quarterdeck.storage import Database
from tests.conftest import Factory
from tests.services.portfolio_support import add, setup_portfolio

FIVE = {
    "serves": {"growth": 4},
    "departmental": 3,
    "resources": 4,
    "viability": 5,
    "risk": 1,
}


@pytest.fixture
def ws(db: Database, make: Factory, operator: Actor) -> str:
    make.workspace("acme")
    setup_portfolio(db, operator, "acme")
    return "acme"


def items_of(db: Database, operator: Actor, ws: str, **where: object) -> list[str]:
    with db.unit_of_work(write=False) as uow:
        found = intake.items(uow, actor=operator, workspace=ws, where=IntakeFilter(**where))  # type: ignore[arg-type]
    return [item.key for item in found]


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"effort": {"mobile": 3}}, "effort for unknown team 'mobile'"),
        ({"effort": {"core": -2}}, "effort for team 'core' must not be below 0"),
        ({"kind": "wish"}, "kind 'wish' is not one of"),
        ({"urgency": "urgent"}, "urgency urgent needs its reason"),
        ({"success": "1.5"}, "probability of success is from 0 to 1"),
        ({"requires": ["IN-9"]}, "dependency IN-9 is not an intake item"),
        ({"pinned_quarter": "2027-Q5"}, "not a quarter like 2027-Q1"),
        ({"outcome_key": "nowhere"}, "unknown roadmap outcome 'nowhere'"),
        ({"status": "in-progress"}, "names one primary outcome metric and one guardrail"),
        ({"scores": {"rice": {"reach": 1}}}, "rice scores lack impact, confidence, effort"),
        ({"scores": {"five-criteria": {**FIVE, "serves": {"moon": 1}}}}, "unknown strategic goal"),
        ({"ready": {"vibes": True}}, "ready checks are dependencies, risk, security, performance"),
        ({"owner": "me"}, "intake items have no field 'owner'"),
        ({"title": " "}, "an intake item needs a title"),
    ],
)
def test_bad_items_are_refused_and_nothing_is_saved(
    db: Database, operator: Actor, ws: str, values: dict[str, object], message: str
) -> None:
    with db.unit_of_work(write=True) as uow, pytest.raises(InvalidInput, match=message):
        intake.add_item(uow, actor=operator, workspace=ws, values={"title": "X", **values})
    assert items_of(db, operator, ws, status="all") == []


def test_a_dependency_cycle_is_named_and_the_edit_changes_nothing(
    db: Database, operator: Actor, ws: str
) -> None:
    first = add(db, operator, ws, "First")
    second = add(db, operator, ws, "Second", requires=[first])
    third = add(db, operator, ws, "Third", requires=[f"IN-{second}"])
    with (
        db.unit_of_work(write=True) as uow,
        pytest.raises(InvalidInput, match="dependency cycle: IN-1 requires IN-3 requires IN-2"),
    ):
        intake.edit_item(
            uow,
            actor=operator,
            workspace=ws,
            number=first,
            expected_version=1,
            changes={"requires": [third]},
        )
    with db.unit_of_work(write=False) as uow:
        assert intake.get_item(uow, actor=operator, workspace=ws, number=first).requires == []


def test_a_stale_edit_is_refused(db: Database, operator: Actor, ws: str) -> None:
    number = add(db, operator, ws, "Checkout")
    with db.unit_of_work(write=True) as uow:
        edited = intake.edit_item(
            uow,
            actor=operator,
            workspace=ws,
            number=number,
            expected_version=1,
            changes={"title": "Faster checkout"},
        )
    assert edited.version == 2
    with db.unit_of_work(write=True) as uow, pytest.raises(Conflict, match="since version 1"):
        intake.edit_item(
            uow,
            actor=operator,
            workspace=ws,
            number=number,
            expected_version=1,
            changes={"title": "Lost update"},
        )
    with db.unit_of_work(write=False) as uow:
        assert intake.get_item(uow, actor=operator, workspace=ws, number=number).title == (
            "Faster checkout"
        )


def test_filters(db: Database, operator: Actor, ws: str) -> None:
    add(db, operator, ws, "Checkout", department="Sales")
    add(db, operator, ws, "Patch", kind="risk-reduction", urgency="high", urgency_reason="CVE")
    add(db, operator, ws, "Unready", ready={})
    add(db, operator, ws, "Old", status="done")
    assert items_of(db, operator, ws) == ["IN-1", "IN-2", "IN-3"]
    assert items_of(db, operator, ws, status="all") == ["IN-1", "IN-2", "IN-3", "IN-4"]
    assert items_of(db, operator, ws, kind="risk-reduction") == ["IN-2"]
    assert items_of(db, operator, ws, department="sales") == ["IN-1"]
    assert items_of(db, operator, ws, urgency="high") == ["IN-2"]
    assert items_of(db, operator, ws, ready=False) == ["IN-3"]
    assert items_of(db, operator, ws, text="patch") == ["IN-2"]


def test_another_workspaces_item_is_not_found_and_viewers_cannot_write(
    db: Database, make: Factory, operator: Actor, ws: str
) -> None:
    add(db, operator, ws, "Secret plan")
    other = make.workspace("other")
    viewer = make.member(other, Role.VIEWER, "viewer@other.example")
    stranger = Actor(kind=ActorKind.USER, label=viewer.email, user_id=viewer.id)
    with db.unit_of_work(write=False) as uow, pytest.raises(NotFound):
        intake.get_item(uow, actor=operator, workspace="other", number=1)
    with db.unit_of_work(write=False) as uow, pytest.raises(NotFound):
        intake.get_item(uow, actor=stranger, workspace=ws, number=1)
    with db.unit_of_work(write=True) as uow, pytest.raises(Forbidden):
        intake.add_item(uow, actor=stranger, workspace="other", values={"title": "X"})


def test_checkpoints_need_evidence(db: Database, operator: Actor, ws: str) -> None:
    number = add(db, operator, ws, "Checkout")
    with db.unit_of_work(write=True) as uow, pytest.raises(InvalidInput, match="needs a note"):
        intake.record_checkpoint(
            uow,
            actor=operator,
            workspace=ws,
            number=number,
            expected_version=1,
            checkpoint="problem-validated",
            done=True,
        )
    with db.unit_of_work(write=True) as uow, pytest.raises(InvalidInput, match="http or https"):
        intake.record_checkpoint(
            uow,
            actor=operator,
            workspace=ws,
            number=number,
            expected_version=1,
            checkpoint="problem-validated",
            done=True,
            link="javascript:alert(1)",
        )
    with db.unit_of_work(write=True) as uow:
        item = intake.record_checkpoint(
            uow,
            actor=operator,
            workspace=ws,
            number=number,
            expected_version=1,
            checkpoint="problem-validated",
            done=True,
            note="12 of 15 interviews",
            link="https://wiki.example/interviews",
        )
    entry = item.checkpoints["problem-validated"]
    assert (entry["done"], entry["note"], entry["by"]) == (
        True,
        "12 of 15 interviews",
        operator.label,
    )


def test_capacity_counts_fte_hiring_dates_and_leave(db: Database, operator: Actor, ws: str) -> None:
    with db.unit_of_work(write=True) as uow:
        capacity.update_team(
            uow,
            actor=operator,
            workspace=ws,
            key="core",
            expected_version=1,
            name="Core",
            reserve_percent=20,
            max_parallel=2,
        )
        capacity.put_person(
            uow,
            actor=operator,
            workspace=ws,
            name="New hire",
            team="core",
            fte="0.5",
            starts_on=date(2027, 2, 15),
            leave={"2027-Q2": 1},
        )
    with db.unit_of_work(write=False) as uow:
        (core, _web) = capacity.capacities(uow, uow.workspaces.by_slug(ws), ("2027-Q1", "2027-Q2"))  # type: ignore[arg-type]
    # Two full-timers (26) + half-time from 15 February: 45 of 90 days -> 6.5 x 0.5 = 3.25.
    assert core.capacity["2027-Q1"] == Decimal("29.25")
    # Q2: 26 + (13 - 1 week of leave) x 0.5 = 32; 20 % of it is reserved.
    assert core.capacity["2027-Q2"] == Decimal("32.00")
    assert core.reserve["2027-Q2"] == Decimal("6.40")
    assert core.available("2027-Q2") == Decimal("25.60")


@pytest.mark.parametrize(
    ("person", "message"),
    [
        ({"fte": "1.5"}, "FTE must be above 0 and at most 1"),
        ({"fte": "-1"}, "FTE must not be below 0"),
        ({"team": "ghosts"}, "unknown team 'ghosts'"),
        ({"leave": {"2027-Q1": 14}}, "leave in 2027-Q1 must be 0-13 weeks"),
        ({"starts_on": date(2027, 5, 1), "ends_on": date(2027, 4, 1)}, "before joining"),
    ],
)
def test_bad_people_are_refused(
    db: Database, operator: Actor, ws: str, person: dict[str, object], message: str
) -> None:
    values = {"name": "Zed", "team": "core", "fte": 1, **person}
    with db.unit_of_work(write=True) as uow, pytest.raises(InvalidInput, match=message):
        capacity.put_person(uow, actor=operator, workspace=ws, **values)  # type: ignore[arg-type]
    with db.unit_of_work(write=False) as uow:
        assert uow.portfolio.person(uow.workspaces.by_slug(ws).id, "Zed") is None  # type: ignore[union-attr]


def test_split_targets_must_sum_to_100_and_a_stale_save_is_refused(
    db: Database, operator: Actor, ws: str
) -> None:
    bad = {
        "2027-Q1": [{"kind": "product-bet", "target": 70}, {"kind": "risk-reduction", "target": 20}]
    }
    with (
        db.unit_of_work(write=True) as uow,
        pytest.raises(InvalidInput, match="2027-Q1: split: targets sum to 90 %"),
    ):
        portfolio_settings.set_planning_settings(
            uow, actor=operator, workspace=ws, expected_version=1, splits=bad
        )
    with db.unit_of_work(write=True) as uow, pytest.raises(Conflict):
        portfolio_settings.set_planning_settings(
            uow, actor=operator, workspace=ws, expected_version=0, value_unit="EUR"
        )
    with db.unit_of_work(write=False) as uow:
        settings = portfolio_settings.planning_settings(uow, actor=operator, workspace=ws)
    assert settings.value_unit == "points"
    assert settings.splits["2027-Q1"].share(Kind.PRODUCT_BET).target == 60


def test_ranking_by_five_criteria_with_unscored_and_excluded_items(
    db: Database, operator: Actor, ws: str
) -> None:
    add(db, operator, ws, "Strong", scores={"five-criteria": FIVE})
    add(db, operator, ws, "Weaker", scores={"five-criteria": {**FIVE, "viability": 2}})
    add(
        db,
        operator,
        ws,
        "Nobody wants it",
        scores={"five-criteria": {**FIVE, "departments": False}},
    )
    add(db, operator, ws, "Not scored")
    with db.unit_of_work(write=False) as uow:
        result = intake_ranking.rank(uow, actor=operator, workspace=ws)
    assert [r.key for r in result.ranking.ranked] == ["IN-1", "IN-2"]
    # Five weights of 1: strategic 4/5, departmental 3/5, resources 4/5, viability 5/5,
    # risk (lower is better) 4/5: (4 + 3 + 4 + 5 + 4) / 25 = 4/5.
    assert result.ranking.ranked[0].score == Fraction(4, 5)
    assert [e.key for e in result.ranking.excluded] == ["IN-3"]
    assert [(u.key, u.reason) for u in result.unscored] == [
        ("IN-4", "not scored for five-criteria")
    ]


@pytest.mark.parametrize(
    ("scores", "message"),
    [
        ({"five-criteria": {**FIVE, "viability": 9}}, "viability is 9, outside its scale 0..5"),
        ({"rice": {"reach": 10, "impact": 4, "confidence": 50, "effort": 1}}, "rice scores"),
        (
            {
                "wsjf": {
                    "business_value": 4,
                    "time_criticality": 1,
                    "risk_reduction": 1,
                    "job_size": 1,
                }
            },
            "wsjf scores",
        ),
    ],
)
def test_scores_off_their_scale_are_refused_on_entry(
    db: Database, operator: Actor, ws: str, scores: dict[str, object], message: str
) -> None:
    with db.unit_of_work(write=True) as uow, pytest.raises(InvalidInput, match=message):
        intake.add_item(
            uow, actor=operator, workspace=ws, values={"title": "Keen", "scores": scores}
        )
    assert items_of(db, operator, ws, status="all") == []


def test_a_score_left_off_a_changed_scale_sets_that_item_aside_not_the_ranking(
    db: Database, operator: Actor, ws: str
) -> None:
    criterion = {"key": "reach", "label": "Reach", "weight": 1, "low": -5, "high": 5}
    with db.unit_of_work(write=True) as uow:
        portfolio_settings.set_planning_settings(
            uow, actor=operator, workspace=ws, expected_version=1, criteria=[criterion]
        )
    add(db, operator, ws, "Fine", scores={"weighted": {"reach": 1}})
    add(db, operator, ws, "Was fine", scores={"weighted": {"reach": -4}})
    with db.unit_of_work(write=True) as uow:  # the scale narrows after both were scored
        portfolio_settings.set_planning_settings(
            uow,
            actor=operator,
            workspace=ws,
            expected_version=2,
            criteria=[{**criterion, "low": 0}],
        )
    with db.unit_of_work(write=False) as uow:
        result = intake_ranking.rank(uow, actor=operator, workspace=ws, method="weighted")
    assert [r.key for r in result.ranking.ranked] == ["IN-1"]
    assert [u.key for u in result.unscored] == ["IN-2"]
    assert "outside its scale" in result.unscored[0].reason


def test_cost_benefit_is_stored_and_appraised(db: Database, operator: Actor, ws: str) -> None:
    number = add(db, operator, ws, "Automate invoicing")
    with (
        db.unit_of_work(write=True) as uow,
        pytest.raises(InvalidInput, match="costs list 2 periods"),
    ):
        roadmap.set_cost_benefit(
            uow,
            actor=operator,
            workspace=ws,
            number_=number,
            expected_version=1,
            period="year",
            discount_rate=10,
            costs="100, 0",
            benefits="0, 60, 60",
        )
    with db.unit_of_work(write=True) as uow:
        _, appraisal = roadmap.set_cost_benefit(
            uow,
            actor=operator,
            workspace=ws,
            number_=number,
            expected_version=1,
            period="year",
            discount_rate=10,
            costs="100, 0, 0",
            benefits="0, 66, 60.5",
        )
    # -100 + 66/1.1 + 60.5/1.21 = -100 + 60 + 50 = 10
    assert appraisal.expected.npv == Decimal("10.00")
    assert appraisal.shown_by_default()[0].scenario.value == "pessimistic"
    with db.unit_of_work(write=False) as uow:
        again = roadmap.appraisal(uow, actor=operator, workspace=ws, number_=number)
    assert again is not None
    assert again.expected.npv == Decimal("10.00")


def test_outcomes_and_the_roadmap(db: Database, operator: Actor, ws: str) -> None:
    with db.unit_of_work(write=True) as uow:
        roadmap.put_outcome(
            uow,
            actor=operator,
            workspace=ws,
            key="activation",
            theme="Growth",
            title="More trials convert",
            metric="trial-conversion",
            target="25 %",
            quarter="2027-Q1",
        )
    add(db, operator, ws, "Onboarding", outcome_key="activation")
    add(db, operator, ws, "Event bus", kind="platform-investment", outcome_key="activation")
    add(db, operator, ws, "Orphan")
    with db.unit_of_work(write=False) as uow:
        view = roadmap.roadmap(uow, actor=operator, workspace=ws)
    (theme,) = view.themes
    assert theme.name == "Growth"
    assert [i.key for i in theme.outcomes[0].initiatives] == ["IN-1", "IN-2"]
    assert [i.key for i in view.tech] == ["IN-2"]
    assert [i.key for i in view.unlinked] == ["IN-3"]
    with db.unit_of_work(write=True) as uow, pytest.raises(InvalidInput, match="not a quarter"):
        roadmap.put_outcome(
            uow,
            actor=operator,
            workspace=ws,
            key="retention",
            theme="Growth",
            title="Keep",
            metric="churn",
            target="2 %",
            quarter="Q3",
        )
