"""Every route of the newer apps that takes a POST refuses one without the CSRF token, even from a signed-in
member (pages and the API on a web session alike): a page of another site cannot act for them. The routes are
found from the URLconf, so a new POST route of these apps is checked without being listed."""

import inspect

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db
APPS = ("/spaces/", "/space-extras/", "/live/", "/sharedcourt/", "/witnesses/", "/scanning/", "/archive/")
API = ["/api/v1/cases/1/space", "/api/v1/spaces/1/mute", "/api/v1/spaces/1/unmute", "/api/v1/payouts/1/shares/1/confirm",
       "/api/v1/witness-eligibility", "/api/v1/scans"]


def _routes(patterns=None, prefix=""):
    out = []
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            out += _routes(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            path = "/" + prefix + str(p.pattern)
            if not path.startswith(APPS):
                continue
            source = inspect.getsource(inspect.unwrap(p.callback))
            if "require_GET" in source.split("def ", 1)[0]:
                continue
            out.append(path)
    return out


def _fill(path):
    for conv in ("<int:", "<str:"):
        while conv in path:
            start = path.index(conv)
            path = path[:start] + ("1" if conv == "<int:" else "tok") + path[path.index(">", start) + 1:]
    return path


ROUTES = [_fill(p) for p in _routes()]


def test_the_new_apps_routes_are_found():
    assert len(ROUTES) >= 40 and "/spaces/1/moderate/" in ROUTES and "/live/tok/ask" in ROUTES


@pytest.mark.parametrize("path", ROUTES + API)
def test_a_post_without_the_csrf_token_is_refused(users, path):
    c = Client(enforce_csrf_checks=True)
    c.force_login(users["judge"])
    r = c.post(path, {"op": "start"})
    assert r.status_code == 403, (path, r.status_code)
