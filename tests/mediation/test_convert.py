"""Failed mediation → a filing in one click, carrying every item over (compared before and after, item by item,
through GET /api/v1/filings/{id}); and the filing desk → mediation with consent."""

import pytest

from tests.filing.conftest import good_payload
from yunting.core.efile.models import Document
from yunting.kernel.blobs.store import blob_read
from yunting.kernel.common.errors import Conflict, PermissionDenied
from yunting.workflows.mediation import services
from yunting.workflows.mediation.models import Dispute, DisputeState

pytestmark = pytest.mark.django_db


def _mediating(dispute, network, users):
    mediator = network["mediator"]
    assignment = services.dispute_assign(dispute=dispute, mediator=mediator, actor=users["coordinator"])
    services.assignment_accept(assignment=assignment, actor=users["mediator"])
    services.mediation_start(dispute=dispute, actor=users["mediator"], mode="thread")
    dispute.refresh_from_db()
    return dispute


def test_conversion_carries_every_item_over(bearer, network, users, submit, add_document, tmp_path):
    dispute = submit()
    add_document(dispute.case, "plaintiff", title="借条", kind="evidence", body="今借到张伟五万元。",
                 entry_kind="mediation.document")
    add_document(dispute.case, "defendant", title="还款记录", kind="evidence", body="已还一万元。",
                 entry_kind="mediation.document")
    dispute = _mediating(dispute, network, users)
    services.dispute_record_findings(dispute=dispute, actor=users["mediator"],
                                     undisputed=["2025年5月1日被申请人向申请人借款50000元"],
                                     disputed=["是否已归还10000元"])
    plaintiff = bearer("plaintiff")
    assert plaintiff.post(f"/api/v1/mediation/disputes/{dispute.pk}/convert").status_code == 409  # still mediating
    services.dispute_fail(dispute=dispute, actor=users["mediator"], reason="双方对已还款数额分歧较大")
    before = plaintiff.get(f"/api/v1/mediation/disputes/{dispute.pk}").json()
    files_before = {(d.blob_id, d.title, d.kind) for d in Document.objects.filter(case=dispute.case,
                                                                                   section__volume="main")}

    r = plaintiff.post(f"/api/v1/mediation/disputes/{dispute.pk}/convert")
    assert r.status_code == 201 and set(r.json()) == {"filing_id"}
    filing = plaintiff.get(f"/api/v1/filings/{r.json()['filing_id']}").json()
    assert filing["status"] == "submitted" and filing["case_type"] == "民初" and filing["court"] == "粤0306"
    assert filing["cause"] == "民间借贷纠纷"
    assert [(p["role"], p["name"]) for p in filing["parties"]] == [(p["role"], p["name"]) for p in before["parties"]]
    assert filing["claims"] == before["claims"]
    assert filing["claim_amount"] == before["claim_amount"]
    assert filing["fee"]["fee"] == "1050.00"  # the filing calculator on 50,000 yuan
    carried = {(d["sha256"], d["title"], d["kind"]) for d in filing["documents"]}
    missing = {item for item in files_before if (item[0], item[1], item[2]) not in carried}
    assert missing == set()  # every document of the dispute's file, one by one
    titles = {d["title"] for d in filing["documents"]}
    assert {"借条", "还款记录", "诉前调查报告"} <= titles
    report = next(d for d in filing["documents"] if d["title"] == "诉前调查报告")
    path = tmp_path / "report.pdf"
    path.write_bytes(blob_read(report["sha256"]))
    import subprocess

    text = "".join(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout.split())
    for needle in ("诉前调查报告", "无争议事实", "2025年5月1日被申请人向申请人借款50000元", "争议焦点",
                   "是否已归还10000元", "调解员接受委派", "双方对已还款数额分歧较大"):
        assert needle in text, needle
    assert plaintiff.get(f"/api/v1/mediation/disputes/{dispute.pk}").json()["state"] == "converted"
    assert plaintiff.post(f"/api/v1/mediation/disputes/{dispute.pk}/convert").status_code == 409  # once only
    # the defendant does not see the applicant's new filing
    assert bearer("defendant").get(f"/api/v1/filings/{r.json()['filing_id']}").status_code == 404


def test_filing_desk_diverts_a_filing_to_mediation_with_consent(users, network):
    from yunting.workflows.filing.services import filing_save_draft, filing_submit

    filing = filing_submit(filing=filing_save_draft(filer=users["plaintiff"], data=good_payload()),
                           actor=users["plaintiff"])
    with pytest.raises(PermissionDenied):  # only the filer consents
        services.dispute_from_filing(filing=filing, actor=users["defendant"])
    dispute = services.dispute_from_filing(filing=filing, actor=users["plaintiff"])
    filing.refresh_from_db()
    assert filing.status == "withdrawn"
    assert dispute.state == DisputeState.NEW and dispute.dispute_type == "loan"
    assert "民诉前调" in dispute.case.number and dispute.source_filing_id == filing.pk
    assert dispute.claims == filing.claims and dispute.claim_amount == filing.claim_amount
    assert list(dispute.case.parties.values_list("role", "name")) == list(filing.parties.values_list("role", "name"))
    docs = set(filing.documents.values_list("blob_id", "kind"))
    assert docs and docs <= set(Document.objects.filter(case=dispute.case).values_list("blob_id", "kind"))
    with pytest.raises(Conflict):
        services.dispute_from_filing(filing=filing, actor=users["plaintiff"])
    assert Dispute.objects.filter(source_filing_id=filing.pk).count() == 1
