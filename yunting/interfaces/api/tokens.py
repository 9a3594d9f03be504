"""Issuing, revoking and listing API tokens (used by `yunting token …`)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from yunting.kernel.common.errors import NotFound, ValidationFailed

from .models import ApiToken


def _user(username: str):
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise NotFound(f"用户不存在：{username}", code="user_not_found", data={"username": username})
    return user


def token_create(*, username: str, name: str = "") -> tuple[ApiToken, str]:
    """A new token for the user; the plaintext is returned once and never stored."""
    return ApiToken.issue(user=_user(username), name=name[:100])


def token_find(prefix_or_id: str) -> ApiToken:
    """A token by id, by prefix (as `token list` shows it) or by its full plaintext."""
    value = (prefix_or_id or "").strip()
    if not value:
        raise ValidationFailed(_("Give the token's number or prefix."), code="token_ref")
    if value.isdigit():
        found = list(ApiToken.objects.filter(pk=int(value)))
    else:
        found = list(ApiToken.objects.filter(key_hash=ApiToken.hash(value))) or list(
            ApiToken.objects.filter(key_prefix__startswith=value[:10])
        )
    if not found:
        raise NotFound(_("No such token."), code="token_not_found", data={"ref": value})
    if len(found) > 1:
        raise ValidationFailed(_("That prefix matches several tokens; use the number."), code="token_ambiguous", data={"ref": value})
    return found[0]


def token_revoke(*, prefix_or_id: str) -> tuple[ApiToken, bool]:
    """Revoke a token; (token, False) when it was already revoked."""
    token = token_find(prefix_or_id)
    if token.revoked_at is not None:
        return token, False
    token.revoke()
    return token, True


def token_list(*, username: str):
    return ApiToken.objects.filter(user=_user(username)).order_by("created_at", "id")
