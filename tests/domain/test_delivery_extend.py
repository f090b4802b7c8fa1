"""Adding later deployments to a traced history gives exactly what tracing everything again
gives, or says it cannot (and then tracing again is the answer)."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta, timezone

import pytest

from quarterdeck.domain.delivery import (
    DeliveryHistory,
    DeliverySettings,
    delivery_metrics,
    extend_history,
    trace_changes,
)
from quarterdeck.domain.engineering import Commit, Deployment, DeploymentStatus

START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
ZONES = (UTC, timezone(timedelta(hours=2)), timezone(timedelta(hours=-5, minutes=-30)))
SERVICES = ("shop", "search", "billing")


def history(chance: random.Random, size: int) -> dict[str, Commit]:
    """A main line with short branches merged back, authors in several zones, one bot."""
    commits: dict[str, Commit] = {}
    main: list[str] = []
    for n in range(size):
        sha = f"{n:040x}"
        parents: tuple[str, ...] = (main[-1],) if main else ()
        if len(main) > 3 and chance.random() < 0.2:
            parents = (*parents, main[-chance.randint(2, 4)])  # a merge of an older line
        email = "renovate[bot]@bots.example" if chance.random() < 0.1 else f"dev{n % 5}@x.example"
        written = START + timedelta(hours=n, minutes=chance.randint(-50, 50))
        zone = chance.choice(ZONES)
        commits[sha] = Commit(sha, parents, email, written.astimezone(zone), written)
        main.append(sha)
    return commits


def deployments(chance: random.Random, commits: dict[str, Commit], count: int) -> list[Deployment]:
    """Deployments in finish order, some failed, some to staging, some naming no commit or
    a commit missing from the history."""
    shas = list(commits)
    made = []
    for n in range(count):
        upto = min(len(shas) - 1, int(len(shas) * (n + 1) / count) + chance.randint(-3, 1))
        roll = chance.random()
        sha: str | None = shas[max(0, upto)]
        if roll < 0.05:
            sha = None
        elif roll < 0.1:
            sha = f"{10**6 + n:040x}"  # not ingested
        status = DeploymentStatus.FAILURE if chance.random() < 0.08 else DeploymentStatus.SUCCESS
        made.append(
            Deployment(
                f"d{n}",
                chance.choice(SERVICES),
                "staging" if chance.random() < 0.08 else "production",
                sha,
                START + timedelta(hours=n * 1.5 + 2),
                status,
            )
        )
    return made


def traced_again(
    rows: list[Deployment], commits: dict[str, Commit], settings: DeliverySettings
) -> DeliveryHistory:
    return trace_changes(rows, commits, settings=settings)


def same(left: DeliveryHistory, right: DeliveryHistory, commits: dict[str, Commit]) -> None:
    assert left == right
    for service in (*SERVICES, None):
        for sha in commits:
            found = left.first_shipper(sha, service=service)
            again = right.first_shipper(sha, service=service)
            assert (found and found.deployment) == (again and again.deployment)
    for d in left.deployments:
        assert d.changes == right.deployment(d.deployment.deployment_id).changes  # type: ignore[union-attr]
    wide = (START - timedelta(days=1), START + timedelta(days=400))
    assert delivery_metrics(left, (), start=wide[0], end=wide[1]) == delivery_metrics(
        right, (), start=wide[0], end=wide[1]
    )


@pytest.mark.parametrize("seed", range(60))
def test_adding_later_deployments_equals_tracing_everything(seed: int) -> None:
    chance = random.Random(seed)
    commits = history(chance, chance.randint(20, 60))
    rows = deployments(chance, commits, chance.randint(8, 30))
    starts = {"billing": f"{3:040x}"} if seed % 3 == 0 else {}
    if seed % 5 == 0:
        starts["search"] = "f" * 40  # not in the history
    settings = DeliverySettings(bot_patterns=("*[bot]@*",), start_points=starts)
    split = chance.randint(1, len(rows) - 1)
    current = traced_again(rows[:split], commits, settings)
    extended = 0
    done = split
    while done < len(rows):
        step = chance.randint(1, 3)
        batch = rows[done : done + step]
        known = {row.deployment_id for row in rows[:done]}
        grown = extend_history(current, batch, commits, known_ids=known)
        if grown is None:
            grown = traced_again(rows[: done + step], commits, settings)
        else:
            extended += 1
        current = grown
        done += step
    same(current, traced_again(rows, commits, settings), commits)


def test_most_later_deployments_are_added_without_tracing_again() -> None:
    """The equality above is only worth something when extending is what happens."""
    chance = random.Random(7)
    commits = history(chance, 60)
    rows = deployments(chance, commits, 40)
    settings = DeliverySettings()
    current = traced_again(rows[:10], commits, settings)
    added = 0
    for done in range(10, 40):
        known = {row.deployment_id for row in rows[:done]}
        grown = extend_history(current, rows[done : done + 1], commits, known_ids=known)
        if grown is not None:
            added += 1
            current = grown
        else:
            current = traced_again(rows[: done + 1], commits, settings)
    assert added >= 25
    same(current, traced_again(rows, commits, settings), commits)


def test_the_history_given_is_left_as_it_was() -> None:
    chance = random.Random(11)
    commits = history(chance, 30)
    rows = deployments(chance, commits, 12)
    before = traced_again(rows[:8], commits, DeliverySettings())
    snapshot = traced_again(rows[:8], commits, DeliverySettings())
    known = {row.deployment_id for row in rows[:8]}
    assert extend_history(before, rows[8:], commits, known_ids=known) is not None
    same(before, snapshot, commits)


def deploy(ident: str, service: str, sha: str, hours: float) -> Deployment:
    return Deployment(
        ident, service, "production", sha, START + timedelta(hours=hours), DeploymentStatus.SUCCESS
    )


@pytest.mark.parametrize(
    "late",
    [
        deploy("d1", "shop", f"{9:040x}", 50),  # an id already known: rows merge
        deploy("d9", "shop", f"{9:040x}", 20),  # finishes before the last one
        deploy("d9", "shop", f"{9:040x}", 30),  # finishes at the same instant
        deploy("d9", "payments", f"{9:040x}", 50),  # the first of its service
    ],
)
def test_what_only_tracing_again_can_say_is_refused(late: Deployment) -> None:
    commits = history(random.Random(1), 12)
    rows = [deploy("d0", "shop", f"{2:040x}", 10), deploy("d1", "shop", f"{5:040x}", 30)]
    traced = traced_again(rows, commits, DeliverySettings())
    known = {"d0", "d1"}
    assert extend_history(traced, [late], commits, known_ids=known) is None
    twice = [deploy("d9", "shop", f"{9:040x}", 40), deploy("d9", "shop", f"{10:040x}", 41)]
    assert extend_history(traced, twice, commits, known_ids=known) is None
