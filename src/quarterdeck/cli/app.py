"""`quarterdeck` (alias `qd`): the command line."""

from __future__ import annotations

from typing import Annotated

import typer

from quarterdeck.cli import (
    accounts,
    advise,
    assess,
    capacity,
    cost_benefit,
    data,
    decisions,
    engagements,
    ingest,
    intake,
    leadership_setup,
    metrics,
    playbooks,
    portfolio_plan,
    rights,
    roadmap,
    roles,
    scorecard,
    server,
    workspaces,
)
from quarterdeck.cli.session import Cli

__all__ = ["app", "main"]

app = typer.Typer(
    name="quarterdeck",
    help="Quarterdeck: the operating system for technology leadership.",
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@app.callback()
def root(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="Database URL (sqlite:///path.db or postgresql+psycopg://...); "
            "overrides QUARTERDECK_DATABASE_URL.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Quarterdeck: the operating system for technology leadership."""
    ctx.obj = Cli(database_url=db)


server.register(app)
workspaces.register(app)
accounts.register(app)
data.register(app)
decisions.register(app)
rights.register(app)
metrics.register(app)
scorecard.register(app)
ingest.register(app)
intake.register(app)
roadmap.register(app)
capacity.register(app)
portfolio_plan.register(app)
cost_benefit.register(app)
roles.register(app)
advise.register(app)
leadership_setup.register(app)
playbooks.register(app)
engagements.register(app)
assess.register(app)


def main() -> None:
    app()
