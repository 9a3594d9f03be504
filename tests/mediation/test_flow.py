"""Issue 14 end to end through the API: a party's intake to a signed agreement, judicial confirmation with every
item carried into the 民特 case, the judge's ruling sealed and served."""

import base64

import pytest

from tests.mediation.conftest import dispute_payload, strokes_png
from yunting.core.efile.models import Document
from yunting.core.journal.models import JournalEntry
from yunting.core.journal.verify import journal_verify_case
from yunting.kernel.blobs.store import blob_read
from yunting.kernel.documents.signing import pki
from yunting.kernel.documents.signing.validate import pdf_validate
from yunting.workflows.mediation.models import Agreement, Dispute, DisputeState

pytestmark = pytest.mark.django_db

PNG64 = base64.b64encode(strokes_png()).decode()


def test_intake_answers_exactly_the_contract_and_opens_a_numbered_pre_litigation_case(bearer, network):
    r = bearer("plaintiff").post("/api/v1/mediation/disputes", dispute_payload(), content_type="application/json")
    assert r.status_code == 201, r.content
    body = r.json()
    assert set(body) == {"id", "case_id", "number"}
    assert body["number"].startswith("（") and "粤0306民诉前调" in body["number"] and body["number"].endswith("号")
    detail = bearer("plaintiff").get(f"/api/v1/mediation/disputes/{body['id']}").json()
    assert set(detail) == {"id", "case_id", "number", "state", "parties", "claims", "claim_amount"}
    assert detail["state"] == "new" and detail["claim_amount"] == "50000.00"
    assert detail["parties"] == [{"role": "plaintiff", "name": "张伟"}, {"role": "defendant", "name": "李娜"}]
    assert detail["claims"] == ["请求被申请人归还借款50000元"]
    listed = bearer("plaintiff").get("/api/v1/mediation/disputes?state=new").json()
    assert [d["id"] for d in listed["items"]] == [body["id"]]
    assert bearer("plaintiff").get("/api/v1/mediation/disputes?state=agreed").json()["items"] == []
    # the e-file exists from the first minute: the case was registered and the submission journaled
    kinds = list(JournalEntry.objects.filter(case_id=body["case_id"]).values_list("kind", flat=True))
    assert kinds[:2] == ["case.registered", "mediation.submitted"]


def test_bad_intake_reports_every_problem_and_changes_nothing(bearer, network):
    before = Dispute.objects.count(), JournalEntry.objects.count()
    bad = dispute_payload(dispute_type="", claim_amount="abc", parties=[])
    r = bearer("plaintiff").post("/api/v1/mediation/disputes", bad, content_type="application/json")
    assert r.status_code == 400
    fields = {p["field"] for p in r.json()["data"]["problems"]}
    assert {"dispute_type", "claim_amount", "parties"} <= fields
    assert (Dispute.objects.count(), JournalEntry.objects.count()) == before


def _sign(client, agreement_id):
    return client.post(f"/api/v1/mediation/agreements/{agreement_id}/sign", {"strokes_png": PNG64, "device": "test"},
                       content_type="application/json")


