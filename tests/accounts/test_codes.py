"""One-time SMS codes and the outbox that carries them: hashed at rest, short-lived, few guesses, rate-limited;
the message is written with the code in one transaction and sent after commit, retried while the gateway fails."""

import logging
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection, transaction

from yunting.kernel import notify
from yunting.kernel.common.errors import Conflict, ValidationFailed
from yunting.kernel.common.periodic import _jobs
from yunting.kernel.notify.models import OutboxMessage, PhoneVerification
from yunting.kernel.notify.phones import phone_normalize
from yunting.kernel.notify.senders import ConsoleSmsSender, SmsSender, sms_sender
from yunting.kernel.notify.services import otp_consume, otp_issue, otp_verify, outbox_send
from yunting.kernel.security.fields import blind_index

from .conftest import PHONE
from .fakes import code_in

pytestmark = [pytest.mark.django_db]
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def issue(sms, django_capture_on_commit_callbacks):
    """issue() → the code the (fake) gateway received; the outbox is sent after commit as in production."""

    def make(phone=PHONE, purpose="register") -> str:
        with django_capture_on_commit_callbacks(execute=True):
            otp_issue(phone=phone, purpose=purpose)
        return code_in(sms.sent[-1][1]) if sms.sent else ""

    return make


def _raw(table: str, column: str, pk: int) -> str:
    with connection.cursor() as cur:
        cur.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608 (names are ours)
        return cur.fetchone()[0]


def test_public_surface():
    assert notify.__all__ == sorted([
        "ConsoleSmsSender", "OutboxMessage", "PhoneVerification", "SmsSender", "otp_consume", "otp_issue",
        "otp_verify", "outbox_enqueue", "outbox_send", "outbox_send_due", "phone_normalize", "sms_sender",
    ])
    for name in notify.__all__:
        assert getattr(notify, name) is not None


@pytest.mark.parametrize(("typed", "number"), [
    ("13812341234", "13812341234"), (" 138-1234-1234 ", "13812341234"), ("+86 138 1234 1234", "13812341234"),
    ("19912345678", "19912345678"),
])
def test_mainland_mobile_numbers_are_accepted(typed, number):
    assert phone_normalize(typed) == number


@pytest.mark.parametrize("typed", ["", "12812341234", "1381234123", "138123412345", "010-12345678", "abcdefghijk"])
def test_other_numbers_are_refused_with_a_clear_error(typed):
    with pytest.raises(ValidationFailed) as exc:
        phone_normalize(typed)
    assert exc.value.code == "phone_invalid" and exc.value.data == {"field": "phone"}


def test_the_code_is_hashed_at_rest_and_the_sms_encrypted(issue, sms):
    code = issue()
    assert len(code) == 6 and sms.sent[0][0] == PHONE
    verification = PhoneVerification.objects.get()
    assert verification.phone_index == blind_index(PHONE)
    stored = [str(v) for v in PhoneVerification.objects.values_list().get()]
    assert code not in verification.code_hash and all(code != v for v in stored) and PHONE not in stored
    message = verification.message
    assert message.recipient == PHONE and code in message.body and message.recipient_masked == "138****1234"
    assert message.status == OutboxMessage.Status.SENT and message.provider_message_id == "rec-1"
    assert message.purpose == "otp:register" and message.attempts == 1 and message.sent_at is not None
    for column in ("recipient", "body"):  # ciphertext in the table, plaintext only through the model
        raw = _raw("notify_outboxmessage", column, message.pk)
        assert PHONE not in raw and code not in raw
    assert otp_verify(phone=PHONE, purpose="register", code=code) == verification


def test_the_code_expires_after_ten_minutes(issue):
    with time_machine.travel(T0, tick=False) as clock:
        code = issue()
        clock.shift(timedelta(minutes=9, seconds=59))
        assert otp_verify(phone=PHONE, purpose="register", code=code)
        clock.shift(timedelta(seconds=1))
        with pytest.raises(ValidationFailed) as exc:
            otp_verify(phone=PHONE, purpose="register", code=code)
    assert exc.value.code == "otp_expired" and exc.value.data["field"] == "code"


def test_five_wrong_guesses_kill_the_code(issue):
    code = issue()
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for left in (4, 3, 2, 1):
        with pytest.raises(ValidationFailed) as exc:
            otp_verify(phone=PHONE, purpose="register", code=wrong)
        assert exc.value.code == "otp_wrong" and str(left) in exc.value.message
    with pytest.raises(ValidationFailed) as exc:
        otp_verify(phone=PHONE, purpose="register", code=wrong)
    assert exc.value.code == "otp_locked"
    with pytest.raises(ValidationFailed) as exc:  # even the right code is refused now
        otp_verify(phone=PHONE, purpose="register", code=code)
    assert exc.value.code == "otp_locked" and PhoneVerification.objects.get().attempts == 5


