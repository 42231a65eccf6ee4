"""The HCMC education operations centre: app factory, configuration, auth, pages, CLI."""

from __future__ import annotations

from typing import Any


def create_app(config: Any = None) -> Any:
    """Build the Dash application (imported lazily so the CLI and tools stay light)."""
    from ioc_app.app import create_app as factory

    return factory(config)


__all__ = ["create_app"]
