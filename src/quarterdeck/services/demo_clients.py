"""The demo's fractional CTO and two client workspaces, kept apart from Harbourline and from
each other (nobody from Harbourline belongs to them).

- Kestrel Labs, a 40-person startup run under the fractional-CTO model: its CEO, the owner,
  holds the sponsor seat and set the workspace up eight weeks ago (the fractional-CTO rights
  template, the cadences with the weekly sponsor sync, the quick-starter scorecard and the
  fractional engagement playbook, of which Sam has done four steps); Sam Rivera works there
  on an operating retainer.
- Brightwater Health, a regulated scale-up with a CPTO: the CPTO set it up for the CPTO
  model (rights template and cadences) and engaged Sam for a three-week assessment sprint
  with one red flag still open.

Sam's own assessment sittings are taken when Sam's account is new; the later one is shared
with Kestrel. Everything goes through the services, as the clients' people and as Sam, with
the unit of work's clock set back to when it happened, then restored."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from quarterdeck.domain.access import Actor, ActorKind, Permission
from quarterdeck.domain.workspaces import LeadershipModel, OrganisationProfile, Stage
from quarterdeck.services import engagements, leadership_setup, playbook_runs, workspaces
from quarterdeck.services.access import authorize
from quarterdeck.services.demo_engagements import brightwater_terms, kestrel_terms
from quarterdeck.services.demo_sittings import take_fractional_sittings
from quarterdeck.storage import UnitOfWork

__all__ = [
    "BRIGHTWATER",
    "BRIGHTWATER_CPTO",
    "CLIENTS",
    "KESTREL",
    "KESTREL_CEO",
    "LEADER",
    "Client",
    "build_clients",
    "open_clients",
]

LEADER = "sam.rivera@fractional.example"
KESTREL = "kestrel"
KESTREL_CEO = "ceo@kestrel.example"
BRIGHTWATER = "brightwater"
BRIGHTWATER_CPTO = "cpto@brightwater.example"
ENGAGEMENT_PLAYBOOK = "fractional-engagement"
KESTREL_DAYS_AGO = 56  # the set-up, the engagement's start and the playbook's day 0
BRIGHTWATER_DAYS_AGO = 4  # the set-up and the engagement's terms; the sprint starts today


@dataclass(frozen=True, slots=True)
class Client:
    slug: str
    name: str
    time_zone: str
    profile: OrganisationProfile


CLIENTS = (
    Client(
        KESTREL,
        "Kestrel Labs",
        "Europe/Amsterdam",
        OrganisationProfile(
            stage=Stage.STARTUP,
            headcount=40,
            engineering_headcount=14,
            industry="Drone inspection software for wind farms",
            regulated=False,
            product_lines=1,
            leadership_model=LeadershipModel.FRACTIONAL_CTO,
        ),
    ),
    Client(
        BRIGHTWATER,
        "Brightwater Health",
        "Europe/London",
        OrganisationProfile(
            stage=Stage.SCALE_UP,
            headcount=180,
            engineering_headcount=46,
            industry="Digital physiotherapy and rehabilitation",
            regulated=True,
            product_lines=2,
            leadership_model=LeadershipModel.CPTO,
        ),
    ),
)

_WIKI = "https://wiki.kestrel.example/engineering"
# (step, days after day 0 it was done, note, evidence link)
_KESTREL_DONE = (
    (
        "red-flag-check",
        4,
        "No red flag: Ines sponsors the engagement; architecture, reliability, security, "
        "process and cross-team calls are ours to make; 16 hours a week on a monthly "
        "retainer with a three-month minimum.",
        f"{_WIKI}/engagement-agreement",
    ),
    (
        "assessment-sprint",
        27,
        "Assessment shared with Ines. Top issues: releases depend on one person and a "
        "manual script, nobody is on call for the flight-data pipeline, and the team of 14 "
        "has no written priorities.",
        f"{_WIKI}/assessment",
    ),
    (
        "plan",
        42,
        "Plan accepted: release pipeline and on-call first, then the flight-data platform. "
        "The tech lead owns delivery; the guardrails are ours. Measures: lead time, escaped "
        "defects, pages per week.",
        f"{_WIKI}/plan",
    ),
    (
        "operating-cadence",
        44,
        "Monday sponsor sync, delivery review every other Thursday, and every tradeoff "
        "recorded in the decision log.",
        "",
    ),
)


def _stopped_at(moment: datetime) -> Callable[[], datetime]:
    return lambda: moment


def _person(uow: UnitOfWork, email: str) -> Actor:
    user = uow.users.by_email(email)
    assert user is not None  # demo.build adds the accounts first
    return Actor(kind=ActorKind.USER, label=user.email, user_id=user.id)


def open_clients(uow: UnitOfWork, *, actor: Actor) -> dict[str, bool]:
    """The client workspaces the demo looks after, by slug, each with whether it was created
    just now. A workspace with a client's slug that is not demo data belongs to someone
    else: it is left alone and not listed."""
    opened = {}
    for client in CLIENTS:
        found = uow.workspaces.by_slug(client.slug)
        if found is None:
            workspaces.create(
                uow,
                actor=actor,
                slug=client.slug,
                name=client.name,
                time_zone=client.time_zone,
                profile=client.profile,
                demo=True,
            )
            opened[client.slug] = True
        elif found.demo:
            opened[client.slug] = False
    return opened


def build_clients(uow: UnitOfWork, *, clients: Mapping[str, bool], leader_is_new: bool) -> None:
    """Fill the client workspaces created just now (`clients` as `open_clients` gave them,
    their people already members with their seats), and take the leader's sittings when
    the leader's account is new."""
    real_clock = uow.clock
    now = real_clock()
    try:
        if clients.get(KESTREL):
            _kestrel(uow, now)
        if clients.get(BRIGHTWATER):
            _brightwater(uow, now)
        uow.clock = real_clock
        if leader_is_new:
            share_with = KESTREL if KESTREL in clients else None
            take_fractional_sittings(uow, leader=_person(uow, LEADER), share_with=share_with)
    finally:
        uow.clock = real_clock


