"""Sign-in locks (django-axes) lifted early by an administrator, and recorded."""

from __future__ import annotations

import ipaddress

from django.db import transaction
from django.utils.translation import gettext as _

from yunting.kernel.common.errors import ValidationFailed
from yunting.kernel.security.audit import security_event


def _is_address(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


@transaction.atomic
def login_unlock(*, subject: str, actor: str, reason: str = "") -> int:
    """Clear the failed sign-ins of an account (username) or an address (IP), so the lock ends now; the act is a
    chained SecurityEvent (kind `login.unlocked`) naming who did it and why. Returns how many records were
    cleared (0 when nothing was locked — still recorded, so every attempt to unlock leaves a trace)."""
    from axes.utils import reset

    subject = (subject or "").strip()
    if not subject:
        raise ValidationFailed(_("Name the account (username) or the address (IP) to unlock."), code="unlock_subject")
    if not (actor or "").strip():
        raise ValidationFailed(_("Say who unlocks (an administrator's name)."), code="unlock_actor")
    by_address = _is_address(subject)
    cleared = reset(ip=subject) if by_address else reset(username=subject)
    security_event(kind="login.unlocked", subject=subject, actor=actor.strip(),
                   details={"by": "ip" if by_address else "username", "cleared": cleared, "reason": reason[:500]})
    return cleared
