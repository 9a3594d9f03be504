"""The SMS secure link /s/<token>, as the recipient's phone uses it: the code first, clear Chinese answers for a
wrong, used or expired code, the documents only in the session that entered the code, a limit per address."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from yunting.core.service.models import ServiceAttempt

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(web_case, consent, request_service, users, sms_of):
    from yunting.core.service.services import service_dispatch

    consent(web_case.case, web_case.defendant, channels=["sms"])
    [task] = request_service(web_case.case, [web_case.notice], [web_case.defendant])
    service_dispatch(task=task, actor=users["service_officer"], channel="sms")
    token, code, body = sms_of()
    return task, token, code, body


def test_the_sms_names_the_court_and_the_link_opens_only_with_its_code(sent, web_case):
    task, token, code, body = sent
    assert body.startswith("【深圳市宝安区人民法院】") and code not in f"/s/{token}"
    phone = Client()
    page = phone.get(f"/s/{token}")
    html = page.content.decode()
    assert page.status_code == 200 and 'autocomplete="one-time-code"' in html and "应诉通知书" not in html
    assert "深圳市宝安区人民法院" in html and "李娜" not in html and web_case.case.number not in html
    wrong = "000000" if code != "000000" else "111111"
    page = phone.post(f"/s/{token}", {"code": wrong})
    assert page.status_code == 400 and "访问码不正确，您还可以尝试 4 次。" in page.content.decode()
    assert phone.get(f"/s/{token}/documents/{web_case.notice.pk}").status_code == 404  # not before the code
    page = phone.post(f"/s/{token}", {"code": code}, follow=True)
    html = page.content.decode()
    assert "应诉通知书" in html and "深圳市宝安区人民法院" in html and "已记录您的签收" in html
    task.refresh_from_db()
    assert task.status == "served" and task.served_channel == "sms"
    assert ServiceAttempt.objects.filter(task=task, outcome="read").count() == 1
    pdf = phone.get(f"/s/{token}/documents/{web_case.notice.pk}")
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")
    # only the served documents, only in this session, and the code only once
    assert phone.get(f"/s/{token}/documents/{web_case.complaint.pk}").status_code == 404
    other = Client()
    assert other.get(f"/s/{token}/documents/{web_case.notice.pk}").status_code == 404
    again = other.post(f"/s/{token}", {"code": code})
    assert again.status_code == 409 and "此访问码已使用过" in again.content.decode()
    page = other.get(f"/s/{token}").content.decode()  # another device is told at once, without a code form
    assert "此访问码已使用过" in page and 'data-testid="sms-code-form"' not in page


def test_five_wrong_codes_lock_the_link(sent):
    task, token, code, _ = sent
    wrong = "000000" if code != "000000" else "111111"
    phone = Client()
    for _ in range(5):
        last = phone.post(f"/s/{token}", {"code": wrong})
    assert "此链接已锁定" in last.content.decode()
    locked = phone.post(f"/s/{token}", {"code": code})
    assert locked.status_code == 409 and "访问码输错次数过多" in locked.content.decode()
    task.refresh_from_db()
    assert task.status != "served"


def test_an_expired_link_says_so_and_serves_nothing(sent):
    task, token, code, _ = sent
    with time_machine.travel(timezone.now() + timedelta(days=16)):
        page = Client().post(f"/s/{token}", {"code": code})
        shown = Client().get(f"/s/{token}").content.decode()
    assert page.status_code == 404 and "此链接无效或已过期" in page.content.decode()
    assert "此链接无效或已过期" in shown and 'data-testid="sms-code-form"' not in shown
    assert Client().get("/s/no-such-token").status_code == 404
    task.refresh_from_db()
    assert task.status != "served"


def test_an_address_that_keeps_failing_is_held_off(sent, settings, monkeypatch):
    from yunting.interfaces.web.service import views

    task, token, code, _ = sent
    monkeypatch.setattr(views, "SMS_TRIES_PER_WINDOW", 3)
    phone = Client()
    for guess in ("aaaa", "bbbb", "cccc"):
        phone.post(f"/s/not-a-token-{guess}", {"code": "123456"})
    held = phone.post(f"/s/{token}", {"code": code})
    assert held.status_code == 429 and "15 分钟后再试" in held.content.decode()
    task.refresh_from_db()
    assert task.status != "served"  # the right code was not even tried
    assert Client(REMOTE_ADDR="10.0.0.9").post(f"/s/{token}", {"code": code}).status_code == 302
