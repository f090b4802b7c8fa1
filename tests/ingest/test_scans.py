"""Scanner files into scan reports: SARIF (CodeQL, Semgrep), Trivy, Grype and pip-audit, the
severity each format maps to, format detection, and a clear refusal of every broken file."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from quarterdeck.domain.engineering import Finding, ScanReport, Severity
from quarterdeck.domain.errors import InvalidInput
from quarterdeck.ingest.scans import ScanKind, detect_format, read_scan

FIXTURES = Path(__file__).parent / "fixtures" / "scans"
C, H, M, L, U = (
    Severity.CRITICAL,
    Severity.HIGH,
    Severity.MEDIUM,
    Severity.LOW,
    Severity.UNKNOWN,
)


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def read(name: str, **options: Any) -> ScanReport:
    return read_scan(fixture(name), name=name, **options)


def refusal(data: bytes, name: str = "scan.json", **options: Any) -> str:
    with pytest.raises(InvalidInput) as raised:
        read_scan(data, name=name, **options)
    return raised.value.message


def keys(report: ScanReport) -> list[tuple[str, Severity, str, str]]:
    return [(f.rule_id, f.severity, f.package, f.location) for f in report.findings]


def encode(document: object) -> bytes:
    return json.dumps(document).encode()


# --- SARIF ---------------------------------------------------------------------------------


def code_keys(report: ScanReport) -> list[tuple[str, Severity, str, str]]:
    """Rule, severity, file and title of each SARIF finding; every one of these fixtures'
    results has fingerprints, so each location is the file and a digest of them."""
    found = []
    for f in report.findings:
        path, mark, digest = f.location.partition("#")
        assert (f.package, mark, len(digest)) == ("", "#", 16), f.location
        found.append((f.rule_id, f.severity, path, f.title))
    return found


def test_codeql_sarif_is_read_with_scores_rules_from_the_query_pack_and_the_repository() -> None:
    report = read("codeql-python.sarif")
    assert report.scanner == "sarif:CodeQL"
    assert report.target == "https://github.com/acme/payments-api"
    assert report.scanned_at == datetime(2026, 2, 3, 10, 15, 42, 118000, tzinfo=UTC)
    sql = "SQL query built from user-controlled sources"
    assert code_keys(report) == [
        ("py/sql-injection", H, "payments/db.py", f"{sql} (line 42)"),
        (
            "py/command-line-injection",
            C,
            "payments/admin/tasks.py",
            "Uncontrolled command line (line 17)",
        ),
        ("py/flask-debug", H, "payments/app.py", "Flask app is run in debug mode (line 88)"),
        (
            "py/stack-trace-exposure",
            M,
            "payments/api/errors.py",
            "Information exposure through an exception (line 23)",
        ),
        ("py/unused-import", L, "payments/cli.py", "Unused import (line 3)"),
        ("py/sql-injection", H, "payments/reports.py", f"{sql} (line 130)"),
    ]


def test_semgrep_sarif_maps_levels_honours_a_score_and_leaves_out_suppressed_results() -> None:
    report = read("semgrep.sarif", target="https://github.com/acme/payments-api")
    assert (report.scanner, report.scanned_at) == ("sarif:Semgrep OSS", None)
    assert [key[:3] for key in code_keys(report)] == [
        (
            "python.flask.security.injection.tainted-sql-string.tainted-sql-string",
            H,  # level error; its "MEDIUM CONFIDENCE" tag is no severity
            "payments/db.py",
        ),
        (
            "python.requests.security.disabled-cert-validation.disabled-cert-validation",
            H,
            "payments/clients/bank.py",
        ),
        (
            "python.lang.security.audit.formatted-sql-query.formatted-sql-query",
            M,
            "payments/reports.py",
        ),
        (
            "python.lang.security.audit.insecure-transport.requests.request-with-http.request-with-http",
            L,
            "payments/clients/fx.py",
        ),
        ("acme.secrets.hardcoded-database-password", C, "deploy/settings/production.py"),
    ]  # the nosemgrep'd result in payments/clients/legacy.py is suppressed in source


def test_a_rule_description_that_only_restates_the_rule_id_gives_way_to_the_message() -> None:
    first, *_, last = read("semgrep.sarif", target="acme/payments-api").findings
    assert first.title == (
        "Detected user input used to manually construct a SQL string. This is usually bad "
        "practice because manual construction could accidentally result in a SQL injection. "
        "(line 42)"
    )
    assert last.title == "Hard-coded database password (line 19)"


def sarif(
    results: list[dict[str, Any]],
    rules: list[dict[str, Any]] | None = None,
    **run: Any,
) -> bytes:
    driver = {"name": "Scanner", "rules": rules or []}
    body = {"tool": {"driver": driver}, "results": results, **run}
    body.setdefault("versionControlProvenance", [{"repositoryUri": "https://git.test/acme/app"}])
    return encode({"version": "2.1.0", "runs": [body]})


def result(rule_id: str = "R1", **fields: Any) -> dict[str, Any]:
    return {"ruleId": rule_id, "message": {"text": "found"}, **fields}


def one_finding(data: bytes) -> Finding:
    (finding,) = read_scan(data, name="scan.sarif").findings
    return finding


@pytest.mark.parametrize(
    ("score", "severity"),
    [
        ("10.0", C),
        ("9.0", C),
        (9.8, C),
        ("8.9", H),
        ("7.0", H),
        ("6.9", M),
        ("4.0", M),
        ("3.9", L),
        ("0.1", L),
        ("0.0", M),  # no score: the level decides (here the default, warning)
    ],
)
def test_a_security_severity_score_falls_in_the_cvss_bands(
    score: object, severity: Severity
) -> None:
    rule = {"id": "R1", "properties": {"security-severity": score}}
    assert one_finding(sarif([result()], [rule])).severity == severity


@pytest.mark.parametrize(
    ("tags", "severity"),
    [
        (["vulnerability", "security", "HIGH"], H),  # Trivy's SARIF tags its rules so
        (["low", "Critical"], C),  # the highest named
        (["security", "HIGH CONFIDENCE"], M),  # a confidence, not a severity: the level decides
    ],
)
def test_a_severity_tag_counts_when_there_is_no_score(tags: list[str], severity: Severity) -> None:
    rule = {"id": "R1", "properties": {"tags": tags}}
    assert one_finding(sarif([result()], [rule])).severity == severity


@pytest.mark.parametrize(
    ("result_level", "default_level", "severity"),
    [
        ("error", None, H),
        ("warning", None, M),
        ("note", None, L),
        ("none", None, L),
        (None, "error", H),
        ("note", "error", L),  # the result's own level wins over the rule's default
        (None, None, M),  # SARIF's default level is warning
    ],
)
def test_without_score_or_tag_the_level_decides(
    result_level: str | None, default_level: str | None, severity: Severity
) -> None:
    rule: dict[str, Any] = {"id": "R1"}
    if default_level:
        rule["defaultConfiguration"] = {"level": default_level}
    fields = {"level": result_level} if result_level else {}
    assert one_finding(sarif([result(**fields)], [rule])).severity == severity


def test_only_failing_open_and_review_results_that_are_neither_gone_nor_suppressed_count() -> None:
    results = [
        result("fail"),
        result("open", kind="open"),
        result("review", kind="review"),
        result("pass", kind="pass"),
        result("na", kind="notApplicable"),
        result("info", kind="informational"),
        result("absent", baselineState="absent"),
        result("unchanged", baselineState="unchanged"),
        result("accepted", suppressions=[{"kind": "external", "status": "accepted"}]),
        result("in-source", suppressions=[{"kind": "inSource"}]),
        result("under-review", suppressions=[{"kind": "external", "status": "underReview"}]),
        result("rejected", suppressions=[{"kind": "external", "status": "rejected"}]),
    ]
    report = read_scan(sarif(results), name="scan.sarif")
    assert [f.rule_id for f in report.findings] == [
        "fail",
        "open",
        "review",
        "unchanged",
        "under-review",
        "rejected",
    ]


def test_a_rule_is_found_by_index_in_the_driver_or_an_extension_and_by_hierarchical_id() -> None:
    pack_rule = {"id": "pack/R9", "shortDescription": {"text": "From the pack"}}
    run_tool = {
        "driver": {"name": "Scanner", "rules": [{"id": "R0"}, {"id": "R1", "name": "Rule one"}]},
        "extensions": [{"name": "pack", "rules": [pack_rule]}],
    }
    results = [
        {"ruleIndex": 1, "message": {"text": "by index"}},
        {"rule": {"index": 0, "toolComponent": {"index": 0}}, "message": {"text": "in pack"}},
        {"ruleId": "R1/2", "message": {}},
    ]
    document = {
        "version": "2.1.0",
        "runs": [{"tool": run_tool, "results": results}],
    }
    report = read_scan(encode(document), name="scan.sarif", target="app")
    assert [(f.rule_id, f.title) for f in report.findings] == [
        ("R1", "by index"),
        ("pack/R9", "From the pack"),
        ("R1/2", "Rule one"),  # the message is empty: the rule's name stands in
    ]


def test_a_location_given_only_as_an_artifact_index_is_resolved() -> None:
    location = {"physicalLocation": {"artifactLocation": {"index": 1}, "region": {"startLine": 7}}}
    artifacts = [{"location": {"uri": "a.py"}}, {"location": {"uri": "src/b.py"}}]
    data = sarif([result(locations=[location])], artifacts=artifacts)
    assert (one_finding(data).location, one_finding(data).title) == ("src/b.py", "found (line 7)")


def test_a_finding_without_a_file_has_no_location() -> None:
    logical = [{"logicalLocations": [{"fullyQualifiedName": "app.main"}]}]
    assert one_finding(sarif([result(locations=logical)])).location == ""


def test_runs_of_several_tools_make_one_scan_at_the_latest_time() -> None:
    def run(name: str, invocation: dict[str, Any]) -> dict[str, Any]:
        return {"tool": {"driver": {"name": name}}, "invocations": [invocation], "results": []}

    document = {
        "version": "2.1.0",
        "runs": [
            run("CodeQL", {"executionSuccessful": True, "endTimeUtc": "2026-02-03T10:00:00Z"}),
            run("CodeQL", {"startTimeUtc": "2026-02-03T11:30:00+01:00"}),
            run("Gitleaks", {"endTimeUtc": "2026-02-03T10:20:00Z"}),
        ],
    }
    report = read_scan(encode(document), name="scan.sarif", target="acme/app")
    assert report.scanner == "sarif:CodeQL+Gitleaks"
    assert report.scanned_at == datetime(2026, 2, 3, 10, 30, tzinfo=UTC)


# --- Trivy, Grype, pip-audit ---------------------------------------------------------------


def test_trivy_image_scan_gives_vulnerabilities_failed_checks_and_secrets() -> None:
    report = read("trivy-image.json")
    assert report.scanner == "trivy"
    assert report.target == "ghcr.io/acme/payments-api:1.4.2"
    assert report.scanned_at == datetime(2026, 2, 3, 10, 2, 17, 482913, tzinfo=UTC)
    os_packages = "ghcr.io/acme/payments-api:1.4.2 (debian 12.4)"
    site = "usr/local/lib/python3.12/site-packages"
    assert keys(report) == [
        ("CVE-2023-4911", H, "libc6@2.36-9+deb12u1", os_packages),
        ("CVE-2024-0727", M, "libssl3@3.0.11-1~deb12u2", os_packages),
        ("CVE-2024-0727", M, "openssl@3.0.11-1~deb12u2", os_packages),
        ("CVE-2023-45853", C, "zlib1g@1:1.2.13.dfsg-1", os_packages),
        ("CVE-2024-22195", M, "Jinja2@3.1.2", f"{site}/Jinja2-3.1.2.dist-info/METADATA"),
        (
            "CVE-2023-50782",
            H,
            "cryptography@41.0.7",
            f"{site}/cryptography-41.0.7.dist-info/METADATA",
        ),
        ("aws-access-key-id", C, "", "/app/.env.example:4"),
        ("DS002", H, "", "Dockerfile"),  # DS026 passed
        ("DS013", M, "", "Dockerfile:9"),
    ]
    titles = [finding.title for finding in report.findings]
    assert titles[0] == "glibc: buffer overflow in ld.so leading to privilege escalation"
    assert titles[6] == "AWS Access Key ID"  # the matched secret text is never read
    assert "*" not in " ".join(titles)


def test_titles_lose_line_breaks_and_terminal_escapes() -> None:
    item = {
        "VulnerabilityID": "CVE-1",
        "PkgName": "zlib",
        "Severity": "LOW",
        "Title": "zlib:\n  overflow \u001b[31min\u001b[0m inflate",
    }
    document = {"SchemaVersion": 2, "ArtifactName": "app", "Results": [{"Vulnerabilities": [item]}]}
    (finding,) = read_scan(encode(document), name="trivy.json").findings
    assert (finding.title, finding.package) == ("zlib: overflow [31min[0m inflate", "zlib")


def test_a_clean_trivy_scan_has_no_results_and_no_findings() -> None:
    document = {
        "SchemaVersion": 2,
        "ArtifactName": "alpine:3.19",
        "ArtifactType": "container_image",
    }
    report = read_scan(encode(document), name="trivy.json")
    assert (report.target, report.scanned_at, report.findings) == ("alpine:3.19", None, ())


def test_grype_image_scan_maps_negligible_to_low_and_skips_ignored_matches() -> None:
    report = read("grype-image.json")
    assert report.scanner == "grype"
    assert report.target == "registry.acme.test/billing-worker:2.7.0"
    assert report.scanned_at == datetime(2026, 2, 4, 8, 30, 5, 918273, tzinfo=UTC)
    apk_db = "/lib/apk/db/installed"
    assert keys(report) == [
        ("CVE-2023-45853", C, "zlib@1.2.13-r1", apk_db),
        (
            "GHSA-r9hx-vwmv-q579",
            H,
            "setuptools@65.5.0",
            "/usr/local/lib/python3.11/site-packages/setuptools-65.5.0.dist-info/METADATA",
        ),
        ("CVE-2024-0727", M, "libcrypto3@3.1.4-r1", apk_db),
        ("CVE-2023-50495", L, "ncurses-libs@6.4_p20230506-r0", apk_db),
        ("GHSA-2g68-c3qc-8985", U, "@babel/traverse@7.22.5", "/app/ui/package-lock.json"),
    ]  # busybox's CVE-2023-42363 is an ignored match
    zlib, setuptools = report.findings[:2]
    assert zlib.title == (  # clipped to at most 200 characters
        "MiniZip in zlib through 1.3 has an integer overflow and resultant heap-based buffer "
        "overflow in zipOpenNewFileInZip4_64 via a long filename, comment, or extra field. "
        "NOTE: MiniZip is not a supported…"
    )
    assert (
        setuptools.title
        == "pypa/setuptools vulnerable to Regular Expression Denial of Service (ReDoS)"
    )


def test_a_grype_directory_scan_names_its_path_as_target() -> None:
    document = {
        "matches": [],
        "source": {"type": "directory", "target": "/home/runner/work/app"},
        "descriptor": {"name": "grype", "timestamp": "2026-02-04T09:00:00+02:00"},
    }
    report = read_scan(encode(document), name="grype.json")
    assert report.target == "/home/runner/work/app"
    assert report.scanned_at == datetime(2026, 2, 4, 7, tzinfo=UTC)


def test_pip_audit_findings_have_unknown_severity_and_skipped_dependencies_are_left_out() -> None:
    report = read("pip-audit.json", target="acme/payments-api")
    assert (report.scanner, report.target, report.scanned_at) == (
        "pip-audit",
        "acme/payments-api",
        None,
    )
    assert keys(report) == [
        ("PYSEC-2023-62", U, "flask@2.2.2", ""),
        ("GHSA-j8r2-6x86-q33q", U, "requests@2.28.1", ""),
        ("GHSA-9wx4-h78v-vm56", U, "requests@2.28.1", ""),
    ]
    assert report.findings[1].title == (
        "Requests is a HTTP library. Since Requests 2.3.0, Requests has been leaking "
        "Proxy-Authorization headers to destination servers when redirected to an HTTPS endpoint."
    )


def test_the_older_pip_audit_list_is_read_too() -> None:
    report = read("pip-audit-legacy.json", target="acme/payments-api")
    assert keys(report) == [
        ("PYSEC-2022-42986", U, "certifi@2022.9.24", ""),
        ("PYSEC-2023-12", U, "django@4.1.3", ""),
    ]


# --- Detection and forced formats ----------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("codeql-python.sarif", ScanKind.SARIF),
        ("semgrep.sarif", ScanKind.SARIF),
        ("trivy-image.json", ScanKind.TRIVY),
        ("trivy-legacy.json", ScanKind.TRIVY),
        ("grype-image.json", ScanKind.GRYPE),
        ("pip-audit.json", ScanKind.PIP_AUDIT),
        ("pip-audit-legacy.json", ScanKind.PIP_AUDIT),
        ("cyclonedx-sbom.json", None),
    ],
)
def test_the_format_is_told_from_the_content(name: str, kind: ScanKind | None) -> None:
    assert detect_format(json.loads(fixture(name))) == kind


@pytest.mark.parametrize(
    ("document", "kind"),
    [
        ([], ScanKind.PIP_AUDIT),  # an old pip-audit run over nothing
        ({"dependencies": []}, ScanKind.PIP_AUDIT),
        ({"dependencies": [{"ref": "pkg:pypi/flask@2.2.2"}]}, None),
        ({"matches": []}, None),
        ({"SchemaVersion": 2}, None),
        ({}, None),
        ([1, 2], None),
        ("runs", None),
    ],
)
def test_detection_needs_the_marks_of_one_format(document: object, kind: ScanKind | None) -> None:
    assert detect_format(document) == kind


def test_a_forced_format_that_matches_is_read_and_a_blank_one_means_detect() -> None:
    assert read("grype-image.json", kind="grype").scanner == "grype"
    assert read("pip-audit.json", kind="PIP-AUDIT", target="app").scanner == "pip-audit"
    assert read("trivy-image.json", kind=" ").scanner == "trivy"


@pytest.mark.parametrize(
    ("name", "kind", "message"),
    [
        (
            "grype-image.json",
            "sarif",
            "grype-image.json: this looks like a Grype report, not SARIF",
        ),
        (
            "codeql-python.sarif",
            "trivy",
            "codeql-python.sarif: this looks like a SARIF report, not Trivy",
        ),
        (
            "trivy-image.json",
            "pip-audit",
            "trivy-image.json: this looks like a Trivy report, not pip-audit",
        ),
        (
            "cyclonedx-sbom.json",
            "pip-audit",
            "cyclonedx-sbom.json is not a pip-audit report: "
            "a pip-audit report is a list of dependencies or has one",
        ),
        (
            "grype-image.json",
            "nessus",
            "unknown scan format 'nessus'; choose one of sarif, trivy, grype, pip-audit",
        ),
    ],
)
def test_a_forced_format_that_does_not_match_is_refused(name: str, kind: str, message: str) -> None:
    assert refusal(fixture(name), name, kind=kind) == message


# --- Targets -------------------------------------------------------------------------------


def test_a_given_target_replaces_the_one_in_the_file() -> None:
    report = read("trivy-image.json", target="  payments-api  ")
    assert report.target == "payments-api"


@pytest.mark.parametrize("name", ["semgrep.sarif", "pip-audit.json", "pip-audit-legacy.json"])
def test_a_file_that_names_no_target_needs_one_from_the_caller(name: str) -> None:
    assert refusal(fixture(name), name) == (
        f"{name} does not say what was scanned; give the target "
        "(the repository, image or project the scan is of)"
    )


def test_an_overlong_target_is_refused() -> None:
    message = refusal(fixture("pip-audit.json"), target="x" * 501)
    assert message == "the target is longer than 500 characters"


# --- Broken files --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (
            "broken-truncated.sarif",
            "broken-truncated.sarif is not valid JSON: Expecting property name enclosed in "
            "double quotes at line 30, column 14",
        ),
        ("broken-latin-1.json", "broken-latin-1.json is not UTF-8 text (bad byte at offset 472)"),
        (
            "broken-duplicate-key.json",
            "broken-duplicate-key.json is not valid JSON: the key 'Severity' appears twice in "
            "one object",
        ),
        (
            "broken-sarif-2.0.0.sarif",
            "broken-sarif-2.0.0.sarif is SARIF version 2.0.0; only 2.1.0 is read",
        ),
        (
            "broken-sarif-start-line.sarif",
            "broken-sarif-start-line.sarif is not valid: "
            "runs[0].results[2].locations[0].physicalLocation.region.startLine: "
            'must be a whole number, not the string "130"',
        ),
        (
            "broken-sarif-security-severity.sarif",
            "broken-sarif-security-severity.sarif is not valid: "
            "runs[0].tool.driver.rules[4].properties.security-severity: "
            'must be a CVSS score from 0.0 to 10.0, not the string "high"',
        ),
        (
            "broken-sarif-failed-run.sarif",
            "broken-sarif-failed-run.sarif is not valid: "
            "runs[0].invocations[0].executionSuccessful: "
            "the scan did not finish, so a finding missing from it may not be fixed",
        ),
        (
            "broken-trivy-severity.json",
            "broken-trivy-severity.json is not valid: Results[0].Vulnerabilities[1].Severity: "
            'must be one of CRITICAL, HIGH, MEDIUM, LOW, UNKNOWN, not the string "SEVERE"',
        ),
        (
            "broken-grype-no-id.json",
            "broken-grype-no-id.json is not valid: matches[1].vulnerability.id: is required",
        ),
        (
            "trivy-legacy.json",
            "trivy-legacy.json is a Trivy report from before JSON schema version 2 "
            "(Trivy 0.20); scan again with a current Trivy",
        ),
        (
            "cyclonedx-sbom.json",
            "cyclonedx-sbom.json is not a scan report Quarterdeck can read: expected SARIF "
            "2.1.0, or the JSON output of Trivy, Grype or pip-audit",
        ),
    ],
)
def test_a_broken_file_is_refused_naming_the_file_and_the_field(name: str, message: str) -> None:
    assert refusal(fixture(name), name) == message


def test_a_file_over_the_size_limit_is_refused_before_it_is_parsed() -> None:
    data = fixture("codeql-python.sarif")
    assert refusal(data, "codeql-python.sarif", max_bytes=1000) == (
        f"codeql-python.sarif is {len(data):,} bytes, more than the import limit of 1,000 "
        "bytes (QUARTERDECK_IMPORT_MAX_BYTES)"
    )


def test_utf16_text_is_refused_with_what_to_do_and_a_utf8_byte_order_mark_is_accepted() -> None:
    text = fixture("trivy-image.json").decode()
    assert refusal(text.encode("utf-16"), "trivy.json") == (
        "trivy.json is UTF-16 text; save it as UTF-8 and import it again"
    )
    with_bom = read_scan(text.encode("utf-8-sig"), name="trivy.json")
    assert len(with_bom.findings) == 9


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b'"runs"', 'scan.json must hold a JSON object or list, not the string "runs"'),
        (b"42", "scan.json must hold a JSON object or list, not the number 42"),
        (
            b'{"version": "2.1.0", "runs": NaN}',
            "scan.json is not valid JSON: NaN is not allowed in JSON",
        ),
        (
            b'{"SchemaVersion": 2, "ArtifactName": "app\\u0000"}',
            "scan.json is not valid: ArtifactName: contains NUL",
        ),
        (
            b'{"version": "2.1.0", "runs": [' + b"[" * 70 + b"]" * 70 + b"]}",
            "scan.json is not valid: runs[0][0][0]...: nested deeper than 64",
        ),
    ],
)
def test_hostile_or_odd_json_is_refused(data: bytes, message: str) -> None:
    assert refusal(data) == message


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({"version": "2.1.0", "runs": {}}, "runs: must be a list, not an object"),
        ({"version": "2.1.0", "runs": []}, "runs: holds no run, so there is no scan to import"),
        (
            {"version": "2.1.0", "runs": ["CodeQL"]},
            'runs[0]: must be an object, not the string "CodeQL"',
        ),
        ({"version": "2.1.0", "runs": [{}]}, "runs[0].tool: is required"),
        (
            {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": 42}}}]},
            "runs[0].tool.driver.name: must be a string, not the number 42",
        ),
        (
            {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": " "}}}]},
            "runs[0].tool.driver.name: must not be empty",
        ),
        (
            {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "X"}}, "results": [{}]}]},
            "runs[0].results[0]: names no rule (it has no ruleId, rule.id or ruleIndex)",
        ),
        (
            {
                "version": "2.1.0",
                "runs": [{"tool": {"driver": {"name": "X"}}, "results": [{"ruleIndex": 3}]}],
            },
            "runs[0].results[0].ruleIndex: names rule 3, but the tool lists 0 rules",
        ),
        (
            {
                "version": "2.1.0",
                "runs": [{"tool": {"driver": {"name": "X"}}, "results": [result(kind="bug")]}],
            },
            "runs[0].results[0].kind: must be one of fail, informational, notApplicable, open, "
            'pass, review, not the string "bug"',
        ),
        (
            {
                "version": "2.1.0",
                "runs": [{"tool": {"driver": {"name": "X"}}, "results": [result(level="fatal")]}],
            },
            "runs[0].results[0].level: must be one of error, warning, note, none, "
            'not the string "fatal"',
        ),
        (
            {"SchemaVersion": 2, "ArtifactName": "app", "CreatedAt": "2026-02-03T11:02:17"},
            "CreatedAt: has no time zone; must be an ISO 8601 time with its zone, "
            "e.g. 2026-01-31T09:00:00Z",
        ),
        (
            {"SchemaVersion": 2, "ArtifactName": "app", "CreatedAt": "yesterday"},
            "CreatedAt: must be an ISO 8601 time with its zone, e.g. 2026-01-31T09:00:00Z, "
            'not the string "yesterday"',
        ),
        (
            {"SchemaVersion": 1, "ArtifactName": "app"},
            "SchemaVersion: only Trivy JSON schema version 2 is read, not the number 1",
        ),
        (
            {"SchemaVersion": 2, "Results": [{"Target": "Python", "Vulnerabilities": [{}]}]},
            "Results[0].Vulnerabilities[0].VulnerabilityID: is required",
        ),
        (
            {"SchemaVersion": 2, "Results": [{"Vulnerabilities": {"CVE-1": {}}}]},
            "Results[0].Vulnerabilities: must be a list, not an object",
        ),
        (
            {"matches": [{"vulnerability": {"id": "CVE-1"}}], "source": {"target": "."}},
            "matches[0].artifact: is required",
        ),
        (
            {"matches": [], "source": {"target": ["alpine"]}},
            "source.target: must be a string, not a list",
        ),
        (
            {"dependencies": [{"name": "flask", "version": "2.2.2", "vulns": [{"id": 7}]}]},
            "dependencies[0].vulns[0].id: must be a string, not the number 7",
        ),
        (
            {"dependencies": [{"name": "x" * 300, "version": "1.0", "vulns": []}]},
            "dependencies[0].name: name and version are over 300 characters",
        ),
    ],
)
def test_a_malformed_field_is_named_by_its_json_path(document: object, message: str) -> None:
    assert refusal(encode(document), target="app") == f"scan.json is not valid: {message}"
