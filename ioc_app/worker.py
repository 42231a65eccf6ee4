"""The Celery worker of background callbacks (``celery -A ioc_app.worker:celery_app worker``).

It builds the application from the environment, which registers every background callback
as a Celery task of the manager's Celery app; ``REDIS_URL`` must be set, as for the web server.
"""

from __future__ import annotations

from ioc_app.app import create_app

_app = create_app()
celery_app = _app._background_manager.handle  # Dash keeps its manager there
