"""One error shape for the API: {"code", "message", "data"} with the error's HTTP status."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation, TooManyFieldsSent
from django.http import Http404
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, ValidationError

from yunting.kernel.common.errors import ApplicationError

log = logging.getLogger(__name__)

HTTP_ERROR_CODES = {
    400: ("bad_request", "请求无效"),
    401: ("unauthenticated", "未登录，或访问令牌无效、已吊销"),
    403: ("permission_denied", "无权进行该操作"),
    404: ("not_found", "资源不存在"),
    405: ("method_not_allowed", "不支持该请求方法"),
    413: ("request_too_large", "请求体过大"),
    422: ("unprocessable", "请求无法处理"),
    429: ("throttled", "请求过于频繁，请稍后再试"),
    500: ("server_error", "服务器内部错误，请稍后再试；问题已记录"),
    502: ("bad_gateway", "上游服务无响应"),
    503: ("unavailable", "服务暂不可用，请稍后再试"),
}


def error_body(code: str, message: str, data: dict | None = None) -> dict:
    return {"code": code, "message": str(message), "data": data or {}}


def request_too_large_body(max_bytes: int | None = None) -> dict:
    """413: names the limit, so a client knows what to split (one setting: YUNTING_REQUEST_MAX_MB)."""
    limit = max_bytes or settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return error_body("request_too_large", f"请求体过大：上限为 {limit // (1024 * 1024)} MB",
                      {"max_bytes": limit})


def _jsonable_errors(errors) -> list[dict]:
    out = []
    for err in errors:
        item = {"loc": [str(p) for p in err.get("loc", ())], "msg": str(err.get("msg", "")), "type": err.get("type", "")}
        out.append(item)
    return out


def install_error_handlers(api) -> None:
    """Register the handlers on a NinjaAPI; every error the API answers goes through one of these."""

    @api.exception_handler(ApplicationError)
    def application_error(request, exc: ApplicationError):
        return api.create_response(request, exc.as_dict(), status=exc.http_status)

    @api.exception_handler(ValidationError)
    def validation_error(request, exc: ValidationError):
        body = error_body("invalid", "请求参数无效", {"errors": _jsonable_errors(exc.errors)})
        return api.create_response(request, body, status=400)

    @api.exception_handler(AuthenticationError)
    def authentication_error(request, exc):
        code, message = HTTP_ERROR_CODES[401]
        response = api.create_response(request, error_body(code, message), status=401)
        response["WWW-Authenticate"] = 'Bearer realm="yunting"'
        return response

    @api.exception_handler(AuthorizationError)
    def authorization_error(request, exc):
        code, message = HTTP_ERROR_CODES[403]
        return api.create_response(request, error_body(code, message), status=403)

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        status = exc.status_code
        code, message = HTTP_ERROR_CODES.get(status, ("error", str(exc)))
        if status == 403 and "CSRF" in str(exc):
            code, message = "csrf_failed", "CSRF 校验失败：会话请求需要携带 CSRF 令牌"
        return api.create_response(request, error_body(code, message), status=status)

    @api.exception_handler(RequestDataTooBig)
    def too_big(request, exc):
        return api.create_response(request, request_too_large_body(), status=413)

    @api.exception_handler(TooManyFieldsSent)
    def too_many_fields(request, exc):
        body = error_body("too_many_fields", "表单字段过多", {"max_fields": settings.DATA_UPLOAD_MAX_NUMBER_FIELDS})
        return api.create_response(request, body, status=400)

    @api.exception_handler(SuspiciousOperation)
    def suspicious(request, exc):
        code, message = HTTP_ERROR_CODES[400]
        return api.create_response(request, error_body(code, message), status=400)

    @api.exception_handler(Http404)
    def not_found(request, exc):
        code, message = HTTP_ERROR_CODES[404]
        return api.create_response(request, error_body(code, message), status=404)
