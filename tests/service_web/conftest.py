import re

import pytest
from django.test import Client


@pytest.fixture
def web_case(make_case, add_document, users):
    """A 民初 case: plaintiff 张伟 (account, lawyer 黄志强), defendant 李娜 (account, ID number, phone, address); the
    complaint in the e-file and a 应诉通知书 drafted, issued and sealed (a court paper that no workflow serves by
    itself, so the judge's 送达 click is what serves it).
    Returns a namespace: case, plaintiff, defendant, complaint, notice (the sealed notice's e-file document)."""
    from types import SimpleNamespace

    from yunting.core.cases.models import Participation
    from yunting.core.efile.models import Document
    from yunting.core.papers import services as papers

    case = make_case(procedure="ordinary")
    plaintiff = case.parties.get(role="plaintiff")
    defendant = case.parties.get(role="defendant")
    defendant.id_number = "360426199101010071"
    defendant.phone = "13987654321"
    defendant.address = "天津市河西区友谊路 1 号"
    defendant.user = users["defendant"]
    defendant.save()
    Participation.objects.get_or_create(case=case, user=users["plaintiff"], role="party", party=plaintiff)
    Participation.objects.get_or_create(case=case, user=users["defendant"], role="party", party=defendant)
    Participation.objects.filter(case=case, user=users["lawyer"]).update(party=plaintiff)
    complaint = add_document(case, title="民事起诉状", body="诉讼请求：判令被告归还借款本金人民币十万元及利息。")
    paper = papers.paper_draft(case=case, template_code="response_notice", actor=users["judge"])
    paper = papers.paper_update(paper=paper, actor=users["judge"], values={
        "recipient": "李娜", "answer_days": "15", "evidence_days": "15", "contact": "刘晓燕 0755-12345678"})
    paper = papers.paper_issue(paper=paper, actor=users["judge"])
    paper = papers.paper_seal(paper=paper, actor=users["court_admin"])
    notice = Document.objects.get(case=case, blob_id=paper.pdf_sha256)
    return SimpleNamespace(case=case, plaintiff=plaintiff, defendant=defendant, complaint=complaint, notice=notice)


@pytest.fixture
def as_user(users):
    def make(name: str) -> Client:
        client = Client()
        client.force_login(users[name])
        return client

    return make


@pytest.fixture
def consent(users):
    from yunting.core.service.services import consent_record

    def give(case, party, channels=("sms",)):
        return consent_record(case=case, party=party, form="explicit", channels=list(channels), actor=users["clerk"])

    return give


@pytest.fixture
def request_service(users):
    from yunting.core.service.services import service_request

    def ask(case, documents, recipients):
        return service_request(case=case, documents=[d.pk for d in documents], recipients=[p.pk for p in recipients],
                               actor=users["judge"])

    return ask


@pytest.fixture
def sms_of():
    """The token and access code the last SMS of a task carried (read from the outbox, as the phone would)."""
    from yunting.kernel.notify.models import OutboxMessage

    def read():
        body = OutboxMessage.objects.filter(purpose__startswith="service").order_by("-id").first().body
        token = re.search(r"/s/([A-Za-z0-9_-]+)", body).group(1)
        code = re.search(r"访问码\s*(\d{6})", body).group(1)
        return token, code, body

    return read
