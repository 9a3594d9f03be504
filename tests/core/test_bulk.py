"""Opening many cases and journaling many entries at once (one-click filing) must leave exactly what opening
them one by one leaves: gap-free numbers in order, valid hash chains, one ledger leaf per entry, e-file
documents with their text, search entries, and nothing at all when any input is bad."""

import pytest

from yunting.core.cases.models import Case, CaseNumberSequence, CaseType, Cause, Participation
from yunting.core.cases.services import CaseInput, PartyInput, case_open, case_open_many
from yunting.core.efile.models import Document
from yunting.core.efile.services import efile_extract_pending
from yunting.core.journal.ledger_glue import journal_ledger_audit
from yunting.core.journal.models import JournalEntry
from yunting.core.journal.services import DocumentInput, EntryInput, journal_append, journal_append_many
from yunting.core.journal.verify import journal_verify_case
from yunting.kernel.blobs.store import blob_put_bytes
from yunting.kernel.common.errors import ValidationFailed
from yunting.kernel.pdf.make import simple_pdf
from yunting.kernel.search.engine import search_ids

pytestmark = pytest.mark.django_db


def _input(court, *, type_code="民初", defendant="王强", id_number="", user=None):
    return CaseInput(
        court=court, case_type=CaseType.objects.get(code=type_code), cause=Cause.objects.get(name="金融借款合同纠纷"),
        parties=[PartyInput(role="plaintiff", kind="legal", name="深圳市宝安农商银行", credit_code="914403001922115675",
                            user=user),
                 PartyInput(role="defendant", kind="natural", name=defendant, id_number=id_number)],
    )


def test_numbers_follow_the_given_order_and_continue_one_by_one_numbering(court, users):
    first = case_open(data=_input(court), actor=users["filing_officer"])
    items = [_input(court, defendant=f"借款人{i}") for i in range(5)] + [_input(court, type_code="民特")]
    cases = case_open_many(items=items, actor=users["filing_officer"])
    seqs = [c.sequence for c in cases[:5]]
    assert seqs == list(range(first.sequence + 1, first.sequence + 6))
    assert cases[2].title == "深圳市宝安农商银行诉借款人2金融借款合同纠纷"
    assert "民特" in cases[5].number and cases[5].sequence == 1
    after = case_open(data=_input(court), actor=users["filing_officer"])
    assert after.sequence == first.sequence + 6


def test_bulk_cases_have_parties_participants_chains_leaves_and_search(court, users):
    cases = case_open_many(items=[_input(court, defendant=f"张{n}", user=users["plaintiff"]) for n in "甲乙丙"],
                           actor=users["filing_officer"])
    for case in cases:
        case.refresh_from_db()
        assert [p.name for p in case.parties.order_by("order")][0] == "深圳市宝安农商银行"
        assert Participation.objects.filter(case=case, user=users["plaintiff"], role="party").count() == 1
        entry = JournalEntry.objects.get(case=case)
        assert (entry.seq, entry.kind, case.journal_length, case.journal_head) == (1, "case.registered", 1,
                                                                                   entry.entry_hash)
        assert entry.payload["number"] == case.number
        assert journal_verify_case(case) == []
    assert journal_ledger_audit() == []
    assert search_ids(scope="case", query="张乙") == [cases[1].pk]


def test_entries_after_follow_each_new_case_in_its_chain_and_later_acts_continue_it(court, users):
    """A caller's own entries on the new cases (a filing's acceptance) are appended in the same bulk append,
    right after `case.registered`: chain, head and count as if appended one by one afterwards."""
    officer = users["filing_officer"]
    cases = case_open_many(items=[_input(court, defendant=f"李{n}") for n in "甲乙"], actor=officer,
                           entries_after=lambda cases: [EntryInput(case=c, kind="filing.accepted", actor=officer,
                                                                   payload={"n": i}) for i, c in enumerate(cases)])
    journal_append(case=cases[1], kind="case.note_added", actor=officer, payload={"text": "补充材料"})
    for case, kinds in zip(cases, (["case.registered", "filing.accepted"],
                                   ["case.registered", "filing.accepted", "case.note_added"]), strict=True):
        case.refresh_from_db()
        entries = list(JournalEntry.objects.filter(case=case).order_by("seq"))
        assert [(e.seq, e.kind) for e in entries] == list(enumerate(kinds, start=1))
        assert (case.journal_length, case.journal_head) == (len(kinds), entries[-1].entry_hash)
        assert journal_verify_case(case) == []
    assert journal_ledger_audit() == []


def test_one_bad_input_writes_nothing(court, users):
    before = (Case.objects.count(), JournalEntry.objects.count(), list(CaseNumberSequence.objects.values_list(
        "type_code", "last_value")))
    items = [_input(court), _input(court, defendant="李四", id_number="440306199001011234")]  # bad check digit
    with pytest.raises(ValidationFailed):
        case_open_many(items=items, actor=users["filing_officer"])
    after = (Case.objects.count(), JournalEntry.objects.count(), list(CaseNumberSequence.objects.values_list(
        "type_code", "last_value")))
    assert after == before


