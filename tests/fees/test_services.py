"""Fee notices, reconciliation, online payment, relief and refunds — through the services, with the real journal."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine

from yunting.core.fees.choices import FeeState, NoticeState
from yunting.core.fees.models import BankImport, FeeNotice, Payment, Refund, ReliefApplication
from yunting.core.fees.selectors import fee_states, fees_for_case, overdue_notices_for
from yunting.core.fees.services import (
    fee_pay_online,
    fee_payment_counter,
    fee_refund_pay_out,
    fee_relief_apply,
    fee_relief_decide,
    fee_statement_import,
)
from yunting.core.journal.services import journal_append
from yunting.kernel.common.errors import Conflict, PermissionDenied, ValidationFailed

pytestmark = pytest.mark.django_db


def test_the_acceptance_notice_issues_a_fee_notice_due_seven_days_later(make_case, users, entries_of, append):
    case = make_case(claim_amount="100000.00")
    journal_append(case=case, kind="filing.accepted", actor=users["filing_officer"],
                   payload={"fee": "2300.00", "fee_kind": "property"})
    with time_machine.travel("2026-02-05 10:00 +08:00", tick=False):
        entry = append(case=case, kind="filing.notice_issued", actor=users["filing_officer"],
                               payload={"fee": "2300.00"})
    notice = FeeNotice.objects.get(case=case)
    assert (notice.amount, notice.issued_on, notice.due_on) == (Decimal("2300.00"), date(2026, 2, 5), date(2026, 2, 12))
    assert notice.reference.startswith("YT") and notice.calc_kind == "property"
    assert notice.payer == "张伟"
    (issued,) = entries_of(case, "fee.notice_issued")
    assert issued.payload.items() >= {"notice_id": notice.pk, "amount": "2300.00", "kind": "acceptance",
                                   "issued_on": "2026-02-05"}.items()
    # the subscriber runs once per entry; run again by hand it changes nothing
    from yunting.core.fees.subscriptions import on_acceptance_notice

    on_acceptance_notice(entry)
    assert FeeNotice.objects.filter(case=case).count() == 1


def test_a_free_case_gets_no_notice(make_case, users, append):
    case = make_case()
    append(case=case, kind="filing.notice_issued", actor=users["filing_officer"], payload={"fee": "0.00"})
    assert not FeeNotice.objects.filter(case=case).exists()


def test_service_of_the_notice_restarts_the_seven_days(fee_case, users, append):
    case, notice = fee_case
    append(case=case, kind="service.completed", actor=users["service_officer"],
                   payload={"document_kind": "fee_notice", "served_on": "2026-11-23", "party_id": None,
                            "foreign": False})
    notice.refresh_from_db()
    assert (notice.served_on, notice.due_on) == (date(2026, 11, 23), date(2026, 11, 30))


def _csv(*lines: str) -> bytes:
    return ("reference,amount,date\n" + "\n".join(lines) + "\n").encode()


def test_bank_statement_reconciles_by_reference_and_by_case_number(fee_case, court, users, make_case, entries_of):
    case, notice = fee_case
    other = make_case(claim_amount="10000.00")
    from yunting.core.fees.services import fee_notice_issue

    other_notice = fee_notice_issue(case=other, amount="50.00", issued_on=date(2026, 11, 20))
    data = _csv(f"{notice.reference} 张伟 诉讼费,1300.00,2026-11-21",
                f"案号{other.number}受理费,50,2026-11-22",
                "YTZZZZZZZZZZ,10,2026-11-22",
                f"{notice.reference},abc,2026-11-22")
    statement = fee_statement_import(court=court, actor=users["filing_officer"], data=data, filename="boc.csv")
    outcomes = [(r["line"], r["outcome"]) for r in statement.report]
    assert outcomes == [(2, "matched"), (3, "matched"), (4, "unmatched"), (5, "invalid")]
    assert "1000.00" in statement.report[0]["message"]  # still owed, said in the line's report
    notice.refresh_from_db()
    other_notice.refresh_from_db()
    assert (notice.paid_amount, notice.state) == (Decimal("1300.00"), NoticeState.PART_PAID)
    assert other_notice.state == NoticeState.PAID
    (paid,) = entries_of(case, "fee.paid")
    assert paid.payload.items() >= {"notice_id": notice.pk, "amount": "1300.00", "paid_on": "2026-11-21",
                                 "channel": "bank_transfer"}.items()
    # the same statement again: every line a duplicate, nothing counted twice
    again = fee_statement_import(court=court, actor=users["filing_officer"], data=data, filename="boc.csv")
    assert [r["outcome"] for r in again.report][:2] == ["duplicate", "duplicate"]
    notice.refresh_from_db()
    assert notice.paid_amount == Decimal("1300.00") and Payment.objects.count() == 2


@pytest.mark.parametrize("who", ["judge", "clerk", "lawyer", "plaintiff"])
def test_only_fee_staff_import_statements_and_a_refusal_changes_nothing(fee_case, court, users, who, entries_of):
    case, notice = fee_case
    with pytest.raises(PermissionDenied):
        fee_statement_import(court=court, actor=users[who], data=_csv(f"{notice.reference},2300,2026-11-21"))
    assert not BankImport.objects.exists() and not Payment.objects.exists() and not entries_of(case, "fee.paid")


def test_an_unreadable_statement_is_refused_with_a_clear_error(court, users):
    with pytest.raises(ValidationFailed) as exc:
        fee_statement_import(court=court, actor=users["court_admin"], data=b"\n\n")
    assert exc.value.code == "fee_statement_empty"
    assert not BankImport.objects.exists()


def test_a_party_pays_online_through_the_named_fake_and_others_cannot(fee_case, users, entries_of):
    from yunting.core.fees.payments.fake import FakeOnlineGateway

    case, notice = fee_case
    for who in ("judge", "filing_officer", "defendant"):
        with pytest.raises(PermissionDenied):
            fee_pay_online(notice=notice, actor=users[who])
    payment = fee_pay_online(notice=notice, actor=users["lawyer"])
    assert payment.amount == Decimal("2300.00") and payment.channel == "online"
    assert FakeOnlineGateway.collected[-1]["reference"] == notice.reference
    notice.refresh_from_db()
    assert notice.state == NoticeState.PAID
    with pytest.raises(Conflict):
        fee_pay_online(notice=notice, actor=users["lawyer"])
    assert len(entries_of(case, "fee.paid")) == 1


def test_counter_payment_needs_a_receipt_and_fee_staff(fee_case, users):
    case, notice = fee_case
    with pytest.raises(PermissionDenied):
        fee_payment_counter(notice=notice, actor=users["clerk"], amount="2300", paid_on=date(2026, 11, 21),
                            receipt="R1")
    with pytest.raises(ValidationFailed):
        fee_payment_counter(notice=notice, actor=users["filing_officer"], amount="2300", paid_on=date(2026, 11, 21),
                            receipt=" ")
    fee_payment_counter(notice=notice, actor=users["filing_officer"], amount="2300", paid_on=date(2026, 11, 21),
                        receipt="R1")
    notice.refresh_from_db()
    assert notice.state == NoticeState.PAID


def test_reduction_must_be_at_least_thirty_percent_and_the_judge_decides(fee_case, users, entries_of):
    case, notice = fee_case
    with pytest.raises(ValidationFailed) as exc:
        fee_relief_apply(notice=notice, actor=users["lawyer"], kind="reduce", reason="原告生活困难，无力全额交纳",
                         amount="2000")
    assert exc.value.code == "fee_relief_reduction"
    with pytest.raises(PermissionDenied):
        fee_relief_apply(notice=notice, actor=users["clerk"], kind="reduce", reason="原告生活困难", amount="1000")
    assert not ReliefApplication.objects.exists() and not entries_of(case, "fee.relief_requested")
    application = fee_relief_apply(notice=notice, actor=users["lawyer"], kind="reduce",
                                   reason="原告生活困难，无力全额交纳", amount="1000")
    (requested,) = entries_of(case, "fee.relief_requested")
    assert requested.payload.items() >= {"kind": "reduce", "reason": "原告生活困难，无力全额交纳"}.items()
    with pytest.raises(Conflict):  # one pending application per notice
        fee_relief_apply(notice=notice, actor=users["plaintiff"], kind="defer", reason="下月发工资后交纳",
                         until="2026-12-20")
    for who in ("clerk", "lawyer", "assistant"):
        with pytest.raises(PermissionDenied):
            fee_relief_decide(application=application, actor=users[who], approve=True)
    fee_relief_decide(application=application, actor=users["judge"], approve=True, reason="符合司法救助条件")
    notice.refresh_from_db()
    assert notice.amount_due == Decimal("1000.00")
    (decided,) = entries_of(case, "fee.relief_decided")
    assert decided.payload.items() >= {"approved": True, "kind": "reduce", "amount": "1000.00"}.items()
    with pytest.raises(Conflict):
        fee_relief_decide(application=application, actor=users["judge"], approve=False, reason="再议")


def test_deferral_moves_the_last_day_and_a_waiver_is_for_natural_persons(fee_case, users, make_case):
    case, notice = fee_case
    app = fee_relief_apply(notice=notice, actor=users["plaintiff"], kind="defer", reason="下月发工资后交纳",
                           until="2026-12-20")
    fee_relief_decide(application=app, actor=users["filing_officer"], approve=True)
    notice.refresh_from_db()
    assert (notice.due_on, notice.deferred) == (date(2026, 12, 20), True)  # the day the court grants
    waive = fee_relief_apply(notice=notice, actor=users["plaintiff"], kind="waive", reason="享受最低生活保障")
    fee_relief_decide(application=waive, actor=users["judge"], approve=True)
    notice.refresh_from_db()
    assert (notice.amount_due, notice.state) == (Decimal("0.00"), NoticeState.WAIVED)


def test_a_company_cannot_have_the_fee_waived(make_case, users):
    from yunting.core.cases.models import Participation
    from yunting.core.fees.services import fee_notice_issue

    case = make_case()
    party = case.parties.get(role="plaintiff")
    party.kind = "legal"
    party.save(update_fields=["kind"])
    Participation.objects.filter(case=case, user=users["lawyer"]).update(party=party)
    notice = fee_notice_issue(case=case, amount="50", issued_on=date(2026, 11, 20))
    with pytest.raises(ValidationFailed) as exc:
        fee_relief_apply(notice=notice, actor=users["lawyer"], kind="waive", reason="公司经营困难无力交纳")
    assert exc.value.code == "fee_relief_waiver_person"


def _close(append, case, users, outcome):
    append(case=case, kind="case.closed", actor=users["judge"],
                   payload={"outcome": outcome, "closed_on": "2026-11-25", "document": None, "title": "裁定书"})


def test_mediation_refunds_half_and_the_payout_is_journaled(fee_case, users, entries_of, append):
    case, notice = fee_case
    fee_pay_online(notice=notice, actor=users["lawyer"])
    _close(append, case, users, "mediation")
    refund = Refund.objects.get(case=case)
    assert refund.amount == Decimal("1150.00") and "第十五条" in refund.reason
    assert fee_states([case.pk])[case.pk] == FeeState.REFUND_DUE
    _close(append, case, users, "mediation")  # a second closing entry computes nothing more
    assert Refund.objects.filter(case=case).count() == 1
    with pytest.raises(PermissionDenied):
        fee_refund_pay_out(refund=refund, actor=users["judge"])
    fee_refund_pay_out(refund=refund, actor=users["filing_officer"], paid_out_on="2026-11-30")
    (refunded,) = entries_of(case, "fee.refunded")
    assert refunded.payload.items() >= {"amount": "1150.00", "paid_out_on": "2026-11-30"}.items()
    assert fee_states([case.pk])[case.pk] == FeeState.REFUNDED
    with pytest.raises(Conflict):
        fee_refund_pay_out(refund=refund, actor=users["filing_officer"])


def test_a_simple_procedure_fee_already_halved_is_not_refunded_on_withdrawal(make_case, users, append):
    from yunting.core.fees.services import fee_notice_issue

    case = make_case(claim_amount="100000.00", procedure="simple")
    notice = fee_notice_issue(case=case, amount="1150.00", halved=True, calc_kind="property",
                              issued_on=date(2026, 11, 20))
    fee_pay_online(notice=notice, actor=users["lawyer"])
    _close(append, case, users, "withdrawal")
    assert not Refund.objects.filter(case=case).exists()


def test_fee_states_and_the_judges_list_of_unpaid_cases(fee_case, users, make_case):
    case, notice = fee_case
    paid_case = make_case(claim_amount="10000.00")
    from yunting.core.fees.services import fee_notice_issue

    paid = fee_notice_issue(case=paid_case, amount="50.00", issued_on=date(2026, 11, 20))
    fee_pay_online(notice=paid, actor=users["lawyer"])
    free = make_case()
    with time_machine.travel("2026-11-27 12:00 +08:00", tick=False):  # the last day to pay: not yet overdue
        assert fee_states([case.pk])[case.pk] == FeeState.UNPAID
        assert list(overdue_notices_for(users["judge"])) == []
    with time_machine.travel("2026-11-28 09:00 +08:00", tick=False):
        states = fee_states([case.pk, paid_case.pk, free.pk])
        assert states == {case.pk: "overdue", paid_case.pk: "paid", free.pk: "none"}
        assert [n.pk for n in overdue_notices_for(users["judge"])] == [notice.pk]
        assert [n.pk for n in overdue_notices_for(users["filing_officer"])] == [notice.pk]
        assert overdue_notices_for(users["lawyer"]) is None  # not a list a party ever sees
        assert overdue_notices_for(users["plaintiff"]) is None
        assert fees_for_case(case)[0].state == FeeState.OVERDUE
        # a relief application waiting for decision takes the case off the list
        fee_relief_apply(notice=notice, actor=users["lawyer"], kind="waive", reason="享受最低生活保障")
        assert list(overdue_notices_for(users["judge"])) == []
        assert fee_states([case.pk])[case.pk] == FeeState.RELIEF_PENDING


def test_another_judges_overdue_cases_are_not_on_my_list(fee_case, users, cast):
    from yunting.core.people.models import Membership, User

    other = User.objects.create(username="judge2", real_name="钱法官")
    Membership.objects.create(user=other, organisation=cast[0]["court"], role="judge")
    from yunting.core.cases.models import Participation

    Participation.objects.create(case=fee_case[0], user=users["assistant"], role="judge_assistant")
    with time_machine.travel("2026-12-10 09:00 +08:00", tick=False):
        assert overdue_notices_for(other) is None or list(overdue_notices_for(other)) == []
        assert overdue_notices_for(users["assistant"]) is None


def test_simple_to_ordinary_owes_the_other_half_and_mediation_gives_it_back(make_case, users, append, entries_of):
    from yunting.core.fees.services import fee_notice_issue

    case = make_case(claim_amount="100000.00", procedure="simple")
    halved = fee_notice_issue(case=case, amount="1150.00", halved=True, calc_kind="property",
                              issued_on=date(2026, 11, 2))
    append(case=case, kind="case.procedure_changed", actor=users["judge"],
           payload={"from": "simple", "to": "ordinary", "on": "2026-11-20", "reason": "案情复杂"})
    top_up = FeeNotice.objects.get(case=case, kind="top_up")
    assert top_up.amount == Decimal("1150.00")  # 2,300 for ordinary procedure − 1,150 already asked
    append(case=case, kind="case.procedure_changed", actor=users["judge"],
           payload={"from": "simple", "to": "ordinary", "on": "2026-11-21", "reason": "again"})
    assert FeeNotice.objects.filter(case=case, kind="top_up").count() == 1
    fee_pay_online(notice=halved, actor=users["lawyer"])
    fee_pay_online(notice=top_up, actor=users["lawyer"])
    _close(append, case, users, "mediation")
    (refund,) = Refund.objects.filter(case=case)
    assert (refund.notice_id, refund.amount) == (top_up.pk, Decimal("1150.00"))  # half of 2,300 is what is owed


def test_accepting_a_filing_issues_its_fee_notice_with_the_filing_fee(users, django_capture_on_commit_callbacks):
    from tests.filing.conftest import good_payload
    from yunting.workflows.filing.acceptance import filing_accept
    from yunting.workflows.filing.services import filing_save_draft, filing_submit

    filing = filing_submit(filing=filing_save_draft(filer=users["plaintiff"], data=good_payload()),
                           actor=users["plaintiff"])
    with django_capture_on_commit_callbacks(execute=True):
        case = filing_accept(filing=filing, actor=users["filing_officer"])
    notice = FeeNotice.objects.get(case=case)
    assert str(notice.amount) == filing.fee["fee"] == "1150.00"  # 100,000 yuan, simple procedure: halved
    assert notice.halved and notice.calc_kind == "property" and notice.payer == "张伟"
    assert fees_for_case(case)[0].state == FeeState.UNPAID


def test_a_court_taking_bank_transfers_only_offers_no_online_payment(fee_case, court, users):
    from yunting.core.courts.models import CourtSettings

    CourtSettings.objects.filter(court=court).update(fee_channel="bank_transfer")
    case, notice = fee_case
    with pytest.raises(Conflict) as exc:
        fee_pay_online(notice=notice, actor=users["lawyer"])
    assert exc.value.code == "fee_gateway_off" and not Payment.objects.exists()
    from django.test import Client

    client = Client()
    client.force_login(users["lawyer"])
    html = client.get(f"/cases/{case.pk}/").content.decode()
    assert 'data-testid="pay-online"' not in html and notice.reference in html


def test_a_court_declared_closure_on_the_last_day_moves_it_to_the_next_working_day(make_case, court):
    from yunting.core.clocks.models import CourtClosure
    from yunting.core.fees.services import fee_notice_issue

    CourtClosure.objects.create(court=court, day=date(2026, 11, 27), reason="台风红色预警停止办公")
    notice = fee_notice_issue(case=make_case(), amount="50", issued_on=date(2026, 11, 20))
    assert notice.due_on == date(2026, 11, 30)  # Friday closed, then the weekend


def test_treated_as_withdrawn_for_not_paying_the_notice_is_no_longer_demanded(fee_case, users, append, entries_of):
    case, notice = fee_case
    _close(append, case, users, "deemed_withdrawal")
    notice.refresh_from_db()
    assert notice.state == NoticeState.CANCELLED
    (cancelled,) = entries_of(case, "fee.notice_cancelled")
    assert cancelled.payload.items() >= {"notice_id": notice.pk, "outcome": "deemed_withdrawal"}.items()
    assert fee_states([case.pk])[case.pk] == FeeState.CANCELLED
    with pytest.raises(Conflict):
        fee_pay_online(notice=notice, actor=users["lawyer"])
    assert not Refund.objects.exists()


def test_a_judgment_leaves_an_unpaid_fee_demanded(fee_case, users, append):
    case, notice = fee_case
    _close(append, case, users, "judgment")
    notice.refresh_from_db()
    assert notice.state == NoticeState.UNPAID


def test_a_large_statement_is_stored_answered_at_once_and_reconciled_in_the_background(
        fee_case, court, users, django_capture_on_commit_callbacks):
    case, notice = fee_case
    data = _csv(f"{notice.reference},1000,2026-11-21", f"{notice.reference},1300,2026-11-22")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        statement = fee_statement_import(court=court, actor=users["filing_officer"], data=data, inline_max_lines=1)
    assert statement.status == "processing" and statement.report == [] and statement.line_count == 2
    assert not Payment.objects.exists()
    for callback in callbacks:  # the commit: the task is enqueued (and, in tests, runs at once)
        callback()
    statement.refresh_from_db()
    assert statement.status == "done" and statement.matched_count == 2
    notice.refresh_from_db()
    assert notice.state == NoticeState.PAID
    from yunting.core.fees.services import fee_statement_run

    assert fee_statement_run(import_id=statement.pk).matched_count == 2  # a second run changes nothing
    assert Payment.objects.count() == 2
