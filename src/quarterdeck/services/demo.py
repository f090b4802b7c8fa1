"""The demo organisation: a fictional scale-up, plainly labelled as demo data."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import platformdirs
from sqlalchemy.engine import make_url

from quarterdeck.domain.access import Actor, ActorKind, Role
from quarterdeck.domain.workspaces import LeadershipModel, OrganisationProfile, Stage, Workspace
from quarterdeck.services import accounts, members, rights, workspaces
from quarterdeck.services.demo_clients import (
    BRIGHTWATER,
    BRIGHTWATER_CPTO,
    KESTREL,
    KESTREL_CEO,
    LEADER,
    build_clients,
    open_clients,
)
from quarterdeck.services.demo_decisions import record_demo_decisions
from quarterdeck.services.demo_engineering import EngineeringDemo, build_engineering
from quarterdeck.services.demo_leadership import build_leadership
from quarterdeck.services.demo_portfolio import PortfolioDemo, build_portfolio
from quarterdeck.storage import UnitOfWork
from quarterdeck.storage.engine import sqlite_path

__all__ = [
    "CLIENT_ACCOUNTS",
    "DEMO_ACCOUNTS",
    "DEMO_SLUG",
    "DemoAccount",
    "DemoOrganisation",
    "EngineeringDemo",
    "PortfolioDemo",
    "build",
    "default_data_dir",
]

DEMO_SLUG = "harbourline"
DEMO_PROFILE = OrganisationProfile(
    stage=Stage.SCALE_UP,
    headcount=240,
    engineering_headcount=68,
    industry="Freight and logistics software",
    regulated=False,
    product_lines=2,
    leadership_model=LeadershipModel.CTO_AND_CPO,
)


@dataclass(frozen=True, slots=True)
class DemoAccount:
    email: str
    name: str
    role: Role
    seats: tuple[str, ...] = ()  # leadership roles in the decision-rights matrix
    workspaces: tuple[str, ...] = (DEMO_SLUG,)  # same role and seats in each


DEMO_ACCOUNTS = (
    DemoAccount("cto@harbourline.example", "Maya Okafor (CTO)", Role.OWNER, ("cto",)),
    DemoAccount("cpo@harbourline.example", "Daniel Reyes (CPO)", Role.EDITOR, ("cpo",)),
    DemoAccount(
        "vpe@harbourline.example", "Priya Nair (VP Engineering)", Role.EDITOR, ("vp-engineering",)
    ),
    DemoAccount("ceo@harbourline.example", "Tom Lindqvist (CEO)", Role.EDITOR, ("ceo",)),
    DemoAccount(
        "lead@harbourline.example",
        "Lena Fischer (Team lead, Tracking)",
        Role.EDITOR,
        ("team-lead",),
    ),
    DemoAccount("board@harbourline.example", "Ana Costa (board observer)", Role.VIEWER),
)
# A fractional CTO and the people who engaged them, in two client workspaces of their own.
CLIENT_ACCOUNTS = (
    DemoAccount(
        LEADER,
        "Sam Rivera (fractional CTO)",
        Role.EDITOR,
        ("fractional-cto",),
        (KESTREL, BRIGHTWATER),
    ),
    DemoAccount(
        KESTREL_CEO, "Ines de Vries (CEO, Kestrel Labs)", Role.OWNER, ("ceo", "sponsor"), (KESTREL,)
    ),
    DemoAccount(
        BRIGHTWATER_CPTO,
        "Hannah Osei (CPTO, Brightwater Health)",
        Role.OWNER,
        ("cpto",),
        (BRIGHTWATER,),
    ),
)


@dataclass(frozen=True, slots=True)
class DemoOrganisation:
    workspace: Workspace
    accounts: tuple[DemoAccount, ...]
    password: str
    engineering: EngineeringDemo | None = None  # None: the workspace existed, or no folder
    portfolio: PortfolioDemo | None = None  # None: the workspace existed


def default_data_dir(database_url: str) -> Path:
    """Where the demo keeps its generated engineering data: beside a SQLite database file
    (`quarterdeck.db` -> `quarterdeck-demo-data/`), else in the user's data directory, in
    a folder named after the database."""
    database = sqlite_path(database_url)
    if database is not None:
        return database.with_name(f"{database.stem}-demo-data")
    name = make_url(database_url).database or "memory"
    plain = re.sub(r"[^A-Za-z0-9_.-]+", "-", Path(name).name).strip(".-") or "database"
    return Path(platformdirs.user_data_dir("quarterdeck", appauthor=False)) / "demo-data" / plain


def build(
    uow: UnitOfWork,
    *,
    actor: Actor,
    password: str | None = None,
    data_dir: Path | None = None,
    scale: float = 1.0,
) -> DemoOrganisation:
    """Create the demo workspace, two client workspaces of a fractional CTO, and their
    accounts; for those that exist, give the accounts a new password. One password for every
    demo account; generated unless given. Operator only.

    A new workspace gets a decision log, a portfolio (teams, roadmap, intake and accepted
    plans), its leadership set-up with the CTO's playbook under way and, when `data_dir` is
    given, a year of engineering records generated into that folder and taken in through the
    connectors, with a scorecard over them (`scale` shrinks the git history for tests). New
    client workspaces get their set-up and the fractional CTO's engagement; a client's slug
    taken by a workspace that is not demo data is left alone. Raises InvalidInput when
    `data_dir` holds files the demo did not make, ToolMissing without git."""
    password = password or accounts.generate_password()
    existing = uow.workspaces.by_slug(DEMO_SLUG)
    workspace = existing or workspaces.create(
        uow,
        actor=actor,
        slug=DEMO_SLUG,
        name="Harbourline",
        time_zone="Europe/London",
        profile=DEMO_PROFILE,
        demo=True,
    )
    clients = open_clients(uow, actor=actor)
    looked_after = {DEMO_SLUG, *clients}
    new_accounts: set[str] = set()
    for account in (*DEMO_ACCOUNTS, *CLIENT_ACCOUNTS):
        if uow.users.by_email(account.email) is None:
            accounts.add_user(
                uow, actor=actor, email=account.email, display_name=account.name, password=password
            )
            new_accounts.add(account.email)
        else:
            accounts.set_password(uow, actor=actor, email=account.email, password=password)
        for slug in account.workspaces:
            if slug not in looked_after:
                continue  # a client slug taken by someone else's workspace
            members.add(uow, actor=actor, workspace=slug, email=account.email, role=account.role)
            rights.assign(
                uow, actor=actor, workspace=slug, email=account.email, roles=account.seats
            )
    engineering = portfolio = None
    if existing is None:
        people = _people(uow)
        record_demo_decisions(uow, workspace=DEMO_SLUG, people=people)
        portfolio = build_portfolio(uow, workspace=DEMO_SLUG, people=people)
        if data_dir is not None:
            engineering = build_engineering(
                uow,
                workspace=DEMO_SLUG,
                people=people,
                owners=_owners(),
                folder=data_dir,
                scale=scale,
            )
        build_leadership(uow, workspace=DEMO_SLUG, cto=people["cto"])
    build_clients(uow, clients=clients, leader_is_new=LEADER in new_accounts)
    return DemoOrganisation(
        workspace=workspace,
        accounts=(*DEMO_ACCOUNTS, *CLIENT_ACCOUNTS),
        password=password,
        engineering=engineering,
        portfolio=portfolio,
    )


def _people(uow: UnitOfWork) -> dict[str, Actor]:
    """The demo leaders as signed-in people, keyed by the first part of their email."""
    people = {}
    for account in DEMO_ACCOUNTS:
        user = uow.users.by_email(account.email)
        assert user is not None
        key = account.email.split("@")[0]
        people[key] = Actor(kind=ActorKind.USER, label=user.email, user_id=user.id)
    return people


def _owners() -> dict[str, str]:
    """The demo leaders' names as metric owners, keyed like `_people`."""
    return {account.email.split("@")[0]: account.name for account in DEMO_ACCOUNTS}
