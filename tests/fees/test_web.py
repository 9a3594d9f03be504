"""The fee panel on the case page, the fee desk and the judge's unpaid list — through the browser's requests."""

from datetime import date

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from yunting.core.fees.models import FeeNotice, Payment, ReliefApplication

pytestmark = pytest.mark.django_db


def _as(users, name) -> Client:
    client = Client()
    client.force_login(users[name])
    return client


def test_the_case_page_shows_the_fee_with_its_last_day_and_reference(fee_case, users):
    case, notice = fee_case
    with time_machine.travel("2026-11-24 10:00 +08:00", tick=False):
        html = _as(users, "lawyer").get(f"/cases/{case.pk}/").content.decode()
    assert 'data-testid="fee-panel"' in html and "诉讼费用" in html
    assert notice.reference in html and "2026-11-27" in html and "¥2,300.00" in html.replace("¥ ", "¥")
    assert "网上缴费" in html  # the party may pay online (named fake gateway)
    assert "模拟" in html  # the fake says what it is


def test_a_party_pays_online_and_the_panel_says_paid(fee_case, users):
    case, notice = fee_case
    lawyer = _as(users, "lawyer")
    response = lawyer.post(f"/fees/notices/{notice.pk}/pay/")
    assert response.status_code == 302 and response["Location"].endswith(f"/cases/{case.pk}/#fees")
    html = lawyer.get(f"/cases/{case.pk}/").content.decode()
    assert 'data-state="paid"' in html


def test_someone_outside_the_case_gets_404_for_its_fees(fee_case, users):
    case, notice = fee_case
    outsider = _as(users, "defendant")  # a party account that takes no part in this case
    assert outsider.get(f"/cases/{case.pk}/").status_code == 404
    assert outsider.post(f"/fees/notices/{notice.pk}/pay/").status_code == 404
    assert outsider.get(f"/fees/notices/{notice.pk}/relief/").status_code == 404
    assert outsider.post(f"/fees/notices/{notice.pk + 999}/pay/").status_code == 404
    assert not Payment.objects.exists()


@pytest.mark.parametrize("who", ["judge", "clerk", "lawyer", "plaintiff"])
def test_the_fee_desk_is_only_for_fee_staff(fee_case, users, who):
    assert _as(users, who).get("/fees/").status_code == 404
    data = SimpleUploadedFile("s.csv", f"{fee_case[1].reference},2300,2026-11-21\n".encode(), "text/csv")
    assert _as(users, who).post("/fees/statements/", {"statement": data}).status_code == 404
    assert not Payment.objects.exists()


def test_fee_staff_reconcile_a_bank_file_and_read_the_line_report(fee_case, users):
    case, notice = fee_case
    officer = _as(users, "filing_officer")
    assert officer.get("/fees/").status_code == 200
    csv = f"交易日期,金额,附言\n2026-11-21,2300.00,{notice.reference}\n2026-11-21,99,不明款项\n".encode("gbk")
    response = officer.post("/fees/statements/", {"statement": SimpleUploadedFile("boc.csv", csv, "text/csv")})
    assert response.status_code == 302
    html = officer.get(response["Location"]).content.decode()
    assert 'data-outcome="matched"' in html and 'data-outcome="unmatched"' in html and case.number in html
    notice.refresh_from_db()
    assert notice.state == "paid"
    assert _as(users, "court_admin").get(response["Location"]).status_code == 200
    assert _as(users, "judge").get(response["Location"]).status_code == 404


def test_the_judge_sees_unpaid_cases_to_treat_as_withdrawn_and_a_party_never_does(fee_case, users):
    case, _notice = fee_case
    with time_machine.travel("2026-11-30 09:00 +08:00", tick=False):
        html = _as(users, "judge").get("/fees/unpaid/").content.decode()
        assert case.number in html and "按撤诉处理" in html
        assert _as(users, "lawyer").get("/fees/unpaid/").status_code == 404
        assert _as(users, "plaintiff").get("/fees/unpaid/").status_code == 404
        panel = _as(users, "judge").get(f"/cases/{case.pk}/").content.decode()
        assert 'data-state="overdue"' in panel


def test_relief_form_refuses_bad_input_in_chinese_then_the_judge_approves(fee_case, users):
    case, notice = fee_case
    lawyer = _as(users, "lawyer")
    assert lawyer.get(f"/fees/notices/{notice.pk}/relief/").status_code == 200
    bad = lawyer.post(f"/fees/notices/{notice.pk}/relief/", {"kind": "reduce", "amount": "2000", "reason": "无力全额交纳"})
    assert bad.status_code == 400 and "70%" in bad.content.decode()
    assert not ReliefApplication.objects.exists()
    ok = lawyer.post(f"/fees/notices/{notice.pk}/relief/", {"kind": "reduce", "amount": "1000", "reason": "无力全额交纳"})
    assert ok.status_code == 302
    application = ReliefApplication.objects.get()
    assert _as(users, "judge").get(f"/cases/{case.pk}/").content.decode().count('data-testid="relief-decide"') == 1
    assert 'data-testid="relief-decide"' not in lawyer.get(f"/cases/{case.pk}/").content.decode()
    _as(users, "clerk").post(f"/fees/relief/{application.pk}/decide/", {"decision": "approve"})
    application.refresh_from_db()
    assert application.status == "pending"  # a clerk may not decide: nothing changed
    _as(users, "judge").post(f"/fees/relief/{application.pk}/decide/", {"decision": "approve", "amount": "1000"})
    notice = FeeNotice.objects.get(pk=notice.pk)
    assert str(notice.amount_due) == "1000.00"


def test_the_panel_and_desk_render_in_english(fee_case, users):
    case, _notice = fee_case
    officer = _as(users, "filing_officer")
    officer.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Litigation fees" in officer.get(f"/cases/{case.pk}/").content.decode()
    assert "Import a bank statement" in officer.get("/fees/").content.decode()
    assert date.today()  # keeps the import used when run alone
