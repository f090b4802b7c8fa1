"""Reading one ADR document, whatever template it follows, into decision fields.

The reader does not ask which template a file follows before reading it: front matter,
bullet metadata, a `Date:` line and the section headings of Nygard, MADR 2/3/4 and
log4brains are all understood wherever they appear, and the format is named afterwards for
the report. Text is kept as written; sections Quarterdeck has no field for are kept, heading
and all, in the nearest field (drivers in the context, anything else in the consequences).
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from quarterdeck.domain.decisions import DecisionContent, DecisionStatus
from quarterdeck.domain.errors import InvalidInput
from quarterdeck.ingest.adr_areas import area_for
from quarterdeck.ingest.adr_dates import parse_date
from quarterdeck.ingest.adr_extras import Extras, read_extras
from quarterdeck.ingest.adr_options import OptionList
from quarterdeck.ingest.adr_text import (
    AdrUnreadable,
    RawLink,
    Section,
    load_front_matter,
    number_and_title,
    parse_link_line,
    parse_metadata_line,
    parse_status,
    section_blocks,
    section_text,
    split_front_matter,
    split_names,
    split_sections,
    trim_lines,
)

__all__ = ["ParsedAdr", "parse_adr"]

_METADATA_KEYS = frozenset(
    {"status", "date", "last updated", "deciders", "decision makers", "consulted", "informed"}
    | {"tags", "category", "area"}
)
_KINDS: dict[str, str] = {
    "status": "status",
    **dict.fromkeys(
        ("context", "context and problem statement", "problem statement", "background"), "context"
    ),
    **dict.fromkeys(
        ("decision drivers", "drivers", "forces", "assumptions", "constraints"), "context+"
    ),
    **dict.fromkeys(
        ("considered options", "options", "options considered", "alternatives"), "options"
    ),
    **dict.fromkeys(("decision", "decision outcome", "outcome"), "decision"),
    **dict.fromkeys(("rationale", "justification", "reasoning"), "rationale"),
    **dict.fromkeys(("consequences", "implications"), "consequences"),
    **dict.fromkeys(
        ("positive consequences", "negative consequences", "confirmation", "validation"),
        "consequences+",
    ),
    **dict.fromkeys(("pros and cons of the options", "pros and cons"), "pros-cons"),
    **dict.fromkeys(("links", "related decisions", "more information", "references"), "links"),
    **dict.fromkeys(("date", "deciders", "decision makers", "consulted", "informed"), "meta"),
    "tags": "meta",
}
_FRONT_MADR = ("status", "date", "deciders", "decision-makers", "consulted", "informed")
_COMMENT_LINE = re.compile(r"^\s*<!--.*-->\s*$")


@dataclass(slots=True)
class ParsedAdr:
    """One file's fields before numbering; links are as written, not yet resolved."""

    format: str
    own_number: int | None
    status: DecisionStatus
    decided_on: date | None
    content: DecisionContent
    links: list[RawLink]
    taken: list[str]
    problems: list[str]
    notes: list[str]


def parse_adr(text: str, *, name: str, areas: Collection[str]) -> ParsedAdr:
    """Read one ADR document. Raises AdrUnreadable when it cannot be imported at all."""
    lines = text.split("\n")
    front_lines, start = split_front_matter(lines)
    document = _Document(name)
    if front_lines is not None:
        document.front = load_front_matter(front_lines)
    document.read(split_sections(lines[start:], start + 1))
    return document.finish(areas)


