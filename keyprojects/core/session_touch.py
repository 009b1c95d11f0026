"""Sliding session expiry without a database write on every request.

SESSION_SAVE_EVERY_REQUEST wrote the session row on every page view, so while a long import
held SQLite's write lock every page waited for it (10–17 s during an 8,000-row import). The
session is now refreshed only when its last refresh is older than KP_SESSION_TOUCH_SECONDS,
and that refresh gives up at once when the database is busy writing (the next request tries
again): the idle timeout (SESSION_COOKIE_AGE) keeps its meaning within that margin, and a page
that only reads never waits for a writer. A session changed by the request itself (log-in,
messages) is saved by SessionMiddleware as before.
"""

import time
from contextlib import contextmanager

from django.conf import settings
from django.contrib.sessions.backends.base import UpdateError
from django.db import DatabaseError, connection

TOUCHED = "_kp_touched"
BUSY_WAIT_MS = 50


@contextmanager
def _no_waiting():
    """SQLite: wait at most BUSY_WAIT_MS for the write lock (PostgreSQL row locks do not
    conflict with a long import, so nothing changes there)."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as c:
        c.execute("PRAGMA busy_timeout")
        before = c.fetchone()[0]
        c.execute(f"PRAGMA busy_timeout = {BUSY_WAIT_MS}")
    try:
        yield
    finally:
        with connection.cursor() as c:
            c.execute(f"PRAGMA busy_timeout = {int(before)}")


class SessionTouchMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or session.modified or session.is_empty():
            return response
        now = int(time.time())
        if now - session.get(TOUCHED, 0) < settings.KP_SESSION_TOUCH_SECONDS:
            return response
        session[TOUCHED] = now
        try:
            with _no_waiting():
                session.save()
        except (DatabaseError, UpdateError):
            pass  # the database is busy writing: the next request refreshes it
        # Saved here (or skipped): SessionMiddleware need not save it again. The cookie is a
        # browser-session cookie (SESSION_EXPIRE_AT_BROWSER_CLOSE), so it needs no new date.
        session.modified = False
        return response
