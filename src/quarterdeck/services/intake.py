"""The single intake: every request (product bet, platform investment, risk reduction,
keep-the-lights-on) in one queue per workspace, with why it is asked for, the smallest bet
that would prove it, urgency and its reason, dependencies, alternatives, the definition of
ready, scores for the prioritisation models, effort per team, the roadmap outcome it serves
and its evidence checkpoints.

Every add and edit is checked whole before anything is written; an edit names the version
it was made from and a stale one changes nothing."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

from quarterdeck.domain.access import Actor, Permission
from quarterdeck.domain.capacity import check_quarter
from quarterdeck.domain.errors import InvalidInput, NotFound
from quarterdeck.domain.planning import Kind
from quarterdeck.domain.planning_model import refuse_cycles
from quarterdeck.domain.portfolio import IntakeItem, item_key, item_number
from quarterdeck.domain.workspaces import Workspace
from quarterdeck.services import audit
from quarterdeck.services.access import authorize
from quarterdeck.services.intake_scoring import SCORE_FIELDS, clean_scores, yes_no
from quarterdeck.services.portfolio_settings import number, settings_of
from quarterdeck.storage import UnitOfWork

__all__ = [
    "CHECKPOINTS",
    "READY_CHECKS",
    "SCORE_FIELDS",
    "IntakeFilter",
    "Status",
    "Urgency",
    "add_item",
    "edit_item",
    "get_item",
    "is_ready",
    "item_json",
    "items",
    "record_checkpoint",
]


class Status(StrEnum):
    PROPOSED = "proposed"
    IN_PROGRESS = "in-progress"
    DONE = "done"
    DROPPED = "dropped"


class Urgency(StrEnum):
    NORMAL = "normal"
    HIGH = "high"
    URGENT = "urgent"


OPEN = frozenset({Status.PROPOSED, Status.IN_PROGRESS})

READY_CHECKS = {
    "dependencies": "Dependencies are known",
    "risk": "Risk is assessed",
    "security": "Security is reviewed",
    "performance": "Performance needs are understood",
}

CHECKPOINTS = {
    "problem-validated": "Problem validated",
    "experiment-plan": "Experiment plan",
    "post-launch": "Post-launch measurement",
}


_KEY = re.compile(r"^[a-z0-9][a-z0-9-]{0,47}$")
_METRIC = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
_LINK = re.compile(r"^https?://\S+$")
_TEXT_LIMIT = 5_000

_DEFAULTS: dict[str, Any] = {
    "kind": Kind.PRODUCT_BET.value,
    "status": Status.PROPOSED.value,
    "requester": "",
    "department": "",
    "description": "",
    "hypothesis": "",
    "smallest_bet": "",
    "urgency": Urgency.NORMAL.value,
    "urgency_reason": "",
    "ready": {},
    "requires": [],
    "alternative_group": "",
    "mandatory": False,
    "pinned_quarter": "",
    "value": Decimal(0),
    "success": Decimal(1),
    "scores": {},
    "effort": {},
    "outcome_key": "",
    "primary_metric": "",
    "guardrail_metric": "",
    "checkpoints": {},
    "cost_benefit": None,
    "planned_quarter": "",
}
EDITABLE = frozenset(_DEFAULTS) - {"checkpoints", "cost_benefit", "planned_quarter"}


def _text(value: object, name: str, limit: int) -> str:
    if not isinstance(value, str):
        raise InvalidInput(f"{name} must be text")
    if len(value) > limit:
        raise InvalidInput(f"{name} is limited to {limit:,} characters")
    return value.strip()


def _choice(value: object, name: str, kind: type[StrEnum]) -> str:
    try:
        return kind(str(value)).value
    except ValueError:
        known = ", ".join(k.value for k in kind)
        raise InvalidInput(f"{name} {value!r} is not one of {known}") from None


def _clean(
    uow: UnitOfWork, ws: Workspace, values: Mapping[str, Any], number_: int | None
) -> dict[str, Any]:
    """Check every field; returns the column values."""
    out: dict[str, Any] = dict(values)
    title = _text(out.get("title", ""), "title", 200)
    if not title:
        raise InvalidInput("an intake item needs a title")
    out["title"] = title
    out["kind"] = _choice(out["kind"], "kind", Kind)
    out["status"] = _choice(out["status"], "status", Status)
    out["urgency"] = _choice(out["urgency"], "urgency", Urgency)
    for name, limit in (("requester", 120), ("department", 120)):
        out[name] = _text(out[name], name, limit)
    for name in ("description", "hypothesis", "smallest_bet", "urgency_reason"):
        out[name] = _text(out[name], name.replace("_", " "), _TEXT_LIMIT)
    if out["urgency"] != Urgency.NORMAL and not out["urgency_reason"]:
        raise InvalidInput(f"urgency {out['urgency']} needs its reason")
    if not isinstance(out["ready"], Mapping) or set(out["ready"]) - set(READY_CHECKS):
        raise InvalidInput(f"ready checks are {', '.join(READY_CHECKS)}")
    out["ready"] = {k: yes_no(v, f"ready check {k}") for k, v in out["ready"].items()}
    out["mandatory"] = yes_no(out["mandatory"], "mandatory")
    group = _text(out["alternative_group"], "alternative group", 48).lower()
    if group and not _KEY.match(group):
        raise InvalidInput(f"alternative group {group!r} must be a short key like 'search-engine'")
    out["alternative_group"] = group
    quarter = _text(out["pinned_quarter"], "quarter", 7)
    out["pinned_quarter"] = check_quarter(quarter) if quarter else ""
    out["value"] = number(out["value"], "value")
    out["success"] = number(out["success"], "probability of success")
    if out["success"] > 1:
        raise InvalidInput(f"probability of success is from 0 to 1, not {out['success']}")
    teams = {t.key for t in uow.portfolio.teams(ws.id)}
    if not isinstance(out["effort"], Mapping):
        raise InvalidInput("effort must map a team to person-weeks")
    effort = {}
    for team, weeks in out["effort"].items():
        if team not in teams:
            raise InvalidInput(
                f"effort for unknown team {team!r}; teams: {', '.join(sorted(teams)) or 'none yet'}"
            )
        amount = number(weeks, f"effort for team {team!r}")
        if amount:
            effort[team] = str(amount)
    out["effort"] = effort
    out["scores"] = clean_scores(out["scores"], out["title"], settings_of(uow, ws))
    outcome = _text(out["outcome_key"], "outcome", 48)
    if outcome and outcome not in {o.key for o in uow.portfolio.outcomes(ws.id)}:
        raise InvalidInput(f"unknown roadmap outcome {outcome!r}")
    out["outcome_key"] = outcome
    for name in ("primary_metric", "guardrail_metric"):
        key = _text(out[name], name.replace("_", " "), 64)
        if key and not _METRIC.match(key):
            raise InvalidInput(
                f"{name.replace('_', ' ')} {key!r} must be a metric key like 'conversion-rate'"
            )
        out[name] = key
    if out["status"] == Status.IN_PROGRESS and not (
        out["primary_metric"] and out["guardrail_metric"]
    ):
        raise InvalidInput(
            "an initiative in progress names one primary outcome metric and one guardrail metric"
        )
    out["requires"] = _requires(uow, ws, out["requires"], number_)
    return out


def _requires(uow: UnitOfWork, ws: Workspace, raw: object, own: int | None) -> list[int]:
    if isinstance(raw, str):
        raw = [part for part in re.split(r"[,\s]+", raw) if part]
    if not isinstance(raw, list | tuple):
        raise InvalidInput("dependencies must be a list of intake items")
    wanted = sorted({item_number(entry) for entry in raw})
    present = {item.number: item for item in uow.portfolio.items(ws.id)}
    for needed in wanted:
        if needed == own:
            raise InvalidInput(f"{item_key(needed)} cannot depend on itself")
        if needed not in present:
            raise InvalidInput(
                f"dependency {item_key(needed)} is not an intake item of {ws.slug!r}"
            )
    graph = {item_key(n): tuple(item_key(r) for r in item.requires) for n, item in present.items()}
    if own is not None:
        graph[item_key(own)] = tuple(item_key(r) for r in wanted)
    refuse_cycles(graph)
    return wanted


def item_json(item: IntakeItem) -> dict[str, Any]:
    """An item as JSON-ready values (what the API returns and the audit keeps)."""
    return {
        "key": item.key,
        "number": item.number,
        **{
            name: (str(value) if isinstance(value, Decimal) else value)
            for name, value in ((name, getattr(item, name)) for name in ("title", *_DEFAULTS))
        },
        "version": item.version,
    }


def _known(values: Mapping[str, Any]) -> None:
    unknown = sorted(set(values) - EDITABLE - {"title"})
    if unknown:
        raise InvalidInput(f"intake items have no field {unknown[0]!r} that can be set here")


def _audit(
    uow: UnitOfWork,
    actor: Actor,
    ws: Workspace,
    action: str,
    item: IntakeItem,
    before: IntakeItem | None,
) -> None:
    audit.record(
        uow,
        actor=actor,
        workspace_id=ws.id,
        action=action,
        entity_type="intake_item",
        entity_id=item.key,
        before=None if before is None else item_json(before),
        after=item_json(item),
    )


def add_item(
    uow: UnitOfWork, *, actor: Actor, workspace: str, values: Mapping[str, Any]
) -> IntakeItem:
    """Add a request to the intake with the next number (IN-1, IN-2, ...)."""
    ws = authorize(uow, actor, workspace, Permission.WRITE).workspace
    _known(values)
    clean = _clean(uow, ws, {**_DEFAULTS, **values}, None)
    item = uow.portfolio.add_item(ws.id, clean, created_by=actor.label, now=uow.now())
    _audit(uow, actor, ws, "intake.added", item, None)
    return item


def _load(uow: UnitOfWork, ws: Workspace, number_: int) -> IntakeItem:
    item = uow.portfolio.item(ws.id, number_)
    if item is None:
        raise NotFound(f"intake item {item_key(number_)} not found")
    return item


def edit_item(
    uow: UnitOfWork,
    *,
    actor: Actor,
    workspace: str,
    number: int,
    expected_version: int,
    changes: Mapping[str, Any],
) -> IntakeItem:
    """Change some fields of an item; the others keep their values."""
    ws = authorize(uow, actor, workspace, Permission.WRITE).workspace
    _known(changes)
    before = _load(uow, ws, number)
    current = {name: getattr(before, name) for name in ("title", *EDITABLE)}
    current["value"], current["success"] = str(before.value), str(before.success)
    clean = _clean(uow, ws, {**current, **changes}, number)
    item = uow.portfolio.update_item(
        ws.id, number, clean, expected_version=expected_version, now=uow.now()
    )
    _audit(uow, actor, ws, "intake.changed", item, before)
    return item


def record_checkpoint(
    uow: UnitOfWork,
    *,
    actor: Actor,
    workspace: str,
    number: int,
    expected_version: int,
    checkpoint: str,
    done: bool,
    note: str = "",
    link: str = "",
) -> IntakeItem:
    """Mark an evidence checkpoint (problem validated, experiment plan, post-launch
    measurement) done or not, with a note and a link to the evidence."""
    ws = authorize(uow, actor, workspace, Permission.WRITE).workspace
    if checkpoint not in CHECKPOINTS:
        raise InvalidInput(f"unknown checkpoint {checkpoint!r}; known: {', '.join(CHECKPOINTS)}")
    note = _text(note, "note", 2_000)
    link = _text(link, "evidence link", 500)
    if link and not _LINK.match(link):
        raise InvalidInput("the evidence link must be an http or https address")
    if done and not (note or link):
        raise InvalidInput("a checkpoint marked done needs a note or an evidence link")
    before = _load(uow, ws, number)
    checkpoints = {
        **before.checkpoints,
        checkpoint: {
            "done": done,
            "note": note,
            "link": link,
            "by": actor.label,
            "at": uow.now().isoformat(),
        },
    }
    item = uow.portfolio.update_item(
        ws.id,
        number,
        {"checkpoints": checkpoints},
        expected_version=expected_version,
        now=uow.now(),
    )
    _audit(uow, actor, ws, "intake.checkpoint", item, before)
    return item


@dataclass(frozen=True, slots=True)
class IntakeFilter:
    kind: str = ""
    status: str = ""  # "" lists open items (proposed and in progress); "all" lists every item
    department: str = ""
    urgency: str = ""
    ready: bool | None = None
    text: str = ""


def is_ready(item: IntakeItem) -> bool:
    """The definition of ready: every check answered yes."""
    return all(item.ready.get(check) for check in READY_CHECKS)


def items(
    uow: UnitOfWork, *, actor: Actor, workspace: str, where: IntakeFilter | None = None
) -> list[IntakeItem]:
    ws = authorize(uow, actor, workspace, Permission.READ).workspace
    return [item for item in uow.portfolio.items(ws.id) if _matches(item, where or IntakeFilter())]


def _matches(item: IntakeItem, where: IntakeFilter) -> bool:
    if where.status == "all":
        pass
    elif where.status:
        if item.status != where.status:
            return False
    elif item.status not in OPEN:
        return False
    if where.kind and item.kind != where.kind:
        return False
    if where.department and item.department.lower() != where.department.lower():
        return False
    if where.urgency and item.urgency != where.urgency:
        return False
    if where.ready is not None and is_ready(item) != where.ready:
        return False
    text = where.text.strip().lower()
    return (
        not text or text in f"{item.key} {item.title} {item.description} {item.requester}".lower()
    )


def get_item(uow: UnitOfWork, *, actor: Actor, workspace: str, number: int) -> IntakeItem:
    ws = authorize(uow, actor, workspace, Permission.READ).workspace
    return _load(uow, ws, number)
