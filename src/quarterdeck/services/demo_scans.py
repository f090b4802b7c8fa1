"""The demo organisation's vulnerability scans: a weekly Trivy scan of the tracking image
and a weekly Grype scan of the billing image, as the scanners write them (JSON).

Findings come and go: mediums and lows linger, highs are fixed within weeks, and one
critical a month is fixed in a week or two. The story the figures tell: last month two
criticals in billing's base image waited five weeks for an upgrade the invoicing rework
kept pushing back, so the time to patch criticals is over its line; two highs have no fix
upstream yet and stay open, and a critical found in tracking last week is still open.
Advisory ids are plainly fictional (`DEMO-2026-0142`); the packages are real names.
"""

from __future__ import annotations

import json
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from quarterdeck.services.computed import Window

__all__ = ["ScanFile", "write_scans"]


@dataclass(frozen=True, slots=True)
class ScanFile:
    name: str
    data: bytes
    findings: int


@dataclass(frozen=True, slots=True)
class _Image:
    scanner: str  # trivy or grype
    repository: str
    service: str


@dataclass(frozen=True, slots=True)
class _Advisory:
    package: str
    version: str
    fixed: str  # "" when no fix is published
    language: bool  # a Python package rather than an OS package
    title: str


@dataclass(frozen=True, slots=True)
class _Episode:
    image: int  # index in _IMAGES
    advisory: _Advisory
    ident: str
    severity: str  # CRITICAL, HIGH, MEDIUM, LOW
    first: int  # index of the first scan that shows it
    fixed: int | None  # index of the first scan without it; None: still open


_IMAGES = (
    _Image("trivy", "registry.harbourline.example/tracking-api", "tracking"),
    _Image("grype", "registry.harbourline.example/billing-worker", "billing"),
)
_ADVISORIES = (
    _Advisory("libssl3", "3.0.14-1", "3.0.15-1", False, "memory corruption in certificate parsing"),
    _Advisory("libc6", "2.36-9", "2.36-9.1", False, "buffer overflow in the dynamic loader"),
    _Advisory("zlib1g", "1.2.13", "1.2.13.1", False, "heap overflow when inflating a stream"),
    _Advisory("libcurl4", "7.88.1-10", "7.88.1-11", False, "heap overflow in a proxy handshake"),
    _Advisory("libxml2", "2.9.14", "2.9.14.1", False, "use after free in the XML reader"),
    _Advisory("libexpat1", "2.5.0-1", "2.5.0-2", False, "integer overflow in a parser buffer"),
    _Advisory("openssh-client", "9.2p1-2", "9.2p1-3", False, "race condition in a signal handler"),
    _Advisory("urllib3", "2.2.1", "2.2.2", True, "authorization header kept on redirects"),
    _Advisory("cryptography", "42.0.4", "42.0.8", True, "NULL dereference loading certificates"),
    _Advisory("jinja2", "3.1.3", "3.1.4", True, "sandbox escape through a filter"),
    _Advisory("gunicorn", "21.2.0", "22.0.0", True, "request smuggling through a crafted header"),
    _Advisory("pillow", "10.2.0", "10.3.0", True, "buffer overflow rendering a font"),
    _Advisory("requests", "2.31.0", "2.32.0", True, "certificate checks skipped after a retry"),
    _Advisory("setuptools", "69.0.2", "70.0.0", True, "code injection through a package URL"),
)
_UPSTREAM = (  # no fix published yet: the two highs that stay open
    _Advisory("libtiff6", "4.5.0-6", "", False, "out-of-bounds read decoding an image"),
    _Advisory("libaom3", "3.6.0-1", "", False, "heap overflow in the encoder"),
)


def _scan_times(start: datetime, now: datetime) -> list[datetime]:
    """Mondays shortly after 02:00 UTC, when the weekly scans run."""
    day = start.date() + timedelta(days=(7 - start.weekday()) % 7)
    found: list[datetime] = []
    while True:
        moment = datetime.combine(day, time(2, 4 + day.toordinal() % 31, 17), UTC)
        if moment >= now:
            return found
        found.append(moment)
        day += timedelta(days=7)


