"""Domain errors become HTTP answers here, and only here: JSON under /api, pages elsewhere."""

from __future__ import annotations

import logging
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from quarterdeck.domain.errors import QuarterdeckError
from quarterdeck.web.policies import SignInRequired
from quarterdeck.web.statuses import TITLES, status_for
from quarterdeck.web.ui.rendering import PageError, render

__all__ = ["CatchAllMiddleware", "install_error_handlers", "unexpected_error_response"]

log = logging.getLogger("quarterdeck.web")


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _answer(
    request: Request, status: int, message: str, *, correlation_id: str | None = None
) -> Response:
    if _is_api(request):
        body: dict[str, object] = {"error": TITLES.get(status, "Error"), "detail": message}
        if correlation_id:
            body["correlation_id"] = correlation_id
        return JSONResponse(body, status_code=status)
    return render(
        request,
        "error.html",
        {
            "title": TITLES.get(status, "Error"),
            "status": status,
            "message": message,
            "correlation_id": correlation_id,
        },
        status_code=status,
    )


async def _domain_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, QuarterdeckError)
    if isinstance(exc, SignInRequired) and not _is_api(request):
        target = quote(request.url.path, safe="/")
        return RedirectResponse(f"/login?next={target}", status_code=303)
    response = _answer(request, status_for(exc), exc.message)
    if isinstance(exc, SignInRequired):
        response.headers["WWW-Authenticate"] = "Bearer"
    return response


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    problems = []
    for error in exc.errors()[:5]:
        where = ".".join(str(part) for part in error.get("loc", ()) if part != "body")
        problems.append(f"{where}: {error.get('msg', 'invalid')}")
    return _answer(request, 422, "; ".join(problems) or "the request is invalid")


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    messages = {
        404: "there is nothing at this address",
        405: "this address does not accept that method",
    }
    return _answer(request, exc.status_code, messages.get(exc.status_code, str(exc.detail)))


def unexpected_error_response(request: Request, exc: Exception) -> Response:
    """The 5xx answer: a correlation id to quote, never a stack trace."""
    correlation_id = str(getattr(request.state, "request_id", "unknown"))
    log.exception("unhandled error, correlation id %s", correlation_id, exc_info=exc)
    return _answer(
        request,
        500,
        "an unexpected error occurred and nothing was saved; "
        "quote the correlation id when reporting it",
        correlation_id=correlation_id,
    )


async def _page_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, PageError)
    return render(request, exc.template, exc.context, status_code=exc.status_code)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(PageError, _page_error)
    app.add_exception_handler(QuarterdeckError, _domain_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)


class CatchAllMiddleware:
    """Turns any unexpected exception into the 5xx answer, inside the security-header layer."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as exc:
            if started:
                raise
            response = unexpected_error_response(Request(scope), exc)
            await response(scope, receive, send)
