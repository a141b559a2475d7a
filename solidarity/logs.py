"""Logs: gunicorn's request log as structured JSON fields rather than a formatted line,
and no secret from a URL in any log line.

A verification link's token is in its path (/organizations/<slug>/verify/<token>/) or,
for the pre-filled edit form, in the query string (?verification=<token>); whoever
reads the logs must not be able to use it. RedactTokens, attached to every log handler
(Django's and gunicorn's), shows it as [redacted]; the request log never records the
query string at all.
"""

import logging
import re

from django.conf import settings
from gunicorn.glogging import Logger

from directory.core.clients import client_ip_from_meta

_TOKEN = re.compile(r"(/verify/|[?&]verification=)[^/?&#\s'\"]+")


def redact(text: str) -> str:
    """`text` with every verification token replaced by [redacted]."""
    return _TOKEN.sub(r"\1[redacted]", text)


class RedactTokens(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            return True  # the handler reports the malformed record as it always does
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True


class GunicornJsonLogger(Logger):
    """One JSON object per request: method, path, status, duration and size as fields.

    The query string is left out on purpose: searches can say where someone lives."""

    def access(self, resp, req, environ, request_time):
        if not self.access_log_enabled:
            return
        status = resp.status.split(None, 1)[0] if isinstance(resp.status, str) else resp.status
        path = redact(req.path)
        self.access_log.info(
            "%s %s %s",
            req.method,
            path,
            status,
            extra={
                "method": req.method,
                "path": path,
                "status": int(status),
                "duration_ms": round(request_time.total_seconds() * 1000, 1),
                "bytes": getattr(resp, "sent", None),
                "remote_addr": client_ip_from_meta(
                    environ, trusted_proxies=settings.TRUSTED_PROXIES
                ),
                "user_agent": environ.get("HTTP_USER_AGENT", ""),
            },
        )
