"""Demo: an open asynchronous exchange (items in every state) and a closed one with its report, both in civil
cases the demo judge hears between the demo plaintiff (张伟) and the demo defendant (李娜). Idempotent."""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

from yunting.core.cases.access import access_case_for
from yunting.core.cases.models import Case, CaseType, Cause, Party
from yunting.core.cases.services import CaseInput, PartyInput, case_add_participant, case_open

from . import services
from .models import Exchange

TITLES = ("张伟诉李娜民间借贷纠纷（异步审理演示·进行中）", "张伟诉李娜买卖合同纠纷（异步审理演示·已结束）")
ACTIVE = ("registered", "in_trial", "mediation", "hearing_scheduled")


def _existing(orgs, users, exclude: set[int]) -> Case | None:
    """An open 民初 case of the demo (the judge and assistant sit on it, the demo plaintiff is its plaintiff):
    the demo defendant's account is linked to its defendant when that party has none."""
    plaintiff, defendant = users["plaintiff"], users["defendant"]
    cases = (Case.objects.filter(court=orgs["court"], case_type_id="民初", status__in=ACTIVE,
                                 participations__user=users["judge"], parties__role="plaintiff",
                                 parties__user=plaintiff)
             .exclude(security_level="secret").exclude(pk__in=exclude).exclude(exchange__isnull=False)
             .distinct().order_by("id"))
    ranked = sorted(cases, key=lambda c: not c.parties.filter(role="defendant", user=defendant).exists())
    for case in ranked:
        party = Party.objects.filter(case=case, role="defendant").order_by("order", "id").first()
        if party is None or party.user_id not in (None, defendant.pk):
            continue
        if party.user_id is None:
            Party.objects.filter(pk=party.pk).update(user=defendant)
        case_add_participant(case=case, user=defendant, role="party", party=party, actor=users["filing_officer"])
        case_add_participant(case=case, user=users["assistant"], role="judge_assistant", actor=users["filing_officer"])
        return case
    return None


def _case(orgs, users, title: str, cause: str, exclude: set[int]) -> Case:
    """A demo case for an exchange: one of the demo's own open civil cases when there is one (so the demo keeps
    its number of cases), else one opened once for the purpose."""
    found = _existing(orgs, users, exclude)
    if found is not None:
        return found
    case = Case.objects.filter(court=orgs["court"], title=title).first()
    if case is not None:
        return case
    plaintiff, defendant = users["plaintiff"], users["defendant"]
    data = CaseInput(
        court=orgs["court"], case_type=CaseType.objects.get(code="民初"), cause=Cause.objects.get(name=cause),
        title=title, procedure="simple",
        parties=[PartyInput(role="plaintiff", kind="natural", name=plaintiff.real_name, id_number=plaintiff.id_number,
                            user=plaintiff, phone=plaintiff.phone, address="深圳市宝安区新安街道"),
                 PartyInput(role="defendant", kind="natural", name=defendant.real_name, id_number=defendant.id_number,
                            user=defendant, phone=defendant.phone, address="深圳市宝安区西乡街道")],
        participants=[(users["judge"], "presiding_judge"), (users["assistant"], "judge_assistant"),
                      (users["clerk"], "clerk")])
    case = case_open(data=data, actor=users["filing_officer"])
    party = Party.objects.get(case=case, role="defendant")
    case_add_participant(case=case, user=defendant, role="party", party=party, actor=users["filing_officer"])
    return case


def _start(case, users):
    def acc(who):
        return access_case_for(users[who], case.pk)

    services.asynctrial_propose(access=acc("assistant"), actor=users["assistant"], round_days=7)
    for who in ("plaintiff", "defendant"):
        services.asynctrial_consent(access=acc(who), actor=users[who], party_id=None, consent=True)
        services.asynctrial_pledge(access=acc(who), actor=users[who])

    def post(who, kind, text, **kw):
        return services.asynctrial_post(access=acc(who), actor=users[who], kind=kind, text=text, **kw)

    return acc, post


ALL = {"authenticity": "accept", "legality": "accept", "relevance": "accept"}


