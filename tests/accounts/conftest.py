import pytest

from .fakes import RecordingSmsSender

PHONE = "13812341234"
ID_NUMBER = "11010519491231002X"  # GB 11643-valid (DOMAIN.md's example)


@pytest.fixture
def sms(settings):
    """Route SMS to a recording fake gateway; `sms.sent` is what it was handed, `sms.down = True` breaks it."""
    settings.YUNTING_SMS_SENDER = "tests.accounts.fakes.RecordingSmsSender"
    RecordingSmsSender.sent = []
    RecordingSmsSender.down = False
    yield RecordingSmsSender
    RecordingSmsSender.sent = []
    RecordingSmsSender.down = False


@pytest.fixture
def zh():
    """zh(msgid) → the message as the (Chinese-first) pages show it, whether or not it is translated yet."""
    from django.utils.translation import gettext, ngettext, override

    def translate(msgid: str, plural: str | None = None, n: int = 1) -> str:
        with override("zh-hans"):
            return ngettext(msgid, plural, n) if plural else gettext(msgid)

    return translate
