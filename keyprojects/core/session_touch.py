"""Sliding session expiry without a database write on every request.

SESSION_SAVE_EVERY_REQUEST wrote the session row on every page view, so while a long import
held SQLite's write lock every page waited for it (10–17 s during an 8,000-row import). The
session is now re-saved only when its last refresh is older than KP_SESSION_TOUCH_SECONDS:
the idle timeout (SESSION_COOKIE_AGE) keeps its meaning within that margin, and a page that
only reads never waits for a writer.
"""

import time

from django.conf import settings

TOUCHED = "_kp_touched"


class SessionTouchMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or session.is_empty():
            return response
        now = int(time.time())
        last = session.get(TOUCHED, 0)
        if session.modified or now - last >= settings.KP_SESSION_TOUCH_SECONDS:
            session[TOUCHED] = now  # marks it modified: SessionMiddleware saves it
        return response
