"""Dependency and image scanners' JSON: Trivy, Grype and pip-audit.

Each vulnerability becomes a finding whose rule id is the vulnerability id and whose
package is "name@version" (the identity keeps the name only, so an upgrade that still
carries the vulnerability is the same finding, and one that removes it is a fix).

Severity:
- Trivy: its own `Severity` word: CRITICAL, HIGH, MEDIUM, LOW, UNKNOWN, one to one.
- Grype: `vulnerability.severity`: Critical, High, Medium, Low one to one; Negligible ->
  low; Unknown -> unknown.
- pip-audit: its JSON carries no severity at all (neither format), so every finding is
  unknown. Its findings therefore never count as critical or high: an audit that needs
  them should scan the same environment with Trivy or Grype as well.
A word outside these lists is refused with the path at fault, never read as unknown.
"""

from __future__ import annotations

from quarterdeck.domain.engineering import Finding, ScanReport, Severity
from quarterdeck.domain.errors import InvalidInput
from quarterdeck.ingest.scan_fields import (
    MAX_LOCATION,
    MAX_PACKAGE,
    MAX_RULE_ID,
    MAX_TARGET,
    MAX_TITLE,
    Node,
    clip,
    describe,
)

__all__ = ["GRYPE_SEVERITIES", "TRIVY_SEVERITIES", "read_grype", "read_pip_audit", "read_trivy"]

TRIVY_SEVERITIES = {
    "CRITICAL": Severity.CRITICAL,
    "HIGH": Severity.HIGH,
    "MEDIUM": Severity.MEDIUM,
    "LOW": Severity.LOW,
    "UNKNOWN": Severity.UNKNOWN,
}
GRYPE_SEVERITIES = {
    "Critical": Severity.CRITICAL,
    "High": Severity.HIGH,
    "Medium": Severity.MEDIUM,
    "Low": Severity.LOW,
    "Negligible": Severity.LOW,
    "Unknown": Severity.UNKNOWN,
}


def _package(node: Node, name_key: str, version_key: str) -> str:
    name = node.text(name_key, required=True)
    version = node.text(version_key)
    package = f"{name}@{version}" if version else name
    if len(package) > MAX_PACKAGE:
        raise node.child(name_key).problem(f"name and version are over {MAX_PACKAGE} characters")
    return package


def _at_line(place: str, line: int | None, node: Node) -> str:
    location = f"{place}:{line}" if place and line and line > 0 else place
    if len(location) > MAX_LOCATION:
        raise node.problem(f"the location is longer than {MAX_LOCATION} characters")
    return location


# --- Trivy ---------------------------------------------------------------------------------


def read_trivy(root: Node) -> ScanReport:
    """A Trivy JSON report (schema version 2, Trivy 0.20 and later): vulnerabilities, failed
    misconfiguration checks and secrets, from every result. The target is `ArtifactName`
    and the time `CreatedAt` (written since Trivy 0.47; older reports have none).

    Misconfigurations count when their Status is FAIL (PASS and EXCEPTION rows appear only
    with --include-non-failures); their identity is the check id and "file:line". A
    secret's identity is its rule id and "file:line"; the matched text is never read."""
    if isinstance(root.value, list):
        raise InvalidInput(
            f"{root.source} is a Trivy report from before JSON schema version 2 (Trivy 0.20); "
            "scan again with a current Trivy"
        )
    version = root.child("SchemaVersion")
    if version.value != 2:
        raise version.problem(
            f"only Trivy JSON schema version 2 is read, not {describe(version.value)}"
        )
    findings: list[Finding] = []
    for result in root.objects("Results"):
        place = result.text("Target")
        findings.extend(
            _trivy_vulnerability(item, place) for item in result.objects("Vulnerabilities")
        )
        for check in result.objects("Misconfigurations"):
            if check.text("Status").upper() in {"", "FAIL"}:
                findings.append(_trivy_check(check, place))
        findings.extend(_trivy_secret(item, place) for item in result.objects("Secrets"))
    return ScanReport(
        scanner="trivy",
        target=root.text("ArtifactName", limit=MAX_TARGET),
        scanned_at=root.time("CreatedAt"),
        findings=tuple(findings),
    )


