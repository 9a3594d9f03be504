"""Logging filters wired in settings.LOGGING."""

from __future__ import annotations

import logging


class OneLineForbidden(logging.Filter):
    """An ordinary 403 (PermissionDenied raised by a view) is a refusal working as designed, not a fault: Django
    logs it with the exception attached, which prints a full traceback for every refused click. Keep the one
    line Django writes ("Forbidden (Permission denied): /path") and drop the traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) == 403 and record.exc_info:
            record.exc_info, record.exc_text = None, None
        return True
