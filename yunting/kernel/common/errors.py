"""One error type for the whole application.

ApplicationError
├── NotFound (404)            — also what a case you may not see looks like
├── PermissionDenied (403)
├── ValidationFailed (400)    — bad input; nothing was changed
└── Conflict (409)            — a state transition that is not allowed now
Each interface renders them as {"code", "message", "data"}; messages are translated at render time.
"""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise


class ApplicationError(Exception):
    http_status = 400
    default_code = "error"

    def __init__(self, message: str | Promise, *, code: str | None = None, data: dict[str, Any] | None = None):
        super().__init__(str(message))
        self.message = message
        self.code = code or self.default_code
        self.data = data or {}

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": str(self.message), "data": self.data}


class NotFound(ApplicationError):
    http_status = 404
    default_code = "not_found"


class PermissionDenied(ApplicationError):
    http_status = 403
    default_code = "permission_denied"


class ValidationFailed(ApplicationError):
    http_status = 400
    default_code = "invalid"


class Conflict(ApplicationError):
    http_status = 409
    default_code = "conflict"
