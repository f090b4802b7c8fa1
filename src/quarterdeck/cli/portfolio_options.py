"""Arguments and options the portfolio commands (intake, roadmap, capacity, plan, cba) share,
and how their text becomes values: an intake item's number, KEY=VALUE pairs, comma lists,
and figures printed for people."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Annotated

import typer

from quarterdeck.cli.session import fail

if TYPE_CHECKING:
    from decimal import Decimal
    from fractions import Fraction

__all__ = [
    "ItemArg",
    "ItemVersion",
    "figure",
    "item_no",
    "listed",
    "pair",
    "pairs",
    "weeks",
]

ItemArg = Annotated[
    str, typer.Argument(help="Intake item, e.g. IN-12 or 12.", metavar="ITEM", show_default=False)
]
ItemVersion = Annotated[
    int,
    typer.Option(
        "--version",
        min=1,
        help="The item's version you read (`intake show` prints it); refused if the item "
        "changed since.",
        show_default=False,
    ),
]

_LIST = re.compile(r"[,\s]+")


def item_no(text: str) -> int:
    """The number of the intake item named `text` (IN-12 or 12); one red line otherwise."""
    from quarterdeck.domain.errors import InvalidInput
    from quarterdeck.domain.portfolio import item_number

    try:
        return item_number(text)
    except InvalidInput as exc:
        fail(exc.message)


def listed(texts: Iterable[str] | None) -> list[str]:
    """Every value of a repeatable option, each occurrence also split at commas and spaces."""
    return [part for text in texts or () for part in _LIST.split(text.strip()) if part]


def pair(text: str, option: str, form: str) -> tuple[str, str]:
    """KEY=VALUE as (key, value), both stripped; one red line naming `option` and `form`
    (e.g. TEAM=WEEKS) when there is no '=' or no key."""
    key, equals, value = text.partition("=")
    if not equals or not key.strip() or not value.strip():
        fail(f"{option} must read {form}; got {text!r}")
    return key.strip(), value.strip()


def pairs(texts: Iterable[str] | None, option: str, form: str) -> dict[str, str]:
    """The KEY=VALUE values of a repeatable option; a key given twice is one red line."""
    found: dict[str, str] = {}
    for text in texts or ():
        key, value = pair(text, option, form)
        if key in found:
            fail(f"{option} names {key!r} twice")
        found[key] = value
    return found


def figure(value: Fraction | Decimal | float | int | None, places: int = 3) -> str:
    """A number for people: whole numbers as they are, others to at most `places` decimals
    (trailing zeros dropped); '—' for None."""
    from decimal import Decimal
    from fractions import Fraction

    if value is None:
        return "—"
    if isinstance(value, Fraction):
        exact = Decimal(value.numerator) / Decimal(value.denominator)
    else:
        exact = Decimal(str(value))
    rounded = exact.quantize(Decimal(1).scaleb(-places))
    text = format(rounded, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def weeks(value: float | Decimal | None) -> str:
    """Person-weeks to two decimals at most."""
    return figure(value, 2)
