"""/accounts/register/: a party registers with their real name, ID number and a phone proven by an SMS code, and
lands signed in on 我的立案. Every problem shows next to its field at once; a refusal creates nobody."""

import re

import pytest
from django.db import connection

from yunting.core.people.models import User
from yunting.core.people.services import user_create
from yunting.kernel.notify.models import PhoneVerification
from yunting.kernel.security.fields import blind_index

from .conftest import ID_NUMBER, PHONE
from .fakes import code_in

pytestmark = [pytest.mark.django_db]
HX = {"HTTP_HX_REQUEST": "true"}
PASSWORD = "a-long-Secret-2026"


@pytest.fixture
def send_code(client, sms, django_capture_on_commit_callbacks):
    """Press 发送验证码 (as HTMX does); returns (the code the fake gateway received, the answered fragment)."""

    def send(phone=PHONE):
        before = len(sms.sent)
        with django_capture_on_commit_callbacks(execute=True):
            res = client.post("/accounts/register/code/", {"phone": phone}, **HX)
        assert res.status_code == 200
        return (code_in(sms.sent[-1][1]) if len(sms.sent) > before else ""), res.content.decode()

    return send


def form(**over):
    data = {"username": "wangfang", "real_name": "王芳", "id_number": ID_NUMBER, "phone": PHONE, "code": "",
            "password1": PASSWORD, "password2": PASSWORD}
    data.update(over)
    return data


def field_errors(html: str, name: str) -> list[str]:
    return re.findall(rf'<div class="invalid-feedback" data-field="{name}">(.*?)</div>', html)


def test_a_party_registers_and_lands_on_my_filings(client, send_code, zh):
    page = client.get("/accounts/register/")
    html = page.content.decode()
    assert page.status_code == 200 and 'hx-post="/accounts/register/code/"' in html and 'name="id_number"' in html
    code, fragment = send_code()
    assert "138****1234" in fragment and PHONE not in fragment and 'data-cooldown="60"' in fragment

    res = client.post("/accounts/register/", form(code=code))
    assert res.status_code == 302 and res["Location"] == "/filing/"
    user = User.objects.get(username="wangfang")
    assert user.real_name == "王芳" and user.phone == PHONE and user.id_number == ID_NUMBER
    assert user.id_number_index == blind_index(ID_NUMBER) and user.check_password(PASSWORD)
    with connection.cursor() as cur:  # encrypted at rest
        cur.execute("SELECT id_number FROM people_user WHERE id = %s", [user.pk])
        assert ID_NUMBER not in cur.fetchone()[0]
    assert PhoneVerification.objects.get().consumed_at is not None

    mine = client.get("/filing/")  # signed in as the new user
    assert mine.status_code == 200 and mine.wsgi_request.user == user
    assert "王芳" in mine.content.decode()
    assert client.get("/accounts/register/")["Location"] == "/filing/"  # nothing to register any more


def test_every_problem_shows_at_once_and_nobody_is_created(client, send_code, zh):
    code, _ = send_code()
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    res = client.post("/accounts/register/", form(id_number="110105194912310021", code=wrong,
                                                  password2="something-else-2026", real_name=""))
    html = res.content.decode()
    assert res.status_code == 400 and 'data-testid="problems"' in html
    assert field_errors(html, "id_number") == [zh("The ID number's check character is wrong.")]
    assert field_errors(html, "password2") == [zh("The two passwords do not match.")]
    assert field_errors(html, "real_name") == [zh("Enter your real name as it is on your ID card.")]
    assert field_errors(html, "code") == [zh("Wrong code. %(left)d try left.", "Wrong code. %(left)d tries left.", 4) % {"left": 4}]
    assert field_errors(html, "username") == [] and field_errors(html, "phone") == []
    # typed values are kept, passwords are not
    assert 'value="wangfang"' in html and 'value="110105194912310021"' in html and f'value="{wrong}"' in html
    assert PASSWORD not in html and "something-else-2026" not in html
    assert User.objects.count() == 0
    assert PhoneVerification.objects.get().attempts == 1  # the wrong guess counts although nothing was created


