"""Engagements of fractional, part-time and interim leaders with a client workspace, the
pre-engagement red-flag check, and the overview a leader with several clients sees: only
the clients they are a member of, never another's."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from quarterdeck.domain.access import Actor, ActorKind, Permission
from quarterdeck.domain.engagements import (
    RED_FLAGS,
    EngagementModel,
    PricingBasis,
    RedFlagCheck,
    check_red_flags,
    weekly_hours,
)
from quarterdeck.domain.errors import Forbidden, InvalidInput, NotFound
from quarterdeck.domain.leadership_records import EngagementRecord
from quarterdeck.domain.workspaces import Workspace
from quarterdeck.services import audit, rights
from quarterdeck.services.access import authorize
from quarterdeck.services.portfolio_settings import number
from quarterdeck.storage import UnitOfWork

__all__ = [
    "ClientLine",
    "EngagementView",
    "Overview",
    "engagements",
    "overview",
    "put_engagement",
]

MAX_LIST = 30


@dataclass(frozen=True, slots=True)
class EngagementView:
    record: EngagementRecord
    leader_email: str
    leader_name: str
    check: RedFlagCheck

    def next_milestone(self, today: date) -> dict[str, str] | None:
        ahead = sorted(
            (m for m in self.record.milestones if m["due"] >= today.isoformat()),
            key=lambda m: m["due"],
        )
        return ahead[0] if ahead else None


@dataclass(frozen=True, slots=True)
class ClientLine:
    workspace: Workspace
    engagement: EngagementView
    next_milestone: dict[str, str] | None


@dataclass(frozen=True, slots=True)
class Overview:
    clients: tuple[ClientLine, ...]
    hours_per_week: Decimal

    @property
    def red_flags(self) -> int:
        return sum(len(c.engagement.check.raised) for c in self.clients)


def _view(uow: UnitOfWork, record: EngagementRecord) -> EngagementView:
    leader = uow.users.by_id(record.leader_id)
    assert leader is not None
    return EngagementView(
        record=record,
        leader_email=leader.email,
        leader_name=leader.display_name,
        check=check_red_flags(
            record.red_flags,
            sponsor=record.sponsor,
            decision_rights=record.decision_rights,
            owns=record.scope.get("owns", []),
            out_of_scope=record.scope.get("out_of_scope", []),
        ),
    )


def engagements(uow: UnitOfWork, *, actor: Actor, workspace: str) -> list[EngagementView]:
    ws = authorize(uow, actor, workspace, Permission.READ).workspace
    return [_view(uow, record) for record in uow.leadership.engagements(ws.id)]


def _lines(raw: Sequence[str] | str, what: str) -> list[str]:
    items = raw.splitlines() if isinstance(raw, str) else list(raw)
    cleaned = [str(item).strip() for item in items if str(item).strip()]
    if len(cleaned) > MAX_LIST or any(len(item) > 200 for item in cleaned):
        raise InvalidInput(f"{what}: at most {MAX_LIST} lines of up to 200 characters")
    return cleaned


def _milestones(raw: Sequence[Mapping[str, Any]]) -> list[dict[str, str]]:
    result = []
    for position, entry in enumerate(raw, start=1):
        title = str(entry.get("title", "")).strip()
        due = entry.get("due")
        if isinstance(due, str):
            try:
                due = date.fromisoformat(due)
            except ValueError:
                due = None
        if not title or len(title) > 200 or not isinstance(due, date):
            raise InvalidInput(f"milestone {position} needs a title and a due date like 2027-03-31")
        result.append({"title": title, "due": due.isoformat()})
    return sorted(result, key=lambda m: m["due"])


def _state(record: EngagementRecord) -> dict[str, Any]:
    return {
        "model": record.model,
        "starts_on": record.starts_on.isoformat(),
        "ends_on": None if record.ends_on is None else record.ends_on.isoformat(),
        "hours_per_week": str(record.hours_per_week),
        "pricing_basis": record.pricing_basis,
        "amount": str(record.amount),
        "currency": record.currency,
        "sponsor": record.sponsor,
        "scope": record.scope,
        "decision_rights": record.decision_rights,
        "red_flags": record.red_flags,
        "milestones": record.milestones,
        "version": record.version,
    }


def put_engagement(
    uow: UnitOfWork,
    *,
    actor: Actor,
    workspace: str,
    leader: str,
    model: str,
    starts_on: date,
    ends_on: date | None,
    hours_per_week: object,
    pricing_basis: str,
    amount: object,
    currency: str,
    sponsor: str,
    owns: Sequence[str] | str = (),
    does_not_own: Sequence[str] | str = (),
    out_of_scope: Sequence[str] | str = (),
    decision_rights: Sequence[str] = (),
    red_flags: Mapping[str, bool] | None = None,
    milestones: Sequence[Mapping[str, Any]] = (),
    expected_version: int = 0,
) -> EngagementView:
    """Record (expected_version 0) or change how `leader`, a member of the workspace, is
    engaged. Everything is checked before anything is saved."""
    ws = authorize(uow, actor, workspace, Permission.ADMINISTER).workspace
    user = uow.users.by_email(leader.strip().lower()) or uow.users.by_email(leader.strip())
    if user is None or uow.memberships.role_of(ws.id, user.id) is None:
        raise InvalidInput(f"the leader {leader} is not a member of {ws.slug!r}; add them first")
    try:
        chosen_model = EngagementModel(model)
        basis = PricingBasis(pricing_basis)
    except ValueError:
        raise InvalidInput(
            f"model is one of {', '.join(EngagementModel)}; pricing basis one of "
            f"{', '.join(PricingBasis)}"
        ) from None
    if ends_on is not None and ends_on < starts_on:
        raise InvalidInput(f"the engagement ends on {ends_on} before it starts on {starts_on}")
    if (
        chosen_model
        in (EngagementModel.INTERIM, EngagementModel.TIME_BOXED, EngagementModel.ASSESSMENT_SPRINT)
        and ends_on is None
    ):
        kind = chosen_model.label.lower()
        article = "an" if kind[0] in "aeiou" else "a"
        raise InvalidInput(f"{article} {kind} engagement needs its planned end")
    hours = number(hours_per_week, "hours per week")
    if not Decimal(0) < hours <= Decimal(60):
        raise InvalidInput(f"hours per week must be above 0 and at most 60, not {hours}")
    price = number(amount, "amount")
    code = currency.strip().upper()
    if len(code) != 3 or not code.isalpha():
        raise InvalidInput(f"currency {currency!r} must be a three-letter code like EUR")
    sponsor = sponsor.strip()
    if len(sponsor) > 120:
        raise InvalidInput("the sponsor is limited to 120 characters")
    areas = {a.key for a in rights.all_areas(rights.effective(uow, ws))}
    unknown = sorted(set(decision_rights) - areas)
    if unknown:
        raise InvalidInput(
            f"unknown decision area {unknown[0]!r}; known: {', '.join(sorted(areas))}"
        )
    answers = dict(red_flags or {})
    if set(answers) - set(RED_FLAGS):
        raise InvalidInput(f"red flags are {', '.join(RED_FLAGS)}")
    values = {
        "model": chosen_model.value,
        "starts_on": starts_on,
        "ends_on": ends_on,
        "hours_per_week": hours,
        "pricing_basis": basis.value,
        "amount": price,
        "currency": code,
        "sponsor": sponsor,
        "scope": {
            "owns": _lines(owns, "owns"),
            "does_not_own": _lines(does_not_own, "does not own"),
            "out_of_scope": _lines(out_of_scope, "out of scope"),
        },
        "decision_rights": sorted(set(decision_rights)),
        "red_flags": {key: bool(answers.get(key, False)) for key in RED_FLAGS},
        "milestones": _milestones(milestones),
    }
    before = uow.leadership.engagement(ws.id, user.id)
    if expected_version and before is None:
        raise NotFound(f"{user.email} has no engagement with {ws.slug!r}")
    record = uow.leadership.put_engagement(
        ws.id, user.id, values, expected_version=expected_version, now=uow.now()
    )
    audit.record(
        uow,
        actor=actor,
        workspace_id=ws.id,
        action="engagement.changed" if before else "engagement.recorded",
        entity_type="engagement",
        entity_id=user.email,
        before=None if before is None else _state(before),
        after=_state(record),
    )
    return _view(uow, record)


def overview(uow: UnitOfWork, *, actor: Actor, today: date) -> Overview:
    """The signed-in leader's engagements across the client workspaces they are still a
    member of: hours committed per week, next milestones, red flags."""
    if actor.kind is not ActorKind.USER or actor.user_id is None:
        raise Forbidden("the client overview is for a signed-in person")
    member_of = {ws.id: ws for ws, _role in uow.workspaces.for_user(actor.user_id)}
    lines = []
    for record in uow.leadership.engagements_of_leader(actor.user_id):
        ws = member_of.get(record.workspace_id)
        if ws is None:
            continue  # no longer a member: the client's data stays the client's
        view = _view(uow, record)
        lines.append(ClientLine(ws, view, view.next_milestone(today)))
    lines.sort(key=lambda line: line.workspace.name.lower())
    return Overview(
        clients=tuple(lines),
        hours_per_week=weekly_hours([line.engagement.record.hours_per_week for line in lines]),
    )
