import re

import pytest
from django.test import Client


@pytest.fixture
def web_case(make_case, add_document, users):
    """A 民初 case: plaintiff 张伟 (account, lawyer 黄志强), defendant 李娜 (account, ID number, phone, address); the
    complaint in the e-file and a withdrawal ruling drafted, issued, signed and sealed (a court paper).
    Returns a namespace: case, plaintiff, defendant, complaint, ruling (the sealed ruling's e-file document)."""
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
    paper = papers.paper_draft(case=case, template_code="withdrawal_ruling", actor=users["judge"])
    paper = papers.paper_update(paper=paper, actor=users["judge"], values={
        "withdraw_date": "2026-11-25", "reasoning": "原告撤诉的申请符合法律规定，应予准许。", "fee": "2300"})
    paper = papers.paper_issue(paper=paper, actor=users["judge"])
    paper = papers.paper_sign(paper=paper, actor=users["clerk"])
    paper = papers.paper_seal(paper=paper, actor=users["court_admin"])
    ruling = Document.objects.get(case=case, blob_id=paper.pdf_sha256)
    return SimpleNamespace(case=case, plaintiff=plaintiff, defendant=defendant, complaint=complaint, ruling=ruling)


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
