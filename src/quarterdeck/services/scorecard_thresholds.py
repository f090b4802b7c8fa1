"""A scorecard metric's thresholds as people type them and as they are stored: numbers
read from text ('1,200', '99.5%'), the lines a metric of each direction takes, and their
JSON form."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from quarterdeck.domain.errors import InvalidInput
from quarterdeck.domain.scorecard import (
    BandThresholds,
    Direction,
    Thresholds,
    check_thresholds,
)

__all__ = ["parse_amount", "parse_thresholds", "thresholds_from_json", "thresholds_to_json"]


def parse_amount(text: str, what: str) -> Decimal:
    """A decimal typed by a person ('24', '99.5', '1,200'); InvalidInput naming `what`."""
    cleaned = text.strip().replace(",", "").replace("_", "").removesuffix("%")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise InvalidInput(f"{what} must be a number; got {text!r}") from None
    if not value.is_finite() or abs(value) >= Decimal("1e15"):
        raise InvalidInput(f"{what} must be a finite number below 10^15; got {text!r}")
    return value


def parse_thresholds(
    direction: Direction, values: Mapping[str, str]
) -> Thresholds | BandThresholds | None:
    """Thresholds from text fields: target/warning/critical, or low/high/critical_low/
    critical_high for a target-band metric; all empty means none. Checked against the
    direction, with a message saying which line is out of order."""
    filled = {k: v for k, v in values.items() if v is not None and v.strip()}
    if not filled:
        return None
    if direction is Direction.TARGET_BAND:
        unknown = set(filled) - {"low", "high", "critical_low", "critical_high"}
        missing = [name for name in ("low", "high") if name not in filled]
    else:
        unknown = set(filled) - {"target", "warning", "critical"}
        missing = [name for name in ("target", "warning", "critical") if name not in filled]
    if unknown:
        raise InvalidInput(
            f"a {direction.value} metric takes no {', '.join(sorted(unknown))} threshold"
        )
    if missing:
        raise InvalidInput(f"thresholds need {' and '.join(missing)} as well")
    amounts = {k: parse_amount(v, k.replace("_", " ")) for k, v in filled.items()}
    found: Thresholds | BandThresholds
    if direction is Direction.TARGET_BAND:
        found = BandThresholds(**amounts)
    else:
        found = Thresholds(**amounts)
    check_thresholds(direction, found)
    return found


def thresholds_to_json(found: Thresholds | BandThresholds | None) -> dict[str, Any]:
    """The lines as stored: amounts as strings, the lines not set left out ({} for none)."""
    if found is None:
        return {}
    if isinstance(found, BandThresholds):
        data = {
            "low": found.low,
            "high": found.high,
            "critical_low": found.critical_low,
            "critical_high": found.critical_high,
        }
    else:
        data = {"target": found.target, "warning": found.warning, "critical": found.critical}
    return {k: str(v) for k, v in data.items() if v is not None}


def thresholds_from_json(data: Mapping[str, Any]) -> Thresholds | BandThresholds | None:
    """The stored lines back (None when none are set)."""
    if not data:
        return None
    amounts = {k: Decimal(v) for k, v in data.items()}
    if "low" in amounts:
        return BandThresholds(**amounts)
    return Thresholds(**amounts)
