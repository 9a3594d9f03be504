"""Registration pages. Views parse input, call one service from `registration`, render."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from yunting.kernel.common.errors import ApplicationError
from yunting.kernel.notify.senders import DEFAULT_SENDER
from yunting.kernel.notify.services import RESEND_COOLDOWN

from .registration import RegistrationInput, RegistrationInvalid, registration_code_send, registration_submit


def _page(request, data: RegistrationInput, *, errors=None, code_status=None, status: int = 200):
    return render(request, "accounts/register.html", {
        "v": data, "errors": errors or {}, "code_status": code_status,
        "fake_sms": getattr(settings, "YUNTING_SMS_SENDER", DEFAULT_SENDER) == DEFAULT_SENDER,
    }, status=status)


@require_http_methods(["GET", "POST"])
def register(request):
    if request.user.is_authenticated:
        return redirect("filing:mine")
    if request.method == "GET":
        return _page(request, RegistrationInput())
    data = RegistrationInput.from_post(request.POST)
    try:
        user = registration_submit(data=data)
    except RegistrationInvalid as exc:
        return _page(request, data, errors=exc.errors, status=400)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    messages.success(request, _("Welcome, %(name)s. Your account is ready: you can file a case now.")
                     % {"name": user.real_name})
    return redirect("filing:mine")


@require_POST
def register_code(request):
    """The "send code" button: with HTMX only the status line is answered (200, so HTMX swaps errors in too);
    without JavaScript the whole form comes back, as typed."""
    data = RegistrationInput.from_post(request.POST)
    try:
        verification = registration_code_send(phone=data.phone)
        code_status = {"sent_to": verification.message.recipient_masked,
                       "cooldown": int(RESEND_COOLDOWN.total_seconds())}
    except ApplicationError as exc:
        code_status = {"error": str(exc.message), "cooldown": exc.data.get("retry_after", 0)
                       if exc.code == "otp_cooldown" else 0}
    if request.htmx:
        return render(request, "accounts/_code_status.html", {
            "code_status": code_status,
            "fake_sms": getattr(settings, "YUNTING_SMS_SENDER", DEFAULT_SENDER) == DEFAULT_SENDER,
            "oob_phone": True, "phone": data.phone,
        })
    return _page(request, data, code_status=code_status, status=200 if "sent_to" in code_status else 400)