def _kestrel(uow: UnitOfWork, now: datetime) -> None:
    ceo, leader = _person(uow, KESTREL_CEO), _person(uow, LEADER)
    began = now - timedelta(days=KESTREL_DAYS_AGO)
    uow.clock = _stopped_at(began)
    ws = authorize(uow, ceo, KESTREL, Permission.READ).workspace
    day_0 = ws.local(now).date() - timedelta(days=KESTREL_DAYS_AGO)
    _, suggestions = leadership_setup.propose(uow, actor=ceo, workspace=KESTREL)
    # The other playbooks of the kind (going full-time, handing over, remote set-up) belong
    # to later in an engagement: recorded as skipped.
    accept = [
        s.id
        for s in suggestions
        if not s.id.startswith("playbook:") or s.id == f"playbook:{ENGAGEMENT_PLAYBOOK}"
    ]
    leadership_setup.install(
        uow, actor=ceo, workspace=KESTREL, model=None, accept=accept, playbooks_start=day_0
    )
    engagements.put_engagement(
        uow, actor=ceo, workspace=KESTREL, **kestrel_terms(leader=LEADER, starts_on=day_0)
    )
    (run,) = (
        view.run
        for view in playbook_runs.runs(uow, actor=leader, workspace=KESTREL)
        if view.run.playbook == ENGAGEMENT_PLAYBOOK
    )
    for step, day, note, link in _KESTREL_DONE:
        uow.clock = _stopped_at(began + timedelta(days=day, hours=3))
        run = playbook_runs.mark_done(
            uow,
            actor=leader,
            workspace=KESTREL,
            number=run.number,
            expected_version=run.version,
            step=step,
            note=note,
            link=link,
        )


def _brightwater(uow: UnitOfWork, now: datetime) -> None:
    cpto = _person(uow, BRIGHTWATER_CPTO)
    uow.clock = _stopped_at(now - timedelta(days=BRIGHTWATER_DAYS_AGO))
    ws = authorize(uow, cpto, BRIGHTWATER, Permission.READ).workspace
    _, suggestions = leadership_setup.propose(uow, actor=cpto, workspace=BRIGHTWATER)
    accept = [s.id for s in suggestions if s.id == "rights" or s.id.startswith("cadence:")]
    leadership_setup.install(uow, actor=cpto, workspace=BRIGHTWATER, model=None, accept=accept)
    engagements.put_engagement(
        uow,
        actor=cpto,
        workspace=BRIGHTWATER,
        **brightwater_terms(leader=LEADER, starts_on=ws.local(now).date()),
    )
