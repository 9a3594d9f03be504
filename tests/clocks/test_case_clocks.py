"""A case's deadlines follow its journal: trial period by procedure, suspension, excluded intervals, extensions
approved by the right person, periods that run from service, fees paid, closure — and only the right people act."""

from datetime import date

import pytest
from django.test import Client

from yunting.core.clocks import services
from yunting.core.clocks.models import Deadline
from yunting.core.clocks.selectors import deadlines_for, next_deadlines, warnings_for
from yunting.core.journal.services import journal_append
from yunting.kernel.common.errors import Conflict, PermissionDenied, ValidationFailed

pytestmark = pytest.mark.django_db
D = date.fromisoformat
TODAY = D("2026-04-01")


def by_key(case, today=TODAY):
    return {d.key: d for d in deadlines_for(case, today=today)}


def test_trial_period_by_procedure_from_registration(dated_case):
    simple = by_key(dated_case("2026-02-14", "simple"))["trial"]
    assert (simple.kind, simple.due, simple.starts_on) == ("trial-simple", D("2026-05-14"), D("2026-02-14"))
    assert "第一百六十四条" in simple.basis and simple.status == "running"
    assert by_key(dated_case("2026-02-14", "ordinary"))["trial"].due == D("2026-08-14")


def test_simple_to_ordinary_keeps_counting_from_registration(dated_case, users):
    case = dated_case("2026-02-14", "simple")
    journal_append(case=case, kind="case.procedure_changed", actor=users["judge"],
                   payload={"from": "simple", "to": "ordinary", "on": "2026-04-20", "reason": "案情复杂"})
    trial = by_key(case)["trial"]
    assert (trial.kind, trial.due) == ("trial-ordinary", D("2026-08-14"))
    assert Deadline.objects.get(case=case, key="trial").due == D("2026-08-14")  # the index followed


def test_suspension_stops_the_clock_and_resumption_restarts_it(dated_case, users, access_of):
    case = dated_case("2026-02-14", "simple")
    access = access_of(users["judge"], case)
    services.case_suspend(access=access, actor=users["judge"], on="2026-03-01", reason="等待另案审理结果")
    trial = by_key(case, today=D("2026-03-05"))["trial"]
    assert trial.status == "suspended"
    with pytest.raises(Conflict):
        services.case_suspend(access=access, actor=users["judge"], on="2026-03-02", reason="again")
    services.case_resume(access=access, actor=users["judge"], on="2026-03-11")
    trial = by_key(case)["trial"]
    # 03-01 … 03-10 not counted: 05-14 + 10 = 05-24 (Sunday) → 05-25
    assert (trial.status, trial.excluded_days, trial.due) == ("running", 10, D("2026-05-25"))
    with pytest.raises(Conflict):
        services.case_resume(access=access, actor=users["judge"], on="2026-03-12")


def test_excluded_intervals_and_bad_input_change_nothing(dated_case, users, access_of):
    case = dated_case("2026-02-14", "simple")
    access = access_of(users["judge"], case)
    services.case_exclude_period(access=access, actor=users["judge"], kind="appraisal",
                                 start="2026-03-01", end="2026-03-10")
    assert by_key(case)["trial"].due == D("2026-05-25")
    before = case.journal.count()
    for kw, code in [({"kind": "holiday", "start": "2026-03-01", "end": "2026-03-02"}, "clocks_excluded_kind"),
                     ({"kind": "appraisal", "start": "2026-03-05", "end": "2026-03-01"}, "clocks_interval_backwards"),
                     ({"kind": "appraisal", "start": "2026-01-05", "end": "2026-03-01"}, "clocks_before_registration"),
                     ({"kind": "appraisal", "start": "3/1", "end": "2026-03-01"}, "clocks_bad_date")]:
        with pytest.raises(ValidationFailed) as exc:
            services.case_exclude_period(access=access, actor=users["judge"], **kw)
        assert exc.value.code == code
    assert case.journal.count() == before


def test_only_the_judge_moves_the_trial_clock(dated_case, users, access_of):
    case = dated_case()
    for name in ("clerk", "lawyer"):
        with pytest.raises(PermissionDenied):
            services.case_suspend(access=access_of(users[name], case), actor=users[name], on="2026-03-05",
                                  reason="x")


def test_extension_request_and_approval_by_the_division_head(dated_case, users, access_of, head):
    case = head["assign"](dated_case("2026-02-14", "simple"))
    access = access_of(users["judge"], case)
    with pytest.raises(ValidationFailed):
        services.case_extension_request(access=access, actor=users["judge"], months=2, reason="鉴定")  # cap 1
    services.case_extension_request(access=access, actor=users["judge"], months=1, reason="鉴定未完成")
    assert "待审批" in by_key(case)["trial"].note
    with pytest.raises(PermissionDenied):
        services.case_extension_decide(case=case, actor=users["judge"], approved=True, reason="同意")
    services.case_extension_decide(case=case, actor=head["division_head"], approved=True, reason="同意")
    trial = by_key(case)["trial"]
    assert (trial.extension_months, trial.due) == (1, D("2026-06-15"))  # 06-14 is a Sunday
    with pytest.raises(Conflict):  # the simple procedure's cap (4 months in all) is reached
        services.case_extension_request(access=access, actor=users["judge"], months=1, reason="再延")


