"""What every command shares: settings, the database, the operator, output and errors."""

from __future__ import annotations

import getpass
import json
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, TypeVar

import typer

if TYPE_CHECKING:
    from quarterdeck.domain.access import Actor
    from quarterdeck.settings import Settings
    from quarterdeck.storage import Database, UnitOfWork

__all__ = ["Cli", "EmailArg", "JsonFlag", "WorkspaceArg", "emit_json", "fail", "table"]

WorkspaceArg = Annotated[
    str, typer.Argument(help="Workspace slug, e.g. acme.", metavar="WORKSPACE")
]
EmailArg = Annotated[str, typer.Argument(help="Email address of the account.", metavar="EMAIL")]
JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]

T = TypeVar("T")


def fail(message: str) -> NoReturn:
    """One red line on stderr and exit status 1."""
    from rich.console import Console
    from rich.text import Text

    line = Text.assemble(("error:", "bold red"), " ", message)  # never read as markup
    Console(stderr=True, soft_wrap=True).print(line, highlight=False)
    raise typer.Exit(1)


def _plain(value: object) -> object:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def emit_json(value: Any) -> None:
    """Machine-readable output: sorted keys, ISO 8601 times."""
    sys.stdout.write(json.dumps(value, indent=2, sort_keys=True, default=_plain) + "\n")


def table(title: str, columns: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    grid = Table(title=title, title_justify="left")
    for column in columns:
        grid.add_column(column)
    for row in rows:
        grid.add_row(*(Text("—" if cell is None else str(cell)) for cell in row))
    Console().print(grid)


def say(message: str) -> None:
    from rich.console import Console

    Console(soft_wrap=True).print(message, highlight=False, markup=False)


@dataclass
class Cli:
    """Per-invocation state, kept on the Typer context."""

    database_url: str | None = None
    _settings: Settings | None = None

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            from pydantic import ValidationError

            from quarterdeck.settings import Settings

            try:
                self._settings = (
                    Settings()
                    if self.database_url is None
                    else Settings(database_url=self.database_url)
                )
            except ValidationError as exc:
                fail(f"invalid setting: {exc.errors()[0]['loc'][0]}: {exc.errors()[0]['msg']}")
        return self._settings

    @property
    def operator(self) -> Actor:
        from quarterdeck.domain.access import Actor

        return Actor.operator(f"operator:{getpass.getuser()}")

    @contextmanager
    def database(self, *, migrated: bool = True) -> Iterator[Database]:
        from quarterdeck.storage import Database, make_engine
        from quarterdeck.storage.schema import current_revision, head_revision

        engine = make_engine(self.settings.database_url)
        try:
            if migrated and current_revision(engine) != head_revision(engine):
                fail("the database is not initialised or is out of date; run `quarterdeck init`")
            yield Database(engine)
        except Exception as exc:
            _explain(exc)
        finally:
            engine.dispose()

    def run(self, work: Callable[[UnitOfWork], T], *, write: bool) -> T:
        """Run one service call in one transaction; domain errors become one red line."""
        with self.database() as db, db.unit_of_work(write=write) as uow:
            return work(uow)


def _explain(exc: Exception) -> NoReturn:
    from quarterdeck.domain.errors import QuarterdeckError
    from quarterdeck.storage.engine import explain_failure

    if isinstance(exc, QuarterdeckError):
        fail(exc.message)
    reason = explain_failure(exc)
    if reason is not None:
        fail(reason)
    raise exc


def cli_state(ctx: typer.Context) -> Cli:
    state = ctx.find_root().obj
    assert isinstance(state, Cli)
    return state
