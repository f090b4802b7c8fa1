"""ingest git|deployments|incidents|tickets|costs|scan: engineering records into a workspace,
from which the scorecard's computed metrics and the delivery figures come."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from quarterdeck.cli.session import JsonFlag, WorkspaceArg, cli_state, emit_json, fail, say

if TYPE_CHECKING:
    from collections.abc import Callable

    from rich.progress import Progress

    from quarterdeck.cli.session import Cli
    from quarterdeck.domain.errors import QuarterdeckError
    from quarterdeck.services.engineering import FileIntake, GitIntake

__all__ = ["read_input", "register"]

ingest_app = typer.Typer(
    help="Engineering records: git history, deployments, incidents, tickets, costs and scans.",
    no_args_is_help=True,
)

FileArg = Annotated[Path, typer.Argument(help="CSV or JSON export.", metavar="FILE")]
ZoneFlag = Annotated[
    bool,
    typer.Option(
        "--assume-workspace-zone",
        help="Read times without a zone in the workspace's time zone (otherwise refused).",
    ),
]


def register(app: typer.Typer) -> None:
    app.add_typer(ingest_app, name="ingest")


def read_input(state: Cli, path: Path) -> bytes:
    """The bytes of a file to import, refused with one red line when it is missing, not a
    regular file, or larger than the import limit (QUARTERDECK_IMPORT_MAX_BYTES)."""
    limit = state.settings.import_max_bytes
    try:
        found = path.stat()
        if not stat.S_ISREG(found.st_mode):
            fail(f"{path} is not a file")
        if found.st_size > limit:
            from quarterdeck.ingest.limits import too_large

            fail(too_large(str(path), size=found.st_size, max_bytes=limit))
        with path.open("rb") as handle:
            data = handle.read(limit + 1)  # the file may grow after stat
    except OSError as exc:
        fail(f"cannot read {path}: {exc.strerror or exc}")
    if len(data) > limit:
        from quarterdeck.ingest.limits import too_large

        fail(too_large(str(path), size=None, max_bytes=limit))
    return data


def _intake_json(done: FileIntake) -> dict[str, Any]:
    return {
        "kind": done.kind,
        "source": done.source,
        "rows": done.rows,
        "added": done.intake.added,
        "updated": done.intake.updated,
        "unchanged": done.intake.unchanged,
        "notes": list(done.notes),
    }


def _report(workspace: str, done: FileIntake, as_json: bool) -> None:
    if as_json:
        emit_json(_intake_json(done))
        return
    intake = done.intake
    say(
        f"{done.source} into {workspace} ({done.kind}, {done.rows} row(s)): {intake.added} added, "
        f"{intake.updated} updated, {intake.unchanged} unchanged."
    )
    for note in done.notes:
        say(f"  note: {note}")


def _import_file(
    ctx: typer.Context,
    workspace: str,
    source: Path,
    as_json: bool,
    call: Callable[..., FileIntake],
    **options: Any,
) -> None:
    state = cli_state(ctx)
    data = read_input(state, source)
    done = state.run(
        lambda uow: call(
            uow,
            actor=state.operator,
            workspace=workspace,
            data=data,
            source=source.name,
            max_bytes=state.settings.import_max_bytes,
            **options,
        ),
        write=True,
    )
    _report(workspace, done, as_json)


class _Interrupted(Exception):
    """A domain error raised under the progress display, to be shown after it is cleared
    (printed while it runs, the message would be drawn over by it)."""

    def __init__(self, error: QuarterdeckError) -> None:
        super().__init__(error.message)
        self.error = error


def _commit_counter(label: str) -> tuple[Progress, Callable[[int], None]]:
    """A spinner with the commits read so far (git gives no total) on stderr when it is a
    terminal, shown from the first count on (once the database and the workspace have been
    opened) and cleared when stopped."""
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    shown = Progress(
        SpinnerColumn(),
        TextColumn("Reading {task.description}"),
        TextColumn("{task.completed:,.0f} commits"),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    )
    task = shown.add_task(label, total=None)

    def advance(commits: int) -> None:
        if not shown.live.is_started and shown.console.is_terminal:
            shown.start()
        shown.update(task, completed=commits)

    return shown, advance


def _clear(shown: Progress) -> None:
    if shown.live.is_started:  # stopping one never started would print an empty line
        shown.stop()


@ingest_app.command("git")
def git(
    ctx: typer.Context,
    workspace: WorkspaceArg,
    path: Annotated[
        Path,
        typer.Argument(help="A repository's top folder, or a bare repository.", metavar="PATH"),
    ],
    name: Annotated[
        str | None,
        typer.Option(
            help="Name to keep it under (default: the folder's name).", show_default=False
        ),
    ] = None,
    release_tags: Annotated[
        str | None,
        typer.Option(
            help="Tags that are releases, e.g. 'v*': each becomes a production deployment. "
            "Kept for later reads.",
            show_default=False,
        ),
    ] = None,
    service: Annotated[
        str | None,
        typer.Option(
            help="Service the release tags deploy (default: the repository's name).",
            show_default=False,
        ),
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Read a local git repository's history and tags; only commits not read before are
    added."""
    from quarterdeck.domain.errors import QuarterdeckError
    from quarterdeck.services import engineering

    state = cli_state(ctx)
    if service is not None and release_tags is None:
        fail("--service names the service of the release tags; give --release-tags as well")
    shown, advance = _commit_counter(name or path.resolve().name)

    def read(uow: Any) -> GitIntake:
        try:
            return engineering.ingest_git(
                uow,
                actor=state.operator,
                workspace=workspace,
                path=str(path),
                name=name,
                release_pattern=release_tags,
                service=service,
                progress=advance,
            )
        except QuarterdeckError as error:  # rolls back; said once the display is gone
            raise _Interrupted(error) from error

    try:
        done = state.run(read, write=True)
    except _Interrupted as interrupted:
        _clear(shown)
        fail(interrupted.error.message)
    finally:
        _clear(shown)
    if as_json:
        emit_json(
            {
                "repository": done.repository,
                "commits_added": done.commits_added,
                "tags": done.tags,
                "deployments_from_tags": done.deployments_from_tags,
            }
        )
        return
    say(
        f"Read {done.repository} into {workspace}: {done.commits_added} new commit(s), "
        f"{done.tags} tag(s)."
    )
    if done.deployments_from_tags:
        say(f"{done.deployments_from_tags} release tag(s) count as production deployments.")
    else:
        say(
            "No tag counts as a deployment: give --release-tags 'v*' (your pattern), or "
            "import deployment events with `quarterdeck ingest deployments`."
        )


