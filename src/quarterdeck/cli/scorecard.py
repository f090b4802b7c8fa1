"""scorecard show|start|owner|delivery|choices: the workspace's scorecard as a whole, the
delivery figures computed from its engineering records, and the choices behind them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from quarterdeck.cli.scorecard_options import (
    SettingsVersion,
    choice,
    day,
    release_rule,
    start_point,
)
from quarterdeck.cli.session import JsonFlag, WorkspaceArg, cli_state, emit_json, fail, say, table

if TYPE_CHECKING:
    from datetime import datetime

    from quarterdeck.services.delivery import DeliveryChoices, DeliveryReport, ReleaseRule
    from quarterdeck.services.scorecard import ScorecardView

__all__ = ["register"]

scorecard_app = typer.Typer(
    help="The scorecard: status, trends and owners, and the delivery figures behind it.",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    app.add_typer(scorecard_app, name="scorecard")


@scorecard_app.command("show")
def show(ctx: typer.Context, workspace: WorkspaceArg, as_json: JsonFlag = False) -> None:
    """Every metric by category: status, value against target, trend, last period, and
    why it has its status."""
    from quarterdeck.catalog.kpis import kpi_catalog
    from quarterdeck.cli.scorecard_cards import card_json, print_scorecard
    from quarterdeck.services import scorecard

    state = cli_state(ctx)
    view: ScorecardView = state.run(
        lambda uow: scorecard.show(uow, actor=state.operator, workspace=workspace), write=False
    )
    if as_json:
        catalog = kpi_catalog()
        emit_json(
            {
                "workspace": view.workspace.slug,
                "settings_version": view.settings_version,
                "categories": [
                    {
                        "category": category.value,
                        "name": catalog.category(category).name,
                        "owner": owner,
                        "metrics": [card_json(card) for card in cards],
                    }
                    for category, owner, cards in view.categories
                ],
            }
        )
        return
    if not view.categories:
        say(
            f"The scorecard of {workspace} has no metrics yet: start with "
            f"`quarterdeck scorecard start {workspace} --set quick-starter`."
        )
        return
    print_scorecard(view)


@scorecard_app.command("start")
def start(
    ctx: typer.Context,
    workspace: WorkspaceArg,
    kpi_set: Annotated[
        str,
        typer.Option("--set", help="Ready-made set: quick-starter or it-service."),
    ],
) -> None:
    """Put every metric of a ready-made set on the scorecard (those already there stay)."""
    from quarterdeck.catalog.kpis import kpi_catalog
    from quarterdeck.domain.scorecard import KpiSet
    from quarterdeck.services import scorecard

    state = cli_state(ctx)
    chosen = choice(KpiSet, kpi_set, "--set")
    added = state.run(
        lambda uow: scorecard.start_from_set(
            uow, actor=state.operator, workspace=workspace, kpi_set=chosen
        ),
        write=True,
    )
    label = kpi_catalog().set_info(chosen).name
    if not added:
        say(f"Every metric of the {label} set is already on the scorecard of {workspace}.")
        return
    say(
        f"Added {len(added)} metric(s) of the {label} set to {workspace}: "
        f"{', '.join(m.key for m in added)}."
    )
    say(
        "Their status stays unknown until they have thresholds and values: "
        f"quarterdeck metric set {workspace} KEY --target ... --warning ... --critical ..."
    )


@scorecard_app.command("owner")
def owner(
    ctx: typer.Context,
    workspace: WorkspaceArg,
    category: Annotated[
        str, typer.Argument(help="Category key, e.g. delivery.", metavar="CATEGORY")
    ],
    person: Annotated[
        str, typer.Argument(help='Who answers for it; "" for nobody.', metavar="OWNER")
    ],
    version: SettingsVersion = None,
) -> None:
    """Name who answers for a category of the scorecard. Category owners share the
    scorecard settings version with the delivery choices."""
    from quarterdeck.catalog.kpis import kpi_catalog
    from quarterdeck.domain.scorecard import Category
    from quarterdeck.services import scorecard

    state = cli_state(ctx)
    chosen = choice(Category, category, "CATEGORY")

    def work(uow: Any) -> tuple[dict[str, str], int]:
        expected = version
        if expected is None:
            _, expected = scorecard.category_owners(uow, actor=state.operator, workspace=workspace)
        return scorecard.set_category_owner(
            uow,
            actor=state.operator,
            workspace=workspace,
            category=chosen,
            owner=person,
            expected_version=expected,
        )

    owners, saved = state.run(work, write=True)
    name = kpi_catalog().category(chosen).name
    held = owners.get(chosen.value)
    say(
        f"{name} in {workspace}: "
        + (f"{held} answers for it" if held else "nobody answers for it")
        + f" (settings version {saved})."
    )


# -- delivery --------------------------------------------------------------------------------


@scorecard_app.command("delivery")
def delivery(
    ctx: typer.Context,
    workspace: WorkspaceArg,
    days: Annotated[
        int | None,
        typer.Option(help="The window: this many days up to now (default 90).", show_default=False),
    ] = None,
    start: Annotated[
        str | None,
        typer.Option(
            "--from", help="First day of the window, YYYY-MM-DD (with --to).", show_default=False
        ),
    ] = None,
    end: Annotated[
        str | None,
        typer.Option("--to", help="Last day of the window, included.", show_default=False),
    ] = None,
    notes: Annotated[
        bool, typer.Option("--notes/--no-notes", help="Print what each figure counted.")
    ] = True,
    as_json: JsonFlag = False,
) -> None:
    """The four keys and MTTA, overall and per service, with their DORA bands and the
    choices behind each figure. Days are read in the workspace's time zone."""
    from quarterdeck.cli.scorecard_delivery import delivery_json, print_delivery
    from quarterdeck.services import delivery as delivery_service
    from quarterdeck.services import workspaces

    state = cli_state(ctx)
    if days is not None and (start is not None or end is not None):
        fail("give --days or --from and --to, not both")
    if (start is None) != (end is None):
        fail("--from and --to go together")
    if days is not None and not 1 <= days <= 3660:
        fail("--days must be between 1 and 3660")
    first = None if start is None else day(start, "--from")
    last = None if end is None else day(end, "--to")
    if first is not None and last is not None and last < first:
        fail("--to must not be before --from")

    def work(uow: Any) -> tuple[str, DeliveryReport]:
        ws = workspaces.show(uow, actor=state.operator, workspace=workspace).workspace
        begin, finish = _window(ws.time_zone, uow.now(), days or 90, first, last)
        found = delivery_service.report(
            uow, actor=state.operator, workspace=workspace, start=begin, end=finish
        )
        return ws.time_zone, found

    zone, found = state.run(work, write=False)
    if as_json:
        emit_json(delivery_json(workspace, found))
        return
    print_delivery(workspace, zone, found, notes=notes)


