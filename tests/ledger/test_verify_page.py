"""The public verify page: no login; a PDF or a hash; case number masked unless public; the proof shown."""

import hashlib

import pytest

from yunting.kernel.ledger import keys
from yunting.kernel.ledger.bundle import verify_bundle

from .helpers import add_document

pytestmark = pytest.mark.django_db


def test_upload_a_pdf_anonymously(client, make_case, users):
    case = make_case(security_level="internal")
    _, pdf = add_document(case, users["lawyer"], body="网页核验")
    from django.core.files.uploadedfile import SimpleUploadedFile

    r = client.post("/verify/", {"file": SimpleUploadedFile("x.pdf", pdf, content_type="application/pdf")})
    html = r.content.decode()
    assert r.status_code == 200
    assert "文件已记录于本院账本" in html and "evidence.submitted" in html
    assert case.number not in html and case.number.split("民初")[0] in html and "***号" in html  # masked
    assert hashlib.sha256(pdf).hexdigest() in html
    assert "SHA-256(0x01" in html and "= 已签名树头的根" in html
    assert 'id="proof-data"' in html  # the browser re-checks it


def test_paste_a_hash_of_a_public_case_shows_its_number(client, make_case, users):
    case = make_case(security_level="public")
    _, pdf = add_document(case, users["lawyer"], body="公开案件")
    r = client.get("/verify/", {"sha256": hashlib.sha256(pdf).hexdigest()})
    assert r.status_code == 200 and case.number in r.content.decode()


def test_unknown_and_malformed(client, make_case):
    make_case()
    r = client.get("/verify/", {"sha256": "ab" * 32})
    assert r.status_code == 200 and "本院账本中没有这份文件" in r.content.decode()
    r = client.get("/verify/", {"sha256": "nothex"})
    assert r.status_code == 400 and "64" in r.content.decode()
    assert client.get("/verify/").status_code == 200
    assert client.get("/verify/proof/" + "ab" * 32 + ".json").status_code == 404


def test_download_the_offline_proof(client, make_case, users):
    case = make_case()
    _, pdf = add_document(case, users["lawyer"], body="下载证明")
    sha = hashlib.sha256(pdf).hexdigest()
    bundle = client.get(f"/verify/proof/{sha}.json").json()
    assert verify_bundle(sha, bundle, public_key_pem=keys.public_key_pem()).ok