def test_many_entries_per_case_chain_like_single_appends(make_case, users):
    a, b = make_case(), make_case(defendant_name="王芳")
    journal_append(case=a, kind="case.note_added", payload={"n": 0})
    entries = journal_append_many([
        EntryInput(case=a, kind="case.note_added", payload={"n": 1}),
        EntryInput(case=b, kind="case.note_added", payload={"n": 1}),
        EntryInput(case=a, kind="case.note_added", actor=users["judge"], payload={"n": 2}),
    ])
    assert [(e.case_id, e.seq) for e in entries] == [(a.pk, 3), (b.pk, 2), (a.pk, 4)]
    assert entries[0].prev_hash == JournalEntry.objects.get(case=a, seq=2).entry_hash
    assert entries[2].prev_hash == entries[0].entry_hash
    for case in (a, b):
        case.refresh_from_db()
        assert journal_verify_case(case) == []
    a.refresh_from_db()
    assert (a.journal_length, a.journal_head) == (4, entries[2].entry_hash)
    journal_append(case=a, kind="case.note_added", payload={"n": 3})  # the single path carries on from there
    a.refresh_from_db()
    assert journal_verify_case(a) == [] and a.journal_length == 5
    assert journal_ledger_audit() == []


def test_bulk_documents_are_filed_at_once_and_their_text_follows_after_commit(
        make_case, django_capture_on_commit_callbacks):
    case = make_case()
    pdf = blob_put_bytes(simple_pdf(title="借款合同", body="借款人张三向出借人借款十万元整"))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        (entry,) = journal_append_many([EntryInput(case=case, kind="efile.document_submitted", documents=[
            DocumentInput(sha256=pdf.sha256, title="借款合同", kind="evidence")])])
    doc = Document.objects.get(entry=entry)
    assert (doc.page_count, doc.section.title, doc.text, doc.text_extracted_at) == (1, "证据材料", "", None)
    assert search_ids(scope="document", query="借款合同") == [doc.pk]  # the title is searchable at once
    assert search_ids(scope="document", query="十万元") == []
    for callback in callbacks:
        callback()
    doc.refresh_from_db()
    assert "十万元" in doc.text and doc.text_extracted_at is not None
    assert search_ids(scope="document", query="十万元") == [doc.pk]


def test_periodic_catch_up_extracts_what_no_task_did(make_case):
    case = make_case()
    pdf = blob_put_bytes(simple_pdf(title="还款计划", body="每月十五日前还款"))
    journal_append_many([EntryInput(case=case, kind="efile.document_submitted", documents=[
        DocumentInput(sha256=pdf.sha256, title="还款计划", kind="evidence")])])  # its task never ran (no commit)
    assert efile_extract_pending() == 1
    assert search_ids(scope="document", query="十五日") == [Document.objects.get(title="还款计划").pk]
    assert efile_extract_pending() == 0


def test_bulk_opened_cases_store_the_deadlines_a_full_recompute_gives_without_reading_back_their_writes(
        court, users, monkeypatch):
    """New cases' deadlines come from the entries in hand (their whole journals), not from reading back what the
    transaction just wrote: the same rows a recompute from the stored journal gives, and under a write-behind
    (PostgreSQL) the clocks do not wait for the queue in the middle of the bulk write."""
    from django.db import connection, transaction

    from yunting.core.clocks import services as clocks
    from yunting.core.clocks.models import Deadline
    from yunting.kernel.common import rawsql, write_behind

    def stored(ids):
        return sorted(Deadline.objects.filter(case_id__in=ids).values_list(
            "case_id", "key", "kind", "starts_on", "due", "state", "court_duty", "provisional"))

    waited = []
    refresh = clocks._refresh_safely

    def counted(*args, **kwargs):
        wb = write_behind.active(connection)
        before = wb.waits if wb is not None else 0
        refresh(*args, **kwargs)
        waited.append((wb.waits if wb is not None else 0) - before)

    monkeypatch.setattr(clocks, "_refresh_safely", counted)
    items = [_input(court, defendant=f"借款人{i}") for i in range(4)] + [_input(court, type_code="民特")]
    with transaction.atomic(), rawsql.write_behind():
        cases = case_open_many(items=items, actor=users["filing_officer"])
    ids = [c.pk for c in cases]
    held = stored(ids)
    assert {row[0] for row in held} == set(ids)  # every new case has its trial period stored
    assert {row[2] for row in held} == {"trial-ordinary", "trial-special"}
    Deadline.objects.filter(case_id__in=ids).delete()
    clocks.clocks_recompute(case_ids=ids)
    assert stored(ids) == held
    assert waited == [0], "the clocks read back the bulk write's rows"
