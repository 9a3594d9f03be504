import pytest

from yunting.core.journal.models import JournalEntry
from yunting.core.papers.demo import papers_demo
from yunting.core.papers.models import Paper, PaperStatus
from yunting.kernel.blobs.store import blob_read
from yunting.kernel.documents.signing import pki
from yunting.kernel.documents.signing.validate import pdf_validate

pytestmark = pytest.mark.django_db


def test_demo_issues_real_signed_papers_once(cast, make_case):
    orgs, users = cast
    case = make_case(participants=("judge", "clerk"))
    assert papers_demo(orgs=orgs, users=users, cases=1) == 1
    papers = {p.template_code: p for p in Paper.objects.filter(case=case)}
    assert set(papers) == {"acceptance_notice", "response_notice", "withdrawal_ruling", "hearing_transcript"}
    for code in ("acceptance_notice", "response_notice", "withdrawal_ruling"):
        assert papers[code].status == PaperStatus.SEALED
    transcript = papers["hearing_transcript"]
    assert transcript.signed_slots == ["party", "judge", "clerk"]
    trust = pki.pki_trust()
    for p in papers.values():
        assert pdf_validate(blob_read(p.pdf_sha256), trust=trust).ok
    assert JournalEntry.objects.filter(case=case, kind="papers.handsigned").count() == 1
    assert papers_demo(orgs=orgs, users=users, cases=1) == 0  # idempotent
