import time

from django.conf import settings
from django.contrib.auth import logout
from django.middleware.locale import LocaleMiddleware


class ChineseFirstLocaleMiddleware(LocaleMiddleware):
    """Pages are in Simplified Chinese unless the person picked English (the language switch's cookie).

    A browser's Accept-Language is ignored for pages — a court clerk's English-language OS must not turn the
    court's UI English — but honoured for the JSON API, where an integrator asks for English explicitly.
    """

    def process_request(self, request):
        if not request.path_info.startswith("/api/"):
            request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return super().process_request(request)


SEEN_KEY, IDLE_KEY = "_yt_seen", "_yt_idle"
TOUCH_EVERY_S = 60  # the session is written at most once a minute for its "last seen" time, not on every request


def idle_limit_s(user) -> int:
    """Court staff (a role in a court) get the shorter idle limit; everyone else the other one."""
    from yunting.core.people.selectors import holds

    staff = holds(user, kind="court")
    return settings.SESSION_IDLE_STAFF_S if staff else settings.SESSION_IDLE_OTHERS_S


class SessionIdleMiddleware:
    """Log a session out after its idle limit; its expiry slides with activity (set_expiry on each touch)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            session, now = request.session, int(time.time())
            idle = session.get(IDLE_KEY)
            if idle is None:
                idle = session[IDLE_KEY] = idle_limit_s(user)
            seen = session.get(SEEN_KEY)
            if seen is not None and now - seen > idle:
                logout(request)  # the request goes on as anonymous: pages redirect to sign in, the API says 401
            elif seen is None or now - seen >= TOUCH_EVERY_S:
                session[SEEN_KEY] = now
                session.set_expiry(idle)
        return self.get_response(request)
