"""Vulnerability scanner files into scan reports: SARIF 2.1.0, Trivy, Grype and pip-audit JSON.

`read_scan` reads one file whole or refuses it with one message naming the file and, for a
malformed field, its JSON path. The rules of each format, its severity mapping above all,
are stated in `scan_sarif` (SARIF) and `scan_packages` (Trivy, Grype, pip-audit).

The target is what the caller names, else what the file names (SARIF: the repository of
`versionControlProvenance`; Trivy: `ArtifactName`; Grype: `source.target`). pip-audit
files, and SARIF files without provenance (Semgrep's), name nothing: the caller must,
since findings are tracked per target and a guessed target would mark other targets'
findings as fixed.
"""

from __future__ import annotations

from dataclasses import replace
from enum import StrEnum

from quarterdeck.domain.engineering import ScanReport
from quarterdeck.domain.errors import InvalidInput
from quarterdeck.ingest.limits import DEFAULT_MAX_BYTES
from quarterdeck.ingest.scan_fields import MAX_TARGET, Node, load_json
from quarterdeck.ingest.scan_packages import read_grype, read_pip_audit, read_trivy
from quarterdeck.ingest.scan_sarif import read_sarif

__all__ = ["ScanKind", "detect_format", "read_scan"]


class ScanKind(StrEnum):
    SARIF = "sarif"
    TRIVY = "trivy"
    GRYPE = "grype"
    PIP_AUDIT = "pip-audit"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    ScanKind.SARIF: "SARIF",
    ScanKind.TRIVY: "Trivy",
    ScanKind.GRYPE: "Grype",
    ScanKind.PIP_AUDIT: "pip-audit",
}
_MARKS = {
    ScanKind.SARIF: "a SARIF log has a runs list",
    ScanKind.TRIVY: "a Trivy report has SchemaVersion and Results or ArtifactName",
    ScanKind.GRYPE: "a Grype report has matches and a descriptor or source",
    ScanKind.PIP_AUDIT: "a pip-audit report is a list of dependencies or has one",
}
_READERS = {
    ScanKind.SARIF: read_sarif,
    ScanKind.TRIVY: read_trivy,
    ScanKind.GRYPE: read_grype,
    ScanKind.PIP_AUDIT: read_pip_audit,
}


def detect_format(document: object) -> ScanKind | None:
    """Which scanner wrote `document` (a parsed JSON value), judged by the keys that only
    its format has at the top; None when it is none of them. A CycloneDX SBOM (which also
    has `dependencies`) is not mistaken for pip-audit. An empty list is taken for an old
    pip-audit report with nothing installed: no other format is a bare list today."""
    if isinstance(document, list):
        first = document[0] if document else {"name": "", "vulns": []}
        if not isinstance(first, dict):
            return None
        if "Target" in first:
            return ScanKind.TRIVY  # before schema version 2; read_scan says so
        return ScanKind.PIP_AUDIT if _is_dependency(first) else None
    if not isinstance(document, dict):
        return None
    if "runs" in document:
        return ScanKind.SARIF
    if "SchemaVersion" in document and ("Results" in document or "ArtifactName" in document):
        return ScanKind.TRIVY
    if "matches" in document and ("descriptor" in document or "source" in document):
        return ScanKind.GRYPE
    dependencies = document.get("dependencies")
    if not isinstance(dependencies, list) or "bomFormat" in document:
        return None
    first = dependencies[0] if dependencies else {"name": "", "vulns": []}
    return ScanKind.PIP_AUDIT if isinstance(first, dict) and _is_dependency(first) else None


def _is_dependency(item: dict[str, object]) -> bool:
    return "name" in item and ("vulns" in item or "skip_reason" in item)


def read_scan(
    data: bytes,
    *,
    name: str,
    kind: str | None = None,
    target: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> ScanReport:
    """The scan report in `data`, the content of the file called `name`.

    The format is detected unless `kind` (sarif, trivy, grype, pip-audit) forces one; a
    forced kind that does not match the content is refused ("this looks like a Grype
    report, not SARIF"). `target`, when given, replaces the target the file names.

    Raises InvalidInput, naming `name`, when the file is larger than `max_bytes` (the
    import limit: pass the configured one; the default is the setting's default), not
    UTF-8, not JSON, not a known scanner format, of another format than `kind`, malformed
    (with the JSON path of the first field at fault), or says nothing about its target
    while the caller gave none. Nothing is returned in part.
    """
    forced = _kind(kind)
    document = load_json(data, name=name, max_bytes=max_bytes)
    detected = detect_format(document)
    if forced is not None and detected != forced:
        if detected is not None:
            raise InvalidInput(
                f"{name}: this looks like a {detected.label} report, not {forced.label}"
            )
        raise InvalidInput(f"{name} is not a {forced.label} report: {_MARKS[forced]}")
    chosen = forced or detected
    if chosen is None:
        raise InvalidInput(
            f"{name} is not a scan report Quarterdeck can read: expected SARIF 2.1.0, "
            "or the JSON output of Trivy, Grype or pip-audit"
        )
    report = _READERS[chosen](Node(document, (), name))
    given = (target or "").strip()
    if len(given) > MAX_TARGET:
        raise InvalidInput(f"the target is longer than {MAX_TARGET} characters")
    if given:
        return replace(report, target=given)
    if not report.target:
        raise InvalidInput(
            f"{name} does not say what was scanned; give the target "
            "(the repository, image or project the scan is of)"
        )
    return report


def _kind(kind: str | None) -> ScanKind | None:
    if kind is None or not kind.strip():
        return None  # detect
    try:
        return ScanKind(kind.strip().lower())
    except ValueError:
        choices = ", ".join(ScanKind)
        raise InvalidInput(f"unknown scan format {kind!r}; choose one of {choices}") from None
