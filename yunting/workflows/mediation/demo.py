"""Demo: the court's mediation network — the coordinator (`coordinator`), three organisations with their mediators,
and one dispute in every state (new, assigned, mediating, agreed, failed, withdrawn, confirmed, converted), several
between the demo plaintiff (张伟) and the demo defendant (李娜). Each dispute is made once (keyed in its payload),
so a second run adds nothing.

Cases it opens: one 民诉前调 case per dispute, the 民特 case of the confirmed one, and the 民初 case the filing
officer registered from the converted one — MEDIATION_CASES in all."""

from __future__ import annotations

import io
from collections.abc import Callable

from django.db import transaction
from PIL import Image, ImageDraw

from yunting.core.people.models import User
from yunting.kernel.pdf.make import simple_pdf

from . import services
from .models import Agreement, Dispute, Risk

MEDIATION_CASES = 10  # 8 民诉前调 + 1 民特 (confirmed) + 1 民初 (the converted dispute's filing, accepted)
MEDIATION_LOGINS = [("mediator2", "陈雅芳", "调解员（金融纠纷调解中心）"), ("mediator3", "欧阳明", "调解员（律师调解工作室）"),
                    ("applicant", "陈阿水", "当事人（诉前调解）")]
ORGANISATIONS = [
    ("宝安区人民调解委员会", "committee", ["新安街道", "西乡街道"], ["neighbour", "family", "property", "loan"]),
    ("宝安区金融纠纷调解中心", "industry", ["新安街道", "西乡街道", "福永街道"], ["loan", "finance", "consumer"]),
    ("广东宝城律师调解工作室", "lawyer", ["新安街道", "沙井街道"], ["contract", "labour", "traffic"]),
]
RISKS = [
    ("民间借贷纠纷", "借条、转账记录是证明借贷关系的关键证据；只有借条没有交付凭证的，出借人可能需要进一步举证。"),
    ("民间借贷纠纷", "约定的利率超过合同成立时一年期贷款市场报价利率四倍的部分，法院不予支持。"),
    ("买卖合同纠纷", "货物质量异议应在约定或合理期限内提出，逾期可能视为质量符合约定。"),
]


def _strokes() -> bytes:
    img = Image.new("RGBA", (400, 150), (255, 255, 255, 0))
    ImageDraw.Draw(img).line([(20, 100), (90, 40), (160, 110), (250, 35), (380, 90)], fill=(20, 20, 20, 255), width=6)
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


_uploads: dict[int, str] = {}


def _upload(user, title: str, body: str) -> dict:
    """The submitter's own PDF through the one checked intake, checked now (as the filing demo does). One upload
    per submitter serves all their demo disputes (each names it with its own title): the demo stays quick."""
    from yunting.core.efile.intake import upload_check, upload_receive

    if user.pk not in _uploads:
        pdf = simple_pdf(title="证据材料", subtitle="云庭诉前调解（演示）", body=f"提交人：{user.display_name}。{body}")
        upload = upload_receive(streams=[io.BytesIO(pdf)], purpose="filing", user=user, intent={"title": title})
        upload_check(upload_id=upload.pk)
        _uploads[user.pk] = upload.pk
    return {"upload_id": _uploads[user.pk], "title": title, "kind": "evidence"}


def _person(username: str, real_name: str, password: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, real_name=real_name)
        user.set_password(password)
        user.save()
    return user


def _network(orgs, users, password: str) -> dict:
    coord = users["coordinator"]
    made = {}
    for name, kind, places, types in ORGANISATIONS:
        made[kind] = services.organisation_register(court=orgs["court"], name=name, kind=kind, actor=coord,
                                                    localities=places, specialisms=types, phone="0755-2789" + "1234")
    m = {
        "mediator": services.mediator_register(
            organisation=made["committee"], user=users["mediator"], actor=coord,
            specialisms=["neighbour", "family", "loan", "property"], causes=["民间借贷纠纷", "相邻关系纠纷"],
            localities=["新安街道"], languages=["普通话", "粤语"], capacity=12),
        "mediator2": services.mediator_register(
            organisation=made["industry"], user=_person("mediator2", "陈雅芳", password), actor=coord,
            specialisms=["loan", "finance"], causes=["金融借款合同纠纷", "信用卡纠纷"], localities=["西乡街道"],
            capacity=10),
        "mediator3": services.mediator_register(
            organisation=made["lawyer"], user=_person("mediator3", "欧阳明", password), actor=coord,
            specialisms=["contract", "labour"], causes=["买卖合同纠纷", "劳动争议"], localities=["沙井街道"],
            languages=["普通话", "客家话"], capacity=8),
    }
    return m


def _payload(key: str, *, cause: str, dispute_type: str, amount: str, claims: list[str], facts: str, parties: list,
             locality: str = "新安街道", documents=()) -> dict:
    return {"court": "粤0306", "cause": cause, "dispute_type": dispute_type, "locality": locality,
            "claim_amount": amount, "claims": claims, "facts": facts, "parties": parties, "documents": list(documents),
            "demo_key": key}


