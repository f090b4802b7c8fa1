"""HTTP statuses and titles for domain errors."""

from __future__ import annotations

from quarterdeck.domain.errors import (
    AuthenticationFailed,
    Conflict,
    Forbidden,
    InvalidInput,
    NotFound,
    QuarterdeckError,
    RateLimited,
    ToolMissing,
)

__all__ = ["TITLES", "status_for"]

_STATUS: list[tuple[type[QuarterdeckError], int]] = [
    (NotFound, 404),
    (Forbidden, 403),
    (AuthenticationFailed, 401),
    (RateLimited, 429),
    (Conflict, 409),
    (InvalidInput, 422),
    (ToolMissing, 503),
]
TITLES = {
    400: "Bad request",
    401: "Sign-in required",
    403: "Not allowed",
    404: "Not found",
    405: "Method not allowed",
    409: "Changed by someone else",
    422: "Check your input",
    429: "Too many attempts",
    500: "Something went wrong",
    503: "Unavailable",
}


def status_for(error: QuarterdeckError) -> int:
    for kind, status in _STATUS:
        if isinstance(error, kind):
            return status
    return 400
