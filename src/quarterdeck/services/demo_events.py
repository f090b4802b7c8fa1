"""The demo organisation's deployments and incidents, as its tools would export them.

Billing and portal are deployed from main by the pipeline, whose events are written as a
JSON export (`gha-<run>` ids; a few failed attempts retried under the same id, a few
rolled back, portal's staging deployments too). Tracking is released by tags, which the
git history holds. The incident export (PagerDuty-like CSV) holds incidents caused by
deployments, some naming their cause (a deployment id or a commit) and some only close in
time to a deployment of their service, and incidents no change caused: carrier feeds,
the platform, single sign-on, or tracking at a weekend, long after its last release.

The story the figures tell: the change failure rate was single digits most of the year
and has crept up over the last two months (billing's invoicing rework above all), and the
time to acknowledge has doubled since pages started getting lost between two paging
tools. Both are set by review period (the fortnights given, newest last), so the latest
complete fortnight shows them whatever day the demo is built.
"""

from __future__ import annotations

import csv
import io
import json
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from quarterdeck.services.computed import Window
from quarterdeck.services.demo_history import History, on_holiday, poisson

__all__ = ["Deployed", "Events", "write_events"]

_LONDON = ZoneInfo("Europe/London")
# Share of deployments that cause an incident, by fortnight: 0 is the latest complete one,
# -1 the one still running; older ones draw between 4 and 10 %.
_FAILURE_RATE = {-1: 0.18, 0: 0.21, 1: 0.16, 2: 0.13, 3: 0.11}
# Incidents no deployment caused, on services that are not deployed from the monorepo.
_OTHER_SERVICES = ("carrier-feeds", "platform", "identity", "data-warehouse")
_OTHER_WEIGHTS = (5, 3, 1, 1)
_SEVERITIES = ("SEV1", "SEV2", "SEV3")


@dataclass(frozen=True, slots=True)
class Deployed:
    """A successful production deployment: from the pipeline's events or a release tag."""

    deployment_id: str
    service: str
    commit: str
    finished: datetime


@dataclass(frozen=True, slots=True)
class _Incident:
    service: str
    severity: str
    started: datetime
    acknowledged: datetime | None
    resolved: datetime | None
    cause_deployment: str = ""
    cause_commit: str = ""


@dataclass(frozen=True, slots=True)
class Events:
    deployments_json: bytes
    incidents_csv: bytes
    deployed: tuple[Deployed, ...]  # every successful production deployment, tags included
    event_rows: int
    incidents: int
    caused: int  # incidents caused by a deployment


def write_events(history: History, *, now: datetime, fortnights: Sequence[Window]) -> Events:
    """The pipeline's deployment events and the incident export for the year before `now`,
    consistent with `history` (each deployment names the commit at main's tip)."""
    # Demo data, not secrets: a seeded generator is what makes the files repeatable.
    rng = random.Random(2207)  # noqa: S311
    start = now - timedelta(days=365)
    rows, deployed = _pipeline(rng, history, start, now)
    deployed += [Deployed(f"tag:{r.tag}", "tracking", r.commit, r.at) for r in history.releases]
    deployed.sort(key=lambda d: (d.finished, d.deployment_id))
    spans = [(w.start, w.end) for w in fortnights] + [(fortnights[-1].end, now)]
    failing = _failing(rng, deployed, spans)
    incidents = _caused_incidents(rng, failing, deployed, spans, now)
    caused = len(incidents)
    incidents += _other_incidents(rng, spans, incidents, start, now)
    incidents.sort(key=lambda i: i.started)
    document = {"kind": "deployments", "items": rows}
    return Events(
        deployments_json=json.dumps(document, indent=1).encode(),
        incidents_csv=_incident_export(incidents),
        deployed=tuple(deployed),
        event_rows=len(rows),
        incidents=len(incidents),
        caused=caused,
    )