def _zhang_li(users, *, address="深圳市宝安区新安街道") -> list:
    p, d = users["plaintiff"], users["defendant"]
    return [{"role": "plaintiff", "kind": "natural", "name": p.real_name, "id_number": p.id_number, "phone": p.phone,
             "address": address},
            {"role": "defendant", "kind": "natural", "name": d.real_name, "address": "深圳市宝安区西乡街道",
             "phone": d.phone}]


def _submit(users, key: str, *, actor, link_defendant: bool, **kw) -> Dispute:
    dispute = services.dispute_submit(payload=_payload(key, **kw), actor=actor)
    if link_defendant:
        party = dispute.case.parties.get(role="defendant")
        services.dispute_link_party(dispute=dispute, party=party, user=users["defendant"], actor=users["coordinator"])
    return dispute


def _mediating(dispute, mediator, users, *, mode="thread"):
    coord = users["coordinator"]
    assignment = services.dispute_assign(dispute=dispute, mediator=mediator, actor=coord)
    services.assignment_accept(assignment=assignment, actor=mediator.user)
    services.mediation_start(dispute=dispute, actor=mediator.user, mode=mode)
    dispute.refresh_from_db()
    return dispute


def _signed(dispute, mediator, users, terms: list[str]) -> Agreement:
    agreement = services.agreement_draft(dispute=dispute, terms=terms, actor=mediator.user)
    for who in (users["plaintiff"], users["defendant"], mediator.user):
        agreement = services.agreement_sign(agreement=agreement, actor=who, strokes_png=_strokes(),
                                            device="云庭演示数据")
    return agreement


