"""The 期限 panel on the case page, the judge's forms, the warning lists, the digest inbox and the court calendar:
who sees and does what (404 for outsiders, refusals that change nothing)."""

from datetime import date, timedelta

import pytest

from yunting.core.clocks.models import CourtClosure, Digest
from yunting.kernel.common.timeutil import shanghai_today

pytestmark = pytest.mark.django_db


def html(response) -> str:
    return response.content.decode()


def test_case_page_shows_each_deadline_with_due_date_basis_and_steps(dated_case, client, users):
    case = dated_case("2026-02-14", "simple")
    client.force_login(users["lawyer"])
    page = html(client.get(f"/cases/{case.pk}/"))
    assert 'data-testid="deadlines-panel"' in page and "审理期限（简易程序）" in page
    assert "2026-05-14" in page and "第一百六十四条" in page and "计算过程" in page
    assert 'data-testid="clock-actions"' not in page and 'data-testid="service-form"' not in page  # a party


def test_judge_sees_the_forms_and_suspends(dated_case, client, users):
    case = dated_case("2026-02-14", "simple")
    client.force_login(users["judge"])
    page = html(client.get(f"/cases/{case.pk}/"))
    assert 'data-testid="clock-actions"' in page and 'data-testid="service-form"' in page
    r = client.post(f"/clocks/cases/{case.pk}/suspend/", {"on": "2026-03-01", "reason": "等待鉴定"}, follow=True)
    assert "已中止诉讼，审理期限停止计算" in html(r) and 'data-status="suspended"' in html(r)
    assert case.journal.filter(kind="case.suspended").count() == 1


def test_bad_input_shows_a_chinese_error_and_changes_nothing(dated_case, client, users):
    case = dated_case("2026-02-14", "simple")
    client.force_login(users["judge"])
    before = case.journal.count()
    r = client.post(f"/clocks/cases/{case.pk}/suspend/", {"on": "2026-01-01", "reason": "x"}, follow=True)
    assert "日期不能早于立案日" in html(r)
    r = client.post(f"/clocks/cases/{case.pk}/extension/", {"months": "5", "reason": "x"}, follow=True)
    assert "可申请延长 1 至 1 个月" in html(r)
    assert case.journal.count() == before


def test_a_party_cannot_act_and_an_outsider_gets_404(dated_case, client, users):
    case = dated_case()
    client.force_login(users["lawyer"])
    r = client.post(f"/clocks/cases/{case.pk}/suspend/", {"on": "2026-03-05", "reason": "x"}, follow=True)
    assert "只有本案承办法官" in html(r) and not case.journal.filter(kind="case.suspended").exists()
    client.force_login(users["defendant"])
    assert client.post(f"/clocks/cases/{case.pk}/suspend/", {"on": "2026-03-05", "reason": "x"}).status_code == 404
    assert client.post(f"/clocks/cases/{case.pk}/service/", {"document_kind": "complaint",
                                                              "served_on": "2026-03-05"}).status_code == 404
    assert client.get(f"/cases/{case.pk}/").status_code == 404


def test_clerk_registers_service_and_the_answer_period_appears(dated_case, client, users):
    case = dated_case("2026-03-02")
    defendant = case.parties.get(role="defendant")
    client.force_login(users["clerk"])
    r = client.post(f"/clocks/cases/{case.pk}/service/", {"document_kind": "complaint", "served_on": "2026-03-02",
                                                          "party_id": defendant.pk}, follow=True)
    assert "已登记送达" in html(r) and "答辩期" in html(r) and "2026-03-17" in html(r)


def test_warning_list_for_the_judge_and_the_court_for_the_division_head(dated_case, client, users, head):
    today = shanghai_today()
    late = head["assign"](dated_case((today - timedelta(days=100)).isoformat(), "small_claims"), "small_claims")
    client.force_login(users["judge"])
    page = html(client.get("/clocks/"))
    assert late.number in page and 'data-status="overdue"' in page and 'data-testid="nav-clocks"' in page
    client.force_login(head["division_head"])
    page = html(client.get("/clocks/?scope=led"))
    assert late.number in page
    client.force_login(users["lawyer"])
    assert client.get("/clocks/").status_code == 404
    assert 'data-testid="nav-clocks"' not in html(client.get("/"))


