"""The intake pages' forms: the board's filters and an item's fields and scores, read from
the posted fields with every problem named at once; and the stored item as the form's
fields. The checkpoint and cost-benefit forms are in `intake_evidence_forms`.

The readers check what a form alone can tell (required fields, choices, numbers, scales);
the services check the rest (unknown dependencies, teams and outcomes, metric keys)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

from quarterdeck.domain.errors import InvalidInput, NotFound
from quarterdeck.domain.planning import Kind
from quarterdeck.domain.portfolio import IntakeItem, item_key, item_number
from quarterdeck.domain.prioritisation_ratios import RiceModel, WsjfModel
from quarterdeck.services.intake import (
    READY_CHECKS,
    SCORE_FIELDS,
    IntakeFilter,
    Status,
    Urgency,
)
from quarterdeck.services.portfolio_settings import PlanningSettings
from quarterdeck.web.policies import MAX_ROW_ID

__all__ = [
    "SCORE_LABELS",
    "amount",
    "blank_values",
    "board_filter",
    "choice",
    "form_values",
    "item_values",
    "path_number",
    "version_of",
    "weighted_keys",
]

SCORE_LABELS = {
    "departmental": "Departmental needs",
    "resources": "Resources",
    "viability": "Viability",
    "risk": "Risk (lower is better)",
    "reach": "Reach (people or events per period)",
    "impact": "Impact",
    "confidence": "Confidence (percent)",
    "effort": "Effort (above zero)",
    "business_value": "Business value",
    "time_criticality": "Time criticality",
    "risk_reduction": "Risk reduction or opportunity enablement",
    "job_size": "Job size (above zero)",
}
_PREFIX = {"five-criteria": "fc", "rice": "rice", "wsjf": "wsjf"}
_NUMBER_LIMIT = 40  # characters of one typed number


def path_number(text: str) -> int:
    """The item number in an address ("IN-12" or "12"); NotFound for anything else."""
    try:
        number = item_number(text[:20])
    except InvalidInput:
        number = 0
    if not 1 <= number <= MAX_ROW_ID or len(text) > 20:
        raise NotFound("there is no such intake item; intake items are named like IN-12")
    return number


def version_of(fields: Mapping[str, str]) -> int:
    """The version the form was loaded with; a missing or odd one can only be stale."""
    text = fields.get("version", "").strip()
    return int(text) if text.isdigit() and int(text) <= MAX_ROW_ID else -1


def _one_of(value: str, name: str, allowed: Iterable[str]) -> str:
    known = list(allowed)
    if value and value not in known:
        raise InvalidInput(f"{name} {value[:40]!r} is not one of {', '.join(known)}")
    return value


def board_filter(
    *, kind: str, status: str, department: str, urgency: str, ready: str, text: str
) -> IntakeFilter:
    """The board's GET form as a filter; an empty field means "any" (for status: open)."""
    _one_of(ready, "ready", ("yes", "no"))
    return IntakeFilter(
        kind=_one_of(kind, "kind", (k.value for k in Kind)),
        status=_one_of(status, "status", [*(s.value for s in Status), "all"]),
        department=department.strip(),
        urgency=_one_of(urgency, "urgency", (u.value for u in Urgency)),
        ready=None if not ready else ready == "yes",
        text=text.strip(),
    )


def _show(value: Fraction | int) -> str:
    number = Fraction(value)
    shown = Decimal(number.numerator) / Decimal(number.denominator)
    return format(shown.normalize(), "f")


def amount(
    raw: str,
    label: str,
    problems: list[str],
    *,
    high: Decimal | None = None,
    allowed: Sequence[Fraction | int] = (),
) -> str | None:
    """The typed number as text (None when the field is empty); a problem naming `label`
    when it is no number, below 0, above `high` or not among `allowed`."""
    text = raw.strip()
    if not text:
        return None
    if len(text) > _NUMBER_LIMIT:
        problems.append(f"{label} is limited to {_NUMBER_LIMIT} characters")
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        problems.append(f"{label} must be a number, got {text!r}")
        return None
    if not value.is_finite():
        problems.append(f"{label} must be a finite number, got {text!r}")
    elif value < 0:
        problems.append(f"{label} must not be below 0, got {text}")
    elif high is not None and value > high:
        problems.append(f"{label} must not be above {high}, got {text}")
    elif allowed and Fraction(value) not in {Fraction(a) for a in allowed}:
        problems.append(f"{label} is {text}; use one of {', '.join(_show(a) for a in allowed)}")
    else:
        return text
    return None


