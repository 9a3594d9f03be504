"""The exchange API contract: shapes, posting, the filter's 422, immutability, settlement to a draft paper."""

import pytest

pytestmark = pytest.mark.django_db


def _post(client, case, **body):
    return client.post(f"/api/v1/cases/{case.pk}/exchange/items", body, content_type="application/json")


def test_contract_shapes(opened, bearer):
    plaintiff, defendant = bearer("plaintiff"), bearer("defendant")
    r = _post(plaintiff, opened, kind="evidence", text="借条一张", title="借条", purpose="证明借款", visibility="all")
    assert r.status_code == 201, r.content
    ev = r.json()
    assert {"id", "by", "kind", "visibility", "text", "refers_to"} <= set(ev)
    assert ev["by"] == f"party:{opened.plaintiff.pk}" and ev["kind"] == "evidence" and ev["refers_to"] is None
    r = _post(defendant, opened, kind="opinion", text="不认可", refers_to=ev["id"],
              positions={"authenticity": "partial", "legality": "accept", "relevance": "reject"},
              reasons={"authenticity": "复印件", "relevance": "与本案无关"})
    assert r.status_code == 201, r.content
    assert r.json()["positions"]["relevance"] == "reject" and r.json()["refers_to"] == ev["id"]
    body = defendant.get(f"/api/v1/cases/{opened.pk}/exchange").json()
    assert body["state"] == "open"
    assert [c["decision"] for c in body["consents"]] == ["consented", "consented"]
    assert [i["kind"] for i in body["items"]] == ["evidence", "opinion"]
    assert defendant.get(f"/api/v1/exchange/items/{ev['id']}").json()["purpose"] == "证明借款"


def test_bad_positions_and_kinds_are_refused(opened, bearer):
    plaintiff = bearer("plaintiff")
    ev = _post(plaintiff, opened, kind="evidence", text="借条", purpose="证明借款").json()
    r = _post(bearer("defendant"), opened, kind="opinion", text="x", refers_to=ev["id"],
              positions={"authenticity": "maybe", "legality": "accept", "relevance": "accept"})
    assert r.status_code == 400 and r.json()["code"] == "asynctrial_positions"
    assert _post(plaintiff, opened, kind="guidance", text="x").json()["code"] == "asynctrial_kind"
    assert _post(bearer("judge"), opened, kind="evidence", text="x").json()["code"] == "asynctrial_kind"
    assert _post(plaintiff, opened, kind="evidence", text="x", purpose="p", visibility="party:1").status_code == 400
    # a party does not cross-examine its own evidence
    r = _post(plaintiff, opened, kind="opinion", text="x", refers_to=ev["id"],
              positions={"authenticity": "accept", "legality": "accept", "relevance": "accept"})
    assert r.json()["code"] == "asynctrial_own_evidence"


def test_blocked_word_is_422_and_changes_nothing(opened, bearer):
    from yunting.core.journal.models import JournalEntry
    from yunting.core.threads.models import Item

    before = (Item.objects.count(), JournalEntry.objects.filter(case=opened).count())
    r = _post(bearer("defendant"), opened, kind="defence", text="原告就是个傻 逼，借条是假的")
    assert r.status_code == 422
    assert r.json()["code"] == "sensitive_words" and "傻逼" in r.json()["data"]["words"]
    assert (Item.objects.count(), JournalEntry.objects.filter(case=opened).count()) == before
    r = _post(bearer("defendant"), opened, kind="defence", text="原告说的都是废物话，借条是假的")
    assert r.status_code == 201 and "废物" not in r.json()["text"] and r.json()["masked_words"] == ["废物"]


