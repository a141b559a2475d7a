"""Request logs from gunicorn as structured JSON fields rather than a formatted line."""

from django.conf import settings
from gunicorn.glogging import Logger

from directory.core.clients import client_ip_from_meta


class GunicornJsonLogger(Logger):
    """One JSON object per request: method, path, status, duration and size as fields.

    The query string is left out on purpose: searches can say where someone lives."""

    def access(self, resp, req, environ, request_time):
        if not self.access_log_enabled:
            return
        status = resp.status.split(None, 1)[0] if isinstance(resp.status, str) else resp.status
        self.access_log.info(
            "%s %s %s",
            req.method,
            req.path,
            status,
            extra={
                "method": req.method,
                "path": req.path,
                "status": int(status),
                "duration_ms": round(request_time.total_seconds() * 1000, 1),
                "bytes": getattr(resp, "sent", None),
                "remote_addr": client_ip_from_meta(
                    environ, trusted_proxies=settings.TRUSTED_PROXIES
                ),
                "user_agent": environ.get("HTTP_USER_AGENT", ""),
            },
        )
