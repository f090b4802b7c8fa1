"""Service-desk metrics of the IT service set (DOMAIN.md section 3), computed from tickets
over a window [start, end): SLA compliance by priority, time to first response (MTTA) and
to resolution (MTTR), backlog size and age, first-contact resolution and CSAT.

Values are Decimals in the catalog's unit (percent 0-100, hours, days, count, score 1-5),
None when nothing is there to compute from; their types are in `service_desk_results`,
imported from here too. The rules (every result's `notes()` prints the ones behind its
figure):

- Every figure is as of the window end: an event at or after `end` has not happened yet,
  so the figure does not change when it is computed again later from fuller data. Times
  are compared as instants; the window must have a time zone and end after it starts.
- A ticket's response is its first response, or its resolution when that came first or
  no first response is recorded (resolving a ticket answers the person).
- SLA compliance: tickets opened in [start, end) with at least one target. A target is
  met when its event came at or before opening + target hours; missed when it came later,
  or has not come by the window end and the deadline is before the end; still running
  otherwise. A ticket meets its SLA when every target it has is met and misses it when
  any is missed. Tickets still running at the end, and tickets without targets, are left
  out and counted. The percent of the decided tickets, overall and per priority (grouped
  ignoring case).
- MTTA: tickets whose response falls in [start, end). MTTR: tickets resolved in
  [start, end); a reopened ticket counts at the resolution the export gives. Both are the
  interpolated median in hours; a time before the opening is left out and counted.
- Backlog at the window end: tickets opened before `end` and not resolved before it (one
  resolved exactly at `end` is still open; it counts in the next window's MTTR), so
  backlog(end) = backlog(start) + opened - resolved within [start, end). Its age is
  `end` minus opening, in days: the interpolated median, with the mean and the oldest.
- First-contact resolution: tickets resolved in [start, end) with contacts == 1 and not
  reopened, as a percent of those resolved with a contacts count of at least one. No
  count, or zero contacts (closed without an interaction), are left out and counted.
- CSAT: tickets resolved in [start, end) with a rating (a ticket carries no rating time,
  so its resolution places the rating); the mean of 1-5 and the percent rated 4 or 5.
  A rating outside 1-5 is left out and counted.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from enum import StrEnum

from quarterdeck.domain.bottlenecks import interpolated_median
from quarterdeck.domain.engineering import Ticket, require_aware
from quarterdeck.domain.errors import InvalidInput
from quarterdeck.domain.service_desk_results import (  # re-exported: the figures' types
    BacklogAge,
    BacklogSize,
    FirstContactResolution,
    PrioritySla,
    ResolutionTime,
    ResponseTime,
    Satisfaction,
    ServiceDeskMetrics,
    SlaCompliance,
    TicketFigure,
    percent,
)

__all__ = [
    "BacklogAge",
    "BacklogSize",
    "FirstContactResolution",
    "PrioritySla",
    "ResolutionTime",
    "ResponseTime",
    "Satisfaction",
    "ServiceDeskMetrics",
    "SlaCompliance",
    "TicketFigure",
    "backlog_age",
    "backlog_size",
    "first_contact_resolution",
    "measure_service_desk",
    "resolution_time",
    "response_time",
    "satisfaction",
    "sla_compliance",
]

MICROSECOND = timedelta(microseconds=1)
MICROS_PER_HOUR = 3_600_000_000
MICROS_PER_DAY = 24 * MICROS_PER_HOUR


class _Verdict(StrEnum):
    MET = "met"
    MISSED = "missed"
    RUNNING = "running"


# --- helpers ----------------------------------------------------------------------


def _window(start: datetime, end: datetime) -> None:
    require_aware("window start", start)
    require_aware("window end", end)
    if end <= start:
        raise InvalidInput("the window must end after it starts")


def _within(moment: datetime | None, start: datetime, end: datetime) -> bool:
    return moment is not None and start <= moment < end


def _median(micros: Sequence[int], per: int) -> Decimal | None:
    # Whole microseconds, so the median is exact (a whole or half microsecond) before dividing.
    median = interpolated_median(micros)
    return None if median is None else Decimal(median) / per


def _response(ticket: Ticket) -> tuple[datetime | None, bool]:
    """The ticket's response, and whether its resolution stands in for it."""
    first, resolved = ticket.first_response_at, ticket.resolved_at
    if resolved is not None and (first is None or resolved < first):
        return resolved, True
    return first, False