def choice(
    fields: Mapping[str, str],
    name: str,
    allowed: Iterable[str],
    problems: list[str],
    label: str = "",
) -> str:
    value = fields.get(name, "")
    known = list(allowed)
    if value not in known:
        shown = label or name.replace("_", " ")
        problems.append(f"{shown} {value[:40]!r} is not one of {', '.join(known)}")
    return value


def _text(fields: Mapping[str, str], name: str, limit: int, problems: list[str]) -> str:
    value = fields.get(name, "").strip()
    if len(value) > limit:
        problems.append(f"{name.replace('_', ' ')} is limited to {limit:,} characters")
    return value


def _method_scores(
    fields: Mapping[str, str], method: str, problems: list[str], checks: Mapping[str, Any]
) -> dict[str, Any] | None:
    """One method's inputs (None when every field is empty); all or nothing."""
    prefix, names = _PREFIX[method], SCORE_FIELDS[method]
    raw = {name: fields.get(f"{prefix}_{name}", "") for name in names}
    extra = {k: v for k, v in fields.items() if k.startswith(f"{prefix}_serves_")}
    if not any(v.strip() for v in [*raw.values(), *extra.values()]):
        return None
    missing = [SCORE_LABELS[name].lower() for name, value in raw.items() if not value.strip()]
    if missing:
        problems.append(
            f"{method} scores: give {', '.join(missing)} too, or leave every {method} field empty"
        )
    entry: dict[str, Any] = {}
    for name, value in raw.items():
        typed = amount(value, f"{method} {SCORE_LABELS[name].lower()}", problems, **checks[name])
        if typed is not None:
            entry[name] = typed
    return entry


def _scores(
    fields: Mapping[str, str], settings: PlanningSettings, stored: Mapping[str, Any]
) -> tuple[dict[str, Any], list[str]]:
    problems: list[str] = []
    scores: dict[str, Any] = {}
    high = Decimal(str(settings.five_criteria().high))
    scale = {"high": high}
    five = _method_scores(
        fields,
        "five-criteria",
        problems,
        dict.fromkeys(SCORE_FIELDS["five-criteria"], scale),
    )
    if five is not None:
        five["serves"] = {}
        for goal in settings.goals:
            raw = fields.get(f"fc_serves_{goal.key}", "")
            typed = amount(raw, f"how strongly it serves {goal.title!r}", problems, high=high)
            if typed is not None:
                five["serves"][goal.key] = typed
        backed = choice(
            fields, "fc_departments", ("yes", "no"), problems, "do the department heads back it:"
        )
        five["departments"] = backed == "yes"
        scores["five-criteria"] = five
    levels = RiceModel().impact_levels
    rice = _method_scores(
        fields,
        "rice",
        problems,
        {
            "reach": {},
            "impact": {"allowed": levels},
            "confidence": {"high": Decimal(100)},
            "effort": {},
        },
    )
    if rice is not None:
        scores["rice"] = rice
    points = WsjfModel().scale or ()
    wsjf = _method_scores(
        fields, "wsjf", problems, {name: {"allowed": points} for name in SCORE_FIELDS["wsjf"]}
    )
    if wsjf is not None:
        scores["wsjf"] = wsjf
    tops = {c.key: Decimal(str(c.high)) for c in settings.criteria}
    weighted = {}
    for criterion in weighted_keys(settings, stored):
        raw = fields.get(f"weighted_{criterion}", "")
        typed = amount(raw, f"criterion {criterion}", problems, high=tops.get(criterion))
        if typed is not None:
            weighted[criterion] = typed
    if weighted:
        scores["weighted"] = weighted
    return scores, problems


def weighted_keys(settings: PlanningSettings, stored: Mapping[str, Any]) -> list[str]:
    """The custom criteria the form asks for: the workspace's, and any the item still holds."""
    keys = [c.key for c in settings.criteria]
    return keys + [k for k in stored.get("weighted", {}) if k not in keys]


