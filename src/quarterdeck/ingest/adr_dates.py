"""Reading the dates people write in ADRs: 2020-11-27, 27/11/2020, 27.11.2020,
November 27, 2020, 27th Nov 2020, and the dates YAML front matter already holds."""

from __future__ import annotations

import re
from datetime import date, datetime

__all__ = ["parse_date"]

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = "(?P<month_name>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day_name>\d{1,2})(?:st|nd|rd|th)?"
_ISO = re.compile(r"(?<!\d)(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})(?!\d)")
_NUMERIC = re.compile(
    r"(?<!\d)(?P<a>\d{1,2})(?P<sep>[-/.])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4})(?!\d)"
)
_MONTH_FIRST = re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+(?P<y>\d{{4}})\b", re.IGNORECASE)
_DAY_FIRST = re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH},?\s+(?P<y>\d{{4}})\b", re.IGNORECASE)


def parse_date(raw: object) -> tuple[date, str] | None:
    """(date, note) from a YAML date or text such as 2020-11-27, 27/11/2020, 27.11.2020 or
    November 27, 2020. The note says how an ambiguous date was read ("" when it was not)."""
    if isinstance(raw, datetime):
        return raw.date(), ""
    if isinstance(raw, date):
        return raw, ""
    if not isinstance(raw, str):
        return None
    for pattern in (_ISO, _NUMERIC, _MONTH_FIRST, _DAY_FIRST):
        match = pattern.search(raw)
        if match is None:
            continue
        found = _date_from(match)
        if found is not None:
            return found
    return None


def _date_from(match: re.Match[str]) -> tuple[date, str] | None:
    groups = match.groupdict()
    year, note = int(groups["y"]), ""
    if groups.get("month_name"):
        month, day = _MONTHS[groups["month_name"].lower()], int(groups["day_name"])
    elif groups.get("a"):
        first, second = int(groups["a"]), int(groups["b"])
        day, month = first, second
        if second > 12 >= first:
            day, month = second, first
            note = f"date {match.group(0)!r} read as month/day/year"
        elif first <= 12 and second <= 12 and first != second and groups["sep"] != ".":
            note = f"date {match.group(0)!r} read as day/month/year"
    else:
        month, day = int(groups["m"]), int(groups["d"])
    try:
        return date(year, month, day), note
    except ValueError:
        return None
