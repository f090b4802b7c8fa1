"""The CLI reference (docs/cli.md), generated from the commands' own --help."""

from __future__ import annotations

from typing import Any

import typer

__all__ = ["render_reference", "render_summary", "with_summary"]

SUMMARY_START = "<!-- cli-summary:start -->"
SUMMARY_END = "<!-- cli-summary:end -->"

WIDTH = 100


def render_reference(app: typer.Typer) -> str:
    """Markdown with every command's help text, in the order the CLI lists them."""
    root = typer.main.get_command(app)
    parts = [
        "# Command-line reference\n",
        "Generated from `quarterdeck --help`; `qd` is the same program. "
        "Regenerate with `make docs`.\n",
    ]
    for path, ctx in _walk(root, _context(root, "quarterdeck", None)):
        level = "#" * min(2 + path.count(" "), 4)
        parts.append(f"{level} `{path}`\n\n```text\n{ctx.command.get_help(ctx).rstrip()}\n```\n")
    return "\n".join(parts)


def _context(command: Any, name: str, parent: Any) -> Any:
    settings = {**command.context_settings, "terminal_width": WIDTH, "max_content_width": WIDTH}
    return command.context_class(command, info_name=name, parent=parent, **settings)


def _walk(command: Any, ctx: Any) -> list[tuple[str, Any]]:
    found = [(ctx.command_path, ctx)]
    if hasattr(command, "list_commands"):
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            if sub is not None and not sub.hidden:
                found.extend(_walk(sub, _context(sub, name, ctx)))
    return found


def render_summary(app: typer.Typer) -> str:
    """A Markdown table of every command and its one-line help, for the README."""
    root = typer.main.get_command(app)
    rows = ["| command | what it does |", "|---|---|"]
    for path, ctx in _walk(root, _context(root, "quarterdeck", None))[1:]:
        if hasattr(ctx.command, "list_commands"):
            continue
        rows.append(f"| `{path}` | {ctx.command.get_short_help_str(limit=200)} |")
    return "\n".join(rows) + "\n"


def with_summary(readme: str, summary: str) -> str:
    """The README with the text between the summary markers replaced by `summary`."""
    head, _, rest = readme.partition(SUMMARY_START)
    _, _, tail = rest.partition(SUMMARY_END)
    return f"{head}{SUMMARY_START}\n{summary}{SUMMARY_END}{tail}"
