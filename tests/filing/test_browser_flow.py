"""Real Chromium against a live server, the whole of 网上立案: a lawyer files for a client step by step (the form
autosaves as they type), uploads a PDF as evidence, sees the fee and submits; the filing officer accepts it from
立案审查; the case is registered with its number, and the lawyer's evidence is in the new case's e-file."""

import hashlib
import re
from urllib.parse import parse_qs

import pytest

from tests.web.test_browser import ARTIFACTS, canvas_has_ink, chromium_page, sign_in, wsgi_problems
from yunting.core.cases.models import Case
from yunting.kernel.common.timeutil import shanghai_today
from yunting.kernel.pdf.make import simple_pdf
from yunting.workflows.filing.models import Filing

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FACTS = "2025年3月1日被告向原告借款100000元，约定同年9月1日归还，到期未还，经催告仍不归还。"
MORE_FACTS = "原告多次电话催要，被告均以资金紧张为由拖延。"


def _posted(response) -> dict[str, list[str]]:
    return parse_qs(response.request.post_data or "")


def sign_out(page) -> None:
    page.click("[data-testid=user-menu]")
    page.click("button:has-text('退出登录')")
    page.wait_for_selector("#id_username")


def test_lawyer_files_online_and_the_officer_registers_the_case(users, live_server, tmp_path):
    iou = tmp_path / "借条.pdf"
    iou.write_bytes(simple_pdf(title="借条", body="今借到张伟人民币壹拾万元整，借款人：李娜。"))
    poa = tmp_path / "授权委托书.pdf"
    poa.write_bytes(simple_pdf(title="授权委托书", body="委托人张伟特委托王律师为诉讼代理人，代为起诉。"))
    number = re.compile(rf"（{shanghai_today().year}）粤0306民初\d+号")
    base = live_server.url

    with chromium_page() as page:
        # --- the lawyer files -------------------------------------------------------------------------------
        sign_in(page, base, "lawyer")
        page.click("nav >> text=网上立案")
        page.wait_for_selector("[data-testid=new-filing]")
        page.click("[data-testid=new-filing]")
        page.wait_for_selector("#filing-form")
        filing_id = int(re.search(r"/filing/(\d+)/edit/", page.url).group(1))

        page.select_option("#court", "粤0306")
        page.select_option("#case_type", "民初")
        page.fill("#cause", "民间借贷纠纷")
        page.fill("#on_behalf_of", "plaintiff")  # the client's account: 张伟
        page.select_option("select[name=party-0-role]", "plaintiff")
        page.select_option("select[name=party-0-kind]", "natural")
        page.fill("input[name=party-0-name]", "张伟")
        page.fill("input[name=party-0-id_number]", "11010519491231002X")
        page.fill("input[name=party-0-phone]", "13912345678")
        page.fill("input[name=party-0-address]", "深圳市宝安区新安街道")
        page.select_option("select[name=party-1-role]", "defendant")
        page.fill("input[name=party-1-name]", "李娜")
        page.fill("input[name=party-1-address]", "深圳市宝安区西乡街道")
        page.fill("#claim_amount", "100000")
        page.fill("#claims", "判令被告偿还借款本金100000元\n判令被告承担本案诉讼费用")
        page.fill("#facts", FACTS)
        # a text field fires `change` when it loses focus; the autosave that follows carries the whole form
        with page.expect_response(lambda r: "/autosave/" in r.url and _posted(r).get("facts") == [FACTS],
                                  timeout=15000) as saved:
            page.locator("#facts").blur()
        assert saved.value.status == 200
        page.wait_for_selector("#autosave-status [data-testid=autosave]")
        assert "草稿已于" in page.inner_text("#autosave-status")
        fee = page.inner_text("#fee-preview")
        assert "¥2,300.00" in fee and "2.5%" in fee
        page.screenshot(path=str(ARTIFACTS / "filing-01-form.png"), full_page=True)

        # evidence: a real PDF, uploaded from disk; the page reloads, and the draft is all still there, even the
        # words typed just before (no autosave has carried them yet: the upload saves the form first)
        page.fill("#facts", FACTS + MORE_FACTS)
        page.fill("#step-evidence input[name=title]", "借条")
        page.select_option("#step-evidence select[name=kind]", "evidence")
        page.set_input_files("#step-evidence input[type=file]", str(iou))
        page.click("#step-evidence button:has-text('上传')")
        page.wait_for_selector("#step-evidence a:has-text('借条')")
        assert page.input_value("input[name=party-0-id_number]") == "11010519491231002X"
        assert page.input_value("input[name=party-1-name]") == "李娜"
        assert page.input_value("#facts") == FACTS + MORE_FACTS
        assert page.input_value("#step-evidence input[name=title]") == ""  # ready for the next upload
        # the PDF opens in the page, in the e-file's pdf.js viewer
        page.locator("#step-evidence [data-testid=document-link]:has-text('借条')").first.click()
        page.wait_for_selector("#filing-viewer .yt-pdf[data-rendered-page='1']", timeout=15000)
        assert canvas_has_ink(page)
        assert "¥2,300.00" in page.inner_text("#fee-preview")
        # filing for a client: the client's power of attorney goes with it
        page.fill("#step-evidence input[name=title]", "授权委托书")
        page.select_option("#step-evidence select[name=kind]", "power_of_attorney")
        page.set_input_files("#step-evidence input[type=file]", str(poa))
        page.click("#step-evidence button:has-text('上传')")
        page.wait_for_selector("#step-evidence a:has-text('授权委托书')")
        page.screenshot(path=str(ARTIFACTS / "filing-02-evidence.png"), full_page=True)

        page.click("[data-testid=submit]")
        page.wait_for_selector(f"h1:has-text('{filing_id}') [data-testid=filing-status]")
        assert page.url.endswith(f"/filing/{filing_id}/")
        main = page.inner_text("main")
        assert "等待审查" in main and "¥2,300.00" in main
        assert page.locator("main a:has-text('借条')").count() >= 1
        page.screenshot(path=str(ARTIFACTS / "filing-03-submitted.png"), full_page=True)
        sign_out(page)

        # --- the filing officer registers the case ----------------------------------------------------------
        sign_in(page, base, "filing_officer")
        page.click("nav >> text=立案审查")
        page.wait_for_selector("[data-testid=review-queue]")
        page.click(f"[data-testid=review-queue] a[href='/filing/{filing_id}/']")
        page.wait_for_selector("[data-testid=accept]")
        assert "张伟" in page.inner_text("main") and "李娜" in page.inner_text("main")
        assert page.inner_text("nav .nav-link.active").strip() == "立案审查"
        page.locator("main [data-testid=document-link]:has-text('借条')").first.click()
        page.wait_for_selector("#filing-viewer .yt-pdf[data-rendered-page='1']", timeout=15000)
        assert page.inner_text("[data-testid=viewer-title]") == "借条" and canvas_has_ink(page)
        page.screenshot(path=str(ARTIFACTS / "filing-04-review.png"), full_page=True)
        page.click("[data-testid=accept]")
        page.click("[data-testid=accept-confirm]")  # the officer confirms in the dialog
        page.wait_for_selector("[data-testid=case-number]")
        case_number = page.inner_text("[data-testid=case-number]").strip()
        assert number.fullmatch(case_number), case_number
        page.screenshot(path=str(ARTIFACTS / "filing-04-accepted.png"), full_page=True)

        page.click("text=查看案件")
        page.wait_for_selector("[data-testid=case-number]")
        assert case_number in page.inner_text("[data-testid=case-number]")
        page.click("[data-testid=efile-link]")
        page.wait_for_selector("#efile-tree")
        tree = page.inner_text("#efile-tree")
        assert "借条" in tree and "证据材料" in tree
        page.screenshot(path=str(ARTIFACTS / "filing-05-efile.png"), full_page=True)
        assert wsgi_problems(page) == []

    # Playwright's loop is closed now, so the ORM may be used again: the case is the filing's, and holds the PDF
    case = Case.objects.get(number=case_number)
    assert Filing.objects.get(pk=filing_id).case_id == case.pk
    assert case.documents.filter(title="借条", blob__sha256=hashlib.sha256(iou.read_bytes()).hexdigest()).exists()
    assert case.participations.filter(user=users["lawyer"]).exists()
