"""Service-desk metrics over a window [start, end): SLA compliance by priority, MTTA, MTTR,
backlog size and age at the window end, first-contact resolution and CSAT."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from quarterdeck.domain.engineering import Ticket
from quarterdeck.domain.errors import InvalidInput
from quarterdeck.domain.scorecard import COMPUTATIONS
from quarterdeck.domain.service_desk import (
    PrioritySla,
    backlog_age,
    backlog_size,
    first_contact_resolution,
    measure_service_desk,
    resolution_time,
    response_time,
    satisfaction,
    sla_compliance,
)

START = datetime(2026, 3, 2, tzinfo=UTC)
END = START + timedelta(days=7)
WINDOW: dict[str, Any] = {"start": START, "end": END}


def h(hours: float) -> datetime:
    return START + timedelta(hours=hours)


def d(days: float) -> datetime:
    return START + timedelta(days=days)


def make_ticket(**overrides: Any) -> Ticket:
    fields: dict[str, Any] = {"ticket_id": "T-1", "priority": "P2", "opened_at": h(0)}
    fields.update(overrides)
    for name in ("response_target_hours", "resolution_target_hours"):
        if isinstance(fields.get(name), int | float):
            fields[name] = Decimal(str(fields[name]))
    return Ticket(**fields)


def targeted(response: float | None = 1, resolution: float | None = 4, **overrides: Any) -> Ticket:
    return make_ticket(
        response_target_hours=response, resolution_target_hours=resolution, **overrides
    )


# --- SLA compliance ------------------------------------------------------------------


def test_a_ticket_meets_its_sla_only_when_every_target_it_has_is_met() -> None:
    tickets = [
        # exactly at both deadlines: met
        targeted(priority="P1", first_response_at=h(1), resolved_at=h(4)),
        # resolution one minute late
        targeted(priority="P1", first_response_at=h(0.5), resolved_at=h(4) + timedelta(minutes=1)),
        # response late, resolution in time
        targeted(priority="P1", first_response_at=h(2), resolved_at=h(3)),
        # both late
        targeted(priority="P1", first_response_at=h(2), resolved_at=h(9)),
        # a resolution target only, met
        targeted(None, 8, priority="P2", resolved_at=h(8)),
    ]
    result = sla_compliance(tickets, **WINDOW)
    assert (result.value, result.count, result.met) == (Decimal(40), 5, 2)
    assert (result.response_missed, result.resolution_missed) == (2, 2)
    assert result.by_priority == (PrioritySla("P1", 1, 4), PrioritySla("P2", 1, 1))
    assert [p.value for p in result.by_priority] == [Decimal(25), Decimal(100)]


def test_a_target_still_running_at_the_window_end_leaves_the_ticket_out() -> None:
    tickets = [
        # response deadline END + 2h, nothing yet: running
        targeted(4, None, opened_at=END - timedelta(hours=2)),
        # resolution deadline exactly at END: it could still be met at END, so running
        targeted(None, 4, opened_at=END - timedelta(hours=4)),
        # response met, resolution running: running
        targeted(
            4, 8, opened_at=END - timedelta(hours=2), first_response_at=END - timedelta(hours=1)
        ),
        # no response by the deadline END - 1h: missed, whatever the running resolution does
        targeted(1, 8, opened_at=END - timedelta(hours=2)),
        # no response by the deadline END - 1 microsecond: missed
        targeted(4, None, opened_at=END - timedelta(hours=4, microseconds=1)),
    ]
    result = sla_compliance(tickets, **WINDOW)
    assert (result.value, result.count, result.met, result.running) == (Decimal(0), 2, 0, 3)
    assert result.response_missed == 2


def test_events_at_or_after_the_window_end_have_not_happened_yet() -> None:
    opened = END - timedelta(hours=1)
    tickets = [
        targeted(2, None, opened_at=opened, first_response_at=END),
        targeted(2, None, opened_at=opened, first_response_at=END + timedelta(minutes=30)),
        # a late response after the end: the deadline (END - 30 min) has passed, so missed
        targeted(0.5, None, opened_at=opened, first_response_at=END + timedelta(minutes=1)),
    ]
    result = sla_compliance(tickets, **WINDOW)
    assert (result.value, result.count, result.running, result.response_missed) == (
        Decimal(0),
        1,
        2,
        1,
    )
    # The next window sees the two responses, but they belong to tickets opened before it.
    later = sla_compliance(tickets, start=END, end=END + timedelta(days=7))
    assert (later.value, later.count) == (None, 0)


def test_the_resolution_stands_in_for_a_missing_or_later_first_response() -> None:
    tickets = [
        targeted(2, None, resolved_at=h(1)),  # resolved without a response: answered at 1h
        targeted(2, None, first_response_at=h(3), resolved_at=h(1)),  # resolved first: 1h
        targeted(2, None),  # nothing by the deadline at 2h: missed
        targeted(2, None, first_response_at=h(1), resolved_at=h(5)),  # ordinary: met
    ]
    result = sla_compliance(tickets, **WINDOW)
    assert (result.value, result.count, result.met) == (Decimal(75), 4, 3)
    assert result.resolution_as_response == 2


def test_sla_counts_tickets_opened_in_the_window_with_a_target() -> None:
    tickets = [
        targeted(opened_at=START, first_response_at=START, resolved_at=START),  # in, met
        targeted(opened_at=START - timedelta(microseconds=1), first_response_at=h(9)),  # before
        targeted(opened_at=END, first_response_at=END),  # the next window's
        make_ticket(opened_at=h(1), first_response_at=h(90), resolved_at=h(100)),  # no target
    ]
    result = sla_compliance(tickets, **WINDOW)
    assert (result.value, result.count, result.untargeted, result.running) == (
        Decimal(100),
        1,
        1,
        0,
    )


def test_priorities_are_grouped_ignoring_case_under_their_first_spelling() -> None:
    tickets = [
        targeted(priority="High", first_response_at=h(1), resolved_at=h(2)),
        targeted(priority="high", first_response_at=h(5), resolved_at=h(6)),
        targeted(priority="Critical", first_response_at=h(1), resolved_at=h(2)),
        targeted(priority="HIGH", first_response_at=h(1), resolved_at=h(2)),
    ]
    result = sla_compliance(tickets, **WINDOW)
    assert result.by_priority == (PrioritySla("Critical", 1, 1), PrioritySla("High", 2, 3))
    assert result.value == Decimal(75)


def test_sla_compliance_of_no_tickets_has_no_value() -> None:
    result = sla_compliance([], **WINDOW)
    assert (result.value, result.count, result.by_priority) == (None, 0, ())
    assert len(result.notes()) == 4


@pytest.mark.parametrize("hours", ["0", "-1", "NaN", "Infinity"])
def test_a_target_that_is_not_hours_above_zero_is_refused(hours: str) -> None:
    with pytest.raises(InvalidInput, match="T-1"):
        sla_compliance([make_ticket(response_target_hours=Decimal(hours))], **WINDOW)


# --- MTTA and MTTR --------------------------------------------------------------------


def test_mtta_is_the_median_over_tickets_answered_in_the_window() -> None:
    tickets = [
        make_ticket(opened_at=START - timedelta(hours=2), first_response_at=START),  # 2 h
        make_ticket(opened_at=h(0), first_response_at=h(1)),  # 1 h
        make_ticket(opened_at=d(-2), first_response_at=h(2)),  # 50 h, opened before the window
        make_ticket(opened_at=h(10), first_response_at=h(13)),  # 3 h
        make_ticket(opened_at=h(100), first_response_at=END),  # the next window's; unanswered
        make_ticket(opened_at=h(150)),  # unanswered
        make_ticket(opened_at=d(-9), first_response_at=d(-8)),  # an earlier window's
    ]
    result = response_time(tickets, **WINDOW)
    # 1, 2, 3, 50: an even count, halfway between 2 and 3
    assert (result.value, result.count, result.unanswered) == (Decimal("2.5"), 4, 2)
    assert (result.negative, result.resolution_as_response) == (0, 0)


def test_mtta_counts_a_resolution_without_a_first_response_as_the_response() -> None:
    tickets = [
        make_ticket(opened_at=h(0), resolved_at=h(4)),  # 4 h
        make_ticket(opened_at=h(0), first_response_at=h(1), resolved_at=h(30)),  # 1 h
        make_ticket(opened_at=h(0), first_response_at=h(9), resolved_at=h(2)),  # 2 h
    ]
    result = response_time(tickets, **WINDOW)
    assert (result.value, result.count, result.resolution_as_response) == (Decimal(2), 3, 2)


def test_a_response_before_the_opening_is_left_out_and_zero_counts() -> None:
    tickets = [
        make_ticket(opened_at=h(6), first_response_at=h(5)),
        make_ticket(opened_at=h(6), first_response_at=h(6)),
    ]
    result = response_time(tickets, **WINDOW)
    assert (result.value, result.count, result.negative) == (Decimal(0), 1, 1)


def test_mttr_is_the_median_over_tickets_resolved_in_the_window() -> None:
    tickets = [
        make_ticket(opened_at=h(-24), resolved_at=START),  # 24 h
        make_ticket(opened_at=h(0), resolved_at=h(6)),  # 6 h
        make_ticket(
            opened_at=h(1), resolved_at=h(10), reopened=True
        ),  # 9 h, at its last resolution
        make_ticket(opened_at=h(160), resolved_at=END),  # the next window's; unresolved here
        make_ticket(opened_at=h(2), first_response_at=h(3)),  # unresolved
        make_ticket(opened_at=h(-30), resolved_at=h(-1)),  # an earlier window's
    ]
    result = resolution_time(tickets, **WINDOW)
    assert (result.value, result.count) == (Decimal(9), 3)  # 6, 9, 24: the middle one
    assert (result.reopened, result.unresolved, result.negative) == (1, 2, 0)


def test_mttr_of_an_even_count_lies_between_the_middle_two_exactly() -> None:
    tickets = [
        make_ticket(opened_at=h(0), resolved_at=h(0) + timedelta(minutes=15)),
        make_ticket(opened_at=h(0), resolved_at=h(0) + timedelta(minutes=30)),
    ]
    assert resolution_time(tickets, **WINDOW).value == Decimal("0.375")


def test_times_of_no_tickets_have_no_value() -> None:
    assert (response_time([], **WINDOW).value, response_time([], **WINDOW).count) == (None, 0)
    assert (resolution_time([], **WINDOW).value, resolution_time([], **WINDOW).count) == (None, 0)


# --- backlog --------------------------------------------------------------------------


BACKLOG = [
    make_ticket(ticket_id="a", opened_at=d(-3)),  # open, 10 days old at END
    make_ticket(ticket_id="b", opened_at=d(5), resolved_at=END),  # resolved at END: open, 2
    make_ticket(ticket_id="c", opened_at=d(6), resolved_at=d(6.5)),  # closed
    make_ticket(ticket_id="d", opened_at=END),  # the next window's
    make_ticket(ticket_id="e", opened_at=d(1), resolved_at=END + timedelta(days=1)),  # open, 6
    make_ticket(ticket_id="f", opened_at=d(6.5)),  # open, half a day
    make_ticket(ticket_id="g", opened_at=d(-1), resolved_at=START),  # closed in the window
]


def test_the_backlog_is_what_was_opened_before_the_end_and_not_resolved_before_it() -> None:
    result = backlog_size(BACKLOG, at=END)
    assert (result.value, result.count, result.at) == (Decimal(4), 4, END)


def test_backlog_age_is_the_median_age_in_days_at_the_window_end() -> None:
    result = backlog_age(BACKLOG, at=END)
    # ages 0.5, 2, 6, 10: the median is halfway between 2 and 6
    assert (result.value, result.count) == (Decimal(4), 4)
    assert (result.mean_days, result.oldest_days) == (Decimal("4.625"), Decimal(10))


def test_the_backlog_at_the_end_is_the_one_at_the_start_plus_opened_minus_resolved() -> None:
    at_start = backlog_size(BACKLOG, at=START).count  # a, g
    opened = sum(1 for t in BACKLOG if START <= t.opened_at < END)  # b, c, e, f
    resolved = resolution_time(BACKLOG, **WINDOW).count  # c, g
    assert (at_start, opened, resolved) == (2, 4, 2)
    assert backlog_size(BACKLOG, at=END).count == at_start + opened - resolved


def test_an_empty_backlog_has_size_zero_and_no_age() -> None:
    closed = [make_ticket(opened_at=h(0), resolved_at=h(1))]
    assert backlog_size(closed, at=END).value == Decimal(0)
    age = backlog_age(closed, at=END)
    assert (age.value, age.count, age.mean_days, age.oldest_days) == (None, 0, None, None)


def test_a_backlog_time_without_a_zone_is_refused() -> None:
    with pytest.raises(InvalidInput, match="time zone"):
        backlog_size(BACKLOG, at=END.replace(tzinfo=None))


# --- first-contact resolution and CSAT ------------------------------------------------


def test_first_contact_resolution_needs_one_contact_and_no_reopening() -> None:
    solved = {"opened_at": h(0), "resolved_at": h(2)}
    tickets = [
        make_ticket(contacts=1, **solved),
        make_ticket(contacts=1, **solved),
        make_ticket(contacts=1, **{**solved, "resolved_at": START}),
        make_ticket(contacts=1, reopened=True, **solved),
        make_ticket(contacts=2, **solved),
        make_ticket(contacts=None, **solved),  # left out: unknown
        make_ticket(contacts=0, **solved),  # left out: closed without a contact
        make_ticket(contacts=1, opened_at=h(-10), resolved_at=h(-1)),  # an earlier window's
        make_ticket(contacts=1, opened_at=h(0), resolved_at=END),  # the next window's
        make_ticket(contacts=1, opened_at=h(0)),  # unresolved
    ]
    result = first_contact_resolution(tickets, **WINDOW)
    assert (result.value, result.count, result.first_contact) == (Decimal(60), 5, 3)
    assert (result.reopened, result.unknown_contacts, result.no_contact) == (1, 1, 1)


def test_csat_is_the_mean_rating_of_tickets_resolved_in_the_window() -> None:
    solved = {"opened_at": h(0), "resolved_at": h(2)}
    tickets = [
        *(make_ticket(csat=score, **solved) for score in (5, 4, 2, 3)),
        make_ticket(csat=None, **solved),
        make_ticket(csat=7, **solved),  # outside 1-5: left out
        make_ticket(csat=1, opened_at=h(0), resolved_at=END),  # the next window's
        make_ticket(csat=1, opened_at=h(0)),  # unresolved
    ]
    result = satisfaction(tickets, **WINDOW)
    assert (result.value, result.count, result.satisfied) == (Decimal("3.5"), 4, 2)
    assert result.satisfied_percent == Decimal(50)
    assert (result.unrated, result.out_of_range) == (1, 1)


def test_first_contact_resolution_and_csat_of_no_tickets_have_no_value() -> None:
    fcr, csat = first_contact_resolution([], **WINDOW), satisfaction([], **WINDOW)
    assert (fcr.value, fcr.count, csat.value, csat.count, csat.satisfied_percent) == (
        None,
        0,
        None,
        0,
        None,
    )


# --- all together ---------------------------------------------------------------------


def test_measure_gives_every_ticket_computation_of_the_catalog() -> None:
    metrics = measure_service_desk(BACKLOG, **WINDOW)
    figures = metrics.by_computation()
    assert set(figures) == {name for name in COMPUTATIONS if name.startswith("tickets.")}
    assert figures["tickets.backlog-size"] == backlog_size(BACKLOG, at=END)
    assert figures["tickets.mttr"] == resolution_time(BACKLOG, **WINDOW)
    assert all(figure.notes() for figure in figures.values())


def test_measure_takes_any_iterable_once() -> None:
    metrics = measure_service_desk(iter(BACKLOG), **WINDOW)
    assert (metrics.backlog_size.count, metrics.resolution_time.count) == (4, 2)


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (START, START, "end after it starts"),
        (END, START, "end after it starts"),
        (START.replace(tzinfo=None), END, "time zone"),
        (START, END.replace(tzinfo=None), "time zone"),
    ],
)
def test_a_bad_window_is_refused(start: datetime, end: datetime, message: str) -> None:
    for compute in (sla_compliance, response_time, first_contact_resolution, measure_service_desk):
        with pytest.raises(InvalidInput, match=message):
            compute([], start=start, end=end)


def test_notes_carry_the_numbers_behind_the_figure() -> None:
    notes = sla_compliance([targeted(first_response_at=h(2), resolved_at=h(3))], **WINDOW).notes()
    assert notes[0].startswith("0 of 1 tickets opened in the window met every target")
    assert "1 missed the response target and 0 the resolution target" in notes[1]
