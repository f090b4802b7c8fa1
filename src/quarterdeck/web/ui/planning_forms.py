"""Reading the capacity and planning forms (a person, the planning settings, a plan shown for
acceptance) into values for the services, and the stored values back into form fields.

A refused person or settings form names every problem it can find at once (`Refused`); the
rules themselves stay in the domain: each field is checked by building the domain value it
becomes (`Member`, `Split`), so the messages are the domain's own."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import partial
from typing import Any

from quarterdeck.domain.capacity import Member, check_quarter
from quarterdeck.domain.errors import InvalidInput
from quarterdeck.domain.planning import SPLIT_KINDS, Share, Split
from quarterdeck.domain.portfolio import PersonRecord
from quarterdeck.domain.prioritisation import Method
from quarterdeck.services.portfolio_settings import (
    FIVE_CRITERIA_WEIGHTS,
    PlanningSettings,
    number,
)
from quarterdeck.web.policies import MAX_ROW_ID
from quarterdeck.web.ui.scorecard_forms import form_rows

__all__ = [
    "ASSIGN",
    "GOAL_PARTS",
    "SHARE_PARTS",
    "Refused",
    "TypedPerson",
    "amount",
    "assignment_from_form",
    "based_on_of",
    "goal_rows",
    "leave_field",
    "person_from_form",
    "person_values",
    "settings_from_form",
    "settings_values",
    "split_field",
    "split_quarters",
    "version_of",
]

ASSIGN = "assign-"  # one hidden field per planned item: assign-IN-3=2027-Q1
GOAL_PARTS = ("key", "title", "weight")
SHARE_PARTS = ("target", "minimum", "maximum")
_MAX_ASSIGNED = 900  # hidden fields read from one plan form (the form parser allows 1,000)
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_GOAL = re.compile(r"^goal_(\d{1,3})_(?:key|title|weight)$")
_SPLIT = re.compile(r"^split_(\d{4}-Q[1-4])_([a-z-]+)_(target|minimum|maximum)$")
_SEPARATORS = re.compile(r"[\s,;]+")


class Refused(InvalidInput):
    """A form with one or more problems; `problems` lists them all, in the form's order."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = tuple(problems)


def version_of(fields: Mapping[str, str]) -> int:
    """The version the form was loaded with; a missing or odd one can only be stale."""
    text = fields.get("version", "").strip()
    return int(text) if text.isdigit() and int(text) <= MAX_ROW_ID else -1


def based_on_of(fields: Mapping[str, str]) -> int:
    """The accepted plan a shown plan was worked out from (0: none); odd values are stale."""
    text = fields.get("based_on", "").strip()
    return int(text) if text.isdigit() and int(text) <= MAX_ROW_ID else -1


def assignment_from_form(fields: Mapping[str, str]) -> dict[str, str]:
    """The plan the page showed, item key -> quarter, from its `assign-<key>` fields."""
    found = {
        name[len(ASSIGN) :][:20]: value.strip()[:10]
        for name, value in fields.items()
        if name.startswith(ASSIGN)
    }
    if len(found) > _MAX_ASSIGNED:
        raise InvalidInput(f"a plan form holds at most {_MAX_ASSIGNED} items")
    return found


def leave_field(quarter: str) -> str:
    return f"leave_{quarter}"


def split_field(quarter: str, kind: str, part: str) -> str:
    return f"split_{quarter}_{kind}_{part}"


# -- people -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TypedPerson:
    name: str
    team: str
    fte: Decimal
    starts_on: date | None
    ends_on: date | None
    leave: dict[str, Decimal]  # quarter -> weeks away, for the quarters the form shows


def _day(fields: Mapping[str, str], name: str, label: str, problems: list[str]) -> date | None:
    raw = fields.get(name, "").strip()
    if not raw:
        return None
    try:
        if not _DAY.fullmatch(raw):
            raise ValueError(raw)
        return date.fromisoformat(raw)
    except ValueError:
        problems.append(f"{label} must be a date like 2027-02-01, not {raw[:40]!r}")
        return None