def _trivy_vulnerability(item: Node, place: str) -> Finding:
    return Finding(
        rule_id=item.text("VulnerabilityID", required=True, limit=MAX_RULE_ID),
        severity=item.severity("Severity", TRIVY_SEVERITIES),
        package=_package(item, "PkgName", "InstalledVersion"),
        location=clip(item.text("PkgPath") or place, MAX_LOCATION),
        title=clip(item.text("Title") or item.text("Description"), MAX_TITLE),
    )


def _trivy_check(check: Node, place: str) -> Finding:
    rule_id = check.text("ID", limit=MAX_RULE_ID) or check.text(
        "AVDID", required=True, limit=MAX_RULE_ID
    )
    cause = check.object("CauseMetadata")
    line = cause.whole_number("StartLine") if cause is not None else None
    return Finding(
        rule_id=rule_id,
        severity=check.severity("Severity", TRIVY_SEVERITIES),
        location=_at_line(place, line, check),
        title=clip(check.text("Title") or check.text("Message"), MAX_TITLE),
    )


def _trivy_secret(secret: Node, place: str) -> Finding:
    return Finding(
        rule_id=secret.text("RuleID", required=True, limit=MAX_RULE_ID),
        severity=secret.severity("Severity", TRIVY_SEVERITIES),
        location=_at_line(place, secret.whole_number("StartLine"), secret),
        title=clip(secret.text("Title"), MAX_TITLE),
    )


# --- Grype ---------------------------------------------------------------------------------


def read_grype(root: Node) -> ScanReport:
    """A Grype JSON report (`grype -o json`): its matches (ignored matches are left out, as
    Grype leaves them out of its own verdict). The target is `source.target` (a path, or an
    image's `userInput`), the time `descriptor.timestamp`."""
    findings = []
    for match in root.objects("matches"):
        vulnerability = match.require("vulnerability")
        artifact = match.require("artifact")
        locations = artifact.objects("locations")
        findings.append(
            Finding(
                rule_id=vulnerability.text("id", required=True, limit=MAX_RULE_ID),
                severity=vulnerability.severity("severity", GRYPE_SEVERITIES),
                package=_package(artifact, "name", "version"),
                location=clip(locations[0].text("path") if locations else "", MAX_LOCATION),
                title=clip(_grype_description(match, vulnerability), MAX_TITLE),
            )
        )
    descriptor = root.object("descriptor")
    return ScanReport(
        scanner="grype",
        target=_grype_target(root),
        scanned_at=descriptor.time("timestamp") if descriptor is not None else None,
        findings=tuple(findings),
    )


def _grype_description(match: Node, vulnerability: Node) -> str:
    # Distribution advisories often have no text; the CVE they relate to has.
    related = (item.text("description") for item in match.objects("relatedVulnerabilities"))
    return vulnerability.text("description") or next((text for text in related if text), "")


def _grype_target(root: Node) -> str:
    source = root.object("source")
    if source is None:
        return ""
    target = source.child("target")
    if isinstance(target.value, dict):
        return target.text("userInput", limit=MAX_TARGET)
    return target.as_text(limit=MAX_TARGET)


# --- pip-audit -----------------------------------------------------------------------------


def read_pip_audit(root: Node) -> ScanReport:
    """A pip-audit JSON report: the list of pip-audit 1.x and early 2.x, or the object with
    a `dependencies` list of later versions. Dependencies pip-audit skipped (`skip_reason`:
    not on PyPI, editable installs) are left out. pip-audit says neither what it audited
    nor when, so the caller gives the target and the import time stands in."""
    if isinstance(root.value, list):
        dependencies = [root.child(index).require_object() for index in range(len(root.value))]
    else:
        dependencies = root.objects("dependencies")
    findings: list[Finding] = []
    for dependency in dependencies:
        if dependency.has("skip_reason"):
            continue
        package = _package(dependency, "name", "version")
        findings.extend(
            Finding(
                rule_id=vulnerability.text("id", required=True, limit=MAX_RULE_ID),
                severity=Severity.UNKNOWN,
                package=package,
                title=clip(vulnerability.text("description"), MAX_TITLE),
            )
            for vulnerability in dependency.objects("vulns")
        )
    return ScanReport("pip-audit", "", None, tuple(findings))
