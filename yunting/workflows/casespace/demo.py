"""The demo's case space: a case the demo judge hears, with the demo plaintiff and defendant as members, a few
messages, a pinned notice, and the defendant muted (30 days, with the reason). Run again, it adds nothing."""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

from .models import Member, SpaceCase

MESSAGES = [
    ("judge", "各位好，本案的案件空间已开通。请文明发言，所有发言均记入案卷。"),
    ("plaintiff", "法官您好，我已提交借条和转账记录，请问下一步怎么安排？"),
    ("defendant", "钱我早就还了，原告一直在骚扰我！！！"),
    ("judge", "请被告注意言辞，有异议请通过答辩状提交证据。"),
]
NOTICE = "本案拟于下周组织线上调解，具体时间以法院通知为准。"
MUTE_REASON = "多次发表与案件无关的过激言论"


def _case(orgs, users):
    from yunting.core.cases.models import Case

    judge, plaintiff, defendant = users["judge"], users["plaintiff"], users["defendant"]
    return (Case.objects.filter(court=orgs["court"], closed_at__isnull=True, participations__user=judge,
                                participations__role__in=("judge", "presiding_judge"))
            .filter(participations__user=plaintiff, participations__role="party")
            .filter(participations__user=defendant)
            .exclude(security_level="secret").exclude(status__in=("closed", "archived", "decided"))
            .order_by("id").first())


def casespace_demo(*, orgs, users, progress: Callable[[str], None] = lambda s: None) -> dict:
    from . import services

    case = _case(orgs, users)
    if case is None:
        progress("casespace: no open case with the demo judge, plaintiff and defendant; nothing to add")
        return {"created": False}
    link = SpaceCase.objects.select_related("space", "space__thread").filter(case=case).first()
    if link is not None and link.space.thread.item_count:
        progress("casespace: demo space already present; nothing to add")
        return {"created": False, "space": link.space}
    with transaction.atomic():
        space = services.space_ensure(case=case, actor=users["judge"])
        for who, text in MESSAGES:
            services.space_post(space=space, user=users[who], text=text)
        services.space_pin(space=space, actor=users["judge"], text=NOTICE)
        services.space_mute(space=space, actor=users["judge"], user_id=users["defendant"].pk,
                            minutes=services.MUTE_MAX_MINUTES, reason=MUTE_REASON)
    progress(f"casespace: space {space.pk} for {case.number}: {Member.objects.filter(space=space).count()} members, "
             "defendant muted")
    return {"created": True, "space": space}
