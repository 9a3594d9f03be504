"""The whole pre-filing mediation in real browsers (/usr/bin/chromium): a party applies on a 390×844 phone, the
coordinator (1366 wide) links the respondent and assigns the suggested mediator in one click, the mediator accepts
on a phone, proposes and drafts the agreement, both parties and the mediator sign by hand on phones, a party
applies for judicial confirmation, the judge grants it, the ruling is sealed and served.
Screenshots of every page at both sizes: test-artifacts/mediation-*.png."""

from contextlib import contextmanager

import pytest

from tests.signature_pad import draw_signature
from tests.web.test_browser import ARGS, ARTIFACTS, CHROMIUM, PASSWORD, in_thread

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
WIDE = {"width": 1366, "height": 900}


@contextmanager
def browser():
    if not CHROMIUM.exists():
        pytest.skip("no /usr/bin/chromium")
    sync_api = pytest.importorskip("playwright.sync_api")
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield b
        finally:
            b.close()


def person(b, base, username, viewport=PHONE):
    context = b.new_context(locale="zh-CN", viewport=viewport)
    page = context.new_page()
    page.problems = []
    page.on("pageerror", lambda e: page.problems.append(str(e)))
    page.on("console", lambda m: m.type == "error" and "/ws/" not in m.text and page.problems.append(m.text))
    page.goto(base + "/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("[data-testid=user-menu]", state="attached")
    return page


def fits(page) -> bool:
    """No sideways scrolling: the page fits the screen it is on."""
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")


def shot(page, name: str, other=None, url: str | None = None):
    """Screenshot this page, and the same address at the other size (another signed-in context of the same
    person), so every page is seen on a phone and at 1366."""
    page.screenshot(path=ARTIFACTS / f"mediation-{name}-{'phone' if page.viewport_size['width'] < 500 else 'wide'}.png",
                    full_page=True)
    assert fits(page), name
    if other is not None:
        other.goto(url or page.url)
        other.screenshot(path=ARTIFACTS / f"mediation-{name}-{'phone' if other.viewport_size['width'] < 500 else 'wide'}.png",
                         full_page=True)
        assert fits(other), name


def sign_on_pad(page):
    draw_signature(page)
    page.click("[data-testid=sign-submit]")
    page.wait_for_selector("[data-testid=agreement]")


def test_from_intake_to_a_confirmed_served_ruling(network, coordinator, users, live_server):
    from yunting.core.journal.models import JournalEntry
    from yunting.core.people.models import User
    from yunting.core.service.models import ServiceTask
    from yunting.workflows.mediation.models import Confirmation, Dispute

    coordinator.set_password(PASSWORD)
    coordinator.save(update_fields=["password"])
    assert User.objects.get(username="plaintiff").check_password(PASSWORD)
    base = live_server.url
    with browser() as b:
        plaintiff = person(b, base, "plaintiff")
        plaintiff_wide = person(b, base, "plaintiff", WIDE)
        plaintiff.goto(base + "/mediation/new/")
        plaintiff.select_option("[data-testid=dispute-type]", "loan")
        plaintiff.select_option("[data-testid=cause]", label="民间借贷纠纷")
        plaintiff.wait_for_selector("#q-principal")  # the cause's questionnaire arrives with the self-help panel
        plaintiff.fill("#locality", "新安街道")
        plaintiff.fill("[data-testid=other-name]", "李娜")
        plaintiff.fill("#party-1-phone", "13987654321")
        plaintiff.fill("[data-testid=amount]", "50000")
        plaintiff.fill("[data-testid=claims]", "归还借款50000元")
        plaintiff.fill("#q-loan_date", "2025-03-01")
        plaintiff.fill("#q-principal", "50000")
        plaintiff.select_option("#q-delivery", "银行转账")
        plaintiff.fill("#q-interest", "无")
        plaintiff.select_option("#q-voucher", "有")
        plaintiff.locator("[data-testid=help-fee]").filter(has_text="1,050.00").wait_for()
        shot(plaintiff, "intake", plaintiff_wide, base + "/mediation/new/?cause=民间借贷纠纷")
        plaintiff.click("[data-testid=intake-submit]")
        plaintiff.wait_for_selector("[data-testid=state], [data-testid=problems]")
        assert plaintiff.locator("[data-testid=problems]").count() == 0, plaintiff.locator("[data-testid=problems]").inner_text()
        dispute = in_thread(lambda: Dispute.objects.select_related("case").get())
        url = f"{base}/mediation/{dispute.pk}/"
        assert "民诉前调" in plaintiff.locator("[data-testid=number]").inner_text()
        shot(plaintiff, "dispute-new", plaintiff_wide)

        coord = person(b, base, "coordinator", WIDE)
        coord_phone = person(b, base, "coordinator")
        coord.goto(url)
        coord.select_option("[data-testid=link-form] select", label="李娜")
        coord.fill("[data-testid=link-username]", "defendant")
        coord.click("[data-testid=link]")
        coord.wait_for_selector(".alert-success")
        coord.goto(base + "/mediation/queue/")
        row = coord.locator(f"[data-testid=queue-row][data-dispute='{dispute.pk}']")
        assert "新安街道" in row.inner_text() and users["mediator"].real_name in row.inner_text()
        shot(coord, "queue", coord_phone)
        row.locator("[data-testid=assign]").first.click()
        coord.wait_for_selector("[data-testid=state][data-state=assigned]")

        mediator = person(b, base, "mediator")
        mediator_wide = person(b, base, "mediator", WIDE)
        mediator.goto(url)
        shot(mediator, "mediator-asked", mediator_wide)
        mediator.click("[data-testid=accept]")
        mediator.click("[data-testid=start-thread]")
        mediator.wait_for_selector("[data-testid=state][data-state=mediating]")
        mediator.fill("[data-testid=post-text]", "建议被申请人于年底前一次性归还本金，申请人放弃利息。")
        mediator.select_option("[data-testid=kind]", "proposal")
        mediator.click("[data-testid=post-submit]")
        mediator.wait_for_selector("[data-testid=item][data-kind=proposal]")
        mediator.fill("[data-testid=terms]", "被申请人李娜于2026年12月31日前归还申请人张伟借款50000元\n申请人张伟放弃利息请求")
        mediator.click("[data-testid=draft]")
        mediator.wait_for_selector("[data-testid=agreement]")
        shot(mediator, "mediator-drafted", mediator_wide)

        plaintiff.goto(url)
        assert "建议被申请人" in plaintiff.locator("[data-testid=items]").inner_text()
        plaintiff.click("[data-testid=sign-link]")
        shot(plaintiff, "sign", plaintiff_wide)
        sign_on_pad(plaintiff)

        defendant = person(b, base, "defendant")
        defendant.goto(url)
        defendant.click("[data-testid=sign-link]")
        sign_on_pad(defendant)

        mediator.goto(url)
        mediator.click("[data-testid=sign-link]")
        sign_on_pad(mediator)
        mediator.wait_for_selector("[data-testid=state][data-state=agreed]")

        plaintiff.goto(url)
        shot(plaintiff, "agreed", plaintiff_wide)
        plaintiff.click("[data-testid=confirm]")
        plaintiff.wait_for_selector("[data-testid=confirmation]")
        confirmation = in_thread(lambda: Confirmation.objects.select_related("case").get())

        judge = person(b, base, "judge", WIDE)
        judge_phone = person(b, base, "judge")
        judge.goto(base + "/mediation/confirmations/")
        shot(judge, "confirmations", judge_phone)
        judge.locator("[data-testid=confirmation-row]").filter(has_text=confirmation.case.number) \
            .locator("[data-testid=grant]").click()
        judge.wait_for_selector("[data-testid=ruled]")

        admin = person(b, base, "court_admin", WIDE)  # holds the court's seal
        admin.goto(base + "/papers/seal/")
        paper_id = in_thread(lambda: Confirmation.objects.get().paper_id)
        admin.locator(f"input[name=paper][value='{paper_id}']").check()
        admin.click("button.btn-danger[type=submit]")
        admin.wait_for_load_state()

        coord.goto(base + "/mediation/dashboard/")
        shot(coord, "dashboard", coord_phone)
        plaintiff.goto(url)
        shot(plaintiff, "confirmed", plaintiff_wide)
        for page in (plaintiff, coord, mediator, defendant, judge):
            assert page.problems == [], page.problems

    dispute.refresh_from_db()
    confirmation.refresh_from_db()
    assert dispute.state == "confirmed" and confirmation.granted is True
    sealed = JournalEntry.objects.filter(case=confirmation.case, kind="papers.sealed")
    assert sealed.exists()
    assert ServiceTask.objects.filter(case=confirmation.case).exists()  # the ruling goes out to the parties
