from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest

from quarterdeck.domain.errors import InvalidInput
from quarterdeck.domain.playbooks import (
    MAX_DAY,
    Playbook,
    PlaybookStep,
    ScheduledStep,
    overdue,
    schedule,
)


def make_step(**overrides: Any) -> PlaybookStep:
    values: dict[str, Any] = {
        "key": "assess",
        "title": "Assess the estate",
        "done_when": "A written assessment exists.",
        "owner": "cto",
        "start_day": 0,
        "due_day": 14,
        "artifact": "assessment report",
    }
    return PlaybookStep(**(values | overrides))


def make_playbook(*steps: PlaybookStep) -> Playbook:
    return Playbook(
        key="first-month",
        name="First month",
        summary="Learn, then act.",
        exit_criterion="The leader knows what to do next.",
        steps=steps or (make_step(),),
    )


PLAYBOOK = make_playbook(
    make_step(key="listen", start_day=0, due_day=14),
    make_step(key="assess", start_day=7, due_day=30),
    make_step(key="agenda", start_day=60, due_day=90),
)


def dates(steps: tuple[ScheduledStep, ...]) -> list[tuple[str, date, date]]:
    return [(s.step.key, s.starts_on, s.due_on) for s in steps]


# --- steps and playbooks ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("start_day", "due_day", "problem"),
    [
        (-1, 14, "start_day must be 0 to 730"),
        (0, MAX_DAY + 1, "due_day must be 0 to 730"),
        (15, 14, "due_day 14 is before start_day 15"),
        (True, 14, "start_day must be a whole number of days"),
    ],
)
def test_a_step_window_must_run_forwards_within_two_years(
    start_day: Any, due_day: Any, problem: str
) -> None:
    with pytest.raises(InvalidInput, match=problem):
        make_step(start_day=start_day, due_day=due_day)


def test_a_step_may_start_and_end_on_the_same_day() -> None:
    assert make_step(start_day=MAX_DAY, due_day=MAX_DAY).due_day == MAX_DAY


def test_a_playbook_needs_steps_with_unique_keys() -> None:
    with pytest.raises(InvalidInput, match="has no steps"):
        replace(PLAYBOOK, steps=())
    with pytest.raises(InvalidInput, match="step key 'listen' is repeated"):
        make_playbook(make_step(key="listen"), make_step(key="listen"))


def test_a_playbook_finds_its_steps_by_key() -> None:
    assert PLAYBOOK.step("assess").start_day == 7
    assert PLAYBOOK.step_keys == ("listen", "assess", "agenda")
    assert PLAYBOOK.length_days == 90
    with pytest.raises(InvalidInput, match="no step 'nope'; known: listen, assess, agenda"):
        PLAYBOOK.step("nope")


# --- scheduling -------------------------------------------------------------------------


def test_steps_are_dated_from_the_start_day() -> None:
    scheduled = schedule(PLAYBOOK, date(2024, 5, 6), "UTC")
    assert dates(scheduled) == [
        ("listen", date(2024, 5, 6), date(2024, 5, 20)),
        ("assess", date(2024, 5, 13), date(2024, 6, 5)),
        ("agenda", date(2024, 7, 5), date(2024, 8, 4)),
    ]
    assert scheduled[0].step is PLAYBOOK.steps[0]


def test_dates_roll_over_month_and_year_ends() -> None:
    # 2024 is a leap year: 20 Jan + 30 days is 19 Feb; 20 Jan + 90 days is 19 Apr.
    assert dates(schedule(PLAYBOOK, date(2024, 1, 20), "Europe/Paris"))[1:] == [
        ("assess", date(2024, 1, 27), date(2024, 2, 19)),
        ("agenda", date(2024, 3, 20), date(2024, 4, 19)),
    ]
    # 20 Dec 2023 + 14 days is 3 Jan 2024; + 90 days is 19 Mar 2024 (29 Feb counted).
    scheduled = schedule(PLAYBOOK, date(2023, 12, 20), "UTC")
    assert scheduled[0].due_on == date(2024, 1, 3)
    assert scheduled[2].due_on == date(2024, 3, 19)


def test_a_daylight_saving_change_moves_no_date() -> None:
    # London springs forward on 31 March 2024 and falls back on 27 October 2024.
    spring = schedule(PLAYBOOK, date(2024, 3, 25), "Europe/London")
    assert spring[0].due_on == date(2024, 4, 8)
    autumn = schedule(PLAYBOOK, date(2024, 10, 20), "Europe/London")
    assert autumn[0].due_on == date(2024, 11, 3)
    assert dates(spring) == dates(schedule(PLAYBOOK, date(2024, 3, 25), "UTC"))


def test_a_start_time_is_read_as_a_date_in_the_workspace_zone() -> None:
    moment = datetime(2024, 1, 31, 23, 30, tzinfo=UTC)  # already 1 February in Auckland
    assert schedule(PLAYBOOK, moment, "Pacific/Auckland")[0].starts_on == date(2024, 2, 1)
    assert schedule(PLAYBOOK, moment, "UTC")[0].starts_on == date(2024, 1, 31)
    assert schedule(PLAYBOOK, moment, "America/New_York")[0].due_on == date(2024, 2, 14)
    offset = datetime(2024, 3, 1, 1, 0, tzinfo=timezone(timedelta(hours=2)))
    assert schedule(PLAYBOOK, offset, "UTC")[0].starts_on == date(2024, 2, 29)


def test_a_start_time_without_a_zone_is_refused() -> None:
    with pytest.raises(InvalidInput, match="must carry its time zone"):
        schedule(PLAYBOOK, datetime(2024, 1, 31, 12, 0), "UTC")


@pytest.mark.parametrize("zone", ["Mars/Olympus_Mons", "", "../etc/passwd", "UTC+99"])
def test_an_unknown_zone_is_refused(zone: str) -> None:
    with pytest.raises(InvalidInput, match="is not a known IANA time zone"):
        schedule(PLAYBOOK, date(2024, 1, 1), zone)


# --- overdue ----------------------------------------------------------------------------


def test_a_step_is_overdue_the_day_after_it_falls_due() -> None:
    scheduled = schedule(PLAYBOOK, date(2024, 1, 1), "UTC")  # listen due 15 Jan, assess 31 Jan
    assert overdue(scheduled, date(2024, 1, 15)) == ()
    assert [s.step.key for s in overdue(scheduled, date(2024, 1, 16))] == ["listen"]
    assert [s.step.key for s in overdue(scheduled, date(2024, 2, 1))] == ["listen", "assess"]
    assert scheduled[1].is_overdue(date(2024, 2, 1))
    assert not scheduled[2].is_overdue(date(2024, 2, 1))


def test_finished_steps_are_never_overdue() -> None:
    scheduled = schedule(PLAYBOOK, date(2024, 1, 1), "UTC")
    late = overdue(scheduled, date(2025, 1, 1), done={"listen", "agenda"})
    assert [s.step.key for s in late] == ["assess"]
