"""Suggestions for the filing officer — cause of action and jurisdiction — each with its reason.

They are shown next to the filing and never applied: changing a cause or transferring a case is the officer's
decision (and a cause changed silently would change the fee the filer was shown)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .models import Filing

# (cause, words that point to it) — checked in this order; the first hit wins
CAUSE_HINTS: list[tuple[str, tuple[str, ...]]] = [
    ("信用卡纠纷", ("信用卡", "透支")),
    ("机动车交通事故责任纠纷", ("交通事故", "机动车", "追尾", "碰撞", "交强险")),
    ("劳动争议", ("工资", "劳动合同", "加班费", "经济补偿金", "劳动仲裁")),
    ("物业服务合同纠纷", ("物业费", "物业服务")),
    ("房屋租赁合同纠纷", ("租金", "租赁合同", "承租")),
    ("离婚纠纷", ("离婚", "夫妻感情")),
    ("买卖合同纠纷", ("货款", "买卖合同", "供货", "购销")),
    ("民间借贷纠纷", ("借条", "借款", "欠条", "借给", "贷款")),  # 金融借款 when the lender is a financial body
]
FINANCIAL = re.compile(r"银行|信用社|金融|小额贷款|消费金融")


@dataclass(frozen=True)
class Suggestion:
    field: str
    value: str
    reason: str


def _suggest_cause(filing: Filing, parties) -> Suggestion | None:
    text = "\n".join([filing.facts, *filing.claims])
    lender_is_financial = any(p.role == "plaintiff" and FINANCIAL.search(p.name) for p in parties)
    for cause, words in CAUSE_HINTS:
        hits = [w for w in words if w in text]
        if not hits:
            continue
        reason = f"事实与理由、诉讼请求中出现“{'”“'.join(hits)}”"
        if cause == "民间借贷纠纷" and lender_is_financial:
            cause, reason = "金融借款合同纠纷", reason + "，且出借人为金融机构（民间借贷不包括金融机构贷款）"
        elif cause == "民间借贷纠纷" and filing.cause_id and filing.cause.name == "金融借款合同纠纷":
            reason += "，但原告不是金融机构（金融借款合同纠纷的出借人应为金融机构）"
        if filing.cause_id and filing.cause.name == cause:
            return None
        return Suggestion("cause", cause, reason + "；立案人员核实后可告知当事人变更，系统不会自动修改")
    return None


def _court_district(court_name: str) -> str:
    m = re.search(r"([^省市]{1,6}(?:区|县|市))人民法院$", court_name)
    return m.group(1) if m else ""


def _suggest_jurisdiction(filing: Filing, parties) -> Suggestion | None:
    district = _court_district(filing.court.name) if filing.court_id else ""
    defendants = [p for p in parties if p.role in ("defendant", "respondent") and p.address]
    if not district or not defendants or any(district in p.address for p in defendants):
        return None
    if any(w in filing.facts for w in ("合同履行地", "约定管辖", "协议管辖", "侵权行为地", "事故发生地")):
        return None
    places = "；".join(f"{p.name}：{p.address}" for p in defendants)
    return Suggestion("court", "管辖待核实",
                      f"被告住所地均不在{district}（{places}），事实与理由中也未写明合同履行地、约定管辖或侵权行为地；"
                      "请核实本院是否有管辖权（民事诉讼法第二十二条、第二十四条、第三十五条）")


def _suggest_arbitration(filing: Filing) -> Suggestion | None:
    if not filing.cause_id or filing.cause.name != "劳动争议":
        return None
    if filing.documents.filter(title__contains="仲裁").exists() or "仲裁" in filing.facts:
        return None
    return Suggestion("documents", "劳动仲裁裁决书",
                      "劳动争议须先经劳动争议仲裁（劳动争议调解仲裁法第五条），材料中未见仲裁裁决书或不予受理通知书")


def filing_suggestions(filing: Filing) -> list[Suggestion]:
    parties = list(filing.parties.all())
    found = [_suggest_cause(filing, parties), _suggest_jurisdiction(filing, parties), _suggest_arbitration(filing)]
    return [s for s in found if s is not None]
