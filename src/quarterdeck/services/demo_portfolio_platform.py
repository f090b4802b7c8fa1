"""The demo organisation's platform investments, each tied to a roadmap outcome. Fictional,
and plainly demo data."""

from __future__ import annotations

from quarterdeck.domain.planning import Kind
from quarterdeck.services.demo_portfolio_items import DemoItem

__all__ = ["PLATFORM"]

P = Kind.PLATFORM_INVESTMENT
HEAD_PLATFORM = ("Jonas Berg, Platform lead", "Engineering")
HEAD_FINANCE = ("Ewa Kowalska, Head of Finance", "Finance")
VPE = ("Priya Nair, VP Engineering", "Engineering")

PLATFORM = (
    DemoItem(
        "managed-streaming",
        "Move shipment events to a managed event streaming service",
        *HEAD_PLATFORM,
        "Running our own Kafka brokers took a platform engineer's week, every week, and caused "
        "two incidents. Moved to the cloud provider's Kafka-compatible service (see the "
        "decision log).",
        {"platform": 18, "tracking": 6},
        44,
        0.85,
        (0, 4, 3),
        (4, 4, 4, 2),
        kind=P,
        status="done",
        outcome="cost-per-shipment",
    ),
    DemoItem(
        "scan-event-model",
        "Clean carrier scan events into one event model",
        *HEAD_PLATFORM,
        "Each carrier sends scans in its own codes; tracking, ETAs and alerts each translate "
        "them again and disagree. One model, mapped once at the edge, that everything reads.",
        {"tracking": 14, "platform": 10},
        58,
        0.8,
        (1, 3, 5),
        (4, 4, 4, 2),
        kind=P,
        status="in-progress",
        outcome="tracking-freshness",
        metrics=("slo-attainment", "change-failure-rate"),
        wsjf=(8, 8, 13, 8),
    ),
    DemoItem(
        "slo-error-budgets",
        "Service-level objectives and error budgets for tracking",
        *VPE,
        "We learn about slow tracking from shippers. Set objectives for event freshness and API "
        "latency, page on burn rate and stop feature releases when the budget is spent.",
        {"platform": 21},
        42,
        0.85,
        (1, 0, 5),
        (4, 4, 5, 1),
        kind=P,
        outcome="tracking-freshness",
        wsjf=(5, 5, 13, 3),
    ),
    DemoItem(
        "read-replica",
        "Serve tracking reads from a replica and a cache",
        *HEAD_PLATFORM,
        "Shippers polling the tracking API make up 80 % of database load and slow down event "
        "writes at peak. Move reads to a replica behind a short-lived cache.",
        {"platform": 31, "tracking": 26},
        50,
        0.75,
        (1, 3, 4),
        (4, 3, 4, 2),
        kind=P,
        outcome="tracking-freshness",
    ),
    DemoItem(
        "contract-tests",
        "Contract tests for the shipper API",
        "Lena Fischer, Team lead, Tracking",
        "Engineering",
        "Three of last quarter's incidents were API changes that broke shippers' integrations. "
        "Check every change against the published API contract before it merges.",
        {"tracking": 16},
        38,
        0.85,
        (1, 1, 4),
        (4, 4, 4, 1),
        kind=P,
        outcome="safer-releases",
        by="lead",
    ),
    DemoItem(
        "canary-releases",
        "Canary releases for the tracking and billing services",
        *HEAD_PLATFORM,
        "Every release goes to all shippers at once. Send new versions to 5 % of traffic first "
        "and roll back automatically when the error budget burns too fast.",
        {"platform": 31},
        45,
        0.7,
        (0, 1, 4),
        (3, 3, 3, 2),
        kind=P,
        outcome="safer-releases",
        requires=("slo-error-budgets",),
    ),
    DemoItem(
        "metered-invoicing",
        "Rebuild invoicing on metered usage events",
        *HEAD_FINANCE,
        "Invoices are built from a monthly database export that finance corrects by hand. Count "
        "billable events as they happen so invoices, usage pricing and revenue reports agree.",
        {"billing": 40},
        55,
        0.6,
        (4, 2, 0),
        (3, 3, 3, 3),
        kind=P,
        outcome="enterprise-expansion",
        wsjf=(8, 5, 5, 13),
    ),
    DemoItem(
        "cost-tags",
        "Cost per customer: tag infrastructure spend and show it per shipper",
        HEAD_FINANCE[0],
        HEAD_FINANCE[1],
        "We know the cloud bill but not what a shipper costs us to serve. Tag spend by service "
        "and shipper and publish the cost per 1,000 shipments each month.",
        {"platform": 26},
        40,
        0.8,
        (0, 5, 0),
        (3, 4, 4, 1),
        kind=P,
        outcome="cost-per-shipment",
    ),
    DemoItem(
        "autoscaling",
        "Scale the Kubernetes clusters with demand and run batch jobs on spot nodes",
        *HEAD_PLATFORM,
        "The clusters are sized for the December peak all year. Scale nodes with traffic and "
        "move nightly batch work to spot capacity.",
        {"platform": 36},
        48,
        0.7,
        (0, 5, 0),
        (3, 4, 3, 3),
        kind=P,
        outcome="cost-per-shipment",
        wsjf=(5, 3, 3, 5),
    ),
    DemoItem(
        "feature-flags",
        "One feature-flag service for the portal and the mobile app",
        "Emily Tremblay, Senior engineer, Portal",
        "Engineering",
        "The portal and the app each hide unfinished work differently, and the app needs a store "
        "release to switch anything off. One flag service read by both.",
        {"platform": 10},
        30,
        0.85,
        (1, 0, 3),
        (3, 4, 4, 1),
        kind=P,
        outcome="safer-releases",
    ),
    DemoItem(
        "notify-build",
        "Build our own notification service for email, SMS and push",
        *HEAD_PLATFORM,
        "Emails go out from three services through two providers. A notification service of "
        "our own, with templates per shipper and delivery receipts.",
        {"platform": 36},
        46,
        0.65,
        (1, 3, 2),
        (3, 2, 3, 3),
        kind=P,
        outcome="fewer-wismo",
        alternative="notifications",
    ),
    DemoItem(
        "notify-buy",
        "Adopt a hosted notification service for email, SMS and push",
        *VPE,
        "The same result as building one, from a hosted service priced per message: templates, "
        "delivery receipts and SMS in 40 countries, with our services calling its API.",
        {"platform": 10},
        40,
        0.85,
        (1, 3, 2),
        (4, 4, 4, 2),
        kind=P,
        outcome="fewer-wismo",
        alternative="notifications",
    ),
    DemoItem(
        "data-warehouse",
        "A columnar data warehouse for analytics",
        "Ingrid Solberg, Data lead",
        "Engineering",
        "Reports run against the production database at night and time out for the largest "
        "shippers. Load shipment events into a columnar warehouse every hour.",
        {"data": 36},
        44,
        0.65,
        (3, 2, 0),
        (3, 3, 3, 3),
        kind=P,
        outcome="enterprise-expansion",
    ),
)
