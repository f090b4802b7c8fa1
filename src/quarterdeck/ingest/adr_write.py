"""Writing decisions as Architecture Decision Records, one Markdown file each.

MADR files (MADR 4) carry every decision field: MADR's own front matter and sections, the
rationale as a `### Rationale` part of the Decision Outcome, and the fields MADR has no place
for under a `quarterdeck:` front matter key. Nygard files carry what adr-tools knows: number,
title, date, status, links, context, decision and consequences. They lose the area, options,
rationale, deciders, consulted, informed, reversibility, estimated spend, cross-team flag,
revisit date and condition, tags and where the decision was taken.

Field text is written as it is. Headings inside it that look like the file's own sections
(level 1 or 2 anywhere; in the decision, a level-3 Consequences or Rationale) would be read
back as sections, and leading or trailing blank lines and trailing spaces are not kept.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Literal

import yaml

from quarterdeck.domain.decisions import LinkKind
from quarterdeck.domain.errors import InvalidInput
from quarterdeck.ingest.adr_extras import extras_for
from quarterdeck.ingest.adr_records import AdrExportRecord

__all__ = ["AdrFormat", "adr_file_name", "render_adr", "write_adr_directory"]

AdrFormat = Literal["madr", "nygard"]

_FORWARD = {
    LinkKind.SUPERSEDES: "Supersedes",
    LinkKind.AMENDS: "Amends",
    LinkKind.RELATES_TO: "Relates to",
}


class _Dumper(yaml.SafeDumper):
    """Plain YAML: never anchors or aliases (the reader refuses them), multi-line text as
    literal blocks so the front matter stays readable."""

    def ignore_aliases(self, data: object) -> bool:
        return True


def _text(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(str, _text)


def adr_file_name(number: int, title: str) -> str:
    """'0007-split-the-monolith.md': the number padded to four digits and a slug of the title."""
    folded = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")[:60].rstrip("-")
    return f"{number:04d}-{slug or 'decision'}.md"


def render_adr(record: AdrExportRecord, *, fmt: AdrFormat) -> tuple[str, str]:
    """(file name, Markdown text) of one decision in the given format.

    Reverse link lines ("Superseded by ...") come from `record.incoming`; relates-to links
    are written on the record that holds them only. Raises InvalidInput for an unknown format.
    """
    if fmt == "nygard":
        text = _nygard(record)
    elif fmt == "madr":
        text = _madr(record)
    else:
        raise InvalidInput(f"ADR format {fmt!r} is unknown; use madr or nygard")
    return adr_file_name(record.number, record.content.title), text


def write_adr_directory(
    records: Iterable[AdrExportRecord], target: Path, *, fmt: AdrFormat, overwrite: bool = False
) -> list[Path]:
    """Write one file per decision into `target` (created if missing); return the paths in
    number order.

    Reverse links are derived from the records' outgoing links, and link titles are taken
    from the linked record when it is among `records`. Existing files of the same name are
    replaced only with `overwrite`; symbolic links are never written through.
    Raises InvalidInput when two records share a number, when `target` is not a directory,
    or when it is not empty and `overwrite` is false.
    """
    ordered = sorted(records, key=lambda record: record.number)
    numbers = [record.number for record in ordered]
    if len(set(numbers)) != len(numbers):
        raise InvalidInput("two decisions to export share a number")
    if target.exists() and not target.is_dir():
        raise InvalidInput(f"{target} is not a directory")
    if target.is_dir() and any(target.iterdir()) and not overwrite:
        raise InvalidInput(f"{target} is not empty; choose an empty directory or overwrite")
    target.mkdir(parents=True, exist_ok=True)
    paths = []
    for record in _with_links(ordered):
        name, text = render_adr(record, fmt=fmt)
        path = target / name
        _write(path, text)
        paths.append(path)
    return paths


def _with_links(records: list[AdrExportRecord]) -> list[AdrExportRecord]:
    titles = {record.number: record.content.title for record in records}
    incoming: dict[int, dict[tuple[LinkKind, int], str]] = {number: {} for number in titles}
    for record in records:
        for kind, number, _ in record.incoming:
            incoming[record.number][(kind, number)] = titles.get(number, _)
        for kind, number, _ in record.links:
            if number in incoming:
                incoming[number].setdefault((kind, record.number), record.content.title)
    return [
        replace(
            record,
            links=tuple((kind, n, titles.get(n, title)) for kind, n, title in record.links),
            incoming=tuple(
                (kind, n, title) for (kind, n), title in incoming[record.number].items()
            ),
        )
        for record in records
    ]


def _write(path: Path, text: str) -> None:
    if path.is_symlink():
        path.unlink()
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0)
    with os.fdopen(os.open(path, flags, 0o644), "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)


def _link_lines(record: AdrExportRecord, *, madr: bool) -> list[str]:
    lines = []
    for kind, number, title in record.links:
        lines.append(f"{_FORWARD[kind]} {_reference(number, title, madr=madr)}")
    for kind, number, title in record.incoming:
        if kind is not LinkKind.RELATES_TO:
            lines.append(
                f"{kind.reverse_label.capitalize()} {_reference(number, title, madr=madr)}"
            )
    return lines


def _reference(number: int, title: str, *, madr: bool) -> str:
    text = f"ADR-{number:04d}" if madr or not title else f"{number}. {_line(title)}"
    href = adr_file_name(number, title) if title else f"{number:04d}.md"
    return f"[{text}]({href})"


def _nygard(record: AdrExportRecord) -> str:
    content = record.content
    lines = [f"# {record.number}. {_line(content.title)}", ""]
    if record.decided_on is not None:
        lines += [f"Date: {record.decided_on.isoformat()}", ""]
    lines += ["## Status", "", record.status.value.capitalize(), ""]
    for line in _link_lines(record, madr=False):
        lines += [line, ""]
    for heading, body in (
        ("Context", content.context),
        ("Decision", content.decision),
        ("Consequences", content.consequences),
    ):
        lines += [f"## {heading}", ""] + ([body, ""] if body else [])
    return "\n".join(lines).rstrip("\n") + "\n"


def _madr(record: AdrExportRecord) -> str:
    content = record.content
    front: dict[str, object] = {"status": record.status.value}
    if record.decided_on is not None:
        front["date"] = record.decided_on
    front["decision-makers"] = list(content.deciders)
    front["consulted"] = list(content.consulted)
    front["informed"] = list(content.informed)
    front["quarterdeck"] = extras_for(content, record.links)
    matter = yaml.dump(front, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    lines = ["---", matter.rstrip("\n"), "---", "", f"# {_line(content.title)}", ""]
    lines += ["## Context and Problem Statement", "", *_paragraph(content.context)]
    if content.options:
        lines += ["## Considered Options", ""]
        lines += [f"* {_line(option.title)}" for option in content.options] + [""]
    lines += ["## Decision Outcome", "", *_paragraph(content.decision)]
    if content.rationale:
        lines += ["### Rationale", "", *_paragraph(content.rationale)]
    lines += ["### Consequences", "", *_paragraph(content.consequences)]
    argued = [option for option in content.options if option.pros or option.cons]
    if argued:
        lines += ["## Pros and Cons of the Options", ""]
        for option in argued:
            lines += [f"### {_line(option.title)}", ""]
            lines += [f"* Good, because {_indent(pro)}" for pro in option.pros]
            lines += [f"* Bad, because {_indent(con)}" for con in option.cons]
            lines += [""]
    links = _link_lines(record, madr=True)
    if links:
        lines += ["## More Information", ""] + [f"* {line}" for line in links] + [""]
    return "\n".join(lines).rstrip("\n") + "\n"


def _paragraph(text: str) -> list[str]:
    return [text, ""] if text else []


def _indent(text: str) -> str:
    return text.replace("\n", "\n  ")


def _line(text: str) -> str:
    """Text that must stay on one line (a heading, a bullet): line breaks become spaces."""
    return " ".join(text.splitlines())