def test_ordinary_extension_needs_the_president(dated_case, users, access_of, head):
    case = dated_case("2026-02-14", "ordinary")
    services.case_extension_request(access=access_of(users["judge"], case), actor=users["judge"], months=6,
                                    reason="案情重大复杂")
    with pytest.raises(PermissionDenied):
        services.case_extension_decide(case=case, actor=head["division_head"], approved=True, reason="同意")
    services.case_extension_decide(case=case, actor=head["president"], approved=False, reason="理由不足")
    assert by_key(case)["trial"].due == D("2026-08-14")


def test_periods_run_from_service(dated_case, users, access_of):
    case = dated_case("2026-03-02", "simple")
    defendant = case.parties.get(role="defendant")
    access = access_of(users["clerk"], case)
    services.service_register(access=access, actor=users["clerk"], document_kind="complaint",
                              served_on="2026-03-02", party_id=defendant.pk)
    got = by_key(case, today=D("2026-03-10"))
    answer = got[f"answer:{defendant.pk}"]
    assert (answer.kind, answer.due, answer.party_name) == ("answer", D("2026-03-17"), "李娜")
    assert got[f"evidence:{defendant.pk}"].kind == "evidence-simple"
    with pytest.raises(ValidationFailed):
        services.service_register(access=access, actor=users["clerk"], document_kind="letter", served_on="2026-03-02")
    with pytest.raises(PermissionDenied):
        services.service_register(access=access_of(users["lawyer"], case), actor=users["lawyer"],
                                  document_kind="complaint", served_on="2026-03-02")


def test_foreign_party_gets_thirty_days(dated_case, users, access_of):
    case = dated_case("2026-03-02")
    defendant = case.parties.get(role="defendant")
    services.service_register(access=access_of(users["judge"], case), actor=users["judge"],
                              document_kind="complaint", served_on="2026-03-02", party_id=defendant.pk, foreign=True)
    assert by_key(case)[f"answer:{defendant.pk}"].kind == "answer-foreign"


def test_fee_payment_from_the_notice_then_its_service_until_paid(dated_case, users, access_of):
    case = dated_case("2026-02-02")
    journal_append(case=case, kind="fee.notice_issued", actor=users["filing_officer"],
                   payload={"notice_id": 7, "amount": "2300.00", "kind": "acceptance", "issued_on": "2026-02-02"})
    assert by_key(case, today=D("2026-02-03"))["fee:7"].due == D("2026-02-09")
    services.service_register(access=access_of(users["clerk"], case), actor=users["clerk"],
                              document_kind="fee_notice", served_on="2026-02-05")
    fee = by_key(case, today=D("2026-02-13"))["fee:7"]
    assert (fee.due, fee.status) == (D("2026-02-12"), "overdue")  # DOMAIN.md worked example
    journal_append(case=case, kind="fee.paid", actor=None, payload={
        "notice_id": 7, "amount": "2300.00", "paid_on": "2026-02-12", "reference": "B1", "channel": "bank"})
    assert by_key(case, today=D("2026-02-13"))["fee:7"].status == "done"


def test_appeal_period_after_judgment_and_closure_stops_the_trial_clock(dated_case, users, access_of):
    case = dated_case("2026-06-01", "simple")
    plaintiff = case.parties.get(role="plaintiff")
    journal_append(case=case, kind="case.closed", actor=users["judge"], payload={
        "outcome": "judgment", "closed_on": "2026-09-21", "document": None, "title": "民事判决书"})
    services.service_register(access=access_of(users["clerk"], case), actor=users["clerk"],
                              document_kind="judgment", served_on="2026-09-22", party_id=plaintiff.pk)
    got = by_key(case, today=D("2026-09-23"))
    assert got["trial"].status == "done"
    appeal = got[f"appeal:judgment:{plaintiff.pk}"]
    assert (appeal.due, appeal.status) == (D("2026-10-08"), "running")
    assert by_key(case, today=D("2026-10-09"))[f"appeal:judgment:{plaintiff.pk}"].status == "expired"


