"""A small portfolio to plan: two teams, four people, ready items with effort."""

from __future__ import annotations

from typing import Any

from quarterdeck.domain.access import Actor
from quarterdeck.services import capacity, intake, portfolio_settings
from quarterdeck.storage import Database

READY = {"dependencies": True, "risk": True, "security": True, "performance": True}


def setup_portfolio(db: Database, actor: Actor, slug: str) -> None:
    """Quarters 2027-Q1/Q2; teams core (2 people) and web (2 people), no reserve; a
    60/25/15 split with wide bounds."""
    with db.unit_of_work(write=True) as uow:
        portfolio_settings.set_planning_settings(
            uow,
            actor=actor,
            workspace=slug,
            expected_version=0,
            quarters=["2027-Q1", "2027-Q2"],
            splits={
                q: [
                    {"kind": "product-bet", "target": 60, "minimum": 0, "maximum": 100},
                    {"kind": "platform-investment", "target": 25},
                    {"kind": "risk-reduction", "target": 15},
                ]
                for q in ("2027-Q1", "2027-Q2")
            },
        )
        for key in ("core", "web"):
            capacity.add_team(uow, actor=actor, workspace=slug, key=key, name=key.title())
            for n in (1, 2):
                capacity.put_person(
                    uow, actor=actor, workspace=slug, name=f"{key}-{n}", team=key, fte=1
                )


def add(db: Database, actor: Actor, slug: str, title: str, **values: Any) -> int:
    """Add a ready item; returns its number."""
    with db.unit_of_work(write=True) as uow:
        item = intake.add_item(
            uow, actor=actor, workspace=slug, values={"title": title, "ready": READY, **values}
        )
        return item.number
