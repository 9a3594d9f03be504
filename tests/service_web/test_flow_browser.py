"""Issue 11's flow in Chromium: the judge clicks 送达 on the case page, the service officer sends the SMS from the
workbench (bulk action, progress shown), the defendant opens the SMS link on a 390x844 phone with its one-time
code and downloads the notice, and the judge sees 已送达. Then every 送达 page is photographed at 1366 and at
390x844 (test-artifacts/service-*.png)."""

import re

import pytest

from tests.signature_pad import draw_signature
from tests.web.test_browser import ARTIFACTS, chromium_page, in_thread, sign_in, wsgi_problems

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESK = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def world(web_case, consent):
    consent(web_case.case, web_case.defendant, channels=["sms", "portal"])
    return web_case


def _last_sms():
    from yunting.kernel.notify.models import OutboxMessage

    body = OutboxMessage.objects.filter(purpose__startswith="service").order_by("-id").first().body
    return re.search(r"/s/([A-Za-z0-9_-]+)", body).group(1), re.search(r"访问码\s*(\d{6})", body).group(1), body


def _shot(page, name: str) -> None:
    for label, size in (("1366", DESK), ("390", PHONE)):
        page.set_viewport_size(size)
        page.screenshot(path=str(ARTIFACTS / f"service-{name}-{label}.png"), full_page=True)
    page.set_viewport_size(DESK)


def test_judge_serves_the_party_opens_the_sms_link_on_a_phone_the_judge_sees_served(world, live_server):
    base, case = live_server.url, world.case
    with chromium_page() as page:
        page.set_viewport_size(DESK)
        sign_in(page, base, "judge")
        page.goto(f"{base}/cases/{case.pk}/")
        panel = page.locator("[data-testid=service-panel]")
        assert panel.locator(f"#sd-{world.notice.pk}").is_checked()  # the sealed notice is proposed
        panel.locator(f"#sr-{world.defendant.pk}").check()
        panel.locator("[data-testid=service-send]").click()
        page.wait_for_selector("[data-testid=service-status]")
        assert "已提交送达中心" in page.inner_text("main")
        _shot(page, "case-panel")

        page.context.clear_cookies()
        sign_in(page, base, "service_officer")
        page.goto(f"{base}/service/")
        row = page.locator("[data-testid=queue] tr", has_text="李娜")
        row.locator("input[name=task]").check()
        page.click("[data-testid=bulk-sms]")
        page.wait_for_function("() => document.getElementById('bulk-progress').dataset.finished === '1'")
        assert "100%" in page.inner_text("#bulk-bar") and "已发送 1" in page.inner_text("#bulk-status")
        page.wait_for_timeout(800)  # the bar's width transition, for the screenshot
        _shot(page, "workbench")

        token, code, body = in_thread(_last_sms)
        assert "深圳市宝安区人民法院" in body

        phone = page.context.browser.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True)
        p = phone.new_page()
        p.goto(f"{base}/s/{token}")
        p.screenshot(path=str(ARTIFACTS / "service-sms-code-390.png"), full_page=True)
        p.fill("#id_code", "000000" if code != "000000" else "111111")
        p.click("[data-testid=sms-open]")
        assert "访问码不正确" in p.inner_text("[data-testid=sms-error]")
        p.screenshot(path=str(ARTIFACTS / "service-sms-wrong-390.png"), full_page=True)
        p.fill("#id_code", code)
        p.click("[data-testid=sms-open]")
        p.wait_for_selector("[data-testid=sms-documents]")
        assert "应诉通知书" in p.inner_text("[data-testid=sms-documents]")
        no_overflow = p.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
        assert no_overflow, "the SMS page must fit a 390-pixel phone"
        p.screenshot(path=str(ARTIFACTS / "service-sms-documents-390.png"), full_page=True)
        with p.expect_download() as download:
            p.click("[data-testid=sms-document]")
        assert download.value.suggested_filename.endswith(".pdf")
        phone.close()

        page.context.clear_cookies()
        sign_in(page, base, "judge")
        page.goto(f"{base}/")
        assert page.locator("[data-testid=service-notices]").count() == 1  # all (one) recipients served
        page.goto(f"{base}/cases/{case.pk}/")
        status = page.locator("[data-testid=service-status] li[data-status=served]")
        assert "已送达" in status.inner_text() and "短信" in status.inner_text()
        assert page.locator("[data-testid=service-all-served]").count() == 1
        _shot(page, "case-served")
        assert wsgi_problems(page) == []


def test_every_service_page_at_desk_and_phone_size(world, live_server, users):
    from yunting.core.service.services import service_dispatch, service_request

    def prepare():
        [served] = service_request(case=world.case, documents=[world.notice.pk], recipients=[world.defendant.pk],
                                   actor=users["judge"])
        service_dispatch(task=served, actor=users["service_officer"], channel="portal")
        [open_task] = service_request(case=world.case, documents=[world.notice.pk, world.complaint.pk],
                                      recipients=[world.plaintiff.pk], actor=users["judge"])
        return open_task.pk

    task_id = in_thread(prepare)
    base = live_server.url
    with chromium_page() as page:
        page.set_viewport_size(DESK)
        sign_in(page, base, "service_officer")
        page.goto(f"{base}/service/tasks/{task_id}/")
        assert "张伟" in page.inner_text("h1")
        _shot(page, "task")
        page.click("[data-testid=unmask]")
        page.wait_for_selector("text=本次查看已记录")
        page.click("[data-testid=tab-direct]")
        draw_signature(page, "[data-testid=signature-pad]")
        assert page.locator("[data-testid=record-direct]").is_enabled()
        _shot(page, "task-unmasked-direct")
        page.click("[data-testid=record-direct]")
        page.wait_for_selector("[data-testid=task-status][data-status=served]", timeout=120_000)
        assert page.locator("[data-testid=attempts] tr[data-outcome=delivered]").count() == 1
        _shot(page, "task-served-direct")
        page.goto(f"{base}/service/stats/")
        assert page.inner_text("[data-testid=stat-total]") == "2"
        _shot(page, "stats")

        page.context.clear_cookies()
        sign_in(page, base, "defendant")
        page.goto(f"{base}/cases/{world.case.pk}/")
        assert page.locator("[data-testid=served-on-me] [data-testid=served-document]").count() == 1
        _shot(page, "party")
        assert wsgi_problems(page) == []
