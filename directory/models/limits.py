"""Counters for per-client limits, when they are kept in the database.

One row per client, limit and time window; directory.core.limits counts in it with one
atomic statement and removes windows that have passed. Kept apart from every cache, so
no cached document can push a counter out.
"""

from django.db import models


class RateLimitCounter(models.Model):
    key = models.CharField(max_length=120, unique=True)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField()

    class Meta:
        verbose_name = "rate limit counter"
        verbose_name_plural = "rate limit counters"
        indexes = [models.Index(fields=["expires_at"], name="ratelimit_expires_idx")]

    def __str__(self):
        return f"{self.key}: {self.count}"
