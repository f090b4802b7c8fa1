"""The demo organisation's service-desk tickets and monthly cloud costs, as the desk's
export (a Jira Service Management-like CSV) and the finance team's cost sheet would give
them.

The desk takes about thirty tickets a week from Harbourline's 240 people and customers,
with response and resolution targets by priority; tickets opened late on a Friday tend to
miss them. Costs grow with the customer base; the bill has tracked its forecast within a
few percent all year, except last month, when the old self-run Kafka cluster and the new
managed event-streaming service both ran while shipment events moved over.
"""

from __future__ import annotations

import csv
import io
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from quarterdeck.services.computed import Window
from quarterdeck.services.demo_history import on_holiday, poisson

__all__ = ["Tickets", "write_costs", "write_tickets"]

_LONDON = ZoneInfo("Europe/London")
# Priority: (share of tickets, response target h, resolution target h, median response h,
# median resolution h).
_PRIORITIES = {
    "P1": (0.02, 0.5, 4, 0.12, 1.5),
    "P2": (0.13, 2, 24, 0.4, 3.0),
    "P3": (0.55, 8, 48, 0.6, 3.5),
    "P4": (0.30, 24, 120, 1.5, 12.0),
}


@dataclass(frozen=True, slots=True)
class Tickets:
    csv: bytes
    count: int
    open: int


def _working(rng: random.Random, moment: datetime) -> datetime:
    """`moment`, or early in the next working day in London if it is outside working
    hours (8:00-18:30 on weekdays)."""
    local = moment.astimezone(_LONDON)
    day = local.date()
    if local.hour + local.minute / 60 >= 18.5:
        day += timedelta(days=1)
    elif local.hour >= 8 and day.weekday() < 5:
        return moment
    while day.weekday() >= 5:
        day += timedelta(days=1)
    opening = datetime.combine(day, time(8, 30), _LONDON).astimezone(UTC)
    return max(opening + timedelta(minutes=rng.uniform(0, 100)), moment)


def _hours(rng: random.Random, median: float) -> timedelta:
    return timedelta(hours=min(math.exp(rng.gauss(math.log(median), 0.7)), median * 8))


@dataclass(frozen=True, slots=True)
class _Ticket:
    opened: datetime
    priority: str
    answered: datetime | None
    resolved: datetime | None
    reopened: bool
    rating: int | None
    contacts: int


def _ticket(rng: random.Random, day: date, quiet: bool, now: datetime) -> _Ticket | None:
    names = tuple(_PRIORITIES)
    priority = rng.choices(names, weights=[p[0] for p in _PRIORITIES.values()])[0]
    _, _, _, response, resolution = _PRIORITIES[priority]
    hour = rng.uniform(0, 24) if quiet else min(max(rng.gauss(12.5, 2.6), 7.5), 19.5)
    local = datetime.combine(day, time(int(hour), int(hour % 1 * 60), rng.randrange(60)))
    opened = local.replace(tzinfo=_LONDON).astimezone(UTC)
    if opened >= now:
        return None
    urgent = priority == "P1"  # answered around the clock
    answered = opened + _hours(rng, response)
    answered = answered if urgent else _working(rng, answered)
    resolved = answered + _hours(rng, resolution)
    resolved = resolved if urgent else _working(rng, resolved)
    stuck = priority == "P4" and rng.random() < 0.01  # waiting on a vendor
    rated = rng.random() < 0.55
    rating = rng.choices((1, 2, 3, 4, 5), weights=(3, 4, 10, 33, 50))[0]
    done = resolved < now and not stuck
    return _Ticket(
        opened=opened,
        priority=priority,
        answered=answered if answered < now else None,
        resolved=resolved if done else None,
        reopened=done and rng.random() < 0.05,
        rating=rating if rated and done else None,
        contacts=rng.choices((1, 2, 3, 4), weights=(62, 24, 10, 4))[0],
    )


