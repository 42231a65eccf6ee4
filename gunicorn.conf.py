"""gunicorn settings of the production command (README).

    gunicorn -c gunicorn.conf.py -b 127.0.0.1:8050 wsgi:server


Chosen by measurement with bench/bench_load.py (see docs/performance.md): the worker class
and threads below are the ones whose numbers were best under the load of issue 13. Any
setting can be overridden on the command line (``-w 4``) or, for the
number of workers, with ``WEB_CONCURRENCY``.
"""

import os

# One worker per core of the 2-core target machine; the app is loaded once before the fork.
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
preload_app = True
worker_class = "sync"
threads = 1
timeout = 60
