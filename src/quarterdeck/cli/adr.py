"""decision import-adr|export-adr: the decision log to and from Architecture Decision Records."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from quarterdeck.cli.session import WorkspaceArg, cli_state, fail, say, table

__all__ = ["register"]


def register(decision_app: typer.Typer) -> None:
    decision_app.command("import-adr")(import_adr)
    decision_app.command("export-adr")(export_adr)


def import_adr(
    ctx: typer.Context,
    workspace: WorkspaceArg,
    directory: Annotated[
        Path, typer.Argument(help="Folder of ADR files (subfolders too).", metavar="DIR")
    ],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Report only; write nothing.")] = False,
) -> None:
    """Import Architecture Decision Records (Nygard, MADR 2-4, log4brains), all or nothing."""
    from quarterdeck.services import adr_exchange

    state = cli_state(ctx)
    result = state.run(
        lambda uow: adr_exchange.import_adrs(
            uow, actor=state.operator, workspace=workspace, directory=directory, dry_run=dry_run
        ),
        write=not dry_run,
    )
    rows = [
        (f.source, f.outcome, f.format, ", ".join(f.taken), "; ".join((*f.problems, *f.notes)))
        for f in result.report
    ]
    table("ADR import report", ["File", "Outcome", "Format", "Taken", "Problems and guesses"], rows)
    if result.dry_run:
        say("Dry run: nothing was written.")
    else:
        say(f"Imported {len(result.numbers)} decision(s) into {workspace}.")


def export_adr(
    ctx: typer.Context,
    workspace: WorkspaceArg,
    directory: Annotated[
        Path, typer.Argument(help="Folder to write, one file per decision.", metavar="DIR")
    ],
    fmt: Annotated[str, typer.Option("--format", help="madr (every field) or nygard.")] = "madr",
    overwrite: Annotated[bool, typer.Option(help="Write into a folder that has files.")] = False,
) -> None:
    """Write the decision log as Architecture Decision Records."""
    from quarterdeck.services import adr_exchange

    if fmt not in ("madr", "nygard"):
        fail("--format must be madr or nygard")
    state = cli_state(ctx)
    written = state.run(
        lambda uow: adr_exchange.export_adrs(
            uow,
            actor=state.operator,
            workspace=workspace,
            directory=directory,
            fmt="madr" if fmt == "madr" else "nygard",
            overwrite=overwrite,
        ),
        write=False,
    )
    say(f"Wrote {len(written)} file(s) to {directory}.")
