"""Demo data: the named cast and 56 cases across types and stages, each with real PDF documents.

Deterministic (seeded) and idempotent: run it twice and nothing is duplicated.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from decimal import Decimal

from django.db import transaction

from yunting.core.cases.choices import CaseStatus
from yunting.core.cases.models import Case, CaseType, Cause
from yunting.core.cases.services import CaseInput, PartyInput, case_change_status, case_open
from yunting.core.courts.demo import DEMO_LOGINS, courts_demo
from yunting.core.fees.demo import fees_demo
from yunting.core.journal.services import DocumentInput, journal_append
from yunting.core.papers.demo import papers_demo
from yunting.kernel.blobs.store import blob_put_bytes
from yunting.kernel.pdf.make import simple_pdf
from yunting.kernel.security.identifiers import ric_check_char, uscc_check_char
from yunting.workflows.filing.demo import FILING_CASES, filing_demo
from yunting.workflows.filing.fees import fee_estimate
from yunting.workflows.mediation.demo import MEDIATION_CASES, MEDIATION_LOGINS

from .cast import CAST, cast_ensure

PLAN_CASES = 56  # opened directly, or by accepting a demo filing
# every case the demo makes: the plan's, plus the mediation network's 民诉前调, 民特 and converted 民初 cases
DEMO_CASES = PLAN_CASES + MEDIATION_CASES

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀英", "华", "建国",
         "晓东", "海燕", "志刚", "春梅", "宇航", "子涵", "浩然", "雨萱"]
COMPANIES = ["深圳市宝安农商银行", "深圳前海微众信贷有限公司", "深圳市鹏程物业管理有限公司", "广东华信建设工程有限公司",
             "深圳市新安电子科技有限公司", "深圳市海港物流有限公司", "招商银行股份有限公司深圳分行"]

# (type code, cause, weight)
PLAN = [
    ("民初", "民间借贷纠纷", 8), ("民初", "金融借款合同纠纷", 5), ("民初", "房屋租赁合同纠纷", 5), ("民初", "买卖合同纠纷", 4),
    ("民初", "机动车交通事故责任纠纷", 3), ("民初", "物业服务合同纠纷", 3), ("民初", "劳动争议", 3), ("民初", "离婚纠纷", 2),
    ("民初", "信用卡纠纷", 3), ("民终", "民间借贷纠纷", 2), ("民特", "申请司法确认调解协议", 3), ("民诉前调", "房屋租赁合同纠纷", 3),
    ("民诉前调", "物业服务合同纠纷", 2), ("执", "借款合同纠纷执行", 3), ("财保", "申请诉前财产保全", 1), ("刑更", "减刑", 3),
    ("刑更", "假释", 1), ("行初", "行政处罚", 1), ("民督", "金融借款合同纠纷", 1),
]
STAGES = [CaseStatus.REGISTERED, CaseStatus.IN_TRIAL, CaseStatus.MEDIATION, CaseStatus.HEARING_SCHEDULED,
          CaseStatus.DECIDED, CaseStatus.CLOSED]
PATHS = {
    CaseStatus.REGISTERED: [],
    CaseStatus.IN_TRIAL: [CaseStatus.IN_TRIAL],
    CaseStatus.MEDIATION: [CaseStatus.MEDIATION],
    CaseStatus.HEARING_SCHEDULED: [CaseStatus.IN_TRIAL, CaseStatus.HEARING_SCHEDULED],
    CaseStatus.DECIDED: [CaseStatus.IN_TRIAL, CaseStatus.HEARING_SCHEDULED, CaseStatus.DECIDED],
    CaseStatus.CLOSED: [CaseStatus.IN_TRIAL, CaseStatus.DECIDED, CaseStatus.CLOSED],
}

# How the demo's closed first-instance cases ended: the paper each was closed with (the lifecycle folds the outcome
# from it, so the e-file and the case's 结案方式 agree).
CLOSING_PAPERS = [("judgment", "民事判决书"), ("mediation_statement", "民事调解书"), ("ruling", "民事裁定书（准许撤诉）")]


def _person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def _id_number(rng: random.Random) -> str:
    first = f"440306{rng.randint(1960, 2000)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(100, 999)}"
    return first + ric_check_char(first)


def _credit_code(rng: random.Random) -> str:
    first = "91440306" + "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(9))
    return first + uscc_check_char(first)


def _doc(case: Case, title: str, kind: str, body: str, pages: int = 1) -> DocumentInput:
    pdf = simple_pdf(title=title, subtitle=case.number, body=body, pages=pages)
    blob = blob_put_bytes(pdf, allowed={"application/pdf"})
    return DocumentInput(sha256=blob.sha256, title=title, kind=kind)


def _complaint_text(case: Case, plaintiff: str, defendant: str, amount: Decimal | None) -> str:
    claim = f"判令被告偿还借款本金人民币{amount}元及利息；" if amount else "依法判令被告履行义务；"
    return (
        f"原告：{plaintiff}\n被告：{defendant}\n案由：{case.cause.name}\n诉讼请求：\n1.{claim}\n2.本案诉讼费用由被告承担。\n"
        f"事实与理由：原告与被告因{case.cause.name}发生争议，经多次协商未果，为维护原告合法权益，特诉至贵院。\n"
        "此致\n深圳市宝安区人民法院"
    )


def _case_plan(rng: random.Random) -> list[tuple[str, str]]:
    pool = [(t, c) for t, c, w in PLAN for _ in range(w)]
    rng.shuffle(pool)
    return pool[:PLAN_CASES] if len(pool) >= PLAN_CASES else (pool * 2)[:PLAN_CASES]


@transaction.atomic
def _one_case(i: int, type_code: str, cause_name: str, rng: random.Random, orgs, users) -> Case:
    case_type = CaseType.objects.get(code=type_code)
    cause = Cause.objects.get(name=cause_name)
    stage = STAGES[i % len(STAGES)] if type_code not in ("民特", "财保") else CaseStatus.CLOSED
    plaintiff_user = users["plaintiff"] if i % 4 == 0 else None
    defendant_user = users["defendant"] if i % 9 == 0 else None
    if type_code == "刑更":
        parties = [PartyInput(role="convict", kind="natural", name=_person(rng), id_number=_id_number(rng))]
        participants = [(users["prison_officer"], "prison_officer"), (users["procurator"], "procurator")]
    else:
        if rng.random() < 0.35:
            company = rng.choice(COMPANIES)
            plaintiff = PartyInput(role="plaintiff", kind="legal", name=company, credit_code=_credit_code(rng))
        else:
            plaintiff = PartyInput(
                role="plaintiff", kind="natural", name=plaintiff_user.real_name if plaintiff_user else _person(rng),
                id_number=plaintiff_user.id_number if plaintiff_user else _id_number(rng), user=plaintiff_user,
                phone=f"139{rng.randint(10000000, 99999999)}", address="深圳市宝安区新安街道",
            )
        defendant = PartyInput(
            role="defendant", kind="natural", name=defendant_user.real_name if defendant_user else _person(rng),
            id_number=defendant_user.id_number if defendant_user else _id_number(rng), user=defendant_user,
            phone=f"137{rng.randint(10000000, 99999999)}", address="深圳市宝安区西乡街道",
        )
        if type_code in ("民特", "民诉前调", "财保", "民督"):
            plaintiff.role, defendant.role = "applicant", "respondent"
        if type_code == "民终":
            plaintiff.role, defendant.role = "appellant", "appellee"
        parties = [plaintiff, defendant]
        participants = []
        if type_code in ("民诉前调", "民特") or stage == CaseStatus.MEDIATION:
            participants.append((users["mediator"], "mediator"))
        if i % 3 == 0:
            participants.append((users["lawyer"], "lawyer"))
        if i % 7 == 0:
            participants.append((users["appraiser"], "appraiser"))
        if i % 8 == 0:
            participants.append((users["point_staff"], "service_point_staff"))
    if i % 5 != 4:  # the judge and their team sit on most cases, not all
        participants += [(users["judge"], "presiding_judge"), (users["assistant"], "judge_assistant"),
                         (users["clerk"], "clerk")]
    # the service officer is on no case: they work from the service centre's queue, which shows what a task needs
    # and none of the merits (core/service)
    amount = Decimal(rng.randrange(5_000, 2_000_000, 100)) if cause.category == "civil" and type_code != "民特" else None
    data = CaseInput(
        court=orgs["court"], case_type=case_type, cause=cause, parties=parties, participants=participants,
        claim_amount=amount, security_level="secret" if i == 13 else "internal",
    )
    case = case_open(data=data, actor=users["filing_officer"])
    case.cause = cause
    names = [p.name for p in parties]
    first_kind = "commutation_proposal" if type_code == "刑更" else (
        "enforcement_application" if type_code == "执" else "complaint")
    first_title = {"commutation_proposal": "减刑建议书", "enforcement_application": "执行申请书"}.get(first_kind, "起诉状")
    journal_append(
        case=case, kind="filing.submitted", actor=plaintiff_user or users["filing_officer"],
        payload={"channel": "online"},
        documents=[
            _doc(case, first_title, first_kind, _complaint_text(case, names[0], names[-1], amount), pages=2),
            _doc(case, "身份证明", "identity", f"当事人：{names[0]}\n身份信息已核验（实名认证）。"),
            _doc(case, "证据清单", "evidence_list", "1. 借款合同一份\n2. 银行转账记录一份\n3. 催收记录一份"),
        ],
    )
    journal_append(
        case=case, kind="notice.issued", actor=users["clerk"],
        documents=[_doc(case, "受理通知书", "acceptance_notice",
                        f"{names[0]}：\n你诉{names[-1]}{cause.name}一案，本院已立案受理，案号为{case.number}。")],
    )
    for status in PATHS[stage]:
        case_change_status(case=case, status=status, actor=users["judge"])
        if status == CaseStatus.IN_TRIAL:
            journal_append(case=case, kind="hearing.transcript_signed", actor=users["clerk"], documents=[
                _doc(case, "庭审笔录", "hearing_transcript",
                     "审判长：现在开庭。\n原告：坚持诉讼请求。\n被告：对借款事实无异议，但请求分期还款。", pages=3)])
        if status == CaseStatus.DECIDED:
            journal_append(case=case, kind="deliberation.recorded", actor=users["judge"], documents=[
                _doc(case, "审理报告", "trial_report", "合议庭评议意见：事实清楚，证据充分，建议支持原告诉讼请求。")])
            kind, title = ("ruling", "民事裁定书") if type_code in ("民特", "财保", "刑更") else ("judgment", "民事判决书")
            if stage == CaseStatus.CLOSED and type_code == "民初":  # closed 民初 cases end in each way in turn
                kind, title = CLOSING_PAPERS[(i // len(STAGES)) % len(CLOSING_PAPERS)]
            journal_append(case=case, kind="decision.issued", actor=users["judge"], documents=[
                _doc(case, title, kind, f"{case.number}\n本院认为，……\n判决如下：\n被告于本判决生效之日起十日内履行义务。", pages=2)])
    return case


def _acceptance_fee(case: Case) -> Decimal:
    """The case-acceptance fee the notices print, from the filing workflow's calculator."""
    if case.claim_amount is None:
        return Decimal(fee_estimate("other-nonproperty", None, False)["fee"])
    return Decimal(fee_estimate("property", case.claim_amount, False)["fee"])


