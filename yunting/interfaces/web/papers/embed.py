"""For other pages (the public ledger verify page): the signature table of an uploaded PDF, as safe HTML."""

from __future__ import annotations

from django.utils.safestring import SafeString, mark_safe


def signature_report(data: bytes):
    """The ValidationReport of `data` against the court's own trust (root CA, issuing CA, current CRLs)."""
    from yunting.kernel.documents.signing.pki import pki_trust
    from yunting.kernel.documents.signing.validate import pdf_validate

    return pdf_validate(data, trust=pki_trust())


def signature_report_html(data: bytes, *, name: str = "") -> SafeString:
    """Signer, time, integrity, chain to the court root and revocation of every signature; empty when the
    file is not a PDF."""
    from django.template.loader import render_to_string

    if not data.startswith(b"%PDF"):
        return mark_safe("")
    report = signature_report(data)
    return mark_safe(render_to_string("papers/_signature_report.html", {"report": report, "name": name}))