def test_from_intake_to_a_signed_agreement_and_a_confirmed_sealed_ruling(bearer, network, users, submit,
                                                                        django_capture_on_commit_callbacks):
    from yunting.core.papers.models import Paper
    from yunting.core.papers.services import paper_seal

    dispute = submit()
    coord, plaintiff, defendant = bearer("coordinator"), bearer("plaintiff"), bearer("defendant")
    suggestions = coord.get(f"/api/v1/mediation/disputes/{dispute.pk}/suggestions").json()["items"]
    best = suggestions[0]
    r = coord.post(f"/api/v1/mediation/disputes/{dispute.pk}/assign", {"mediator_id": best["mediator_id"]},
                   content_type="application/json")
    assert r.status_code == 200, r.content
    mediator_user = network["med_c"].user if best["mediator_id"] == network["med_c"].pk else None
    assert mediator_user is not None  # the loan specialist covering 新安街道 with the cause comes first
    from django.test import Client

    from yunting.interfaces.api.models import ApiToken

    _, raw = ApiToken.issue(user=mediator_user, name="t")
    med = Client(headers={"Authorization": f"Bearer {raw}"})
    assert med.post(f"/api/v1/mediation/assignments/{r.json()['assignment_id']}/accept").status_code == 200
    assert med.post(f"/api/v1/mediation/disputes/{dispute.pk}/start", {"mode": "thread"},
                    content_type="application/json").status_code == 200
    # a caucus note to the applicant's side only, and a proposal to both
    applicant = dispute.case.parties.get(role="plaintiff")
    med.post(f"/api/v1/mediation/disputes/{dispute.pk}/items",
             {"text": "请考虑分期方案", "visibility": f"party:{applicant.pk}", "kind": "message"},
             content_type="application/json")
    med.post(f"/api/v1/mediation/disputes/{dispute.pk}/items",
             {"text": "建议分两期归还50000元", "visibility": "all"}, content_type="application/json")
    defendant.post(f"/api/v1/mediation/disputes/{dispute.pk}/items",
                   {"text": "我最多能先还两万", "visibility": "mediator", "kind": "message"},
                   content_type="application/json")
    seen_by = {name: [i["text"] for i in c.get(f"/api/v1/mediation/disputes/{dispute.pk}/items").json()["items"]]
               for name, c in (("plaintiff", plaintiff), ("defendant", defendant), ("mediator", med))}
    assert seen_by["plaintiff"] == ["请考虑分期方案", "建议分两期归还50000元"]
    assert seen_by["defendant"] == ["建议分两期归还50000元", "我最多能先还两万"]
    assert seen_by["mediator"] == ["请考虑分期方案", "建议分两期归还50000元", "我最多能先还两万"]

    r = med.post(f"/api/v1/mediation/disputes/{dispute.pk}/agreement",
                 {"terms": ["被申请人于2026年12月31日前归还30000元", "余款20000元于2027年3月31日前归还"]},
                 content_type="application/json")
    assert r.status_code == 201, r.content
    agreement_id = r.json()["id"]
    assert _sign(med, agreement_id).json()["code"] == "mediation_sign_order"  # the mediator signs last
    assert _sign(plaintiff, agreement_id).status_code == 200
    assert _sign(plaintiff, agreement_id).json()["code"] == "mediation_signed_already"
    assert _sign(defendant, agreement_id).status_code == 200
    done = _sign(med, agreement_id).json()
    assert all(s["signed"] for s in done["slots"]) and done["status"] == "signed"
    assert plaintiff.get(f"/api/v1/mediation/disputes/{dispute.pk}").json()["state"] == "agreed"

    agreement = Agreement.objects.get(pk=agreement_id)
    report = pdf_validate(blob_read(agreement.pdf_sha256), trust=pki.pki_trust())
    assert report.ok and len(report.signatures) == 3
    assert report.signatures[-1].signer == mediator_user.display_name  # the mediator's own certificate
    assert all(s.intact and s.valid for s in report.signatures)

    # judicial confirmation: one click; the 民特 case carries the signed agreement and the whole file
    before = {(d.blob_id, d.kind) for d in Document.objects.filter(case=dispute.case, section__volume="main")
              if d.kind != "mediation_agreement"}
    r = plaintiff.post(f"/api/v1/mediation/disputes/{dispute.pk}/confirm")
    assert r.status_code == 201 and set(r.json()) == {"case_id", "number"}
    special = r.json()
    assert "粤0306民特" in special["number"]
    after = {(d.blob_id, d.kind) for d in Document.objects.filter(case_id=special["case_id"])}
    assert before <= after, before - after  # every item of the dispute's file, one by one
    assert (agreement.pdf_sha256, "mediation_agreement") in after
    assert plaintiff.post(f"/api/v1/mediation/disputes/{dispute.pk}/confirm").status_code == 409  # not twice
    from yunting.core.cases.models import Case

    case = Case.objects.get(pk=special["case_id"])
    assert case.cause.name == "申请司法确认调解协议"
    assert sorted(case.parties.values_list("role", "name")) == [("applicant", "张伟"), ("applicant", "李娜")]

    # a party cannot rule; the judge rules; the court administrator seals; the service centre serves it
    assert plaintiff.post(f"/api/v1/mediation/confirmations/{case.pk}/rule", {"granted": True},
                          content_type="application/json").status_code == 404
    r = bearer("judge").post(f"/api/v1/mediation/confirmations/{case.pk}/rule", {"granted": True},
                             content_type="application/json")
    assert r.status_code == 200, r.content
    paper = Paper.objects.get(pk=r.json()["paper_id"])
    with django_capture_on_commit_callbacks(execute=True):
        paper_seal(paper=paper, actor=users["court_admin"])
    paper.refresh_from_db()
    assert paper.status == "sealed"
    sealed = pdf_validate(blob_read(paper.pdf_sha256), trust=pki.pki_trust())
    assert sealed.ok and [s.signer for s in sealed.signatures] == ["王立明", "深圳市宝安区人民法院"]
    assert plaintiff.get(f"/api/v1/mediation/disputes/{dispute.pk}").json()["state"] == "confirmed"
    from yunting.core.service.models import ServiceTask

    served_on = set(ServiceTask.objects.filter(case=case).values_list("recipient__name", flat=True))
    assert served_on == {"张伟", "李娜"}  # the sealed ruling goes to both applicants through the service centre
    case.refresh_from_db()
    assert journal_verify_case(case) == []
    dispute.refresh_from_db()
    assert dispute.state == DisputeState.CONFIRMED