def _window(
    zone: str, now: datetime, days: int, first: Any, last: Any
) -> tuple[datetime, datetime]:
    """[start, end): from the start of `first` to the end of `last` in the workspace's zone,
    or the `days` up to now."""
    from datetime import datetime, time, timedelta
    from zoneinfo import ZoneInfo

    if first is None or last is None:
        return now - timedelta(days=days), now
    local = ZoneInfo(zone)
    return (
        datetime.combine(first, time(), tzinfo=local),
        datetime.combine(last + timedelta(days=1), time(), tzinfo=local),
    )


@scorecard_app.command("choices")
def choices(
    ctx: typer.Context,
    workspace: WorkspaceArg,
    commit_time: Annotated[
        str | None,
        typer.Option(
            help="Lead time counts from the author or committer time.", show_default=False
        ),
    ] = None,
    bot: Annotated[
        list[str] | None,
        typer.Option(
            help="Author email pattern ('*' any text, '?' one character, any case; e.g. "
            "'*[bot]@users.noreply.github.com') whose "
            "commits lead time leaves out; repeat for several. "
            "Replaces the list.",
            show_default=False,
        ),
    ] = None,
    clear_bots: Annotated[bool, typer.Option("--clear-bots", help="Leave no author out.")] = False,
    link_window: Annotated[
        bool | None,
        typer.Option(
            "--link-window/--no-link-window",
            help="Link an incident with no named cause to its service's latest deployment.",
            show_default=False,
        ),
    ] = None,
    gap_hours: Annotated[
        float | None,
        typer.Option(help="At most this many hours between that deployment and the incident."),
    ] = None,
    bands: Annotated[
        str | None, typer.Option(help="DORA bands edition: 2021 or 2023.", show_default=False)
    ] = None,
    production: Annotated[
        str | None,
        typer.Option(help="The environment whose deployments count.", show_default=False),
    ] = None,
    release: Annotated[
        list[str] | None,
        typer.Option(
            help="REPO=PATTERN:SERVICE: tags of a repository read into the workspace that "
            "match PATTERN (e.g. 'v*') are deployments of SERVICE (default: the "
            "repository's name); repeat for several repositories.",
            show_default=False,
        ),
    ] = None,
    remove_release: Annotated[
        list[str] | None,
        typer.Option(help="REPO: its tags are no longer releases.", show_default=False),
    ] = None,
    start: Annotated[
        list[str] | None,
        typer.Option(
            "--start-point",
            help="SERVICE=SHA: the service's first deployment counts the changes made after "
            "this commit; repeat for several services.",
            show_default=False,
        ),
    ] = None,
    remove_start: Annotated[
        list[str] | None,
        typer.Option(
            "--remove-start-point", help="SERVICE: drop its start point.", show_default=False
        ),
    ] = None,
    version: SettingsVersion = None,
    as_json: JsonFlag = False,
) -> None:
    """The choices behind the delivery figures; with an option, change them (the computed
    figures follow)."""
    from quarterdeck.cli.scorecard_delivery import choices_json, choices_rows
    from quarterdeck.domain.delivery import CommitTime
    from quarterdeck.domain.delivery_bands import BandsEdition
    from quarterdeck.services import delivery as delivery_service
    from quarterdeck.services import engineering

    state = cli_state(ctx)
    if bot and clear_bots:
        fail("give --bot or --clear-bots, not both")
    chosen_time = None if commit_time is None else choice(CommitTime, commit_time, "--commit-time")
    edition = None if bands is None else choice(BandsEdition, bands, "--bands")
    patterns = [] if clear_bots else bot
    rules = _keyed([release_rule(text) for text in release or ()], "--release", remove_release)
    starts = _keyed([start_point(text) for text in start or ()], "--start-point", remove_start)
    changing = any(
        value is not None
        for value in (chosen_time, patterns, link_window, gap_hours, edition, production)
    ) or bool(rules or starts or remove_release or remove_start)

    def work(uow: Any) -> tuple[DeliveryChoices, int]:
        current, read = delivery_service.current_choices(
            uow, actor=state.operator, workspace=workspace
        )
        if not changing:
            return current, read
        releases, start_points = _merged(current, rules, remove_release, starts, remove_start)
        return engineering.set_delivery_choices(
            uow,
            actor=state.operator,
            workspace=workspace,
            expected_version=read if version is None else version,
            production_environment=production,
            commit_time=chosen_time,
            bot_patterns=patterns,
            link_by_service_window=link_window,
            max_link_gap_hours=gap_hours,
            bands_edition=edition,
            releases=releases,
            start_points=start_points,
        )

    found, version = state.run(work, write=changing)
    if as_json:
        emit_json(choices_json(found, version))
        return
    if changing:
        say(f"Saved the delivery choices of {workspace}; the computed figures follow them.")
    table(f"Delivery choices of {workspace}", ["Choice", "Value"], choices_rows(found, version))


