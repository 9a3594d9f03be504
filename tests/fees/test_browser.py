"""Real Chromium: a lawyer on a phone (390×844) applies to reduce the fee from the case page, the judge approves
it at a desk (1366), and the fee staff reconcile the bank statement that pays the rest. Screenshots go to
test-artifacts/fees-*.png to be looked at."""

import pytest

from tests.web.test_browser import ARTIFACTS, chromium_page, sign_in

PHONE = {"width": 390, "height": 844}
DESK = {"width": 1366, "height": 900}

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _no_overflow(page) -> bool:
    return page.evaluate("() => document.scrollingElement.scrollWidth <= window.innerWidth")


def _as(page, base, who, size):
    page.context.clear_cookies()
    page.set_viewport_size(DESK)  # the sign-in helper waits for the user menu, folded away on a phone
    sign_in(page, base, who)
    page.set_viewport_size(size)


def test_relief_on_a_phone_approval_at_a_desk_and_reconciliation(fee_case, live_server, tmp_path):
    from datetime import timedelta

    from yunting.core.fees.models import FeeNotice
    from yunting.kernel.common.timeutil import shanghai_today

    case, notice = fee_case
    FeeNotice.objects.filter(pk=notice.pk).update(issued_on=shanghai_today(), due_on=shanghai_today() + timedelta(7))
    statement = tmp_path / "boc-20261122.csv"
    statement.write_bytes(f"交易日期,交易金额,附言\n2026-11-22,1000.00,{notice.reference} 张伟\n".encode("gbk"))
    base = live_server.url
    with chromium_page() as page:
        _as(page, base, "lawyer", PHONE)
        page.goto(f"{base}/cases/{case.pk}/")
        panel = page.locator("[data-testid=fee-panel]")
        panel.scroll_into_view_if_needed()
        assert panel.is_visible() and notice.reference in panel.inner_text()
        assert _no_overflow(page)
        page.screenshot(path=str(ARTIFACTS / "fees-phone-case.png"), full_page=True)
        page.click("[data-testid=relief-link]")
        page.check("#kind-reduce")
        page.fill("#id_amount", "2000")
        page.fill("#id_reason", "原告失业，无力全额交纳诉讼费")
        page.click("[data-testid=relief-form] button.btn-primary")
        assert "70%" in page.inner_text("[data-testid=relief-error]")  # refused in Chinese, nothing recorded
        assert _no_overflow(page)
        page.screenshot(path=str(ARTIFACTS / "fees-phone-relief-error.png"), full_page=True)
        page.fill("#id_amount", "1000")
        page.click("[data-testid=relief-form] button.btn-primary")
        page.wait_for_selector("[data-testid=fee-relief]")
        assert page.get_attribute("[data-testid=fee-notice]", "data-state") == "relief_pending"

        _as(page, base, "judge", DESK)
        page.goto(f"{base}/cases/{case.pk}/")
        page.locator("[data-testid=relief-decide]").scroll_into_view_if_needed()
        page.screenshot(path=str(ARTIFACTS / "fees-desk-judge-decides.png"), full_page=True)
        page.click("[data-testid=relief-decide] button[value=approve]")
        page.wait_for_selector("[data-testid=fee-notice][data-state=unpaid]")

        _as(page, base, "filing_officer", DESK)
        page.click("[data-testid=fees-nav]")
        page.set_input_files("#id_statement", str(statement))
        page.click("[data-testid=statement-form] button")
        page.wait_for_selector("[data-testid=statement-report]")
        assert page.locator("tr[data-outcome=matched]").count() == 1
        page.screenshot(path=str(ARTIFACTS / "fees-desk-statement.png"), full_page=True)
        page.click("text=诉讼费用 >> nth=1")  # the breadcrumb back to the fee desk
        page.wait_for_selector("[data-testid=statement-form]")
        page.screenshot(path=str(ARTIFACTS / "fees-desk.png"), full_page=True)
        page.goto(f"{base}/cases/{case.pk}/")
        assert page.get_attribute("[data-testid=fee-notice]", "data-state") == "paid"

        _as(page, base, "lawyer", PHONE)
        page.goto(f"{base}/cases/{case.pk}/")
        page.locator("[data-testid=fee-panel]").scroll_into_view_if_needed()
        assert "¥1,000.00" in page.inner_text("[data-testid=fee-paid]").replace(" ", "")
        page.screenshot(path=str(ARTIFACTS / "fees-phone-paid.png"), full_page=True)
