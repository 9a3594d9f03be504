"""Who is calling: a bearer token (integrations: banks, prisons, other courts) or the web session.

Tokens are stored as SHA-256 only (models.ApiToken). A presented token that is unknown, revoked or belongs to
an inactive account is answered 401 at once — it never falls through to the session.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer, django_auth

from .models import ApiToken

# last_used_at is informational: writing it at most once a minute keeps every request from being a write.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def token_authenticate(raw: str) -> ApiToken | None:
    """The live token for a presented plaintext, with its user; None when unknown, revoked or inactive."""
    if not raw:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=ApiToken.hash(raw.strip()), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def _credentials(raw: str) -> dict:
    # django-axes counts failures per "username" and per address; for a bearer credential the "username" is
    # its visible prefix, so the address is what locks (nobody guessing keys guesses the same prefix twice).
    return {"username": "bearer:" + raw.strip()[:12]}


def credential_guard(request, raw: str) -> None:
    """Refuse any bearer credential, right or wrong, from an address locked after repeated failures: otherwise
    the lock would not stop the guessing. The refusal becomes the 429 lockout answer (AxesMiddleware)."""
    from axes.handlers.proxy import AxesProxyHandler

    credentials = _credentials(raw)
    if AxesProxyHandler.is_locked(request, credentials):
        request.axes_locked_out, request.axes_credentials = True, credentials
        raise AuthenticationError()


def credential_failed(request, raw: str) -> None:
    """Count a wrong token or filing key against its address, as a wrong password is counted."""
    from django.contrib.auth.signals import user_login_failed

    user_login_failed.send(sender=__name__, credentials=_credentials(raw), request=request)


class TokenAuth(HttpBearer):
    """`Authorization: Bearer yt_…`."""

    def authenticate(self, request, token):
        credential_guard(request, token)
        api_token = token_authenticate(token)
        if api_token is None:
            credential_failed(request, token)
            raise AuthenticationError()
        request.api_token = api_token
        request.user = api_token.user
        return api_token.user


token_auth = TokenAuth()

# Session auth checks CSRF itself (ninja's SessionAuth) for unsafe methods; bearer calls need no CSRF token.
API_AUTH = [token_auth, django_auth]


def caller(request):
    """The authenticated user of an API request (set by whichever auth accepted it)."""
    return request.auth
