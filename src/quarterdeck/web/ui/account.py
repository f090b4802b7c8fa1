"""Your account: who you are, where you are a member, and changing your password."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response

from quarterdeck.domain.errors import InvalidInput, QuarterdeckError
from quarterdeck.services import accounts, workspaces
from quarterdeck.settings import Settings
from quarterdeck.web.policies import SESSION_COOKIE, Signed, SignedInDep, get_settings
from quarterdeck.web.statuses import status_for
from quarterdeck.web.ui.rendering import PageError, render

router = APIRouter()
SettingsDep = Annotated[Settings, Depends(get_settings)]


def _account_page(signed: Signed, **extra: object) -> dict[str, object]:
    return {
        "actor": signed.actor,
        "csrf_token": signed.csrf_token,
        "visible": workspaces.list_visible(signed.uow, actor=signed.actor),
        **extra,
    }


@router.get("/account", response_class=HTMLResponse, name="account")
def account(request: Request, signed: SignedInDep) -> Response:
    return render(request, "account.html", _account_page(signed))


@router.post("/account/password", response_class=HTMLResponse, name="change_password")
def change_password(
    request: Request,
    signed: SignedInDep,
    settings: SettingsDep,
    current: Annotated[str, Form(max_length=1024)],
    new: Annotated[str, Form(max_length=1024)],
    repeat: Annotated[str, Form(max_length=1024)],
) -> Response:
    """Change your password; your other sessions end, this one stays."""
    try:
        if new != repeat:
            raise InvalidInput("the two new passwords differ")
        change = accounts.change_own_password(
            signed.uow,
            actor=signed.actor,
            current=current,
            new=new,
            session_token=request.cookies.get(SESSION_COOKIE, ""),
            address=request.client.host if request.client else "unknown",
            attempts_per_minute=settings.login_attempts_per_minute,
        )
    except QuarterdeckError as exc:
        raise PageError(
            "account.html", _account_page(signed, error=exc.message), status_code=status_for(exc)
        ) from exc
    if change.failure:
        # Rendered, not raised: the failed attempt must be committed to count towards the limit.
        return render(
            request, "account.html", _account_page(signed, error=change.failure), status_code=422
        )
    notice = f"Password changed; {change.sessions_ended} other session(s) signed out."
    return render(request, "account.html", _account_page(signed, notice=notice))
