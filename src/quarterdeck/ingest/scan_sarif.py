"""SARIF 2.1.0 (CodeQL, Semgrep, and the SARIF output of Trivy, Grype, Checkov ...).

What is read, per run: the tool (`tool.driver.name`), the rules of the driver and of its
extensions, the results, the invocations' end times, and the repository the run names
(`versionControlProvenance[].repositoryUri`, the target when the caller gives none).

Which results are findings: those of kind "fail" (the default), "open" or "review".
Left out: kinds "pass", "notApplicable" and "informational"; results whose
`baselineState` is "absent" (they are gone); results suppressed in source or externally
(a suppression whose status is absent or "accepted"; "underReview" and "rejected" ones
still count).

Severity, first rule that applies:
1. the rule's `properties["security-severity"]`, a CVSS score from 0 to 10 (GitHub's
   convention, which CodeQL and Trivy follow): 9.0 and above critical, 7.0 to 8.9 high,
   4.0 to 6.9 medium, above 0 and below 4.0 low; a score of 0 falls through;
2. a rule tag that is a severity name ("CRITICAL", "high", ...; Trivy tags its rules so);
   the highest one when there are several. Semgrep's "HIGH CONFIDENCE" is a confidence,
   not a severity, and does not match;
3. the level (the result's, else the rule's default, else "warning", as SARIF says):
   error -> high, warning -> medium, note -> low, none -> low. "error" is taken as high
   because that is what the tools mean by it (Semgrep writes both its HIGH and CRITICAL
   rules as "error"); a critical without a score is thus shown as high.

Identity of a finding: the rule id and the artifact URI of its first location, followed,
when the result has `fingerprints` (else `partialFingerprints`), by a digest of them:
"payments/db.py#5c0f2a...". Fingerprints are how SARIF follows a result from run to run
(CodeQL's primaryLocationLineHash, Semgrep's matchBasedId): they stay when the code around
a finding moves. The line is no part of the identity, so a finding whose code moves by a
few lines stays one finding with one first-seen time; it is shown in the title ("SQL
query built from user-controlled sources (line 42)"). Without fingerprints, the results
of one rule in one file are one finding, fixed when the last of them is gone.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime

from quarterdeck.domain.engineering import Finding, ScanReport, Severity
from quarterdeck.domain.errors import InvalidInput
from quarterdeck.ingest.scan_fields import (
    MAX_LOCATION,
    MAX_RULE_ID,
    MAX_SCANNER,
    MAX_TARGET,
    MAX_TITLE,
    Node,
    clip,
    describe,
)

__all__ = ["LEVELS", "read_sarif", "score_severity"]

LEVELS = {
    "error": Severity.HIGH,
    "warning": Severity.MEDIUM,
    "note": Severity.LOW,
    "none": Severity.LOW,
}
_SEVERITY_TAGS = {
    "critical": Severity.CRITICAL,
    "high": Severity.HIGH,
    "medium": Severity.MEDIUM,
    "low": Severity.LOW,
}
_RANK = list(Severity)  # critical first
_FINDING_KINDS = frozenset({"fail", "open", "review"})
_OTHER_KINDS = frozenset({"pass", "notApplicable", "informational"})
_FINGERPRINT_DIGITS = 16  # hexadecimal digits of the digest kept: 64 bits
_MAX_LINE = 999_999_999  # a larger start line is no line of a source file: not shown


def score_severity(score: float) -> Severity | None:
    """The severity of a CVSS score in GitHub's bands; None for 0 (no score)."""
    if score >= 9.0:
        return Severity.CRITICAL
    if score >= 7.0:
        return Severity.HIGH
    if score >= 4.0:
        return Severity.MEDIUM
    return Severity.LOW if score > 0 else None


