"""Messages to people outside the system: an outbox written in the caller's transaction, sent after commit through
a narrow sender adapter (SMS today), retried by the periodic job `notify.outbox`; and one-time codes that prove
a person holds a phone. Knows nothing about cases.

Public surface (imported lazily, so the package can be imported before Django's apps are ready):
outbox   outbox_enqueue, outbox_send, outbox_send_due, OutboxMessage
codes    otp_issue, otp_verify, otp_consume, PhoneVerification
phones   phone_normalize
senders  SmsSender, ConsoleSmsSender (a FAKE: logs instead of sending), sms_sender
"""

from importlib import import_module

_WHERE = {
    "outbox_enqueue": "services", "outbox_send": "services", "outbox_send_due": "services",
    "otp_issue": "services", "otp_verify": "services", "otp_consume": "services",
    "OutboxMessage": "models", "PhoneVerification": "models",
    "phone_normalize": "phones",
    "SmsSender": "senders", "ConsoleSmsSender": "senders", "sms_sender": "senders",
}
__all__ = sorted(_WHERE)


def __getattr__(name):
    if name not in _WHERE:
        raise AttributeError(name)
    return getattr(import_module(f".{_WHERE[name]}", __name__), name)
