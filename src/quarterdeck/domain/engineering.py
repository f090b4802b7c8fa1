"""Engineering records the scorecard is computed from: commits and tags read from git,
deployments, incidents, vulnerability findings, service-desk tickets and cost lines.

These are plain values shared by the connectors (which read them from files and
repositories), storage (which keeps them) and the metric rules (which compute from them).
Every time is timezone-aware; connectors refuse or resolve times without a zone before a
record is made.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from quarterdeck.domain.errors import InvalidInput

__all__ = [
    "Commit",
    "CostLine",
    "Deployment",
    "DeploymentSource",
    "DeploymentStatus",
    "Finding",
    "Incident",
    "ScanReport",
    "Severity",
    "TagRef",
    "Ticket",
    "require_aware",
]


def require_aware(name: str, moment: datetime | None) -> None:
    """Raise InvalidInput when a time has no UTC offset (the connectors resolve those)."""
    if moment is not None and moment.utcoffset() is None:
        raise InvalidInput(f"{name} has no time zone")


@dataclass(frozen=True, slots=True)
class Commit:
    """One commit: its parents and both its times, with the offsets they were written in."""

    sha: str
    parents: tuple[str, ...]
    author_email: str
    author_time: datetime
    committer_time: datetime

    def __post_init__(self) -> None:
        require_aware("author time", self.author_time)
        require_aware("committer time", self.committer_time)


@dataclass(frozen=True, slots=True)
class TagRef:
    """A tag, peeled to the commit it names. `tagger_time` is set for annotated tags only;
    a lightweight tag has none (its commit's committer time stands in)."""

    name: str  # without "refs/tags/"
    commit: str
    tagger_time: datetime | None = None

    def __post_init__(self) -> None:
        require_aware("tagger time", self.tagger_time)


class DeploymentStatus(StrEnum):
    SUCCESS = "success"
    FAILURE = "failure"


class DeploymentSource(StrEnum):
    EVENT = "event"  # posted to the API
    IMPORT = "import"  # a CSV or JSON file
    GIT_REF = "git-ref"  # a tag matching the workspace's release pattern


@dataclass(frozen=True, slots=True)
class Deployment:
    """A deployment event. Rows sharing a `deployment_id` are one deployment, counted at
    their latest finish time."""

    deployment_id: str
    service: str
    environment: str
    commit: str | None  # the deployed commit's sha, when known
    finished_at: datetime
    status: DeploymentStatus
    source: DeploymentSource = DeploymentSource.EVENT

    def __post_init__(self) -> None:
        require_aware("finished time", self.finished_at)


@dataclass(frozen=True, slots=True)
class Incident:
    """An incident. Its cause, when the export names one, is a deployment id or a commit sha."""

    incident_id: str
    service: str
    severity: str
    started_at: datetime
    acknowledged_at: datetime | None = None
    resolved_at: datetime | None = None
    cause_deployment: str | None = None
    cause_commit: str | None = None

    def __post_init__(self) -> None:
        require_aware("started time", self.started_at)
        require_aware("acknowledged time", self.acknowledged_at)
        require_aware("resolved time", self.resolved_at)


class Severity(StrEnum):
    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Finding:
    """One vulnerability or rule violation in a scan. Its identity (rule or vulnerability
    id plus package, or location when there is no package) follows it across scans."""

    rule_id: str
    severity: Severity
    package: str = ""  # "name" or "name@version"
    location: str = ""  # code findings: the file (SARIF: plus a digest of its fingerprints)
    title: str = ""

    @property
    def identity(self) -> tuple[str, str]:
        # "name@version" without its version; a scoped npm name ("@babel/core@7.2") keeps its "@".
        name = self.package.rpartition("@")[0] or self.package
        return (self.rule_id, name if self.package else self.location)


@dataclass(frozen=True, slots=True)
class ScanReport:
    """What one scanner run found; `scanned_at` comes from the file when it says."""

    scanner: str  # sarif:<tool>, trivy, grype, pip-audit
    target: str
    scanned_at: datetime | None
    findings: tuple[Finding, ...]

    def __post_init__(self) -> None:
        require_aware("scan time", self.scanned_at)


@dataclass(frozen=True, slots=True)
class Ticket:
    """A service-desk ticket. SLA targets are hours from opening (per priority in the export)."""

    ticket_id: str
    priority: str
    opened_at: datetime
    first_response_at: datetime | None = None
    resolved_at: datetime | None = None
    response_target_hours: Decimal | None = None
    resolution_target_hours: Decimal | None = None
    reopened: bool = False
    csat: int | None = None  # 1-5
    contacts: int | None = None  # interactions until resolved; 1 = first-contact resolution

    def __post_init__(self) -> None:
        require_aware("opened time", self.opened_at)
        require_aware("first response time", self.first_response_at)
        require_aware("resolved time", self.resolved_at)


@dataclass(frozen=True, slots=True)
class CostLine:
    """Spend for one period (the first day of the month it covers) and category."""

    period: date
    category: str
    amount: Decimal
    forecast: Decimal | None = None
    customers: int | None = None
    transactions: int | None = None
