"""A small portfolio built through the command line, and the checks the portfolio command
tests share: a command that works, one refused with one red line, and JSON output."""

from __future__ import annotations

import json
import re
from typing import Any

from tests.cli.conftest import Invoke

READY = ("--ready", "dependencies,risk,security,performance")


def ok(cli: Invoke, *args: str) -> str:
    result = cli(*args)
    assert result.exit_code == 0, result.output
    return result.output


def data(cli: Invoke, *args: str) -> Any:
    return json.loads(ok(cli, *args, "--json"))


def refused(cli: Invoke, *args: str) -> str:
    """The command exits 1 with one line, starting 'error: ' (its message, unwrapped)."""
    result = cli(*args)
    assert result.exit_code == 1, result.output
    assert result.output.startswith("error: "), result.output
    assert result.output.count("\n") == 1, "one line"
    return result.output


def has_row(text: str, *cells: str) -> bool:
    """Whether a printed table holds these cells next to each other, however padded."""
    pattern = r"│\s*" + r"\s*│\s*".join(re.escape(cell) for cell in cells) + r"\s*│"
    return re.search(pattern, text) is not None


def start_portfolio(cli: Invoke) -> Invoke:
    """Workspace acme planning 2027-Q1 and 2027-Q2 with a 60/25/15 split; teams core and web
    of two full-time people each (26 person-weeks a quarter), no reserve."""
    ok(cli, "workspace", "create", "acme", "--name", "Acme", "--time-zone", "Europe/Berlin")
    ok(
        cli,
        *("plan", "settings", "acme", "--quarters", "2027-Q1,2027-Q2"),
        *("--split", "all:product-bet=60", "--split", "all:platform-investment=25"),
        *("--split", "all:risk-reduction=15"),
    )
    for team in ("core", "web"):
        ok(cli, "capacity", "set", "team", "acme", team, "--name", team.title())
        for n in (1, 2):
            ok(cli, "capacity", "set", "person", "acme", f"{team}-{n}", "--team", team)
    return cli


def add(cli: Invoke, title: str, *options: str) -> dict[str, Any]:
    """Add a ready item; its JSON."""
    found: dict[str, Any] = data(cli, "intake", "add", "acme", title, *READY, *options)
    return found


def intake(cli: Invoke) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = data(cli, "intake", "list", "acme", "--status", "all")["items"]
    return items
