"""The versioned JSON API: /api/v1/, OpenAPI at /api/v1/openapi.json, interactive docs at /api/v1/docs.

Each router brings its own auth (bearer token or session, auth.API_AUTH), so a router that serves the public
— the ledger's tree heads and proofs — can decide for itself.
"""

from ninja import NinjaAPI, Swagger
from ninja.renderers import JSONRenderer

from . import case_fees, cases, clocks, documents, lifecycle, people, service
from .errors import install_error_handlers
from .fees import router as fees_router
from .filing import router as filing_router


class Utf8JSONRenderer(JSONRenderer):
    """Chinese text as UTF-8, not \\u escapes: readable in logs and curl, and smaller."""

    json_dumps_params = {"ensure_ascii": False}


ERROR_REF = {"$ref": "#/components/schemas/ErrorOut"}
DEFAULT_ERRORS = {
    "400": "Bad request: a parameter or body that is malformed or fails a rule (`code` says which).",
    "401": "No credentials, or a token or filing key that is unknown, revoked or inactive.",
    "413": "Body over its size limit (`data.max_bytes`).",
    "429": "Too many failed sign-ins from this address or for this account: locked until `data.retry_at`.",
}


def _error_response(description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": ERROR_REF}}}


class YuntingAPI(NinjaAPI):
    """NinjaAPI whose OpenAPI document also lists the errors every operation can answer: 400 (validation, bad
    input), 401 and 429 where credentials are needed, 413 where a body is taken — each in the one error shape.
    An operation may state its parameters exactly with `openapi_extra={"x-parameters": [...]}`, or mark some
    required with `{"x-required": [names]}`, when it checks them itself to answer with its own error codes (the
    ledger's RFC 6962 parameters, the fee kind)."""

    def get_openapi_schema(self, **kwargs):
        schema = super().get_openapi_schema(**kwargs)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components.setdefault("ErrorOut", {"title": "ErrorOut", "type": "object", "required": ["code", "message", "data"],
                                           "properties": {"code": {"type": "string"}, "message": {"type": "string"},
                                                          "data": {"type": "object"}}})
        for path_item in schema.get("paths", {}).values():
            for operation in path_item.values():
                if not isinstance(operation, dict) or "responses" not in operation:
                    continue
                if "x-parameters" in operation:
                    operation["parameters"] = operation.pop("x-parameters")
                required = set(operation.pop("x-required", []))
                for parameter in operation.get("parameters", []):
                    if parameter.get("name") in required:
                        parameter["required"] = True
                wanted = ["400"]
                if operation.get("security"):
                    wanted += ["401", "429"]
                if "requestBody" in operation:
                    wanted.append("413")
                responses = operation["responses"]
                for status in wanted:
                    if status not in responses and int(status) not in responses:
                        responses[status] = _error_response(DEFAULT_ERRORS[status])
        return schema


class Docs(Swagger):
    """The interactive reference (/api/v1/docs), its page naming its language like every other page."""

    template = "api/swagger.html"


api = YuntingAPI(
    docs=Docs(),
    renderer=Utf8JSONRenderer(),
    title="Yunting API",
    version="1",
    urls_namespace="api-v1",
    description=(
        "云庭 paperless online court. Authenticate with `Authorization: Bearer <token>` "
        "(`yunting token create USERNAME`) or a web session (unsafe methods then need the CSRF token). "
        "A case you do not take part in answers 404 exactly like one that does not exist. "
        'Errors: `{"code", "message", "data"}`.'
    ),
)
install_error_handlers(api)
api.add_router("/", people.router)
api.add_router("/", lifecycle.router)  # before cases: /cases/assign-auto is not a case id
api.add_router("/", cases.router)
api.add_router("/", documents.router)
api.add_router("/fees/", fees_router)
api.add_router("/", filing_router)
api.add_router("/", clocks.public)
api.add_router("/", clocks.router)
api.add_router("/", case_fees.router)
api.add_router("/", service.router)

from . import rooms as _rooms  # noqa: E402

api.add_router("/", _rooms.router)

from .exchange import router as exchange_router  # noqa: E402

api.add_router("/", exchange_router)

from .mediation import router as mediation_router  # noqa: E402

api.add_router("/", mediation_router)
from .hearings import router as hearings_router  # noqa: E402

api.add_router("/", hearings_router)
from .scans import router as scans_router  # noqa: E402

api.add_router("/", scans_router)

try:  # the ledger's endpoints live in their own module; the API works without it
    from .ledger import router as ledger_router
except ImportError as exc:  # only "the module is not there"; a broken ledger module must fail loudly
    if exc.name != f"{__package__}.ledger":
        raise
else:
    api.add_router("/ledger/", ledger_router)

from .transfers import router as transfers_router  # noqa: E402

api.add_router("/", transfers_router)
from .transcripts import router as transcripts_router  # noqa: E402

api.add_router("/", transcripts_router)
from .spaces import router as spaces_router  # noqa: E402

api.add_router("/", spaces_router)
from .payouts import router as payouts_router  # noqa: E402

api.add_router("/", payouts_router)
from .sharedcourt import public as sharedcourt_public  # noqa: E402
from .sharedcourt import router as sharedcourt_router  # noqa: E402

api.add_router("/", sharedcourt_public)
api.add_router("/", sharedcourt_router)
from .witnesses import router as witnesses_router  # noqa: E402

api.add_router("/", witnesses_router)
