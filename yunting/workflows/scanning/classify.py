"""Suggest a catalogue kind for a scanned document from its text: pure rules, no Django, table-tested.

Paper court files announce what they are in their title line (民事起诉状, 答辩状, 送达回证 …), so the words near
the top of the first page decide; a word anywhere else counts for little. Nothing recognised: evidence (证据),
which is what most paper handed in at a window is. The clerk confirms or changes the suggestion."""

from __future__ import annotations

# (words, kind), most specific first: 反诉状 before 起诉状, 证据清单 before 证据
RULES: list[tuple[tuple[str, ...], str]] = [
    (("反诉状",), "counterclaim"),
    (("起诉状", "起诉书"), "complaint"),
    (("答辩状", "答辩意见"), "defence"),
    (("送达回证", "送达地址确认书"), "service_receipt"),
    (("证据清单", "证据目录"), "evidence_list"),
    (("质证意见",), "cross_examination"),
    (("授权委托书", "委托书"), "power_of_attorney"),
    (("营业执照",), "business_license"),
    (("居民身份证", "身份证明", "法定代表人身份证明"), "identity"),
    (("代理词",), "agent_statement"),
    (("鉴定意见", "鉴定报告"), "appraisal_report"),
    (("庭审笔录", "开庭笔录"), "hearing_transcript"),
    (("调解协议",), "mediation_agreement"),
    (("判决书",), "judgment"),
    (("裁定书",), "ruling"),
    (("传票",), "summons"),
    (("申请书",), "application"),
]
HEAD_CHARS = 120  # the title is within the first lines of the first page
DEFAULT = "evidence"


def suggest_kind(text: str, *, offered: set[str] | None = None) -> str:
    """The kind whose words appear earliest in the head of the text (else anywhere), among `offered` kinds."""
    text = "".join((text or "").split())  # OCR splits title characters with spaces: 起 诉 状
    for part in (text[:HEAD_CHARS], text):
        best: tuple[int, str] | None = None
        for words, kind in RULES:
            if offered is not None and kind not in offered:
                continue
            hits = [part.find(w) for w in words if w in part]
            if hits and (best is None or min(hits) < best[0]):
                best = (min(hits), kind)
        if best:
            return best[1]
    return DEFAULT if offered is None or DEFAULT in offered else (sorted(offered)[0] if offered else DEFAULT)


def title_from(text: str, kind_label: str) -> str:
    """A title for the e-file: the first short line of the text if it names the kind, else the kind's name."""
    for line in (text or "").splitlines()[:3]:
        line = "".join(line.split())
        if 2 <= len(line) <= 30 and kind_label and kind_label in line:
            return line
    return kind_label
