"""The lifecycle end to end in Chromium: the filing officer accepts a filing, the case is assigned by rule at
once, the judge finds it on the workbench, a judgment is issued and sealed, and the parties see 已结案 with
its outcome. (The judgment's drafting and signing run through the papers services, as the papers tests cover
their pages.)"""

import pytest

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


def _judgment(case_id, users):
    from yunting.core.cases.models import Case
    from yunting.core.courts.models import CaseState
    from yunting.core.papers import services as papers
    from yunting.core.people.models import User

    case = Case.objects.get(pk=case_id)
    judge = User.objects.get(pk=CaseState.objects.get(case=case).judge_id)
    clerk = User.objects.get(pk=case.participations.filter(role="clerk").values_list("user_id", flat=True)[0])
    paper = papers.paper_draft(case=case, template_code="judgment", actor=judge)
    paper = papers.paper_update(paper=paper, actor=judge, values={
        "hearing_text": "本院于2026年11月20日公开开庭进行了审理。", "claims": "请求判令被告偿还借款100000元。",
        "defence": "被告未答辩。", "facts": "被告向原告借款100000元，到期未还。", "reasoning": "合法的借贷关系受法律保护。",
        "legal_basis": "《中华人民共和国民法典》第六百七十五条", "orders": "被告于本判决生效之日起十日内偿还原告借款100000元。",
        "fee": "2300", "fee_payer": "被告"})
    paper = papers.paper_issue(paper=paper, actor=judge)
    paper = papers.paper_sign(paper=paper, actor=clerk)
    papers.paper_seal(paper=paper, actor=users["court_admin"])


def test_accept_assign_workbench_judgment_closed(world, live_server, users):
    filing = world["filing"]
    base = live_server.url
    with chromium_page() as page:
        sign_in(page, base, "filing_officer")
        page.goto(f"{base}/filing/{filing.pk}/")
        page.click("[data-testid=accept]")
        page.click("[data-testid=accept-confirm]")
        page.wait_for_selector("[data-testid=case-number]")
        number = page.locator("[data-testid=case-number]").inner_text()

        def assigned():
            from yunting.core.courts.models import CaseState

            state = CaseState.objects.select_related("judge").get(case__number=number)
            return state.case_id, state.judge.username, state.judge_name, state.reason

        case_id, judge_username, judge_name, reason = in_thread(assigned)
        assert reason.startswith("民间借贷纠纷 → 速裁团队")
        page.context.clear_cookies()
        sign_in(page, base, judge_username)
        page.goto(f"{base}/court/work/")
        assert page.locator(f"[data-testid=my-open-cases] >> text={number}").is_visible()
        page.screenshot(path=str(ARTIFACTS / "court-flow-judge-workbench.png"), full_page=True)
        page.click(f"text={number}")
        page.wait_for_selector("[data-testid=case-lifecycle]")
        assert page.locator("[data-testid=lifecycle-judge]").inner_text() == judge_name
        assert page.locator("[data-testid=lifecycle-status]").inner_text() == "审理中"

        in_thread(lambda: _judgment(case_id, users))

        page.context.clear_cookies()
        sign_in(page, base, "plaintiff")
        page.goto(f"{base}/cases/{case_id}/")
        assert page.locator("[data-testid=lifecycle-status]").inner_text() == "已结案"
        assert page.locator("[data-testid=lifecycle-outcome]").inner_text() == "判决"
        page.screenshot(path=str(ARTIFACTS / "court-flow-closed-case.png"), full_page=True)
        assert wsgi_problems(page) == []