def _build(key: str, users, m, evidence_owner) -> None:
    plaintiff, coord = users["plaintiff"], users["coordinator"]

    def loan_docs():
        return [_upload(evidence_owner, "借条", "今借到张伟人民币伍万元整，于2025年11月1日前归还。借款人：李娜")]

    if key == "new":
        _submit(users, key, actor=plaintiff, link_defendant=True, cause="民间借贷纠纷", dispute_type="loan",
                amount="50000", claims=["请求被申请人归还借款50000元"], documents=loan_docs(),
                parties=_zhang_li(users),
                facts="2025年5月1日李娜向张伟借款50000元，约定同年11月1日归还，到期未还。")
    elif key == "assigned":
        d = _submit(users, key, actor=coord, link_defendant=False, cause="相邻关系纠纷", dispute_type="neighbour",
                    amount="", claims=["请求被申请人拆除遮挡采光的雨棚"], locality="西乡街道",
                    facts="申请人与被申请人系楼上楼下邻居，被申请人加装雨棚遮挡申请人窗户采光。",
                    documents=[_upload(coord, "现场照片说明", "雨棚位于三楼窗外，遮挡约一半窗户。")],
                    parties=[{"role": "plaintiff", "kind": "natural", "name": "何丽萍", "address": "深圳市宝安区西乡街道"},
                             {"role": "defendant", "kind": "natural", "name": "郭建华", "address": "深圳市宝安区西乡街道"}])
        services.dispute_assign(dispute=d, mediator=m["mediator"], actor=coord)
    elif key == "mediating":
        d = _submit(users, key, actor=plaintiff, link_defendant=True, cause="买卖合同纠纷", dispute_type="contract",
                    amount="36000", claims=["请求被申请人支付货款36000元"], parties=_zhang_li(users),
                    documents=[_upload(plaintiff, "送货单", "2025年8月送货三批，货款合计36000元，李娜签收。")],
                    facts="张伟向李娜供应建材，李娜签收后未支付货款36000元。")
        d = _mediating(d, m["mediator"], users)
        applicant = d.case.parties.get(role="plaintiff")
        services.proposal_post(dispute=d, actor=m["mediator"].user, kind="message", visibility="all",
                               text="双方好，本案由我主持调解。请先各自说明对货款数额的意见。")
        services.proposal_post(dispute=d, actor=users["defendant"], kind="message", visibility="mediator",
                               text="第三批货有质量问题，我最多认可30000元。")
        services.proposal_post(dispute=d, actor=m["mediator"].user, kind="message",
                               visibility=f"party:{applicant.pk}",
                               text="对方提出第三批货有质量问题，您是否有验收记录？")
        services.proposal_post(dispute=d, actor=m["mediator"].user, kind="proposal", visibility="all",
                               text="调解方案：李娜于2026年12月31日前支付货款33000元，张伟放弃其余请求。")
    elif key == "agreed":
        d = _submit(users, key, actor=plaintiff, link_defendant=True, cause="房屋租赁合同纠纷", dispute_type="property",
                    amount="12000", claims=["请求被申请人支付拖欠的房租12000元"], parties=_zhang_li(users),
                    documents=[_upload(plaintiff, "租赁合同", "张伟将新安街道某房屋出租给李娜，月租4000元。")],
                    facts="李娜承租张伟房屋，拖欠2025年7月至9月租金共12000元。")
        d = _mediating(d, m["mediator"], users)
        _signed(d, m["mediator"], users, ["李娜于2026年12月15日前向张伟支付租金12000元", "双方租赁合同继续履行"])
    elif key == "confirmed":
        d = _submit(users, key, actor=plaintiff, link_defendant=True, cause="民间借贷纠纷", dispute_type="loan",
                    amount="80000", claims=["请求被申请人归还借款80000元"], parties=_zhang_li(users),
                    documents=[_upload(plaintiff, "转账回单", "2025年3月2日张伟向李娜转账80000元。")],
                    facts="2025年3月2日李娜向张伟借款80000元，约定半年归还，到期未还。")
        d = _mediating(d, m["mediator"], users)
        _signed(d, m["mediator"], users, ["李娜分四期归还借款80000元，每期20000元，于每季度末前支付",
                                          "任何一期逾期未付，张伟可就剩余款项一并申请强制执行"])
        case = services.dispute_confirm(dispute=d, actor=plaintiff)
        paper = services.confirmation_rule(case=case, actor=users["judge"], granted=True)
        from yunting.core.papers.services import paper_seal

        paper_seal(paper=paper, actor=users["court_admin"])  # sealed: core/service serves it on both applicants
    elif key == "failed":
        d = _submit(users, key, actor=coord, link_defendant=False, cause="劳动争议", dispute_type="labour",
                    amount="18500", claims=["请求被申请人支付拖欠工资18500元"], locality="沙井街道",
                    facts="申请人在被申请人处工作，2025年8月至9月工资未发。",
                    documents=[_upload(coord, "考勤记录", "2025年8月、9月出勤记录。")],
                    parties=[{"role": "plaintiff", "kind": "natural", "name": "黄志明", "address": "深圳市宝安区沙井街道"},
                             {"role": "defendant", "kind": "legal", "name": "深圳市宝安沙井某电子厂",
                              "credit_code": "91110000600037341L", "address": "深圳市宝安区沙井街道"}])
        d = _mediating(d, m["mediator3"], users)
        services.dispute_record_findings(dispute=d, actor=m["mediator3"].user,
                                         undisputed=["黄志明于2025年8月、9月在被申请人处工作"],
                                         disputed=["加班工资的计算基数"])
        services.dispute_fail(dispute=d, actor=m["mediator3"].user, reason="双方对加班工资计算分歧较大，未能达成一致")
    elif key == "withdrawn":
        d = _submit(users, key, actor=plaintiff, link_defendant=True, cause="民间借贷纠纷", dispute_type="loan",
                    amount="6000", claims=["请求被申请人归还借款6000元"], parties=_zhang_li(users), documents=loan_docs(),
                    facts="李娜向张伟借款6000元未还。")
        services.dispute_withdraw(dispute=d, actor=plaintiff, reason="对方已主动还款")
    elif key == "converted":
        applicant = users["applicant"]
        d = _submit(users, key, actor=applicant, link_defendant=False, cause="物业服务合同纠纷", dispute_type="property",
                    amount="9600", claims=["请求被申请人退还多收的物业费9600元"], locality="新安街道",
                    facts="被申请人按超出备案标准的价格收取2024年全年物业费，多收9600元。",
                    documents=[_upload(applicant, "物业费收据", "2024年物业费收据，金额19200元。")],
                    parties=[{"role": "plaintiff", "kind": "natural", "name": applicant.real_name,
                              "address": "深圳市宝安区新安街道"},
                             {"role": "defendant", "kind": "legal", "name": "深圳市宝安某物业服务有限公司",
                              "credit_code": "91110000600037341L", "address": "深圳市宝安区新安街道"}])
        d = _mediating(d, m["mediator"], users)
        services.dispute_record_findings(dispute=d, actor=users["mediator"],
                                         undisputed=["申请人2024年缴纳物业费19200元"],
                                         disputed=["物业费收费标准是否经备案", "多收金额"])
        services.dispute_fail(dispute=d, actor=users["mediator"], reason="物业公司坚持收费标准合法，调解不成")
        filing = services.dispute_convert(dispute=d, actor=applicant)
        from yunting.workflows.filing.acceptance import filing_accept

        filing_accept(filing=filing, actor=users["filing_officer"])


STATES = ("new", "assigned", "mediating", "agreed", "confirmed", "failed", "withdrawn", "converted")


def mediation_demo(*, orgs, users, password: str = "", progress: Callable[[str], None] = lambda s: None) -> dict:
    """The network and one dispute in each state (made once each)."""
    users = {**users, "applicant": _person("applicant", "陈阿水", password or "demo-pass-123")}
    m = _network(orgs, users, password or "demo-pass-123")
    for cause_name, text in RISKS:
        from yunting.core.cases.models import Cause

        cause = Cause.objects.filter(name=cause_name).first()
        if cause is not None:
            Risk.objects.get_or_create(cause=cause, text=text)
    made = []
    _uploads.clear()
    for key in STATES:
        if Dispute.objects.filter(court=orgs["court"], payload__demo_key=key).exists():
            continue
        with transaction.atomic():
            _build(key, users, m, users["plaintiff"])
        made.append(key)
    progress(f"mediation: {len(made)} demo disputes made ({', '.join(made) or 'already present'}); "
             f"coordinator `coordinator`, mediators `mediator`, `mediator2`, `mediator3`")
    return {"made": made}
