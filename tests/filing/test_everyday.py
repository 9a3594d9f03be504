"""Issue 19's everyday edges of filing and the case pages, each through the pages or services people use."""

import pytest

from yunting.core.cases.models import Case, Cause
from yunting.workflows.filing.choices import FilingStatus
from yunting.workflows.filing.models import Filing, FilingEvent

from .test_web import FORM

pytestmark = [pytest.mark.django_db]


def test_the_official_cause_list_is_loaded_with_four_levels_and_old_codes_kept():
    assert Cause.objects.filter(level=3).count() == 514 and Cause.objects.filter(level=1).count() == 11
    loan = Cause.objects.get(code="MS-0001")  # cases reference the old codes
    assert (loan.name, loan.level, loan.parent.name, loan.parent.parent.name) == (
        "民间借贷纠纷", 4, "借款合同纠纷", "合同纠纷")
    assert not Cause.objects.get(code="AY-P01").selectable  # 第一部分 is a grouping only


def test_cause_search_follows_the_case_type(as_user):
    client = as_user("plaintiff")
    html = client.get("/filing/causes/", {"cause": "借贷", "case_type": "民初"}).content.decode()
    assert "民间借贷纠纷" in html and "借款合同纠纷 › 民间借贷纠纷" in html
    assert "申请司法确认调解协议" not in client.get("/filing/causes/", {"cause": "司法确认", "case_type": "民初"}).content.decode()
    assert "申请司法确认调解协议" in client.get("/filing/causes/", {"cause": "司法确认", "case_type": "民特"}).content.decode()


def test_a_mismatch_of_type_and_cause_is_caught_while_typing(as_user):
    client = as_user("plaintiff")
    filing = Filing.objects.get(pk=client.post("/filing/new/")["Location"].split("/")[2])
    html = client.post(f"/filing/{filing.pk}/autosave/", {"case_type": "民特", "cause": "民间借贷纠纷"}).content.decode()
    assert 'id="cause-check"' in html and "不属于" in html


def test_new_filing_reuses_an_empty_draft_and_prefills_the_filer(as_user, users):
    client = as_user("plaintiff")
    first = client.post("/filing/new/")["Location"]
    assert client.post("/filing/new/")["Location"] == first
    page = client.get(first).content.decode()
    assert 'value="张伟"' in page and 'for="party-0-name"' in page and "您本人的信息" in page
    assert Filing.objects.filter(filer=users["plaintiff"]).count() == 1


def test_errors_name_the_party_row_and_rows_keep_their_places(as_user):
    client = as_user("plaintiff")
    filing_url = client.post("/filing/new/")["Location"]
    pk = int(filing_url.split("/")[2])
    form = {k: v for k, v in FORM.items() if not k.startswith("party-")}
    form |= {"party-count": "4", "party-0-role": "plaintiff", "party-0-kind": "natural", "party-0-name": "",
             "party-1-role": "defendant", "party-1-kind": "natural", "party-1-name": "李娜",
             "party-1-id_number": "440306199001011234"}
    res = client.post(f"/filing/{pk}/submit/", form)
    assert res.status_code == 302 and res["Location"].endswith("/edit/#problems")
    assert client.get(f"/filing/{pk}/submit/").status_code == 302  # a reload never answers a bare 405
    html = client.get(res["Location"]).content.decode()
    assert "parties[" not in html and "当事人 2（被告） · 身份证号" in html
    assert 'id="party-1-id_number" value="440306199001011234"' not in html or "is-invalid" in html
    assert 'name="party-1-name"' in html and 'value="李娜"' in html  # the defendant stayed on row 2
    assert '<option value="plaintiff" selected>' in html  # the blank 原告 row is still there


def test_a_natural_person_is_not_asked_for_a_credit_code(as_user):
    client = as_user("plaintiff")
    pk = int(client.post("/filing/new/")["Location"].split("/")[2])
    client.post(f"/filing/{pk}/autosave/", {**FORM, "party-0-credit_code": "91110000600037341L"})
    party = Filing.objects.get(pk=pk).payload["parties"][0]
    assert party["credit_code"] == "" and party["id_number"] == "11010519491231002X"


def test_drafts_are_deleted_and_filings_withdrawn_only_with_confirmation(as_user, submitted, users):
    client = as_user("plaintiff")
    pk = int(client.post("/filing/new/")["Location"].split("/")[2])
    client.post(f"/filing/{pk}/delete/")
    assert Filing.objects.get(pk=pk).status == FilingStatus.DRAFT
    client.post(f"/filing/{pk}/delete/", {"confirm": "yes"})
    assert Filing.objects.get(pk=pk).status == FilingStatus.DELETED
    assert client.get(f"/filing/{pk}/edit/").status_code == 404 and f"/filing/{pk}/" not in client.get("/filing/").content.decode()
    filing = submitted()
    client.post(f"/filing/{filing.pk}/withdraw/")
    assert Filing.objects.get(pk=filing.pk).status == FilingStatus.SUBMITTED
    assert as_user("defendant").post(f"/filing/{filing.pk}/withdraw/", {"confirm": "yes"}).status_code == 404
    as_user("plaintiff").post(f"/filing/{filing.pk}/withdraw/", {"confirm": "yes"})
    assert Filing.objects.get(pk=filing.pk).status == FilingStatus.WITHDRAWN
    assert FilingEvent.objects.filter(filing=filing, kind="filing.withdrawn").exists()


