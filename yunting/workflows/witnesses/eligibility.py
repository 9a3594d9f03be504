"""The eligibility of a witness to testify online: a pure evaluator over rules a court edits (no ORM; its messages
go through gettext, so they come out in the UI language — Chinese by default).

The interface others rely on (issue 15): an application body

    {"procedure": "ordinary_panel"|"ordinary"|"simple"|"small_claims",
     "ground": "online_hearing"|"cost"|"health"|"transport"|"force_majeure"|"other",
     "applicant_flags": [...], "witness_flags": [...], "online_witnesses_for_side": n,
     "objection_witness_may_be_directed": bool, "several_witnesses_online": bool,
     "applicant_outside_designated_place": bool}

answers {"online_allowed": bool, "designated_place_required": bool, "reasons": [...]}: one reason per
rule that fired, and a positive reason when allowed. The designated-place conditions are only weighed when online
testimony is allowed (a witness who must come to court needs no designated place).
Defaults are Ningbo Beilun's rules (seed case 173).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

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
    """A bad application body: which field, and why (in the UI language, shown as is)."""

    field: str
    message: str
    extra: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return self.message


BOOLS = ("objection_witness_may_be_directed", "several_witnesses_online", "applicant_outside_designated_place")
KEYS = frozenset({"procedure", "ground", "applicant_flags", "witness_flags", "online_witnesses_for_side", *BOOLS})


def _list(items) -> str:
    return pgettext("list separator", ", ").join(items)


def _choice(body: dict, name: str, choices: dict[str, str]) -> str:
    value = body.get(name)
    if value is None:
        raise InputError(name, _("Field %(field)s is missing; allowed values: %(allowed)s.")
                         % {"field": name, "allowed": _list(choices)})
    if not isinstance(value, str) or value not in choices:
        raise InputError(name, _("Field %(field)s has an invalid value; allowed values: %(allowed)s.")
                         % {"field": name, "allowed": _list(choices)}, {"allowed": list(choices)})
    return value


def _flags(body: dict, name: str) -> tuple[str, ...]:
    value = body.get(name, [])
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(f, str) for f in value):
        raise InputError(name, _('Field %(field)s should be a list of flags, for example ["professional_lender"].')
                         % {"field": name})
    unknown = [f for f in value if f not in FLAGS]
    if unknown:
        raise InputError(name, _("Field %(field)s has unknown flags: %(unknown)s; allowed values: %(allowed)s.")
                         % {"field": name, "unknown": _list(unknown), "allowed": _list(FLAGS)},
                         {"allowed": list(FLAGS)})
    return tuple(dict.fromkeys(value))


def parse(body: Any) -> Application:
    """An application body → Application, or InputError naming the first bad field."""
    if not isinstance(body, dict):
        raise InputError("", _("The request body should be a JSON object."))
    unknown = sorted(set(body) - KEYS)
    if unknown:
        raise InputError(unknown[0], _("Unknown fields: %(fields)s.") % {"fields": _list(unknown)})
    count = body.get("online_witnesses_for_side", 1)
    if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= MAX_WITNESSES:
        raise InputError("online_witnesses_for_side",
                         _("Field online_witnesses_for_side should be a positive whole number: how many witnesses "
                           "this side asks to testify online, this application included."))
    flags = {}
    for name in BOOLS:
        value = body.get(name, False)
        if not isinstance(value, bool):
            raise InputError(name, _("Field %(field)s should be true or false.") % {"field": name})
        flags[name] = value
    return Application(procedure=_choice(body, "procedure", PROCEDURES), ground=_choice(body, "ground", GROUNDS),
                       applicant_flags=_flags(body, "applicant_flags"), witness_flags=_flags(body, "witness_flags"),
                       online_witnesses_for_side=count, **flags)


def evaluate(app: Application, rules: Rules = DEFAULT_RULES) -> dict[str, Any]:
    """The verdict and its reasons, one per rule that fired (in the order: ground, exclusions, designated place)."""
    refusals: list[str] = []
    if app.ground not in rules.allowed_grounds:
        allowed = _list(GROUNDS[g] for g in rules.allowed_grounds if g in GROUNDS) or pgettext("grounds", "none")
        refusals.append(_("The ground “%(ground)s” is not one on which this court allows a witness to testify online "
                          "(grounds allowed: %(allowed)s).") % {"ground": GROUNDS[app.ground], "allowed": allowed})
    if app.procedure in rules.excluded_procedures:
        refusals.append(_("This case is heard under %(procedure)s, so a witness may not testify online and must "
                          "appear in court.") % {"procedure": PROCEDURES[app.procedure]})
    for flag in app.applicant_flags:
        if flag in rules.excluded_flags:
            refusals.append(_("The applicant is listed as %(flag)s and may not apply for a witness to testify "
                              "online.") % {"flag": FLAGS[flag]})
    for flag in app.witness_flags:
        if flag in rules.excluded_flags:
            refusals.append(_("The witness is listed as %(flag)s and may not testify online.") % {"flag": FLAGS[flag]})
    if app.online_witnesses_for_side > rules.max_online_per_side:
        refusals.append(_("One side may ask for at most %(max)d witnesses to testify online (this side asks for "
                          "%(n)d, this application included).")
                        % {"max": rules.max_online_per_side, "n": app.online_witnesses_for_side})
    if refusals:
        return {"online_allowed": False, "designated_place_required": False, "reasons": refusals}
    reasons = [_("The conditions for a witness to testify online are met: the ground is “%(ground)s”, the case is "
                 "heard under %(procedure)s, neither the applicant nor the witness is excluded, and this side's "
                 "online witnesses are within the limit.")
               % {"ground": GROUNDS[app.ground], "procedure": PROCEDURES[app.procedure]}]
    designated = []
    if rules.designated_if_directed and app.objection_witness_may_be_directed:
        designated.append(_("The other side has reasonable grounds to believe the witness may be directed by others, "
                            "so the witness must testify online from a designated place (a shared court or another "
                            "court)."))
    if rules.designated_if_several and app.several_witnesses_online:
        designated.append(_("Several witnesses testify online, so the witness must testify online from a designated "
                            "place (a shared court or another court)."))
    if rules.designated_if_applicant_outside and app.applicant_outside_designated_place:
        designated.append(_("The applicant does not take part from a place the court designated, so the witness "
                            "must testify online from a designated place (a shared court or another court)."))
    return {"online_allowed": True, "designated_place_required": bool(designated), "reasons": reasons + designated}


def check(body: Any, rules: Rules = DEFAULT_RULES) -> dict[str, Any]:
    """parse + evaluate: what the CLI and the API answer."""
    return evaluate(parse(body), rules)
