"""Reading the pieces of an ADR file: front matter, sections, metadata lines, statuses,
dates and link lines. Pure functions over text; `adr_read` puts them together."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

import yaml

from quarterdeck.domain.decisions import DecisionStatus, LinkKind
from quarterdeck.ingest.adr_dates import parse_date

__all__ = [
    "AdrUnreadable",
    "RawLink",
    "Section",
    "StatusReading",
    "heading_key",
    "link_kind",
    "load_front_matter",
    "number_and_title",
    "parse_link_line",
    "parse_metadata_line",
    "parse_status",
    "section_blocks",
    "section_text",
    "split_front_matter",
    "split_names",
    "split_sections",
    "trim_lines",
]

# libyaml when present: the same safe constructor as yaml.safe_load, about ten times faster.
_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class AdrUnreadable(Exception):
    """The file cannot be imported; the message says why, for people."""


# --- front matter -------------------------------------------------------------------------


def split_front_matter(lines: list[str]) -> tuple[list[str] | None, int]:
    """(front matter lines or None, index of the first body line)."""
    if not lines or lines[0].rstrip() != "---":
        return None, 0
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            return lines[1:index], index + 1
    raise AdrUnreadable("line 1: front matter opens with '---' but never closes")


def load_front_matter(lines: list[str]) -> dict[str, object]:
    """The front matter as a mapping. YAML anchors and aliases are refused, never expanded."""
    text = "\n".join(lines)
    try:
        for token in yaml.scan(text, Loader=_SafeLoader):
            if isinstance(token, yaml.AnchorToken | yaml.AliasToken):
                line = token.start_mark.line + 2  # +1 for 1-based, +1 for the opening '---'
                raise AdrUnreadable(
                    f"line {line}: front matter uses a YAML anchor or alias; they are refused"
                )
        data = yaml.load(text, Loader=_SafeLoader)  # noqa: S506 - a safe loader
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 2}: " if mark is not None else ""
        reason = getattr(error, "problem", None) or str(error)
        raise AdrUnreadable(f"{where}front matter is not valid YAML ({reason})") from None
    except RecursionError:
        raise AdrUnreadable("front matter is nested too deeply to read") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise AdrUnreadable("front matter is not a mapping of names to values")
    return {str(key).strip().lower(): value for key, value in data.items()}


# --- sections -----------------------------------------------------------------------------

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_COMMENT = re.compile(r"<!--.*?-->")
_MARKERS = frozenset("#`~")
_KEY_NOISE = re.compile(r"[^a-z0-9&/ ]+")
_LEADING_NUMBER = re.compile(r"^\s*(?:\d+(?:\.\d+)*[.)]?|[ivx]+[.)])\s+")


@dataclass(slots=True)
class Section:
    """A heading and the lines under it, up to the next heading of any level."""

    level: int  # 0 for the lines before the first heading
    title: str  # the heading's text as written
    key: str  # the heading normalised for matching: "context and problem statement"
    line: int  # 1-based line number of the heading in the file
    raw: str  # the heading line as written
    body: list[str] = field(default_factory=list)


def heading_key(text: str) -> str:
    """Lower case, without comments, emphasis, emoji, numbering or trailing colons."""
    cleaned = _COMMENT.sub("", text).lower().replace("-", " ")
    cleaned = _LEADING_NUMBER.sub("", cleaned)
    return " ".join(_KEY_NOISE.sub(" ", cleaned).split())


def split_sections(lines: list[str], first_line: int) -> list[Section]:
    """Split Markdown lines into sections at ATX headings outside fenced code blocks.

    The first section (level 0) holds the lines before the first heading.
    """
    sections = [Section(0, "", "", first_line, "")]
    fence = ""
    for offset, line in enumerate(lines):
        if line.lstrip(" ")[:1] not in _MARKERS:  # most lines: neither heading nor fence
            sections[-1].body.append(line)
            continue
        opener = _FENCE.match(line)
        if fence:
            if opener and opener.group(1)[0] == fence[0] and len(opener.group(1)) >= len(fence):
                fence = ""
            sections[-1].body.append(line)
            continue
        if opener:
            fence = opener.group(1)
            sections[-1].body.append(line)
            continue
        heading = _HEADING.match(line)
        if heading:
            title = (heading.group(2) or "").strip()
            level = len(heading.group(1))
            sections.append(Section(level, title, heading_key(title), first_line + offset, line))
        else:
            sections[-1].body.append(line)
    return sections


def trim_lines(lines: list[str]) -> str:
    """The lines as text, without blank lines around it or trailing spaces at its end."""
    start, end = 0, len(lines)
    while start < end and not lines[start].strip():
        start += 1
    while end > start and not lines[end - 1].strip():
        end -= 1
    return "\n".join(lines[start:end]).rstrip()


def section_blocks(children: list[Section]) -> list[tuple[Section, list[Section]]]:
    """Sections grouped under the shallowest of them (### blocks with their #### parts)."""
    if not children:
        return []
    top = min(child.level for child in children)
    blocks: list[tuple[Section, list[Section]]] = []
    for child in children:
        if child.level == top or not blocks:
            blocks.append((child, []))
        else:
            blocks[-1][1].append(child)
    return blocks


def section_text(head: Section, children: list[Section], *, heading: bool) -> str:
    """A section's text as written, with its subsections, and its heading when asked."""
    lines = [head.raw] if heading else []
    lines += head.body
    for child in children:
        lines += [child.raw, *child.body]
    return trim_lines(lines)


# --- metadata lines ("* Status: accepted", "Date: 2020-11-27 · Status: accepted") ---------

_METADATA = re.compile(
    r"^[*_]*(?P<key>[A-Za-z][A-Za-z \-_]{0,30}?)[*_]*\s*:[*_]*(?:\s+(?P<value>.*))?$"
)
_BULLET = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
_SEPARATOR = re.compile(r"\s+[·|]\s+")


def parse_metadata_line(line: str, known: frozenset[str]) -> list[tuple[str, str]] | None:
    """[(key, value), ...] when the line holds only known `Key: value` pairs, else None."""
    stripped = _BULLET.sub("", line.strip(), count=1)
    if not stripped:
        return None
    parts = _SEPARATOR.split(stripped)
    pairs = [_metadata_pair(part, known) for part in parts]
    if len(parts) > 1 and None in pairs:  # "Status: proposed | accepted" is one pair
        pairs = [_metadata_pair(stripped, known)]
    return None if None in pairs else [pair for pair in pairs if pair is not None]


def _metadata_pair(text: str, known: frozenset[str]) -> tuple[str, str] | None:
    match = _METADATA.match(text.strip())
    if match is None:
        return None
    key = " ".join(match.group("key").lower().replace("_", " ").replace("-", " ").split())
    if key not in known:
        return None
    return key, (match.group("value") or "").strip().rstrip("*_ ").strip()


def split_names(value: object) -> tuple[tuple[str, ...], bool]:
    """(names, understood) from a YAML list or a comma- or semicolon-separated string."""
    if value is None:
        return (), True
    if isinstance(value, list | tuple):
        names = [str(item).strip() for item in value if item is not None]
        return tuple(name for name in names if name), True
    if isinstance(value, str):
        text = _COMMENT.sub("", value).strip()
        if re.fullmatch(r"[\[{].*[\]}]", text) and "](" not in text:
            return (), False  # a template placeholder such as "[list everyone involved]"
        return tuple(part.strip() for part in re.split(r"[,;]", text) if part.strip()), True
    return (), False


# --- statuses -----------------------------------------------------------------------------

_STATUS_WORDS: dict[str, DecisionStatus] = {
    "accepted": DecisionStatus.ACCEPTED,
    "approved": DecisionStatus.ACCEPTED,
    "adopted": DecisionStatus.ACCEPTED,
    "agreed": DecisionStatus.ACCEPTED,
    "decided": DecisionStatus.ACCEPTED,
    "proposed": DecisionStatus.PROPOSED,
    "rejected": DecisionStatus.REJECTED,
    "declined": DecisionStatus.REJECTED,
    "deprecated": DecisionStatus.DEPRECATED,
    "obsolete": DecisionStatus.DEPRECATED,
    "retired": DecisionStatus.DEPRECATED,
    "superseded": DecisionStatus.SUPERSEDED,
    "superceded": DecisionStatus.SUPERSEDED,
    "replaced": DecisionStatus.SUPERSEDED,
}
_MD_LINK = re.compile(r"\[(?P<text>.*)\]\((?P<href>[^)\s]*)\)")
_WORDS = re.compile(r"[a-z]+(?:[ -][a-z]+)*")


@dataclass(frozen=True, slots=True)
class RawLink:
    """A link as written: 'Supersedes [2. Use MySQL](0002-use-mysql.md)'."""

    label: str  # "supersedes", "superseded by", "refined by", "" ...
    text: str  # the link text, or the bare reference ("ADR-0005")
    href: str  # the link target as written, "" for a bare reference
    line: int


@dataclass(frozen=True, slots=True)
class StatusReading:
    status: DecisionStatus
    note: str  # "" when the status was read as written
    on: date | None  # a date written with the status ("Accepted on 2021-01-02")
    link: RawLink | None  # "Superseded by [ADR-0005](0005-x.md)"


def parse_status(raw: str, line: int) -> StatusReading:
    """Read a status however it is decorated; anything unknown is PROPOSED with a note."""
    link_match = _MD_LINK.search(raw)
    plain = _MD_LINK.sub(lambda m: m.group("text"), _COMMENT.sub("", raw))
    words = _WORDS.search(plain.lower().replace("_", " "))
    text = words.group(0) if words else ""
    on = parse_date(plain)
    for prefix in ("superseded by", "superceded by", "replaced by"):
        if text.startswith(prefix):
            rest = plain[plain.lower().find(prefix) + len(prefix) :].strip()
            link: RawLink | None = None
            if link_match is not None:
                link = RawLink(prefix, link_match.group("text"), link_match.group("href"), line)
            else:
                link = RawLink(prefix, rest, "", line) if rest else None
            return StatusReading(DecisionStatus.SUPERSEDED, "", None, link)
    first = text.split(" ")[0].split("-")[0] if text else ""
    status = _STATUS_WORDS.get(first)
    if status is None or plain.count("|") > 1:  # "proposed | accepted | ...": a placeholder
        shown = plain.strip() or "(empty)"
        note = f"status {shown!r} is not a Quarterdeck status; taken as proposed"
        return StatusReading(DecisionStatus.PROPOSED, note, None, None)
    note = "" if first == status.value else f"status {first!r} read as {status.value}"
    return StatusReading(status, note, on[0] if on else None, None)


# --- links --------------------------------------------------------------------------------

_LINK_LINE = re.compile(
    r"^(?P<label>[A-Za-z][A-Za-z \-]*?)?\s*:?\s*\[(?P<text>.*)\]\((?P<href><[^>]*>|[^)\s]*)\)"
    r"\s*(?P<rest>.*)$"
)
_BARE_LINE = re.compile(
    r"^(?P<label>[A-Za-z][A-Za-z \-]*?)\s*:?\s+(?P<text>(?:ADR|adr)[-_ ]?\d+)\b\s*(?P<rest>.*)$"
)
_EXTERNAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|#|/)", re.IGNORECASE)


def parse_link_line(line: str, number: int) -> RawLink | None:
    """A line that links to another ADR, as written ('* Refined by [ADR-0005](0005-x.md)').

    Links to web pages and anchors are not ADR links: they stay in the text.
    """
    stripped = _BULLET.sub("", line.strip(), count=1).strip()
    match = _LINK_LINE.match(stripped)
    if match is not None:
        href = match.group("href").strip("<>")
        if _EXTERNAL.match(href) or match.group("rest").strip(" .,;"):
            return None  # a web link, or a sentence that mentions an ADR
        names_adr = re.search(r"\badr[-_ ]?\d+", match.group("text"), re.IGNORECASE)
        if not href.split("#")[0].lower().endswith((".md", ".markdown")) and not names_adr:
            return None
        label = " ".join((match.group("label") or "").lower().split())
        return RawLink(label, match.group("text"), href, number)
    bare = _BARE_LINE.match(stripped)
    if bare is not None and not bare.group("rest").strip(" .,;"):
        return RawLink(
            " ".join(bare.group("label").lower().split()), bare.group("text"), "", number
        )
    return None


_FORWARD = {"supersedes": LinkKind.SUPERSEDES, "supercedes": LinkKind.SUPERSEDES}
_FORWARD |= {"replaces": LinkKind.SUPERSEDES, "amends": LinkKind.AMENDS}
_REVERSE = {"superseded by": LinkKind.SUPERSEDES, "superceded by": LinkKind.SUPERSEDES}
_REVERSE |= {"replaced by": LinkKind.SUPERSEDES, "amended by": LinkKind.AMENDS}


def link_kind(label: str) -> tuple[LinkKind, bool, bool]:
    """(kind, reverse, custom): "superseded by" is (SUPERSEDES, True, False); a label
    Quarterdeck has no kind for ("refined by", "depends on") is (RELATES_TO, False, True)."""
    label = label.strip().rstrip(":").strip()
    if label in _FORWARD:
        return _FORWARD[label], False, False
    if label in _REVERSE:
        return _REVERSE[label], True, False
    if label in ("relates to", "related to", "related", ""):
        return LinkKind.RELATES_TO, False, False
    return LinkKind.RELATES_TO, False, True


# --- numbers ------------------------------------------------------------------------------

_NAME_NUMBER = re.compile(r"^(?:adr[-_ ]?)?(\d+)(?=$|[-_. ])", re.IGNORECASE)
_TITLE_NUMBER = re.compile(
    r"^(?:ADR[-_ ]?)?0*(?P<n>\d{1,6})\s*[.:)\-\u2013\u2014]\s+(?P<rest>\S.*)$", re.IGNORECASE
)


def number_and_title(name: str, title: str) -> tuple[int | None, date | None, str, list[str]]:
    """(number, date, title, notes) from a file name and its title.

    The number comes from the file name ("0007-", "7-", "ADR-007-"), else from the title
    ("# 7. Split the monolith"); a title's number is removed from the title when it is the
    file's number. Eight leading digits that make a date (log4brains' "20201127-") are a date.
    """
    notes: list[str] = []
    match = _NAME_NUMBER.match(name.rsplit(".", 1)[0])
    number: int | None = None
    name_date: date | None = None
    if match is not None and len(match.group(1)) >= 8:
        digits = match.group(1)
        try:
            name_date = date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
        except ValueError:
            notes.append(f"{digits} in the file name is not an ADR number; not used")
    elif match is not None:
        number = int(match.group(1))
        if not match.group(1).startswith("0") and len(match.group(1)) < 4:
            notes.append(f"number {number} read from an unpadded file name")
    titled = _TITLE_NUMBER.match(title)
    if titled is not None:
        in_title = int(titled.group("n"))
        if number is None or in_title == number:
            title = titled.group("rest").strip()
            if number is None:
                number = in_title
                notes.append(f"number {number} read from the title")
        else:
            notes.append(f"the title starts with {in_title}, the file name says {number}")
    return number, name_date, title, notes
