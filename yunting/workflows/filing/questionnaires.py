"""Element-based complaints (要素式起诉状) for the common causes: the filer answers a short list of questions
instead of writing prose; the answers are validated one by one, printed as the complaint's 要素表, and — when
the filer wrote no facts of their own — composed into the facts and reasons."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from .errors import FeeInputError
from .fees import parse_amount


@dataclass(frozen=True)
class Element:
    key: str
    label: str
    kind: str = "text"  # text | money | date | choice
    required: bool = True
    choices: tuple[str, ...] = ()


YES_NO = ("是", "否")
QUESTIONNAIRES: dict[str, tuple[Element, ...]] = {
    "民间借贷纠纷": (
        Element("loan_date", "借款日期", "date"), Element("principal", "借款本金（元）", "money"),
        Element("delivery", "交付方式", "choice", choices=("银行转账", "现金", "微信/支付宝", "其他")),
        Element("interest", "约定利率（如无约定填“无”）"), Element("due_date", "约定还款日期", "date", required=False),
        Element("repaid", "已还金额（元）", "money", required=False), Element("voucher", "借条或借款合同", "choice",
                                                                     choices=("有", "无")),
    ),
    "金融借款合同纠纷": (
        Element("contract_no", "借款合同编号"), Element("principal", "借款本金（元）", "money"),
        Element("loan_date", "放款日期", "date"), Element("term", "借款期限"),
        Element("overdue_since", "逾期开始日期", "date"), Element("owed_principal", "尚欠本金（元）", "money"),
        Element("owed_interest", "尚欠利息、罚息（元）", "money", required=False),
        Element("guarantee", "有无担保", "choice", choices=YES_NO),
    ),
    "买卖合同纠纷": (
        Element("contract_date", "合同签订日期", "date"), Element("goods", "标的物及数量"),
        Element("price", "合同价款（元）", "money"), Element("delivered", "是否已交付", "choice", choices=YES_NO),
        Element("paid", "已付款（元）", "money", required=False), Element("breach", "违约情形"),
    ),
    "机动车交通事故责任纠纷": (
        Element("accident_date", "事故日期", "date"), Element("place", "事故地点"),
        Element("liability", "事故责任认定", "choice", choices=("全部责任", "主要责任", "同等责任", "次要责任", "无责任", "未认定")),
        Element("insurer", "被告车辆承保保险公司", required=False),
        Element("medical", "医疗费（元）", "money", required=False),
        Element("lost_income", "误工费（元）", "money", required=False),
        Element("property_loss", "财产损失（元）", "money", required=False),
    ),
    "劳动争议": (
        Element("start_date", "入职日期", "date"), Element("end_date", "离职日期", "date", required=False),
        Element("position", "工作岗位"), Element("monthly_wage", "月工资（元）", "money"),
        Element("arbitration", "劳动仲裁情况", "choice", choices=("已裁决", "不予受理", "逾期未作出裁决")),
        Element("unpaid_wage", "拖欠工资（元）", "money", required=False),
    ),
    "物业服务合同纠纷": (
        Element("property", "房屋坐落"), Element("area", "建筑面积（平方米）"),
        Element("fee_standard", "物业费标准（元/平方米·月）"), Element("period", "欠费期间"),
        Element("owed", "欠费金额（元）", "money"),
    ),
}


def questionnaire_for(cause_name: str) -> tuple[Element, ...]:
    return QUESTIONNAIRES.get(cause_name, ())


MAX_ANSWER_CHARS = 2000  # one answer of the element table


def validate_answers(cause_name: str, answers: Any, bad) -> dict[str, str]:
    """Check each answer; `bad(field, code, message)` collects problems. Returns the cleaned answers."""
    elements = questionnaire_for(cause_name)
    if not elements or answers in (None, {}, ""):
        return {}
    if not isinstance(answers, dict):
        bad("questionnaire", "not_an_object", "要素表应为对象：{要素: 回答}")
        return {}
    cleaned = {}
    for el in elements:
        value = str(answers.get(el.key) or "").strip()
        at = f"questionnaire.{el.key}"
        if not value:
            if el.required:
                bad(at, "required", f"请填写“{el.label}”")
            continue
        if len(value) > MAX_ANSWER_CHARS:
            bad(at, "too_long", _("“%(label)s” is at most %(max)d characters.") % {"label": el.label,
                                                                                    "max": MAX_ANSWER_CHARS})
            continue
        if el.kind == "money":
            try:
                parse_amount(value)
            except FeeInputError as exc:
                bad(at, exc.code.removeprefix("fee_"), f"{el.label}：{exc.message}")
                continue
        elif el.kind == "date":
            try:
                date.fromisoformat(value)
            except ValueError:
                bad(at, "invalid_date", f"“{el.label}”应为日期，如 2026-03-01")
                continue
        elif el.kind == "choice" and value not in el.choices:
            bad(at, "unknown", f"“{el.label}”应为：{'、'.join(el.choices)}")
            continue
        cleaned[el.key] = value
    return cleaned


def answers_text(cause_name: str, answers: dict[str, str]) -> str:
    """The 要素表 as lines: "借款本金（元）：100000"."""
    return "\n".join(f"{el.label}：{answers[el.key]}" for el in questionnaire_for(cause_name) if el.key in answers)


def policy() -> dict[str, list[dict]]:
    return {cause: [{"key": e.key, "label": e.label, "kind": e.kind, "required": e.required,
                     "choices": list(e.choices)} for e in elements] for cause, elements in QUESTIONNAIRES.items()}
