"""Reads of people and their posts.

`memberships(user)` is every standing role the user holds, read once per read request (kernel/common/memo):
the navigation, the access checks and the panels of one page all ask it, and all get the one answer. The
helpers below answer the questions those callers asked the database one by one, from that list.
"""

from __future__ import annotations

from collections.abc import Iterable

from yunting.kernel.common.memo import memoised

from .models import Membership


def memberships(user) -> tuple[Membership, ...]:
    """The user's memberships with their organisation, oldest first. Shared within a request: do not modify."""
    if not getattr(user, "is_authenticated", False) or user.pk is None:
        return ()
    return memoised(("people.memberships", user.pk), lambda: tuple(
        Membership.objects.filter(user_id=user.pk).select_related("organisation").order_by("id")))


def _matches(m: Membership, roles, organisation_id, kind) -> bool:
    return ((roles is None or m.role in roles)
            and (organisation_id is None or m.organisation_id == organisation_id)
            and (kind is None or m.organisation.kind == kind))


def holds(user, roles: Iterable[str] | None = None, *, organisation_id: int | None = None,
          kind: str | None = None) -> bool:
    """Whether the user has a membership with one of `roles` (any role when None), in that organisation / kind."""
    roles = None if roles is None else frozenset(roles)
    organisation_id = None if organisation_id is None else int(organisation_id)  # as the database compared it
    return any(_matches(m, roles, organisation_id, kind) for m in memberships(user))


def organisations_with(user, roles: Iterable[str] | None = None, *, kind: str | None = None) -> list[int]:
    """The organisation ids where the user holds one of `roles` (each once, in membership order)."""
    roles = None if roles is None else frozenset(roles)
    out: list[int] = []
    for m in memberships(user):
        if _matches(m, roles, None, kind) and m.organisation_id not in out:
            out.append(m.organisation_id)
    return out


def roles_held(user) -> set[str]:
    return {m.role for m in memberships(user)}
