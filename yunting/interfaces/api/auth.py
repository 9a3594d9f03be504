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


class TokenAuth(HttpBearer):
    """`Authorization: Bearer yt_…`."""

    def authenticate(self, request, token):
        api_token = token_authenticate(token)
        if api_token is None:
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
