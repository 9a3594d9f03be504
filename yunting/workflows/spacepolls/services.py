"""开庭时间协商 in the case space. The hearings workflow does the work — the scheduler's candidate slots
(hearing_propose), the parties' votes (hearing_vote), the judge's choice and the summons (hearing_confirm); this
module only opens the poll from the space and posts its cards (`casespace.card_wanted`)."""

from __future__ import annotations

from django.db import transaction

from yunting.core.journal.services import journal_append
from yunting.kernel.common.timeutil import SHANGHAI

CARD_WANTED = "casespace.card_wanted"


def poll_url(case_id: int, hearing_id: int) -> str:
    return f"/space-extras/cases/{case_id}/polls/{hearing_id}/"


@transaction.atomic
def poll_open(*, access, actor, stage_kind: str = "trial", vote_hours=24, hearing_id=None, options=None):
    """Post candidate slots to the case space: the judge's open hearing (or a new request) is proposed to the
    parties by the scheduler (or with the judge's own `options`), and a poll card goes to every member."""
    from yunting.workflows.hearings import services as hearings

    if hearing_id not in (None, ""):
        hearing = hearings.hearing_get(access, hearing_id)
    else:
        hearing = hearings.hearing_request(access=access, actor=actor, stage_kind=stage_kind)
    hearing = hearings.hearing_propose(access=access, actor=actor, hearing=hearing, vote_hours=vote_hours,
                                       options=options or None)
    journal_append(case=access.case, kind=CARD_WANTED, actor=actor, payload={
        "card": "poll", "title": f"开庭时间协商：请在{hearing.vote_deadline.astimezone(SHANGHAI):%m月%d日%H:%M}前投票",
        "url": poll_url(access.case.pk, hearing.pk), "user_ids": None})
    return hearing


def on_hearing_confirmed(entry) -> None:
    """hearing.confirmed (subscriber): a notice card with the fixed time (the summons follows in hearings).
    Once per entry: the card names the entry it answers."""
    from yunting.core.journal.models import JournalEntry

    p = entry.payload or {}
    if JournalEntry.objects.filter(case_id=entry.case_id, kind=CARD_WANTED,
                                   payload__answers_entry=entry.pk).exists():
        return
    slot = f"{p.get('date', '')} {p.get('slot', '')}".strip()
    journal_append(case=entry.case, kind=CARD_WANTED, actor=None, payload={
        "card": "notice", "title": f"开庭时间已确定：{slot}，传票随后送达",
        "url": poll_url(entry.case_id, p.get("hearing_id")), "user_ids": None, "answers_entry": entry.pk})
