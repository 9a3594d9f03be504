"""Issue 10's flow with the fee in it, in Chromium: the filing officer accepts, the case is assigned by rule, the
judge sees it on the workbench with its fee unpaid, the fee desk reconciles the bank's file that pays it, the
workbench says paid, the judgment is sealed and served, and the party sees 已结案 with the appeal period running
and the fee paid. Screenshots: test-artifacts/fees-flow-*.png."""

import pytest

from tests.courts.test_flow_browser import _judgment
from tests.web.test_browser import ARTIFACTS, PASSWORD, chromium_page, in_thread, sign_in, wsgi_problems

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(setup_court, users):
    from tests.filing.conftest import good_payload
    from yunting.workflows.filing.services import filing_save_draft, filing_submit

    for u in setup_court.judges.values():
        u.set_password(PASSWORD)
        u.save()
    filing = filing_submit(filing=filing_save_draft(filer=users["plaintiff"], data=good_payload()),
                           actor=users["plaintiff"])
    return {"filing": filing}


def test_accept_assign_reconcile_the_fee_judgment_closed(world, live_server, users, tmp_path):
    filing = world["filing"]
    base = live_server.url
    with chromium_page() as page:
        sign_in(page, base, "filing_officer")
        page.goto(f"{base}/filing/{filing.pk}/")
        page.click("[data-testid=accept]")
        page.click("[data-testid=accept-confirm]")
        page.wait_for_selector("[data-testid=case-number]")
        number = page.locator("[data-testid=case-number]").inner_text()

        def facts():
            from yunting.core.courts.models import CaseState
            from yunting.core.fees.models import FeeNotice

            state = CaseState.objects.select_related("judge").get(case__number=number)
            notice = FeeNotice.objects.get(case_id=state.case_id)
            return state.case_id, state.judge.username, notice.reference, str(notice.amount)

        case_id, judge, reference, amount = in_thread(facts)
        assert amount == "1150.00"  # 100,000 yuan, simple procedure: the acceptance fee halved

        page.context.clear_cookies()
        sign_in(page, base, judge)
        page.goto(f"{base}/court/work/")
        row = page.locator(f"[data-testid=my-open-cases] tr:has-text('{number}')")
        assert row.locator("[data-fee-state]").get_attribute("data-fee-state") == "unpaid"

        statement = tmp_path / "bank-20261130.csv"
        statement.write_bytes(f"交易日期,交易金额,附言,交易流水号\n2026-11-30,{amount},{reference} 张伟诉讼费,B20261130001\n"
                              .encode("gbk"))
        page.context.clear_cookies()
        sign_in(page, base, "filing_officer")
        page.goto(f"{base}/fees/")
        page.set_input_files("#id_statement", str(statement))
        page.click("[data-testid=statement-form] button")
        page.wait_for_selector("[data-testid=statement-report]")
        assert page.locator("tr[data-outcome=matched]").count() == 1
        page.screenshot(path=str(ARTIFACTS / "fees-flow-reconciled.png"), full_page=True)

        page.context.clear_cookies()
        sign_in(page, base, judge)
        page.goto(f"{base}/court/work/")
        row = page.locator(f"[data-testid=my-open-cases] tr:has-text('{number}')")
        assert row.locator("[data-fee-state]").get_attribute("data-fee-state") == "paid"
        page.screenshot(path=str(ARTIFACTS / "fees-flow-judge-workbench.png"), full_page=True)

        def judgment_served():
            from yunting.core.cases.access import access_case_for
            from yunting.core.cases.models import Participation
            from yunting.core.clocks.services import service_register
            from yunting.kernel.common.timeutil import shanghai_today

            _judgment(case_id, users)
            clerk = Participation.objects.select_related("user").filter(case_id=case_id, role="clerk").first().user
            service_register(access=access_case_for(clerk, case_id), actor=clerk, document_kind="judgment",
                             served_on=shanghai_today())

        in_thread(judgment_served)

        page.context.clear_cookies()
        sign_in(page, base, "plaintiff")
        page.goto(f"{base}/cases/{case_id}/")
        assert page.locator("[data-testid=lifecycle-status]").inner_text() == "已结案"
        assert page.locator("[data-testid=deadline][data-kind=appeal-judgment]").count() >= 1
        assert page.get_attribute("[data-testid=fee-notice]", "data-state") == "paid"
        page.screenshot(path=str(ARTIFACTS / "fees-flow-closed-case.png"), full_page=True)
        assert wsgi_problems(page) == []
