"""Commit, as far as on_commit callbacks can tell, inside a test's transaction."""

from django.db import connection


def run_commit_callbacks():
    """Run and forget the callbacks waiting for the test's transaction to commit, as
    a real commit would (pytest-django's capture runs them but leaves them pending)."""
    pending = list(connection.run_on_commit)
    connection.run_on_commit.clear()
    for _savepoints, callback, _robust in pending:
        callback()