def test_items_are_immutable_and_corrections_refer_back(opened, bearer):
    from django.db import DatabaseError, transaction

    from yunting.core.threads.models import Item

    ev = _post(bearer("plaintiff"), opened, kind="evidence", text="借条", purpose="证明借款十万").json()
    fix = _post(bearer("plaintiff"), opened, kind="evidence", text="借条（更正：金额八万）", purpose="证明借款八万",
                refers_to=ev["id"]).json()
    assert fix["refers_to"] == ev["id"]
    for change in (lambda: Item.objects.filter(pk=ev["id"]).update(text="改过"),
                   lambda: Item.objects.filter(pk=ev["id"]).delete()):
        with pytest.raises(DatabaseError), transaction.atomic():
            change()
    assert Item.objects.get(pk=ev["id"]).text == "借条"


def test_settlement_accepted_by_all_makes_a_draft_paper(opened, bearer):
    from yunting.core.papers.models import Paper

    p = _post(bearer("plaintiff"), opened, kind="proposal", text="被告分三期偿还八万元，原告放弃利息。").json()
    r = bearer("defendant").post(f"/api/v1/cases/{opened.pk}/exchange/settlement",
                                 {"proposal": p["id"], "accept": True}, content_type="application/json")
    assert r.status_code == 200, r.content
    paper = Paper.objects.get(case=opened)
    assert paper.status == "draft" and paper.template_code == "mediation_statement"
    assert "分三期偿还八万元" in str(paper.variables["agreement"])
    # a court-only proposal cannot be accepted by the other side (it cannot even see it)
    hidden = _post(bearer("plaintiff"), opened, kind="proposal", text="底线六万", visibility="court").json()
    r = bearer("defendant").post(f"/api/v1/cases/{opened.pk}/exchange/settlement",
                                 {"proposal": hidden["id"], "accept": True}, content_type="application/json")
    assert r.status_code == 400


def test_position_change_needs_reason_and_leave(opened, bearer, acc, users):
    from yunting.workflows.asynctrial import services
    from yunting.workflows.asynctrial.selectors import disputed_points

    ev = _post(bearer("plaintiff"), opened, kind="evidence", text="借条", purpose="证明借款").json()
    _post(bearer("defendant"), opened, kind="opinion", text="不认可", refers_to=ev["id"],
          positions={"authenticity": "reject", "legality": "accept", "relevance": "accept"},
          reasons={"authenticity": "签名非本人"})
    assert disputed_points(opened)["points"]
    from yunting.kernel.common.errors import ApplicationError

    with pytest.raises(ApplicationError):
        services.asynctrial_position_change_request(
            access=acc(opened, "defendant"), actor=users["defendant"], evidence_id=ev["id"],
            party_id=opened.defendant.pk, prop="authenticity", after="accept", reason="")
    change = services.asynctrial_position_change_request(
        access=acc(opened, "defendant"), actor=users["defendant"], evidence_id=ev["id"],
        party_id=opened.defendant.pk, prop="authenticity", after="accept", reason="经核对笔迹确系本人所签")
    assert disputed_points(opened)["points"]  # not yet: the judge has not given leave
    with pytest.raises(ApplicationError):
        services.asynctrial_position_change_decide(access=acc(opened, "assistant"), actor=users["assistant"],
                                                   change_id=change.pk, grant=True)
    services.asynctrial_position_change_decide(access=acc(opened, "judge"), actor=users["judge"],
                                               change_id=change.pk, grant=True)
    assert disputed_points(opened)["points"] == []
    assert opened.journal.filter(kind="asynctrial.position_change_decided").exists()


def test_reading_the_exchange_and_an_item_goes_into_the_read_log(opened, bearer, users):
    from yunting.kernel.security.models import ReadLog

    ev = _post(bearer("plaintiff"), opened, kind="evidence", text="借条", purpose="证明借款").json()
    assert bearer("defendant").get(f"/api/v1/cases/{opened.pk}/exchange").status_code == 200
    assert bearer("defendant").get(f"/api/v1/exchange/items/{ev['id']}").status_code == 200
    logged = set(ReadLog.objects.filter(user_id=users["defendant"].pk, case_id=opened.pk)
                 .values_list("action", "channel"))
    assert {("exchange.view", "api"), ("exchange.item", "api")} <= logged
