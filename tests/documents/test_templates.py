"""Every template renders to a PDF whose Chinese text extracts exactly, with numbers and 大写 correct."""

import subprocess

import pytest

from yunting.kernel.common.errors import ValidationFailed
from yunting.kernel.documents.library import TEMPLATES, template_get
from yunting.kernel.documents.render import render_html, render_pdf
from yunting.kernel.documents.samples import SAMPLES

from .conftest import needs_poppler, pdftotext

REQUIRED = [
    "acceptance_notice", "response_notice", "evidence_notice", "summons", "service_receipt",
    "withdrawal_ruling", "mediation_statement", "judgment", "trial_report", "deliberation_record",
]

EXPECTED_TEXT = {
    "acceptance_notice": ["受理案件通知书", "1,150.00元", "人民币壹仟壹佰伍拾元整", "2026年11月18日", "简易程序"],
    "response_notice": ["应诉通知书", "15日内向本院提交答辩状"],
    "evidence_notice": ["举证通知书", "2026年12月7日届满", "借条原件"],
    "summons": ["传", "2026年12月15日 9时30分", "本院第三法庭"],
    "witness_notice": ["在线出庭作证通知书", "钱多多", "大碶街道共享法庭", "第一百一十四条"],
    "service_receipt": ["送达回证", "应诉通知书", "举证通知书", "电子送达", "孙浩然"],
    "rejection_ruling": ["民事裁定书", "对张伟的起诉，本院不予受理", "裁定书送达之日起10日内", "上诉于广东省深圳市中级人民法院"],
    "withdrawal_ruling": ["民事裁定书", "准许原告张伟撤回起诉", "人民币贰仟叁佰元整", "二〇二六年十一月二十日"],
    "mediation_statement": ["民事调解书", "人民币贰仟叁佰元整", "本调解书经双方当事人签收后"],
    "judgment": ["民事判决书", "本院认为", "人民币贰仟叁佰元整", "上诉于广东省深圳市中级人民法院",
                 "二〇二六年十一月二十日"],
    "trial_report": ["审理报告", "100,000.00元（壹拾万元整）", "争议焦点"],
    "deliberation_record": ["合议笔录", "审判长王立明", "2026年12月16日 14时00分"],
    "hearing_transcript": ["庭审笔录", "借款属实"],
    "mediation_agreement": ["调解协议书", "排水管改向自家院落", "共同向人民法院申请司法确认"],
    "confirmation_ruling": ["民事裁定书", "达成的调解协议有效", "本裁定书自即日起发生法律效力"],
    "investigation_report": ["诉前调查报告", "无争议事实", "争议焦点", "借款是否已部分归还"],
}


def test_library_has_the_required_templates():
    assert set(REQUIRED) <= set(TEMPLATES)
    assert set(SAMPLES) == set(TEMPLATES)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    out = {}
    base = tmp_path_factory.mktemp("papers")
    for code in TEMPLATES:
        r = render_pdf(code, SAMPLES[code])
        path = base / f"{code}.pdf"
        path.write_bytes(r.pdf)
        out[code] = (r, path)
    return out


@needs_poppler
@pytest.mark.parametrize("code", sorted(SAMPLES))
def test_template_renders_and_text_extracts(rendered, code):
    r, path = rendered[code]
    assert r.pdf.startswith(b"%PDF-")
    text = pdftotext(path)
    compact = "".join(text.split())
    for needle in [SAMPLES[code]["court_name"], SAMPLES[code]["case_number"], *EXPECTED_TEXT[code]]:
        assert "".join(needle.split()) in compact, needle


@needs_poppler
@pytest.mark.parametrize("code", sorted(SAMPLES))
def test_fonts_are_embedded(rendered, code):
    _, path = rendered[code]
    lines = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout.splitlines()[2:]
    assert lines, "no fonts at all: text would be an image"
    for line in lines:
        assert " yes yes yes " in line, line  # embedded, subset, with a ToUnicode map


@pytest.mark.parametrize("code", sorted(SAMPLES))
def test_signature_slots_become_fields_in_signing_order(rendered, code):
    from yunting.kernel.documents.signing.sign import signature_fields

    r, _ = rendered[code]
    tpl = template_get(code)
    assert {s.name for s in r.slots} == {s.name for s in tpl.slots}
    fields = signature_fields(r.pdf)
    assert set(fields) == {s.name for s in tpl.slots} and not any(fields.values())
    for s in r.slots:
        x1, y1, x2, y2 = s.box
        assert 0 <= x1 < x2 <= 595.3 and 0 <= y1 < y2 <= 841.9  # on the A4 page


def test_missing_and_malformed_variables_are_refused_by_name():
    data = dict(SAMPLES["acceptance_notice"], fee="abc")
    del data["recipient"]
    with pytest.raises(ValidationFailed) as err:
        render_html("acceptance_notice", data)
    assert set(err.value.data["fields"]) == {"recipient", "fee"}
    assert "受送达人" in err.value.message


def test_empty_optional_fields_print_nothing():
    data = {k: v for k, v in SAMPLES["service_receipt"].items() if k not in ("remarks", "address", "served_at")}
    html = render_html("service_receipt", data)
    assert "None" not in html


def test_free_text_is_escaped():
    data = dict(SAMPLES["judgment"], reasoning="<script>alert(1)</script>\n第二段")
    html = render_html("judgment", data)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<p>第二段</p>" in html


def test_draft_has_watermark_and_no_fields():
    from yunting.kernel.documents.signing.sign import signature_fields

    r = render_pdf("withdrawal_ruling", SAMPLES["withdrawal_ruling"], draft=True)
    assert "草稿" in r.html
    assert signature_fields(r.pdf) == {}


def test_court_can_override_a_template(settings, tmp_path):
    from yunting.kernel.documents import render

    (tmp_path / "summons.html").write_text('{% extends "_base.html" %}{% block body %}<p>本院自定义传票 {{ recipient }}</p>{% endblock %}')
    settings.DOCUMENT_TEMPLATES_DIR = tmp_path
    render._engine.cache_clear()
    try:
        assert "本院自定义传票 李娜" in render_html("summons", SAMPLES["summons"])
    finally:
        render._engine.cache_clear()
