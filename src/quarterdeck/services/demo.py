"""The demo organisation: a fictional scale-up, plainly labelled as demo data."""

from __future__ import annotations

from dataclasses import dataclass

from quarterdeck.domain.access import Actor, ActorKind, Role
from quarterdeck.domain.workspaces import LeadershipModel, OrganisationProfile, Stage, Workspace
from quarterdeck.services import accounts, members, rights, workspaces
from quarterdeck.services.demo_decisions import record_demo_decisions
from quarterdeck.storage import UnitOfWork

__all__ = ["DEMO_SLUG", "DemoAccount", "DemoOrganisation", "build"]

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


@dataclass(frozen=True, slots=True)
class DemoOrganisation:
    workspace: Workspace
    accounts: tuple[DemoAccount, ...]
    password: str


def build(uow: UnitOfWork, *, actor: Actor, password: str | None = None) -> DemoOrganisation:
    """Create the demo workspace and its accounts, or, when it exists, give the accounts a new
    password. One password for every demo account; generated unless given. Operator only."""
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
    for account in DEMO_ACCOUNTS:
        if uow.users.by_email(account.email) is None:
            accounts.add_user(
                uow, actor=actor, email=account.email, display_name=account.name, password=password
            )
        else:
            accounts.set_password(uow, actor=actor, email=account.email, password=password)
        members.add(uow, actor=actor, workspace=DEMO_SLUG, email=account.email, role=account.role)
        rights.assign(
            uow, actor=actor, workspace=DEMO_SLUG, email=account.email, roles=account.seats
        )
    if existing is None:
        record_demo_decisions(uow, workspace=DEMO_SLUG, people=_people(uow))
    return DemoOrganisation(workspace=workspace, accounts=DEMO_ACCOUNTS, password=password)


def _people(uow: UnitOfWork) -> dict[str, Actor]:
    """The demo leaders as signed-in people, keyed by the first part of their email."""
    people = {}
    for account in DEMO_ACCOUNTS:
        user = uow.users.by_email(account.email)
        assert user is not None
        key = account.email.split("@")[0]
        people[key] = Actor(kind=ActorKind.USER, label=user.email, user_id=user.id)
    return people