def test_bad_input_and_unknown_numbers(issue):
    with pytest.raises(ValidationFailed) as exc:
        otp_verify(phone=PHONE, purpose="register", code="12345")
    assert exc.value.code == "otp_format"
    with pytest.raises(ValidationFailed) as exc:
        otp_verify(phone=PHONE, purpose="register", code="123456")
    assert exc.value.code == "otp_missing"
    code = issue()
    with pytest.raises(ValidationFailed) as exc:  # a code is for one purpose only
        otp_verify(phone=PHONE, purpose="sign", code=code)
    assert exc.value.code == "otp_missing"


def test_resend_cooldown_and_hourly_limit(issue, sms):
    with time_machine.travel(T0, tick=False) as clock:
        first = issue()
        clock.shift(timedelta(seconds=20))
        with pytest.raises(ValidationFailed) as exc:
            issue()
        assert exc.value.code == "otp_cooldown" and exc.value.data["retry_after"] == 40
        assert "40" in exc.value.message and len(sms.sent) == 1
        clock.shift(timedelta(seconds=40))
        second = issue()
        if first != second:  # a new code replaces the old one
            with pytest.raises(ValidationFailed):
                otp_verify(phone=PHONE, purpose="register", code=first)
        assert otp_verify(phone=PHONE, purpose="register", code=second)
        for _ in range(3):
            clock.shift(timedelta(seconds=61))
            issue()
        clock.shift(timedelta(seconds=61))
        with pytest.raises(ValidationFailed) as exc:
            issue()
        assert exc.value.code == "otp_rate_limited" and len(sms.sent) == 5
        clock.move_to(T0 + timedelta(hours=1, seconds=1))
        issue()
    assert len(sms.sent) == 6 and PhoneVerification.objects.count() == 6
    assert issue(phone="13900000000") and len(sms.sent) == 7  # limits are per phone


def test_a_code_is_used_once(issue):
    code = issue()
    verification = otp_verify(phone=PHONE, purpose="register", code=code)
    otp_consume(verification=verification)
    with pytest.raises(Conflict):
        otp_consume(verification=verification)
    with pytest.raises(ValidationFailed) as exc:
        otp_verify(phone=PHONE, purpose="register", code=code)
    assert exc.value.code == "otp_used"


def test_the_outbox_row_is_written_in_the_callers_transaction(sms, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(RuntimeError):
        with transaction.atomic():
            otp_issue(phone=PHONE, purpose="register")
            assert OutboxMessage.objects.count() == 1
            raise RuntimeError("the act that needed the code failed")
    assert OutboxMessage.objects.count() == 0 and PhoneVerification.objects.count() == 0
    assert callbacks == [] and sms.sent == []
    with django_capture_on_commit_callbacks() as callbacks:  # committed: the row exists before anything is sent
        otp_issue(phone=PHONE, purpose="register")
        assert OutboxMessage.objects.get().status == OutboxMessage.Status.PENDING and sms.sent == []
    assert len(callbacks) == 1


def test_a_failing_gateway_leaves_the_message_pending_for_the_periodic_job(issue, sms):
    retry = _jobs["notify.outbox"][1]  # what `yunting tick` and `yunting serve` run
    sms.down = True
    with time_machine.travel(T0, tick=False) as clock:
        assert issue() == ""
        message = OutboxMessage.objects.get()
        assert message.status == OutboxMessage.Status.PENDING and message.attempts == 1
        assert "gateway unreachable" in message.last_error
        assert message.next_attempt_at == T0 + timedelta(seconds=15)
        assert retry() == 0  # not due yet
        clock.shift(timedelta(seconds=15))
        assert retry() == 1
        message.refresh_from_db()
        assert message.attempts == 2 and message.next_attempt_at == T0 + timedelta(seconds=45)
        sms.down = False
        clock.shift(timedelta(seconds=30))
        assert retry() == 1
        message.refresh_from_db()
        assert message.status == OutboxMessage.Status.SENT and message.attempts == 3 and message.last_error == ""
        assert [p for p, _ in sms.sent] == [PHONE] and retry() == 0
        assert otp_verify(phone=PHONE, purpose="register", code=code_in(sms.sent[0][1]))


def test_a_code_that_expired_in_the_outbox_is_not_sent(issue, sms):
    sms.down = True
    with time_machine.travel(T0, tick=False) as clock:
        issue()
        clock.shift(timedelta(minutes=10))
        sms.down = False
        assert outbox_send(message_id=OutboxMessage.objects.get().pk) == OutboxMessage.Status.FAILED
    assert sms.sent == [] and "expired" in OutboxMessage.objects.get().last_error


def test_the_default_sender_is_the_console_fake(settings, caplog):
    assert settings.YUNTING_SMS_SENDER == "yunting.kernel.notify.senders.ConsoleSmsSender"
    sender = sms_sender()
    assert type(sender) is ConsoleSmsSender and isinstance(sender, SmsSender)
    assert "FAKE" in ConsoleSmsSender.__doc__
    with caplog.at_level(logging.INFO, logger="yunting.sms"):
        message_id = sender.send(PHONE, "Yunting: your verification code is 123456.")
    record = next(r for r in caplog.records if r.name == "yunting.sms")
    assert message_id.startswith("console-") and "FAKE SMS" in record.getMessage()
    assert "138****1234" in record.getMessage() and "123456" in record.getMessage()
