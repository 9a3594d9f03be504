"""The filing page on a phone (390×844): an upload shows "检查中…" while its content is checked in the
background, then the page reloads itself with the document attached — or with the refusal and every reason."""

import threading

import pytest

from tests.intake import hostile
from tests.web.test_browser import ARTIFACTS, chromium_page, sign_in
from yunting.kernel.pdf.make import simple_pdf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _in_thread(fn):
    """ORM work while Playwright's loop runs in this thread: done in another thread, as a worker would."""
    thread = threading.Thread(target=fn)
    thread.start()
    thread.join()


def test_checking_then_the_result_on_a_phone(users, live_server, tmp_path, monkeypatch):
    from yunting.core.efile import intake
    from yunting.core.efile.models import Upload

    monkeypatch.setattr(intake, "_enqueue_check", lambda upload_id: None)  # the worker is busy: we play it
    iou, locked = tmp_path / "借条.pdf", tmp_path / "加密合同.pdf"
    iou.write_bytes(simple_pdf(title="借条", body="今借到张伟人民币壹拾万元整，借款人：李娜。"))
    locked.write_bytes(hostile.encrypted_pdf())
    ARTIFACTS.mkdir(exist_ok=True)

    def check_all():
        for upload in Upload.objects.filter(status="checking"):
            intake.upload_check(upload_id=upload.pk)

    with chromium_page() as page:
        sign_in(page, live_server.url, "plaintiff")
        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(live_server.url + "/filing/")
        page.click("[data-testid=new-filing]")
        page.wait_for_selector("#filing-form")
        for path, title in ((iou, "借条"), (locked, "借款合同")):
            page.fill("#step-evidence input[name=title]", title)
            page.set_input_files("#step-evidence input[name=file]", str(path))
            page.click("[data-testid=upload-button]")
            page.wait_for_selector("[data-testid=upload-checking]")
        assert page.locator("[data-testid=upload-checking]").count() == 2
        assert "检查中" in page.inner_text("[data-testid=uploads]")
        page.locator("#step-evidence").screenshot(path=str(ARTIFACTS / "intake-checking-390.png"))
        _in_thread(check_all)
        page.wait_for_selector("[data-testid=upload-refused]", timeout=15_000)  # the poll reloads the page
        assert page.locator("[data-testid=upload-checking]").count() == 0
        assert "借条" in page.inner_text("[data-testid=documents]")
        refusal = page.inner_text("[data-testid=upload-refused]")
        assert "“借款合同”未上传" in refusal and "密码" in refusal
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, width  # nothing sticks out sideways on a phone
        page.locator("#step-evidence").screenshot(path=str(ARTIFACTS / "intake-result-390.png"))
        page.click("[data-testid=dismiss-upload]")
        page.wait_for_selector("#filing-form")
        assert page.locator("[data-testid=upload-refused]").count() == 0
