"""The warehouse engine of the running application, and the cache in front of it."""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import Any

from flask import Flask, current_app
from flask_caching import Cache
from sqlalchemy import Engine

from data_access.db import make_engine

ENGINE_KEY = "ioc_engine"
#: Locks kept for memoized calls (one per function and arguments); cleared past this many.
MAX_FLIGHTS = 4096
_flights: dict[tuple[Any, ...], threading.Lock] = {}
_flights_guard = threading.Lock()


class SingleFlightCache(Cache):
    """Flask-Caching whose memoized functions compute a value once at a time in a process.

    When 20 leaders open the control room together on cold caches, every thread used to
    compute the same national KPIs at once (seconds of CPU each, all competing); now the
    first computes and the others with the same arguments wait for its cached answer. Calls
    with other arguments, or arguments that cannot be hashed, are not held up.
    """

    def memoize(self, timeout: int | None = None, *args: Any, **kwargs: Any) -> Callable:
        memoized = super().memoize(timeout, *args, **kwargs)

        def decorate(function: Callable[..., Any]) -> Callable[..., Any]:
            cached = memoized(function)

            @functools.wraps(cached)
            def once(*f_args: Any, **f_kwargs: Any) -> Any:
                key = (function.__module__, function.__qualname__, f_args, *f_kwargs.items())
                try:
                    hash(key)
                except TypeError:
                    return cached(*f_args, **f_kwargs)
                with _flights_guard:
                    if len(_flights) >= MAX_FLIGHTS and key not in _flights:
                        _flights.clear()
                    lock = _flights.setdefault(key, threading.Lock())
                with lock:
                    return cached(*f_args, **f_kwargs)

            return once

        return decorate


cache = SingleFlightCache()


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
