from datetime import datetime
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")


def iso_utc(dt: datetime) -> str:
    """Microsecond-precision UTC timestamp used inside hashed payloads."""
    return dt.astimezone(ZoneInfo("UTC")).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def shanghai_today():
    from django.utils import timezone

    return timezone.now().astimezone(SHANGHAI).date()
