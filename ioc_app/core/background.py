"""The manager of Dash background callbacks: Celery on Redis when ``REDIS_URL`` is set,
otherwise diskcache on this machine.

With diskcache each job runs in a process forked from the server and its progress and result
are kept in a folder (``instance/background`` unless given); with Celery the jobs run in a
separate worker, started beside the web server::

    REDIS_URL=redis://localhost:6379/0 celery -A ioc_app.worker:celery_app worker --concurrency 2

which builds the same application (so the same callbacks are registered as Celery tasks).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ioc_app.core.config import ROOT

#: Results of finished jobs are kept this long (seconds) for the page to collect them.
EXPIRE = 3600


def manager(redis_url: str, folder: Path | None = None) -> Any:
    """A Dash background callback manager for this configuration.

    Parameters
    ----------
    redis_url
        ``REDIS_URL``; empty for the single-machine diskcache manager.
    folder
        Where diskcache keeps jobs' progress and results.
    """
    if redis_url:
        from celery import Celery
        from dash import CeleryManager

        celery_app = Celery("ioc_background", broker=redis_url, backend=redis_url)
        return CeleryManager(celery_app, expire=EXPIRE)
    import diskcache
    from dash import DiskcacheManager

    folder = folder or ROOT / "instance" / "background"
    folder.mkdir(parents=True, exist_ok=True)
    return DiskcacheManager(diskcache.Cache(str(folder)), expire=EXPIRE)
