"""init, db upgrade, serve, demo."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from quarterdeck.cli.session import cli_state, say

db_app = typer.Typer(help="Database schema.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.command("init")(init)
    app.command("serve")(serve)
    app.command("demo")(demo)
    app.add_typer(db_app, name="db")


def init(ctx: typer.Context) -> None:
    """Create or upgrade the database schema (safe to run again)."""
    _upgrade(ctx)


@db_app.command("upgrade")
def db_upgrade(ctx: typer.Context) -> None:
    """Apply every pending schema migration."""
    _upgrade(ctx)


def _upgrade(ctx: typer.Context) -> None:
    from quarterdeck.storage import upgrade
    from quarterdeck.storage.engine import display_url
    from quarterdeck.storage.schema import current_revision

    state = cli_state(ctx)
    with state.database(migrated=False) as db:
        upgrade(db.engine)
        say(
            f"Database ready at schema {current_revision(db.engine)}: "
            f"{display_url(state.settings.database_url)}"
        )


def serve(
    ctx: typer.Context,
    host: Annotated[
        str | None, typer.Option(help="Address to listen on [default: 127.0.0.1].")
    ] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on [default: 8000].")] = None,
) -> None:
    """Serve the web UI and the API."""
    import uvicorn

    state = cli_state(ctx)
    settings = state.settings
    with state.database():
        pass  # refuse to start on a missing or outdated schema
    os.environ["QUARTERDECK_DATABASE_URL"] = settings.database_url
    uvicorn.run(
        "quarterdeck.web.asgi:app_from_env",
        factory=True,
        host=host or settings.host,
        port=port or settings.port,
        log_level=settings.log_level,
        proxy_headers=True,
    )


def demo(
    ctx: typer.Context,
    password: Annotated[
        str | None,
        typer.Option(
            help="Password for the demo accounts (generated when omitted).", show_default=False
        ),
    ] = None,
    data_dir: Annotated[
        Path | None,
        typer.Option(
            help="Folder for the year of engineering records the demo generates and imports "
            "(git repository, deployment, incident, scan, ticket and cost exports) "
            "[default: beside a SQLite database file, else in the user data directory].",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Build the fictional demo organisation (or reset its passwords) and print how to sign in."""
    from quarterdeck.services.demo import build as build_demo
    from quarterdeck.services.demo import default_data_dir

    state = cli_state(ctx)
    url = state.settings.database_url
    built = state.run(
        lambda uow: build_demo(
            uow,
            actor=state.operator,
            password=password,
            data_dir=data_dir or default_data_dir(url),
        ),
        write=True,
    )
    say(f"Demo organisation {built.workspace.name} is ready (clearly labelled demo data).")
    if built.engineering is not None:
        say(f"A year of its engineering records was generated in {built.engineering.folder}")
    say(f"Sign in at http://{state.settings.host}:{state.settings.port}/login")
    for account in built.accounts:
        say(f"  {account.role:<7} {account.email:<30} {', '.join(account.workspaces)}")
    say(f"Password for every demo account: {built.password}")
