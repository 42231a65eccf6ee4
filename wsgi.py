"""WSGI entry point: ``gunicorn wsgi:server``."""

from ioc_app.app import create_app

app = create_app()
server = app.server
