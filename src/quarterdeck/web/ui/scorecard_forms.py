"""Reading the scorecard's forms (a measurement, a metric's owner, cadence and thresholds,
a category's owner, the delivery choices) into values for the services, and the stored
values back into form fields.

A refused form names every problem it can at once, and the page shows it again with what
was typed."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from quarterdeck.domain.delivery import CommitTime
from quarterdeck.domain.delivery_bands import BandsEdition
from quarterdeck.domain.errors import InvalidInput, NotFound
from quarterdeck.domain.scorecard import (
    BandThresholds,
    Cadence,
    Category,
    Direction,
    KpiSet,
    Thresholds,
)
from quarterdeck.services import scorecard
from quarterdeck.services.delivery import DeliveryChoices
from quarterdeck.web.policies import MAX_ROW_ID

__all__ = [
    "BAND_FIELDS",
    "LINE_FIELDS",
    "NOTE_LIMIT",
    "Configuration",
    "TypedMeasurement",
    "category_of",
    "choices_values",
    "configuration_from_form",
    "configuration_values",
    "delivery_changes_from_form",
    "kpi_set_of",
    "measurement_from_form",
    "metric_key",
    "threshold_fields",
    "version_of",
]

NOTE_LIMIT = 500
LINE_FIELDS = (("target", "Target"), ("warning", "Warning line"), ("critical", "Critical line"))
BAND_FIELDS = (
    ("low", "Band low"),
    ("high", "Band high"),
    ("critical_low", "Critical low"),
    ("critical_high", "Critical high"),
)
_KEY = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def metric_key(key: str) -> str:
    """A metric key from the address (the `key` path parameter); anything that cannot be
    one is simply not there."""
    if len(key) > 64 or not _KEY.fullmatch(key):
        raise NotFound("there is no such metric on the scorecard")
    return key


def version_of(fields: Mapping[str, str]) -> int:
    """The version the form was loaded with; a missing or odd one can only be stale."""
    text = fields.get("version", "").strip()
    return int(text) if text.isdigit() and int(text) <= MAX_ROW_ID else -1


def kpi_set_of(fields: Mapping[str, str]) -> KpiSet:
    value = fields.get("set", "")
    for kpi_set in KpiSet:
        if kpi_set.value == value:
            return kpi_set
    known = ", ".join(s.value for s in KpiSet)
    raise InvalidInput(f"metric set {value[:40]!r} is not one of {known}")


def category_of(fields: Mapping[str, str]) -> Category:
    value = fields.get("category", "")
    for category in Category:
        if category.value == value:
            return category
    known = ", ".join(c.value for c in Category)
    raise InvalidInput(f"category {value[:40]!r} is not one of {known}")


def threshold_fields(direction: Direction) -> tuple[tuple[str, str], ...]:
    """The threshold inputs a metric of this direction takes: (field name, label)."""
    return BAND_FIELDS if direction is Direction.TARGET_BAND else LINE_FIELDS


@dataclass(frozen=True, slots=True)
class TypedMeasurement:
    """A value typed into the record form."""

    period_end: date
    value: Decimal
    note: str


def measurement_from_form(fields: Mapping[str, str]) -> TypedMeasurement:
    """Period end (a date), value (a number) and note (at most NOTE_LIMIT characters);
    InvalidInput naming every field at fault."""
    problems = []
    raw_day = fields.get("period_end", "").strip()
    day: date | None = None
    try:
        if not _DAY.fullmatch(raw_day):
            raise ValueError(raw_day)
        day = date.fromisoformat(raw_day)
    except ValueError:
        problems.append(f"period end must be a date like 2026-03-31, got {raw_day[:40]!r}")
    raw_value = fields.get("value", "")
    value: Decimal | None = None
    if not raw_value.strip():
        problems.append("value is required")
    else:
        try:
            value = scorecard.parse_amount(raw_value[:60], "value")
        except InvalidInput as error:
            problems.append(error.message)
    note = fields.get("note", "").strip()
    if len(note) > NOTE_LIMIT:
        problems.append(f"a note is limited to {NOTE_LIMIT} characters")
    if problems or day is None or value is None:
        raise InvalidInput("; ".join(problems))
    return TypedMeasurement(day, value, note)


@dataclass(frozen=True, slots=True)
class Configuration:
    """An owner, a cadence and thresholds (None: the form's threshold fields were empty)."""

    owner: str
    cadence: Cadence
    thresholds: Thresholds | BandThresholds | None


def configuration_from_form(direction: Direction, fields: Mapping[str, str]) -> Configuration:
    """The configure form read against the metric's direction; thresholds out of order are
    refused with the line named (`scorecard.parse_thresholds`)."""
    raw_cadence = fields.get("cadence", "")
    cadence = next((c for c in Cadence if c.value == raw_cadence), None)
    if cadence is None:
        known = ", ".join(c.value for c in Cadence)
        raise InvalidInput(f"cadence {raw_cadence[:40]!r} is not one of {known}")
    owner = fields.get("owner", "").strip()
    if len(owner) > 254:
        raise InvalidInput("an owner is limited to 254 characters")
    typed = {name: fields.get(name, "")[:60] for name, _ in threshold_fields(direction)}
    return Configuration(owner, cadence, scorecard.parse_thresholds(direction, typed))


def _amount(value: Decimal | None) -> str:
    return "" if value is None else format(value.normalize(), "f")


def configuration_values(metric: scorecard.TrackedMetric) -> dict[str, str]:
    """The stored owner, cadence and thresholds as the configure form's fields."""
    values = {"owner": metric.owner, "cadence": metric.cadence.value}
    found = metric.thresholds
    if isinstance(found, BandThresholds):
        values |= {
            "low": _amount(found.low),
            "high": _amount(found.high),
            "critical_low": _amount(found.critical_low),
            "critical_high": _amount(found.critical_high),
        }
    elif isinstance(found, Thresholds):
        values |= {
            "target": _amount(found.target),
            "warning": _amount(found.warning),
            "critical": _amount(found.critical),
        }
    return values


def choices_values(choices: DeliveryChoices) -> dict[str, str]:
    """The delivery choices as the choices form's fields."""
    s = choices.settings
    return {
        "production_environment": s.production_environment,
        "commit_time": s.commit_time.value,
        "bot_patterns": "\n".join(s.bot_patterns),
        "link_by_service_window": "yes" if s.link_by_service_window else "",
        "max_link_gap_hours": f"{s.max_link_gap.total_seconds() / 3600:g}",
        "bands_edition": s.bands_edition.value,
    }


def delivery_changes_from_form(fields: Mapping[str, str]) -> dict[str, Any]:
    """The choices form as keyword arguments of `engineering.set_delivery_choices`; an
    unticked box turns window linking off (a browser sends nothing for it)."""
    problems = []
    commit_time = next((c for c in CommitTime if c.value == fields.get("commit_time")), None)
    if commit_time is None:
        problems.append("commit time must be author or committer")
    edition = next((e for e in BandsEdition if e.value == fields.get("bands_edition")), None)
    if edition is None:
        problems.append(f"bands edition must be one of {', '.join(e.value for e in BandsEdition)}")
    raw_gap = fields.get("max_link_gap_hours", "").strip()
    gap: float | None = None
    try:
        gap = float(scorecard.parse_amount(raw_gap[:20], "the linking gap"))
    except InvalidInput:
        problems.append(f"the linking gap must be a number of hours, got {raw_gap[:20]!r}")
    patterns = [line.strip() for line in fields.get("bot_patterns", "").splitlines()]
    if problems:
        raise InvalidInput("; ".join(problems))
    return {
        "production_environment": fields.get("production_environment", ""),
        "commit_time": commit_time,
        "bot_patterns": [p for p in patterns if p],
        "link_by_service_window": fields.get("link_by_service_window") == "yes",
        "max_link_gap_hours": gap,
        "bands_edition": edition,
    }
