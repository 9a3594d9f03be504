"""Live Q&A sessions: a judge's session for the cases of one cause (a card in each case's space), members'
questions moderated, answers published, viewers counted; the public link of an outreach session works without
login, filters and rate-limits questions, and shows nothing of any case."""

import pytest

from yunting.core.journal.models import JournalEntry
from yunting.workflows.broadcasts.models import Broadcast, BroadcastQuestion

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_cases(make_case, scase):
    return [scase, make_case(participants=("judge", "clerk"))]


def _blocked_word() -> str:
    from yunting.core.threads.wordfilter import BLOCK, default_rules

    return next(w for w, action in default_rules().items() if action == BLOCK)


def _create(login, **data):
    r = login("judge").post("/space-extras/broadcasts/", {"title": "民间借贷类案答疑", "description": "类案释明", **data})
    assert r.status_code == 302
    return Broadcast.objects.order_by("-id").first()


def test_session_for_a_cause_reaches_every_case_and_only_its_members(login, two_cases, outsider):
    b = _create(login, cause=two_cases[0].cause_id)
    assert {c.case_id for c in b.cases.all()} == {c.pk for c in two_cases}
    for case in two_cases:
        card = JournalEntry.objects.get(case=case, kind="casespace.card_wanted")
        assert card.payload["card"] == "broadcast" and card.payload["url"] == f"/space-extras/broadcasts/{b.pk}/"
    assert login("defendant").get(f"/space-extras/broadcasts/{b.pk}/").status_code == 200
    stranger = login("judge")
    stranger.force_login(outsider)
    assert stranger.get(f"/space-extras/broadcasts/{b.pk}/").status_code == 404
    assert stranger.get(f"/space-extras/broadcasts/{b.pk}/live.json").status_code == 404
    # a party cannot open a session; unknown case numbers are named
    login("defendant").post("/space-extras/broadcasts/", {"title": "x", "cause": two_cases[0].cause_id})
    page = login("judge").post("/space-extras/broadcasts/", {"title": "x", "case_numbers": "（2026）粤0306民初99999号"},
                               follow=True).content.decode()
    assert "（2026）粤0306民初99999号" in page and Broadcast.objects.count() == 1


def test_questions_are_moderated_answers_published_viewers_counted(login, two_cases):
    b = _create(login, case_numbers=two_cases[0].number)
    judge, member, other = login("judge"), login("defendant"), login("plaintiff")
    act = f"/space-extras/broadcasts/{b.pk}/act"
    judge.post(act, {"op": "start"})
    member.post(act, {"op": "ask", "text": "利息可以约定多少？"})
    member.post(act, {"op": "ask", "text": "可以分期还款吗？"})
    q1, q2 = BroadcastQuestion.objects.order_by("id")
    assert (q1.status, q1.author_label) == ("pending", "当事人")
    member.get(f"/space-extras/broadcasts/{b.pk}/live.json")
    seen = other.get(f"/space-extras/broadcasts/{b.pk}/live.json").json()
    assert seen["questions"] == [] and "pending" not in seen
    host = judge.get(f"/space-extras/broadcasts/{b.pk}/live.json").json()
    assert [q["text"] for q in host["pending"]] == ["利息可以约定多少？", "可以分期还款吗？"]
    judge.post(act, {"op": "reject", "question": q2.pk})
    judge.post(act, {"op": "post", "text": "不超过合同成立时一年期LPR的四倍。", "question": q1.pk})
    seen = other.get(f"/space-extras/broadcasts/{b.pk}/live.json").json()
    assert [q["text"] for q in seen["questions"]] == ["利息可以约定多少？"]
    assert seen["posts"][0]["text"] == "不超过合同成立时一年期LPR的四倍。" and seen["posts"][0]["question"]
    assert seen["viewers"] == {"total": 3, "live": 3}  # the judge, the defendant, the plaintiff (distinct)
    other.get(f"/space-extras/broadcasts/{b.pk}/live.json")
    assert other.get(f"/space-extras/broadcasts/{b.pk}/live.json").json()["viewers"]["total"] == 3
    # only the host moderates
    member.post(act, {"op": "publish", "question": q2.pk})
    q2.refresh_from_db()
    assert q2.status == "rejected"
    # a blocked word refuses the question, nothing stored
    member.post(act, {"op": "ask", "text": f"你是{_blocked_word()}吗"})
    assert BroadcastQuestion.objects.count() == 2
    judge.post(act, {"op": "end"})
    assert JournalEntry.objects.filter(case=two_cases[0], kind="broadcasts.ended").get().payload["viewers"] == 3


def test_public_link_needs_no_login_leaks_no_case_and_is_rate_limited(login, two_cases, client):
    b = _create(login, cause=two_cases[0].cause_id, public="1")
    assert b.public_token
    login("judge").post(f"/space-extras/broadcasts/{b.pk}/act", {"op": "start"})
    login("judge").post(f"/space-extras/broadcasts/{b.pk}/act", {"op": "post", "text": "今天讲借条怎么写。"})
    page = client.get(f"/live/{b.public_token}/")
    assert page.status_code == 200
    live = client.get(f"/live/{b.public_token}/live.json").json()
    assert live["posts"][0]["text"] == "今天讲借条怎么写。" and live["viewers"]["live"] >= 1
    everything = page.content.decode() + str(live)
    for case in two_cases:
        assert case.number not in everything
        for party in case.parties.all():
            assert party.name not in everything
    assert "public_token" not in live and "pending" not in live
    ask = f"/live/{b.public_token}/ask"
    blocked = client.post(ask, {"text": f"{_blocked_word()}"})
    assert blocked.status_code == 422 and not BroadcastQuestion.objects.exists()
    for i in range(3):
        assert client.post(ask, {"text": f"借条要写利息吗？{i}"}).status_code == 200
    limited = client.post(ask, {"text": "再问一个"})
    assert limited.status_code == 429 and limited.json()["code"] == "broadcast_rate_limited"
    assert BroadcastQuestion.objects.count() == 3 and all(q.author_label.startswith("网友")
                                                          for q in BroadcastQuestion.objects.all())
    assert client.get("/live/not-a-token/").status_code == 404
    private = _create(login, case_numbers=two_cases[0].number)
    assert private.public_token is None
