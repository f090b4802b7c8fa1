"""Reading a directory of Architecture Decision Records (Nygard/adr-tools, MADR 2, 3 and 4,
log4brains) into records ready to become decisions. Reads files only; writes nothing."""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from quarterdeck.domain.decisions import LinkKind
from quarterdeck.domain.errors import InvalidInput
from quarterdeck.ingest.adr_parse import ParsedAdr, parse_adr
from quarterdeck.ingest.adr_records import (
    DEFAULT_AREAS,
    AdrImport,
    FileReport,
    ImportedAdr,
)
from quarterdeck.ingest.adr_text import AdrUnreadable, RawLink, link_kind

__all__ = ["read_adr_directory"]

_MARKDOWN = (".md", ".markdown")
_NOT_ADRS = frozenset(
    {"readme", "index", "_index", "changelog", "contributing", "license", "summary", "toc"}
)
_NUMBER_IN_NAME = re.compile(r"^(?:adr[-_ ]?)?0*(\d{1,7})(?=$|[-_. ])", re.IGNORECASE)
_NUMBER_IN_TEXT = re.compile(r"(?:\badr[-_ ]?|^|#)0*(\d{1,7})\b", re.IGNORECASE)


@dataclass(slots=True)
class _Entry:
    source: str
    parsed: ParsedAdr
    number: int = 0
    links: list[tuple[LinkKind, int]] = field(default_factory=list)
    linked: bool = False  # some link written in the file was understood


def read_adr_directory(
    root: Path,
    *,
    max_file_bytes: int = 1_000_000,
    max_files: int = 10_000,
    areas: Collection[str] = DEFAULT_AREAS,
) -> AdrImport:
    """Read every ADR under `root`, in subfolders too, and report on every file met.

    Guarantees: nothing is written; symbolic links are never followed (they are reported as
    skipped); README, index and template files and files that are not Markdown are skipped;
    a file that is not UTF-8, is larger than `max_file_bytes` or has unreadable front matter
    (YAML anchors and aliases are refused) is reported as failed, and the caller should then
    refuse the whole import. Numbers are unique: a file keeps its own number (from the file
    name, else the title) when no earlier file in path order has it; duplicates, files
    without a number and ADR 0 get the next numbers after the highest one kept, in path
    order, with a note. Links are outgoing and by number: "Superseded by B" in A becomes a
    `supersedes A` link on B. `areas` are the area keys an ADR may be filed under.

    Raises InvalidInput when `root` is not a directory or holds more than `max_files` files.
    """
    if not root.is_dir():
        raise InvalidInput(f"{root} is not a directory")
    reports: dict[str, FileReport] = {}
    entries: list[_Entry] = []
    for source, path in _walk(root, max_files, reports):
        try:
            text, cleaned = _read_text(path, source, max_file_bytes)
            parsed = parse_adr(text, name=posixpath.basename(source), areas=areas)
        except AdrUnreadable as error:
            reports[source] = FileReport(source, "failed", problems=(str(error),))
            continue
        parsed.notes[:0] = cleaned
        entries.append(_Entry(source, parsed))
    _number(entries)
    _link(entries)
    records = []
    for entry in sorted(entries, key=lambda item: item.number):
        parsed = entry.parsed
        notes = tuple(parsed.notes)
        records.append(
            ImportedAdr(
                source=entry.source,
                number=entry.number,
                status=parsed.status,
                decided_on=parsed.decided_on,
                content=parsed.content,
                links=tuple(entry.links),
                notes=notes,
            )
        )
        if entry.linked:
            parsed.taken.append("links")
        reports[entry.source] = FileReport(
            entry.source,
            "imported",
            taken=tuple(dict.fromkeys(parsed.taken)),
            problems=tuple(parsed.problems),
            notes=notes,
            format=parsed.format,
        )
    return AdrImport(tuple(records), tuple(reports[key] for key in sorted(reports)))


def _walk(root: Path, max_files: int, reports: dict[str, FileReport]) -> list[tuple[str, Path]]:
    """The ADR candidates under root, in path order; everything else goes in `reports`."""
    found: list[tuple[str, Path]] = []
    count = 0
    pending = [(root, "")]
    while pending:
        folder, prefix = pending.pop()
        try:
            with os.scandir(folder) as scanned:
                listing = sorted(scanned, key=lambda item: item.name)
        except OSError as error:
            problem = f"folder cannot be read: {error.strerror}"
            reports[prefix or "./"] = FileReport(prefix or "./", "failed", problems=(problem,))
            continue
        for item in listing:
            source = prefix + item.name
            if item.is_symlink():
                reports[source] = FileReport(
                    source, "skipped", problems=("symbolic link; not followed",)
                )
            elif item.is_dir(follow_symlinks=False):
                if item.name.startswith("."):
                    reports[source + "/"] = FileReport(
                        source + "/", "skipped", problems=("hidden folder; not read",)
                    )
                else:
                    pending.append((Path(item.path), source + "/"))
                continue
            elif not item.is_file(follow_symlinks=False):
                reports[source] = FileReport(source, "skipped", problems=("not a regular file",))
            else:
                reason = _skip_reason(item.name)
                if reason:
                    reports[source] = FileReport(source, "skipped", problems=(reason,))
                else:
                    found.append((source, Path(item.path)))
            count += 1
            if count > max_files:
                raise InvalidInput(
                    f"{root} holds more than {max_files} files, the limit for one ADR import; "
                    "import a smaller directory"
                )
    return sorted(found)


