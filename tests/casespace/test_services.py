"""Case space rules, enforced by the services whatever page, API call or socket asks (issue 20)."""

import pytest

from yunting.core.journal.models import JournalEntry
from yunting.core.threads.models import Item
from yunting.kernel.common.errors import ApplicationError
from yunting.workflows.casespace import entries, services
from yunting.workflows.casespace.models import Member

pytestmark = pytest.mark.django_db


def test_members_follow_the_case_by_role(space, space_case, users):
    roles = dict(Member.objects.filter(space=space).values_list("user__username", "role"))
    assert roles == {"judge": "judge", "assistant": "assistant", "clerk": "clerk", "plaintiff": "party",
                     "defendant": "party", "lawyer": "lawyer"}
    assert "filing_officer" not in roles  # filing officers are not in the space
    assert JournalEntry.objects.filter(case=space_case, kind=entries.OPENED, payload__space_id=space.pk).exists()


def test_a_participant_added_later_joins_through_the_journal(space, space_case, users, deliver):
    from yunting.core.cases.services import case_add_participant

    case_add_participant(case=space_case, user=users["mediator"], role="mediator")  # not a space role
    case_add_participant(case=space_case, user=users["service_officer"], role="judge_assistant")
    deliver(case=space_case)
    assert Member.objects.get(space=space, user=users["service_officer"]).role == "assistant"
    assert not Member.objects.filter(space=space, user=users["mediator"]).exists()


def test_posts_are_immutable_journaled_items_and_the_word_filter_applies(space, users):
    from yunting.core.threads.errors import SensitiveWords
    from yunting.core.threads.services import wordrule_set

    item = services.space_post(space=space, user=users["plaintiff"], text="法官您好，我想问开庭时间")
    assert item.kind == "message" and item.entry.kind == "threads.item_posted"
    assert item.author_label.startswith("张伟")
    wordrule_set(court=space.court, word="骗子", action="block")
    count = Item.objects.filter(thread=space.thread).count()
    with pytest.raises(SensitiveWords):
        services.space_post(space=space, user=users["defendant"], text="你就是个骗子")
    assert Item.objects.filter(thread=space.thread).count() == count
    from django.db import DatabaseError, transaction

    with pytest.raises(DatabaseError), transaction.atomic():
        Item.objects.filter(pk=item.pk).update(text="改过的")


def test_mute_unmute_and_mute_all_are_enforced(space, users):
    services.space_mute(space=space, actor=users["judge"], user_id=users["defendant"].pk, minutes=30, reason="扰乱秩序")
    with pytest.raises(ApplicationError) as exc:
        services.space_post(space=space, user=users["defendant"], text="我要说话")
    assert exc.value.code == "muted"
    services.space_post(space=space, user=users["plaintiff"], text="我可以说")
    services.space_unmute(space=space, actor=users["assistant"], user_id=users["defendant"].pk)
    services.space_post(space=space, user=users["defendant"], text="现在可以了")
    services.space_mute_all(space=space, actor=users["judge"], muted=True, reason="法官发布通知")
    for who in ("plaintiff", "defendant", "lawyer"):
        with pytest.raises(ApplicationError) as exc:
            services.space_post(space=space, user=users[who], text="我")
        assert exc.value.code == "muted"
    services.space_post(space=space, user=users["clerk"], text="书记员仍可发言")  # the court side still speaks
    kinds = list(JournalEntry.objects.filter(payload__space_id=space.pk).values_list("kind", flat=True))
    assert {entries.MEMBER_MUTED, entries.MEMBER_UNMUTED, entries.ALL_MUTED} <= set(kinds)


@pytest.mark.parametrize("actor,code", [("clerk", "space_moderators_only"), ("plaintiff", "space_moderators_only"),
                                        ("court_admin", "space_not_found")])
def test_only_the_judge_or_assistant_moderates(space, users, actor, code):
    with pytest.raises(ApplicationError) as exc:
        services.space_mute(space=space, actor=users[actor], user_id=users["defendant"].pk, minutes=5, reason="x")
    assert exc.value.code == code
    assert Member.objects.get(space=space, user=users["defendant"]).muted_until is None


@pytest.mark.parametrize("kwargs,code", [({"minutes": 0}, "space_minutes"), ({"minutes": "x"}, "space_minutes"),
                                         ({"reason": ""}, "space_reason"), ({"user_id": 0}, "space_member"),
                                         ({"user_id": "judge"}, "space_member_court")])