def write_tickets(*, now: datetime) -> Tickets:
    """A year of service-desk tickets up to `now`; those still open have no resolution."""
    # Demo data, not secrets: a seeded generator is what makes the files repeatable.
    rng = random.Random(4107)  # noqa: S311
    tickets = []
    day = (now - timedelta(days=365)).date()
    while day <= now.date():
        quiet = day.weekday() >= 5 or on_holiday(day)
        for _ in range(poisson(rng, 0.6 if quiet else 6.0)):
            ticket = _ticket(rng, day, quiet, now)
            if ticket is not None:
                tickets.append(ticket)
        day += timedelta(days=1)
    tickets.sort(key=lambda t: t.opened)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        (
            "key",
            "priority",
            "created",
            "first_response",
            "resolved",
            "response_target_hours",
            "resolution_target_hours",
            "reopened",
            "satisfaction",
            "contacts",
        )
    )
    for number, ticket in enumerate(tickets, start=5204):
        _, response_target, resolution_target, _, _ = _PRIORITIES[ticket.priority]
        writer.writerow(
            (
                f"HSD-{number}",
                ticket.priority,
                _stamp(ticket.opened),
                _stamp(ticket.answered),
                _stamp(ticket.resolved),
                response_target,
                resolution_target,
                "yes" if ticket.reopened else "no",
                "" if ticket.rating is None else ticket.rating,
                ticket.contacts,
            )
        )
    still_open = sum(1 for t in tickets if t.resolved is None)
    return Tickets(out.getvalue().encode(), len(tickets), still_open)


def _stamp(moment: datetime | None) -> str:
    return "" if moment is None else moment.astimezone(_LONDON).isoformat(timespec="seconds")


# Category: (amount in the first month, growth a month, forecast error spread).
_CATEGORIES = {
    "Compute": (17_800, 0.018, 0.025),
    "Databases": (7_600, 0.012, 0.02),
    "Event streaming": (2_350, 0.01, 0.02),
    "Storage": (2_700, 0.022, 0.03),
    "Networking": (1_950, 0.015, 0.04),
    "Observability": (3_100, 0.01, 0.03),
}
_MANAGED_STREAMING = 4_150  # the managed service's monthly bill once shipment events moved


def write_costs(*, months: Sequence[Window]) -> bytes:
    """One line per month and category for the complete months given (the cost review
    periods, newest last), with forecast, customers and transactions (shipments booked)."""
    # Demo data, not secrets: a seeded generator is what makes the files repeatable.
    rng = random.Random(5107)  # noqa: S311
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        ("Month", "Category", "Cost", "Forecast", "Customers", "Transactions", "Currency")
    )
    count = len(months)
    for index, month in enumerate(months):
        first: date = month.first
        customers = round(382 * 1.027**index)
        peak = 1.12 if first.month in (11, 12) else 0.94 if first.month in (1, 8) else 1.0
        transactions = round(158_000 * 1.036**index * peak, -2)
        for category, (base, growth, spread) in _CATEGORIES.items():
            planned = base * (1 + growth) ** index
            actual = planned * (1 + rng.uniform(-spread, spread))
            if category == "Event streaming" and index >= count - 2:
                # The move to the managed service was planned to finish the month before
                # last: from then its bill replaces the cluster's in the forecast.
                planned = _MANAGED_STREAMING
                actual = _MANAGED_STREAMING * (1 + rng.uniform(-spread, spread))
            if index == count - 1 and category in ("Event streaming", "Compute"):
                # Last month the old cluster, and the nodes its brokers ran on, kept running.
                cluster = base * (1 + growth) ** index
                actual += cluster if category == "Event streaming" else 0.06 * planned
            writer.writerow(
                (
                    f"{first:%Y-%m}",
                    category,
                    f"{actual:.2f}",
                    f"{round(planned, -1):.2f}",
                    customers,
                    int(transactions),
                    "GBP",
                )
            )
    return out.getvalue().encode()
