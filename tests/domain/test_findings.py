"""Findings followed across scans: first seen, fixed, re-opened; time to patch by severity
and open counts, per target and scanner."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from quarterdeck.domain.engineering import Finding, ScanReport, Severity
from quarterdeck.domain.errors import InvalidInput
from quarterdeck.domain.findings import (
    ImportedScan,
    PatchTime,
    TrackedFinding,
    open_counts,
    target_key,
    time_to_patch,
    track,
)

T0 = datetime(2026, 1, 5, 9, tzinfo=UTC)
IMAGE = "ghcr.io/acme/payments-api"
REPO = "https://github.com/acme/web"
C, H, M, L, U = (
    Severity.CRITICAL,
    Severity.HIGH,
    Severity.MEDIUM,
    Severity.LOW,
    Severity.UNKNOWN,
)


def day(n: float) -> datetime:
    return T0 + timedelta(days=n)


def vuln(cve: str, severity: Severity = H, package: str = "openssl@3.0.11") -> Finding:
    return Finding(cve, severity, package)


def scan(
    at: datetime | None,
    *findings: Finding,
    target: str = IMAGE,
    scanner: str = "trivy",
    imported_at: datetime | None = None,
) -> ImportedScan:
    report = ScanReport(scanner, target, at, findings)
    return ImportedScan(report, imported_at or at or T0)


def episodes(tracked: list[TrackedFinding]) -> list[tuple[str, datetime, datetime | None, int]]:
    return [(t.finding.rule_id, t.first_seen, t.fixed_at, t.episode) for t in tracked]


# --- Tracking ------------------------------------------------------------------------------


def test_a_finding_is_fixed_at_the_first_later_scan_without_it() -> None:
    a, b = vuln("CVE-A"), vuln("CVE-B", package="zlib@1.2.13")
    tracked = track([scan(day(0), a, b), scan(day(3), a), scan(day(10))])
    assert episodes(tracked) == [("CVE-A", day(0), day(10), 1), ("CVE-B", day(0), day(3), 1)]
    assert [t.last_seen for t in tracked] == [day(3), day(0)]
    assert [t.days_to_fix for t in tracked] == [10.0, 3.0]


def test_without_a_later_scan_a_finding_stays_open() -> None:
    (tracked,) = track([scan(day(0), vuln("CVE-A")), scan(day(30), vuln("CVE-A"))])
    assert (tracked.fixed_at, tracked.days_to_fix, tracked.last_seen) == (None, None, day(30))


def test_findings_already_there_at_a_targets_first_scan_are_marked() -> None:
    tracked = track([scan(day(0), vuln("CVE-OLD")), scan(day(2), vuln("CVE-OLD"), vuln("CVE-NEW"))])
    assert [(t.finding.rule_id, t.in_first_scan) for t in tracked] == [
        ("CVE-OLD", True),
        ("CVE-NEW", False),
    ]


def test_a_finding_that_comes_back_after_a_fix_is_reopened_as_a_new_episode() -> None:
    a = vuln("CVE-A")
    tracked = track([scan(day(0), a), scan(day(5)), scan(day(9), a), scan(day(20))])
    assert episodes(tracked) == [("CVE-A", day(0), day(5), 1), ("CVE-A", day(9), day(20), 2)]
    assert [t.in_first_scan for t in tracked] == [True, False]


def test_an_upgrade_that_keeps_the_vulnerability_is_the_same_finding() -> None:
    before = vuln("CVE-2023-4911", package="libc6@2.36-9+deb12u1")
    after = vuln("CVE-2023-4911", package="libc6@2.36-9+deb12u3")
    (tracked,) = track([scan(day(0), before), scan(day(4), after)])
    assert (tracked.first_seen, tracked.fixed_at, tracked.finding) == (day(0), None, after)


def test_the_severity_is_the_one_seen_last_and_the_highest_of_duplicates_in_a_scan() -> None:
    tracked = track(
        [
            scan(day(0), vuln("CVE-A", M)),
            scan(day(3), vuln("CVE-A", L), vuln("CVE-A", C, package="openssl@3.0.12")),
            scan(day(7)),
        ]
    )
    assert [(t.severity, t.finding.package, t.fixed_at) for t in tracked] == [
        (C, "openssl@3.0.12", day(7))
    ]


def test_scans_of_two_targets_never_fix_each_others_findings() -> None:
    a = vuln("CVE-A")
    tracked = track(
        [
            scan(day(0), a, target=IMAGE),
            scan(day(1), a, target=REPO),
            scan(day(2), target=IMAGE),
            scan(day(6), a, target=REPO),
        ]
    )
    assert [(t.target, t.first_seen, t.fixed_at) for t in tracked] == [
        (IMAGE, day(0), day(2)),
        (REPO, day(1), None),
    ]


def test_another_scanner_silent_about_a_finding_does_not_fix_it() -> None:
    a = vuln("CVE-A")
    tracked = track([scan(day(0), a, scanner="trivy"), scan(day(1), scanner="pip-audit")])
    assert episodes(tracked) == [("CVE-A", day(0), None, 1)]


def test_scans_of_one_image_at_new_tags_are_one_target_so_a_new_tag_can_fix() -> None:
    a = vuln("CVE-A")
    tracked = track(
        [scan(day(0), a, target=f"{IMAGE}:1.4.2"), scan(day(8), target=f"{IMAGE}:1.4.3")]
    )
    assert [(t.target, t.fixed_at) for t in tracked] == [(IMAGE, day(8))]


@pytest.mark.parametrize(
    ("target", "key"),
    [
        ("ghcr.io/acme/payments-api:1.4.2", "ghcr.io/acme/payments-api"),
        ("alpine:3.19", "alpine"),
        ("ghcr.io/acme/api@sha256:" + "ab" * 32, "ghcr.io/acme/api"),
        ("ghcr.io/acme/api:1.4.2@sha256:" + "ab" * 32, "ghcr.io/acme/api"),
        ("localhost:5000/billing", "localhost:5000/billing"),
        ("localhost:5000/billing:2.7.0", "localhost:5000/billing"),
        ("https://github.com/acme/web", "https://github.com/acme/web"),
        ("https://git.acme.test:8443", "https://git.acme.test:8443"),
        ("git@github.com:acme/web.git", "git@github.com:acme/web.git"),
        ("/home/runner/work/app", "/home/runner/work/app"),
        (r"C:\src\app", r"C:\src\app"),
        (" acme/payments-api ", "acme/payments-api"),
    ],
)
def test_the_target_key_drops_only_an_image_tag_or_digest(target: str, key: str) -> None:
    assert target_key(target) == key


def test_a_scan_without_its_own_time_is_placed_at_its_import_time() -> None:
    a = vuln("CVE-A")
    scans = [
        scan(None, target="acme/app", scanner="pip-audit", imported_at=day(6)),
        scan(None, a, target="acme/app", scanner="pip-audit", imported_at=day(1)),
    ]
    assert episodes(track(scans)) == [("CVE-A", day(1), day(6), 1)]


def test_scans_are_put_in_time_order_and_scans_at_one_time_keep_the_order_given() -> None:
    a = vuln("CVE-A")
    out_of_order = [scan(day(5)), scan(day(0), a), scan(day(5), a)]
    # day 0: seen; day 5: first the empty scan fixes it, then the next scan re-opens it
    assert episodes(track(out_of_order)) == [
        ("CVE-A", day(0), day(5), 1),
        ("CVE-A", day(5), None, 2),
    ]


def test_an_import_time_without_a_zone_is_refused() -> None:
    report = ScanReport("pip-audit", "acme/app", None, ())
    with pytest.raises(InvalidInput, match="import time has no time zone"):
        ImportedScan(report, datetime(2026, 1, 5, 9))


def test_scoped_npm_packages_keep_their_own_identity() -> None:
    traverse = vuln("GHSA-X", package="@babel/traverse@7.22.5")
    core = vuln("GHSA-X", package="@babel/core@7.22.5")
    assert len(track([scan(day(0), traverse, core)])) == 2


# --- Time to patch and open counts ---------------------------------------------------------


@pytest.fixture
def estate() -> list[TrackedFinding]:
    """Two targets. Image (Trivy): critical C1, C2 and high H1 at day 0; C2 fixed day 2, C1
    day 4; C3 appears day 6, H1 fixed day 9, C3 day 13. Repository (Grype): criticals C4
    and C5 at day 1; C5 fixed day 11; C4 still open."""
    c1, c2, c3 = vuln("C1", C), vuln("C2", C), vuln("C3", C)
    h1 = vuln("H1", H)
    c4, c5 = vuln("C4", C), vuln("C5", C)
    return track(
        [
            scan(day(0), c1, c2, h1),
            scan(day(1), c4, c5, target=REPO, scanner="grype"),
            scan(day(2), c1, h1),
            scan(day(4), h1),
            scan(day(6), h1, c3),
            scan(day(9), c3),
            scan(day(11), c4, target=REPO, scanner="grype"),
            scan(day(13)),
        ]
    )


def test_time_to_patch_is_the_interpolated_median_per_severity_with_its_counts(
    estate: list[TrackedFinding],
) -> None:
    # Criticals fixed after 2 (C2), 4 (C1), 7 (C3) and 10 (C5) days: median (4 + 7) / 2.
    assert time_to_patch(estate) == {
        C: PatchTime(C, 5.5, fixed=4, still_open=1),
        H: PatchTime(H, 9.0, fixed=1, still_open=0),
        M: PatchTime(M, None, fixed=0, still_open=0),
        L: PatchTime(L, None, fixed=0, still_open=0),
        U: PatchTime(U, None, fixed=0, still_open=0),
    }


def test_time_to_patch_counts_the_fixes_inside_a_window(estate: list[TrackedFinding]) -> None:
    assert time_to_patch(estate, since=day(5))[C] == PatchTime(C, 8.5, fixed=2, still_open=1)
    # Up to day 10: C2 and C1 fixed; C3, C4 and C5 open on day 10.
    assert time_to_patch(estate, until=day(10))[C] == PatchTime(C, 3.0, fixed=2, still_open=3)
    assert time_to_patch(estate, since=day(4), until=day(4))[C] == PatchTime(C, 4.0, 1, 2)


def test_a_window_that_ends_before_it_starts_is_refused(estate: list[TrackedFinding]) -> None:
    with pytest.raises(InvalidInput, match="ends before it starts"):
        time_to_patch(estate, since=day(5), until=day(4))


def test_fixed_hours_count_as_fractions_of_a_day() -> None:
    tracked = track([scan(day(0), vuln("CVE-A")), scan(day(0) + timedelta(hours=18))])
    assert time_to_patch(tracked)[H] == PatchTime(H, 0.75, fixed=1, still_open=0)


@pytest.mark.parametrize(
    ("moment", "critical", "high"),
    [
        (day(0) - timedelta(hours=1), 0, 0),  # before any scan
        (day(0), 2, 1),  # C1, C2; H1
        (day(3), 3, 1),  # C1, C4, C5 (C2 fixed on day 2)
        (day(4), 2, 1),  # the day-4 scan fixed C1
        (day(6), 3, 1),  # C3 appeared
        (day(12), 2, 0),  # C3 and C4 (H1 fixed day 9, C5 day 11)
        (day(13), 1, 0),  # C4 only: no later scan of the repository, so it stays open
        (day(400), 1, 0),
    ],
)
def test_open_counts_at_a_moment(
    estate: list[TrackedFinding], moment: datetime, critical: int, high: int
) -> None:
    counts = open_counts(estate, as_of=moment)
    assert (counts[C], counts[H]) == (critical, high)
    assert list(counts) == [C, H, M, L, U]


def test_a_reopened_finding_counts_again_in_time_to_patch_and_open_counts() -> None:
    a = vuln("CVE-A", C)
    tracked = track([scan(day(0), a), scan(day(2)), scan(day(10), a), scan(day(16))])
    assert time_to_patch(tracked)[C] == PatchTime(C, 4.0, fixed=2, still_open=0)  # 2 and 6
    assert open_counts(tracked, as_of=day(1))[C] == 1
    assert open_counts(tracked, as_of=day(5))[C] == 0
    assert open_counts(tracked, as_of=day(12))[C] == 1