def test_accepting_a_possible_duplicate_needs_its_own_confirmation(as_user, submitted):
    _first, second = submitted(), submitted()
    officer = as_user("filing_officer")
    queue = officer.get("/filing/review/").content.decode()
    assert queue.count('data-testid="duplicate-badge"') == 2 and "¥100,000.00" in queue
    detail = officer.get(f"/filing/{second.pk}/").content.decode()
    assert 'data-testid="confirm-duplicates"' in detail and "application/pdf" not in detail
    officer.post(f"/filing/{second.pk}/accept/")
    assert Filing.objects.get(pk=second.pk).status == FilingStatus.SUBMITTED
    officer.post(f"/filing/{second.pk}/accept/", {"confirm_duplicates": "yes"})
    assert Filing.objects.get(pk=second.pk).status == FilingStatus.ACCEPTED


def test_the_queue_searches_sorts_and_pages(as_user, submitted):
    small, large = submitted(claim_amount="5000"), submitted(claim_amount="900000", parties=[
        {"role": "plaintiff", "kind": "natural", "name": "张伟"}, {"role": "defendant", "kind": "natural", "name": "王五"}])
    officer = as_user("filing_officer")
    html = officer.get("/filing/review/", {"q": "王五"}).content.decode()
    assert f'href="/filing/{large.pk}/"' in html and f'href="/filing/{small.pk}/"' not in html
    html = officer.get("/filing/review/", {"sort": "-amount"}).content.decode()
    assert html.index(f'href="/filing/{large.pk}/"') < html.index(f'href="/filing/{small.pk}/"')


def test_refusal_issues_a_ruling_served_once_sealed(as_user, submitted, users, django_capture_on_commit_callbacks):
    from yunting.kernel.notify.models import OutboxMessage
    from yunting.workflows.filing.services import filing_reject

    filing = submitted()
    with django_capture_on_commit_callbacks(execute=True):
        filing = filing_reject(filing=filing, actor=users["filing_officer"], reason="不属于本院管辖。")
    case = Case.objects.get(pk=filing.case_id)
    assert case.status == "closed" and "民初" in case.number
    paper = case.papers.get(template_code="rejection_ruling")
    assert paper.status == "issued"  # the officer holds no seal: it waits for the seal holder
    party = as_user("plaintiff")
    assert 'data-testid="ruling-pending"' in party.get(f"/filing/{filing.pk}/").content.decode()
    assert party.get(f"/filing/{filing.pk}/ruling.pdf").status_code == 404
    from yunting.core.papers.services import paper_seal

    with django_capture_on_commit_callbacks(execute=True):
        paper_seal(paper=paper, actor=users["court_admin"])
    html = party.get(f"/filing/{filing.pk}/").content.decode()
    assert 'data-testid="ruling-pdf"' in html and "尚未建成" in html and "十日内" in html
    pdf = party.get(f"/filing/{filing.pk}/ruling.pdf")
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")
    sms = OutboxMessage.objects.get(purpose="filing.ruling")
    assert "不予受理" in sms.body and "10日内" in sms.body
    assert FilingEvent.objects.filter(filing=filing, kind="filing.ruling_delivered").count() == 1


def test_registration_speaks_chinese_about_short_passwords(client):
    html = client.post("/accounts/register/", {"password1": "short", "password2": "short"}).content.decode()
    assert "密码长度太短" in html and "This password is too short" not in html


def test_outside_roles_see_no_internal_marks_and_only_tabs_they_can_open(as_user, make_case, users):
    case = make_case(participants=("judge", "lawyer", "mediator"))
    for who in ("plaintiff", "lawyer", "mediator"):
        html = as_user(who).get(f"/cases/{case.pk}/").content.decode()
        assert 'data-testid="security-level"' not in html and 'data-testid="papers-link"' not in html
        assert as_user(who).get(f"/papers/cases/{case.pk}/").status_code == 404
    html = as_user("judge").get(f"/cases/{case.pk}/").content.decode()
    assert 'data-testid="security-level"' in html and 'data-testid="papers-link"' in html
    papers = as_user("judge").get(f"/papers/cases/{case.pk}/").content.decode()
    assert 'data-testid="case-number"' in papers and 'data-testid="case-tabs"' in papers


def test_the_case_journal_pages_back_to_the_first_entry(as_user, make_case, users):
    from yunting.core.journal.services import journal_append

    case = make_case()
    for _ in range(30):
        journal_append(case=case, kind="hearing.scheduled", actor=users["clerk"])
    client = as_user("judge")
    assert 'data-testid="journal-older"' in client.get(f"/cases/{case.pk}/").content.decode()
    last = client.get(f"/cases/{case.pk}/", {"journal_page": 2}).content.decode()
    assert 'data-seq="1"' in last


def test_the_read_log_shows_names_labels_and_case_numbers(as_user, make_case, users, add_document):
    case = make_case()
    doc = add_document(case)
    judge = as_user("judge")
    judge.get(f"/cases/{case.pk}/")
    judge.get(f"/documents/{doc.pk}/content")
    html = as_user("court_admin").get("/admin-tools/read-log/").content.decode()
    assert "王立明" in html and case.number in html and "文书《起诉状》" in html and "原告 张某" in html
    assert ">document.read<" not in html and "font-monospace\">document.read" not in html