@transaction.atomic
def _open_exchange(case, users) -> None:
    acc, post = _start(case, users)
    post("assistant", "guidance", "请双方在每轮截止前提交证据并逐项发表质证意见；证据须写明证明目的。")
    e1 = post("plaintiff", "evidence", "借条原件照片一张，载明李娜向张伟借款80000元。", title="借条",
              purpose="证明被告向原告借款80000元", source="原告保管原件", pages="1")
    e2 = post("plaintiff", "evidence", "2025年3月2日银行转账80000元的回单。", title="银行转账回单",
              purpose="证明借款已实际交付", source="中国银行", pages="2-3")
    e3 = post("plaintiff", "evidence", "双方微信聊天记录截图，被告承诺月底还款。", title="微信聊天记录",
              purpose="证明被告认可欠款并承诺还款", source="原告手机", pages="4-9")
    post("defendant", "opinion", "对转账回单无异议。", refers_to=e2.pk, positions=ALL)
    post("defendant", "opinion", "借条签名并非本人所写，金额也不对。", refers_to=e1.pk,
         positions={"authenticity": "reject", "legality": "accept", "relevance": "partial"},
         reasons={"authenticity": "签名不是被告本人书写，申请笔迹鉴定", "relevance": "借款实际为50000元"},
         purpose_objection="借条只能证明出具过借条，不能证明80000元全部交付")
    post("defendant", "defence", "被告确曾向原告借款50000元，已归还20000元，其余他妈的早就说好分期。")
    e4 = post("defendant", "evidence", "2025年6月微信转账20000元的记录。", title="还款记录",
              purpose="证明被告已归还20000元", source="被告手机", pages="1")
    q1 = post("judge", "question", "请被告说明20000元还款的时间、方式及是否有书面凭证。",
              visibility=f"party:{Party.objects.get(case=case, role='defendant').pk}")
    post("defendant", "answer", "2025年6月18日通过微信转账，凭证即证据4。", refers_to=q1.pk)
    post("judge", "question", "请原告说明80000元是否一次性交付，有无现金部分。")
    post("defendant", "proposal", "被告愿一次性支付40000元了结本案。", visibility="court")
    post("plaintiff", "proposal", "被告于2026年12月31日前分两期偿还60000元，原告放弃利息。")
    post("plaintiff", "evidence", "更正：微信聊天记录页码为第4-10页。", title="微信聊天记录（更正）",
         purpose="证明被告认可欠款并承诺还款", pages="4-10", refers_to=e3.pk)
    services.asynctrial_round_open(access=acc("assistant"), actor=users["assistant"], days=5)
    post("plaintiff", "opinion", "认可收到20000元，但系支付利息。", refers_to=e4.pk,
         positions={"authenticity": "accept", "legality": "accept", "relevance": "partial"},
         reasons={"relevance": "该款项为利息而非本金"})


@transaction.atomic
def _closed_exchange(case, users) -> None:
    acc, post = _start(case, users)
    e1 = post("plaintiff", "evidence", "买卖合同一份，约定货款120000元。", title="买卖合同",
              purpose="证明双方存在买卖合同关系", pages="1-4")
    e2 = post("plaintiff", "evidence", "送货单三张，均有被告签收。", title="送货单", purpose="证明原告已交付货物",
              pages="5-7")
    post("defendant", "opinion", "合同无异议。", refers_to=e1.pk, positions=ALL)
    post("defendant", "opinion", "第三张送货单非本公司人员签收。", refers_to=e2.pk,
         positions={"authenticity": "partial", "legality": "accept", "relevance": "accept"},
         reasons={"authenticity": "第三张送货单签收人不是被告员工"})
    services.asynctrial_close(access=acc("assistant"), actor=users["assistant"])


def asynctrial_demo(*, orgs, users, progress: Callable[[str], None] = lambda s: None) -> dict:
    """An open and a closed demo exchange (once each); the default sensitive-word list ships with core/threads."""
    made, used = [], set(Exchange.objects.filter(case__court=orgs["court"]).values_list("case_id", flat=True))
    for state, title, cause, fill in (("open", TITLES[0], "民间借贷纠纷", _open_exchange),
                                      ("closed", TITLES[1], "买卖合同纠纷", _closed_exchange)):
        if Exchange.objects.filter(case__court=orgs["court"], state=state).exists():
            continue
        case = _case(orgs, users, title, cause, used)
        fill(case, users)
        used.add(case.pk)
        made.append(case.number)
    progress(f"asynchronous trial: {len(made)} demo exchanges made ({', '.join(made) or 'already present'})")
    return {"made": made}
