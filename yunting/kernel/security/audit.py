from __future__ import annotations

from .models import ReadLog


def read_log(*, user, action: str, channel: str, case_id: int | None = None, object_type: str = "",
             object_id: str | int = "", ip: str | None = None) -> None:
    ReadLog.objects.create(
        user_id=getattr(user, "pk", None), username=getattr(user, "username", "") or "", action=action,
        case_id=case_id, object_type=object_type, object_id=str(object_id), channel=channel, ip=ip or None,
    )


def client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR")
