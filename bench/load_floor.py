"""The floor of the load test: a bare Flask route serving a cached body of a given size.

bench/bench_load.py runs it under the same gunicorn command as the app
(``gunicorn -c gunicorn.conf.py bench.load_floor:server``) and sends it the same journeys,
each request asking here for a body of the size the app answered for that row.
"""

from __future__ import annotations

from functools import cache

from flask import Flask, Response

server = Flask(__name__)


@cache
def body(size: int) -> bytes:
    """A JSON string of ``size`` bytes, built once per size."""
    return b'"' + b"x" * max(0, size - 2) + b'"'


@server.route("/floor/<int:size>", methods=["GET", "POST"])
def floor(size: int) -> Response:
    """The cached body of ``size`` bytes (at most 16 MB)."""
    return Response(body(min(size, 16 << 20)), mimetype="application/json")
