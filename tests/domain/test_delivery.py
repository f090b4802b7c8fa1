"""Delivery metrics (DOMAIN.md section 8) over hand-built commit graphs with exact answers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from quarterdeck.domain.delivery import (
    CommitTime,
    DeliveryHistory,
    DeliverySettings,
    LinkRule,
    delivery_metrics,
    deployments_from_tags,
    link_incidents,
    measure_delivery,
    trace_changes,
)
from quarterdeck.domain.delivery_bands import Band, BandsEdition
from quarterdeck.domain.engineering import (
    Commit,
    Deployment,
    DeploymentSource,
    DeploymentStatus,
    Incident,
    TagRef,
)
from quarterdeck.domain.errors import InvalidInput

T0 = datetime(2026, 1, 5, tzinfo=UTC)
WIDE = (T0 - timedelta(days=1), T0 + timedelta(days=60))  # a window holding every event


def h(hours: float, offset: float = 0) -> datetime:
    """The instant `hours` after T0, written in a zone `offset` hours from UTC."""
    return (T0 + timedelta(hours=hours)).astimezone(timezone(timedelta(hours=offset)))


def make_commit(
    sha: str,
    *parents: str,
    at: float,
    committed: float | None = None,
    email: str = "dev@example.com",
    offset: float = 0,
) -> Commit:
    committer_time = h(at if committed is None else committed, offset)
    return Commit(sha, parents, email, h(at, offset), committer_time)


def graph(*commits: Commit) -> dict[str, Commit]:
    return {commit.sha: commit for commit in commits}


def deploy(
    deployment_id: str,
    sha: str | None,
    at: float,
    *,
    service: str = "api",
    environment: str = "production",
    status: DeploymentStatus = DeploymentStatus.SUCCESS,
    offset: float = 0,
) -> Deployment:
    return Deployment(deployment_id, service, environment, sha, h(at, offset), status)


def incident(
    incident_id: str,
    started: float,
    *,
    service: str = "api",
    acknowledged: float | None = None,
    resolved: float | None = None,
    cause_deployment: str | None = None,
    cause_commit: str | None = None,
) -> Incident:
    return Incident(
        incident_id,
        service,
        "high",
        h(started),
        None if acknowledged is None else h(acknowledged),
        None if resolved is None else h(resolved),
        cause_deployment,
        cause_commit,
    )


def shipped(history: DeliveryHistory) -> dict[str, dict[str, float]]:
    """deployment id -> {sha: lead time in hours} of the changes it first shipped."""
    return {
        d.deployment.deployment_id: {c.sha: c.lead_time / timedelta(hours=1) for c in d.changes}
        for d in history.deployments
    }


def lead(history: DeliveryHistory, service: str | None = None) -> tuple[float | None, int]:
    result = delivery_metrics(history, (), start=WIDE[0], end=WIDE[1], service=service).lead_time
    return result.median_hours, result.count


LINEAR = graph(
    make_commit("a", at=0),
    make_commit("b", "a", at=2),
    make_commit("c", "b", at=3),
    make_commit("d", "c", at=5),
)


# --- changes in a deployment ------------------------------------------------------


def test_a_merge_commit_ships_both_parents_branches() -> None:
    commits = graph(
        make_commit("a", at=0),
        make_commit("b1", "a", at=4),
        make_commit("b2", "b1", at=6),
        make_commit("c1", "a", at=10),
        make_commit("m", "c1", "b2", at=12),
    )
    history = trace_changes([deploy("d0", "a", 1), deploy("d1", "m", 20)], commits)
    assert shipped(history)["d1"] == {"m": 8, "c1": 10, "b2": 14, "b1": 16}
    assert lead(history) == (12.0, 4)  # (10 + 14) / 2: an even count


def test_rebase_only_linear_history_ships_each_commit_once() -> None:
    history = trace_changes(
        [deploy("v0", "a", 1), deploy("v1", "c", 6), deploy("v2", "d", 9)], LINEAR
    )
    assert shipped(history) == {"v0": {"a": 1}, "v1": {"c": 3, "b": 4}, "v2": {"d": 4}}
    assert lead(history) == (4.0, 3)


def test_a_squash_merge_ships_the_new_commit_and_never_the_branch() -> None:
    commits = graph(
        make_commit("a", at=0),
        make_commit("f1", "a", at=1),
        make_commit("f2", "f1", at=2),
        make_commit("s", "a", at=5),  # the squash: a new commit on main
    )
    history = trace_changes([deploy("d0", "a", 0.5), deploy("d1", "s", 8)], commits)
    assert shipped(history)["d1"] == {"s": 3}
    assert history.first_shipper("f1") is None
    assert history.first_shipper("f2") is None


def test_a_commit_on_two_release_lines_counts_once_at_its_first_deployment() -> None:
    commits = graph(
        make_commit("a", at=0),
        make_commit("q", "a", at=1),  # release 1.x
        make_commit("hotfix", "a", at=2),
        make_commit("r", "q", "hotfix", at=3),  # hotfix merged into release 1.x
        make_commit("m2", "hotfix", at=4),  # main, released as 2.0
    )
    history = trace_changes(
        [deploy("v0", "a", 0.5), deploy("v1.1", "r", 5), deploy("v2.0", "m2", 7)], commits
    )
    assert shipped(history)["v1.1"] == {"r": 2, "hotfix": 3, "q": 4}
    assert shipped(history)["v2.0"] == {"m2": 3}
    found = history.first_shipper("hotfix")
    assert found is not None
    assert found.deployment.deployment_id == "v1.1"
    assert lead(history) == (3.0, 4)


def test_a_redeploy_or_rollback_ships_nothing_new() -> None:
    rows = [deploy("d0", "a", 0), deploy("d1", "c", 4), deploy("d2", "b", 5), deploy("d3", "d", 8)]
    history = trace_changes(rows, LINEAR)
    assert shipped(history) == {"d0": {"a": 0}, "d1": {"c": 1, "b": 2}, "d2": {}, "d3": {"d": 3}}


def test_deployments_finishing_together_give_shared_commits_to_the_smaller_id() -> None:
    rows = [deploy("d0", "a", 0), deploy("b1", "c", 4), deploy("a2", "c", 4)]
    history = trace_changes(rows, LINEAR)
    assert shipped(history) == {"d0": {"a": 0}, "a2": {"c": 1, "b": 2}, "b1": {}}


def test_failed_and_non_production_deployments_ship_nothing() -> None:
    rows = [
        deploy("d0", "a", 0),
        deploy("broken", "c", 4, status=DeploymentStatus.FAILURE),
        deploy("stage", "c", 5, environment="staging"),
        deploy("d1", "c", 8, environment="Production"),  # the name matches in any case
    ]
    history = trace_changes(rows, LINEAR)
    assert shipped(history) == {"d0": {"a": 0}, "d1": {"c": 5, "b": 6}}
    assert history.not_counted == 2


def test_a_very_long_history_is_walked_without_recursion() -> None:
    commits = graph(
        make_commit("c0", at=0),
        *(make_commit(f"c{i}", f"c{i - 1}", at=i / 1000) for i in range(1, 20_000)),
    )
    history = trace_changes([deploy("d0", "c0", 1), deploy("d1", "c19999", 30)], commits)
    assert len(history.deployments[1].changes) == 19_999
    assert lead(history)[1] == 19_999


# --- deployments from tags and duplicate rows ---------------------------------------


def test_annotated_tags_finish_at_the_tagger_time_and_lightweight_at_the_committer_time() -> None:
    commits = graph(make_commit("x", at=0, committed=1))
    tags = [
        TagRef("v1.0", "x", tagger_time=h(3, offset=2)),
        TagRef("v1.1", "x"),
        TagRef("build-7", "x"),
        TagRef("v8", "gone", tagger_time=h(4)),
        TagRef("v9", "gone"),
    ]
    made = deployments_from_tags(tags, commits, "v*", "api")
    assert [(d.deployment_id, d.finished_at) for d in made.deployments] == [
        ("tag:v1.0", h(3)),
        ("tag:v1.1", h(1)),
        ("tag:v8", h(4)),
    ]
    assert made.unresolved == ("v9",)
    first = made.deployments[0]
    assert (first.service, first.environment, first.commit) == ("api", "production", "x")
    assert (first.status, first.source) == (DeploymentStatus.SUCCESS, DeploymentSource.GIT_REF)


def test_rows_sharing_a_deployment_id_count_once_at_the_latest_finish_time() -> None:
    rows = [
        deploy("d0", "a", 0),
        deploy("d1", "b", 5),
        deploy("d1", "c", 7),  # the latest row's fields stand
        deploy("d1", "b", 6),
        deploy("d2", "d", 8),
        deploy("d2", "d", 9, status=DeploymentStatus.FAILURE),  # its latest row failed
        deploy("d3", "b", 10),
        deploy("d3", "d", 10),  # the same finish time: the later row stands
    ]
    history = trace_changes(rows, LINEAR)
    assert shipped(history) == {"d0": {"a": 0}, "d1": {"c": 4, "b": 5}, "d3": {"d": 5}}
    assert history.deployments[1].finished_at == h(7)
    assert (history.merged_rows, history.not_counted) == (4, 1)
    window = delivery_metrics(history, (), start=h(0), end=h(24))
    assert window.frequency.count == 3


# --- commit times ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("commit_time", "author", "committer", "expected"),
    [
        (CommitTime.AUTHOR, 10, 18, 10.0),
        (CommitTime.COMMITTER, 10, 18, 2.0),
        (CommitTime.AUTHOR, 10, 6, 10.0),  # committed before it was authored
        (CommitTime.COMMITTER, 10, 6, 14.0),
    ],
)
def test_lead_time_uses_the_chosen_commit_time(
    commit_time: CommitTime, author: float, committer: float, expected: float
) -> None:
    commits = graph(make_commit("a", at=0), make_commit("c", "a", at=author, committed=committer))
    settings = DeliverySettings(commit_time=commit_time)
    history = trace_changes(
        [deploy("d0", "a", 0), deploy("d1", "c", 20)], commits, settings=settings
    )
    assert lead(history) == (expected, 1)
    result = delivery_metrics(history, (), start=WIDE[0], end=WIDE[1]).lead_time
    assert result.commit_time is commit_time


def test_times_in_many_offsets_are_compared_and_reported_in_utc() -> None:
    commits = graph(
        make_commit("a", at=0, offset=1),
        make_commit("b", "a", at=2, offset=5.5),
        make_commit("c", "b", at=3, offset=-8),
        make_commit("d", "c", at=4, offset=14),
    )
    history = trace_changes(
        [deploy("d0", "a", 1, offset=9), deploy("d1", "d", 10, offset=-3)], commits
    )
    assert shipped(history)["d1"] == {"d": 6, "c": 7, "b": 8}
    assert lead(history) == (7.0, 3)
    deployment = history.deployments[1]
    assert deployment.finished_at.utcoffset() == timedelta(0)
    assert {c.sha: c.committed_at for c in deployment.changes} == {"b": h(2), "c": h(3), "d": h(4)}
    assert all(c.committed_at.utcoffset() == timedelta(0) for c in deployment.changes)
    window = delivery_metrics(history, (), start=h(0, offset=-5), end=h(48, offset=3))
    assert (window.start, window.end) == (h(0), h(48))
    assert window.start.utcoffset() == timedelta(0)


# --- exclusions -----------------------------------------------------------------------


def test_bot_authors_are_excluded_by_pattern_and_counted() -> None:
    commits = graph(
        make_commit("a", at=0),
        make_commit("c1", "a", at=1),
        make_commit("c2", "c1", at=2, email="Dependabot[bot]@users.noreply.github.com"),
        make_commit("c3", "c2", at=3, email="renovate-bot@corp.example"),
    )
    settings = DeliverySettings(bot_patterns=("dependabot*", "RENOVATE*"))
    history = trace_changes(
        [deploy("d0", "a", 0), deploy("d1", "c3", 4)], commits, settings=settings
    )
    result = delivery_metrics(history, (), start=WIDE[0], end=WIDE[1]).lead_time
    assert (result.median_hours, result.count, result.bots) == (3.0, 1, 2)
    assert result.bot_patterns == ("dependabot*", "RENOVATE*")
    assert "2 changes by bot authors are excluded (dependabot*, RENOVATE*)." in result.notes()


@pytest.mark.parametrize(
    ("pattern", "email", "is_bot"),
    [
        ("*[bot]@*", "Dependabot[bot]@users.noreply.github.com", True),
        ("*[bot]@*", "bob@example.com", False),  # fnmatch would read [bot] as b, o or t
        (
            "dependabot[bot]@users.noreply.github.com",
            "dependabot[bot]@users.noreply.github.com",
            True,
        ),
        ("ci-?@corp.example", "ci-7@corp.example", True),
        ("ci-?@corp.example", "ci-17@corp.example", False),
        ("build+*@corp.example", "build+nightly@corp.example", True),
        ("build+*@corp.example", "buildddnightly@corp.example", False),
        ("*bot*", "robot\nx@example.com", True),
    ],
)
def test_bot_patterns_know_only_star_and_question_mark(
    pattern: str, email: str, is_bot: bool
) -> None:
    commits = graph(make_commit("a", at=0), make_commit("b", "a", at=1, email=email))
    settings = DeliverySettings(bot_patterns=(pattern,))
    history = trace_changes(
        [deploy("d0", "a", 0), deploy("d1", "b", 4)], commits, settings=settings
    )
    assert [c.bot for c in history.deployments[1].changes] == [is_bot]


def test_non_positive_lead_times_are_excluded_and_counted() -> None:
    commits = graph(
        make_commit("a", at=0),
        make_commit("c1", "a", at=7),
        make_commit("c2", "c1", at=10),  # zero: committed as it was deployed
        make_commit("c3", "c2", at=12),  # after the deployment: a wrong clock
    )
    history = trace_changes([deploy("d0", "a", 0), deploy("d1", "c3", 10)], commits)
    result = delivery_metrics(history, (), start=WIDE[0], end=WIDE[1]).lead_time
    assert (result.median_hours, result.count, result.non_positive) == (3.0, 1, 2)


def test_the_first_deployments_history_is_excluded_and_counted() -> None:
    history = trace_changes([deploy("v1", "c", 3), deploy("v2", "d", 6)], LINEAR)
    assert history.deployments[0].baseline
    result = delivery_metrics(history, (), start=WIDE[0], end=WIDE[1]).lead_time
    assert (result.median_hours, result.count, result.baseline) == (1.0, 1, 3)
    assert result.start_points == ()
    assert any("3 changes shipped by a service's first" in line for line in result.notes())


def test_a_start_point_makes_the_first_deployment_count() -> None:
    settings = DeliverySettings(start_points={"api": "a"})
    history = trace_changes([deploy("v1", "c", 3), deploy("v2", "d", 6)], LINEAR, settings=settings)
    assert shipped(history) == {"v1": {"c": 0, "b": 1}, "v2": {"d": 1}}
    result = delivery_metrics(history, (), start=WIDE[0], end=WIDE[1]).lead_time
    # c ships the moment it is committed: a non-positive lead time
    assert (result.median_hours, result.count, result.baseline, result.non_positive) == (
        1.0,
        2,
        0,
        1,
    )
    assert result.start_points == (("api", "a"),)
    assert "Start point for api: a and its ancestors count as already shipped." in result.notes()
    assert history.first_shipper("a") is None  # shipped before the first deployment


def test_an_unknown_start_point_is_reported_and_the_baseline_rule_applies() -> None:
    settings = DeliverySettings(start_points={"api": "not-ingested"})
    history = trace_changes([deploy("v1", "c", 3), deploy("v2", "d", 6)], LINEAR, settings=settings)
    assert history.unknown_start_points == ("api",)
    result = delivery_metrics(history, (), start=WIDE[0], end=WIDE[1]).lead_time
    assert (result.count, result.baseline, result.start_points) == (1, 3, ())
    assert result.unknown_start_points == ("api",)
    assert "The start point for api is not in the history; it is ignored." in result.notes()


def test_a_deployed_commit_missing_from_the_history_is_reported_not_fatal() -> None:
    rows = [
        deploy("d0", "ghost", 0),  # unknown: does not become the baseline
        deploy("d1", "b", 3),
        deploy("d2", "ghost2", 4),
        deploy("d3", None, 4.5),
        deploy("d4", "d", 8),
    ]
    history = trace_changes(rows, LINEAR)
    assert shipped(history) == {
        "d0": {},
        "d1": {"b": 1, "a": 3},
        "d2": {},
        "d3": {},
        "d4": {"d": 3, "c": 5},
    }
    assert history.unknown_commits == ("d0", "d2")
    assert history.no_commit == ("d3",)
    assert [d.baseline for d in history.deployments] == [False, True, False, False, False]
    result = delivery_metrics(history, (), start=WIDE[0], end=WIDE[1]).lead_time
    assert (result.median_hours, result.count, result.baseline, result.unknown_commits) == (
        4.0,
        2,
        2,
        2,
    )


def test_a_parent_missing_from_a_shallow_history_is_counted() -> None:
    commits = graph(make_commit("b", "shallow", at=2), make_commit("c", "b", at=3))
    history = trace_changes([deploy("d0", "b", 2.5), deploy("d1", "c", 5)], commits)
    assert history.history_gaps == 1
    assert shipped(history) == {"d0": {"b": 0.5}, "d1": {"c": 2}}


# --- services -------------------------------------------------------------------------


def test_two_services_in_one_repository_ship_independently() -> None:
    commits = graph(
        make_commit("a", at=0), make_commit("b", "a", at=2), make_commit("c", "b", at=4)
    )
    tags = [
        TagRef("api/v0", "a", tagger_time=h(1)),
        TagRef("api/v1", "c", tagger_time=h(6)),
        TagRef("web/v0", "a", tagger_time=h(1)),
        TagRef("web/v1", "b", tagger_time=h(3)),
        TagRef("web/v2", "c", tagger_time=h(8)),
    ]
    rows = [
        *deployments_from_tags(tags, commits, "api/v*", "api").deployments,
        *deployments_from_tags(tags, commits, "web/v*", "web").deployments,
    ]
    history = trace_changes(rows, commits)
    assert shipped(history) == {
        "tag:api/v0": {"a": 1},
        "tag:web/v0": {"a": 1},
        "tag:web/v1": {"b": 1},
        "tag:api/v1": {"c": 2, "b": 4},
        "tag:web/v2": {"c": 4},
    }
    assert history.services == ("api", "web")
    assert lead(history, "api") == (3.0, 2)
    assert lead(history, "web") == (2.5, 2)
    assert lead(history) == (3.0, 4)  # all services pooled: 1, 2, 4, 4
    counts = {
        name: delivery_metrics(history, (), start=h(0), end=h(24), service=name).frequency.count
        for name in ("api", "web", None)
    }
    assert counts == {"api": 2, "web": 3, None: 5}


# --- incidents ------------------------------------------------------------------------


def linked_history(**settings: object) -> DeliveryHistory:
    rows = [
        deploy("d0", "a", 0),
        deploy("d1", "b", 10),
        deploy("d2", "c", 20),
        deploy("d3", "d", 30),
        deploy("w1", "a", 25, service="web"),
    ]
    return trace_changes(rows, LINEAR, settings=DeliverySettings(**settings))  # type: ignore[arg-type]


def links_of(history: DeliveryHistory, *incidents: Incident) -> dict[str, tuple[str | None, str]]:
    return {
        link.incident.incident_id: (link.deployment_id, link.rule.value)
        for link in link_incidents(history, incidents)
    }


def test_incidents_link_by_cause_then_by_service_and_time() -> None:
    found = links_of(
        linked_history(),
        incident("by-id", 50, cause_deployment="d1"),
        incident("by-sha", 40, cause_commit="c"),
        incident("by-upper-sha", 40, cause_commit="C"),
        incident("by-window", 31),
        incident("at-the-gap", 54),  # exactly 24 h after d3
        incident("beyond-the-gap", 54.5),
        incident("as-d2-finishes", 20),  # d2 did not finish before it began
        incident("web", 31, service="web"),  # d3 is another service's
        incident("billing", 31, service="billing"),
        incident("unknown-cause", 31, cause_deployment="nope"),
        incident("unshipped-sha", 31, cause_commit="f00"),
    )
    assert found == {
        "by-id": ("d1", "cause-deployment"),
        "by-sha": ("d2", "cause-commit"),
        "by-upper-sha": ("d2", "cause-commit"),
        "by-window": ("d3", "service-window"),
        "at-the-gap": ("d3", "service-window"),
        "beyond-the-gap": (None, "beyond-gap"),
        "as-d2-finishes": ("d1", "service-window"),
        "web": ("w1", "service-window"),
        "billing": (None, "no-earlier-deployment"),
        "unknown-cause": (None, "unresolved-cause"),
        "unshipped-sha": (None, "unresolved-cause"),
    }


def test_a_cause_commit_prefers_the_incidents_own_service() -> None:
    found = links_of(
        linked_history(),
        incident("web", 40, service="web", cause_commit="a"),
        incident("billing", 40, service="billing", cause_commit="a"),
    )
    assert found == {"web": ("w1", "cause-commit"), "billing": ("d0", "cause-commit")}


def test_window_linking_can_be_turned_off_and_the_gap_changed() -> None:
    off = links_of(linked_history(link_by_service_window=False), incident("i", 31))
    assert off == {"i": (None, "no-cause")}
    short = linked_history(max_link_gap=timedelta(hours=2))
    assert links_of(short, incident("i", 32), incident("j", 32.5)) == {
        "i": ("d3", "service-window"),
        "j": (None, "beyond-gap"),
    }


def test_change_failure_rate_divides_failing_deployments_by_deployments() -> None:
    history = linked_history()
    links = link_incidents(
        history,
        [
            incident("i1", 11, cause_deployment="d1"),
            incident("i2", 12, cause_deployment="d1"),
            incident("i3", 21),  # window: d2
            incident("i4", 100, cause_deployment="d3"),  # begins after the window, still counts
            incident("i5", 20, service="billing"),  # unlinked
            incident("i6", 35, cause_deployment="w1"),  # another service's deployment
        ],
    )
    metrics = delivery_metrics(history, links, start=h(0), end=h(48), service="api")
    rate = metrics.change_failure_rate
    assert (rate.failed, rate.deployments, rate.rate) == (3, 4, 0.75)
    assert (rate.incidents_linked, rate.incidents_unlinked) == (4, 0)
    assert rate.band.band is Band.LOW
    overall = delivery_metrics(history, links, start=h(0), end=h(48)).change_failure_rate
    assert (overall.failed, overall.deployments, overall.rate) == (4, 5, 0.8)
    assert (overall.incidents_linked, overall.incidents_unlinked) == (5, 1)
    assert overall.unlinked_by_rule == ((LinkRule.NO_EARLIER_DEPLOYMENT, 1),)
    assert any("at most 24 h before it" in line for line in overall.notes())


@pytest.mark.parametrize(
    ("edition", "failing", "band"),
    [
        (BandsEdition.DORA_2023, 1, Band.ELITE),  # 1 of 20 is 5%, though 2 incidents
        (BandsEdition.DORA_2023, 2, Band.HIGH),  # 10%
        (BandsEdition.DORA_2023, 3, Band.MEDIUM),  # 15%
        (BandsEdition.DORA_2021, 3, Band.ELITE),  # 15%
        (BandsEdition.DORA_2021, 4, None),  # 20%: high, medium or low alike
    ],
)
def test_the_failure_rate_band_counts_failing_deployments_not_incidents(
    edition: BandsEdition, failing: int, band: Band | None
) -> None:
    rows = [deploy(f"d{i:02}", "a", i) for i in range(20)]
    history = trace_changes(rows, LINEAR, settings=DeliverySettings(bands_edition=edition))
    causes = [incident(f"i{i}", 50, cause_deployment=f"d{i:02}") for i in range(failing)]
    links = link_incidents(history, [*causes, incident("again", 51, cause_deployment="d00")])
    rate = delivery_metrics(history, links, start=h(0), end=h(24)).change_failure_rate
    assert (rate.failed, rate.deployments, rate.incidents_linked) == (failing, 20, failing + 1)
    assert rate.rate == failing / 20
    assert rate.band.band is band


def test_no_deployments_means_no_failure_rate() -> None:
    rate = delivery_metrics(linked_history(), (), start=h(100), end=h(200)).change_failure_rate
    assert (rate.failed, rate.deployments, rate.rate, rate.band.band) == (0, 0, None, None)


def test_time_to_restore_and_acknowledge_are_interpolated_medians() -> None:
    history = linked_history()
    links = link_incidents(
        history,
        [
            incident("r1", 1, acknowledged=1.25, resolved=2),
            incident("r3", 2, acknowledged=2.75, resolved=5),
            incident("r4", 3, resolved=7),
            incident("r10", 4, resolved=14),
            incident("open", 5),
            incident("bad-clock", 6, acknowledged=5, resolved=5.5),
            incident("at-the-end", 48, acknowledged=49, resolved=60),  # the next window's
            incident("web", 7, acknowledged=7, resolved=8, service="web"),
        ],
    )
    metrics = delivery_metrics(history, links, start=h(0), end=h(48), service="api")
    restore = metrics.time_to_restore
    assert (restore.median_hours, restore.count, restore.unresolved, restore.negative) == (
        3.5,
        4,
        1,
        1,
    )
    assert restore.band.band is Band.HIGH
    acknowledge = metrics.time_to_acknowledge
    assert (
        acknowledge.median_hours,
        acknowledge.count,
        acknowledge.unacknowledged,
        acknowledge.negative,
    ) == (0.5, 2, 3, 1)
    overall = delivery_metrics(history, links, start=h(0), end=h(48))
    assert (overall.time_to_restore.median_hours, overall.time_to_restore.count) == (3.0, 5)
    assert (overall.time_to_acknowledge.median_hours, overall.time_to_acknowledge.count) == (
        0.25,
        3,
    )


# --- windows and frequency -------------------------------------------------------------


def test_deployments_belong_to_the_window_they_finish_in() -> None:
    history = linked_history()
    metrics = delivery_metrics(history, (), start=h(10), end=h(30), service="api")
    assert [d.deployment.deployment_id for d in history.finished_between(h(10), h(30))] == [
        "d1",
        "d2",
        "w1",
    ]
    frequency = metrics.frequency
    assert (frequency.count, frequency.days) == (2, 20 / 24)
    assert (frequency.per_day, frequency.per_week) == (2.4, 16.8)
    assert frequency.band.band is Band.ELITE
    # b in d1 (8 h) and c in d2 (17 h); d0 shipped the baseline before the window
    assert (metrics.lead_time.median_hours, metrics.lead_time.count) == (12.5, 2)


@pytest.mark.parametrize(
    ("count", "days", "edition", "band"),
    [
        (8, 7, BandsEdition.DORA_2023, Band.ELITE),
        (7, 7, BandsEdition.DORA_2023, Band.HIGH),  # daily
        (1, 7, BandsEdition.DORA_2023, Band.HIGH),  # weekly
        (1, 8, BandsEdition.DORA_2023, Band.MEDIUM),
        (1, 30, BandsEdition.DORA_2023, Band.MEDIUM),  # monthly
        (1, 31, BandsEdition.DORA_2023, Band.LOW),
        (0, 7, BandsEdition.DORA_2023, Band.LOW),
        (8, 7, BandsEdition.DORA_2021, Band.ELITE),
        (7, 7, BandsEdition.DORA_2021, Band.HIGH),  # daily: in the table's gap
        (1, 30, BandsEdition.DORA_2021, Band.HIGH),  # monthly
        (1, 31, BandsEdition.DORA_2021, Band.MEDIUM),
        (1, 180, BandsEdition.DORA_2021, Band.MEDIUM),  # every six months
        (1, 181, BandsEdition.DORA_2021, Band.LOW),
    ],
)
def test_deployment_frequency_bands_at_their_edges(
    count: int, days: int, edition: BandsEdition, band: Band
) -> None:
    rows = [deploy(f"d{i}", "a", i) for i in range(count)]
    history = trace_changes(rows, LINEAR, settings=DeliverySettings(bands_edition=edition))
    metrics = delivery_metrics(history, (), start=h(0), end=h(24 * days))
    assert metrics.frequency.count == count
    assert metrics.frequency.band.band is band
    assert metrics.frequency.band.edition is edition
    assert metrics.bands_edition is edition


def test_measure_delivery_runs_the_whole_pipeline() -> None:
    metrics = measure_delivery(
        [deploy("d0", "a", 0), deploy("d1", "d", 10)],
        LINEAR,
        [incident("i", 11, resolved=11.5)],
        settings=DeliverySettings(),
        start=h(0),
        end=h(24),
        service="api",
    )
    assert (metrics.frequency.count, metrics.lead_time.median_hours) == (2, 7.0)
    assert (metrics.change_failure_rate.failed, metrics.time_to_restore.median_hours) == (1, 0.5)
    assert metrics.lead_time.notes()[0].startswith(
        "Deployment finish time minus the commit's author"
    )


# --- settings and windows that break a rule ------------------------------------------------


def test_settings_refuse_what_breaks_a_rule() -> None:
    with pytest.raises(InvalidInput):
        DeliverySettings(max_link_gap=timedelta(hours=-1))
    with pytest.raises(InvalidInput):
        DeliverySettings(production_environment=" ")
    with pytest.raises(InvalidInput):
        DeliverySettings(bot_patterns=("",))
    with pytest.raises(InvalidInput):
        DeliverySettings(bands_edition="2019")  # type: ignore[arg-type]
    assert DeliverySettings(commit_time="committer").commit_time is CommitTime.COMMITTER  # type: ignore[arg-type]


def test_a_window_must_have_a_zone_and_end_after_it_starts() -> None:
    history = linked_history()
    with pytest.raises(InvalidInput):
        delivery_metrics(history, (), start=h(10), end=h(10))
    with pytest.raises(InvalidInput):
        delivery_metrics(history, (), start=datetime(2026, 1, 1), end=h(10))
    with pytest.raises(InvalidInput):
        deployments_from_tags([], {}, "", "api")
