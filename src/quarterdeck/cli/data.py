"""backup, restore, export, import."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from quarterdeck.cli.session import WorkspaceArg, cli_state, fail, say


def register(app: typer.Typer) -> None:
    app.command("backup")(backup)
    app.command("restore")(restore)
    app.command("export")(export)
    app.command("import")(import_)


def backup(
    ctx: typer.Context,
    destination: Annotated[
        Path, typer.Argument(help="File to write (SQLite file or pg_dump archive).", metavar="FILE")
    ],
) -> None:
    """Back up the whole database while it stays in use."""
    from quarterdeck.services import backups

    state = cli_state(ctx)
    with state.database():
        written = backups.backup(state.settings.database_url, destination)
    say(f"Backup written to {written} ({written.stat().st_size:,} bytes).")


def restore(
    ctx: typer.Context,
    source: Annotated[
        Path, typer.Argument(help="A file made by `quarterdeck backup`.", metavar="FILE")
    ],
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
) -> None:
    """Replace the whole database with a backup."""
    from quarterdeck.services import backups

    state = cli_state(ctx)
    if not yes and not typer.confirm("This replaces every workspace in the database. Continue?"):
        raise typer.Exit(1)
    with state.database(migrated=False):
        backups.restore(state.settings.database_url, source)
    say(f"Restored from {source}.")


def export(
    ctx: typer.Context,
    workspace: WorkspaceArg,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File to write; default stdout.")
    ] = None,
) -> None:
    """Write one workspace as a canonical JSON document."""
    from quarterdeck.services import portability

    state = cli_state(ctx)
    document = state.run(
        lambda uow: portability.export_workspace(uow, actor=state.operator, workspace=workspace),
        write=False,
    )
    text = portability.dumps(document)
    if output is None:
        sys.stdout.write(text)
        return
    output.write_text(text, encoding="utf-8")
    say(f"Exported {workspace} to {output}.")


def import_(
    ctx: typer.Context,
    source: Annotated[
        Path, typer.Argument(help="A document made by `quarterdeck export`.", metavar="FILE")
    ],
    as_slug: Annotated[str | None, typer.Option("--as", help="Import under another slug.")] = None,
) -> None:
    """Import a workspace document; all or nothing."""
    from quarterdeck.services import portability

    state = cli_state(ctx)
    limit = state.settings.import_max_bytes
    try:
        size = source.stat().st_size
        if size > limit:
            fail(
                f"{source} is {size:,} bytes; the import limit is {limit:,} "
                "(QUARTERDECK_IMPORT_MAX_BYTES)"
            )
        data = source.read_bytes()
    except OSError as exc:
        fail(f"cannot read {source}: {exc.strerror}")
    workspace = state.run(
        lambda uow: portability.import_workspace(
            uow, actor=state.operator, data=data, slug=as_slug, max_bytes=limit
        ),
        write=True,
    )
    say(f"Imported workspace {workspace.slug} ({workspace.name}).")
