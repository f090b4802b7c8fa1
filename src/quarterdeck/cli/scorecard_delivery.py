"""How the delivery figures and the choices behind them read on the command line: the four
keys and MTTA as plain data for --json, as Rich tables with their DORA bands, and the notes
that say what each figure counted and left out."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from quarterdeck.cli.session import say, table

if TYPE_CHECKING:
    from datetime import datetime

    from quarterdeck.domain.delivery import DeliveryMetrics
    from quarterdeck.domain.delivery_bands import BandRating
    from quarterdeck.services.delivery import DeliveryChoices, DeliveryReport

__all__ = ["choices_json", "choices_rows", "delivery_json", "print_delivery"]

FIGURES = (  # (attribute of DeliveryMetrics, what people call it)
    ("frequency", "Deployment frequency"),
    ("lead_time", "Lead time for changes"),
    ("change_failure_rate", "Change failure rate"),
    ("time_to_restore", "Time to restore"),
    ("time_to_acknowledge", "Time to acknowledge"),
)


# -- plain data --------------------------------------------------------------------------------


def _band_json(rating: BandRating) -> dict[str, Any]:
    return {
        "band": None if rating.band is None else rating.band.value,
        "bands": [band.value for band in rating.bands],
        "stated": rating.stated,
        "note": rating.note(),
    }


def metrics_json(found: DeliveryMetrics) -> dict[str, Any]:
    f, lt, cfr = found.frequency, found.lead_time, found.change_failure_rate
    ttr, mtta = found.time_to_restore, found.time_to_acknowledge
    return {
        "service": found.service,
        "deployment_frequency": {
            "deployments": f.count,
            "days": f.days,
            "per_day": f.per_day,
            "per_week": f.per_week,
            "band": _band_json(f.band),
            "notes": list(f.notes()),
        },
        "lead_time": {
            "median_hours": lt.median_hours,
            "changes": lt.count,
            "commit_time": lt.commit_time.value,
            "excluded_non_positive": lt.non_positive,
            "excluded_bots": lt.bots,
            "excluded_baseline": lt.baseline,
            "band": _band_json(lt.band),
            "notes": list(lt.notes()),
        },
        "change_failure_rate": {
            "rate": cfr.rate,
            "failed": cfr.failed,
            "deployments": cfr.deployments,
            "incidents_linked": cfr.incidents_linked,
            "incidents_unlinked": cfr.incidents_unlinked,
            "band": _band_json(cfr.band),
            "notes": list(cfr.notes()),
        },
        "time_to_restore": {
            "median_hours": ttr.median_hours,
            "incidents": ttr.count,
            "unresolved": ttr.unresolved,
            "band": _band_json(ttr.band),
            "notes": list(ttr.notes()),
        },
        "time_to_acknowledge": {
            "median_hours": mtta.median_hours,
            "incidents": mtta.count,
            "unacknowledged": mtta.unacknowledged,
            "notes": list(mtta.notes()),
        },
    }


def delivery_json(workspace: str, report: DeliveryReport) -> dict[str, Any]:
    overall = report.overall
    return {
        "workspace": workspace,
        "start": overall.start,
        "end": overall.end,
        "bands_edition": overall.bands_edition.value,
        "overall": metrics_json(overall),
        "services": [metrics_json(service) for service in report.services],
        "unresolved_tags": list(report.loaded.unresolved_tags),
    }


def choices_json(choices: DeliveryChoices, version: int) -> dict[str, Any]:
    from quarterdeck.services.delivery import choices_to_json

    return {**choices_to_json(choices), "version": version}


# -- words -------------------------------------------------------------------------------------


def _hours(hours: float | None) -> str:
    if hours is None:
        return "—"
    if hours < 1:
        return f"{round(hours * 60, 1):g} min"
    if hours < 48:
        return f"{round(hours, 1):g} h"
    return f"{round(hours / 24, 1):g} days"


def _median(hours: float | None) -> str:
    return "—" if hours is None else f"{_hours(hours)} median"


def _band(rating: BandRating) -> str:
    return " / ".join(band.value for band in rating.bands) or "—"


def _figures(found: DeliveryMetrics) -> list[tuple[str, str, str]]:
    """(figure, what it counted, band) per figure, in FIGURES order."""
    f, lt, cfr = found.frequency, found.lead_time, found.change_failure_rate
    ttr, mtta = found.time_to_restore, found.time_to_acknowledge
    rate = "—" if cfr.rate is None else f"{round(cfr.rate * 100, 1):g}%"
    return [
        (
            f"{round(f.per_week, 2):g} per week",
            f"{f.count} deployments in {f.days:g} days",
            _band(f.band),
        ),
        (_median(lt.median_hours), f"{lt.count} changes", _band(lt.band)),
        (rate, f"{cfr.failed} of {cfr.deployments} deployments", _band(cfr.band)),
        (_median(ttr.median_hours), f"{ttr.count} incidents", _band(ttr.band)),
        (_median(mtta.median_hours), f"{mtta.count} incidents", "no DORA band"),
    ]


def _all_notes(found: DeliveryMetrics) -> list[tuple[str, tuple[str, ...]]]:
    return [(label, getattr(found, attribute).notes()) for attribute, label in FIGURES]


def _notes(heading: str, found: DeliveryMetrics) -> None:
    say(heading)
    for label, lines in _all_notes(found):
        say(f"  {label}:")
        for line in lines:
            say(f"    - {line}")


def _local(moment: datetime, zone: str) -> str:
    from zoneinfo import ZoneInfo

    return moment.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M")


def print_delivery(workspace: str, zone: str, report: DeliveryReport, *, notes: bool) -> None:
    """The overall figures with their bands, then one row per service; the notes behind
    each figure after each (unless `notes` is off)."""
    overall = report.overall
    say(
        f"Delivery of {workspace} from {_local(overall.start, zone)} to "
        f"{_local(overall.end, zone)} ({zone}), graded by the DORA "
        f"{overall.bands_edition.value} bands."
    )
    table(
        "All services",
        ["Figure", "Value", "Counted", "Band"],
        [(label, *row) for (_, label), row in zip(FIGURES, _figures(overall), strict=True)],
    )
    if notes:
        _notes("What the figures count (all services):", overall)
    if report.services:
        rows = []
        for found in report.services:
            figures = _figures(found)
            cells = [f"{value} ({band})" for value, _, band in figures[:4]]
            rows.append((found.service, *cells, figures[4][0]))
        table("Per service", ["Service", *(label for _, label in FIGURES)], rows)
    for found in report.services if notes else ():
        if _all_notes(found) == _all_notes(overall):
            say(f"What the figures count ({found.service}): the same as for all services.")
        else:
            _notes(f"What the figures count ({found.service}):", found)
    if report.loaded.unresolved_tags:
        say(
            "Release tags whose commit is not read yet (read the repository again): "
            + ", ".join(report.loaded.unresolved_tags)
        )
    if overall.frequency.count == 0:
        say(
            "No deployment in the window: read a repository with `quarterdeck ingest git "
            "--release-tags`, or import deployment events with `quarterdeck ingest deployments`."
        )


def choices_rows(choices: DeliveryChoices, version: int) -> list[tuple[str, object]]:
    s = choices.settings
    gap = s.max_link_gap.total_seconds() / 3600
    linking = f"yes, at most {gap:g} h after the deployment" if s.link_by_service_window else "no"
    rows: list[tuple[str, object]] = [
        ("production environment", s.production_environment),
        ("commit time for lead time", s.commit_time.value),
        ("bot authors left out", ", ".join(s.bot_patterns) or "none"),
        ("link incidents to their service's latest deployment", linking),
        ("DORA bands", s.bands_edition.value),
    ]
    rows += [(f"start point of {name}", sha) for name, sha in sorted(s.start_points.items())]
    rows += [
        (f"release tags of {repository}", f"{rule.pattern} deploy {rule.service}")
        for repository, rule in sorted(choices.releases.items())
    ]
    rows.append(("settings version", version))
    return rows
