"""The figures the service-desk metrics give (`quarterdeck.domain.service_desk` computes
them and states the rules): each with its value, the counts behind it, and `notes()` saying
in words how it was reached. Values are Decimals in the catalog's unit, None when nothing
was there to compute from.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

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
    "percent",
]

HUNDRED = Decimal(100)


def percent(part: int, whole: int) -> Decimal | None:
    """`part` as a percent of `whole`; None when `whole` is zero."""
    return None if whole == 0 else HUNDRED * part / whole


@dataclass(frozen=True, slots=True)
class PrioritySla:
    priority: str  # as first spelled in the tickets given
    met: int
    count: int  # decided tickets of this priority

    @property
    def value(self) -> Decimal | None:
        return percent(self.met, self.count)


@dataclass(frozen=True, slots=True)
class SlaCompliance:
    value: Decimal | None  # percent of decided tickets that met every target they have
    count: int  # decided tickets opened in the window
    met: int
    response_missed: int  # decided tickets that missed their response target
    resolution_missed: int  # ... their resolution target (a ticket may miss both)
    running: int  # opened in the window, nothing missed, a target still running at the end
    untargeted: int  # opened in the window without any target
    resolution_as_response: int  # decided tickets whose resolution stood in for a response
    by_priority: tuple[PrioritySla, ...]  # sorted by priority, ignoring case

    def notes(self) -> tuple[str, ...]:
        return (
            f"{self.met} of {self.count} tickets opened in the window met every target they "
            "have (response and/or resolution, each at or before opening + target hours).",
            f"{self.response_missed} missed the response target and {self.resolution_missed} "
            "the resolution target; a target not met by the window end counts as missed "
            "once its deadline is before the end.",
            f"{self.running} tickets are left out because a target was still running at the "
            f"window end, and {self.untargeted} because they have no target.",
            f"{self.resolution_as_response} tickets had no earlier first response; their "
            "resolution counts as the response.",
        )


@dataclass(frozen=True, slots=True)
class ResponseTime:
    """tickets.mtta."""

    value: Decimal | None  # median hours from opening to response
    count: int  # tickets whose response falls in the window
    negative: int  # responded before opened: left out
    resolution_as_response: int  # counted tickets whose resolution stood in for a response
    unanswered: int  # opened in the window, no response by its end

    def notes(self) -> tuple[str, ...]:
        return (
            f"Interpolated median of the hours from opening to first response over {self.count} "
            "tickets answered in the window, whenever they were opened.",
            f"{self.resolution_as_response} of them had no earlier first response; their "
            "resolution counts as the response.",
            f"{self.negative} answered before they were opened are left out; {self.unanswered} "
            "opened in the window had no response by its end and are not in the figure.",
        )


@dataclass(frozen=True, slots=True)
class ResolutionTime:
    """tickets.mttr."""

    value: Decimal | None  # median hours from opening to resolution
    count: int  # tickets resolved in the window
    negative: int  # resolved before opened: left out
    reopened: int  # counted tickets that were reopened (timed to their given resolution)
    unresolved: int  # opened in the window, not resolved by its end

    def notes(self) -> tuple[str, ...]:
        return (
            f"Interpolated median of the hours from opening to resolution over {self.count} "
            "tickets resolved in the window, whenever they were opened.",
            f"{self.reopened} of them were reopened; they count at the resolution the export "
            "gives.",
            f"{self.negative} resolved before they were opened are left out; {self.unresolved} "
            "opened in the window were still open at its end and are not in the figure.",
        )


@dataclass(frozen=True, slots=True)
class BacklogSize:
    """tickets.backlog-size."""

    value: Decimal  # tickets open at `at`
    count: int
    at: datetime

    def notes(self) -> tuple[str, ...]:
        return (
            f"{self.count} tickets opened before the window end and not resolved before it; "
            "one resolved exactly at the end is still open.",
        )


@dataclass(frozen=True, slots=True)
class BacklogAge:
    """tickets.backlog-age."""

    value: Decimal | None  # median age in days of the tickets open at `at`
    count: int
    mean_days: Decimal | None
    oldest_days: Decimal | None
    at: datetime

    def notes(self) -> tuple[str, ...]:
        return (
            f"Interpolated median of the days from opening to the window end over the "
            f"{self.count} tickets open at the end.",
            "The mean and the oldest age are given beside it: old tickets left to rot show "
            "there first.",
        )


@dataclass(frozen=True, slots=True)
class FirstContactResolution:
    """tickets.first-contact-resolution."""

    value: Decimal | None  # percent
    count: int  # resolved in the window with a contacts count of at least one
    first_contact: int  # of those, one contact and not reopened
    reopened: int  # of those, reopened (never a first-contact resolution)
    unknown_contacts: int  # resolved in the window without a contacts count: left out
    no_contact: int  # resolved in the window with zero contacts: left out

    def notes(self) -> tuple[str, ...]:
        return (
            f"{self.first_contact} of {self.count} tickets resolved in the window took one "
            "contact and were not reopened.",
            f"{self.reopened} of them were reopened, which is never a first-contact resolution.",
            f"{self.unknown_contacts} without a contacts count and {self.no_contact} closed "
            "without any contact are left out.",
        )


@dataclass(frozen=True, slots=True)
class Satisfaction:
    """tickets.csat."""

    value: Decimal | None  # mean rating, 1-5
    count: int  # rated tickets resolved in the window
    satisfied: int  # rated 4 or 5
    unrated: int  # resolved in the window without a rating
    out_of_range: int  # rating outside 1-5: left out

    @property
    def satisfied_percent(self) -> Decimal | None:
        return percent(self.satisfied, self.count)

    def notes(self) -> tuple[str, ...]:
        return (
            f"Mean of {self.count} ratings from 1 to 5 on tickets resolved in the window (the "
            f"resolution places a rating); {self.satisfied} rated 4 or 5.",
            f"{self.unrated} resolved tickets have no rating"
            + (
                f"; {self.out_of_range} ratings outside 1-5 are left out."
                if self.out_of_range
                else "."
            )
            + " A handful of ratings says little.",
        )


TicketFigure = (
    SlaCompliance
    | ResponseTime
    | ResolutionTime
    | BacklogSize
    | BacklogAge
    | FirstContactResolution
    | Satisfaction
)


@dataclass(frozen=True, slots=True)
class ServiceDeskMetrics:
    start: datetime  # included
    end: datetime  # excluded
    sla_compliance: SlaCompliance
    response_time: ResponseTime
    resolution_time: ResolutionTime
    backlog_size: BacklogSize
    backlog_age: BacklogAge
    first_contact_resolution: FirstContactResolution
    satisfaction: Satisfaction

    def by_computation(self) -> dict[str, TicketFigure]:
        """Each figure under the computation name a catalog entry's `computed_by` gives."""
        return {
            "tickets.sla-compliance": self.sla_compliance,
            "tickets.mtta": self.response_time,
            "tickets.mttr": self.resolution_time,
            "tickets.backlog-size": self.backlog_size,
            "tickets.backlog-age": self.backlog_age,
            "tickets.first-contact-resolution": self.first_contact_resolution,
            "tickets.csat": self.satisfaction,
        }
