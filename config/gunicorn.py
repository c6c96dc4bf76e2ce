"""gunicorn settings for production (gunicorn -c config/gunicorn.py config.wsgi); each one can be overridden
from the environment, as the settings are."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Pages wait on PostgreSQL as much as they compute: two processes per core, each with a few threads, so that a
# long export (it streams for as long as the download lasts) holds one thread, not a whole process.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2))
threads = int(os.environ.get("GUNICORN_THREADS", 4))
worker_class = "gthread"
# A million-row export streams for tens of seconds; the timeout only has to outlast the slowest one.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 300))
graceful_timeout = 30
keepalive = 5
# Restart each process after some thousands of requests, staggered, so that no slow memory growth builds up.
max_requests = 5000
max_requests_jitter = 500
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
