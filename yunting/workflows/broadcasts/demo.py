"""Demo: a live, public outreach session (普法直播) of the demo judge for the cases they hear of the demo's most
common cause — a card in each of those cases' spaces, one answer in the stream, one published question and one
waiting for moderation. Idempotent (found by its title)."""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction
from django.db.models import Count

from yunting.core.cases.models import Case
from yunting.kernel.common.errors import ApplicationError

from . import services
from .models import Broadcast

TITLE = "民间借贷纠纷类案直播答疑（演示）"


def broadcasts_demo(*, orgs, users, progress: Callable[[str], None] = lambda s: None) -> dict:
    if Broadcast.objects.filter(title=TITLE).exists():
        return {"broadcasts": 0}
    judge = users["judge"]
    top = (services._host_cases(judge).filter(court=orgs["court"]).values("cause_id").annotate(n=Count("id"))
           .order_by("-n", "cause_id").first())
    if top is None:
        progress("broadcasts: the demo judge hears no open case; skipped")
        return {"broadcasts": 0}
    try:
        with transaction.atomic():
            b = services.broadcast_create(actor=judge, title=TITLE, cause_code=top["cause_id"], public=True,
                                          description="借条怎么写、利息怎么算、逾期怎么办：法官在线解答。")
            services.broadcast_start(broadcast=b, actor=judge)
            services.broadcast_post(broadcast=b, actor=judge, text="欢迎观看。借条应写明出借人、借款人、金额（大小写）、"
                                    "借款日期、还款期限和利息约定，并由借款人签名。")
            q = services.question_ask(broadcast=b, anonymous_id="demo-viewer-1", text="没有约定利息，可以要利息吗？")
            services.broadcast_post(broadcast=b, actor=judge, question_id=q.pk,
                                    text="借贷双方没有约定利息的，出借人主张支付利息的，人民法院不予支持。")
            services.question_ask(broadcast=b, anonymous_id="demo-viewer-2", text="借条丢了怎么办？")
    except ApplicationError as exc:
        progress(f"broadcasts: demo session not opened: {exc.message}")
        return {"broadcasts": 0}
    cases = Case.objects.filter(pk__in=b.cases.values("case_id")).count()
    progress(f"broadcasts: live outreach session for {cases} cases; public link /live/{b.public_token}/")
    return {"broadcasts": 1}
