"""``serve``: the development server (production runs ``gunicorn wsgi:server``)."""

from __future__ import annotations

import argparse
from typing import Any


def register(subparsers: Any) -> None:
    """Add ``serve``."""
    serve = subparsers.add_parser("serve", help="run the development server")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8050)
    serve.add_argument("--debug", action="store_true")
    serve.set_defaults(func=serve_command)


def serve_command(args: argparse.Namespace) -> int:
    """Serve the application until interrupted."""
    from ioc_app.app import create_app

    create_app().run(host=args.host, port=args.port, debug=args.debug)
    return 0
