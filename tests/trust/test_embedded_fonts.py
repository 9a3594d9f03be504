"""Every PDF the platform generates or signs embeds (subsets) its fonts: `pdffonts` shows `emb yes` for every font,
in every version filed — every paper template, the filing's 起诉状 and 证据目录, and each signed version."""

import shutil
import subprocess

import pytest

from yunting.kernel.documents.library import template_list
from yunting.kernel.documents.render import render_pdf
from yunting.kernel.documents.samples import SAMPLES
from yunting.kernel.documents.signing import stamps
from yunting.kernel.documents.signing.sign import SignRequest, pdf_sign
from yunting.kernel.pdf.make import simple_pdf

pytestmark = pytest.mark.skipif(shutil.which("pdffonts") is None, reason="pdffonts (poppler-utils) not installed")


def fonts(pdf: bytes, tmp_path) -> list[tuple[str, str]]:
    """(font name, emb) for every font pdffonts lists."""
    path = tmp_path / "x.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout.splitlines()
    header = out[0]
    emb = header.index("emb")
    return [(line.split()[0], line[emb:emb + 3].strip()) for line in out[2:] if line.strip()]


def assert_embedded(pdf: bytes, tmp_path, what: str) -> None:
    found = fonts(pdf, tmp_path)
    assert found, f"{what}: no font at all?"
    assert all(emb == "yes" for _, emb in found), f"{what}: {found}"


@pytest.mark.parametrize("template", [t.code for t in template_list()])
def test_every_paper_template_embeds_its_fonts(template, tmp_path):
    assert_embedded(render_pdf(template, SAMPLES[template]).pdf, tmp_path, template)


def test_simple_papers_embed_their_fonts(tmp_path):
    pdf = simple_pdf(title="民事起诉状", subtitle="（2026）粤0306民初1号", body="原告张伟诉被告李娜 abc 123\n" * 40, pages=2)
    assert_embedded(pdf, tmp_path, "simple_pdf")


@pytest.mark.django_db
def test_filing_papers_embed_their_fonts(users, tmp_path):
    from tests.filing.conftest import good_payload
    from yunting.kernel.blobs.store import blob_read
    from yunting.workflows.filing.models import FilingDocument
    from yunting.workflows.filing.services import filing_save_draft, filing_submit

    filing = filing_submit(filing=filing_save_draft(filer=users["plaintiff"], data=good_payload()),
                           actor=users["plaintiff"])
    papers = list(FilingDocument.objects.filter(filing=filing, generated=True))
    assert papers and any("起诉状" in p.title for p in papers)
    for paper in papers:
        assert_embedded(blob_read(paper.blob_id), tmp_path, paper.title)


@pytest.mark.django_db
def test_every_signed_version_embeds_its_fonts(court_pki, tmp_path):
    pdf = render_pdf("withdrawal_ruling", SAMPLES["withdrawal_ruling"]).pdf
    steps = [("judge", court_pki["judge"], stamps.person_stamp(name="王立明", caption="审判员")),
             ("clerk", court_pki["clerk"], stamps.person_stamp(name="刘晓燕", caption="书记员")),
             ("seal", court_pki["seal"], stamps.seal_stamp(court_name="深圳市宝安区人民法院"))]
    for field, cert, image in steps:
        pdf = pdf_sign(pdf, cert=cert, request=SignRequest(field, reason=field, image=image))
        assert_embedded(pdf, tmp_path, f"after {field}")
    # a signature without a picture, and one in a field the template did not place
    pdf = pdf_sign(pdf, cert=court_pki["judge"], request=SignRequest("extra", reason="x"))
    assert_embedded(pdf, tmp_path, "invisible signature")