def _plan(
    rng: random.Random, times: Sequence[datetime], months: Sequence[Window]
) -> list[_Episode]:
    episodes: list[_Episode] = []
    serial = [141]

    def add(image: int, severity: str, first: int, fixed: int | None, advisory: _Advisory) -> None:
        serial[0] += rng.randint(1, 9)
        year = times[max(first, 0)].year
        ident = f"DEMO-{year}-{serial[0]:04d}"
        episodes.append(_Episode(image, advisory, ident, severity, max(first, 0), fixed))

    last = len(times)
    # Mediums and lows: some there from the first scan, more every few weeks, each fixed
    # after two to twelve weeks (or not yet).
    for image in range(len(_IMAGES)):
        for week in [0] * 5 + [rng.randrange(last) for _ in range(24)]:
            fixed = week + rng.randint(2, 12)
            severity = rng.choice(("MEDIUM", "MEDIUM", "LOW"))
            add(image, severity, week, fixed if fixed < last else None, rng.choice(_ADVISORIES))
        # Highs: a few a month, fixed within one to five weeks.
        for week in sorted(rng.randrange(last) for _ in range(18)):
            fixed = week + rng.randint(1, 5)
            add(image, "HIGH", week, fixed if fixed < last else None, rng.choice(_ADVISORIES))
        # One high per image with no fix upstream, open for months.
        add(image, "HIGH", last - 14 - 3 * image, None, _UPSTREAM[image])
    # Criticals: one a month fixed in a week or two; last month two in billing's base
    # image took five weeks.
    for index, month in enumerate(months):
        inside = [i for i, moment in enumerate(times) if month.start <= moment < month.end]
        if not inside:
            continue
        if index == len(months) - 1:
            for fixed in inside[-2:]:
                add(1, "CRITICAL", fixed - 5, fixed, rng.choice(_ADVISORIES[:7]))
            continue
        fixed = rng.choice(inside)
        add(index % 2, "CRITICAL", fixed - rng.randint(1, 2), fixed, rng.choice(_ADVISORIES))
    # Found in tracking's image last week, not fixed yet.
    add(0, "CRITICAL", last - 1, None, _ADVISORIES[3])
    return episodes


def write_scans(*, now: datetime, months: Sequence[Window]) -> list[ScanFile]:
    """Every weekly scan of both images over the year before `now`, oldest first. The
    criticals are placed by month (`months`, the security review periods, newest last)."""
    # Demo data, not secrets: a seeded generator is what makes the files repeatable.
    rng = random.Random(3107)  # noqa: S311
    times = _scan_times(now - timedelta(days=365), now)
    episodes = _plan(rng, times, months)
    files = []
    for index, moment in enumerate(times):
        for number, image in enumerate(_IMAGES):
            present = [
                e
                for e in episodes
                if e.image == number and e.first <= index and (e.fixed is None or index < e.fixed)
            ]
            version = f"{2 if image.service == 'billing' else 1}.{index // 4 + 3}.{index % 4}"
            reference = f"{image.repository}:{version}"
            if image.scanner == "trivy":
                document = _trivy(reference, moment, present)
            else:
                document = _grype(reference, moment, present)
            name = f"{image.service}-{moment:%Y-%m-%d}.{image.scanner}.json"
            files.append(ScanFile(name, json.dumps(document, indent=1).encode(), len(present)))
    return files


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000000000Z")


def _description(episode: _Episode) -> str:
    return (
        f"{episode.advisory.package}: {episode.advisory.title}. Fictional advisory in the "
        "Harbourline demo data generated by Quarterdeck."
    )


def _trivy(reference: str, moment: datetime, present: Sequence[_Episode]) -> dict[str, object]:
    def vulnerability(episode: _Episode) -> dict[str, object]:
        advisory = episode.advisory
        return {
            "VulnerabilityID": episode.ident,
            "PkgName": advisory.package,
            "InstalledVersion": advisory.version,
            "FixedVersion": advisory.fixed,
            "Status": "fixed" if advisory.fixed else "affected",
            "Severity": episode.severity,
            "Title": f"{advisory.package}: {advisory.title}",
            "Description": _description(episode),
        }

    os_packages = [vulnerability(e) for e in present if not e.advisory.language]
    python = [vulnerability(e) for e in present if e.advisory.language]
    return {
        "SchemaVersion": 2,
        "CreatedAt": _stamp(moment),
        "ArtifactName": reference,
        "ArtifactType": "container_image",
        "Metadata": {"OS": {"Family": "debian", "Name": "12.8"}, "RepoTags": [reference]},
        "Results": [
            {
                "Target": f"{reference} (debian 12.8)",
                "Class": "os-pkgs",
                "Type": "debian",
                "Vulnerabilities": os_packages,
            },
            {
                "Target": "Python",
                "Class": "lang-pkgs",
                "Type": "python-pkg",
                "Vulnerabilities": python,
            },
        ],
    }


def _grype(reference: str, moment: datetime, present: Sequence[_Episode]) -> dict[str, object]:
    def match(episode: _Episode) -> dict[str, object]:
        advisory = episode.advisory
        fixed = [advisory.fixed] if advisory.fixed else []
        path = (
            f"/usr/local/lib/python3.12/site-packages/{advisory.package}-{advisory.version}"
            ".dist-info/METADATA"
            if advisory.language
            else "/var/lib/dpkg/status"
        )
        return {
            "vulnerability": {
                "id": episode.ident,
                "severity": episode.severity.capitalize(),
                "description": _description(episode),
                "fix": {"versions": fixed, "state": "fixed" if fixed else "not-fixed"},
            },
            "relatedVulnerabilities": [],
            "artifact": {
                "name": advisory.package,
                "version": advisory.version,
                "type": "python" if advisory.language else "deb",
                "locations": [{"path": path}],
            },
        }

    return {
        "matches": [match(e) for e in present],
        "source": {"type": "image", "target": {"userInput": reference}},
        "distro": {"name": "debian", "version": "12"},
        "descriptor": {"name": "grype", "version": "0.86.1", "timestamp": _stamp(moment)},
    }
