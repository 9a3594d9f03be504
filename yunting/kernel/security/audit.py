from __future__ import annotations

from .chain import chained_insert, chained_insert_many
from .models import ReadLog, SecurityEvent


def read_log(*, user, action: str, channel: str, case_id: int | None = None, object_type: str = "",
             object_id: str | int = "", ip: str | None = None) -> None:
    """One read, chained (kernel.security.chain) so that deleting it later is found by `yunting audit`."""
    chained_insert("readlog", ReadLog(
        user_id=getattr(user, "pk", None), username=getattr(user, "username", "") or "", action=action,
        case_id=case_id, object_type=object_type, object_id=str(object_id), channel=channel, ip=ip or None,
    ))


def read_logs(*, user, channel: str, ip: str | None = None, reads: list[dict]) -> None:
    """Several reads of one request (each a dict of action, case_id, object_type, object_id), chained in order
    in one transaction: the same rows as read_log for each, without a transaction and a chain-head update each."""
    chained_insert_many("readlog", [ReadLog(
        user_id=getattr(user, "pk", None), username=getattr(user, "username", "") or "", action=r["action"],
        case_id=r.get("case_id"), object_type=r.get("object_type", ""), object_id=str(r.get("object_id", "")),
        channel=channel, ip=ip or None,
    ) for r in reads])


def security_event(*, kind: str, subject: str, actor: str, details: dict | None = None) -> SecurityEvent:
    """Record a security-relevant act outside any case (an unlock, for instance), chained like the read log."""
    event = SecurityEvent(kind=kind, subject=subject[:200], actor=actor[:150], details=details or {})
    chained_insert("securityevent", event)
    return event


def client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR")
