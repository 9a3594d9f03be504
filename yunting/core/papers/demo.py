"""Real papers for the demo cases: notices, a withdrawal ruling, a hand-signed transcript, sealed papers.

`papers_demo(orgs=…, users=…)` is idempotent (a case that has papers is skipped); `yunting demo` calls it
after loading the cases.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable
from decimal import Decimal

from PIL import Image, ImageDraw

from yunting.core.cases.choices import CaseRole
from yunting.core.cases.models import Case

from .batch import seal_job_create, seal_job_process
from .models import Paper, PaperStatus
from .services import paper_draft, paper_handsign, paper_issue, paper_sign, paper_update


def demo_strokes() -> bytes:
    """A plausible pen signature (a few loops), as a party's canvas would send it."""
    img = Image.new("RGBA", (600, 200), (255, 255, 255, 0))
    d = ImageDraw.Draw(img)
    pts = [(40 + t * 5.2, 110 + 45 * math.sin(t / 6.0) * math.cos(t / 17.0)) for t in range(100)]
    d.line(pts, fill=(10, 10, 10, 255), width=6, joint="curve")
    d.line([(120, 60), (160, 150), (220, 70)], fill=(10, 10, 10, 255), width=5)
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


DECIDED_KINDS = ("decision.issued", "case.closed")


def _eligible(court) -> list[Case]:
    """Civil cases the demo judge and clerk sit on that are still open and undecided: a 准许撤诉 ruling sealed in
    a case that already has a judgment would contradict the case's own journal (and its derived status)."""
    out = []
    for case in Case.objects.filter(court=court, case_type_id="民初").order_by("id"):
        if case.status in ("decided", "closed") or case.journal.filter(kind__in=DECIDED_KINDS).exists():
            continue
        roles = set(case.participations.values_list("role", flat=True))
        if {CaseRole.CLERK} <= roles and roles & {CaseRole.JUDGE, CaseRole.PRESIDING_JUDGE}:
            out.append(case)
    return out


def papers_demo(*, orgs, users, cases: int = 3, progress: Callable[[str], None] = lambda s: None,
                fee_for: Callable[[object], Decimal] | None = None) -> int:
    """Issue, sign and seal papers in the first `cases` civil cases the demo judge and clerk sit on.

    `fee_for(case)` gives the acceptance fee printed on the notices (the filing workflow's calculator)."""
    court, judge, clerk, admin = orgs["court"], users["judge"], users["clerk"], users["court_admin"]
    made = 0
    to_seal = []
    for case in _eligible(court)[:cases]:
        if Paper.objects.filter(case=case).exists():
            continue
        fee = fee_for(case) if fee_for else Decimal("50.00")
        notice = paper_issue(paper=paper_draft(case=case, template_code="acceptance_notice", actor=clerk,
                                               values={"fee": fee.quantize(Decimal("0.01"))}), actor=clerk)
        to_seal.append(notice)
        to_seal.append(paper_issue(paper=paper_draft(case=case, template_code="response_notice", actor=clerk),
                                   actor=clerk))
        ruling = paper_draft(case=case, template_code="withdrawal_ruling", actor=judge)
        paper_update(paper=ruling, actor=judge, values={
            "withdraw_date": str(case.registered_at.date()), "fee": str(fee.quantize(Decimal("0.01"))),
            "reasoning": "原告在本案审理期间提出撤诉申请，系其真实意思表示，且不违反法律规定，应予准许。"})
        ruling = paper_sign(paper=paper_issue(paper=ruling, actor=judge), actor=clerk)
        to_seal.append(ruling)
        party = case.participations.filter(role=CaseRole.PARTY).select_related("user").first()
        if party is not None:
            transcript = paper_draft(case=case, template_code="hearing_transcript", actor=clerk, values={
                "held_at": case.registered_at.isoformat(), "place": "本院第三法庭（云庭在线法庭）",
                "record": "审判员：现在开庭。\n原告：坚持诉讼请求。\n被告：对借款事实无异议，请求分期还款。"})
            transcript = paper_issue(paper=transcript, actor=clerk)
            transcript = paper_handsign(paper=transcript, actor=party.user, strokes_png=demo_strokes(),
                                        device="Yunting demo (tablet)", session_key=f"demo-{case.pk}")
            paper_sign(paper=paper_sign(paper=transcript, actor=judge), actor=clerk)
        made += 1
        progress(f"papers: {case.number} notices, ruling{', signed transcript' if party else ''}")
    if to_seal:
        job = seal_job_create(actor=admin, court=court, paper_ids=[p.pk for p in to_seal])
        seal_job_process(job.pk)  # the demo seals in-line; in production the task does it
        progress(f"papers: sealed {Paper.objects.filter(status=PaperStatus.SEALED).count()} papers")
    return made
