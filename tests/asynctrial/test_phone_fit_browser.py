"""The asynchronous trial a party takes part in fits a 390×844 phone and a 1366 desk (tests/web/phonefit.py): the
consent step, the open exchange with evidence and an answer on the three properties (the answer form unfolded),
and the party's list."""

import pytest

from tests.web.phonefit import assert_fits, chromium

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def answered(opened, post):
    evidence = post(opened, "plaintiff", "evidence", text="借条原件照片，载明借款十万元。" * 4, title="借条（2025年3月1日，李娜签名）",
                    purpose="证明被告于2025年3月1日向原告借款十万元并约定年底归还")
    post(opened, "defendant", "opinion", text="借条真实性不认可", refers_to=evidence,
         positions={"authenticity": "reject", "legality": "accept", "relevance": "partial"},
         reasons={"authenticity": "签名不是本人", "relevance": "只借了五万"})
    post(opened, "defendant", "evidence", text="银行流水", title="银行流水", purpose="证明只借了五万元")
    return opened


def test_consent_step_fits_a_phone(ecase, acc, users, live_server):
    from yunting.workflows.asynctrial import services

    services.asynctrial_propose(access=acc(ecase, "assistant"), actor=users["assistant"])
    with chromium() as browser:
        assert_fits(browser, live_server.url, name="asynctrial-consent", url=f"/asynctrial/cases/{ecase.pk}/",
                    who="plaintiff", ready="[data-testid=consent]")


def unfold_answer(page):
    page.locator("[data-testid=answer-evidence] summary").first.click()


@pytest.mark.parametrize("name", ["exchange", "answering", "list"])
def test_exchange_fits_a_phone(name, answered, live_server):
    url = "/asynctrial/" if name == "list" else f"/asynctrial/cases/{answered.pk}/"
    with chromium() as browser:
        assert_fits(browser, live_server.url, name=f"asynctrial-{name}", url=url, who="plaintiff", ready="main",
                    steps=unfold_answer if name == "answering" else None)
