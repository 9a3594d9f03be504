"""The versioned JSON API: /api/v1/, OpenAPI at /api/v1/openapi.json, interactive docs at /api/v1/docs.

Each router brings its own auth (bearer token or session, auth.API_AUTH), so a router that serves the public
— the ledger's tree heads and proofs — can decide for itself.
"""

from ninja import NinjaAPI
from ninja.renderers import JSONRenderer

from . import cases, documents, people
from .errors import install_error_handlers
from .fees import router as fees_router
from .filing import router as filing_router


class Utf8JSONRenderer(JSONRenderer):
    """Chinese text as UTF-8, not \\u escapes: readable in logs and curl, and smaller."""

    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
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
api.add_router("/", cases.router)
api.add_router("/", documents.router)
api.add_router("/fees/", fees_router)
api.add_router("/", filing_router)

try:  # the ledger's endpoints live in their own module; the API works without it
    from .ledger import router as ledger_router
except ImportError as exc:  # only "the module is not there"; a broken ledger module must fail loudly
    if exc.name != f"{__package__}.ledger":
        raise
else:
    api.add_router("/ledger/", ledger_router)
