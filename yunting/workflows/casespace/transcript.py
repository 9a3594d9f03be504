"""The space's history as a transcript PDF (fonts embedded, kernel/pdf) filed into the e-file through the journal:
on demand by the court, and once when a case of the space closes (subscriptions.on_case_closed).

Everything is in it: messages, voice messages and files (by name and hash), cards, pinned notices, and the
moderation acts (mutes, removals) from the journal — a removal hides nothing from the record.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from yunting.core.journal.models import JournalEntry
from yunting.core.journal.services import DocumentInput, journal_append
from yunting.core.threads.models import Item
from yunting.kernel.common.timeutil import SHANGHAI

from . import entries
from .models import Member, Space, SpaceCase

WIDTH, PER_PAGE = 34, 30
KIND_LABELS = {"message": "", "voice": "〔语音〕", "file": "〔文件〕", "card": "〔卡片〕", "notice": "〔置顶公告〕"}
CARD_LABELS = {"delivery": "文书送达", "poll": "开庭时间协商", "payout": "案款发还", "broadcast": "直播",
               "notice": "通知"}


def _t(dt) -> str:
    return dt.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M:%S")


def _readers(case) -> set[int] | None:
    """Who reads the transcript filed into `case`'s main volume besides the court: its parties and lawyers."""
    if case is None:
        return None
    from yunting.core.cases.choices import CaseRole
    from yunting.core.cases.models import Participation

    return set(Participation.objects.filter(case=case, role__in=[CaseRole.PARTY, CaseRole.LAWYER])
               .values_list("user_id", flat=True))


def transcript_text(space: Space, case=None) -> str:
    """The transcript; for filing into `case`'s e-file, a card addressed to some members only (a delivery, a
    payout's recipients, another case of a group space) keeps its line but not its text, unless every party and
    lawyer of `case` was shown it: the main volume is theirs to read."""
    readers = _readers(case)
    cases = list(SpaceCase.objects.filter(space=space).select_related("case").order_by("id"))
    members = list(Member.objects.filter(space=space).order_by("id"))
    lines = [f"空间：{space.title}",
             "案号：" + "、".join(c.case.number for c in cases[:20]) + (f" 等{len(cases)}件" if len(cases) > 20 else ""),
             f"成员：{len(members)}人", f"建立时间：{_t(space.created_at)}", ""]
    labels = {m.user_id: m.label for m in members}
    events = []
    for item in Item.objects.filter(thread=space.thread).order_by("seq"):
        text = item.text
        if item.kind == "card":
            shown_to = item.data.get("user_ids")
            if readers is not None and shown_to is not None and not readers <= set(shown_to):
                text = f"{CARD_LABELS.get(item.data.get('card'), '')}：（仅向部分成员显示，内容从略）"
            else:
                text = f"{CARD_LABELS.get(item.data.get('card'), '')}：{item.text}"
        elif item.kind in ("voice", "file"):
            text = (f"{item.data.get('filename') or ''} {item.data.get('duration_s') or ''}"
                    f"{'秒' if item.data.get('duration_s') else ''} SHA-256 {item.data.get('sha256', '')[:16]}…")
        events.append((item.created_at, f"[{item.seq}] {_t(item.created_at)} {item.author_label}："
                                         f"{KIND_LABELS.get(item.kind, '')}{text}"))
    moderation = JournalEntry.objects.filter(
        case_id=space.lead_case_id, payload__space_id=space.pk,
        kind__in=[entries.MEMBER_MUTED, entries.MEMBER_UNMUTED, entries.ALL_MUTED, entries.MEMBER_REMOVED])
    for e in moderation.order_by("seq"):
        p = e.payload
        who = labels.get(p.get("user_id"), "")
        act = {entries.MEMBER_MUTED: f"对{who}禁言{p.get('minutes')}分钟，理由：{p.get('reason', '')}",
               entries.MEMBER_UNMUTED: f"解除{who}的禁言",
               entries.ALL_MUTED: ("开启全员禁言，理由：" + p.get("reason", "")) if p.get("muted") else "解除全员禁言",
               entries.MEMBER_REMOVED: f"将{who}移出空间，理由：{p.get('reason', '')}"}[e.kind]
        events.append((e.recorded_at, f"〔管理〕{_t(e.recorded_at)} {e.actor_label}{act}"))
    events.sort(key=lambda x: x[0])
    lines += [line for _at, line in events] or ["（尚无发言）"]
    lines += ["", f"生成时间：{_t(timezone.now())}",
              "本记录依据云庭案件空间日志自动生成，每条发言均有日志与哈希可查。"]
    return "\n".join(lines)


def _line_count(body: str) -> int:
    return sum(max(1, -(-len(para) // WIDTH)) for para in body.split("\n"))


def transcript_pdf(space: Space, case=None) -> bytes:
    from yunting.kernel.pdf.make import simple_pdf

    body = transcript_text(space, case)
    pages = max(1, -(-_line_count(body) // PER_PAGE))
    return simple_pdf(title="案件空间记录", subtitle=space.lead_case.number, body=body, pages=pages)


@transaction.atomic
def space_transcript_file(*, space: Space, case=None, actor=None, reason: str = "on_demand", once: bool = False):
    """File the transcript into `case`'s e-file (default: the lead case); with `once`, not again for the same
    case and reason. Returns the e-file Document (None when skipped)."""
    from yunting.core.efile.models import Document
    from yunting.kernel.blobs.store import blob_put_bytes

    case = case or space.lead_case
    if once and JournalEntry.objects.filter(case=case, kind=entries.TRANSCRIPT_FILED, payload__space_id=space.pk,
                                            payload__reason=reason).exists():
        return None
    pdf = transcript_pdf(space, case)
    blob = blob_put_bytes(pdf)
    entry = journal_append(case=case, kind=entries.TRANSCRIPT_FILED, actor=actor,
                           payload={"space_id": space.pk, "items": space.thread.item_count, "reason": reason},
                           documents=[DocumentInput(sha256=blob.sha256, title="案件空间记录", kind="space_transcript")])
    Space.objects.filter(pk=space.pk).update(transcript_sha256=blob.sha256)
    return Document.objects.filter(entry=entry).first()
