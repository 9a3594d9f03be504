"""The versioned JSON API: /api/v1/, OpenAPI at /api/v1/openapi.json."""

from ninja import NinjaAPI

api = NinjaAPI(title="Yunting API", version="1", urls_namespace="api-v1")