def _keyed(
    given: list[tuple[str, ...]], option: str, removed: list[str] | None
) -> dict[str, tuple[str, ...]]:
    """The values of a repeated option by their first part; a key given twice, or both
    given and removed, is one red line."""
    found: dict[str, tuple[str, ...]] = {}
    for key, *rest in given:
        if key in found or key in (removed or ()):
            fail(f"{option} {key}: give one change for it")
        found[key] = tuple(rest)
    return found


def _merged(
    current: DeliveryChoices,
    rules: dict[str, tuple[str, ...]],
    remove_rules: list[str] | None,
    starts: dict[str, tuple[str, ...]],
    remove_starts: list[str] | None,
) -> tuple[dict[str, ReleaseRule] | None, dict[str, str] | None]:
    """The release rules and start points once the options are applied to the stored ones
    (None: no option touched them). Removing one that is not there is refused."""
    from quarterdeck.domain.errors import InvalidInput
    from quarterdeck.services.delivery import ReleaseRule

    releases = None
    if rules or remove_rules:
        releases = dict(current.releases)
        for repository in remove_rules or ():
            if releases.pop(repository, None) is None:
                raise InvalidInput(f"there is no release rule for {repository!r} to remove")
        releases |= {name: ReleaseRule(*parts) for name, parts in rules.items()}
    start_points = None
    if starts or remove_starts:
        start_points = dict(current.settings.start_points)
        for service in remove_starts or ():
            if start_points.pop(service, None) is None:
                raise InvalidInput(f"there is no start point for {service!r} to remove")
        start_points |= {service: sha for service, (sha,) in starts.items()}
    return releases, start_points
