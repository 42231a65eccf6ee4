"""WSGI entry point: ``gunicorn -c gunicorn.conf.py wsgi:server`` (README)."""

from ioc_app.app import create_app

app = create_app()
server = app.server
