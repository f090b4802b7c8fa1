"""Vulnerability findings followed across scans: when each was first seen and when it was
fixed, the time to patch by severity, and the findings open at a moment (the security part
of the scorecard). Pure: the caller reads the scans and passes them in.

The rules, each a choice the number depends on:

- **Series.** Findings are followed within the scans of one target by one scanner. A
  pip-audit run knows nothing of what Trivy found in the same repository, so its silence
  about a Trivy finding is no fix. Scans of one image at different tags or digests are
  one target (`target_key`): a fix usually ships as a new tag.
- **Scan time.** A scan's own time, else the time it was imported, which the caller passes
  (`ImportedScan`). Scans are taken in time order; scans at the same time keep the order
  given.
- **Identity.** `Finding.identity`: the rule or vulnerability id with the package name
  (without version), or with the location for code findings. A SARIF finding's location
  is its file with a digest of the tool's fingerprints, without the line, so code that
  moves keeps its finding (`ingest.scan_sarif`); Trivy's misconfigurations and secrets
  keep "file:line". Several findings with one identity in one scan are one finding, at
  the highest severity among them.
- **First seen** is the time of the first scan of the series that has the finding. It is
  when a scan first showed it, not when it was introduced or published: findings already
  there at a target's first scan are marked `in_first_scan`, and their time to patch
  counts from that scan.
- **Fixed** at the time of the first later scan of the series without it. Only a scan can
  fix a finding: while no later scan of the series comes, it stays open, however long
  ago the last scan was (a target that is no longer scanned keeps its findings open).
- **Reappearance.** A finding seen again after it was fixed is re-opened: a new episode
  (`episode` 2, 3, ...) with its own first-seen time, counted again in the time to patch
  and in the open counts. The earlier fix stands.
- **Severity** is the one seen last in the episode (scanners re-score vulnerabilities).
- **Time to patch** is the interpolated median of the days from first seen to fixed, per
  severity, over the episodes fixed in the window, with their count. Episodes still open
  are not in the median (their time is not known yet) and are counted beside it, since
  a low median over few fixes with many open ones is good news only in appearance.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from quarterdeck.domain.bottlenecks import interpolated_median
from quarterdeck.domain.engineering import Finding, ScanReport, Severity, require_aware
from quarterdeck.domain.errors import InvalidInput

__all__ = [
    "ImportedScan",
    "PatchTime",
    "TrackedFinding",
    "open_counts",
    "target_key",
    "time_to_patch",
    "track",
]

_SECONDS_PER_DAY = 86_400
_RANK = {severity: rank for rank, severity in enumerate(Severity)}  # critical first
_DIGEST = re.compile(r"@[A-Za-z0-9][A-Za-z0-9+._-]*:[0-9A-Fa-f]{32,}$")
_TAG = re.compile(r":[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")


def target_key(target: str) -> str:
    """The target that scans are grouped by: an image reference without its tag or digest
    ("ghcr.io/acme/api:1.4.2" and "ghcr.io/acme/api@sha256:..." are "ghcr.io/acme/api");
    anything else (paths, repository URLs, "host:port" registries) unchanged."""
    text = _DIGEST.sub("", target.strip())
    if "://" in text or "@" in text:
        return text  # a URL or an scp-like git address, not an image reference
    head, slash, last = text.rpartition("/")
    return head + slash + _TAG.sub("", last)


@dataclass(frozen=True, slots=True)
class ImportedScan:
    """A scan and the time it was imported, which stands in when the file gave no time."""

    report: ScanReport
    imported_at: datetime

    def __post_init__(self) -> None:
        require_aware("import time", self.imported_at)

    @property
    def at(self) -> datetime:
        return self.report.scanned_at or self.imported_at


@dataclass(frozen=True, slots=True)
class TrackedFinding:
    """One episode of one finding in one series: from first seen to fixed (or still open)."""

    scanner: str
    target: str  # target_key of the scans' target
    finding: Finding  # as last seen
    first_seen: datetime
    last_seen: datetime
    fixed_at: datetime | None
    episode: int = 1  # 2 and above: re-opened after a fix
    in_first_scan: bool = False  # there already at the series' first scan

    @property
    def identity(self) -> tuple[str, str]:
        return self.finding.identity

    @property
    def severity(self) -> Severity:
        return self.finding.severity

    @property
    def days_to_fix(self) -> float | None:
        if self.fixed_at is None:
            return None
        return (self.fixed_at - self.first_seen).total_seconds() / _SECONDS_PER_DAY

    def is_open_at(self, moment: datetime) -> bool:
        """Seen at or before `moment` and not fixed by then."""
        return self.first_seen <= moment and (self.fixed_at is None or self.fixed_at > moment)


@dataclass(frozen=True, slots=True)
class PatchTime:
    """Median days from first seen to fixed over `fixed` episodes of one severity (None
    when there are none); `still_open` episodes of that severity have no fix yet."""

    severity: Severity
    median_days: float | None
    fixed: int
    still_open: int


@dataclass(slots=True)
class _Open:
    finding: Finding
    first_seen: datetime
    last_seen: datetime
    episode: int
    in_first_scan: bool


@dataclass(slots=True)
class _Series:
    scanner: str
    target: str
    scanned: bool = False
    open: dict[tuple[str, str], _Open] = field(default_factory=dict)
    episodes: dict[tuple[str, str], int] = field(default_factory=dict)

    def tracked(self, entry: _Open, fixed_at: datetime | None) -> TrackedFinding:
        return TrackedFinding(
            scanner=self.scanner,
            target=self.target,
            finding=entry.finding,
            first_seen=entry.first_seen,
            last_seen=entry.last_seen,
            fixed_at=fixed_at,
            episode=entry.episode,
            in_first_scan=entry.in_first_scan,
        )


def track(scans: Iterable[ImportedScan]) -> list[TrackedFinding]:
    """Every episode of every finding in `scans`, by the rules in this module's docstring;
    ordered by target, scanner, first seen and identity."""
    ordered = sorted(enumerate(scans), key=lambda pair: (pair[1].at, pair[0]))
    series: dict[tuple[str, str], _Series] = {}
    done: list[TrackedFinding] = []
    for _, scan in ordered:
        key = (scan.report.scanner, target_key(scan.report.target))
        current = series.setdefault(key, _Series(*key))
        present = _strongest(scan.report.findings)
        for identity in [identity for identity in current.open if identity not in present]:
            done.append(current.tracked(current.open.pop(identity), scan.at))
        for identity, finding in present.items():
            entry = current.open.get(identity)
            if entry is not None:
                entry.finding, entry.last_seen = finding, scan.at
                continue
            episode = current.episodes.get(identity, 0) + 1
            current.episodes[identity] = episode
            current.open[identity] = _Open(finding, scan.at, scan.at, episode, not current.scanned)
        current.scanned = True
    for current in series.values():
        done.extend(current.tracked(entry, None) for entry in current.open.values())
    return sorted(
        done, key=lambda item: (item.target, item.scanner, item.first_seen, item.identity)
    )


def _strongest(findings: Iterable[Finding]) -> dict[tuple[str, str], Finding]:
    chosen: dict[tuple[str, str], Finding] = {}
    for finding in findings:
        known = chosen.get(finding.identity)
        if known is None or _RANK[finding.severity] < _RANK[known.severity]:
            chosen[finding.identity] = finding
    return chosen


def time_to_patch(
    tracked: Iterable[TrackedFinding],
    *,
    since: datetime | None = None,
    until: datetime | None = None,
) -> dict[Severity, PatchTime]:
    """Per severity (every one, critical first): the interpolated median days from first
    seen to fixed over the episodes fixed at `since` or later and at `until` or earlier
    (either bound may be left open), their count, and the episodes still open at `until`
    (or now, when `until` is None). Raises InvalidInput when `since` is after `until`."""
    require_aware("window start", since)
    require_aware("window end", until)
    if since is not None and until is not None and since > until:
        raise InvalidInput("the time-to-patch window ends before it starts")
    days: dict[Severity, list[float]] = {severity: [] for severity in Severity}
    still_open = dict.fromkeys(Severity, 0)
    for item in tracked:
        fixed_at, elapsed = item.fixed_at, item.days_to_fix
        if fixed_at is not None and elapsed is not None and _within(fixed_at, since, until):
            days[item.severity].append(elapsed)
        open_at_end = fixed_at is None if until is None else item.is_open_at(until)
        if open_at_end:
            still_open[item.severity] += 1
    return {
        severity: PatchTime(
            severity, interpolated_median(values), len(values), still_open[severity]
        )
        for severity, values in days.items()
    }


def _within(moment: datetime, since: datetime | None, until: datetime | None) -> bool:
    return (since is None or moment >= since) and (until is None or moment <= until)


def open_counts(tracked: Iterable[TrackedFinding], *, as_of: datetime) -> dict[Severity, int]:
    """How many findings were open at `as_of`, per severity (every one, critical first;
    the scorecard shows critical and high): first seen at or before it, not fixed by it.
    A finding first seen and a finding fixed by a scan at exactly `as_of` count as that
    scan left them (open, and fixed)."""
    require_aware("as-of time", as_of)
    counts = dict.fromkeys(Severity, 0)
    for item in tracked:
        if item.is_open_at(as_of):
            counts[item.severity] += 1
    return counts
