"""PAdES signing with pyHanko: B-B always, B-T when a time-stamping authority is configured.

Each signature is an incremental update that fills one of the signature fields the renderer placed (or a new
field at the bottom of the last page), so earlier signatures stay valid: judge, then clerk, then the seal.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.conf import settings
from PIL import Image
from pyhanko.pdf_utils.images import PdfImage
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers, timestamps
from pyhanko.sign.fields import SigFieldSpec
from pyhanko.stamp import StaticStampStyle
from pyhanko_certvalidator.registry import SimpleCertificateStore

from yunting.kernel.common.errors import Conflict, ValidationFailed

from ..models import Certificate, CertKind
from . import pki


@dataclass(frozen=True)
class SignRequest:
    field: str  # signature field to fill (created at `fallback_box` on the last page if absent)
    reason: str = ""
    location: str = ""
    image: Image.Image | None = None  # visible appearance; None → invisible signature
    fallback_box: tuple[float, float, float, float] = (380, 60, 540, 120)


def timestamper():
    """The configured TSA: `DOCUMENT_TSA_URL` (RFC 3161 over HTTP), "internal" (the court's own TSA
    certificate from the PKI), or nothing (PAdES-B-B)."""
    url = getattr(settings, "DOCUMENT_TSA_URL", "")
    if not url:
        return None
    if url == "internal":
        tsa = pki.pki_issue(kind=CertKind.TSA, label="tsa", common_name="云庭时间戳服务")
        return timestamps.DummyTimeStamper(
            tsa_cert=pki.asn1(tsa), tsa_key=pki.asn1_key(tsa),
            certs_to_embed=SimpleCertificateStore.from_certs([pki.asn1(c) for c in pki.chain(tsa)[1:]]),
        )
    return timestamps.HTTPTimeStamper(url, timeout=10)


def signature_fields(pdf: bytes) -> dict[str, bool]:
    """{field name: already signed?} in document order."""
    reader = PdfFileReader(io.BytesIO(pdf))
    return {name: value is not None for name, value, _ref in fields.enumerate_sig_fields(reader)}


def pdf_sign(pdf: bytes, *, cert: Certificate, request: SignRequest) -> bytes:
    """Sign `pdf` with `cert` into `request.field`; returns the new PDF (the old bytes plus one revision)."""
    if cert.revoked_at is not None:
        raise Conflict("证书已被吊销，不能签名", code="sign_cert_revoked", data={"serial": cert.serial})
    try:
        existing = signature_fields(pdf)
    except Exception as exc:  # a damaged or non-PDF input: say so rather than crash the batch
        raise ValidationFailed("不是有效的 PDF 文件", code="sign_bad_pdf") from exc
    if existing.get(request.field):
        raise Conflict("该位置已经签名", code="sign_field_taken", data={"field": request.field})
    signer = signers.SimpleSigner(
        signing_cert=pki.asn1(cert), signing_key=pki.asn1_key(cert),
        cert_registry=SimpleCertificateStore.from_certs([pki.asn1(c) for c in pki.chain(cert)[1:]]),
    )
    meta = signers.PdfSignatureMetadata(
        field_name=request.field, subfilter=fields.SigSeedSubFilter.PADES, md_algorithm="sha256",
        reason=request.reason or None, location=request.location or None, name=cert.common_name,
        use_pades_lta=False,
    )
    style = None
    if request.image is not None:
        style = StaticStampStyle(background=PdfImage(request.image), border_width=0, background_opacity=1.0)
    new_field = None
    if request.field not in existing:
        page = -1
        new_field = SigFieldSpec(sig_field_name=request.field, on_page=page,
                                 box=request.fallback_box if request.image is not None else None)
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    pdf_signer = signers.PdfSigner(meta, signer=signer, timestamper=timestamper(), stamp_style=style,
                                   new_field_spec=new_field)
    out = pdf_signer.sign_pdf(writer)
    return out.getvalue()