@ingest_app.command("deployments")
def deployments(
    ctx: typer.Context,
    workspace: WorkspaceArg,
    source: FileArg,
    assume_workspace_zone: ZoneFlag = False,
    as_json: JsonFlag = False,
) -> None:
    """Import deployment events (service, environment, commit, finished time, status);
    all or nothing, an event already known is skipped."""
    from quarterdeck.services import engineering

    _import_file(
        ctx,
        workspace,
        source,
        as_json,
        engineering.import_deployments,
        assume_workspace_zone=assume_workspace_zone,
    )


@ingest_app.command("incidents")
def incidents(
    ctx: typer.Context,
    workspace: WorkspaceArg,
    source: FileArg,
    assume_workspace_zone: ZoneFlag = False,
    as_json: JsonFlag = False,
) -> None:
    """Import an incident export (PagerDuty, Opsgenie or your own columns); known incidents
    are updated to the file's state."""
    from quarterdeck.services import engineering

    _import_file(
        ctx,
        workspace,
        source,
        as_json,
        engineering.import_incidents,
        assume_workspace_zone=assume_workspace_zone,
    )


@ingest_app.command("tickets")
def tickets(
    ctx: typer.Context,
    workspace: WorkspaceArg,
    source: FileArg,
    assume_workspace_zone: ZoneFlag = False,
    as_json: JsonFlag = False,
) -> None:
    """Import a service-desk export; known tickets are updated to the file's state."""
    from quarterdeck.services import engineering

    _import_file(
        ctx,
        workspace,
        source,
        as_json,
        engineering.import_tickets,
        assume_workspace_zone=assume_workspace_zone,
    )


@ingest_app.command("costs")
def costs(
    ctx: typer.Context, workspace: WorkspaceArg, source: FileArg, as_json: JsonFlag = False
) -> None:
    """Import cost lines per month and category; known lines are updated."""
    from quarterdeck.services import engineering

    _import_file(ctx, workspace, source, as_json, engineering.import_costs)


@ingest_app.command("scan")
def scan(
    ctx: typer.Context,
    workspace: WorkspaceArg,
    source: Annotated[
        Path, typer.Argument(help="SARIF, Trivy, Grype or pip-audit JSON.", metavar="FILE")
    ],
    kind: Annotated[
        str | None,
        typer.Option(
            help="sarif, trivy, grype or pip-audit (default: recognised from the content).",
            show_default=False,
        ),
    ] = None,
    target: Annotated[
        str | None,
        typer.Option(help="What was scanned, when the file does not say.", show_default=False),
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Import one scanner report; the same file twice adds nothing."""
    from quarterdeck.services import engineering

    _import_file(ctx, workspace, source, as_json, engineering.import_scan, kind=kind, target=target)
