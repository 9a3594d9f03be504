"""Demo online filings, made through the filing workflow's own services (never by writing rows).

`filing_demo(orgs=…, users=…)` gives the demo cast something to see under 网上立案:

* the plaintiff (张伟): a half-filled draft; a submitted 民间借贷 filing with an element questionnaire and an
  uploaded evidence PDF; one the officer asked to supplement; one refused with reasons; one accepted (a case);
* the lawyer: one filed for the plaintiff (`on_behalf_of`), with the power of attorney uploaded;
* the bank: an institution key and a batch of JSON-lines records, processed here in the foreground; two
  records are deliberately bad so the batch report shows field-level reasons, the good ones wait in the review
  queue for 一键立案.

Idempotent: the people's filings are made once (in one transaction, so a failed run leaves none behind); the
bank's batch is the same bytes every time, so sending it again finds the batch already there.
"""

from __future__ import annotations

import io
import json
import random

from django.db import transaction
from django.db.models import Q

from yunting.kernel.pdf.make import simple_pdf
from yunting.kernel.security.identifiers import ric_check_char

from .acceptance import filing_accept
from .batches import batch_create, batch_process, institution_key_create
from .models import Filing, FilingBatch, InstitutionApiKey
from .services import (
    filing_add_document,
    filing_reject,
    filing_request_supplement,
    filing_save_draft,
    filing_submit,
)

FILING_CASES = 2  # cases the demo opens from filings: one accepted, one refused by a ruling (the count includes them)
BATCH_RECORDS = 20
BATCH_BAD = {6: {"claim_amount": "十万元"},
             13: {"claims": [], "defendant": {"id_number": "440306199001011234"}}}  # wrong check character
BANK_CODE = "914403001922115675"  # made up, with a correct GB 32100 check character
PLAINTIFF = {"role": "plaintiff", "kind": "natural", "name": "张伟", "id_number": "11010519491231002X",
             "phone": "13912345678", "address": "深圳市宝安区新安街道"}


def _defendant(name: str, **more) -> dict:
    return {"role": "defendant", "kind": "natural", "name": name, "address": "深圳市宝安区西乡街道", **more}


def _loan(amount: int, defendant: str, **over) -> dict:
    data = {
        "court": "粤0306", "case_type": "民初", "cause": "民间借贷纠纷", "procedure": "simple",
        "claim_amount": str(amount),
        "claims": [f"判令被告偿还借款本金{amount}元及逾期利息", "判令被告承担本案诉讼费用"],
        "parties": [dict(PLAINTIFF), _defendant(defendant)],
    }
    data.update(over)
    return data


def _upload(filing: Filing, actor, *, title: str, kind: str, body: str, pages: int = 1) -> None:
    pdf = simple_pdf(title=title, subtitle="云庭网上立案", body=body, pages=pages)
    from yunting.core.efile.intake import upload_check

    upload = filing_add_document(filing=filing, actor=actor, stream=io.BytesIO(pdf), title=title, kind=kind,
                                 filename=f"{title}.pdf")
    upload_check(upload_id=upload.pk)  # the demo's own PDFs: checked now, so the filing can be submitted at once


def _submitted(filer, data: dict, uploads=()) -> Filing:
    filing = filing_save_draft(filer=filer, data=data)
    for title, kind, body in uploads:
        _upload(filing, filer, title=title, kind=kind, body=body)
    return filing_submit(filing=filing, actor=filer)


@transaction.atomic
def _people(users) -> dict[str, int]:
    plaintiff, lawyer, officer = users["plaintiff"], users["lawyer"], users["filing_officer"]
    iou = ("借条", "evidence", "今借到张伟人民币伍万元整（¥50000），于2025年10月1日前归还。\n借款人：李娜\n2025年4月1日")
    # a half-filled draft: court, type and cause chosen, one party, nothing else yet
    filing_save_draft(filer=plaintiff, data={
        "court": "粤0306", "case_type": "民初", "cause": "买卖合同纠纷", "parties": [dict(PLAINTIFF)]})
    # submitted: an element-based complaint (要素式起诉状) with the IOU uploaded
    _submitted(plaintiff, _loan(50000, "李娜", facts="", questionnaire={
        "loan_date": "2025-04-01", "principal": "50000", "delivery": "银行转账", "interest": "无",
        "due_date": "2025-10-01", "repaid": "0", "voucher": "有"}), uploads=[iou])
    # the officer asks for more
    supplement = _submitted(plaintiff, _loan(
        30000, "王强", facts="2025年1月被告王强向原告借款30000元，承诺半年内归还，至今未还。"))
    filing_request_supplement(filing=supplement, actor=officer, days=15, request=(
        "1. 请补充借条或转账凭证等借款证据；\n2. 请补充被告王强的身份证号码及准确住址。"))
    # refused, with its reasons
    rejected = _submitted(plaintiff, _loan(
        8000, "陈明", facts="被告陈明于2019年借原告8000元，原告已于2024年就同一借款起诉并经判决。"))
    filing_reject(filing=rejected, actor=officer, reason=(
        "经审查，原告就同一借款已于2024年起诉，本院作出的判决已发生法律效力，本次起诉违反“一事不再理”原则"
        "（《民事诉讼法》第一百二十七条第五项），不予受理。"))
    # accepted: the flow's end, a registered case
    accepted = _submitted(plaintiff, _loan(
        120000, "刘洋", procedure="", facts="2024年6月被告刘洋向原告借款120000元用于经营，约定2025年6月归还，"
                                            "经多次催讨未还。"), uploads=[
        ("银行转账记录", "evidence", "转账日期：2024-06-10\n收款人：刘洋\n金额：120000.00元\n摘要：借款")])
    filing_accept(filing=accepted, actor=officer)
    # the lawyer files for the plaintiff, with the power of attorney
    _submitted(lawyer, _loan(
        66000, "赵磊", on_behalf_of="plaintiff",
        facts="2025年2月被告赵磊向原告借款66000元，约定三个月后归还，逾期未还。"), uploads=[
        ("授权委托书", "power_of_attorney", "委托人：张伟\n受托人：黄志强，广东宝城律师事务所律师\n"
                                          "代理权限：特别授权（代为起诉、调解、和解、上诉）。"),
        ("借款合同", "evidence", "出借人：张伟\n借款人：赵磊\n借款金额：66000元\n还款期限：三个月。")])
    return {"people": 6}


