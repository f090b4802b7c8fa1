"""Scorecards: choosing metrics, thresholds, measurements, and the cards that judge them."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from quarterdeck.domain.access import Actor, ActorKind, Role
from quarterdeck.domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from quarterdeck.domain.scorecard import (
    Cadence,
    Category,
    Direction,
    KpiSet,
    Level,
    Thresholds,
    TrendDirection,
    Unit,
)
from quarterdeck.services import members, scorecard
from quarterdeck.storage import Database
from tests.conftest import Factory

MTTR = Thresholds(target=Decimal(12), warning=Decimal(24), critical=Decimal(48))


def person(user_id: int, email: str) -> Actor:
    return Actor(kind=ActorKind.USER, label=email, user_id=user_id)


@pytest.fixture
def editor(make: Factory) -> Actor:
    ws = make.workspace("acme")
    user = make.member(ws, Role.EDITOR, "lead@example.com")
    return person(user.id, user.email)


def today() -> date:
    return datetime.now(UTC).date()


def test_a_scorecard_starts_from_the_quick_starter_set_once(db: Database, editor: Actor) -> None:
    with db.unit_of_work(write=True) as uow:
        added = scorecard.start_from_set(
            uow, actor=editor, workspace="acme", kpi_set=KpiSet.QUICK_STARTER
        )
        again = scorecard.start_from_set(
            uow, actor=editor, workspace="acme", kpi_set="quick-starter"
        )
    assert len(added) == 10
    assert again == []
    with db.unit_of_work(write=False) as uow:
        view = scorecard.show(uow, actor=editor, workspace="acme")
    assert {card.metric.key for card in view.cards} == {m.key for m in added}
    assert all(card.status.level is Level.UNKNOWN for card in view.cards)
    assert view.cards[0].status.reason == "no value recorded yet"


def test_measurements_are_judged_against_thresholds_with_a_trend(
    db: Database, editor: Actor
) -> None:
    with db.unit_of_work(write=True) as uow:
        scorecard.add_metric(uow, actor=editor, workspace="acme", key="mttr", thresholds=MTTR)
        for weeks_ago, hours in ((3, "30"), (2, "26"), (1, "22"), (0, "38")):
            scorecard.record(
                uow,
                actor=editor,
                workspace="acme",
                key="mttr",
                period_end=today() - timedelta(weeks=weeks_ago),
                value=Decimal(hours),
            )
    with db.unit_of_work(write=False) as uow:
        [card] = scorecard.show(uow, actor=editor, workspace="acme").cards
    assert card.status.level is Level.AMBER
    assert card.status.reason == "38 h is above the warning line of 24 h (target 12 h)"
    assert card.trend.direction is TrendDirection.WORSENING  # 38 against the mean 26
    assert card.trend.change == Decimal(12)
    assert [value for _, value in card.series] == [30, 26, 22, 38]


def test_a_person_corrects_a_computed_value_and_an_old_value_goes_stale(
    db: Database, editor: Actor
) -> None:
    old = today() - timedelta(days=40)
    with db.unit_of_work(write=True) as uow:
        scorecard.add_metric(
            uow, actor=editor, workspace="acme", key="mttr", thresholds=MTTR, cadence=Cadence.WEEKLY
        )
        scorecard.record(
            uow,
            actor=editor,
            workspace="acme",
            key="mttr",
            period_end=old,
            value=Decimal(50),
            source="computed:delivery.time-to-restore",
        )
        scorecard.record(
            uow, actor=editor, workspace="acme", key="mttr", period_end=old, value=Decimal(10)
        )
    with db.unit_of_work(write=False) as uow:
        detail = scorecard.detail(uow, actor=editor, workspace="acme", key="mttr")
    assert detail.card.latest is not None
    assert (detail.card.latest.value, detail.card.latest.source) == (Decimal(10), "manual")
    assert len(detail.measurements) == 2  # both values are kept
    assert detail.card.status.level is Level.UNKNOWN
    assert detail.card.status.stale
    assert detail.card.status.reason.startswith("stale: last measured")


def test_custom_metrics_and_their_thresholds_are_checked(db: Database, editor: Actor) -> None:
    with db.unit_of_work(write=True) as uow:
        custom = scorecard.add_custom_metric(
            uow,
            actor=editor,
            workspace="acme",
            key="churned-seats",
            name="Churned seats",
            category=Category.PRODUCT,
            unit=Unit.COUNT,
            direction=Direction.LOWER,
            owner="Daniel Reyes",
        )
    assert custom.definition.name == "Churned seats"
    bad = {"target": "50", "warning": "20", "critical": "80"}
    with pytest.raises(InvalidInput, match="target"):
        scorecard.parse_thresholds(Direction.LOWER, bad)
    with pytest.raises(InvalidInput, match="critical as well"):
        scorecard.parse_thresholds(Direction.LOWER, {"target": "1", "warning": "2"})
    with (
        pytest.raises(InvalidInput, match="is a catalog metric"),
        db.unit_of_work(write=True) as uow,
    ):
        scorecard.add_custom_metric(
            uow,
            actor=editor,
            workspace="acme",
            key="mttr",
            name="x",
            category=Category.PRODUCT,
            unit=Unit.COUNT,
            direction=Direction.LOWER,
        )


def test_a_stale_configuration_is_refused(db: Database, editor: Actor) -> None:
    with db.unit_of_work(write=True) as uow:
        added = scorecard.add_metric(uow, actor=editor, workspace="acme", key="mttr")
        scorecard.configure(
            uow,
            actor=editor,
            workspace="acme",
            key="mttr",
            expected_version=added.version,
            owner="Maya",
            thresholds=MTTR,
        )
    with pytest.raises(Conflict), db.unit_of_work(write=True) as uow:
        scorecard.configure(
            uow,
            actor=editor,
            workspace="acme",
            key="mttr",
            expected_version=added.version,
            owner="Someone else",
        )
    with db.unit_of_work(write=False) as uow:
        [card] = scorecard.show(uow, actor=editor, workspace="acme").cards
    assert card.metric.owner == "Maya"


def test_viewers_read_and_other_workspaces_see_nothing(
    db: Database, make: Factory, editor: Actor
) -> None:
    with db.unit_of_work(write=True) as uow:
        scorecard.add_metric(uow, actor=editor, workspace="acme", key="mttr")
    viewer_user = make.member(make.workspace("acme-2"), Role.OWNER, "owner2@example.com")
    outsider = person(viewer_user.id, viewer_user.email)
    with pytest.raises(NotFound), db.unit_of_work(write=False) as uow:
        scorecard.show(uow, actor=outsider, workspace="acme")
    with db.unit_of_work(write=False) as uow:
        ws = uow.workspaces.by_slug("acme")
    assert ws is not None
    reader = make.user("reader@example.com")
    with db.unit_of_work(write=True) as uow:
        members.add(
            uow, actor=Actor.operator(), workspace="acme", email=reader.email, role=Role.VIEWER
        )
    viewer = person(reader.id, reader.email)
    with db.unit_of_work(write=False) as uow:
        assert len(scorecard.show(uow, actor=viewer, workspace="acme").cards) == 1
    with pytest.raises(Forbidden), db.unit_of_work(write=True) as uow:
        scorecard.record(
            uow, actor=viewer, workspace="acme", key="mttr", period_end=today(), value=Decimal(1)
        )


@pytest.mark.parametrize(
    ("value", "period", "message"),
    [
        (Decimal(-1), 0, "cannot be negative"),
        (Decimal("NaN"), 0, "finite"),
        (Decimal(5), 60, "more than a month from today"),
    ],
)
def test_bad_values_are_refused_and_nothing_is_stored(
    db: Database, editor: Actor, value: Decimal, period: int, message: str
) -> None:
    with db.unit_of_work(write=True) as uow:
        scorecard.add_metric(uow, actor=editor, workspace="acme", key="mttr")
    with pytest.raises(InvalidInput, match=message), db.unit_of_work(write=True) as uow:
        scorecard.record(
            uow,
            actor=editor,
            workspace="acme",
            key="mttr",
            period_end=today() + timedelta(days=period),
            value=value,
        )
    with db.unit_of_work(write=False) as uow:
        assert scorecard.detail(uow, actor=editor, workspace="acme", key="mttr").measurements == ()


def test_a_category_owner_is_set_against_the_settings_version(
    db: Database, make: Factory, editor: Actor
) -> None:
    with db.unit_of_work(write=False) as uow:
        assert scorecard.category_owners(uow, actor=editor, workspace="acme") == ({}, 0)
    with db.unit_of_work(write=True) as uow:
        named = scorecard.set_category_owner(
            uow,
            actor=editor,
            workspace="acme",
            category=Category.DELIVERY,
            owner=" VP Engineering ",
            expected_version=0,
        )
    assert named == ({"delivery": "VP Engineering"}, 1)
    with pytest.raises(Conflict), db.unit_of_work(write=True) as uow:
        scorecard.set_category_owner(
            uow,
            actor=editor,
            workspace="acme",
            category=Category.DELIVERY,
            owner="CTO",
            expected_version=0,  # read before the change above
        )
    with db.unit_of_work(write=False) as uow:
        assert scorecard.category_owners(uow, actor=editor, workspace="acme") == named
        assert scorecard.show(uow, actor=editor, workspace="acme").settings_version == 1
        ws = uow.workspaces.by_slug("acme")
        assert ws is not None
        [entry] = [e for e in uow.audit.all_for(ws.id) if e.action.startswith("scorecard.")]
    assert (entry.action, entry.entity_id) == ("scorecard.category_owner_set", "delivery")
    assert (entry.before, entry.after) == ({"owner": ""}, {"owner": "VP Engineering"})
    reader = make.member(make.workspace("acme-2"), Role.VIEWER, "viewer@example.com")
    with db.unit_of_work(write=True) as uow:
        members.add(
            uow, actor=Actor.operator(), workspace="acme", email=reader.email, role=Role.VIEWER
        )
    viewer = person(reader.id, reader.email)
    outsider_user = make.member(make.workspace("acme-3"), Role.OWNER, "owner3@example.com")
    outsider = person(outsider_user.id, outsider_user.email)
    for actor, refusal in ((viewer, Forbidden), (outsider, NotFound)):
        with pytest.raises(refusal), db.unit_of_work(write=True) as uow:
            scorecard.set_category_owner(
                uow,
                actor=actor,
                workspace="acme",
                category=Category.COST,
                owner="CFO",
                expected_version=1,
            )
    with db.unit_of_work(write=False) as uow:
        assert scorecard.category_owners(uow, actor=editor, workspace="acme") == named


def test_a_refused_import_lists_every_bad_line(db: Database, editor: Actor) -> None:
    with db.unit_of_work(write=True) as uow:
        scorecard.add_metric(uow, actor=editor, workspace="acme", key="mttr")
    day = (today() - timedelta(days=3)).isoformat()
    unreadable = "metric,period_end,value\n" + "".join(
        f"mttr,{today() - timedelta(days=n)},many\n" for n in range(12)
    )
    untracked = f"metric,period_end,value\nmttr,{day},4\nnps,{day},41\nescaped-defects,{day},2\n"
    for data, count, first in (
        (unreadable, 12, "q.csv line 2: column value"),
        (untracked, 2, "q.csv line 3: metric 'nps' is not on the scorecard"),
    ):
        with pytest.raises(scorecard.ImportRefused) as refused, db.unit_of_work(write=True) as uow:
            scorecard.import_measurements(
                uow, actor=editor, workspace="acme", data=data.encode(), source="q.csv"
            )
        assert len(refused.value.problems) == count
        assert refused.value.problems[0].startswith(first)
        assert refused.value.message.count("q.csv line") == min(count, 10)
    with db.unit_of_work(write=False) as uow:
        assert scorecard.detail(uow, actor=editor, workspace="acme", key="mttr").measurements == ()
