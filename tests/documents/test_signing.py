"""PAdES signatures: order, independent checks (pdfsig, qpdf), tampering, revocation, trust, B-T."""

import io

import pytest

from yunting.kernel.common.errors import Conflict
from yunting.kernel.documents.render import render_pdf
from yunting.kernel.documents.samples import SAMPLES
from yunting.kernel.documents.signing import pki, stamps
from yunting.kernel.documents.signing.sign import SignRequest, pdf_sign, signature_fields
from yunting.kernel.documents.signing.validate import pdf_validate

from .conftest import needs_poppler, needs_qpdf, run


@pytest.fixture(scope="module")
def ruling_pdf():
    return render_pdf("withdrawal_ruling", SAMPLES["withdrawal_ruling"]).pdf


def sign_all(pdf, court_pki):
    pdf = pdf_sign(pdf, cert=court_pki["judge"], request=SignRequest(
        "judge", reason="审判员签名", image=stamps.person_stamp(name="王立明", caption="审判员")))
    pdf = pdf_sign(pdf, cert=court_pki["clerk"], request=SignRequest(
        "clerk", reason="书记员签名", image=stamps.person_stamp(name="刘晓燕", caption="书记员")))
    return pdf_sign(pdf, cert=court_pki["seal"], request=SignRequest(
        "seal", reason="加盖院印", image=stamps.seal_stamp(court_name="深圳市宝安区人民法院")))


def test_three_signatures_in_order_all_valid(ruling_pdf, court_pki):
    signed = sign_all(ruling_pdf, court_pki)
    report = pdf_validate(signed, trust=pki.pki_trust())
    assert [s.field for s in report.signatures] == ["judge", "clerk", "seal"]
    assert [s.signer for s in report.signatures] == ["王立明", "刘晓燕", "深圳市宝安区人民法院"]
    assert report.ok, [s.problems for s in report.signatures]
    for s in report.signatures:
        assert s.intact and s.valid and s.trusted and not s.revoked and s.signing_time is not None
    assert report.signatures[-1].covers_whole_file
    assert signature_fields(signed) == {"judge": True, "seal": True, "clerk": True}


@needs_poppler
@needs_qpdf
def test_pdfsig_and_qpdf_agree(ruling_pdf, court_pki, tmp_path):
    path = tmp_path / "signed.pdf"
    path.write_bytes(sign_all(ruling_pdf, court_pki))
    out = run("pdfsig", str(path)).stdout
    assert out.count("Signature Validation: Signature is Valid.") == 3, out
    assert out.count("Total document signed") == 1  # the last (the seal) covers the whole file
    assert "Signature Field Name: judge" in out and "Signature Field Name: seal" in out
    check = run("qpdf", "--check", str(path))
    assert check.returncode == 0, check.stdout + check.stderr
    assert "No syntax or stream encoding errors" in check.stdout
    text = run("pdftotext", str(path), "-").stdout
    assert "准许原告张伟撤回起诉" in text  # signing did not disturb the text


def test_a_field_cannot_be_signed_twice(ruling_pdf, court_pki):
    once = pdf_sign(ruling_pdf, cert=court_pki["judge"], request=SignRequest("judge"))
    with pytest.raises(Conflict):
        pdf_sign(once, cert=court_pki["clerk"], request=SignRequest("judge"))


@needs_poppler
def test_flipped_byte_is_detected(ruling_pdf, court_pki, tmp_path):
    signed = bytearray(sign_all(ruling_pdf, court_pki))
    # change one byte inside the first revision's page content (covered by every signature)
    at = bytes(signed).index(b"stream", 2000) + 20
    signed[at] ^= 0x01
    report = pdf_validate(bytes(signed), trust=pki.pki_trust())
    assert not report.ok
    assert all(not s.intact for s in report.signatures)
    assert all("签名后内容被修改" in s.problems for s in report.signatures)
    path = tmp_path / "tampered.pdf"
    path.write_bytes(bytes(signed))
    assert "Signature is Valid" not in run("pdfsig", str(path)).stdout


def test_content_appended_after_signing_is_detected(ruling_pdf, court_pki):
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    signed = sign_all(ruling_pdf, court_pki)
    w = IncrementalPdfFileWriter(io.BytesIO(signed))
    page = w.root["/Pages"]["/Kids"][0].get_object()
    page["/Rotate"] = generic.NumberObject(90)  # a visible change to the signed paper
    w.update_container(page)
    out = io.BytesIO()
    w.write(out)
    report = pdf_validate(out.getvalue(), trust=pki.pki_trust())
    assert not report.ok
    assert any("签名后文件被追加了非签名修改" in s.problems for s in report.signatures)


