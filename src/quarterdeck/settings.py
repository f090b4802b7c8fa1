"""Settings, read once from QUARTERDECK_* environment variables and flags, passed explicitly."""

from __future__ import annotations

from pathlib import Path

import platformdirs
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["Settings", "default_database_url"]


def default_database_url() -> str:
    """A SQLite file in the user's data directory."""
    data_dir = Path(platformdirs.user_data_dir("quarterdeck", appauthor=False))
    return f"sqlite:///{data_dir / 'quarterdeck.db'}"


class Settings(BaseSettings):
    """Every setting Quarterdeck reads; each maps to QUARTERDECK_<NAME>."""

    model_config = SettingsConfigDict(env_prefix="QUARTERDECK_", extra="ignore", frozen=True)

    database_url: str = Field(
        default_factory=default_database_url,
        description="SQLAlchemy URL: sqlite:///path.db or postgresql+psycopg://user@host/db.",
    )
    host: str = Field(default="127.0.0.1", description="Address `serve` listens on.")
    port: int = Field(default=8000, ge=1, le=65535, description="Port `serve` listens on.")
    secure_cookies: bool = Field(
        default=False,
        description="Mark cookies Secure; turn on when served over HTTPS (also automatic "
        "when a request arrives over HTTPS).",
    )
    session_hours: int = Field(
        default=12, ge=1, le=24 * 30, description="Hours a browser session stays valid."
    )
    login_attempts_per_minute: int = Field(
        default=10,
        ge=1,
        description="Failed logins allowed per minute from one address or for one account.",
    )
    import_max_bytes: int = Field(
        default=50 * 1024 * 1024,
        ge=1024,
        description=(
            "Largest file any import accepts: workspace documents, measurements, "
            "deployments, incidents, tickets, costs and scans."
        ),
    )
    log_level: str = Field(default="info", description="Server log level.")