def _at(day: date, hour: float) -> datetime:
    """`hour` (a fraction of the day, in hours) of `day` in London, to the second."""
    seconds = round(hour * 3600)
    local = datetime.combine(day, time(seconds // 3600, seconds // 60 % 60, seconds % 60))
    return local.replace(tzinfo=_LONDON).astimezone(UTC)


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _pipeline(
    rng: random.Random, history: History, start: datetime, now: datetime
) -> tuple[list[dict[str, str]], list[Deployed]]:
    """Billing deploys most days Monday to Thursday, portal once or twice a weekday; never
    on Friday afternoons or at weekends, and seldom over the holidays."""
    rows: list[dict[str, str]] = []
    deployed: list[Deployed] = []
    run = 8_412_300
    day = start.date() + timedelta(days=3)

    def row(
        deployment_id: str, service: str, env: str, sha: str, at: datetime, status: str
    ) -> None:
        rows.append(
            {
                "deploymentId": deployment_id,
                "service": service,
                "environment": env,
                "commitSha": sha,
                "finishedAt": _utc(at),
                "status": status,
            }
        )

    while day <= now.date():
        slots: list[tuple[str, float]] = []
        # Over the holidays only the odd fix goes out.
        quiet = 0.2 if on_holiday(day) else 1.0
        if day.weekday() < 5:
            if day.weekday() < 4 and rng.random() < 0.8 * quiet:
                slots.append(("billing", rng.uniform(11, 16)))
            if rng.random() < 0.9 * quiet:
                slots.append(("portal", rng.uniform(9.5, 11.9)))
            if day.weekday() < 4 and rng.random() < 0.45 * quiet:
                slots.append(("portal", rng.uniform(14, 17)))
        for service, hour in sorted(slots, key=lambda slot: slot[1]):
            finished = _at(day, hour)
            if finished > now - timedelta(minutes=10):
                continue
            sha = history.tip_at(finished - timedelta(minutes=20))
            run += rng.randint(3, 40)
            if service == "portal" and rng.random() < 0.5:
                row(
                    f"gha-{run}",
                    service,
                    "staging",
                    sha,
                    finished - timedelta(minutes=18),
                    "success",
                )
                run += 1
            deployment_id = f"gha-{run}"
            roll = rng.random()
            if roll < 0.03:  # failed and rolled back: no deployment happened
                row(deployment_id, service, "production", sha, finished, "failed")
                continue
            if roll < 0.07:  # failed, then retried under the same id
                row(
                    deployment_id,
                    service,
                    "production",
                    sha,
                    finished - timedelta(minutes=26),
                    "failed",
                )
            row(deployment_id, service, "production", sha, finished, "success")
            deployed.append(Deployed(deployment_id, service, sha, finished))
        day += timedelta(days=1)
    return rows, deployed


def _age(index: int, spans: Sequence[tuple[datetime, datetime]]) -> int:
    """0 for the latest complete fortnight, -1 for the running one, 1 and up before."""
    return len(spans) - 2 - index


def _span_of(moment: datetime, spans: Sequence[tuple[datetime, datetime]]) -> int:
    for index, (begin, end) in enumerate(spans):
        if begin <= moment < end:
            return index
    return 0


def _failing(
    rng: random.Random, deployed: Sequence[Deployed], spans: Sequence[tuple[datetime, datetime]]
) -> list[Deployed]:
    chosen: list[Deployed] = []
    for index, (begin, end) in enumerate(spans):
        inside = [d for d in deployed if begin <= d.finished < end]
        age = _age(index, spans)
        rate = _FAILURE_RATE.get(age) or rng.uniform(0.04, 0.10)
        wanted = math.ceil(rate * len(inside)) if age <= 1 else round(rate * len(inside))
        # Lately billing's invoicing rework causes most of them.
        weights = [3.0 if age <= 3 and d.service == "billing" else 1.0 for d in inside]
        for _ in range(min(wanted, len(inside))):
            [pick] = rng.choices(range(len(inside)), weights=weights)
            chosen.append(inside[pick])
            weights[pick] = 0.0
    return chosen


def _ack_minutes(rng: random.Random, age: int) -> float:
    if age <= 1:  # pages lost between the support desk's tool and engineering's
        return rng.uniform(11, 26)
    if age == 2:
        return rng.uniform(6, 15)
    return min(max(math.exp(rng.gauss(math.log(4.5), 0.55)), 1.0), 45.0)


def _incident(
    rng: random.Random,
    service: str,
    started: datetime,
    age: int,
    now: datetime,
    *,
    cause_deployment: str = "",
    cause_commit: str = "",
) -> _Incident:
    severity = rng.choices(_SEVERITIES, weights=(1, 4, 5))[0]
    acknowledged = started + timedelta(minutes=_ack_minutes(rng, age))
    hours = min(max(math.exp(rng.gauss(math.log(1.4), 0.8)), 0.25), 36.0)
    resolved = acknowledged + timedelta(hours=hours * (0.7 if severity == "SEV1" else 1.0))
    return _Incident(
        service,
        severity,
        started,
        acknowledged if acknowledged < now else None,
        resolved if resolved < now else None,
        cause_deployment,
        cause_commit,
    )


def _caused_incidents(
    rng: random.Random,
    failing: Sequence[Deployed],
    deployed: Sequence[Deployed],
    spans: Sequence[tuple[datetime, datetime]],
    now: datetime,
) -> list[_Incident]:
    """One incident per failing deployment, within hours of it. Most name their cause;
    the others are linked by service and time, so they begin before that service's next
    deployment."""
    found = []
    for failed in failing:
        started = failed.finished + timedelta(seconds=rng.randrange(12 * 60, 6 * 3600))
        if started >= now - timedelta(minutes=5):
            continue
        later = (
            d.finished
            for d in deployed
            if d.service == failed.service and d.finished > failed.finished
        )
        following = min(later, default=None)
        named = rng.random() < 0.7 or (following is not None and following <= started)
        cause_deployment = cause_commit = ""
        if named and failed.service == "tracking":
            cause_commit = failed.commit
        elif named:
            cause_deployment = failed.deployment_id
        age = _age(_span_of(started, spans), spans)
        found.append(
            _incident(
                rng,
                failed.service,
                started,
                age,
                now,
                cause_deployment=cause_deployment,
                cause_commit=cause_commit,
            )
        )
    return found


def _other_incidents(
    rng: random.Random,
    spans: Sequence[tuple[datetime, datetime]],
    caused: Sequence[_Incident],
    start: datetime,
    now: datetime,
) -> list[_Incident]:
    """Incidents no change caused: two or so a fortnight, at least three incidents in all
    in every fortnight, now and then tracking at a weekend, and one still open."""
    found = []
    for index, (begin, end) in enumerate(spans):
        begin, end = max(begin, start), min(end, now - timedelta(hours=1))
        if end <= begin:
            continue
        already = sum(1 for i in caused if begin <= i.started < end)
        count = max(poisson(rng, 2.2), 3 - already)
        age = _age(index, spans)
        for _ in range(count):
            started = begin + (end - begin) * rng.random()
            service = rng.choices(_OTHER_SERVICES, weights=_OTHER_WEIGHTS)[0]
            found.append(_incident(rng, service, started.replace(microsecond=0), age, now))
        saturday = begin.date() + timedelta(days=(5 - begin.weekday()) % 7)
        moment = datetime.combine(saturday, time(rng.randrange(7, 22)), _LONDON).astimezone(UTC)
        if rng.random() < 0.3 and begin <= moment < end:
            found.append(_incident(rng, "tracking", moment, age, now))
    # And one going on as the demo is built: a carrier's feed is down.
    started = now - timedelta(minutes=38)
    found.append(_Incident("carrier-feeds", "SEV2", started, started + timedelta(minutes=7), None))
    return found


def _incident_export(incidents: Sequence[_Incident]) -> bytes:
    def local(moment: datetime | None) -> str:
        return "" if moment is None else moment.astimezone(_LONDON).isoformat(timespec="seconds")

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        (
            "incident_number",
            "service",
            "severity",
            "created_on",
            "acknowledged_on",
            "resolved_on",
            "cause_deployment",
            "cause_commit",
        )
    )
    for number, incident in enumerate(incidents, start=2210):
        writer.writerow(
            (
                number,
                incident.service,
                incident.severity,
                local(incident.started),
                local(incident.acknowledged),
                local(incident.resolved),
                incident.cause_deployment,
                incident.cause_commit,
            )
        )
    return out.getvalue().encode()