def _elapsed(
    pairs: Iterable[tuple[datetime, datetime]],
) -> tuple[list[int], int]:
    micros, negative = [], 0
    for began, ended in pairs:
        if (span := (ended - began) // MICROSECOND) < 0:
            negative += 1
        else:
            micros.append(span)
    return micros, negative


def _target(
    ticket: Ticket, event: datetime | None, hours: Decimal | None, end: datetime
) -> _Verdict | None:
    if hours is None:
        return None
    if not (hours.is_finite() and hours > 0):
        raise InvalidInput(
            f"ticket {ticket.ticket_id}: an SLA target must be hours above zero, not {hours}"
        )
    allowed = hours * MICROS_PER_HOUR
    if event is not None and event < end:
        return (
            _Verdict.MET
            if (event - ticket.opened_at) // MICROSECOND <= allowed
            else _Verdict.MISSED
        )
    if (end - ticket.opened_at) // MICROSECOND > allowed:
        return _Verdict.MISSED
    return _Verdict.RUNNING


def _open_at(tickets: Iterable[Ticket], at: datetime) -> list[Ticket]:
    require_aware("backlog time", at)
    return [
        t for t in tickets if t.opened_at < at and (t.resolved_at is None or t.resolved_at >= at)
    ]


# --- metrics ----------------------------------------------------------------------


def sla_compliance(tickets: Iterable[Ticket], *, start: datetime, end: datetime) -> SlaCompliance:
    """tickets.sla-compliance over the tickets opened in [start, end) (see the module's
    rules). Raises InvalidInput for a bad window or a target that is not hours above zero."""
    _window(start, end)
    groups: dict[str, tuple[str, int, int]] = {}  # casefolded -> (label, met, count)
    met = response_missed = resolution_missed = running = untargeted = stand_ins = 0
    for ticket in tickets:
        if not _within(ticket.opened_at, start, end):
            continue
        response, stand_in = _response(ticket)
        on_response = _target(ticket, response, ticket.response_target_hours, end)
        on_resolution = _target(ticket, ticket.resolved_at, ticket.resolution_target_hours, end)
        verdicts = {v for v in (on_response, on_resolution) if v is not None}
        if not verdicts:
            untargeted += 1
            continue
        if _Verdict.MISSED not in verdicts and _Verdict.RUNNING in verdicts:
            running += 1
            continue
        ok = verdicts == {_Verdict.MET}
        met += ok
        response_missed += on_response is _Verdict.MISSED
        resolution_missed += on_resolution is _Verdict.MISSED
        stand_ins += (
            stand_in and on_response is not None and response is not None and response < end
        )
        label, group_met, group_count = groups.get(
            ticket.priority.casefold(), (ticket.priority, 0, 0)
        )
        groups[ticket.priority.casefold()] = (label, group_met + ok, group_count + 1)
    count = sum(group[2] for group in groups.values())
    return SlaCompliance(
        percent(met, count),
        count,
        met,
        response_missed,
        resolution_missed,
        running,
        untargeted,
        stand_ins,
        tuple(PrioritySla(*groups[key]) for key in sorted(groups)),
    )


def response_time(tickets: Iterable[Ticket], *, start: datetime, end: datetime) -> ResponseTime:
    """tickets.mtta: median hours from opening to response over the tickets whose response
    falls in [start, end). Raises InvalidInput for a bad window."""
    _window(start, end)
    pairs, stand_ins, unanswered = [], 0, 0
    for ticket in tickets:
        response, stand_in = _response(ticket)
        if _within(response, start, end):
            assert response is not None
            pairs.append((ticket.opened_at, response))
            stand_ins += stand_in and response >= ticket.opened_at
        elif _within(ticket.opened_at, start, end) and (response is None or response >= end):
            unanswered += 1
    micros, negative = _elapsed(pairs)
    return ResponseTime(
        _median(micros, MICROS_PER_HOUR), len(micros), negative, stand_ins, unanswered
    )


def resolution_time(tickets: Iterable[Ticket], *, start: datetime, end: datetime) -> ResolutionTime:
    """tickets.mttr: median hours from opening to resolution over the tickets resolved in
    [start, end). Raises InvalidInput for a bad window."""
    _window(start, end)
    pairs, reopened, unresolved = [], 0, 0
    for ticket in tickets:
        if ticket.resolved_at is not None and _within(ticket.resolved_at, start, end):
            pairs.append((ticket.opened_at, ticket.resolved_at))
            reopened += ticket.reopened and ticket.resolved_at >= ticket.opened_at
        elif _within(ticket.opened_at, start, end) and (
            ticket.resolved_at is None or ticket.resolved_at >= end
        ):
            unresolved += 1
    micros, negative = _elapsed(pairs)
    return ResolutionTime(
        _median(micros, MICROS_PER_HOUR), len(micros), negative, reopened, unresolved
    )


def backlog_size(tickets: Iterable[Ticket], *, at: datetime) -> BacklogSize:
    """tickets.backlog-size: the tickets opened before `at` and not resolved before it.
    Raises InvalidInput when `at` has no time zone."""
    count = len(_open_at(tickets, at))
    return BacklogSize(Decimal(count), count, at)


def backlog_age(tickets: Iterable[Ticket], *, at: datetime) -> BacklogAge:
    """tickets.backlog-age: the median age in days at `at` of the tickets open then, with
    the mean and the oldest. Raises InvalidInput when `at` has no time zone."""
    micros = [(at - t.opened_at) // MICROSECOND for t in _open_at(tickets, at)]
    if not micros:
        return BacklogAge(None, 0, None, None, at)
    return BacklogAge(
        _median(micros, MICROS_PER_DAY),
        len(micros),
        Decimal(sum(micros)) / len(micros) / MICROS_PER_DAY,
        Decimal(max(micros)) / MICROS_PER_DAY,
        at,
    )


def first_contact_resolution(
    tickets: Iterable[Ticket], *, start: datetime, end: datetime
) -> FirstContactResolution:
    """tickets.first-contact-resolution over the tickets resolved in [start, end). Raises
    InvalidInput for a bad window."""
    _window(start, end)
    count = first = reopened = unknown = none = 0
    for ticket in tickets:
        if not _within(ticket.resolved_at, start, end):
            continue
        if ticket.contacts is None:
            unknown += 1
        elif ticket.contacts < 1:
            none += 1
        else:
            count += 1
            reopened += ticket.reopened
            first += ticket.contacts == 1 and not ticket.reopened
    return FirstContactResolution(percent(first, count), count, first, reopened, unknown, none)


def satisfaction(tickets: Iterable[Ticket], *, start: datetime, end: datetime) -> Satisfaction:
    """tickets.csat: the mean rating (1-5) of the rated tickets resolved in [start, end),
    with the share rated 4 or 5. Raises InvalidInput for a bad window."""
    _window(start, end)
    ratings: list[int] = []
    unrated = out_of_range = 0
    for ticket in tickets:
        if not _within(ticket.resolved_at, start, end):
            continue
        if ticket.csat is None:
            unrated += 1
        elif not 1 <= ticket.csat <= 5:
            out_of_range += 1
        else:
            ratings.append(ticket.csat)
    mean = Decimal(sum(ratings)) / len(ratings) if ratings else None
    satisfied = sum(1 for rating in ratings if rating >= 4)
    return Satisfaction(mean, len(ratings), satisfied, unrated, out_of_range)


def measure_service_desk(
    tickets: Iterable[Ticket], *, start: datetime, end: datetime
) -> ServiceDeskMetrics:
    """Every service-desk figure over [start, end), the backlog ones at `end`. Raises
    InvalidInput as the single figures do."""
    _window(start, end)
    rows = list(tickets)
    return ServiceDeskMetrics(
        start.astimezone(UTC),
        end.astimezone(UTC),
        sla_compliance(rows, start=start, end=end),
        response_time(rows, start=start, end=end),
        resolution_time(rows, start=start, end=end),
        backlog_size(rows, at=end),
        backlog_age(rows, at=end),
        first_contact_resolution(rows, start=start, end=end),
        satisfaction(rows, start=start, end=end),
    )
