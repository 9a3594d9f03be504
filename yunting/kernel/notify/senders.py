"""The edge of the world we cannot reach from here: an SMS gateway.

Every sender implements `SmsSender`. Which one runs is `settings.YUNTING_SMS_SENDER` (a dotted path to a class);
the default is `ConsoleSmsSender`, a FAKE that sends nothing and only writes the message to the `yunting.sms`
logger (stderr under `make run`), so a person trying the system can read their code in the server console.
A real gateway (Aliyun SMS, Tencent Cloud SMS, an operator's SMPP) is one more class with the same `send`.
"""

from __future__ import annotations

import logging
import uuid
from typing import Protocol, runtime_checkable

from django.conf import settings
from django.utils.module_loading import import_string

from yunting.kernel.security.masking import mask_phone

DEFAULT_SENDER = "yunting.kernel.notify.senders.ConsoleSmsSender"
log = logging.getLogger("yunting.sms")


@runtime_checkable
class SmsSender(Protocol):
    def send(self, phone: str, text: str) -> str:
        """Hand one text message to the gateway; return the provider's message id, raise on any failure."""
        ...


class ConsoleSmsSender:
    """FAKE SMS gateway for development and demos: nothing leaves the machine; the text is logged instead."""

    def send(self, phone: str, text: str) -> str:
        message_id = f"console-{uuid.uuid4().hex[:12]}"
        # WARNING so it shows even when YUNTING_LOG_LEVEL hides INFO: someone is waiting for this code
        log.warning("[FAKE SMS, not sent] to %s (%s): %s", mask_phone(phone), message_id, text)
        return message_id


def sms_sender() -> SmsSender:
    """The configured sender (settings.YUNTING_SMS_SENDER), instantiated."""
    return import_string(getattr(settings, "YUNTING_SMS_SENDER", DEFAULT_SENDER) or DEFAULT_SENDER)()
