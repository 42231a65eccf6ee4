"""Configuration read from the environment (one ``Config`` class, one for tests)."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from data_access.paths import shared_data_dir as shared_data_dir  # re-exported

ROOT = Path(__file__).resolve().parents[2]  # the repository (this file is ioc_app/core/config.py)
DEFAULT_SQLITE = ROOT / "instance" / "ioc.sqlite"


def default_database_url() -> str:
    """``DATABASE_URL`` or the embedded SQLite file under ``instance/``."""
    return os.environ.get("DATABASE_URL") or f"sqlite:///{DEFAULT_SQLITE}"


@dataclass
class Config:
    """Settings of one application instance; ``from_env`` reads the documented variables."""

    database_url: str = field(default_factory=default_database_url)
    secret_key: str = ""
    redis_url: str = ""
    tile_url: str = ""
    tile_attribution: str = ""
    development: bool = False
    testing: bool = False
    session_hours: int = 12
    max_upload_mb: int = 20
    rate_limit: str = "120/minute"
    #: Reverse proxies in front of the app whose X-Forwarded-* headers are trusted (0: none).
    trusted_proxies: int = 0
    #: Prefix of this deployment's Redis keys (sessions, rate limits); tests use their own.
    redis_prefix: str = "ioc:"
    export_rate_limit: str = "10/minute"
    export_max_rows: int = 5000
    public_max_body_kb: int = 1024

    @classmethod
    def from_env(cls) -> Config:
        """Read the variables of README's configuration table (DATABASE_URL, IOC_SECRET_KEY, …)."""
        development = os.environ.get("IOC_ENV", "production") == "development"
        secret = os.environ.get("IOC_SECRET_KEY", "")
        if not secret:
            if not development:
                raise RuntimeError(
                    "IOC_SECRET_KEY is required outside development "
                    "(set IOC_ENV=development to use a throwaway key)"
                )
            secret = secrets.token_hex(32)
        return cls(
            secret_key=secret,
            redis_url=os.environ.get("REDIS_URL", ""),
            tile_url=os.environ.get("IOC_TILE_URL", ""),
            tile_attribution=os.environ.get("IOC_TILE_ATTRIBUTION", ""),
            development=development,
            rate_limit=os.environ.get("IOC_RATE_LIMIT", "120/minute"),
            trusted_proxies=_count("IOC_TRUSTED_PROXIES", 0),
            export_rate_limit=os.environ.get("IOC_EXPORT_RATE_LIMIT", "10/minute"),
            export_max_rows=_count("IOC_EXPORT_MAX_ROWS", 5000),
            public_max_body_kb=_count("IOC_PUBLIC_MAX_BODY_KB", 1024),
        )


#: Days the audit log keeps its rows (``audit prune`` deletes older ones).
DEFAULT_AUDIT_RETENTION_DAYS = 365


def audit_retention_days() -> int:
    """``IOC_AUDIT_RETENTION_DAYS``: how long ``audit prune`` keeps audit rows."""
    return _count("IOC_AUDIT_RETENTION_DAYS", DEFAULT_AUDIT_RETENTION_DAYS)


def _count(name: str, default: int) -> int:
    """A non-negative whole number from the environment, or a clear error naming it."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit():
        raise RuntimeError(f"{name} must be a whole number >= 0, not {raw!r}")
    return int(raw)


def test_config(database_url: str, **overrides: object) -> Config:
    """A configuration for tests: fixed secret, no Redis unless given."""
    values: dict[str, object] = {
        "database_url": database_url,
        "secret_key": "test-secret-key-not-for-production",
        "testing": True,
        "rate_limit": "10000/minute",
        "export_rate_limit": "10000/minute",
    }
    values.update(overrides)
    return Config(**values)  # type: ignore[arg-type]
