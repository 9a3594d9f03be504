"""异步质证报告: per evidence item — who submitted it, its purpose, each other side's positions on authenticity,
legality and relevance with reasons — then what is undisputed and what is still disputed.

Only items shown to everyone enter it: the report is filed in the e-file every participant reads.
"""

from __future__ import annotations

from django.utils import timezone

from yunting.core.cases.models import Party
from yunting.kernel.common.timeutil import SHANGHAI

from .models import Exchange, PositionChange, Round
from .selectors import POSITION_LABELS, PROPERTIES, PROPERTY_LABELS, disputed_points, evidence_summary

STATE_LABELS = {"proposed": "待同意", "open": "进行中", "closed": "已结束"}
WIDTH, PER_PAGE = 34, 30


def _labels(props) -> str:
    return "、".join(PROPERTY_LABELS[p] for p in props)


def report_text(exchange: Exchange) -> str:
    case = exchange.case
    parties = Party.objects.filter(case=case).order_by("order", "id")
    rounds = Round.objects.filter(exchange=exchange).count()
    lines = [f"案号：{case.number}", f"案由：{case.cause.name}",
             "当事人：" + "；".join(f"{p.get_role_display()}{p.name}" for p in parties),
             f"异步审理状态：{STATE_LABELS.get(exchange.state, exchange.state)}，共{rounds}轮"]
    if exchange.opened_at:
        lines.append(f"开始时间：{exchange.opened_at.astimezone(SHANGHAI):%Y-%m-%d %H:%M}")
    if exchange.closed_at:
        lines.append(f"结束时间：{exchange.closed_at.astimezone(SHANGHAI):%Y-%m-%d %H:%M}")
    rows = evidence_summary(exchange)
    lines += ["", "一、证据质证情况"]
    if not rows:
        lines.append("（尚无证据）")
    for row in rows:
        item, data = row.item, row.item.data
        title = data.get("title") or item.text[:30]
        submitter = (f"{item.author_party.get_role_display()}{item.author_party.name}" if item.author_party
                     else item.author_label)
        lines.append(f"证据{row.number}：{title}（{submitter}提交，第{data.get('round', 1)}轮）")
        lines.append(f"  证明目的：{data.get('purpose', '')}")
        if data.get("source") or data.get("pages"):
            lines.append(f"  来源：{data.get('source', '') or '—'}；页码：{data.get('pages', '') or '—'}")
        for doc in item.documents:
            pages = f"，第{doc['pages']}页" if doc.get("pages") else ""
            lines.append(f"  附：电子卷宗《{doc['title']}》{pages}")
        for side in row.parties:
            if not side["positions"]:
                lines.append(f"  {side['role']}{side['name']}：未发表质证意见")
                continue
            parts = []
            for prop in PROPERTIES:
                pos = side["positions"].get(prop)
                reason = side["reasons"].get(prop, "")
                text = f"{PROPERTY_LABELS[prop]}{POSITION_LABELS.get(pos, '—')}"
                if reason:
                    text += f"（理由：{reason}）"
                if prop in side["changed"]:
                    text += (f"〔庭审中经法官准许由{POSITION_LABELS[side['changed'][prop]['before']]}变更，"
                             f"理由：{side['changed'][prop]['reason']}〕")
                parts.append(text)
            lines.append(f"  {side['role']}{side['name']}：" + "；".join(parts))
            if side["purpose_objection"]:
                lines.append(f"    对证明目的的异议：{side['purpose_objection']}")
        verdict = []
        if row.undisputed:
            verdict.append(f"{_labels(row.undisputed)}无争议")
        if row.disputed:
            verdict.append(f"{_labels(row.disputed)}有争议")
        if row.pending:
            verdict.append(f"{_labels(row.pending)}待质证")
        if row.purpose_disputed:
            verdict.append("证明目的有争议")
        lines.append("  小结：" + "，".join(verdict))
    lines += ["", "二、无争议事项"]
    undisputed = [f"证据{r.number}（{r.item.data.get('title') or r.item.text[:20]}）{_labels(r.undisputed)}"
                  for r in rows if r.undisputed]
    lines += undisputed or ["（无）"]
    lines += ["", "三、争议焦点（庭审中仅需围绕以下事项进行）"]
    disputed = disputed_points(case, rows=rows)
    lines += disputed["text"].split("\n") if disputed["points"] else ["（无）"]
    changes = PositionChange.objects.filter(exchange=exchange).exclude(status=PositionChange.Status.REQUESTED)
    if changes.exists():
        lines += ["", "四、庭审中变更质证意见"]
        for c in changes.select_related("party"):
            verdict = "准许" if c.status == PositionChange.Status.GRANTED else "不准许"
            title = c.evidence.data.get("title") or c.evidence.text[:20]
            lines.append(f"{c.party.name}就证据《{title}》{PROPERTY_LABELS.get(c.prop, c.prop)}由"
                         f"{POSITION_LABELS.get(c.before, c.before)}变更为{POSITION_LABELS.get(c.after, c.after)}，"
                         f"理由：{c.reason}；法官{verdict}。")
    lines += ["", f"生成时间：{timezone.now().astimezone(SHANGHAI):%Y-%m-%d %H:%M}",
              "本报告依据云庭异步审理记录自动生成，各项意见均有日志可查。"]
    return "\n".join(lines)


def _line_count(body: str) -> int:
    return sum(max(1, -(-len(para) // WIDTH)) for para in body.split("\n"))


def report_pdf(exchange: Exchange) -> bytes:
    """The report as an A4 PDF with its fonts embedded (kernel/pdf)."""
    from yunting.kernel.pdf.make import simple_pdf

    body = report_text(exchange)
    pages = max(1, -(-_line_count(body) // PER_PAGE))
    return simple_pdf(title="异步质证报告", subtitle=exchange.case.number, body=body, pages=pages)
