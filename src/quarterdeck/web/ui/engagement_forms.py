"""The engagement form: posted fields to the arguments of `engagements.put_engagement`, with
every problem the form alone reveals named at once, and a stored engagement back as the
form's fields.

Lists (owns, does not own, out of scope) are typed one per line; milestones one per line
as "YYYY-MM-DD title"; decision rights and red flags are ticked boxes (right_<area> and
flag_<flag>). The service checks the rest (membership, models, hours, currency, areas)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from quarterdeck.domain.engagements import RED_FLAGS, EngagementModel, PricingBasis
from quarterdeck.domain.errors import InvalidInput
from quarterdeck.services.engagements import EngagementView
from quarterdeck.web.ui.playbook_forms import version_of

__all__ = [
    "BASIS_LABELS",
    "MODEL_LABELS",
    "blank_values",
    "engagement_arguments",
    "figure",
    "form_values",
]

MODEL_LABELS = {model.value: model.label for model in EngagementModel}
BASIS_LABELS = {
    PricingBasis.HOURLY.value: "Hourly rate",
    PricingBasis.DAY_RATE.value: "Day rate",
    PricingBasis.RETAINER.value: "Monthly retainer",
}
LIST_FIELDS = ("owns", "does_not_own", "out_of_scope")
MAX_MILESTONES = 30
_MILESTONE = re.compile(r"^(\S+)\s+(.+)$")


def figure(value: Decimal) -> str:
    """A stored amount as people write it: 12,000 and 16.5, never 1.2E+4."""
    return format(value.normalize(), ",f")


def _day(text: str, label: str, problems: list[str]) -> date | None:
    text = text.strip()
    if not text:
        return None
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        problems.append(f"{label} {text[:40]!r} is not a date like 2027-01-04")
        return None


def _milestones(raw: str, problems: list[str]) -> list[dict[str, Any]]:
    lines = [line.strip() for line in raw.splitlines() if line.strip()]
    if len(lines) > MAX_MILESTONES:
        problems.append(f"milestones: at most {MAX_MILESTONES} lines")
        return []
    milestones = []
    for number, line in enumerate(lines, start=1):
        found = _MILESTONE.match(line)
        due = _day(found.group(1), f"milestone line {number}:", []) if found else None
        if found is None or due is None:
            problems.append(
                f"milestone line {number} ({line[:40]!r}) must read like "
                "'2027-03-31 Architecture review done'"
            )
            continue
        milestones.append({"due": due, "title": found.group(2).strip()})
    return milestones


def engagement_arguments(fields: Mapping[str, str], areas: list[str]) -> dict[str, Any]:
    """The form as keyword arguments of `put_engagement` (the actor and workspace aside);
    InvalidInput naming every problem the form alone reveals."""
    problems: list[str] = []
    leader = fields.get("leader", "").strip()
    if not leader:
        problems.append("choose the leader engaged")
    starts_on = _day(fields.get("starts_on", ""), "start date", problems)
    if starts_on is None and not fields.get("starts_on", "").strip():
        problems.append("the start date is required, like 2027-01-04")
    ends_on = _day(fields.get("ends_on", ""), "planned end", problems)
    milestones = _milestones(fields.get("milestones", "")[:20_000], problems)
    if problems:
        raise InvalidInput("; ".join(problems))
    assert starts_on is not None
    return {
        "leader": leader,
        "model": fields.get("model", ""),
        "starts_on": starts_on,
        "ends_on": ends_on,
        "hours_per_week": fields.get("hours_per_week", "").strip(),
        "pricing_basis": fields.get("pricing_basis", ""),
        "amount": fields.get("amount", "").strip() or "0",
        "currency": fields.get("currency", ""),
        "sponsor": fields.get("sponsor", ""),
        **{name: fields.get(name, "")[:20_000] for name in LIST_FIELDS},
        "decision_rights": [area for area in areas if fields.get(f"right_{area}") == "yes"],
        "red_flags": {flag: fields.get(f"flag_{flag}") == "yes" for flag in RED_FLAGS},
        "milestones": milestones,
        "expected_version": version_of(fields) if fields.get("version", "0") != "0" else 0,
    }


def blank_values(today: date) -> dict[str, str]:
    """A new engagement: a retainer of 16 hours a week from today, in euros."""
    return {
        "version": "0",
        "model": EngagementModel.OPERATING_RETAINER.value,
        "starts_on": today.isoformat(),
        "hours_per_week": "16",
        "pricing_basis": PricingBasis.RETAINER.value,
        "currency": "EUR",
    }


def form_values(view: EngagementView) -> dict[str, str]:
    """A stored engagement as the form's fields (the inverse of `engagement_arguments`)."""
    record = view.record
    values = {
        "version": str(record.version),
        "leader": view.leader_email,
        "model": record.model,
        "starts_on": record.starts_on.isoformat(),
        "ends_on": "" if record.ends_on is None else record.ends_on.isoformat(),
        "hours_per_week": format(record.hours_per_week.normalize(), "f"),
        "pricing_basis": record.pricing_basis,
        "amount": format(record.amount.normalize(), "f"),
        "currency": record.currency,
        "sponsor": record.sponsor,
        "milestones": "\n".join(f"{m['due']} {m['title']}" for m in record.milestones),
    }
    values |= {name: "\n".join(record.scope.get(name, [])) for name in LIST_FIELDS}
    values |= {f"right_{area}": "yes" for area in record.decision_rights}
    values |= {f"flag_{flag}": "yes" for flag, held in record.red_flags.items() if held}
    return values
