"""Court papers: a template library rendered to PDF, the court's PKI, PAdES signing and validation.

Knows nothing about cases (core.papers fills templates from a case and issues papers through the journal).
The public surface is `__all__`; names are imported lazily so that loading the app does not load WeasyPrint.
"""

from importlib import import_module

_EXPORTS = {
    "amount_daxie": ".numerals", "date_cn": ".numerals", "date_figures": ".numerals", "money": ".numerals",
    "Template": ".library", "Slot": ".library", "SlotKind": ".library", "template_get": ".library",
    "template_list": ".library", "Var": ".variables", "VarType": ".variables", "variables_clean": ".variables",
    "variables_dump": ".variables", "render_html": ".render", "render_pdf": ".render", "Rendered": ".render",
    "pki_init": ".signing.pki", "pki_issue": ".signing.pki", "pki_revoke": ".signing.pki",
    "pki_crl": ".signing.pki", "pki_trust": ".signing.pki", "Trust": ".signing.pki",
    "pdf_sign": ".signing.sign", "SignRequest": ".signing.sign", "signature_fields": ".signing.sign",
    "pdf_validate": ".signing.validate", "ValidationReport": ".signing.validate",
    "SignatureReport": ".signing.validate", "report_lines": ".signing.validate",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name):
    if name not in _EXPORTS:
        raise AttributeError(name)
    return getattr(import_module(_EXPORTS[name], __name__), name)
