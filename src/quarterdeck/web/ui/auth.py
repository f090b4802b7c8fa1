"""Signing in and out."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from quarterdeck.domain.errors import RateLimited
from quarterdeck.services import accounts
from quarterdeck.settings import Settings
from quarterdeck.web.policies import SESSION_COOKIE, PublicDep, SignedInDep, UowDep, get_settings
from quarterdeck.web.ui.rendering import render

router = APIRouter()

LOGIN_CSRF_COOKIE = "qd_login_csrf"
SettingsDep = Annotated[Settings, Depends(get_settings)]


def _safe_next(target: str | None) -> str:
    """Only same-site paths: never let the login form redirect to another site."""
    if target and target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return "/"


def _secure(request: Request, settings: Settings) -> bool:
    return settings.secure_cookies or request.url.scheme == "https"


def _login_page(
    request: Request,
    settings: Settings,
    *,
    next_url: str,
    error: str = "",
    email: str = "",
    status: int = 200,
) -> Response:
    token = secrets.token_urlsafe(32)
    response = render(
        request,
        "login.html",
        {"login_csrf": token, "next": next_url, "error": error, "email": email},
        status_code=status,
    )
    response.set_cookie(
        LOGIN_CSRF_COOKIE,
        token,
        httponly=True,
        samesite="lax",
        secure=_secure(request, settings),
        path="/login",
    )
    return response


@router.get("/healthz", response_class=Response)
def health(_: PublicDep) -> Response:
    return Response("ok", media_type="text/plain")


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, settings: SettingsDep, _: PublicDep, next: str = "/") -> Response:
    return _login_page(request, settings, next_url=_safe_next(next))


@router.post("/login", response_class=HTMLResponse)
def login(
    request: Request,
    uow: UowDep,
    settings: SettingsDep,
    _: PublicDep,
    email: Annotated[str, Form(max_length=254)],
    password: Annotated[str, Form(max_length=1024)],
    csrf_token: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    """Check the password, open a server-side session, set the HttpOnly cookie."""
    next_url = _safe_next(next)
    expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not expected or not secrets.compare_digest(expected, csrf_token):
        return _login_page(
            request,
            settings,
            next_url=next_url,
            email=email,
            status=403,
            error="the sign-in form expired; please try again",
        )
    address = request.client.host if request.client else "unknown"
    try:
        result = accounts.log_in(
            uow,
            email=email,
            password=password,
            address=address,
            session_hours=settings.session_hours,
            attempts_per_minute=settings.login_attempts_per_minute,
        )
    except RateLimited as exc:
        return _login_page(
            request, settings, next_url=next_url, email=email, status=429, error=exc.message
        )
    if result.signed_in is None:
        return _login_page(
            request, settings, next_url=next_url, email=email, status=401, error=result.failure
        )
    response = RedirectResponse(next_url, status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        result.signed_in.token,
        max_age=settings.session_hours * 3600,
        httponly=True,
        samesite="lax",
        secure=_secure(request, settings),
        path="/",
    )
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/login")
    return response


@router.post("/logout")
def logout(request: Request, signed: SignedInDep) -> Response:
    """End the session on the server, then forget the cookie."""
    accounts.log_out(signed.uow, token=request.cookies.get(SESSION_COOKIE, ""))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
