"""The options an ADR considered, with their pros and cons: MADR's "Considered Options"
bullets joined to the "Good, because" / "Bad, because" arguments under each option."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from quarterdeck.domain.decisions import Option

__all__ = ["OptionList"]

_OPTION_BULLET = re.compile(r"^ ?(?:[-*+]|\d+[.)])\s+(?P<text>\S.*)$")
_ARGUMENT = re.compile(
    r"^\s*[-*+]\s+(?:\*\*|__)?(?P<kind>good|bad|neutral|pro|con)\b(?:\*\*|__)?"
    r"(?:\s*[,:]\s*(?:because\b\s*)?|\s+because\b\s*)(?P<text>.*)$",
    re.IGNORECASE,
)
_COMMENT_LINE = re.compile(r"^\s*<!--.*-->\s*$")


def _key(title: str) -> str:
    title = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", title)
    return " ".join(re.sub(r"[^a-z0-9]+", " ", title.lower()).split())


@dataclass(slots=True)
class _Draft:
    title: str
    pros: list[str] = field(default_factory=list)
    cons: list[str] = field(default_factory=list)


class OptionList:
    """Options in the order they are met; arguments are matched to options by title."""

    def __init__(self) -> None:
        self._drafts: list[_Draft] = []

    def add_bullets(self, lines: list[str]) -> None:
        """Each top-level bullet is an option title, kept as written."""
        for line in lines:
            match = _OPTION_BULLET.match(line)
            if match is not None:
                self._drafts.append(_Draft(match.group("text").rstrip()))

    def add_arguments(self, title: str, lines: list[str]) -> int:
        """Take the Good/Bad bullets under one option's heading (continuation lines indented
        by two spaces join the bullet above). Returns how many other lines were not kept."""
        pros: list[str] = []
        cons: list[str] = []
        current: list[str] | None = None
        dropped = 0
        for line in lines:
            match = _ARGUMENT.match(line)
            if match is not None:
                kind = match.group("kind").lower()
                current = pros if kind in ("good", "pro") else cons if kind != "neutral" else None
                if current is None:
                    dropped += 1
                else:
                    current.append(match.group("text").rstrip())
            elif current is not None and line.startswith("  ") and line.strip():
                current[-1] += "\n" + line[2:].rstrip()
            elif line.strip():
                current = None
                dropped += 0 if _COMMENT_LINE.fullmatch(line) else 1
        draft = self._draft_for(title)
        draft.pros += pros
        draft.cons += cons
        return dropped

    def _draft_for(self, title: str) -> _Draft:
        key = _key(title)
        unfilled = [draft for draft in self._drafts if not draft.pros and not draft.cons]
        for candidates in (unfilled, self._drafts):
            for draft in candidates:
                if _key(draft.title) == key:
                    return draft
        for draft in unfilled:
            other = _key(draft.title)
            if key and other and (other.startswith(key) or key.startswith(other)):
                return draft
        self._drafts.append(_Draft(title))
        return self._drafts[-1]

    def options(self) -> tuple[Option, ...]:
        """The options as domain values."""
        return tuple(Option(d.title, tuple(d.pros), tuple(d.cons)) for d in self._drafts)
