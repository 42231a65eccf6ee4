"""The warehouse engine of the running application, and the cache in front of it."""

from __future__ import annotations

from flask import Flask, current_app
from flask_caching import Cache
from sqlalchemy import Engine

from data_access.db import make_engine

ENGINE_KEY = "ioc_engine"
cache = Cache()


def init_app(server: Flask, database_url: str, redis_url: str = "") -> None:
    """Attach the engine and the cache (Redis when REDIS_URL is set) to ``server``."""
    server.extensions[ENGINE_KEY] = make_engine(database_url)
    if redis_url:
        cache.init_app(
            server,
            config={
                "CACHE_TYPE": "RedisCache",
                "CACHE_REDIS_URL": redis_url,
                "CACHE_DEFAULT_TIMEOUT": 600,
            },
        )
    else:
        cache.init_app(server, config={"CACHE_TYPE": "SimpleCache", "CACHE_DEFAULT_TIMEOUT": 600})


def engine_of(server: Flask) -> Engine:
    """The engine attached to ``server`` (outside a request)."""
    return server.extensions[ENGINE_KEY]


def engine() -> Engine:
    """The engine of the current application."""
    return current_app.extensions[ENGINE_KEY]