def test_an_id_number_already_registered_is_refused(client, send_code, zh):
    user_create(username="someone", password=None, real_name="王芳", id_number=ID_NUMBER)
    code, _ = send_code()
    res = client.post("/accounts/register/", form(code=code, id_number=ID_NUMBER.lower()))
    assert res.status_code == 400
    assert field_errors(res.content.decode(), "id_number") == [
        zh("An account with this ID number already exists. Sign in, or contact the court if it is not yours.")]
    assert User.objects.count() == 1 and PhoneVerification.objects.get().consumed_at is None


def test_a_wrong_code_creates_nobody_and_the_right_one_then_works(client, send_code, zh):
    code, _ = send_code()
    res = client.post("/accounts/register/", form(code=f"{(int(code) + 1) % 10**6:06d}"))
    assert res.status_code == 400 and list(field_errors(res.content.decode(), "code"))
    assert User.objects.count() == 0
    res = client.post("/accounts/register/", form(code=code))
    assert res.status_code == 302 and User.objects.filter(username="wangfang").exists()


def test_no_code_sent_and_weak_or_missing_fields(client, zh):
    res = client.post("/accounts/register/", form(code="123456", password1="short", password2="short",
                                                  phone="12345", username="bad name!"))
    html = res.content.decode()
    assert res.status_code == 400 and User.objects.count() == 0
    assert field_errors(html, "phone") == [zh("Enter a mainland China mobile number: 11 digits beginning with 13 to 19.")]
    assert field_errors(html, "code") == []  # cannot be checked until the phone number is right
    assert field_errors(html, "password1") and field_errors(html, "username")
    res = client.post("/accounts/register/", form(code="123456"))
    assert field_errors(res.content.decode(), "code") == [
        zh("No code has been sent to this number yet. Ask for a code first.")]


def test_a_code_registers_one_account_only(client, send_code, zh):
    code, _ = send_code()
    assert client.post("/accounts/register/", form(code=code)).status_code == 302
    client.logout()
    res = client.post("/accounts/register/", form(code=code, username="other", id_number="110101199003070011"))
    assert res.status_code == 400
    assert field_errors(res.content.decode(), "code") == [zh("This code has already been used. Ask for a new one.")]
    assert User.objects.count() == 1


def test_a_taken_username_is_refused(client, send_code, zh):
    user_create(username="WangFang", password=None, real_name="王芳芳")
    code, _ = send_code()
    res = client.post("/accounts/register/", form(code=code))
    assert field_errors(res.content.decode(), "username") == [zh("This username is already taken.")]
    assert User.objects.count() == 1


def test_send_code_answers_inline_with_cooldown_and_errors(client, send_code, sms, zh):
    _, fragment = send_code()
    assert 'id="code-status"' in fragment and "<form" not in fragment
    code, fragment = send_code()  # pressed again at once: refused inline, the button waits out the rest
    assert code == "" and len(sms.sent) == 1 and 'data-testid="code-error"' in fragment
    assert re.search(r'data-cooldown="(5\d|60)"', fragment)
    _, fragment = send_code(phone="1234")
    assert zh("Enter a mainland China mobile number: 11 digits beginning with 13 to 19.") in fragment


def test_send_code_without_javascript_keeps_the_form(client, sms, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        res = client.post("/accounts/register/code/", form(username="zhaoliu", real_name="赵六"))
    html = res.content.decode()
    assert res.status_code == 200 and 'id="register-form"' in html and "138****1234" in html
    assert 'value="zhaoliu"' in html and 'value="赵六"' in html and PASSWORD not in html and len(sms.sent) == 1


def test_the_sign_in_page_links_to_registration(client):
    html = client.get("/login/").content.decode()
    assert 'href="/accounts/register/"' in html
