"""ASGI entry for servers: `uvicorn --factory quarterdeck.web.asgi:app_from_env`."""

from __future__ import annotations

from fastapi import FastAPI

from quarterdeck.settings import Settings
from quarterdeck.web.app import create_app

__all__ = ["app_from_env"]


def app_from_env() -> FastAPI:
    """An app configured from QUARTERDECK_* environment variables."""
    return create_app(Settings())