def test_bad_mutes_change_nothing(space, users, kwargs, code):
    args = {"user_id": users["defendant"].pk, "minutes": 10, "reason": "理由"} | kwargs
    if args["user_id"] == "judge":
        args["user_id"] = users["judge"].pk
    with pytest.raises(ApplicationError) as exc:
        services.space_mute(space=space, actor=users["judge"], **args)
    assert exc.value.code == code
    assert not Member.objects.filter(space=space, muted_until__isnull=False).exists()


def test_removal_is_final_and_hides_nothing(space, users):
    item = services.space_post(space=space, user=users["defendant"], text="不当言论")
    services.space_remove(space=space, actor=users["judge"], user_id=users["defendant"].pk, reason="辱骂法官")
    with pytest.raises(ApplicationError) as exc:
        services.space_post(space=space, user=users["defendant"], text="再来")
    assert exc.value.code == "space_removed"
    assert Item.objects.filter(pk=item.pk).exists()
    from yunting.workflows.casespace.transcript import transcript_text

    text = transcript_text(space)
    assert "不当言论" in text and "移出空间" in text and "辱骂法官" in text


def test_pinned_notice(space, users):
    item = services.space_pin(space=space, actor=users["assistant"], text="明日上午九时线上调解")
    space.refresh_from_db()
    assert space.pinned_item == item and item.kind == "notice"


def test_group_space_from_case_numbers(space_case, make_case, users):
    others = [make_case(participants=("judge",)) for _ in range(2)]
    numbers = "\n".join([space_case.number] + [c.number for c in others])
    group = services.space_group_create(actor=users["judge"], numbers=numbers, title="某楼盘业主系列案")
    assert group.kind == "group" and group.cases.count() == 3
    assert Member.objects.filter(space=group, user=users["plaintiff"]).exists()
    # a case already in a space, or one that is not the actor's, is refused with nothing created
    with pytest.raises(ApplicationError) as exc:
        services.space_group_create(actor=users["judge"], numbers=[others[0].number, make_case().number])
    assert exc.value.code == "space_case_taken"
    with pytest.raises(ApplicationError) as exc:
        services.space_group_create(actor=users["clerk"], numbers=[make_case().number, make_case().number])
    assert exc.value.code == "space_group_case"
    # a case of the group has its space: the group's
    assert services.space_ensure(case=others[1]) == group


def test_cards_from_the_journal_entry(space_case, users, deliver):
    from yunting.core.journal.services import journal_append

    e1 = journal_append(case=space_case, kind=entries.CARD_WANTED, actor=users["judge"], payload={
        "card": "delivery", "title": "送达：民事判决书", "url": "/delivery/1/", "user_ids": [users["defendant"].pk]})
    e2 = journal_append(case=space_case, kind=entries.CARD_WANTED, actor=users["judge"], payload={
        "card": "poll", "title": "开庭时间投票", "url": "/polls/2/", "user_ids": None})
    bad = journal_append(case=space_case, kind=entries.CARD_WANTED, actor=users["judge"], payload={
        "card": "delivery", "title": "钓鱼", "url": "https://evil.example/", "user_ids": None})
    for e in (e1, e2, bad, e1):  # delivered twice: one card
        deliver(e)
    from yunting.workflows.casespace.selectors import space_get_for, space_items

    space, member = space_get_for(users["plaintiff"], space_case.space_link.space_id)
    cards = [i for i in space_items(space, member) if i.kind == "card"]
    assert [c.text for c in cards] == ["开庭时间投票"]  # the delivery is for the defendant only
    _s, defendant = space_get_for(users["defendant"], space.pk)
    assert [c.text for c in space_items(space, defendant) if c.kind == "card"] == ["送达：民事判决书", "开庭时间投票"]
    assert Item.objects.filter(thread=space.thread, kind="card").count() == 2


def test_transcript_into_the_efile_on_demand_and_when_the_case_closes(space, space_case, users, deliver):
    from yunting.core.cases.services import case_change_status
    from yunting.core.efile.models import Document
    from yunting.kernel.blobs.store import blob_read
    from yunting.workflows.casespace.transcript import space_transcript_file

    services.space_post(space=space, user=users["plaintiff"], text="请求调解")
    doc = space_transcript_file(space=space, actor=users["clerk"])
    assert doc.kind == "space_transcript" and doc.title == "案件空间记录"
    pdf = blob_read(doc.blob_id)
    assert pdf.startswith(b"%PDF") and b"/FontFile2" in pdf  # the font is embedded
    from yunting.core.efile.catalog import kind_issuer

    assert kind_issuer(doc.kind) == "court"  # court-issued, never mistaken for a party's submission
    entry = case_change_status(case=space_case, status="closed", actor=users["judge"]).journal.filter(
        kind="case.status_changed").last()
    deliver(entry)
    deliver(entry)
    assert Document.objects.filter(case=space_case, kind="space_transcript").count() == 2
