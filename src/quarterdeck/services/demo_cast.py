"""Who works on Harbourline's monorepo in the demo, and what they work on: the people
(with their time zones), the services and their files, the subjects of their changes and
the dependency bot's bumps. Fictional, and plainly demo data."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

__all__ = [
    "BOT",
    "BUMPS",
    "FILES",
    "FOLLOW_UPS",
    "GITHUB",
    "LOCKFILES",
    "MERGE_STYLE",
    "PEOPLE",
    "PIPELINE",
    "SERVICES",
    "SUBJECTS",
    "TICKET_PREFIX",
    "Person",
]

SERVICES = ("tracking", "billing", "portal")


@dataclass(frozen=True, slots=True)
class Person:
    name: str
    email: str
    zone: str
    team: str  # a service, "platform", or "bot"
    changes_per_week: float = 1.2


def _person(name: str, zone: str, team: str, changes_per_week: float = 1.2) -> Person:
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    email = ".".join(plain.lower().replace("'", "").split()) + "@harbourline.example"
    return Person(name, email, zone, team, changes_per_week)


PEOPLE = (
    _person("Lena Fischer", "Europe/Berlin", "tracking", 0.7),
    _person("Tomasz Wójcik", "Europe/Warsaw", "tracking"),
    _person("Aoife Byrne", "Europe/Dublin", "tracking"),
    _person("Rui Carvalho", "Europe/Lisbon", "tracking"),
    _person("Sipho Ndlovu", "Africa/Johannesburg", "tracking"),
    _person("Marek Nowak", "Europe/Warsaw", "billing"),
    _person("Chloé Martin", "Europe/Paris", "billing"),
    _person("Arjun Mehta", "Asia/Kolkata", "billing"),
    _person("Fatima Bennani", "Africa/Casablanca", "billing"),
    _person("Oliver Hughes", "Europe/London", "billing", 0.9),
    _person("Emily Tremblay", "America/Toronto", "portal"),
    _person("Diego Hernández", "America/Mexico_City", "portal"),
    _person("Grace Kim", "America/Vancouver", "portal"),
    _person("Kwame Mensah", "Europe/London", "portal"),
    _person("Beatriz Lima", "America/Sao_Paulo", "portal"),
    _person("Jonas Berg", "Europe/Stockholm", "platform"),
    _person("Mei Chen", "Asia/Singapore", "platform"),
    _person("Liam O'Connor", "Australia/Melbourne", "platform"),
    _person("Nadia Petrova", "Europe/Sofia", "platform", 0.9),
    _person("Priya Nair", "Europe/London", "platform", 0.15),
)
BOT = Person("harbour-deps[bot]", "harbour-deps-bot@noreply.harbourline.example", "UTC", "bot")
GITHUB = Person("GitHub", "noreply@github.com", "UTC", "")
PIPELINE = Person("Harbourline release pipeline", "releases@harbourline.example", "UTC", "")
# How each team lands a branch on main.
MERGE_STYLE = {"tracking": "merge", "platform": "merge", "billing": "squash", "portal": "rebase"}
TICKET_PREFIX = {"tracking": "TRK", "billing": "BIL", "portal": "POR", "platform": "PLAT"}
FILES = {
    "tracking": (
        "tracking/src/tracking/api.py",
        "tracking/src/tracking/events.py",
        "tracking/src/tracking/eta.py",
        "tracking/src/tracking/carriers.py",
        "tracking/src/tracking/webhooks.py",
        "tracking/tests/test_events.py",
        "tracking/tests/test_eta.py",
    ),
    "billing": (
        "billing/src/billing/invoices.py",
        "billing/src/billing/rating.py",
        "billing/src/billing/ledger.py",
        "billing/src/billing/tax.py",
        "billing/src/billing/exports.py",
        "billing/tests/test_rating.py",
    ),
    "portal": (
        "portal/src/pages/Shipments.tsx",
        "portal/src/pages/Invoices.tsx",
        "portal/src/components/ShipmentMap.tsx",
        "portal/src/components/Timeline.tsx",
        "portal/src/api/client.ts",
        "portal/src/i18n/en.json",
    ),
    "platform": (
        "infra/terraform/cluster.tf",
        "infra/terraform/event-streaming.tf",
        "infra/terraform/databases.tf",
        ".github/workflows/deploy.yml",
        ".github/workflows/ci.yml",
        "libs/harbour_common/logging.py",
        "libs/harbour_common/tracing.py",
    ),
}
LOCKFILES = {
    "tracking": "tracking/poetry.lock",
    "billing": "billing/poetry.lock",
    "portal": "portal/package-lock.json",
}
SUBJECTS = {
    "tracking": (
        "Retry carrier webhook deliveries with backoff",
        "Keep position events in order per shipment",
        "Recompute the ETA when a vessel changes berth",
        "Drop duplicate scan events from carrier feeds",
        "Paginate the shipment events endpoint",
        "Cache carrier lookups for five minutes",
        "Add a milestone for customs holds",
        "Check container numbers against the ISO 6346 check digit",
        "Keep the carrier's raw status code next to ours",
        "Publish shipment events to the managed streaming service",
        "Rate-limit polling per API key",
        "Backfill ETAs after a feed outage",
        "Fix the time zone of port cut-off times",
        "Expose webhook delivery status in the API",
    ),
    "billing": (
        "Round VAT per invoice line, not per invoice",
        "Rate surcharges by weight band",
        "Export invoices to the ledger in batches",
        "Issue credit notes for cancelled shipments",
        "Show the fuel surcharge as its own line",
        "Meter usage for the small-carrier tier",
        "Retry failed payment-provider callbacks",
        "Reconcile ledger entries nightly",
        "Number invoices per legal entity",
        "Support reverse-charge VAT for EU customers",
        "Move invoice PDFs to object storage",
        "Fix currency rounding for currencies without minor units",
    ),
    "portal": (
        "Show a live shipment map on the overview",
        "Filter shipments by carrier and status",
        "Download invoices from the billing page",
        "Timeline of shipment milestones",
        "Translate the portal into German",
        "Keyboard navigation for the shipments table",
        "Remember table columns per user",
        "Show the carrier's delay reasons",
        "Load map tiles lazily",
        "Warn before the session expires",
        "Accessible colours for status badges",
        "Fix the date picker in Safari",
    ),
    "platform": (
        "Pin base images by digest",
        "Add a canary step to the deploy workflow",
        "Tune database connection pools",
        "Alert on consumer lag per topic",
        "Rotate database credentials monthly",
        "Cache dependencies in CI",
        "Trace requests across services",
        "Upgrade the cluster to the next Kubernetes minor version",
        "Scale tracking workers on queue depth",
        "Generate an SBOM with every image build",
        "Structured logs for every service",
        "Provision the managed event-streaming cluster",
    ),
}
FOLLOW_UPS = (
    "Address review comments",
    "Add tests",
    "Fix lint",
    "Handle the empty case",
    "Rename for clarity",
    "Update the changelog",
)
BUMPS = {
    "tracking": ("fastapi", "pydantic", "sqlalchemy", "httpx", "confluent-kafka"),
    "billing": ("sqlalchemy", "boto3", "stripe", "weasyprint", "structlog"),
    "portal": ("react", "vite", "maplibre-gl", "typescript", "@tanstack/react-query"),
}
