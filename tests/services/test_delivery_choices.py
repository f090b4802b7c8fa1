"""The choices behind the delivery figures, release rules and start points included:
changing them is stored, audited and recomputes the computed measurements at once; a stale
version or a bad value changes nothing."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from quarterdeck.domain.access import Actor
from quarterdeck.domain.delivery import CommitTime
from quarterdeck.domain.delivery_bands import BandsEdition
from quarterdeck.domain.engineering import Commit
from quarterdeck.domain.errors import Conflict, InvalidInput
from quarterdeck.domain.scorecard import Cadence
from quarterdeck.services import delivery, engineering, scorecard
from quarterdeck.storage import Database, make_engine
from tests.conftest import Factory
from tests.ingest.git_support import commit, make_repo, tag

NOW = datetime(2026, 3, 16, 12, 0, tzinfo=UTC)  # a Monday: the last complete week is 9-15 March
WEEK_END = date(2026, 3, 15)


@pytest.fixture
def clocked(database_url: str, make: Factory) -> Iterator[Database]:
    """The same database, on a clock stopped at NOW (the workspace lives in UTC)."""
    make.workspace("acme")
    database = Database(make_engine(database_url), clock=lambda: NOW)
    yield database
    database.dispose()


@pytest.fixture
def shipped(clocked: Database, operator: Actor, tmp_path: Path) -> Database:
    """A repository whose one released change was written 26 h before its release but
    committed (rebased) only 14 h before it, read with lead time on a weekly scorecard."""
    repo = make_repo(tmp_path / "shop")
    commit(repo, "first", authored="2026-03-02T09:00:00+00:00")
    tag(repo, "v1.0.0", at="2026-03-10T10:00:00+00:00")
    commit(
        repo,
        "checkout fix",
        authored="2026-03-11T08:00:00+00:00",
        committed="2026-03-11T20:00:00+00:00",
    )
    tag(repo, "v1.1.0", at="2026-03-12T10:00:00+00:00")
    with clocked.unit_of_work(write=True) as uow:
        scorecard.add_metric(
            uow, actor=operator, workspace="acme", key="lead-time", cadence=Cadence.WEEKLY
        )
        engineering.ingest_git(
            uow,
            actor=operator,
            workspace="acme",
            path=str(repo),
            release_pattern="v*",
            service="shop",
        )
    return clocked


def lead_time(database: Database, operator: Actor) -> Decimal:
    """The lead time the scorecard shows for the last complete week."""
    with database.unit_of_work(write=False) as uow:
        [card] = scorecard.show(uow, actor=operator, workspace="acme").cards
    assert card.latest is not None
    assert (card.latest.period_end, card.latest.source[:9]) == (WEEK_END, "computed:")
    return card.latest.value


def current(database: Database, operator: Actor) -> tuple[delivery.DeliveryChoices, int]:
    with database.unit_of_work(write=False) as uow:
        return delivery.current_choices(uow, actor=operator, workspace="acme")


def test_switching_to_committer_time_is_stored_audited_and_recomputed(
    shipped: Database, operator: Actor
) -> None:
    assert lead_time(shipped, operator) == Decimal(26)  # authored 08:00, released 10:00 next day
    before, version = current(shipped, operator)
    assert (before.settings.commit_time, before.settings.bands_edition) == (
        CommitTime.AUTHOR,
        BandsEdition.DORA_2023,
    )
    with shipped.unit_of_work(write=True) as uow:
        changed, saved = engineering.set_delivery_choices(
            uow,
            actor=operator,
            workspace="acme",
            expected_version=version,
            commit_time=CommitTime.COMMITTER,
            bands_edition=BandsEdition.DORA_2021,
        )
    assert lead_time(shipped, operator) == Decimal(14)  # committed 20:00, released 10:00
    after, new_version = current(shipped, operator)
    assert after == changed
    assert (after.settings.commit_time, after.settings.bands_edition) == (
        CommitTime.COMMITTER,
        BandsEdition.DORA_2021,
    )
    assert after.releases == before.releases  # what was not given stays
    assert after.settings.production_environment == before.settings.production_environment
    assert new_version == saved == version + 1
    with shipped.unit_of_work(write=False) as uow:
        ws = uow.workspaces.by_slug("acme")
        assert ws is not None
        [entry] = [e for e in uow.audit.all_for(ws.id) if e.action == "delivery.choices_changed"]
    assert entry.before is not None
    assert entry.after is not None
    assert (entry.before["commit_time"], entry.after["commit_time"]) == ("author", "committer")
    assert (entry.before["bands_edition"], entry.after["bands_edition"]) == ("2023", "2021")
    assert entry.actor == operator.label


def test_a_stale_version_is_a_conflict_and_changes_nothing(
    shipped: Database, operator: Actor
) -> None:
    _, version = current(shipped, operator)
    with shipped.unit_of_work(write=True) as uow:
        engineering.set_delivery_choices(
            uow,
            actor=operator,
            workspace="acme",
            expected_version=version,
            bands_edition=BandsEdition.DORA_2021,
        )
    with pytest.raises(Conflict), shipped.unit_of_work(write=True) as uow:
        engineering.set_delivery_choices(
            uow,
            actor=operator,
            workspace="acme",
            expected_version=version,
            commit_time=CommitTime.COMMITTER,
        )
    choices, _ = current(shipped, operator)
    assert choices.settings.commit_time is CommitTime.AUTHOR
    assert choices.settings.bands_edition is BandsEdition.DORA_2021
    assert lead_time(shipped, operator) == Decimal(26)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"max_link_gap_hours": 0}, "linking gap must be above 0"),
        ({"max_link_gap_hours": -3}, "linking gap must be above 0"),
        ({"max_link_gap_hours": 721}, "at most 720 hours"),
        ({"production_environment": "   "}, "production environment needs a name"),
        ({"production_environment": "p" * 65}, "production environment needs a name"),
    ],
    ids=["zero gap", "negative gap", "gap over 30 days", "blank name", "long name"],
)
def test_bad_choices_are_refused_and_nothing_changes(
    clocked: Database, operator: Actor, change: dict[str, object], message: str
) -> None:
    before, version = current(clocked, operator)
    with pytest.raises(InvalidInput, match=message), clocked.unit_of_work(write=True) as uow:
        engineering.set_delivery_choices(
            uow,
            actor=operator,
            workspace="acme",
            expected_version=version,
            commit_time=CommitTime.COMMITTER,
            **change,  # type: ignore[arg-type]
        )
    assert current(clocked, operator) == (before, version)


def shas(database: Database) -> list[str]:
    with database.unit_of_work(write=False) as uow:
        ws = uow.workspaces.by_slug("acme")
        assert ws is not None
        return sorted(uow.engineering.commits(ws.id))


def test_release_rules_and_start_points_are_replaced_stored_and_audited(
    shipped: Database, operator: Actor
) -> None:
    before, version = current(shipped, operator)
    assert before.releases == {"shop": delivery.ReleaseRule("v*", "shop")}
    first = _tagged(shipped, "v1.0.0")  # the commit v1.0.0 released
    assert first in shas(shipped)
    with shipped.unit_of_work(write=True) as uow:
        changed, saved = engineering.set_delivery_choices(
            uow,
            actor=operator,
            workspace="acme",
            expected_version=version,
            releases={"shop": delivery.ReleaseRule(" v1.* ", " storefront ")},
            start_points={" storefront ": first[:7].upper()},
        )
    assert changed.releases == {"shop": delivery.ReleaseRule("v1.*", "storefront")}
    assert dict(changed.settings.start_points) == {"storefront": first}  # completed
    assert current(shipped, operator) == (changed, saved)
    assert saved == version + 1
    with shipped.unit_of_work(write=False) as uow:
        found = delivery.report(
            uow,
            actor=operator,
            workspace="acme",
            start=datetime(2026, 3, 1, tzinfo=UTC),
            end=NOW,
        )
        ws = uow.workspaces.by_slug("acme")
        assert ws is not None
        [entry] = [e for e in uow.audit.all_for(ws.id) if e.action == "delivery.choices_changed"]
    assert [m.service for m in found.services] == ["storefront"]
    assert found.overall.lead_time.start_points == (("storefront", first),)
    assert entry.before is not None
    assert entry.after is not None
    assert (entry.before["start_points"], entry.after["start_points"]) == (
        {},
        {"storefront": first},
    )
    assert entry.after["releases"] == {"shop": {"pattern": "v1.*", "service": "storefront"}}
    with shipped.unit_of_work(write=True) as uow:
        kept, _ = engineering.set_delivery_choices(
            uow, actor=operator, workspace="acme", expected_version=saved, bands_edition=None
        )
        cleared, _ = engineering.set_delivery_choices(
            uow,
            actor=operator,
            workspace="acme",
            expected_version=saved + 1,
            releases={},
            start_points={},
        )
    assert (kept.releases, kept.settings.start_points) == (
        changed.releases,
        changed.settings.start_points,
    )
    assert (dict(cleared.releases), dict(cleared.settings.start_points)) == ({}, {})


def _tagged(database: Database, name: str) -> str:
    with database.unit_of_work(write=False) as uow:
        ws = uow.workspaces.by_slug("acme")
        assert ws is not None
        [sha] = [tag.commit for _, tag in uow.engineering.tags(ws.id) if tag.name == name]
    return sha


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"releases": {"billing": delivery.ReleaseRule("v*", "billing")}},
            "repository 'billing' is not read into 'acme'",
        ),
        ({"releases": {"shop": delivery.ReleaseRule("  ", "shop")}}, "needs 1-100 characters"),
        ({"releases": {"shop": delivery.ReleaseRule("v" * 101, "shop")}}, "1-100 characters"),
        ({"releases": {"shop": delivery.ReleaseRule("r*", "")}}, "service name of 1-64"),
        ({"releases": {"shop": delivery.ReleaseRule("r*", "s" * 65)}}, "service name of 1-64"),
        (
            {"releases": {f"repo-{n}": delivery.ReleaseRule("v*", "x") for n in range(51)}},
            "at most 50 release rules",
        ),
        ({"start_points": {"shop": "3f9c2ab!"}}, "sha of 4-64 hex characters; got '3f9c2ab!'"),
        ({"start_points": {"shop": "abc"}}, "sha of 4-64 hex characters"),
        ({"start_points": {"shop": "a" * 65}}, "sha of 4-64 hex characters"),
        ({"start_points": {"": "abcd"}}, "a start point needs a service name of 1-64"),
        ({"start_points": {"shop": "abcd", " shop": "abcd"}}, "'shop' has two start points"),
        (
            {"start_points": {f"service-{n}": "abcd" for n in range(51)}},
            "at most 50 start points",
        ),
    ],
    ids=[
        "unknown repository",
        "blank pattern",
        "long pattern",
        "no service",
        "long service",
        "51 rules",
        "not hex",
        "short sha",
        "long sha",
        "no service for a start point",
        "one service twice",
        "51 start points",
    ],
)
def test_bad_release_rules_and_start_points_are_refused_and_nothing_changes(
    shipped: Database, operator: Actor, change: dict[str, object], message: str
) -> None:
    before, version = current(shipped, operator)
    with (
        pytest.raises(InvalidInput, match=re.escape(message)),
        shipped.unit_of_work(write=True) as uow,
    ):
        engineering.set_delivery_choices(
            uow,
            actor=operator,
            workspace="acme",
            expected_version=version,
            **change,  # type: ignore[arg-type]
        )
    assert current(shipped, operator) == (before, version)


def test_an_abbreviated_sha_naming_two_commits_is_refused(
    clocked: Database, operator: Actor
) -> None:
    moment = datetime(2026, 3, 2, 9, tzinfo=UTC)
    with clocked.unit_of_work(write=True) as uow:
        ws = uow.workspaces.by_slug("acme")
        assert ws is not None
        uow.engineering.add_commits(
            ws.id,
            [Commit(f"abcd{n}" + "0" * 35, (), "dev@example.com", moment, moment) for n in (1, 2)],
        )
    _, version = current(clocked, operator)
    ambiguous = "the start point 'abcd' of 'shop' names 2 commits"
    with pytest.raises(InvalidInput, match=ambiguous), clocked.unit_of_work(write=True) as uow:
        engineering.set_delivery_choices(
            uow,
            actor=operator,
            workspace="acme",
            expected_version=version,
            start_points={"shop": "ABCD"},
        )
    with clocked.unit_of_work(write=True) as uow:
        chosen, _ = engineering.set_delivery_choices(
            uow,
            actor=operator,
            workspace="acme",
            expected_version=version,
            start_points={"shop": "abcd2", "cart": "fedcba98"},  # the second not read yet
        )
    assert dict(chosen.settings.start_points) == {
        "shop": "abcd2" + "0" * 35,
        "cart": "fedcba98",
    }


def test_a_rule_kept_as_stored_passes_unchecked(
    clocked: Database, operator: Actor, tmp_path: Path
) -> None:
    # A release rule kept by `ingest git` may hold a pattern longer than a new one may.
    repo = make_repo(tmp_path / "shop")
    commit(repo, "first", authored="2026-03-02T09:00:00+00:00")
    long_pattern = "release-" + "x" * 104 + "*"
    with clocked.unit_of_work(write=True) as uow:
        engineering.ingest_git(
            uow, actor=operator, workspace="acme", path=str(repo), release_pattern=long_pattern
        )
    before, version = current(clocked, operator)
    with clocked.unit_of_work(write=True) as uow:
        after, _ = engineering.set_delivery_choices(
            uow,
            actor=operator,
            workspace="acme",
            expected_version=version,
            releases=before.releases,
            bands_edition=BandsEdition.DORA_2021,
        )
    assert after.releases == {"shop": delivery.ReleaseRule(long_pattern, "shop")}
