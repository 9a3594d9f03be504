"""Document bytes, streamed from the blob store."""

from __future__ import annotations

from itertools import chain

from django.http import HttpResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header
from ninja import Router

from yunting.core.cases.access import access_document_for
from yunting.kernel.blobs.store import blob_iter
from yunting.kernel.security.audit import client_ip, read_log

from .auth import API_AUTH, caller
from .schemas import ErrorOut

router = Router(auth=API_AUTH, tags=["documents"])

EXTENSIONS = {
    "application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png", "image/tiff": ".tif",
    "image/webp": ".webp", "video/mp4": ".mp4", "video/webm": ".webm", "audio/mpeg": ".mp3",
}


def download_name(document) -> str:
    if document.filename:
        return document.filename
    return document.title + EXTENSIONS.get(document.blob.mime_type, "")


@router.get(
    "/documents/{id}/content", url_name="document_content", summary="The document's bytes",
    response={200: None, 304: None, 401: ErrorOut, 404: ErrorOut},
    # int keys, as ninja's own: a "200" string key here would sit next to ninja's 200 and be written out twice
    # ("duplicated mapping key"), which is what kept /api/v1/docs from rendering.
    openapi_extra={"responses": {200: {"description": "The bytes, Content-Type as stored; ETag is the SHA-256.",
                                       "content": {"*/*": {"schema": {"type": "string", "format": "binary"}}}}}},
)
def document_content(request, id: int):
    document, access = access_document_for(caller(request), id)
    read_log(user=caller(request), action="document.view", channel="api", case_id=document.case_id,
             object_type="document", object_id=document.pk, ip=client_ip(request))
    etag = f'"{document.blob_id}"'
    if etag in [t.strip() for t in request.headers.get("If-None-Match", "").split(",")]:
        response = HttpResponse(status=304)
    else:
        chunks = blob_iter(document.blob_id)
        first = next(chunks, b"")  # opens the blob now, so a missing one is a clean error, not a cut stream
        response = StreamingHttpResponse(chain([first], chunks), content_type=document.blob.mime_type)
        response["Content-Length"] = str(document.blob.size)
        response["Content-Disposition"] = content_disposition_header(False, download_name(document))
    response["ETag"] = etag
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-cache"
    return response