def _requires(raw: str, problems: list[str]) -> list[str]:
    keys = []
    for part in raw.replace(",", " ").split():
        try:
            keys.append(item_key(item_number(part[:20])))
        except InvalidInput:
            problems.append(f"dependency {part[:40]!r} does not name an intake item (like IN-12)")
    return keys


def item_values(
    fields: Mapping[str, str],
    settings: PlanningSettings,
    teams: Sequence[str],
    stored_scores: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The item form as the values of `intake.add_item` / `intake.edit_item` (every field:
    an edit replaces them all); InvalidInput naming every field at fault."""
    problems: list[str] = []
    title = _text(fields, "title", 200, problems)
    if not title:
        problems.append("title is required (1-200 characters)")
    kind = choice(fields, "kind", (k.value for k in Kind), problems)
    status = choice(fields, "status", (s.value for s in Status), problems)
    urgency = choice(fields, "urgency", (u.value for u in Urgency), problems)
    texts = {
        name: _text(fields, name, limit, problems)
        for name, limit in (
            ("requester", 120),
            ("department", 120),
            ("description", 5_000),
            ("hypothesis", 5_000),
            ("smallest_bet", 5_000),
            ("urgency_reason", 5_000),
            ("alternative_group", 48),
            ("outcome_key", 48),
            ("primary_metric", 64),
            ("guardrail_metric", 64),
            ("pinned_quarter", 7),
        )
    }
    if urgency in (Urgency.HIGH, Urgency.URGENT) and not texts["urgency_reason"]:
        problems.append(f"urgency {urgency} needs its reason")
    value = amount(fields.get("value", ""), "value", problems) or "0"
    success = amount(fields.get("success", ""), "probability of success", problems, high=Decimal(1))
    effort = {}
    for team in teams:
        weeks = amount(fields.get(f"effort_{team}", ""), f"effort for team {team}", problems)
        if weeks is not None:
            effort[team] = weeks
    scores, score_problems = _scores(fields, settings, stored_scores or {})
    problems += score_problems
    requires = _requires(fields.get("requires", "")[:2_000], problems)
    if problems:
        raise InvalidInput("; ".join(problems))
    return {
        "title": title,
        "kind": kind,
        "status": status,
        "urgency": urgency,
        **texts,
        "alternative_group": texts["alternative_group"].lower(),
        "ready": {check: fields.get(f"ready_{check}") == "yes" for check in READY_CHECKS},
        "mandatory": fields.get("mandatory") == "yes",
        "value": value,
        "success": "1" if success is None else success,
        "effort": effort,
        "scores": scores,
        "requires": requires,
    }


def blank_values() -> dict[str, str]:
    """A new request's form: proposed, normal urgency, no value stated, sure to succeed."""
    return {
        "kind": Kind.PRODUCT_BET.value,
        "status": Status.PROPOSED.value,
        "urgency": Urgency.NORMAL.value,
        "value": "0",
        "success": "1",
        "fc_departments": "yes",
    }


def form_values(item: IntakeItem) -> dict[str, str]:
    """The stored item as the form's fields (the inverse of `item_values`)."""
    values = {
        name: str(getattr(item, name))
        for name in (
            "title",
            "kind",
            "status",
            "urgency",
            "requester",
            "department",
            "description",
            "hypothesis",
            "smallest_bet",
            "urgency_reason",
            "alternative_group",
            "outcome_key",
            "primary_metric",
            "guardrail_metric",
            "pinned_quarter",
            "value",
            "success",
        )
    }
    values["requires"] = ", ".join(item_key(n) for n in item.requires)
    values["mandatory"] = "yes" if item.mandatory else ""
    values |= {f"ready_{c}": "yes" for c in READY_CHECKS if item.ready.get(c)}
    values |= {f"effort_{team}": str(weeks) for team, weeks in item.effort.items()}
    values["fc_departments"] = "yes"
    for method, prefix in _PREFIX.items():
        entry = item.scores.get(method, {})
        values |= {
            f"{prefix}_{name}": str(entry[name]) for name in SCORE_FIELDS[method] if name in entry
        }
        if method == "five-criteria" and entry:
            values |= {f"fc_serves_{g}": str(v) for g, v in entry.get("serves", {}).items()}
            values["fc_departments"] = "yes" if entry.get("departments", True) else "no"
    values |= {f"weighted_{k}": str(v) for k, v in item.scores.get("weighted", {}).items()}
    return values
