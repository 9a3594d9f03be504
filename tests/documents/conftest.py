import shutil
import subprocess

import pytest


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(args, capture_output=True, text=True, timeout=60)


def pdftotext(path) -> str:
    return run("pdftotext", "-layout", str(path), "-").stdout


needs_poppler = pytest.mark.skipif(not shutil.which("pdfsig"), reason="poppler-utils not installed")
needs_qpdf = pytest.mark.skipif(not shutil.which("qpdf"), reason="qpdf not installed")


@pytest.fixture
def court_pki(db):
    """Root and issuing CA plus a judge, a clerk and the court seal certificate."""
    from yunting.kernel.documents.signing import pki

    root, issuing = pki.pki_init(organisation="深圳市宝安区人民法院")
    return {
        "root": root, "issuing": issuing,
        "judge": pki.pki_issue(kind="person", label="user:judge", common_name="王立明"),
        "clerk": pki.pki_issue(kind="person", label="user:clerk", common_name="刘晓燕"),
        "seal": pki.pki_issue(kind="seal", label="seal:粤0306", common_name="深圳市宝安区人民法院"),
    }
