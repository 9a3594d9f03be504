"""core/threads as other workflows will use it: posting, the court's word list, unread marks, notices."""

import pytest

from yunting.kernel.common.errors import ApplicationError

pytestmark = pytest.mark.django_db


@pytest.fixture
def thread(make_case):
    from yunting.core.threads.services import thread_ensure

    case = make_case()
    return thread_ensure(case=case, purpose="casespace", title="案件空间")


def _post(thread, user, text, **kw):
    from yunting.core.threads.services import thread_post

    return thread_post(thread=thread, author=user, author_label=user.display_name, kind="note", text=text,
                       visibility=kw.pop("visibility", "all"), **kw)


def test_post_numbers_items_and_journals_only_their_hash(thread, users):
    a = _post(thread, users["judge"], "请双方于三日内补充材料")
    b = _post(thread, users["plaintiff"], "收到", refers_to=a)
    assert (a.seq, b.seq) == (1, 2) and b.refers_to_id == a.pk
    entry = thread.case.journal.get(pk=b.entry_id)
    assert entry.kind == "threads.item_posted" and entry.payload["sha256"] == b.sha256
    assert "收到" not in str(entry.payload)


def test_court_word_list_is_used_and_changes_apply_at_once(thread, users, court):
    from yunting.core.threads.errors import SensitiveWords
    from yunting.core.threads.services import wordrule_deactivate, wordrule_set

    _post(thread, users["plaintiff"], "对方是骗子")
    rule = wordrule_set(court=court, word="骗子", action="block", actor=users["court_admin"])
    with pytest.raises(SensitiveWords):
        _post(thread, users["plaintiff"], "对方是骗子")
    wordrule_deactivate(rule=rule)
    assert _post(thread, users["plaintiff"], "对方是骗子").seq == 2
    with pytest.raises(ApplicationError):
        wordrule_set(court=court, word="", action="block")


def test_unread_marks_per_person(thread, users):
    from yunting.core.threads.selectors import unread_counts
    from yunting.core.threads.services import thread_mark_read

    _post(thread, users["judge"], "一")
    _post(thread, users["judge"], "二")
    assert unread_counts(users["plaintiff"]).get(thread.pk) == 2
    assert unread_counts(users["judge"]).get(thread.pk) is None  # one's own items are never unread
    thread_mark_read(thread=thread, user=users["plaintiff"])
    assert unread_counts(users["plaintiff"]).get(thread.pk) is None
    _post(thread, users["clerk"], "三")
    assert unread_counts(users["plaintiff"]).get(thread.pk) == 1
    thread_mark_read(thread=thread, user=users["plaintiff"], upto=1)  # never moves backwards
    assert unread_counts(users["plaintiff"]).get(thread.pk) == 1
    # the court side: counted from the thread's length and the read mark, less one's own posts after it
    assert unread_counts(users["judge"]).get(thread.pk) == 1  # the clerk's
    thread_mark_read(thread=thread, user=users["judge"], upto=1)
    _post(thread, users["judge"], "四")
    _post(thread, users["plaintiff"], "五", visibility="court")
    assert unread_counts(users["judge"]).get(thread.pk) == 2  # 三 and 五; 二 and 四 are its own
    assert unread_counts(users["judge"], [thread.pk + 1]) == {}


def test_closed_thread_takes_nothing(thread, users):
    from yunting.core.threads.services import thread_close

    thread_close(thread=thread)
    with pytest.raises(ApplicationError) as exc:
        _post(thread, users["judge"], "迟到的话")
    assert exc.value.code == "thread_closed"


def test_notices_are_sent_once_per_key(thread, users):
    from yunting.core.threads.selectors import notices_for
    from yunting.core.threads.services import notice_send

    for _ in range(2):
        notice_send(user=users["plaintiff"], thread=thread, key="invite:1", text="请确认")
    assert notices_for(users["plaintiff"]).count() == 1
