"""Domain errors. Every face translates these in one place."""

from __future__ import annotations

__all__ = [
    "AuthenticationFailed",
    "Conflict",
    "Forbidden",
    "InvalidInput",
    "NotFound",
    "QuarterdeckError",
    "RateLimited",
    "ToolMissing",
]


class QuarterdeckError(Exception):
    """Base of every error Quarterdeck raises on purpose; the message is for people."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(QuarterdeckError):
    """The object does not exist, or exists in a workspace the actor cannot see."""


class Forbidden(QuarterdeckError):
    """The actor can see the object but its role does not allow the action."""


class AuthenticationFailed(QuarterdeckError):
    """No valid credentials: unknown user, wrong password, bad or expired token."""


class RateLimited(QuarterdeckError):
    """Too many attempts in the window; try again later."""


class Conflict(QuarterdeckError):
    """The record changed since it was read (stale version) or a unique name is taken."""


class InvalidInput(QuarterdeckError):
    """Input breaks a rule; the message names the field, line or file at fault."""


class ToolMissing(QuarterdeckError):
    """An outside program Quarterdeck needs (pg_dump, pg_restore) is not installed."""
