"""Real Chromium against a live server: a person opens 注册 from the sign-in page, asks for a code (HTMX, the
rest of the form stays as typed), reads it from the SMS outbox (the fake gateway only logs it), registers, and
lands signed in on 我的立案."""

import shutil
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.web.test_browser import ARTIFACTS, chromium_page, wsgi_problems
from yunting.core.people.models import User
from yunting.kernel.notify.models import OutboxMessage

from .conftest import ID_NUMBER, PHONE
from .fakes import code_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _latest_code() -> str:
    # the ORM decrypts the body; run in a thread of its own, as Playwright's event loop owns this one
    def read():
        return code_in(OutboxMessage.objects.filter(purpose="otp:register").latest("id").body)

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(read).result()


def test_a_party_registers_in_the_browser(live_server):
    with chromium_page() as page:
        page.goto(live_server.url + "/login/")
        page.click("[data-testid=register-link]")
        page.wait_for_selector("#register-form")
        page.fill("#id_username", "wangfang")
        page.fill("#id_real_name", "王芳")
        page.fill("#id_id_number", ID_NUMBER)
        page.fill("#id_phone", PHONE)
        page.fill("#id_password1", "a-long-Secret-2026")
        page.fill("#id_password2", "a-long-Secret-2026")
        page.click("[data-testid=send-code]")
        page.wait_for_selector("[data-testid=code-sent]")
        assert "138****1234" in page.inner_text("#code-status")
        # resend cooldown: the button is disabled once htmx has settled the swap (a few ms after the text shows)
        page.wait_for_selector("[data-testid=send-code]:disabled", timeout=5000)
        assert page.is_disabled("[data-testid=send-code]")
        assert page.input_value("#id_real_name") == "王芳" and page.input_value("#id_password1")
        page.fill("#id_code", _latest_code())
        page.screenshot(path=str(ARTIFACTS / "register-01-form.png"), full_page=True)
        shutil.copyfile(ARTIFACTS / "register-01-form.png", "/tmp/register.png")
        page.click("[data-testid=register]")
        page.wait_for_selector("[data-testid=user-menu]")
        assert page.url == live_server.url + "/filing/"
        assert "王芳" in page.inner_text("[data-testid=user-menu]")
        page.screenshot(path=str(ARTIFACTS / "register-02-filing.png"), full_page=True)
        assert wsgi_problems(page) == []

    user = User.objects.get(username="wangfang")
    assert user.id_number == ID_NUMBER and user.phone == PHONE
