import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction

from yunting.core.journal import registry
from yunting.core.journal.models import Delivery, JournalEntry
from yunting.core.journal.services import DocumentInput, journal_append
from yunting.core.journal.verify import journal_verify_case
from yunting.kernel.blobs.store import blob_put_bytes
from yunting.kernel.common.errors import ValidationFailed
from yunting.kernel.pdf.make import simple_pdf

SEEN: list[int] = []


def remember(entry):
    SEEN.append(entry.pk)


def explode(entry):
    raise RuntimeError("subscriber is down")


def test_entries_chain_per_case(make_case, users):
    case = make_case()
    e2 = journal_append(case=case, kind="evidence.submitted", actor=users["lawyer"], payload={"items": 3})
    e3 = journal_append(case=case, kind="evidence.cross_examined", actor=users["judge"])
    assert [e2.seq, e3.seq] == [2, 3]
    assert e3.prev_hash == e2.entry_hash
    assert journal_verify_case(case) == []
    other = make_case()
    assert other.journal.get().prev_hash == "0" * 64


@pytest.mark.parametrize("sql", ["UPDATE journal_journalentry SET kind = 'x.y'", "DELETE FROM journal_journalentry"])
def test_raw_sql_cannot_update_or_delete_entries(make_case, sql):
    make_case()
    with pytest.raises((DatabaseError, IntegrityError)) as exc, transaction.atomic(), connection.cursor() as cur:
        cur.execute(sql)
    assert "append-only" in str(exc.value)
    assert JournalEntry.objects.get().kind == "case.registered"


def test_orm_update_is_refused_too(make_case):
    case = make_case()
    with pytest.raises((DatabaseError, IntegrityError)), transaction.atomic():
        JournalEntry.objects.filter(case=case).update(payload={"forged": True})


def test_bad_kind_changes_nothing(make_case):
    case = make_case()
    with pytest.raises(ValidationFailed):
        journal_append(case=case, kind="Not A Kind", payload={})
    assert case.journal.count() == 1


def test_document_lands_in_its_catalog_section(make_case, users):
    case = make_case()
    blob = blob_put_bytes(simple_pdf(title="起诉状", body="借款合同纠纷", pages=2))
    entry = journal_append(case=case, kind="filing.submitted", actor=users["lawyer"], documents=[
        DocumentInput(sha256=blob.sha256, title="起诉状", kind="complaint"),
        DocumentInput(sha256=blob.sha256, title="审理报告", kind="trial_report"),
        DocumentInput(sha256=blob.sha256, title="情况说明", kind="something_new"),
    ])
    docs = {d.title: d for d in entry.documents.select_related("section")}
    assert docs["起诉状"].section.title == "起诉与受理" and docs["起诉状"].page_count == 2
    assert docs["审理报告"].section.volume == "secondary"
    assert docs["情况说明"].section.title == "其他材料"
    assert entry.document_hashes == [blob.sha256] * 3


def test_unknown_blob_rolls_back_the_whole_entry(make_case):
    case = make_case()
    with pytest.raises(ValidationFailed):
        journal_append(case=case, kind="filing.submitted", documents=[
            DocumentInput(sha256="a" * 64, title="x", kind="complaint")])
    assert case.journal.count() == 1
    case.refresh_from_db()
    assert case.journal_length == 1


def test_tampering_is_detected_by_chain_verification(make_case, users):
    case = make_case()
    journal_append(case=case, kind="evidence.submitted", actor=users["lawyer"], payload={"items": 3})
    with connection.cursor() as cur:  # behind the application's back, with the trigger lifted
        from yunting.kernel.security.triggers import append_only_sql

        forward, reverse = append_only_sql(connection.vendor, "journal_journalentry")
        for sql in reverse:
            cur.execute(sql)
        cur.execute("UPDATE journal_journalentry SET payload = %s WHERE seq = 2", ['{"items": 30}'])
        for sql in forward:
            cur.execute(sql)
    problems = journal_verify_case(case)
    assert [p.seq for p in problems] == [2]


@pytest.mark.django_db(transaction=True)
def test_subscribers_run_after_commit_once(make_case):
    SEEN.clear()
    registry.subscribe("evidence.submitted", "tests.core.test_journal.remember")
    try:
        case = make_case()
        with transaction.atomic():
            entry = journal_append(case=case, kind="evidence.submitted")
            assert SEEN == []  # not before commit
        assert SEEN == [entry.pk]
        from yunting.core.journal.tasks import deliver_entry

        deliver_entry.call(entry_id=entry.pk, subscriber="tests.core.test_journal.remember")
        assert SEEN == [entry.pk]  # idempotent: the delivery row says done
        assert Delivery.objects.get(entry=entry).status == "done"
    finally:
        registry.unsubscribe("evidence.submitted", "tests.core.test_journal.remember")


@pytest.mark.django_db(transaction=True)
def test_failing_subscriber_never_rolls_back_the_entry(make_case):
    registry.subscribe("evidence.submitted", "tests.core.test_journal.explode")
    try:
        case = make_case()
        entry = journal_append(case=case, kind="evidence.submitted")
        assert JournalEntry.objects.filter(pk=entry.pk).exists()
        delivery = Delivery.objects.get(entry=entry)
        assert delivery.status == "failed" and "subscriber is down" in delivery.last_error
    finally:
        registry.unsubscribe("evidence.submitted", "tests.core.test_journal.explode")