def test_revoked_certificate_is_reported(ruling_pdf, court_pki):
    signed = pdf_sign(ruling_pdf, cert=court_pki["judge"], request=SignRequest("judge"))
    pki.pki_revoke(serial=court_pki["judge"].serial, reason="key_compromise")
    report = pdf_validate(signed, trust=pki.pki_trust())
    (sig,) = report.signatures
    assert sig.revoked and not sig.ok and "签名证书已被吊销" in sig.problems
    court_pki["judge"].refresh_from_db()
    with pytest.raises(Conflict):
        pdf_sign(ruling_pdf, cert=court_pki["judge"], request=SignRequest("judge"))


def test_crl_lists_revoked_serials(court_pki):
    from cryptography import x509

    pki.pki_revoke(serial=court_pki["clerk"].serial, reason="superseded")
    crl = x509.load_der_x509_crl(pki.pki_crl(court_pki["issuing"]))
    assert [format(r.serial_number, "x") for r in crl] == [court_pki["clerk"].serial]
    assert crl.is_signature_valid(pki.x509_cert(court_pki["issuing"]).public_key())


def test_foreign_root_is_not_trusted(ruling_pdf, court_pki):
    signed = pdf_sign(ruling_pdf, cert=court_pki["judge"], request=SignRequest("judge"))
    report = pdf_validate(signed, trust=pki.Trust(roots=[], intermediates=[], crls=[]))
    (sig,) = report.signatures
    assert sig.intact and not sig.trusted and not report.ok


def test_keys_are_encrypted_at_rest(court_pki):
    from cryptography.hazmat.primitives import serialization

    pem = court_pki["seal"].key_pem
    assert "ENCRYPTED PRIVATE KEY" in pem
    with pytest.raises(TypeError):
        serialization.load_pem_private_key(pem.encode(), password=None)


def test_pades_b_t_with_a_configured_tsa(ruling_pdf, court_pki, settings):
    settings.DOCUMENT_TSA_URL = "internal"
    signed = pdf_sign(ruling_pdf, cert=court_pki["judge"], request=SignRequest("judge"))
    (sig,) = pdf_validate(signed, trust=pki.pki_trust()).signatures
    assert sig.timestamp is not None and sig.ok


def test_garbage_is_not_readable():
    assert not pdf_validate(b"not a pdf", trust=pki.Trust([], [], [])).readable


@pytest.mark.skipif(not __import__("shutil").which("vfychain"), reason="libnss3-tools not installed")
def test_nss_independently_builds_the_chain_to_the_court_root(court_pki, tmp_path):
    """NSS (libpkix, the engine behind poppler's checks) accepts each signer certificate for signing, chaining
    through the issuing CA to the court root once that root is trusted."""
    db = tmp_path / "nssdb"
    db.mkdir()
    assert run("certutil", "-N", "-d", f"sql:{db}", "--empty-password").returncode == 0
    (tmp_path / "root.pem").write_text(court_pki["root"].cert_pem)
    (tmp_path / "issuing.pem").write_text(court_pki["issuing"].cert_pem)
    before = run("vfychain", "-d", f"sql:{db}", "-pp", "-u", "4", "-a", str(tmp_path / "issuing.pem"))
    assert "Chain is good" not in before.stdout + before.stderr  # no trust without the root
    assert run("certutil", "-A", "-d", f"sql:{db}", "-n", "court-root", "-t", "C,C,C",
               "-i", str(tmp_path / "root.pem")).returncode == 0
    for who in ("judge", "clerk", "seal"):
        leaf = tmp_path / f"{who}.pem"
        leaf.write_text(court_pki[who].cert_pem)
        out = run("vfychain", "-d", f"sql:{db}", "-pp", "-u", "4", "-a", str(leaf), "-a", str(tmp_path / "issuing.pem"))
        assert "Chain is good" in out.stdout + out.stderr, out.stdout + out.stderr


@needs_poppler
@pytest.mark.skipif(not __import__("shutil").which("certutil"), reason="libnss3-tools not installed")
def test_pdfsig_trusts_every_signature_once_the_court_root_is_trusted(ruling_pdf, court_pki, tmp_path):
    db = tmp_path / "nssdb"
    db.mkdir()
    assert run("certutil", "-N", "-d", f"sql:{db}", "--empty-password").returncode == 0
    (tmp_path / "root.pem").write_text(court_pki["root"].cert_pem)
    assert run("certutil", "-A", "-d", f"sql:{db}", "-n", "court-root", "-t", "C,C,C",
               "-i", str(tmp_path / "root.pem")).returncode == 0
    path = tmp_path / "signed.pdf"
    path.write_bytes(sign_all(ruling_pdf, court_pki))
    out = run("pdfsig", "-nssdir", f"sql:{db}", "-no-ocsp", str(path)).stdout
    assert out.count("Signature Validation: Signature is Valid.") == 3, out
    assert out.count("Certificate Validation: Certificate is Trusted.") == 3, out