def demo_load(*, password: str, progress: Callable[[str], None] = lambda s: None, papers: int = 3) -> dict:
    """Cast, cases, and (in `papers` cases) real signed and court-sealed papers. Safe to run again."""
    orgs, users = cast_ensure(password=password)
    # the demo's cases: opened directly, and FILING_CASES more by accepting a demo filing (at the end)
    existing = Case.objects.filter(court=orgs["court"], filing__isnull=True).count()
    created = 0
    if existing < PLAN_CASES - FILING_CASES:
        rng = random.Random(2026)
        plan = _case_plan(rng)[:PLAN_CASES - FILING_CASES]
        for i, (type_code, cause_name) in enumerate(plan[existing:], start=existing):
            case = _one_case(i, type_code, cause_name, rng, orgs, users)
            progress(f"[{i + 1}/{PLAN_CASES}] {case.number} {case.title}")
            created += 1
    else:
        progress(f"demo cases already present ({existing}); nothing to add")
    if papers:
        progress("issuing, signing and sealing demo papers…")
        papers_demo(orgs=orgs, users=users, cases=papers, progress=progress, fee_for=_acceptance_fee)
    filings = filing_demo(orgs=orgs, users=users)
    progress(f"filings: {filings['filings']} online filings ({filings['created']} new), "
             f"{filings['awaiting_review']} awaiting review; bank batch {filings['batch_filed']} filed, "
             f"{filings['batch_invalid']} refused")
    # issue 14's network opens its own 民诉前调 / 民特 / 民初 cases: before the court's lifecycle demo, which then
    # records them like every other case (so a second run finds nothing left to assign or close)
    from yunting.workflows.mediation.demo import mediation_demo

    mediation_demo(orgs=orgs, users=users, password=password, progress=progress)
    # issue 10's demos, in order: the court assigns, then clocks suspend/extend some, then fees pay some
    lifecycle = courts_demo(orgs=orgs, users=users, password=password, progress=progress)
    from yunting.core.clocks.demo import clocks_demo

    clocks_demo(orgs=orgs, users=users, password=password, progress=progress)
    from yunting.core.rooms.demo import rooms_demo

    rooms_demo(orgs=orgs, users=users, password=password, progress=progress)
    from yunting.core.rooms.media.demo import rooms_media_demo

    rooms_media_demo(orgs=orgs, users=users, progress=progress)
    from yunting.core.service.demo import service_demo

    service_demo(orgs=orgs, users=users, progress=progress)
    from yunting.workflows.asynctrial.demo import asynctrial_demo

    asynctrial_demo(orgs=orgs, users=users, progress=progress)
    from yunting.workflows.archive.demo import archive_demo

    archive_demo(orgs=orgs, users=users, progress=progress)
    from yunting.workflows.hearings.demo import hearings_demo

    hearings_demo(orgs=orgs, users=users, progress=progress)
    from yunting.workflows.transcripts.demo import transcripts_demo

    transcripts_demo(orgs=orgs, users=users, progress=progress)
    from yunting.workflows.scanning.demo import scanning_demo

    scanning_demo(orgs=orgs, users=users, progress=progress)
    from yunting.workflows.casespace.demo import casespace_demo

    casespace_demo(orgs=orgs, users=users, progress=progress)
    # issue 20 (case space extras): a payout in progress and a live outreach session of the demo judge
    from yunting.workflows.broadcasts.demo import broadcasts_demo
    from yunting.workflows.payouts.demo import payouts_demo

    payouts_demo(orgs=orgs, users=users, progress=progress)
    broadcasts_demo(orgs=orgs, users=users, progress=progress)
    from yunting.workflows.sharedcourt.demo import sharedcourt_demo

    sharedcourt_demo(orgs=orgs, users=users, password=password, progress=progress)
    from yunting.workflows.witnesses.demo import witnesses_demo

    witnesses_demo(orgs=orgs, users=users, progress=progress)
    # fees last: every case the demos above open gets its fee notice on the first run, so a second run adds none
    fees_demo(orgs=orgs, users=users, fee_for=_acceptance_fee, progress=progress)
    return {"created": created, "cases": Case.objects.filter(court=orgs["court"]).count(), "filings": filings,
            "lifecycle": lifecycle}


def demo_logins() -> list[tuple[str, str, str]]:
    from yunting.core.rooms.demo import ROOMS_LOGINS
    from yunting.workflows.sharedcourt.demo import SHAREDCOURT_LOGINS

    return ([(m.username, m.real_name, str(m.role.label)) for m in CAST] + DEMO_LOGINS + ROOMS_LOGINS
            + MEDIATION_LOGINS + SHAREDCOURT_LOGINS)
