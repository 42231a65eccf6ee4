"""gunicorn settings of the production command (README).

    gunicorn -c gunicorn.conf.py -b 127.0.0.1:8050 wsgi:server

Chosen by measurement with bench/bench_load.py (docs/performance.md): the worker class and
threads below did best under the load of issue 13. Any setting can be overridden on the
command line (``-w 4``); the number of workers also with ``WEB_CONCURRENCY``.
"""

import os

# One worker per core of the 2-core target machine; the app is loaded once before the fork.
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
preload_app = True
# gthread: a worker's 4 threads keep answering small requests while one sends a large layer.
# Measured against sync and gevent with bench/bench_load.py (national, PostgreSQL, 30 s):
# 33.4 vs 27.5 requests/s (1.21x) at the same p95; gevent 1.4 requests/s (psycopg2 blocks its
# event loop). Taken under heavy contention (load average 13 on 2 cores): docs/performance.md.
worker_class = "gthread"
threads = 4
timeout = 60
# Idle keep-alive connections stay open 75 s (nginx's default) instead of gunicorn's 2 s: a
# client reusing a connection just as the server closes it gets "connection closed" (seen in
# bench/bench_load.py's quick run with the 2 s default).
keepalive = 75