def read_sarif(root: Node) -> ScanReport:
    """The scan in a SARIF 2.1.0 log; its target is "" when no run names a repository."""
    version = root.text("version", required=True)
    if version != "2.1.0":
        raise InvalidInput(f"{root.source} is SARIF version {version}; only 2.1.0 is read")
    runs = root.objects("runs")
    if not runs:
        raise root.child("runs").problem("holds no run, so there is no scan to import")
    tools: list[str] = []
    findings: list[Finding] = []
    times: list[datetime] = []
    target = ""
    for run in runs:
        driver = run.require("tool").require("driver")
        tool = driver.text("name", required=True)
        if tool not in tools:
            tools.append(tool)
        findings.extend(_findings(run, driver))
        times.extend(_end_times(run))
        for provenance in run.objects("versionControlProvenance"):
            target = target or provenance.text("repositoryUri", limit=MAX_TARGET)
    scanner = "sarif:" + "+".join(tools)
    if len(scanner) > MAX_SCANNER:
        raise runs[0].problem(f"the tool names are longer than {MAX_SCANNER} characters")
    return ScanReport(scanner, target, max(times, default=None), tuple(findings))


def _end_times(run: Node) -> list[datetime]:
    times = []
    for invocation in run.objects("invocations"):
        if invocation.raw("executionSuccessful") is False:
            raise invocation.child("executionSuccessful").problem(
                "the scan did not finish, so a finding missing from it may not be fixed"
            )
        moment = invocation.time("endTimeUtc") or invocation.time("startTimeUtc")
        if moment is not None:
            times.append(moment)
    return times


class _Rules:
    """The rules of a run: the driver's and each extension's, by position and by id."""

    def __init__(self, run: Node, driver: Node) -> None:
        tool = run.require("tool")
        self.components = [driver, *tool.objects("extensions")]
        self.lists = [component.objects("rules") for component in self.components]
        self.by_id: dict[str, Node] = {}
        for rules in self.lists:
            for rule in rules:
                self.by_id.setdefault(rule.text("id", required=True, limit=MAX_RULE_ID), rule)

    def find(self, result: Node) -> tuple[str, Node | None]:
        """The rule id of `result` and its rule, when the run describes it."""
        reference = result.object("rule")
        rule_id = result.text("ruleId", limit=MAX_RULE_ID)
        if not rule_id and reference is not None:
            rule_id = reference.text("id", limit=MAX_RULE_ID)
        index_at = result.child("ruleIndex")
        if index_at.value is None and reference is not None:
            index_at = reference.child("index")
        rule = self._by_index(index_at, self._component(reference))
        if rule is None and rule_id:
            # Hierarchical ids ("CA2000/1") refine the rule they start with.
            rule = self.by_id.get(rule_id) or self.by_id.get(rule_id.split("/")[0])
        if not rule_id and rule is not None:
            rule_id = rule.text("id", required=True, limit=MAX_RULE_ID)
        if not rule_id:
            raise result.problem("names no rule (it has no ruleId, rule.id or ruleIndex)")
        return rule_id, rule

    def _component(self, reference: Node | None) -> int:
        component = reference.object("toolComponent") if reference is not None else None
        if component is None:
            return 0
        index = component.whole_number("index")
        if index is None or index < 0:
            return 0
        if index >= len(self.components) - 1:
            raise component.child("index").problem(f"there is no extension {index}")
        return index + 1

    def _by_index(self, index_at: Node, component: int) -> Node | None:
        if index_at.value is None:
            return None
        value = index_at.value
        if isinstance(value, bool) or not isinstance(value, int):
            raise index_at.problem(f"must be a whole number, not {describe(value)}")
        if value == -1:  # SARIF's "not given"
            return None
        rules = self.lists[component]
        if not 0 <= value < len(rules):
            raise index_at.problem(f"names rule {value}, but the tool lists {len(rules)} rules")
        return rules[value]


def _findings(run: Node, driver: Node) -> list[Finding]:
    rules = _Rules(run, driver)
    findings = []
    for result in run.objects("results"):
        if not _is_open(result):
            continue
        rule_id, rule = rules.find(result)
        location, line = _location(result, run)
        findings.append(
            Finding(
                rule_id=rule_id,
                severity=_severity(result, rule),
                location=location,
                title=_title(result, rule, rule_id, line),
            )
        )
    return findings


def _is_open(result: Node) -> bool:
    kind_at = result.child("kind")
    kind = kind_at.as_text() or "fail"
    if kind in _OTHER_KINDS:
        return False
    if kind not in _FINDING_KINDS:
        allowed = ", ".join(sorted(_FINDING_KINDS | _OTHER_KINDS))
        raise kind_at.problem(f"must be one of {allowed}, not {describe(kind_at.value)}")
    if result.text("baselineState") == "absent":
        return False
    for suppression in result.objects("suppressions"):
        if suppression.text("status") in {"", "accepted"}:
            return False
    return True


