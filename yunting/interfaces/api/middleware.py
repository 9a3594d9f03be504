"""Every answer under /api/ is JSON, including the ones Django gives before or after a view runs.

Django's own 400 (a body over the size limit, a bad host), 404 (no such route, a non-integer id on an
`{int:id}` route), 405 (a method the route does not take), 413 and 500 are HTML pages; an integrator's client
expects `{"code", "message", "data"}` with the same status. This middleware rewrites such responses on API
paths only, so a web page keeps its HTML error page.
"""

from __future__ import annotations

from django.http import JsonResponse

from .errors import HTTP_ERROR_CODES, error_body

API_PREFIX = "/api/"


def _is_json(response) -> bool:
    return response.get("Content-Type", "").split(";")[0].strip() in ("application/json", "application/problem+json")


class ApiJsonErrorsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code < 400 or not request.path_info.startswith(API_PREFIX) or _is_json(response):
            return response
        code, message = HTTP_ERROR_CODES.get(response.status_code, ("error", "请求失败"))
        data = {}
        if response.status_code == 405 and response.has_header("Allow"):
            data["allow"] = [m.strip() for m in response["Allow"].split(",") if m.strip()]
        replaced = JsonResponse(error_body(code, message, data), status=response.status_code,
                                json_dumps_params={"ensure_ascii": False})
        for header in ("Allow", "WWW-Authenticate", "Retry-After"):
            if response.has_header(header):
                replaced[header] = response[header]
        return replaced


def json_error(status: int, code: str, message: str, data: dict | None = None) -> JsonResponse:
    return JsonResponse(error_body(code, message, data), status=status, json_dumps_params={"ensure_ascii": False})

