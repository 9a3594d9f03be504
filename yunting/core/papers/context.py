"""Fill a template's variables from what the court already holds about the case."""

from __future__ import annotations

import datetime as dt
from typing import Any

from yunting.core.cases.choices import CaseRole, PartyKind, PartyRole, Procedure
from yunting.core.cases.models import Case
from yunting.kernel.common.timeutil import SHANGHAI, shanghai_today
from yunting.kernel.documents.library import Template

FIRST = (PartyRole.PLAINTIFF, PartyRole.APPLICANT, PartyRole.APPELLANT)
SECOND = (PartyRole.DEFENDANT, PartyRole.RESPONDENT, PartyRole.APPELLEE)
PROCEDURE_TEXT = {Procedure.ORDINARY: "普通程序", Procedure.SIMPLE: "简易程序", Procedure.SMALL_CLAIMS: "小额诉讼程序",
                  Procedure.SPECIAL: "特别程序", Procedure.SECOND_INSTANCE: "第二审程序"}
DEFAULTS = {"fee_days": 7, "answer_days": 15, "evidence_days": 15, "appeal_days": 15, "method": "电子送达（云庭平台）",
            "appear_reason": "开庭审理", "place": "本院在线法庭（云庭）"}
PARTY_LABEL = dict(PartyRole.choices) | {
    PartyRole.PLAINTIFF: "原告", PartyRole.DEFENDANT: "被告", PartyRole.THIRD_PARTY: "第三人",
    PartyRole.APPELLANT: "上诉人", PartyRole.APPELLEE: "被上诉人", PartyRole.APPLICANT: "申请人",
    PartyRole.RESPONDENT: "被申请人", PartyRole.CONVICT: "罪犯",
}


def _names(parties, roles) -> str:
    return "、".join(p.name for p in parties if p.role in roles)


def _person(case: Case, *roles: str) -> str:
    p = case.participations.filter(role__in=roles).select_related("user").order_by("id").first()
    return p.user.display_name if p else ""


def paper_defaults(case: Case, template: Template) -> dict[str, Any]:
    """Every variable the case can answer; the judge fills in the rest (reasoning, orders…) in the draft."""
    parties = list(case.parties.order_by("order", "id"))
    first, second = [p for p in parties if p.role in FIRST], [p for p in parties if p.role in SECOND]
    # a lawyer acts for the party their participation names; one with no party recorded is taken to act for
    # the first plaintiff-side party (who files with a lawyer far more often than not)
    lawyers: dict[int, list[str]] = {}
    for pt in case.participations.filter(role=CaseRole.LAWYER).select_related("user").order_by("id"):
        party_id = pt.party_id or (first[0].pk if first else None)
        if party_id:
            lawyers.setdefault(party_id, []).append(pt.user.display_name)
    party_rows = []
    for p in parties:
        detail = "" if not p.address else f"住{p.address}" if p.kind == PartyKind.NATURAL else f"住所地{p.address}"
        party_rows.append({"label": PARTY_LABEL.get(p.role, p.role), "name": p.name, "detail": detail})
        for name in lawyers.get(p.pk, []):
            party_rows.append({"label": "委托诉讼代理人", "name": name, "detail": ""})
    judge = _person(case, CaseRole.PRESIDING_JUDGE, CaseRole.JUDGE)
    values: dict[str, Any] = {
        "court_name": case.court.name, "case_number": case.number, "cause": case.cause.name,
        "issue_date": shanghai_today(), "parties": party_rows, "plaintiffs": "、".join(p.name for p in first),
        "defendants": "、".join(p.name for p in second), "filed_date": case.filed_at.astimezone(SHANGHAI).date(),
        "procedure": PROCEDURE_TEXT.get(case.procedure, case.get_procedure_display()), "judge_name": judge,
        "clerk_name": _person(case, CaseRole.CLERK), "claim_amount": case.claim_amount,
        "case_title": case.title, "recipient": (first or parties)[0].name if parties else "",
        "server_name": _person(case, CaseRole.SERVICE_OFFICER, CaseRole.CLERK),
        "evidence_deadline": shanghai_today() + dt.timedelta(days=15),
        "appeal_court": "上一级人民法院", "panel": [{"role": "审判员", "name": judge}] if judge else [],
        "fee_payer": "、".join(p.name for p in first),
        # a service receipt lists the papers issued so far (the clerk serves them together)
        "served_documents": [{"title": t, "number": case.number} for t in case.papers.exclude(status="draft")
                             .exclude(template_code="service_receipt").order_by("issued_at", "id")
                             .values_list("title", flat=True)],
        "attendees": "，".join(f"{r['label']}{r['name']}" for r in party_rows),
        **DEFAULTS,
    }
    if template.code in ("response_notice", "evidence_notice", "summons") and second:
        values["recipient"] = second[0].name
        values["appear_as"] = PARTY_LABEL[second[0].role]
    if template.code == "summons" and not second and first:
        values["appear_as"] = PARTY_LABEL[first[0].role]
    names = {v.name for v in template.variables}
    return {k: v for k, v in values.items() if k in names and v not in (None, "")}