def bank_loan_record(rng: random.Random, *, external_id: str, contract_no: str,
                     principal: tuple[int, int] = (8_000, 300_000)) -> dict:
    """A realistic bank record of a defaulted personal loan (金融借款合同纠纷): a generated borrower with a
    checksummed ID number, as institutions send them in batches. Used by the demo and the filing benchmark."""
    amount = rng.randint(*principal)
    first = f"440306{rng.randint(1970, 2000)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(100, 999)}"
    name = rng.choice("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗") + rng.choice(
        ["建华", "秀梅", "志明", "丽娟", "国强", "海燕", "伟", "芳", "敏", "静", "磊", "洋"])
    return {
        "external_id": external_id, "case_type": "民初", "cause": "金融借款合同纠纷",
        "procedure": "simple" if amount < 100_000 else "",
        "claim_amount": f"{amount}.{rng.randint(0, 99):02d}",
        "claims": [f"判令被告偿还借款本金{amount}元及至实际清偿之日止的利息", "判令被告承担本案诉讼费用"],
        "facts": f"被告于2024年{rng.randint(1, 12)}月与原告签订《个人借款合同》（编号{contract_no}），借款{amount}元，"
                 "约定按月等额还款。被告自2025年起未按约还款，经催收仍未清偿。",
        "parties": [
            {"role": "plaintiff", "kind": "legal", "name": "深圳市宝安农商银行", "credit_code": BANK_CODE,
             "address": "深圳市宝安区新安街道"},
            _defendant(name, id_number=first + ric_check_char(first), phone=f"139{rng.randint(0, 99_999_999):08d}"),
        ],
    }


def _record(i: int, rng: random.Random) -> dict:
    record = bank_loan_record(rng, external_id=f"BRCB-2026-{i + 1:04d}", contract_no=f"JK2024{i + 1:05d}")
    bad = dict(BATCH_BAD.get(i, {}))
    record["parties"][1].update(bad.pop("defendant", {}))
    record.update(bad)
    return record


def batch_body() -> bytes:
    """The bank's batch, the same bytes on every run (seeded)."""
    rng = random.Random(2026)
    return "".join(json.dumps(_record(i, rng), ensure_ascii=False) + "\n" for i in range(BATCH_RECORDS)).encode()


def _bank(orgs) -> FilingBatch:
    bank, court = orgs["bank"], orgs["court"]
    key = InstitutionApiKey.objects.filter(institution=bank, court=court, revoked_at__isnull=True).first()
    if key is None:
        key, _raw = institution_key_create(institution=bank, court=court)  # the raw key is not needed here
    batch = batch_create(key=key, body=batch_body())  # the same bytes again: the batch already there
    return batch_process(batch_id=batch.pk)  # a batch already done (or leased by a worker) is left alone


def filing_demo(*, orgs, users) -> dict[str, int]:
    """Demo filings for the cast and the bank; returns counts (`created` is 0 when they were already there)."""
    created = 0
    if not Filing.objects.filter(filer__in=[users["plaintiff"], users["lawyer"]]).exists():
        created += _people(users)["people"]
    had_batch = FilingBatch.objects.filter(institution=orgs["bank"], court=orgs["court"]).exists()
    batch = _bank(orgs)
    if not had_batch:
        created += batch.filed
    return {
        "created": created,
        "filings": Filing.objects.filter(Q(court=orgs["court"]) | Q(filer__in=[users["plaintiff"], users["lawyer"]]))
        .exclude(payload__has_key="from_mediation").count(),  # a converted mediation's filing is not this demo's
        "awaiting_review": Filing.objects.filter(court=orgs["court"], status="submitted").count(),
        "batch_filed": batch.filed, "batch_invalid": batch.invalid,
    }
