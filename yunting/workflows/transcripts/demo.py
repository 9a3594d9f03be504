"""Demo: the transcript of the demo's confirmed online hearing, opened by the clerk with the first lines typed, so
the clerk can go on at /transcripts/<hearing id>/ and admitted parties follow it live. Idempotent."""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

from . import services
from .errors import TranscriptNotFound
from .models import Transcript
from .selectors import access_transcript_for

OPENING = ("审判员：现在开庭。核对当事人身份。\n"
           "原告：张伟，身份已核对。\n"
           "审判员：原告陈述诉讼请求。\n")


def transcripts_demo(*, orgs, users, progress: Callable[[str], None] = lambda s: None) -> dict:
    from yunting.workflows.hearings.models import Hearing

    hearing = (Hearing.objects.filter(court=orgs["court"], state="confirmed", room__isnull=False)
               .order_by("id").first())
    if hearing is None:
        progress("transcripts: no confirmed online hearing in the demo; nothing to add")
        return {}
    if Transcript.objects.filter(hearing=hearing).exists():
        progress("transcripts: demo transcript already present; nothing to add")
        return {"hearing": hearing.pk}
    for who in ("clerk", "judge"):
        try:
            ta = access_transcript_for(users[who], hearing.pk, court=True)
        except TranscriptNotFound:
            continue
        with transaction.atomic():
            t = services.transcript_open(ta=ta, actor=users[who])
            services.transcript_save(ta=access_transcript_for(users[who], hearing.pk), actor=users[who],
                                     text=OPENING, base_revision=t.revision)
        progress(f"transcripts: {hearing.case.number} transcript opened at /transcripts/{hearing.pk}/")
        return {"hearing": hearing.pk}
    return {}