def _skip_reason(name: str) -> str:
    lowered = name.lower()
    if name.startswith("."):
        return "hidden file"
    if not lowered.endswith(_MARKDOWN):
        return "not a Markdown file"
    stem = lowered.rsplit(".", 1)[0]
    bare = re.sub(r"^\d+[-_ ]", "", stem)
    if bare != stem:  # numbered: "0000-template.md" is a template, "0009-use-templates" is not
        template = bare.startswith(("template", "adr-template"))
    else:  # "adr-template-minimal.md", "template.md"
        template = re.search(r"(?:^|[-_])template(?:$|[-_])", stem) is not None
    if stem in _NOT_ADRS or template:
        return "README, index or template file; not an ADR"
    return ""


def _read_text(path: Path, source: str, max_bytes: int) -> tuple[str, list[str]]:
    """The file's text and notes on what was cleaned. Raises AdrUnreadable."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        descriptor = os.open(path, flags)
    except OSError as error:
        raise AdrUnreadable(f"{source} cannot be opened: {error.strerror}") from None
    with os.fdopen(descriptor, "rb") as handle:
        data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise AdrUnreadable(
            f"{source} is larger than {max_bytes} bytes, the limit for one ADR file"
        )
    data = data.removeprefix(b"\xef\xbb\xbf")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise AdrUnreadable(
            f"{source} is not UTF-8 text: line {line} has the byte 0x{data[error.start]:02x} "
            "(save the file as UTF-8 and import again)"
        ) from None
    notes = []
    if "\x00" in text:
        notes.append(f"removed {text.count(chr(0))} NUL character(s)")
        text = text.replace("\x00", "")
    return text.replace("\r\n", "\n").replace("\r", "\n"), notes


def _number(entries: list[_Entry]) -> None:
    """Give every entry a unique number; see read_adr_directory for the rules."""
    taken: set[int] = set()
    holder: dict[int, str] = {}
    for entry in entries:
        own = entry.parsed.own_number
        if own is not None and own >= 1 and own not in taken:
            entry.number = own
            taken.add(own)
            holder[own] = entry.source
    next_free = max(taken, default=0) + 1
    for entry in entries:
        if entry.number:
            continue
        own = entry.parsed.own_number
        entry.number = next_free
        next_free += 1
        if own is None:
            reason = "no number in the file name or title"
        elif own < 1:
            reason = f"ADR {own} cannot keep its number: decision numbers start at 1"
        else:
            reason = f"number {own} is already used by {holder[own]}"
        entry.parsed.notes.append(f"{reason}; numbered {entry.number}")


def _link(entries: list[_Entry]) -> None:
    """Resolve the links as written to outgoing (kind, number) pairs, reversing
    "Superseded by" and "Amended by", without duplicates."""
    by_source = {entry.source: entry for entry in entries}
    by_name: dict[str, list[_Entry]] = {}
    by_own_number: dict[int, list[_Entry]] = {}
    for entry in entries:
        by_name.setdefault(posixpath.basename(entry.source), []).append(entry)
        if entry.parsed.own_number is not None:
            by_own_number.setdefault(entry.parsed.own_number, []).append(entry)

    def resolve(entry: _Entry, raw: RawLink) -> _Entry | None:
        number = None
        if raw.href:
            path = unquote(raw.href.split("#")[0])
            joined = posixpath.normpath(posixpath.join(posixpath.dirname(entry.source), path))
            if joined in by_source:
                return by_source[joined]
            named = by_name.get(posixpath.basename(path), [])
            if len(named) == 1:
                return named[0]
            match = _NUMBER_IN_NAME.match(posixpath.basename(path))
            number = int(match.group(1)) if match else None
        if number is None:
            match = _NUMBER_IN_TEXT.search(raw.text)
            number = int(match.group(1)) if match else None
        candidates = by_own_number.get(number, []) if number is not None else []
        return candidates[0] if candidates else None

    reversed_links: list[tuple[_Entry, _Entry, LinkKind, str]] = []
    for entry in sorted(entries, key=lambda item: item.number):
        for raw in entry.parsed.links:
            target = resolve(entry, raw)
            where = f"line {raw.line}: " if raw.line else "front matter: "
            shown = f"{raw.label} {raw.text}".strip()
            if target is None:
                entry.parsed.problems.append(
                    f"{where}link {shown!r} points to no ADR in this directory; not kept"
                )
                continue
            if target is entry:
                entry.parsed.problems.append(f"{where}link {shown!r} points to itself; not kept")
                continue
            kind, reverse, custom = link_kind(raw.label)
            entry.linked = True
            if custom:
                entry.parsed.notes.append(
                    f"link {raw.label!r} to {target.number} kept as {LinkKind.RELATES_TO.value}"
                )
            if reverse:
                reversed_links.append((target, entry, kind, raw.label))
            else:
                _add(entry, kind, target)
    for holder, other, kind, label in reversed_links:
        if _add(holder, kind, other):
            holder.parsed.notes.append(
                f"{kind.value} {other.number}: read from {other.source} ({label!r})"
            )


def _add(entry: _Entry, kind: LinkKind, target: _Entry) -> bool:
    """Add a link unless it, or the same relation seen from the other side, is there."""
    if (kind, target.number) in entry.links:
        return False
    if kind is LinkKind.RELATES_TO and (kind, entry.number) in target.links:
        return False
    entry.links.append((kind, target.number))
    return True