def test_division_head_decides_an_extension_from_the_list(dated_case, client, users, head, access_of):
    from yunting.core.clocks import services

    case = head["assign"](dated_case((shanghai_today() - timedelta(days=20)).isoformat(), "simple"))
    services.case_extension_request(access=access_of(users["judge"], case), actor=users["judge"], months=1,
                                    reason="鉴定未完成")
    client.force_login(head["division_head"])
    page = html(client.get("/clocks/?scope=led"))
    assert 'data-testid="pending-extensions"' in page and case.number in page
    r = client.post(f"/clocks/cases/{case.pk}/extension/decide/", {"approved": "1", "months": "1", "reason": "同意"},
                    follow=True)
    assert "已记录对" in html(r)
    assert case.journal.get(kind="case.extension_decided").payload["approved"] is True
    client.force_login(users["clerk"])  # takes part, but decides nothing
    r = client.post(f"/clocks/cases/{case.pk}/extension/decide/", {"approved": "1", "reason": "x"}, follow=True)
    assert "没有待审批的延长审限申请" in html(r) or "只有" in html(r)
    client.force_login(users["defendant"])  # not in the case at all
    assert client.post(f"/clocks/cases/{case.pk}/extension/decide/", {"approved": "1", "reason": "x"}).status_code == 404
    assert case.journal.filter(kind="case.extension_decided").count() == 1


def test_digest_inbox(dated_case, client, users):
    from yunting.core.clocks.services import digest_send

    dated_case((shanghai_today() - timedelta(days=100)).isoformat(), "small_claims")
    digest_send()
    client.force_login(users["judge"])
    assert '<span class="badge rounded-pill text-bg-warning">1</span>' in html(client.get("/clocks/"))
    page = html(client.get("/clocks/digests/"))
    assert 'data-testid="digest"' in page and "审理期限（小额诉讼）" in page
    assert Digest.objects.get(user=users["judge"]).read_at is not None


def test_court_admin_declares_a_closure_others_cannot(dated_case, client, users):
    case = dated_case("2026-02-14", "simple")
    client.force_login(users["court_admin"])
    r = client.post("/clocks/closures/", {"day": "2026-05-14", "reason": "台风红色预警停止办公"}, follow=True)
    assert "已公告闭院" in html(r) and "2026-05-14" in html(r)
    from yunting.core.clocks.selectors import deadlines_for

    assert deadlines_for(case)[0].due == date(2026, 5, 15)  # the closed day moved the end
    client.force_login(users["judge"])
    assert client.get("/clocks/closures/").status_code == 403
    assert client.post("/clocks/closures/", {"day": "2026-05-15", "reason": "x"}).status_code == 403
    assert CourtClosure.objects.count() == 1


def test_the_panel_in_english(dated_case, client, users):
    from django.conf import settings

    case = dated_case("2026-02-14", "simple")
    client.force_login(users["lawyer"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = html(client.get(f"/cases/{case.pk}/"))
    assert "Trial period (simple procedure)" in page and "How it was counted" in page and "审理期限" not in page


def test_division_head_decides_on_the_case_page(dated_case, client, users, head, access_of):
    from yunting.core.clocks import services

    case = head["assign"](dated_case((shanghai_today() - timedelta(days=20)).isoformat(), "simple"))
    client.force_login(head["division_head"])
    assert 'data-testid="extension-decide"' not in html(client.get(f"/cases/{case.pk}/"))  # nothing asked yet
    services.case_extension_request(access=access_of(users["judge"], case), actor=users["judge"], months=1,
                                    reason="鉴定未完成")
    page = html(client.get(f"/cases/{case.pk}/"))
    assert 'data-testid="extension-decide"' in page and "承办法官申请延长审理期限 1 个月" in page
    r = client.post(f"/clocks/cases/{case.pk}/extension/decide/", {"approved": "0", "reason": "理由不足",
                                                                   "back": "case"}, follow=True)
    assert r.redirect_chain[-1][0].startswith(f"/cases/{case.pk}/") and "已记录对" in html(r)
    assert case.journal.get(kind="case.extension_decided").payload == {"approved": False, "months": 0,
                                                                       "reason": "理由不足"}
    client.force_login(users["judge"])  # the judge asked; the judge does not decide
    assert 'data-testid="extension-decide"' not in html(client.get(f"/cases/{case.pk}/"))
