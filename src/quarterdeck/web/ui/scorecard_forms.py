"""Reading the scorecard's forms (a measurement, a custom metric, a metric's owner, cadence
and thresholds, a category's owner, the delivery choices with their release rules and start
points) into values for the services, and the stored values back into form fields.

A refused form names every problem it can at once, and the page shows it again with what
was typed."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any, TypeVar

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
    Unit,
)
from quarterdeck.services import scorecard
from quarterdeck.services.delivery import DeliveryChoices, ReleaseRule
from quarterdeck.web.policies import MAX_ROW_ID

__all__ = [
    "BAND_FIELDS",
    "LINE_FIELDS",
    "NOTE_LIMIT",
    "RELEASE_PARTS",
    "START_PARTS",
    "Configuration",
    "CustomMetric",
    "TypedMeasurement",
    "category_of",
    "choices_values",
    "configuration_from_form",
    "configuration_values",
    "custom_metric_from_form",
    "delivery_changes_from_form",
    "form_rows",
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
RELEASE_PARTS = ("repository", "pattern", "service")  # release_<n>_<part>
START_PARTS = ("service", "commit")  # start_<n>_<part>
BLANK_ROWS = 2  # empty rows a list form offers for additions
_MAX_ROWS = 200  # rows read from one list form; the services allow far fewer
_KEY = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
E = TypeVar("E", bound=StrEnum)


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


def _member(kind: type[E], fields: Mapping[str, str], name: str, problems: list[str]) -> E | None:
    """The chosen member of `kind` in field `name`; a problem naming the field otherwise."""
    value = fields.get(name, "")
    for member in kind:
        if member.value == value:
            return member
    known = ", ".join(m.value for m in kind)
    problems.append(f"{name} {value[:40]!r} is not one of {known}")
    return None


@dataclass(frozen=True, slots=True)
class CustomMetric:
    """The workspace's own metric as typed into the custom metric form."""

    key: str
    name: str
    category: Category
    unit: Unit
    direction: Direction
    meaning: str
    owner: str
    cadence: Cadence | None  # None: its category's
    thresholds: Thresholds | None


def custom_metric_from_form(fields: Mapping[str, str]) -> CustomMetric:
    """Category, unit, direction, cadence (empty: its category's), owner and the optional
    target, warning and critical lines; InvalidInput naming every field at fault. The key,
    name and explanation are checked by `scorecard.add_custom_metric`."""
    problems: list[str] = []
    category = _member(Category, fields, "category", problems)
    unit = _member(Unit, fields, "unit", problems)
    direction = _member(Direction, fields, "direction", problems)
    cadence = None
    if fields.get("cadence", ""):
        cadence = _member(Cadence, fields, "cadence", problems)
    owner = fields.get("owner", "").strip()
    if len(owner) > 254:
        problems.append("an owner is limited to 254 characters")
    lines = {name: fields.get(name, "")[:60] for name, _ in LINE_FIELDS}
    thresholds = None
    if direction is Direction.TARGET_BAND and any(v.strip() for v in lines.values()):
        problems.append(
            "a target-band metric takes a band, not target, warning and critical lines: set "
            "it on the metric's page once it is added"
        )
    elif direction is not None:
        try:
            found = scorecard.parse_thresholds(direction, lines)
        except InvalidInput as error:
            problems.append(error.message)
        else:
            assert not isinstance(found, BandThresholds)
            thresholds = found
    if problems or category is None or unit is None or direction is None:
        raise InvalidInput("; ".join(problems))
    return CustomMetric(
        key=fields.get("key", "").strip()[:100],
        name=fields.get("name", "").strip()[:200],
        category=category,
        unit=unit,
        direction=direction,
        meaning=fields.get("meaning", "").strip()[:2_001],
        owner=owner,
        cadence=cadence,
        thresholds=thresholds,
    )


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
    """The delivery choices as the choices form's fields, release rules and start points as
    numbered rows (release_0_repository, start_0_service ...)."""
    s = choices.settings
    values = {
        "production_environment": s.production_environment,
        "commit_time": s.commit_time.value,
        "bot_patterns": "\n".join(s.bot_patterns),
        "link_by_service_window": "yes" if s.link_by_service_window else "",
        "max_link_gap_hours": f"{s.max_link_gap.total_seconds() / 3600:g}",
        "bands_edition": s.bands_edition.value,
    }
    for n, (repository, rule) in enumerate(sorted(choices.releases.items())):
        values |= {
            f"release_{n}_repository": repository,
            f"release_{n}_pattern": rule.pattern,
            f"release_{n}_service": rule.service,
        }
    for n, (service, sha) in enumerate(sorted(s.start_points.items())):
        values |= {f"start_{n}_service": service, f"start_{n}_commit": sha}
    return values


