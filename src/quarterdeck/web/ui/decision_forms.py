"""The decision pages' forms: posted fields to a DecisionContent and back, the log's filters,
and the names people read for the fields."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal

from quarterdeck.domain.decisions import (
    Decision,
    DecisionContent,
    DecisionLink,
    DecisionStatus,
    Option,
    Reversibility,
    parse_number,
)
from quarterdeck.domain.errors import InvalidInput, NotFound
from quarterdeck.services.decisions import DecisionFilter
from quarterdeck.web.policies import MAX_ROW_ID

__all__ = [
    "DECIDABLE",
    "FIELD_LABELS",
    "LOG_PAGE",
    "REVERSIBILITY_LABELS",
    "SORTS",
    "content_from_form",
    "form_values",
    "link_groups",
    "log_filter",
    "option_rows",
    "other_number",
    "path_number",
    "target_status",
    "version_of",
]

LOG_PAGE = 50
OPTION_ROWS = 4  # blank option rows a new form offers; an edit form adds two to the filled ones
MAX_OPTIONS = 30
MAX_NAMES = 50
TEXT_LIMIT = 100_000
SORTS = ("number", "-number", "title", "-title", "revisit_on")
DECIDABLE = (DecisionStatus.ACCEPTED, DecisionStatus.REJECTED, DecisionStatus.DEPRECATED)
FIELD_LABELS = {
    "title": "Title",
    "area": "Area",
    "context": "Context",
    "options": "Options considered",
    "decision": "Decision",
    "rationale": "Rationale",
    "consequences": "Consequences",
    "deciders": "Deciders",
    "consulted": "Consulted",
    "informed": "Informed",
    "reversibility": "Reversibility",
    "estimated_spend": "Estimated spend",
    "cross_team": "Cross-team",
    "security_exception": "Security exception",
    "revisit_on": "Revisit on",
    "revisit_condition": "Revisit when",
    "tags": "Tags",
    "taken_in": "Taken in",
}
REVERSIBILITY_LABELS = {
    Reversibility.TWO_WAY: "Two-way door (cheap to undo)",
    Reversibility.ONE_WAY: "One-way door (costly to undo)",
}
_MARKDOWN_FIELDS = ("context", "decision", "rationale", "consequences")
_LIST_FIELDS = ("deciders", "consulted", "informed", "tags")
_SPEND = re.compile(r"^\d{1,14}(\.\d{1,2})?$")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def path_number(text: str) -> int:
    """The decision number in an address ("12" or "D-12"); NotFound for anything else."""
    try:
        number = parse_number(text[:20])
    except InvalidInput:
        number = 0
    if not 1 <= number <= MAX_ROW_ID or len(text) > 20:
        raise NotFound("there is no such decision; decision numbers look like D-12")
    return number


def other_number(fields: Mapping[str, str]) -> int:
    """The other decision an action names ("D-12" or "12"), from the `other` field."""
    text = fields.get("other", "").strip()
    if not text:
        raise InvalidInput("other decision: choose or type a decision number like D-12")
    number = parse_number(text[:20])
    if number > MAX_ROW_ID:
        raise InvalidInput(f"other decision: there is no decision {text[:20]!r}")
    return number


def version_of(fields: Mapping[str, str]) -> int:
    """The version the form was loaded with; a missing or odd one can only be stale."""
    text = fields.get("version", "").strip()
    return int(text) if text.isdigit() and int(text) <= MAX_ROW_ID else -1


def target_status(fields: Mapping[str, str]) -> DecisionStatus:
    value = fields.get("to", "")
    for status in DECIDABLE:
        if status.value == value:
            return status
    raise InvalidInput(
        f"status {value[:40]!r} must be one of {', '.join(s.value for s in DECIDABLE)}"
    )


class _Reader:
    """Reads one posted form, noting every problem so the person sees them all at once."""

    def __init__(self, fields: Mapping[str, str]) -> None:
        self.fields = fields
        self.problems: list[str] = []

    def text(self, name: str, label: str, limit: int, *, markdown: bool = False) -> str:
        value = self.fields.get(name, "").replace("\r\n", "\n")
        if len(value) > limit:
            self.problems.append(f"{label} must be at most {limit:,} characters")
        # Leading spaces mean something in Markdown (an indented code block).
        return value.strip("\n").rstrip() if markdown else value.strip()

    def names(self, name: str, label: str) -> tuple[str, ...]:
        items = [item.strip() for item in self.fields.get(name, "").split(",")]
        unique = tuple(dict.fromkeys(item for item in items if item))
        if len(unique) > MAX_NAMES or any(len(item) > 200 for item in unique):
            self.problems.append(f"{label}: at most {MAX_NAMES} entries of 200 characters each")
        return unique

    def lines(self, name: str, label: str) -> tuple[str, ...]:
        """One argument per line; a leading "- " or "* " bullet is dropped."""
        raw = self.fields.get(name, "").splitlines()
        found = tuple(line.strip().removeprefix("- ").removeprefix("* ").strip() for line in raw)
        found = tuple(line for line in found if line)
        if len(found) > MAX_NAMES or any(len(line) > 500 for line in found):
            self.problems.append(f"{label}: at most {MAX_NAMES} lines of 500 characters each")
        return found

    def options(self) -> tuple[Option, ...]:
        found = []
        for index in range(1, MAX_OPTIONS + 1):
            prefix = f"option_{index}_"
            title = self.text(prefix + "title", f"option {index} title", 200)
            pros = self.lines(prefix + "pros", f"option {index} pros")
            cons = self.lines(prefix + "cons", f"option {index} cons")
            if title:
                found.append(Option(title=title, pros=pros, cons=cons))
            elif pros or cons:
                self.problems.append(f"option {index}: give it a title, or clear its pros and cons")
        return tuple(found)

    def spend(self) -> Decimal | None:
        raw = self.fields.get("estimated_spend", "").strip()
        cleaned = raw.replace(",", "").replace("_", "").replace(" ", "")
        if not cleaned:
            return None
        if not _SPEND.fullmatch(cleaned):
            self.problems.append(
                f"estimated spend must be an amount like 25000 or 1250.50, got {raw[:40]!r}"
            )
            return None
        return Decimal(cleaned)

    def day(self) -> date | None:
        raw = self.fields.get("revisit_on", "").strip()
        if not raw:
            return None
        try:
            if not _DAY.fullmatch(raw):
                raise ValueError(raw)
            return date.fromisoformat(raw)
        except ValueError:
            self.problems.append(f"revisit date must be a date like 2027-01-31, got {raw[:40]!r}")
            return None

    def reversibility(self) -> Reversibility:
        value = self.fields.get("reversibility", Reversibility.TWO_WAY.value)
        for choice in Reversibility:
            if choice.value == value:
                return choice
        self.problems.append(f"reversibility must be two-way or one-way, got {value[:40]!r}")
        return Reversibility.TWO_WAY


def content_from_form(fields: Mapping[str, str]) -> DecisionContent:
    """The content typed into the decision form. Raises InvalidInput naming every field at
    fault (title, area, estimated spend, revisit date, an option without a title ...)."""
    read = _Reader(fields)
    title = read.text("title", "title", 200)
    if not title:
        read.problems.append("title is required (1-200 characters)")
    area = read.text("area", "area", 64)
    if not area:
        read.problems.append("area is required")
    markdown = {name: read.text(name, name, TEXT_LIMIT, markdown=True) for name in _MARKDOWN_FIELDS}
    names = {name: read.names(name, name) for name in _LIST_FIELDS}
    options, reversibility = read.options(), read.reversibility()
    spend, revisit_on = read.spend(), read.day()
    revisit_condition = read.text("revisit_condition", "revisit condition", 2_000)
    taken_in = read.text("taken_in", "taken in", 500)
    if read.problems:
        raise InvalidInput("; ".join(read.problems))
    return DecisionContent(
        title=title,
        area=area,
        context=markdown["context"],
        options=options,
        decision=markdown["decision"],
        rationale=markdown["rationale"],
        consequences=markdown["consequences"],
        deciders=names["deciders"],
        consulted=names["consulted"],
        informed=names["informed"],
        reversibility=reversibility,
        estimated_spend=spend,
        cross_team=fields.get("cross_team") == "yes",
        security_exception=fields.get("security_exception") == "yes",
        revisit_on=revisit_on,
        revisit_condition=revisit_condition,
        tags=names["tags"],
        taken_in=taken_in,
    )


def form_values(content: DecisionContent) -> dict[str, str]:
    """The stored content as the form's field values (the inverse of `content_from_form`)."""
    values = {
        "title": content.title,
        "area": content.area,
        "reversibility": content.reversibility.value,
        "estimated_spend": "" if content.estimated_spend is None else str(content.estimated_spend),
        "cross_team": "yes" if content.cross_team else "",
        "security_exception": "yes" if content.security_exception else "",
        "revisit_on": "" if content.revisit_on is None else content.revisit_on.isoformat(),
        "revisit_condition": content.revisit_condition,
        "taken_in": content.taken_in,
    }
    values.update({name: getattr(content, name) for name in _MARKDOWN_FIELDS})
    values.update({name: ", ".join(getattr(content, name)) for name in _LIST_FIELDS})
    for index, option in enumerate(content.options, start=1):
        values[f"option_{index}_title"] = option.title
        values[f"option_{index}_pros"] = "\n".join(option.pros)
        values[f"option_{index}_cons"] = "\n".join(option.cons)
    return values


