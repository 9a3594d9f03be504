"""Demo: one witness application in the demo judge's rooms-demo case — the plaintiff applied for 钱多多 to testify
online (health), the judge allowed it, no objection came, the notice is issued. The judge's witness panel
(/witnesses/cases/{id}/) can invite the witness into the hearing room or a separate session. Idempotent."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.db import transaction

from yunting.core.cases.access import access_case_for

from . import services
from .models import WitnessApplication


def witnesses_demo(*, orgs, users, progress: Callable[[str], None] = lambda s: None) -> dict:
    from yunting.core.rooms.demo import TITLE, WITNESS
    from yunting.core.rooms.models import Room
    from yunting.interfaces.cli.cast import _fix_check

    room = Room.objects.filter(title=TITLE, case__court=orgs["court"]).select_related("case").first()
    if room is None:
        return {"created": False}
    case = room.case
    if WitnessApplication.objects.filter(case=case).exists():
        return {"created": False, "case_id": case.pk}
    plaintiff, judge = users["plaintiff"], users["judge"]
    _username, name, id_number, phone = WITNESS
    with transaction.atomic():
        app = services.witness_apply(
            access=access_case_for(plaintiff, case.pk), actor=plaintiff, witness_name=name, witness_phone=phone,
            witness_id_number=_fix_check(id_number), ground="health", ground_note="证人腿部骨折，行动不便",
            facts="被告于借款当日在证人面前收到原告交付的现金")
        judge_access = access_case_for(judge, case.pk)
        app = services.witness_decide(access=judge_access, actor=judge, application=app, approve=True,
                                       reason="证人因伤行动不便，准许在线作证")
        services.witness_notice_issue(access=judge_access, actor=judge, application=app,
                                      now=app.objection_deadline + timedelta(seconds=1))
    progress(f"witnesses: {name} may testify online in {case.number} (/witnesses/cases/{case.pk}/)")
    return {"created": True, "case_id": case.pk}