def _severity(result: Node, rule: Node | None) -> Severity:
    properties = rule.object("properties") if rule is not None else None
    if properties is not None:
        scored = _score(properties)
        if scored is not None:
            return scored
        tagged = [
            _SEVERITY_TAGS[tag.casefold()]
            for tag in (item.as_text() for item in properties.items("tags"))
            if tag.casefold() in _SEVERITY_TAGS
        ]
        if tagged:
            return min(tagged, key=_RANK.index)
    level_at = result.child("level")
    if level_at.value is None and rule is not None:
        configuration = rule.object("defaultConfiguration")
        if configuration is not None:
            level_at = configuration.child("level")
    level = (level_at.as_text() or "warning").casefold()
    if level not in LEVELS:
        allowed = ", ".join(LEVELS)
        raise level_at.problem(f"must be one of {allowed}, not {describe(level_at.value)}")
    return LEVELS[level]


def _score(properties: Node) -> Severity | None:
    score_at = properties.child("security-severity")
    value = score_at.value
    if value is None:
        return None
    wrong = score_at.problem(f"must be a CVSS score from 0.0 to 10.0, not {describe(value)}")
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise wrong
    try:
        score = float(value)
    except ValueError:
        raise wrong from None
    if not 0.0 <= score <= 10.0:  # also refuses "nan"
        raise wrong
    return score_severity(score)


def _location(result: Node, run: Node) -> tuple[str, int | None]:
    """The location that is part of the finding's identity (the file, with the digest of
    the result's fingerprints), and the line the finding starts at, shown beside it."""
    fingerprint = _fingerprint(result)
    tail = f"#{fingerprint}" if fingerprint else ""
    locations = result.objects("locations")
    physical = locations[0].object("physicalLocation") if locations else None
    if physical is None:
        return tail, None
    artifact = physical.object("artifactLocation")
    uri = artifact.text("uri") if artifact is not None else ""
    if not uri and artifact is not None:
        uri = _artifact_uri(artifact, run)
    if not uri:
        return tail, None  # a line in no file says nothing
    region = physical.object("region")
    line = region.whole_number("startLine") if region is not None else None
    if len(uri) + len(tail) > MAX_LOCATION:
        raise physical.problem(f"the location is longer than {MAX_LOCATION} characters")
    return uri + tail, line if line is not None and 0 < line <= _MAX_LINE else None


def _fingerprint(result: Node) -> str:
    """A digest of the result's `fingerprints`, else of its `partialFingerprints` ("" when
    it has neither): names and values, so that it is as stable as they are. Digested, as
    a value may be long (Semgrep's are 130 characters) and only equality matters."""
    for key in ("fingerprints", "partialFingerprints"):
        prints = result.object(key)
        if prints is None:
            continue
        pairs = sorted((name, prints.text(name)) for name in prints.value)
        if any(value for _, value in pairs):
            canonical = json.dumps(pairs)
            return hashlib.sha256(canonical.encode()).hexdigest()[:_FINGERPRINT_DIGITS]
    return ""


def _artifact_uri(artifact: Node, run: Node) -> str:
    index = artifact.whole_number("index")
    artifacts = run.objects("artifacts")
    if index is None or index < 0:
        return ""
    if index >= len(artifacts):
        raise artifact.child("index").problem(f"names artifact {index}, but the run lists fewer")
    location = artifacts[index].object("location")
    return location.text("uri") if location is not None else ""


def _title(result: Node, rule: Node | None, rule_id: str, line: int | None) -> str:
    # The rule's short description names the problem; the result's message describes this
    # occurrence. A description that only restates the rule id ("Semgrep Finding: <id>")
    # says nothing, and the message is better.
    candidates = []
    if rule is not None:
        description = rule.object("shortDescription")
        if description is not None:
            candidates.append(description.text("text"))
    message = result.object("message")
    if message is not None:
        candidates.append(message.text("text"))
    if rule is not None:
        candidates.append(rule.text("name"))
    useful = (text for text in candidates if text and rule_id not in text)
    title = next(useful, "")
    if line is None:
        return clip(title, MAX_TITLE)
    if not title:
        return f"line {line}"
    at = f" (line {line})"
    return clip(title, MAX_TITLE - len(at)) + at