class _Document:
    def __init__(self, name: str) -> None:
        self.name = name
        self.front: dict[str, object] = {}
        self.meta: dict[str, tuple[str, int]] = {}
        self.bulleted_meta = False
        self.title = ""
        self.title_line = 0
        self.status_line: tuple[str, int] | None = None
        self.has_status_section = False
        self.parts: dict[str, list[str]] = {
            "context": [],
            "decision": [],
            "rationale": [],
            "consequences": [],
        }
        self.options = OptionList()
        self.links: list[RawLink] = []
        self.taken: list[str] = []
        self.problems: list[str] = []
        self.notes: list[str] = []
        self.kinds_seen: set[str] = set()

    # --- reading the sections -------------------------------------------------------------

    def read(self, sections: list[Section]) -> None:
        titled = next((section for section in sections if section.level == 1), None)
        rest = [section for section in sections[1:] if section is not titled]
        preamble = [(line, sections[0].line + index) for index, line in enumerate(sections[0].body)]
        if titled is not None:
            self.title, self.title_line = titled.title, titled.line
            preamble += [(line, titled.line + 1 + i) for i, line in enumerate(titled.body)]
        known = [section.level for section in rest if section.key in _KINDS]
        top = min(known) if known else 2
        groups: list[tuple[Section, list[Section]]] = []
        for section in rest:
            if section.level <= top or not groups:
                groups.append((section, []))
            else:
                groups[-1][1].append(section)
        self._preamble(preamble)
        for head, children in groups:
            self._group(head, children)

    def _preamble(self, lines: list[tuple[str, int]]) -> None:
        kept: list[str] = []
        for line, number in lines:
            pairs = parse_metadata_line(line, _METADATA_KEYS)
            if pairs is None:
                kept.append(line)
                continue
            self.bulleted_meta = self.bulleted_meta or line.lstrip()[:1] in ("*", "-", "+")
            for key, value in pairs:
                self._meta(key, value, number)
        text = trim_lines(kept)
        if text and not _COMMENT_LINE.fullmatch(text):
            self.parts["context"].append(text)
            self.notes.append("text before the first section kept at the start of the context")

    def _meta(self, key: str, value: str, line: int) -> None:
        key = {"decision makers": "deciders", "last updated": "date"}.get(key, key)
        self.meta.setdefault(key, (value, line))

    def _group(self, head: Section, children: list[Section]) -> None:
        kind = _KINDS.get(head.key, "other")
        self.kinds_seen.add(kind)
        if kind == "status":
            self._status_section(head)
        elif kind in ("context", "rationale", "consequences"):
            self.parts[kind].append(section_text(head, children, heading=False))
        elif kind == "context+":
            self.parts["context"].append(section_text(head, children, heading=True))
        elif kind == "consequences+":
            self.parts["consequences"].append(section_text(head, children, heading=True))
        elif kind == "options":
            self._options(head, children)
        elif kind == "pros-cons":
            for block, deeper in section_blocks(children):
                self._option_block(block, deeper)
        elif kind == "decision":
            self._decision(head, children)
        elif kind == "links":
            self._links_section(head, children)
        elif kind == "meta":
            items = [line.strip().lstrip("*-+ ").strip() for line in head.body if line.strip()]
            self._meta(head.key, ", ".join(items), head.line)
        else:
            self.parts["consequences"].append(section_text(head, children, heading=True))
            self.notes.append(f"section {head.title!r} kept at the end of the consequences")

    def _status_section(self, head: Section) -> None:
        self.has_status_section = True
        for index, line in enumerate(head.body):
            number = head.line + 1 + index
            if not line.strip() or _COMMENT_LINE.fullmatch(line):
                continue
            link = parse_link_line(line, number)
            if link is not None:
                self.links.append(link)
                continue
            pairs = parse_metadata_line(line, _METADATA_KEYS)
            if pairs is not None:
                for key, value in pairs:
                    self._meta(key, value, number)
            elif self.status_line is None:
                self.status_line = (line.strip(), number)
            else:
                self.problems.append(
                    f"line {number}: {line.strip()!r} in the Status section not understood; "
                    "not kept"
                )

    def _options(self, head: Section, children: list[Section]) -> None:
        self.options.add_bullets(head.body)
        for block, deeper in section_blocks(children):
            self._option_block(block, deeper)

    def _option_block(self, head: Section, deeper: list[Section]) -> None:
        lines = head.body + [line for child in deeper for line in [child.raw, *child.body]]
        dropped = self.options.add_arguments(head.title, lines)
        if dropped:
            self.notes.append(
                f"option {head.title!r}: {dropped} line(s) that are neither a pro nor a con "
                "(descriptions, neutral arguments) not kept"
            )

    def _decision(self, head: Section, children: list[Section]) -> None:
        self.parts["decision"].append(trim_lines(head.body))
        for block, deeper in section_blocks(children):
            kind = _KINDS.get(block.key, "other")
            self.kinds_seen.add(kind if kind in ("consequences", "rationale") else "decision")
            if kind in ("consequences", "rationale"):
                self.parts[kind].append(section_text(block, deeper, heading=False))
            elif kind == "consequences+":
                self.parts["consequences"].append(section_text(block, deeper, heading=True))
            else:
                self.parts["decision"].append(section_text(block, deeper, heading=True))

    def _links_section(self, head: Section, children: list[Section]) -> None:
        kept = [head.raw]
        for index, line in enumerate(head.body):
            link = parse_link_line(line, head.line + 1 + index)
            if link is not None:
                self.links.append(link)
            elif line.strip() or kept[-1].strip():  # no double blank where a link line was
                kept.append(line)
        for child in children:
            kept += [child.raw, *child.body]
        if trim_lines(kept[1:]):
            self.parts["consequences"].append(trim_lines(kept))

    # --- putting the fields together ------------------------------------------------------

    def finish(self, areas: Collection[str]) -> ParsedAdr:
        extras = read_extras(self.front.get("quarterdeck"), self.problems)
        own_number, name_date = self._number()
        if not self.title:
            self.title = str(self.front.get("title") or "").strip()
        if not self.title:
            raise AdrUnreadable("no title: the file has no '# Title' heading")
        if len(self.title) > 200:
            self.problems.append("title longer than 200 characters; cut to 200")
            self.title = self.title[:200].rstrip()
        status = self._status()
        decided_on = self._date(name_date)
        content = self._content(extras, areas)
        self._report_missing()
        self.links += extras.links
        return ParsedAdr(
            format=self._format(name_date),
            own_number=own_number,
            status=status,
            decided_on=decided_on,
            content=content,
            links=self.links,
            taken=self.taken,
            problems=self.problems,
            notes=self.notes,
        )

    def _number(self) -> tuple[int | None, date | None]:
        number, name_date, self.title, notes = number_and_title(self.name, self.title)
        self.notes += notes
        self.taken += ["number", "title"] if number is not None else ["title"]
        return number, name_date

    def _status(self) -> DecisionStatus:
        raw: object = None
        line = self.title_line
        if "status" in self.front:
            raw = self.front["status"]
        elif "status" in self.meta:
            raw, line = self.meta["status"]
        elif self.status_line is not None:
            raw, line = self.status_line
        if raw is None:
            if any(link.label.startswith(("superseded", "superceded")) for link in self.links):
                self.taken.append("status")
                return DecisionStatus.SUPERSEDED
            self.problems.append("no status")
            self.notes.append("no status found; taken as proposed")
            return DecisionStatus.PROPOSED
        reading = parse_status(raw if isinstance(raw, str) else repr(raw), line)
        self.taken.append("status")
        if reading.note:
            self.notes.append(reading.note)
        if reading.link is not None:
            self.links.append(reading.link)
        if reading.on is not None:
            self.meta.setdefault("status date", (reading.on.isoformat(), line))
        return reading.status

    def _date(self, name_date: date | None) -> date | None:
        raw: object = self.front.get("date")
        if raw is None and "date" in self.meta:
            raw = self.meta["date"][0]
        if raw is not None and str(raw).strip():
            found = parse_date(raw)
            if found is not None:
                self.taken.append("date")
                if found[1]:
                    self.notes.append(found[1])
                return found[0]
            self.problems.append(f"date {raw!s} not understood; left empty")
        if "status date" in self.meta:
            self.taken.append("date")
            return date.fromisoformat(self.meta["status date"][0])
        if name_date is not None:
            self.notes.append("date taken from the file name")
            return name_date
        if raw is None:
            self.problems.append("no date")
        return None

    def _names(self, keys: tuple[str, ...], field_name: str) -> tuple[str, ...]:
        for key in keys:
            value = self.front.get(key)
            if value is None and key in self.meta:
                value = self.meta[key][0]
            if value is None:
                continue
            names, understood = split_names(value)
            if not understood:
                self.problems.append(f"{key} is not a list of names; not kept")
            elif names:
                self.taken.append(field_name)
            return names
        return ()

    def _content(self, extras: Extras, areas: Collection[str]) -> DecisionContent:
        deciders = self._names(("decision-makers", "decision_makers", "deciders"), "deciders")
        consulted = self._names(("consulted",), "consulted")
        informed = self._names(("informed",), "informed")
        tags = extras.tags if extras.tags is not None else self._names(("tags",), "tags")
        if extras.area:
            area = extras.area
        else:
            hints: list[str] = []
            for key in ("area", "category", "categories"):
                value = self.front.get(key)
                if value is None and key in self.meta:
                    value = self.meta[key][0]
                hints += split_names(value)[0]
            area, note = area_for(hints, tags, areas)
            if note:
                self.notes.append(note)
        texts = {
            key: "\n\n".join(part for part in parts if part) for key, parts in self.parts.items()
        }
        for key, text in texts.items():
            if text:
                self.taken.append(key)
        options = self.options.options()
        if options:
            self.taken.append("options")
        try:
            return DecisionContent(
                title=self.title,
                area=area,
                context=texts["context"],
                options=options,
                decision=texts["decision"],
                rationale=extras.rationale or texts["rationale"],
                consequences=texts["consequences"],
                deciders=deciders,
                consulted=consulted,
                informed=informed,
                tags=tuple(dict.fromkeys(tags)),
                reversibility=extras.reversibility,
                estimated_spend=extras.estimated_spend,
                cross_team=extras.cross_team,
                security_exception=extras.security_exception,
                revisit_on=extras.revisit_on,
                revisit_condition=extras.revisit_condition,
                taken_in=extras.taken_in,
            )
        except InvalidInput as error:
            raise AdrUnreadable(error.message) from None

    def _report_missing(self) -> None:
        for kind, label in (
            ("context", "Context"),
            ("decision", "Decision"),
            ("consequences", "Consequences"),
        ):
            if kind not in self.kinds_seen and not self.parts[kind]:
                self.problems.append(f"no {label} section")

    def _format(self, name_date: date | None) -> str:
        if name_date is not None:
            return "log4brains"
        if "decision-makers" in self.front:
            return "madr-4"
        if "deciders" in self.front:
            return "madr-3"
        if any(key in self.front for key in (*_FRONT_MADR, "quarterdeck")):
            return "madr-3/4"
        if self.bulleted_meta or self.kinds_seen & {"options", "pros-cons"}:
            return "madr-2"
        if self.has_status_section or "date" in self.meta:
            return "nygard"
        return "markdown"
