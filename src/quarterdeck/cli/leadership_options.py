"""What the leadership commands (role, advise, setup, playbook, engagement, assess) share:
dates and run numbers read from text, ROLE=EMAIL owners, catalog look-ups whose errors
become one red line, and the person the operator acts for with `--as EMAIL`."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from quarterdeck.cli.portfolio_options import pairs
from quarterdeck.cli.session import fail

if TYPE_CHECKING:
    from quarterdeck.cli.session import Cli
    from quarterdeck.domain.access import Actor

__all__ = [
    "AsOption",
    "OwnerOption",
    "RunArg",
    "RunVersion",
    "checked",
    "day",
    "owners",
    "person",
    "run_no",
]

T = TypeVar("T")

RunArg = Annotated[
    str, typer.Argument(help="Playbook run, e.g. PB-3 or 3.", metavar="RUN", show_default=False)
]
RunVersion = Annotated[
    int,
    typer.Option(
        "--version",
        min=1,
        help="The run's version you read (`playbook show` prints it); refused if the run "
        "changed since.",
        show_default=False,
    ),
]
OwnerOption = Annotated[
    list[str] | None,
    typer.Option(
        "--owner",
        metavar="ROLE=EMAIL",
        help="The member who owns the steps of that leadership role (e.g. "
        "cto=ana@acme.example); repeat for several. Roles left out go to the member holding "
        "that seat.",
        show_default=False,
    ),
]
AsOption = Annotated[
    str,
    typer.Option(
        "--as",
        help="Email of the account the command acts for; assessments and the client "
        "overview are that person's own.",
        show_default=False,
    ),
]


def checked(work: Callable[[], T]) -> T:
    """Run a catalog or domain call outside the database; its error is one red line."""
    from quarterdeck.domain.errors import QuarterdeckError

    try:
        return work()
    except QuarterdeckError as exc:
        fail(exc.message)


def day(text: str, option: str) -> date:
    """A calendar date given as YYYY-MM-DD; one red line naming `option` otherwise."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        fail(f"{option} {text!r} is not a date like 2027-03-31")


def run_no(text: str) -> int:
    """The number of the playbook run named `text` (PB-3 or 3)."""
    from quarterdeck.services.playbook_runs import run_number

    return checked(lambda: run_number(text))


def owners(texts: Iterable[str] | None) -> dict[str, str]:
    """The ROLE=EMAIL values of --owner."""
    return pairs(texts, "--owner", "ROLE=EMAIL, like cto=ana@acme.example")


def person(uow: Any, state: Cli, email: str) -> Actor:
    """The signed-in person `email` as the operator acts for them: an actor of kind user,
    labelled with the operator too so the audit trail says who typed the command. Raises
    InvalidInput for an address with no account and for a disabled account."""
    from quarterdeck.domain.access import Actor, ActorKind
    from quarterdeck.domain.errors import InvalidInput
    from quarterdeck.services import accounts

    wanted = accounts.normalise_email(email)
    found = next(
        (u for u in accounts.list_users(uow, actor=state.operator) if u.email == wanted), None
    )
    if found is None:
        raise InvalidInput(f"no account for {wanted}; add it with `quarterdeck user add`")
    if not found.active:
        raise InvalidInput(f"the account {wanted} is disabled")
    return Actor(
        kind=ActorKind.USER, label=f"{found.email} (via {state.operator.label})", user_id=found.id
    )
