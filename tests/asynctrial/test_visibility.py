"""Court-only and one-party items never reach the other party: API list, API by id, page, export, report, unread
counts, and the case journal (which carries only the item's hash)."""

import json

import pytest

pytestmark = pytest.mark.django_db

SECRET = "原告可接受分期八万元"
GUIDE = "请被告补充提交还款凭证"


@pytest.fixture
def hidden(opened, post):
    """A plaintiff's court-only settlement proposal and the court's guidance to the plaintiff only."""
    ev = post(opened, "plaintiff", "evidence", "借条", title="借条", purpose="证明借款")
    proposal = post(opened, "plaintiff", "proposal", SECRET, visibility="court")
    guide = post(opened, "judge", "guidance", GUIDE.replace("被告", "原告"), visibility=f"party:{opened.plaintiff.pk}")
    public = post(opened, "assistant", "guidance", "请各方按期发表质证意见", visibility="all")
    return {"ev": ev, "proposal": proposal, "guide": guide, "public": public}


def test_api_list_and_item_hide_court_only_and_one_party_items(opened, hidden, bearer):
    defendant = bearer("defendant")
    body = defendant.get(f"/api/v1/cases/{opened.pk}/exchange").json()
    ids = {i["id"] for i in body["items"]}
    assert ids == {hidden["ev"].pk, hidden["public"].pk}
    assert SECRET not in json.dumps(body, ensure_ascii=False)
    assert all("seq" not in i for i in body["items"])  # gaps in the numbering would count the hidden items
    for key in ("proposal", "guide"):
        r = defendant.get(f"/api/v1/exchange/items/{hidden[key].pk}")
        assert r.status_code == 404
        assert r.json()["code"] == defendant.get("/api/v1/exchange/items/999999").json()["code"]
    # the plaintiff sees its own proposal and the guidance addressed to it; the judge sees all
    plaintiff_ids = {i["id"] for i in bearer("plaintiff").get(f"/api/v1/cases/{opened.pk}/exchange").json()["items"]}
    assert plaintiff_ids == {h.pk for h in hidden.values()}
    judge = bearer("judge").get(f"/api/v1/cases/{opened.pk}/exchange").json()
    assert {i["id"] for i in judge["items"]} == {h.pk for h in hidden.values()}
    assert {i["visibility"] for i in judge["items"]} == {"all", "court", f"party:{opened.plaintiff.pk}"}
    assert [i["seq"] for i in judge["items"]] == [1, 2, 3, 4]
    assert bearer("judge").get(f"/api/v1/exchange/items/{hidden['proposal'].pk}").json()["text"] == SECRET


def test_unread_counts_leave_out_what_the_party_cannot_see(opened, hidden, users):
    from yunting.core.threads.selectors import unread_counts

    thread = hidden["ev"].thread_id
    assert unread_counts(users["defendant"])[thread] == 2  # the evidence and the public guidance
    assert unread_counts(users["plaintiff"])[thread] == 2  # the judge's guidance to it and the public one
    assert unread_counts(users["clerk"])[thread] == 4


def test_page_and_export_hide_them(opened, hidden, client, users):
    client.force_login(users["defendant"])
    page = client.get(f"/asynctrial/cases/{opened.pk}/").content.decode()
    assert "借条" in page and SECRET not in page and "还款凭证" not in page
    export = client.get(f"/asynctrial/cases/{opened.pk}/export.json").content.decode()
    assert SECRET not in export and "还款凭证" not in export and "借条" in export
    client.force_login(users["judge"])
    assert SECRET in client.get(f"/asynctrial/cases/{opened.pk}/").content.decode()


def test_report_and_journal_carry_no_hidden_text(opened, hidden, acc, users, bearer):
    from yunting.workflows.asynctrial import services
    from yunting.workflows.asynctrial.report import report_text
    from yunting.workflows.asynctrial.selectors import exchange_for

    assert SECRET not in report_text(exchange_for(opened))
    services.asynctrial_report(access=acc(opened, "assistant"), actor=users["assistant"])
    journal = bearer("defendant").get(f"/api/v1/cases/{opened.pk}/journal?page_size=100").content.decode()
    assert SECRET not in journal and "还款凭证" not in journal and "threads.item_posted" in journal


def test_a_stranger_gets_404_for_everything(opened, hidden, bearer):
    other = bearer("mediator")
    assert other.get(f"/api/v1/cases/{opened.pk}/exchange").status_code == 404
    assert other.get(f"/api/v1/exchange/items/{hidden['ev'].pk}").status_code == 404
    r = other.post(f"/api/v1/cases/{opened.pk}/exchange/items", {"kind": "evidence", "text": "x"},
                   content_type="application/json")
    assert r.status_code == 404
