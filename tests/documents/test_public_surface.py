import yunting.kernel.documents as documents


def test_public_surface_is_pinned():
    assert documents.__all__ == sorted([
        "Rendered", "SignRequest", "SignatureReport", "Slot", "SlotKind", "Template", "Trust", "ValidationReport",
        "Var", "VarType", "amount_daxie", "date_cn", "date_figures", "money", "pdf_sign", "pdf_validate",
        "pki_crl", "pki_init", "pki_issue", "pki_revoke", "pki_trust", "render_html", "render_pdf", "report_lines",
        "signature_fields", "template_get", "template_list", "variables_clean", "variables_dump",
    ])
    for name in documents.__all__:
        assert getattr(documents, name) is not None
