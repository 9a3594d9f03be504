"""The lifecycle follows the journal: an accepted filing is assigned by rule, a sealed closing paper closes
the case with its outcome, and the case's status says so everywhere."""

import pytest

from yunting.core.courts import services as s
from yunting.core.courts.selectors import case_lifecycle
from yunting.core.journal.models import JournalEntry

pytestmark = pytest.mark.django_db


def _accept(users, django_capture_on_commit_callbacks):
    from tests.filing.conftest import good_payload
    from yunting.workflows.filing.acceptance import filing_accept
    from yunting.workflows.filing.services import filing_save_draft, filing_submit

    filing = filing_submit(filing=filing_save_draft(filer=users["plaintiff"], data=good_payload()),
                           actor=users["plaintiff"])
    with django_capture_on_commit_callbacks(execute=True):
        case = filing_accept(filing=filing, actor=users["filing_officer"])
    case.refresh_from_db()
    return case


def test_acceptance_assigns_by_rule_and_the_notice_names_the_judge(setup_court, users,
                                                                   django_capture_on_commit_callbacks):
    case = _accept(users, django_capture_on_commit_callbacks)
    life = case_lifecycle(case)
    assert life.status == "in_trial" and life.judge in {"张法官", "李法官", "王立明"} and life.auto
    assert case.status == "in_trial"
    entry = JournalEntry.objects.get(case=case, kind="case.assigned")
    assert entry.payload["reason"].startswith("民间借贷纠纷 → 速裁团队")
    from yunting.core.papers.models import Paper

    notice = Paper.objects.get(case=case, template_code="acceptance_notice")
    assert notice.variables["judge_name"] == life.judge


def test_auto_assign_off_leaves_the_case_unassigned(setup_court, users, django_capture_on_commit_callbacks):
    s.settings_update(court=setup_court.court, actor=setup_court.admin, default_division=setup_court.civil,
                      auto_assign=False)
    case = _accept(users, django_capture_on_commit_callbacks)
    assert case_lifecycle(case).status == "registered"
    assert not JournalEntry.objects.filter(case=case, kind="case.assigned").exists()


def test_sealed_withdrawal_ruling_closes_the_case(setup_court, make_case, users, django_capture_on_commit_callbacks):
    from yunting.core.papers import services as papers

    case = make_case(participants=())
    s.case_assign(case=case, actor=users["filing_officer"], judge=users["judge"].pk, clerk=users["clerk"].pk,
                  procedure="simple", reason="指定承办")
    paper = papers.paper_draft(case=case, template_code="withdrawal_ruling", actor=users["judge"])
    paper = papers.paper_update(paper=paper, actor=users["judge"], values={
        "withdraw_date": "2026-11-25", "reasoning": "原告撤诉的申请符合法律规定，应予准许。", "fee": "2300"})
    paper = papers.paper_issue(paper=paper, actor=users["judge"])
    paper = papers.paper_sign(paper=paper, actor=users["clerk"])
    assert case_lifecycle(case).status == "in_trial"
    with django_capture_on_commit_callbacks(execute=True):
        papers.paper_seal(paper=paper, actor=users["court_admin"])
    life = case_lifecycle(case)
    assert (life.status, life.outcome) == ("closed", "withdrawal") and life.closed_on is not None
    closed = JournalEntry.objects.get(case=case, kind="case.closed")
    assert closed.payload["document"] == paper.__class__.objects.get(pk=paper.pk).pdf_sha256
    assert closed.payload["title"] == "民事裁定书（准许撤诉）"
    case.refresh_from_db()
    assert case.status == "closed"
