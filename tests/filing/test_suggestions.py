"""Cause and jurisdiction suggestions carry their reasons and change nothing."""

import pytest

from yunting.workflows.filing.suggestions import filing_suggestions

pytestmark = pytest.mark.django_db


def test_a_bank_loan_filed_as_private_lending_gets_a_cause_suggestion(submitted):
    filing = submitted(parties=[
        {"role": "plaintiff", "kind": "legal", "name": "深圳市宝安农商银行"},
        {"role": "defendant", "kind": "natural", "name": "李娜", "address": "深圳市宝安区西乡街道"},
    ])
    [s] = filing_suggestions(filing)
    assert (s.field, s.value) == ("cause", "金融借款合同纠纷")
    assert "借款" in s.reason and "金融机构" in s.reason
    filing.refresh_from_db()
    assert filing.cause.name == "民间借贷纠纷"  # never applied


def test_a_matching_cause_and_local_defendant_give_no_suggestion(submitted):
    assert filing_suggestions(submitted()) == []


def test_a_defendant_elsewhere_raises_jurisdiction(submitted):
    filing = submitted(parties=[
        {"role": "plaintiff", "kind": "natural", "name": "张伟"},
        {"role": "defendant", "kind": "natural", "name": "李娜", "address": "广州市天河区体育西路"},
    ])
    [s] = filing_suggestions(filing)
    assert s.field == "court" and "宝安区" in s.reason and "天河区" in s.reason
    agreed = submitted(facts="双方借款合同约定管辖为原告住所地法院，被告借款未还。", parties=[
        {"role": "plaintiff", "kind": "natural", "name": "张伟"},
        {"role": "defendant", "kind": "natural", "name": "李娜", "address": "广州市天河区体育西路"},
    ])
    assert filing_suggestions(agreed) == []


def test_labour_disputes_need_arbitration_first(submitted):
    filing = submitted(cause="劳动争议", claim_amount="", facts="原告在被告处工作，被告拖欠工资三个月。",
                       claims=["判令被告支付拖欠工资"])
    [s] = filing_suggestions(filing)
    assert s.field == "documents" and "仲裁" in s.reason
    assert filing.fee["fee"] == "5.00"  # labour: 10 yuan, halved in simple procedure
