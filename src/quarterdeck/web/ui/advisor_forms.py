"""The advisor's questionnaire as a form: one field per question the advisor asks (numbers,
yes/no boxes, choices, and the needs as checkboxes), read from the query string with every
problem named at once. The form checks what it alone can tell (answered, a whole number in
range, one of the choices); the advisor judges the answers."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from starlette.datastructures import ImmutableMultiDict

from quarterdeck.domain.questionnaires import FIELDS, FieldKind, FieldSpec, Need, Questionnaire

__all__ = [
    "DEFAULT_ORGANISATION",
    "REQUIRED",
    "Answers",
    "Question",
    "asked",
    "defaults",
    "profile_typed",
    "questions",
    "read_answers",
]

# The questions every questionnaire must answer (the advisor refuses answers without them).
REQUIRED = ("stage", "headcount", "engineers")
DEFAULT_ORGANISATION = "Your organisation"
ORGANISATION_LIMIT = 120
_TEXT_LIMIT = 40  # characters of one typed answer that are read
_WHOLE = re.compile(r"-?[0-9]+")
_YES = frozenset({"yes", "on", "true", "1"})
_NO = frozenset({"no", "off", "false", "0", ""})
_HINTS = {
    "headcount": "People in the organisation.",
    "engineers": "People who build or run its software.",
    "growth": "Expected change in headcount over the next 12 months; negative for shrinking.",
    "coupling": "How much product calls and technology calls depend on each other.",
    "product_lines": "Software products or lines it sells; 0 for a business that sells none.",
    "technology_leader": "Where the current technology leader stands.",
    "needs": "What the organisation needs led; tick every one that applies.",
}


Params = ImmutableMultiDict[str, str]  # a query string: single and repeated values


def _sentence(label: str) -> str:
    return label[:1].upper() + label[1:]


@dataclass(frozen=True, slots=True)
class Question:
    """One question as the form shows it."""

    name: str
    label: str
    kind: str  # number, flag, choice or set
    choices: tuple[tuple[str, str], ...]  # (value, text)
    low: int
    high: int
    required: bool
    hint: str


def _choices(spec: FieldSpec) -> tuple[tuple[str, str], ...]:
    if spec.choices is Need:
        return tuple((need.value, _sentence(need.label)) for need in Need)
    return tuple((value, value.replace("-", " ")) for value in spec.values)


def questions() -> list[Question]:
    """Every question the advisor asks, in its order."""
    return [
        Question(
            name=name,
            label=_sentence(spec.label),
            kind=spec.kind.value,
            choices=_choices(spec),
            low=spec.low,
            high=spec.high,
            required=name in REQUIRED,
            hint=_HINTS.get(name, ""),
        )
        for name, spec in FIELDS.items()
    ]


def defaults() -> dict[str, object]:
    """The form before anything is typed: the questionnaire's defaults, required answers
    blank."""
    typed: dict[str, object] = {"organisation": DEFAULT_ORGANISATION}
    for spec in dataclasses.fields(Questionnaire):
        if spec.name in REQUIRED or spec.default is dataclasses.MISSING:
            typed[spec.name] = ""
            continue
        value = spec.default
        if isinstance(value, bool):
            typed[spec.name] = value
        elif isinstance(value, frozenset):
            typed[spec.name] = sorted(str(item) for item in value)
        else:
            typed[spec.name] = str(value)
    return typed


def profile_typed(answers: Mapping[str, Any]) -> dict[str, object]:
    """The form prefilled with answers a workspace profile gives."""
    typed = defaults()
    for name, value in answers.items():
        typed[name] = value if isinstance(value, bool) else str(value)
    return typed


def asked(params: Params) -> bool:
    """Whether the query string carries answers (the form was sent) or is empty."""
    return any(name in params for name in (*FIELDS, "organisation"))


@dataclass
class Answers:
    """What the form sent: the answers for the advisor, the form's values to show again,
    and every problem found."""

    answers: dict[str, object] = field(default_factory=dict)
    typed: dict[str, object] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    organisation: str = DEFAULT_ORGANISATION


def read_answers(params: Params, *, with_organisation: bool) -> Answers:
    """Read every question from the query string; numbers and choices left out or blank
    take the questionnaire's default, except the required ones. An unticked box is "no"."""
    read = Answers(typed=defaults())
    for name, spec in FIELDS.items():
        label = _sentence(spec.label)
        if spec.kind is FieldKind.SET:
            _read_set(read, name, spec, label, params.getlist(name))
        elif spec.kind is FieldKind.FLAG:
            _read_flag(read, name, label, params.get(name, "")[:_TEXT_LIMIT])
        elif name in params or name in REQUIRED:
            _read_one(read, name, spec, label, params.get(name, "")[:_TEXT_LIMIT])
    if with_organisation:
        typed = params.get("organisation", DEFAULT_ORGANISATION)[: ORGANISATION_LIMIT + 1]
        read.typed["organisation"] = typed
        name = typed.strip() or DEFAULT_ORGANISATION
        if len(name) > ORGANISATION_LIMIT:
            read.problems.append(
                f"Organisation name must be at most {ORGANISATION_LIMIT} characters"
            )
        read.organisation = name
    return read


def _read_set(read: Answers, name: str, spec: FieldSpec, label: str, raw: Sequence[str]) -> None:
    values = [value[:_TEXT_LIMIT] for value in raw[: len(spec.values) + 1]]
    read.typed[name] = values
    unknown = [value for value in values if value not in spec.values]
    if unknown:
        read.problems.append(f"{label}: {unknown[0]!r} is not one of {', '.join(spec.values)}")
        return
    read.answers[name] = sorted(set(values))


def _read_flag(read: Answers, name: str, label: str, raw: str) -> None:
    text = raw.strip().lower()
    read.typed[name] = text in _YES
    if text not in _YES | _NO:
        read.problems.append(f"{label}: answer yes or no, not {raw!r}")
        return
    read.answers[name] = text in _YES


def _read_one(read: Answers, name: str, spec: FieldSpec, label: str, raw: str) -> None:
    text = raw.strip()
    read.typed[name] = text
    if not text:
        if name in REQUIRED:
            what = "choose one" if spec.kind is FieldKind.CHOICE else "give a whole number"
            read.problems.append(f"{label}: answer this question ({what})")
        return
    if spec.kind is FieldKind.CHOICE:
        if text not in spec.values:
            read.problems.append(f"{label}: {text!r} is not one of {', '.join(spec.values)}")
            return
        read.answers[name] = text
        return
    digits = text.replace(",", "")
    if not _WHOLE.fullmatch(digits):
        read.problems.append(
            f"{label} must be a whole number from {spec.low:,} to {spec.high:,}; got {text!r}"
        )
        return
    number = int(digits)
    if not spec.low <= number <= spec.high:
        read.problems.append(f"{label} must be from {spec.low:,} to {spec.high:,}; got {number:,}")
        return
    read.answers[name] = number
