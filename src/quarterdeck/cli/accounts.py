"""user add|passwd|list, member add|remove|list, token create|revoke|list."""

from __future__ import annotations

import sys
from datetime import UTC, datetime, time
from typing import Annotated

import typer

from quarterdeck.cli.session import (
    EmailArg,
    JsonFlag,
    WorkspaceArg,
    cli_state,
    emit_json,
    fail,
    say,
    table,
)

user_app = typer.Typer(help="Accounts that can sign in.", no_args_is_help=True)
member_app = typer.Typer(help="Who belongs to a workspace, with which role.", no_args_is_help=True)
token_app = typer.Typer(help="API tokens for scripts and CI.", no_args_is_help=True)
PasswordStdin = Annotated[
    bool, typer.Option("--password-stdin", help="Read the password from standard input.")
]


def register(app: typer.Typer) -> None:
    app.add_typer(user_app, name="user")
    app.add_typer(member_app, name="member")
    app.add_typer(token_app, name="token")


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = typer.prompt("Password", hide_input=True)
    if first != typer.prompt("Repeat password", hide_input=True):
        fail("the two passwords differ")
    return str(first)


@user_app.command("add")
def user_add(
    ctx: typer.Context,
    email: EmailArg,
    name: Annotated[str, typer.Option(help="Display name.")] = "",
    password_stdin: PasswordStdin = False,
    generate: Annotated[bool, typer.Option(help="Generate a password and print it once.")] = False,
) -> None:
    """Add an account; prompts for a password unless --generate or --password-stdin."""
    from quarterdeck.services import accounts

    state = cli_state(ctx)
    password = accounts.generate_password() if generate else _read_password(password_stdin)
    user = state.run(
        lambda uow: accounts.add_user(
            uow, actor=state.operator, email=email, display_name=name, password=password
        ),
        write=True,
    )
    say(f"Added {user.email}.")
    if generate:
        say(f"Password (shown once): {password}")


@user_app.command("passwd")
def user_passwd(ctx: typer.Context, email: EmailArg, password_stdin: PasswordStdin = False) -> None:
    """Set a new password; every open session of that account ends."""
    from quarterdeck.services import accounts

    state = cli_state(ctx)
    password = _read_password(password_stdin)
    ended = state.run(
        lambda uow: accounts.set_password(
            uow, actor=state.operator, email=email, password=password
        ),
        write=True,
    )
    say(f"Password changed for {email}; {ended} open session(s) ended.")


@user_app.command("list")
def user_list(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    """Every account."""
    from quarterdeck.services import accounts

    state = cli_state(ctx)
    users = state.run(lambda uow: accounts.list_users(uow, actor=state.operator), write=False)
    if as_json:
        emit_json(
            [
                {
                    "email": u.email,
                    "display_name": u.display_name,
                    "active": u.active,
                    "has_password": u.has_password,
                }
                for u in users
            ]
        )
        return
    table(
        "Accounts",
        ["Email", "Name", "Can sign in"],
        [(u.email, u.display_name, "yes" if u.has_password and u.active else "no") for u in users],
    )


@member_app.command("add")
def member_add(
    ctx: typer.Context,
    workspace: WorkspaceArg,
    email: EmailArg,
    role: Annotated[str, typer.Option(help="owner, editor or viewer.")] = "viewer",
) -> None:
    """Add an account to a workspace, or change its role."""
    from quarterdeck.services import members

    state = cli_state(ctx)
    membership = state.run(
        lambda uow: members.add(
            uow,
            actor=state.operator,
            workspace=workspace,
            email=email,
            role=members.parse_role(role),
        ),
        write=True,
    )
    say(f"{membership.email} is {membership.role.value} of {workspace}.")


@member_app.command("remove")
def member_remove(ctx: typer.Context, workspace: WorkspaceArg, email: EmailArg) -> None:
    """Remove an account from a workspace (never the last owner)."""
    from quarterdeck.services import members

    state = cli_state(ctx)
    state.run(
        lambda uow: members.remove(uow, actor=state.operator, workspace=workspace, email=email),
        write=True,
    )
    say(f"Removed {email} from {workspace}.")


@member_app.command("list")
def member_list(ctx: typer.Context, workspace: WorkspaceArg, as_json: JsonFlag = False) -> None:
    """Members of a workspace."""
    from quarterdeck.services import members

    state = cli_state(ctx)
    found = state.run(
        lambda uow: members.list_members(uow, actor=state.operator, workspace=workspace),
        write=False,
    )
    if as_json:
        emit_json(
            [
                {"email": m.email, "display_name": m.display_name, "role": m.role.value}
                for m in found
            ]
        )
        return
    table(
        f"Members of {workspace}",
        ["Email", "Name", "Role"],
        [(m.email, m.display_name, m.role.value) for m in found],
    )


def _expiry(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        day = datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        fail(f"--expires {value!r} must be a date like 2027-01-31")
    return datetime.combine(day, time.max, tzinfo=UTC)


@token_app.command("create")
def token_create(
    ctx: typer.Context,
    workspace: WorkspaceArg,
    name: Annotated[str, typer.Option(help="What the token is for, e.g. 'CI deployments'.")],
    scope: Annotated[str, typer.Option(help="read or write.")] = "read",
    expires: Annotated[str | None, typer.Option(help="Last valid day, YYYY-MM-DD (UTC).")] = None,
) -> None:
    """Issue an API token for one workspace; the secret is printed once."""
    from quarterdeck.services import tokens

    state = cli_state(ctx)
    issued = state.run(
        lambda uow: tokens.create(
            uow,
            actor=state.operator,
            workspace=workspace,
            name=name,
            scope=tokens.parse_scope(scope),
            expires_at=_expiry(expires),
        ),
        write=True,
    )
    say(
        f"Token {issued.token.id} ({issued.token.scope.value}) for {workspace}. "
        "Copy it now, it is shown once:"
    )
    sys.stdout.write(issued.secret + "\n")


@token_app.command("revoke")
def token_revoke(
    ctx: typer.Context,
    workspace: WorkspaceArg,
    token_id: Annotated[
        int, typer.Argument(help="Token id, from `token list`.", metavar="TOKEN_ID")
    ],
) -> None:
    """Revoke a token at once."""
    from quarterdeck.services import tokens

    state = cli_state(ctx)
    state.run(
        lambda uow: tokens.revoke(
            uow, actor=state.operator, workspace=workspace, token_id=token_id
        ),
        write=True,
    )
    say(f"Revoked token {token_id}.")


@token_app.command("list")
def token_list(ctx: typer.Context, workspace: WorkspaceArg, as_json: JsonFlag = False) -> None:
    """Tokens of a workspace (never their secrets)."""
    from quarterdeck.services import tokens

    state = cli_state(ctx)
    found = state.run(
        lambda uow: tokens.list_tokens(uow, actor=state.operator, workspace=workspace), write=False
    )
    if as_json:
        emit_json(
            [
                {
                    "id": t.id,
                    "name": t.name,
                    "prefix": t.prefix,
                    "scope": t.scope.value,
                    "created_at": t.created_at,
                    "expires_at": t.expires_at,
                    "revoked_at": t.revoked_at,
                    "last_used_at": t.last_used_at,
                }
                for t in found
            ]
        )
        return
    table(
        f"Tokens of {workspace}",
        ["Id", "Name", "Prefix", "Scope", "Expires", "Status"],
        [
            (
                t.id,
                t.name,
                t.prefix,
                t.scope.value,
                t.expires_at and t.expires_at.date(),
                "revoked" if t.revoked_at else "active",
            )
            for t in found
        ],
    )
