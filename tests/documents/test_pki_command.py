import io

import pytest
from django.core.management import call_command

from yunting.kernel.documents.models import Certificate
from yunting.kernel.documents.render import render_pdf
from yunting.kernel.documents.samples import SAMPLES
from yunting.kernel.documents.signing.sign import SignRequest, pdf_sign

pytestmark = pytest.mark.django_db


def cmd(*args) -> str:
    out = io.StringIO()
    call_command("pki", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_pki_lifecycle_and_offline_verify(cast, tmp_path):
    out = cmd("init")
    assert "root" in out and "issuing" in out and "seal" in out and "/papers/pki/crl/issuing.crl" in out
    cmd("init")  # idempotent
    assert Certificate.objects.count() == 3
    assert "王立明" in cmd("issue", "judge")
    judge = Certificate.objects.get(label=f"user:{cast[1]['judge'].pk}")

    pdf = pdf_sign(render_pdf("judgment", SAMPLES["judgment"]).pdf, cert=judge, request=SignRequest("judge"))
    signed = tmp_path / "judgment.pdf"
    signed.write_bytes(pdf)
    cmd("export", str(tmp_path / "trust"))
    offline = ["verify", str(signed), "--root", str(tmp_path / "trust/root.pem"),
               "--intermediate", str(tmp_path / "trust/issuing.pem"), "--crl", str(tmp_path / "trust/issuing.crl")]
    out = cmd(*offline)
    assert "王立明" in out and "intact=yes" in out and "trusted=yes" in out and "VALID: 1 signature(s)" in out

    assert "revoked" in cmd("revoke", judge.serial, "--reason", "key_compromise")
    assert "REVOKED" in cmd("list")
    cmd("export", str(tmp_path / "trust"))  # fresh CRL
    with pytest.raises(SystemExit) as exit_:
        cmd(*offline)
    assert exit_.value.code == 1
    with pytest.raises(SystemExit):
        cmd("verify", str(signed))  # from the database: revoked as well


def foreign_root_pem() -> str:
    import datetime as dt

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Someone else's root")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(1).not_valid_before(now).not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    return cert.public_bytes(serialization.Encoding.PEM).decode()


def test_verify_refuses_a_foreign_root(cast, tmp_path):
    cmd("init")
    cmd("issue", "clerk")
    clerk = Certificate.objects.get(label=f"user:{cast[1]['clerk'].pk}")
    path = tmp_path / "x.pdf"
    path.write_bytes(pdf_sign(render_pdf("summons", SAMPLES["summons"]).pdf, cert=clerk,
                              request=SignRequest("extra")))
    other = tmp_path / "other.pem"
    other.write_text(foreign_root_pem())
    with pytest.raises(SystemExit):
        cmd("verify", str(path), "--root", str(other))