def _checked(problems: list[str], build: Callable[[], object]) -> bool:
    """Run `build` (which builds a domain value); its refusal becomes a problem."""
    try:
        build()
    except InvalidInput as refusal:
        problems.append(refusal.message)
        return False
    return True


def person_from_form(
    fields: Mapping[str, str], *, teams: Mapping[str, str], quarters: tuple[str, ...]
) -> TypedPerson:
    """Name, team (one of `teams`, key -> name), FTE, start and end dates, and weeks of leave
    in each of `quarters` (field leave_<quarter>, empty: none); Refused naming every field
    at fault."""
    problems: list[str] = []
    name = fields.get("name", "").strip()
    if not name or len(name) > 120:
        problems.append("a person needs a name of 1-120 characters")
    who = name[:120] or "the person"
    team = fields.get("team", "").strip()
    if team not in teams:
        known = ", ".join(teams) or "none yet"
        problems.append(f"unknown team {team[:48]!r}; add the team first (teams: {known})")
    fte = Decimal(0)
    try:
        fte = number(fields.get("fte", "").strip()[:20], f"{who}: FTE", low=None)
    except InvalidInput as refusal:
        problems.append(refusal.message)
    else:
        _checked(problems, partial(Member, who, fte))
    starts_on = _day(fields, "starts_on", f"{who}: start date", problems)
    ends_on = _day(fields, "ends_on", f"{who}: end date", problems)
    _checked(problems, partial(Member, who, Decimal(1), starts_on, ends_on))
    leave: dict[str, Decimal] = {}
    for quarter in quarters:
        raw = fields.get(leave_field(quarter), "").strip()[:20]
        if not raw:
            continue
        try:
            weeks = number(raw, f"{who}: leave in {quarter}", low=None)
        except InvalidInput as refusal:
            problems.append(refusal.message)
            continue
        if _checked(problems, partial(Member, who, Decimal(1), leave={quarter: weeks})):
            leave[quarter] = weeks
    if problems:
        raise Refused(problems)
    return TypedPerson(name, team, fte, starts_on, ends_on, leave)


def amount(value: object) -> str:
    """A stored number as a form shows it: plain digits, no exponent, no trailing zeros."""
    text = format(Decimal(str(value)).normalize(), "f")
    return "0" if text in ("-0", "") else text


def person_values(person: PersonRecord, quarters: tuple[str, ...]) -> dict[str, str]:
    """A stored person as the edit form's fields."""
    values = {
        "name": person.name,
        "team": person.team,
        "fte": amount(person.fte),
        "starts_on": person.starts_on.isoformat() if person.starts_on else "",
        "ends_on": person.ends_on.isoformat() if person.ends_on else "",
        "version": str(person.version),
    }
    for quarter in quarters:
        weeks = person.leave.get(quarter)
        values[leave_field(quarter)] = amount(weeks) if weeks else ""
    return values


# -- planning settings ------------------------------------------------------------------


def settings_values(settings: PlanningSettings) -> dict[str, str]:
    """The stored settings as the settings form's fields."""
    values = {
        "quarters": " ".join(settings.quarters),
        "method": settings.method.value,
        "value_unit": settings.value_unit,
        "time_limit": f"{settings.time_limit:g}",
        "version": str(settings.version),
    }
    for name in FIVE_CRITERIA_WEIGHTS:
        values[f"weight_{name}"] = amount(settings.weights[name])
    for n, goal in enumerate(settings.goals):
        values |= {
            f"goal_{n}_key": goal.key,
            f"goal_{n}_title": goal.title,
            f"goal_{n}_weight": amount(goal.weight),
        }
    for quarter, split in settings.splits.items():
        for kind in SPLIT_KINDS:
            share = split.share(kind)
            for part in SHARE_PARTS:
                values[split_field(quarter, kind.value, part)] = f"{getattr(share, part):g}"
    return values


def split_quarters(fields: Mapping[str, str]) -> list[str]:
    """The quarters whose split the form holds, in order."""
    return sorted({m.group(1) for name in fields if (m := _SPLIT.match(name))})


