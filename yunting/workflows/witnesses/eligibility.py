"""The eligibility of a witness to testify online: a pure evaluator over rules a court edits (no ORM, no Django).

The interface others rely on (issue 15): an application body

    {"procedure": "ordinary_panel"|"ordinary"|"simple"|"small_claims",
     "ground": "online_hearing"|"cost"|"health"|"transport"|"force_majeure"|"other",
     "applicant_flags": [...], "witness_flags": [...], "online_witnesses_for_side": n,
     "objection_witness_may_be_directed": bool, "several_witnesses_online": bool,
     "applicant_outside_designated_place": bool}

answers {"online_allowed": bool, "designated_place_required": bool, "reasons": [...]}: one reason in Chinese per
rule that fired, and a positive reason when allowed. The designated-place conditions are only weighed when online
testimony is allowed (a witness who must come to court needs no designated place).
Defaults are Ningbo Beilun's rules (seed case 173).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

PROCEDURES = {"ordinary_panel": "普通程序（合议庭）", "ordinary": "普通程序（独任审理）", "simple": "简易程序",
              "small_claims": "小额诉讼程序"}
GROUNDS = {"online_hearing": "案件在线审理", "cost": "出庭作证成本过高", "health": "健康原因",
           "transport": "交通不便", "force_majeure": "不可抗力", "other": "其他正当理由"}
FLAGS = {"professional_lender": "职业放贷人", "dishonest_debtor": "失信被执行人",
         "integrity_yellow": "诉讼诚信黄色标识人员", "integrity_red": "诉讼诚信红色标识人员",
         "abusive_litigant": "恶意诉讼、虚假诉讼等滥用诉讼权利的人员"}
MAX_WITNESSES = 1000


@dataclass(frozen=True)
class Rules:
    """What a court allows. Defaults: Ningbo Beilun."""

    allowed_grounds: tuple[str, ...] = tuple(GROUNDS)
    excluded_procedures: tuple[str, ...] = ("ordinary_panel",)
    excluded_flags: tuple[str, ...] = tuple(FLAGS)
    max_online_per_side: int = 3
    designated_if_directed: bool = True
    designated_if_several: bool = True
    designated_if_applicant_outside: bool = True


DEFAULT_RULES = Rules()


@dataclass(frozen=True)
class Application:
    procedure: str
    ground: str
    applicant_flags: tuple[str, ...] = ()
    witness_flags: tuple[str, ...] = ()
    online_witnesses_for_side: int = 1
    objection_witness_may_be_directed: bool = False
    several_witnesses_online: bool = False
    applicant_outside_designated_place: bool = False


@dataclass
class InputError(ValueError):
    """A bad application body: which field, and why (Chinese, shown as is)."""

    field: str
    message: str
    extra: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return self.message


BOOLS = ("objection_witness_may_be_directed", "several_witnesses_online", "applicant_outside_designated_place")
KEYS = frozenset({"procedure", "ground", "applicant_flags", "witness_flags", "online_witnesses_for_side", *BOOLS})


def _choice(body: dict, name: str, choices: dict[str, str]) -> str:
    value = body.get(name)
    if value is None:
        raise InputError(name, f"缺少字段 {name}；可选值：{'、'.join(choices)}")
    if not isinstance(value, str) or value not in choices:
        raise InputError(name, f"字段 {name} 的值无效；可选值：{'、'.join(choices)}", {"allowed": list(choices)})
    return value


def _flags(body: dict, name: str) -> tuple[str, ...]:
    value = body.get(name, [])
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(f, str) for f in value):
        raise InputError(name, f"字段 {name} 应为标识列表，例如 [\"professional_lender\"]")
    unknown = [f for f in value if f not in FLAGS]
    if unknown:
        raise InputError(name, f"字段 {name} 含有未知标识：{'、'.join(unknown)}；可选值：{'、'.join(FLAGS)}",
                         {"allowed": list(FLAGS)})
    return tuple(dict.fromkeys(value))


def parse(body: Any) -> Application:
    """An application body → Application, or InputError naming the first bad field."""
    if not isinstance(body, dict):
        raise InputError("", "请求体应为 JSON 对象")
    unknown = sorted(set(body) - KEYS)
    if unknown:
        raise InputError(unknown[0], f"未知字段：{'、'.join(unknown)}")
    count = body.get("online_witnesses_for_side", 1)
    if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= MAX_WITNESSES:
        raise InputError("online_witnesses_for_side",
                         "字段 online_witnesses_for_side 应为正整数：本方申请在线作证的证人人数（含本次申请）")
    flags = {}
    for name in BOOLS:
        value = body.get(name, False)
        if not isinstance(value, bool):
            raise InputError(name, f"字段 {name} 应为 true 或 false")
        flags[name] = value
    return Application(procedure=_choice(body, "procedure", PROCEDURES), ground=_choice(body, "ground", GROUNDS),
                       applicant_flags=_flags(body, "applicant_flags"), witness_flags=_flags(body, "witness_flags"),
                       online_witnesses_for_side=count, **flags)


def evaluate(app: Application, rules: Rules = DEFAULT_RULES) -> dict[str, Any]:
    """The verdict and its reasons, one per rule that fired (in the order: ground, exclusions, designated place)."""
    refusals: list[str] = []
    if app.ground not in rules.allowed_grounds:
        allowed = "、".join(GROUNDS[g] for g in rules.allowed_grounds if g in GROUNDS) or "无"
        refusals.append(f"申请理由“{GROUNDS[app.ground]}”不属于本院准许证人在线作证的情形（准许的情形：{allowed}）")
    if app.procedure in rules.excluded_procedures:
        refusals.append(f"本案适用{PROCEDURES[app.procedure]}审理，证人不得在线作证，应当出庭作证")
    for flag in app.applicant_flags:
        if flag in rules.excluded_flags:
            refusals.append(f"申请人属于{FLAGS[flag]}，不准许其申请证人在线作证")
    for flag in app.witness_flags:
        if flag in rules.excluded_flags:
            refusals.append(f"证人属于{FLAGS[flag]}，不准许其在线作证")
    if app.online_witnesses_for_side > rules.max_online_per_side:
        refusals.append(f"同一方当事人申请在线作证的证人不得超过{rules.max_online_per_side}名"
                        f"（本方含本次申请共{app.online_witnesses_for_side}名）")
    if refusals:
        return {"online_allowed": False, "designated_place_required": False, "reasons": refusals}
    reasons = [f"符合证人在线作证条件：申请理由为“{GROUNDS[app.ground]}”，适用{PROCEDURES[app.procedure]}，"
               "申请人和证人均无排除情形，本方在线作证证人人数未超过上限"]
    designated = []
    if rules.designated_if_directed and app.objection_witness_may_be_directed:
        designated.append("对方当事人有合理理由认为证人可能受他人指使，证人应当在指定场所（共享法庭或其他法院）在线作证")
    if rules.designated_if_several and app.several_witnesses_online:
        designated.append("多名证人在线作证，证人应当在指定场所（共享法庭或其他法院）在线作证")
    if rules.designated_if_applicant_outside and app.applicant_outside_designated_place:
        designated.append("申请人未在法院指定的场所参加诉讼，证人应当在指定场所（共享法庭或其他法院）在线作证")
    return {"online_allowed": True, "designated_place_required": bool(designated), "reasons": reasons + designated}


def check(body: Any, rules: Rules = DEFAULT_RULES) -> dict[str, Any]:
    """parse + evaluate: what the CLI and the API answer."""
    return evaluate(parse(body), rules)