def option_rows(values: Mapping[str, str]) -> range:
    """Row numbers the form shows: every filled one, then blank ones (at least OPTION_ROWS)."""
    filled = [
        index
        for index in range(1, MAX_OPTIONS + 1)
        if any(values.get(f"option_{index}_{part}") for part in ("title", "pros", "cons"))
    ]
    last = max(filled, default=0)
    return range(1, min(MAX_OPTIONS, max(OPTION_ROWS, last + 2)) + 1)


def log_filter(
    *, status: str, area: str, decider: str, tag: str, text: str, sort: str, offset: int
) -> DecisionFilter:
    """The log's GET form as a search; an empty field means "any"."""
    chosen = None
    if status:
        matching = [s for s in DecisionStatus if s.value == status]
        if not matching:
            known = ", ".join(s.value for s in DecisionStatus)
            raise InvalidInput(f"status {status[:40]!r} must be one of {known}")
        chosen = matching[0]
    if sort not in SORTS:
        raise InvalidInput(f"sort must be one of {', '.join(SORTS)}")
    return DecisionFilter(
        status=chosen,
        area=area.strip() or None,
        decider=decider.strip() or None,
        tag=tag.strip() or None,
        text=text.strip() or None,
        sort=sort,
        limit=LOG_PAGE,
        offset=offset,
    )


def link_groups(decision: Decision) -> list[tuple[str, list[DecisionLink]]]:
    """The decision's links grouped by how they read from it ("supersedes", "superseded by",
    "amends", "amended by", "relates to"), each group in number order."""
    groups: dict[str, list[DecisionLink]] = {}
    for link in sorted(decision.links, key=lambda link: link.number):
        label = link.kind.value.replace("-", " ") if link.outgoing else link.kind.reverse_label
        groups.setdefault(label, []).append(link)
    order = ("supersedes", "superseded by", "amends", "amended by", "relates to")
    return [(label, groups[label]) for label in order if label in groups]
