"""The filing page on a phone (390×844) with the new refusals: a truncated PDF, a PDF with JavaScript and an
HTML+PDF polyglot are each refused with their reason in Chinese, and the longer messages do not push the page
sideways."""

import threading

import pytest

from tests.hostile import corpus as hostile
from tests.web.test_browser import ARTIFACTS, chromium_page, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_new_refusals_read_on_a_phone(users, live_server, tmp_path, monkeypatch):
    from yunting.core.efile import intake
    from yunting.core.efile.models import Upload

    monkeypatch.setattr(intake, "_enqueue_check", lambda upload_id: None)  # the worker is busy: we play it
    files = {"借条": ("借条.pdf", hostile.truncated_pdf(0.7)), "合同": ("合同.pdf", hostile.openaction_js()),
             "转账记录": ("转账记录.pdf", hostile.html_then_pdf())}
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
        for title, (name, data) in files.items():
            path = tmp_path / name
            path.write_bytes(data)
            page.fill("#step-evidence input[name=title]", title)
            page.set_input_files("#step-evidence input[name=file]", str(path))
            page.click("[data-testid=upload-button]")
            page.wait_for_selector("[data-testid=upload-checking]")
        thread = threading.Thread(target=check_all)
        thread.start()
        thread.join()
        page.wait_for_selector("[data-testid=upload-refused]", timeout=15_000)  # the poll reloads the page
        refusal = " ".join(page.locator("[data-testid=upload-refused]").all_inner_texts())
        assert "截断" in refusal  # truncated
        assert "JavaScript" in refusal  # active content
        assert "HTML" in refusal and "伪装" in refusal  # polyglot
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, width
        page.locator("#step-evidence").screenshot(path=str(ARTIFACTS / "scan-refusals-390.png"))