def _filled_rows(
    fields: Mapping[str, str], prefix: str, parts: tuple[str, ...]
) -> list[tuple[int, dict[str, str]]]:
    """The rows of a repeated group of fields that hold anything, by their number (from 1,
    as the page shows them)."""
    pattern = re.compile(rf"^{prefix}_(\d{{1,3}})_(?:{'|'.join(parts)})$")
    numbers = sorted({int(m.group(1)) for name in fields if (m := pattern.match(name))})
    rows = []
    for number in (n for n in numbers if n < _MAX_ROWS):
        row = {part: fields.get(f"{prefix}_{number}_{part}", "").strip() for part in parts}
        if any(row.values()):
            rows.append((number + 1, row))
    return rows


def form_rows(
    fields: Mapping[str, str], prefix: str, parts: tuple[str, ...]
) -> list[dict[str, str]]:
    """The rows a list form shows: up to the last filled one in `fields`, each where it was
    (so a message naming "release rule 3" still points at the third row), then BLANK_ROWS
    empty ones."""
    filled = dict(_filled_rows(fields, prefix, parts))
    last = max(filled, default=0)
    return [filled.get(number, dict.fromkeys(parts, "")) for number in range(1, last + 1)] + [
        dict.fromkeys(parts, "") for _ in range(BLANK_ROWS)
    ]


def _releases_from_form(fields: Mapping[str, str], problems: list[str]) -> dict[str, ReleaseRule]:
    releases: dict[str, ReleaseRule] = {}
    for number, row in _filled_rows(fields, "release", RELEASE_PARTS):
        repository, pattern = row["repository"], row["pattern"]
        if not repository or not pattern:
            problems.append(f"release rule {number}: give the repository and the tag pattern")
        elif repository in releases:
            problems.append(f"release rule {number}: {repository[:120]!r} has a rule already")
        else:
            releases[repository] = ReleaseRule(pattern, row["service"] or repository)
    return releases


def _start_points_from_form(fields: Mapping[str, str], problems: list[str]) -> dict[str, str]:
    starts: dict[str, str] = {}
    for number, row in _filled_rows(fields, "start", START_PARTS):
        service, sha = row["service"], row["commit"]
        if not service or not sha:
            problems.append(f"start point {number}: give the service and the commit sha")
        elif service in starts:
            problems.append(f"start point {number}: {service[:64]!r} has a start point already")
        else:
            starts[service] = sha
    return starts


def delivery_changes_from_form(fields: Mapping[str, str]) -> dict[str, Any]:
    """The choices form as keyword arguments of `engineering.set_delivery_choices`; an
    unticked box turns window linking off (a browser sends nothing for it). The release
    rules and start points are the filled rows (a cleared row removes its rule; a form
    without the rows, marked by `release_rows` and `start_rows`, keeps them); a rule left
    without a service deploys the repository's name."""
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
    releases = None
    if fields.get("release_rows") == "yes":
        releases = _releases_from_form(fields, problems)
    start_points = None
    if fields.get("start_rows") == "yes":
        start_points = _start_points_from_form(fields, problems)
    if problems:
        raise InvalidInput("; ".join(problems))
    return {
        "production_environment": fields.get("production_environment", ""),
        "commit_time": commit_time,
        "bot_patterns": [p for p in patterns if p],
        "link_by_service_window": fields.get("link_by_service_window") == "yes",
        "max_link_gap_hours": gap,
        "bands_edition": edition,
        "releases": releases,
        "start_points": start_points,
    }
