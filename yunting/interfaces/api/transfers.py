"""Appeal transfers between courts (一键移送): `POST /api/v1/transfers`.

The sending court authenticates with the court-to-court key this court issued to it (`Authorization: Bearer
ytt_…`, `yunting archive transfer-key create`) and sends its 正卷 as a ZIP'd BagIt package (`package`). It is
checked before anything is kept — every file's hash, the manifest's and the tree head's signatures with the
sender's pinned ledger key, every inclusion proof, and the tree head against the sender's own public ledger
(its current signed head and a consistency proof) — and only then is the appeal case (民终) opened with the
file attached. A package that fails is refused (400 `transfer_unverified` naming the problem) and nothing is kept.
"""

from __future__ import annotations

from ninja import File, Router, Schema, Status
from ninja.errors import AuthenticationError
from ninja.files import UploadedFile
from ninja.security import HttpBearer

from yunting.workflows.archive.services import archive_transfer_receive, transfer_key_authenticate

from .auth import credential_failed, credential_guard
from .schemas import ErrorOut

router = Router(tags=["transfers"])


class TransferKeyAuth(HttpBearer):
    def authenticate(self, request, token):
        credential_guard(request, token)
        key = transfer_key_authenticate(token)
        if key is None:
            credential_failed(request, token)
            raise AuthenticationError()
        return key


class TransferOut(Schema):
    case_id: int
    case_number: str
    documents: int


@router.post("/transfers", auth=TransferKeyAuth(), response={201: TransferOut, 400: ErrorOut, 401: ErrorOut},
             url_name="transfer_receive", summary="Courts: receive a first-instance file for an appeal (verified)")
def transfer_receive(request, package: File[UploadedFile]):
    case = archive_transfer_receive(key=request.auth, package=package.file)
    documents = case.documents.count()
    return Status(201, {"case_id": case.pk, "case_number": case.number, "documents": documents})
