"""The answer to a locked-out sign-in (settings.AXES_LOCKOUT_CALLABLE): when to retry, in words.

The web form shows the sign-in page again with the message (status 429); the API answers JSON 429
{"code": "login_locked", …} with Retry-After. The lock ends YUNTING_LOGIN_LOCKOUT_MINUTES after the last failed
attempt of the account or the address, or earlier when an administrator runs `yunting unlock`.
"""

from __future__ import annotations

import math
from datetime import datetime

from django.conf import settings
from django.db.models import Max, Q
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from yunting.kernel.common.timeutil import SHANGHAI


def retry_at(*, username: str | None, ip: str | None) -> datetime:
    """When the lock of this account or this address ends (the later of the two)."""
    from axes.models import AccessAttempt

    match = Q(pk__in=[])
    if username:
        match |= Q(username=username)
    if ip:
        match |= Q(ip_address=ip)
    last = AccessAttempt.objects.filter(match).aggregate(last=Max("attempt_time"))["last"] or timezone.now()
    return last + settings.AXES_COOLOFF_TIME


def lockout_message(until: datetime) -> str:
    minutes = max(1, math.ceil((until - timezone.now()).total_seconds() / 60))
    return _("Too many failed sign-ins: this account or address is locked. Try again after %(time)s (in about "
             "%(minutes)d minutes), or ask the court's administrator to unlock it.") % {
        "time": until.astimezone(SHANGHAI).strftime("%H:%M"), "minutes": minutes}


def lockout_response(request, original_response=None, credentials=None):
    username = (credentials or {}).get("username") or request.POST.get("username") or None
    until = retry_at(username=username, ip=getattr(request, "axes_ip_address", None))
    message = lockout_message(until)
    seconds = max(1, int((until - timezone.now()).total_seconds()))
    if request.path_info.startswith("/api/"):
        response = JsonResponse({"code": "login_locked", "message": message,
                                 "data": {"retry_at": until.isoformat(), "retry_after_seconds": seconds}},
                                status=429, json_dumps_params={"ensure_ascii": False})
    else:
        from django.contrib.auth.forms import AuthenticationForm

        form = AuthenticationForm(request, data=None, initial={"username": username or ""})
        response = render(request, "web/login.html", {"form": form, "lockout": message,
                                                      "next": request.POST.get("next", "")}, status=429)
    response["Retry-After"] = str(seconds)
    return response