def test_near_and_overdue_and_the_warning_lists(dated_case, users, head):
    due_soon = head["assign"](dated_case("2026-02-14", "simple"))            # due 2026-05-14
    fine = dated_case("2026-04-01", "ordinary")                               # due 10-01 → after National Day 10-08
    late = head["assign"](dated_case("2026-01-05", "small_claims"), "small_claims")  # due 2026-03-05
    today = D("2026-05-11")
    assert by_key(due_soon, today)["trial"].status == "near"
    assert by_key(late, today)["trial"].status == "overdue"
    mine = [(w.case.pk, w.deadline.status) for w in warnings_for(users["judge"], today=today)]
    assert mine == [(late.pk, "overdue"), (due_soon.pk, "near")] and fine.pk not in dict(mine)
    assert warnings_for(users["plaintiff"], today=today) == []  # a party never sees a judge's list
    assert [w.case.pk for w in warnings_for(head["division_head"], scope="led", today=today)] == [late.pk, due_soon.pk]
    nxt = next_deadlines([due_soon.pk, fine.pk, late.pk], today=today)
    assert nxt[fine.pk].due == D("2026-10-08") and nxt[late.pk].status == "overdue"


def test_recompute_rebuilds_the_index(dated_case):
    case = dated_case("2026-02-14")
    Deadline.objects.all().delete()
    assert services.clocks_recompute() >= 1
    assert Deadline.objects.get(case=case, key="trial").due == D("2026-05-14")


def test_digest_once_a_day(dated_case, users, settings):
    from yunting.core.clocks.models import Digest
    from yunting.kernel.notify.models import OutboxMessage

    settings.DEADLINE_DIGEST_SMS = True
    dated_case("2026-02-14", "simple")
    assert services.digest_send(today=D("2026-05-12")) >= 1
    digest = Digest.objects.get(user=users["judge"], day=D("2026-05-12"))
    assert digest.near == 1 and digest.items[0]["label"] == "审理期限（简易程序）"
    assert services.digest_send(today=D("2026-05-12")) == 0
    assert OutboxMessage.objects.filter(purpose="clocks:digest").exists()


# --- the API ---------------------------------------------------------------------------------------------------
def test_api_case_deadlines_for_participants_404_for_others(dated_case, bearer, users):
    case = dated_case("2026-02-14", "simple")
    r = bearer("lawyer").get(f"/api/v1/cases/{case.pk}/deadlines")
    assert r.status_code == 200
    item = r.json()["items"][0]
    assert {"kind", "due", "starts_on", "status", "basis", "excluded_days"} <= set(item)
    assert (item["kind"], item["due"], item["starts_on"]) == ("trial-simple", "2026-05-14", "2026-02-14")
    assert bearer("defendant").get(f"/api/v1/cases/{case.pk}/deadlines").status_code == 404
    assert bearer("defendant").get("/api/v1/cases/99999999/deadlines").status_code == 404
    assert Client().get(f"/api/v1/cases/{case.pk}/deadlines").status_code == 401


def test_provisional_deadlines_are_recomputed_once_the_year_is_published(dated_case, monkeypatch):
    from yunting.kernel.calendar import deadlines

    case = dated_case("2026-12-20", "ordinary")  # due in June 2027: provisional today
    row = Deadline.objects.get(case=case, key="trial")
    assert row.provisional and services.clocks_stale_case_ids() == []
    monkeypatch.setattr(deadlines, "official_last_year", lambda: 2027)
    import yunting.kernel.calendar as cal

    monkeypatch.setattr(cal, "official_last_year", lambda: 2027)
    assert services.clocks_stale_case_ids() == [case.pk]


def test_clocks_command(dated_case):
    from io import StringIO

    from django.core.management import call_command

    dated_case("2026-02-14")
    Deadline.objects.all().delete()
    out = StringIO()
    call_command("clocks", "recompute", stdout=out)
    assert "重新计算完成：1 项期限" in out.getvalue() and Deadline.objects.count() == 1


def test_appeal_period_runs_from_the_closing_judgment_until_service_is_registered(dated_case, users, access_of):
    case = dated_case("2026-06-01", "simple")
    journal_append(case=case, kind="case.closed", actor=users["judge"], payload={
        "outcome": "judgment", "closed_on": "2026-09-22", "document": None, "title": "民事判决书"})
    appeal = by_key(case, today=D("2026-09-23"))["appeal:judgment:0"]
    assert (appeal.kind, appeal.due, appeal.status) == ("appeal-judgment", D("2026-10-08"), "running")
    assert Deadline.objects.get(case=case, key="appeal:judgment:0").due == D("2026-10-08")  # workbench, lists
    plaintiff = case.parties.get(role="plaintiff")
    services.service_register(access=access_of(users["clerk"], case), actor=users["clerk"],
                              document_kind="judgment", served_on="2026-09-24", party_id=plaintiff.pk)
    got = by_key(case, today=D("2026-09-25"))
    assert "appeal:judgment:0" not in got and got[f"appeal:judgment:{plaintiff.pk}"].due == D("2026-10-09")


def test_no_appeal_period_after_mediation_or_withdrawal(dated_case, users):
    case = dated_case("2026-06-01", "simple")
    journal_append(case=case, kind="case.closed", actor=users["judge"], payload={
        "outcome": "withdrawal", "closed_on": "2026-09-22", "document": None, "title": "民事裁定书"})
    assert [d.key for d in deadlines_for(case, today=D("2026-09-23"))] == ["trial"]
