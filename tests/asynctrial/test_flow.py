"""The asynchronous exchange end to end through its services: consent gating, rounds, positions, report."""

import pytest

from yunting.kernel.common.errors import ApplicationError

pytestmark = pytest.mark.django_db


def test_without_every_party_consent_nothing_starts(ecase, acc, users, post):
    from yunting.workflows.asynctrial import services
    from yunting.workflows.asynctrial.selectors import exchange_for

    services.asynctrial_propose(access=acc(ecase, "assistant"), actor=users["assistant"])
    services.asynctrial_consent(access=acc(ecase, "plaintiff"), actor=users["plaintiff"], party_id=None, consent=True)
    services.asynctrial_pledge(access=acc(ecase, "plaintiff"), actor=users["plaintiff"])
    services.asynctrial_consent(access=acc(ecase, "defendant"), actor=users["defendant"], party_id=None, consent=False)
    assert exchange_for(ecase).state == "proposed"
    with pytest.raises(ApplicationError) as exc:
        post(ecase, "plaintiff", "evidence", "借条一张", purpose="证明借款事实")
    assert exc.value.code == "asynctrial_not_open"
    # the defendant changes its mind before the activity: now it opens, with round 1 and its deadline
    services.asynctrial_consent(access=acc(ecase, "defendant"), actor=users["defendant"], party_id=None, consent=True)
    ex = exchange_for(ecase)
    assert ex.state == "open" and ex.current_round == 1 and ex.rounds.get().deadline > ex.opened_at


def test_proposal_invites_through_service_and_portal(ecase, acc, users):
    from yunting.core.threads.models import Notice
    from yunting.kernel.notify.models import OutboxMessage
    from yunting.workflows.asynctrial import services

    services.asynctrial_propose(access=acc(ecase, "assistant"), actor=users["assistant"])
    wanted = ecase.journal.get(kind="service.wanted")
    assert sorted(wanted.payload["recipients"]) == sorted([ecase.plaintiff.pk, ecase.defendant.pk])
    assert len(wanted.payload["documents"]) == 1
    assert Notice.objects.filter(user=users["defendant"]).count() == 1
    assert OutboxMessage.objects.filter(purpose="asynctrial").count() >= 2


def test_a_party_cannot_consent_for_the_other_nor_the_court_propose_twice(ecase, acc, users):
    from yunting.workflows.asynctrial import services

    services.asynctrial_propose(access=acc(ecase, "assistant"), actor=users["assistant"])
    with pytest.raises(ApplicationError):
        services.asynctrial_consent(access=acc(ecase, "plaintiff"), actor=users["plaintiff"],
                                    party_id=ecase.defendant.pk, consent=True)
    with pytest.raises(ApplicationError) as exc:
        services.asynctrial_propose(access=acc(ecase, "judge"), actor=users["judge"])
    assert exc.value.code == "asynctrial_exists"
    with pytest.raises(ApplicationError) as exc:
        services.asynctrial_propose(access=acc(ecase, "plaintiff"), actor=users["plaintiff"])


def test_pledge_is_needed_before_posting(ecase, acc, users, post):
    from yunting.workflows.asynctrial import services

    services.asynctrial_propose(access=acc(ecase, "assistant"), actor=users["assistant"])
    for who in ("plaintiff", "defendant"):
        services.asynctrial_consent(access=acc(ecase, who), actor=users[who], party_id=None, consent=True)
    with pytest.raises(ApplicationError) as exc:
        post(ecase, "plaintiff", "evidence", "借条", purpose="证明借款")
    assert exc.value.code == "asynctrial_pledge_required"
    services.asynctrial_pledge(access=acc(ecase, "plaintiff"), actor=users["plaintiff"])
    assert post(ecase, "plaintiff", "evidence", "借条", purpose="证明借款").seq == 1


def test_positions_rounds_and_report(opened, acc, users, post):
    from yunting.core.efile.models import Document
    from yunting.workflows.asynctrial import services
    from yunting.workflows.asynctrial.selectors import disputed_points, evidence_summary, exchange_for

    e1 = post(opened, "plaintiff", "evidence", "借条原件照片", title="借条", purpose="证明被告借款十万元",
              source="原告保管", pages="3-4")
    e2 = post(opened, "plaintiff", "evidence", "转账记录", title="银行转账记录", purpose="证明款项已交付")
    with pytest.raises(ApplicationError) as exc:  # a reason is needed for anything not accepted
        post(opened, "defendant", "opinion", "不认可", refers_to=e1.pk,
             positions={"authenticity": "reject", "legality": "accept", "relevance": "accept"})
    assert exc.value.code == "asynctrial_reason"
    post(opened, "defendant", "opinion", "借条签名非本人所签", refers_to=e1.pk,
         positions={"authenticity": "reject", "legality": "accept", "relevance": "partial"},
         reasons={"authenticity": "签名不是被告本人", "relevance": "只能证明部分金额"},
         purpose_objection="借条不能证明款项交付")
    rnd = services.asynctrial_round_open(access=acc(opened, "assistant"), actor=users["assistant"], days=5)
    assert rnd.number == 2
    post(opened, "defendant", "opinion", "认可", refers_to=e2.pk,
         positions={"authenticity": "accept", "legality": "accept", "relevance": "accept"})
    rows = evidence_summary(exchange_for(opened))
    assert rows[0].disputed == ["authenticity", "relevance"] and rows[0].undisputed == ["legality"]
    assert rows[0].purpose_disputed and rows[1].undisputed == ["authenticity", "legality", "relevance"]
    points = disputed_points(opened)
    assert {(p["number"], p["property"]) for p in points["points"]} == {(1, "authenticity"), (1, "relevance"),
                                                                        (1, "purpose")}
    assert "签名不是被告本人" in points["text"]
    document = services.asynctrial_close(access=acc(opened, "assistant"), actor=users["assistant"])
    assert exchange_for(opened).state == "closed"
    doc = Document.objects.get(pk=document.pk)
    assert doc.kind == "cross_examination" and doc.section.volume == "main"
    text = report_text_of(doc)
    for expected in ("异步质证报告", "借条", "证明被告借款十万元", "签名不是被告本人", "真实性不认可", "合法性认可",
                     "银行转账记录", "无争议", "争议焦点", "借条不能证明款项交付"):
        assert expected in text.replace("\n", "").replace(" ", ""), expected
    with pytest.raises(ApplicationError):  # closed: nothing more
        post(opened, "plaintiff", "defence", "补充")


def report_text_of(doc) -> str:
    from yunting.kernel.blobs.store import blob_open
    from yunting.kernel.pdf.tools import pdf_info

    with blob_open(doc.blob_id) as fh:
        return pdf_info(fh, max_text_pages=500)[1]
