"""gunicorn settings for production: `gunicorn` (run from this folder) reads this file.

Each value can be changed through the environment without editing it:
  GUNICORN_BIND          where to listen (default 127.0.0.1:8000, behind nginx)
  WEB_CONCURRENCY        worker processes (default 2 per core + 1)
  GUNICORN_THREADS       threads per worker (default 4: requests wait on the database)
  GUNICORN_TIMEOUT       seconds before a stuck worker is restarted (default 30)
  FORWARDED_ALLOW_IPS    proxies trusted to say a request came over HTTPS
                         (gunicorn's own variable; default 127.0.0.1,::1)
  GUNICORN_ACCESS_LOG    "-" (default) logs every request as JSON to stdout; "" turns it off
  GUNICORN_MAX_REQUESTS  requests a worker serves before it is replaced (default 20000)
"""

import multiprocessing
import os

wsgi_app = "solidarity.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so that a slow leak can never take the site down. Not
# too often: a new worker spends about a second importing Django while requests queue,
# and served from the cache a worker answers several hundred requests a second.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "20000"))
max_requests_jitter = max_requests // 10

# Logs: JSON lines on stdout, like the application's own (solidarity/logs.py).
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
logger_class = "solidarity.logs.GunicornJsonLogger"
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(levelname)s %(name)s %(message)s",
            "rename_fields": {"levelname": "level", "name": "logger"},
            "timestamp": "time",  # ISO 8601 in UTC
        },
    },
    # No verification token from a URL in any line (solidarity/logs.py).
    "filters": {"redact_tokens": {"()": "solidarity.logs.RedactTokens"}},
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "json",
            "filters": ["redact_tokens"],
        },
    },
    "root": {"handlers": ["stdout"], "level": "INFO"},
    "loggers": {
        "gunicorn.error": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
        "gunicorn.access": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
    },
}