def goal_rows(fields: Mapping[str, str]) -> list[dict[str, str]]:
    """The goal rows the form shows: the filled ones where they were, then blank ones."""
    return form_rows(fields, "goal", GOAL_PARTS)


def _quarters(fields: Mapping[str, str], problems: list[str]) -> list[str]:
    raw = fields.get("quarters", "")[:200]
    labels = [label for label in _SEPARATORS.split(raw.strip()) if label]
    if not labels:
        problems.append("planning quarters: name 1 to 8 quarters, like 2027-Q1 2027-Q2")
    good = []
    for label in labels[:20]:
        try:
            good.append(check_quarter(label.upper(), "planning quarter"))
        except InvalidInput as refusal:
            problems.append(refusal.message)
    return good


def _goals(fields: Mapping[str, str], problems: list[str]) -> list[dict[str, str]]:
    numbers = sorted({int(m.group(1)) for name in fields if (m := _GOAL.match(name))})
    goals = []
    for n in numbers:
        row = {part: fields.get(f"goal_{n}_{part}", "").strip() for part in GOAL_PARTS}
        if not any(row.values()):
            continue
        if not row["key"] or not row["title"]:
            problems.append(f"strategic goal {n + 1}: give a key and a title")
            continue
        if row["weight"]:
            try:
                number(row["weight"][:20], f"strategic goal {row['key'][:48]!r}: weight")
            except InvalidInput as refusal:
                problems.append(refusal.message)
                continue
        goals.append({"key": row["key"], "title": row["title"], "weight": row["weight"] or "1"})
    return goals


def _splits(
    fields: Mapping[str, str], quarters: list[str], problems: list[str]
) -> dict[str, list[dict[str, str]]]:
    """The split of every quarter the form holds and still plans; each checked whole as the
    domain's Split, so a split whose targets do not sum to 100 is named by its quarter."""
    shown = set(split_quarters(fields))
    splits = {}
    for quarter in (q for q in quarters if q in shown):
        raw, shares, sound = [], [], True
        for kind in SPLIT_KINDS:
            entry = {"kind": kind.value}
            numbers = {}
            for part, empty in zip(SHARE_PARTS, ("0", "0", "100"), strict=True):
                text = fields.get(split_field(quarter, kind.value, part), "").strip()[:20]
                entry[part] = text or empty
                try:
                    numbers[part] = float(number(entry[part], f"{quarter}, {kind.label}: {part}"))
                except InvalidInput as refusal:
                    problems.append(refusal.message)
                    sound = False
            raw.append(entry)
            if sound:
                shares.append(Share(kind, **numbers))
        if sound and _checked_split(problems, quarter, shares):
            splits[quarter] = raw
    return splits


def _checked_split(problems: list[str], quarter: str, shares: list[Share]) -> bool:
    try:
        Split(tuple(shares))
    except InvalidInput as refusal:
        problems.append(f"{quarter}: {refusal.message}")
        return False
    return True


def settings_from_form(fields: Mapping[str, str]) -> dict[str, Any]:
    """The settings form as keyword arguments of `portfolio_settings.set_planning_settings`;
    Refused naming every problem: each quarter, goal, weight and each quarter's split."""
    problems: list[str] = []
    quarters = _quarters(fields, problems)
    raw_method = fields.get("method", "")
    if raw_method not in {m.value for m in Method}:
        known = ", ".join(m.value for m in Method)
        problems.append(f"prioritisation method {raw_method[:40]!r} is not one of {known}")
    weights = {}
    for name in FIVE_CRITERIA_WEIGHTS:
        raw = fields.get(f"weight_{name}", "").strip()[:20]
        try:
            weights[name] = str(number(raw, f"weight of {name}"))
        except InvalidInput as refusal:
            problems.append(refusal.message)
    goals = _goals(fields, problems)
    splits = _splits(fields, quarters, problems)
    if problems:
        raise Refused(problems)
    return {
        "quarters": quarters,
        "goals": goals,
        "method": raw_method,
        "weights": weights,
        "splits": splits,
        "value_unit": fields.get("value_unit", "")[:40],
        "time_limit": fields.get("time_limit", "").strip()[:20],
    }
