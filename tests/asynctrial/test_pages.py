"""The pages: evidence with a file goes through the one checked intake; the court's word list; strangers."""

import io

import pytest

pytestmark = pytest.mark.django_db


def test_evidence_file_goes_through_the_checked_intake(opened, client, users):
    from yunting.core.efile.models import Upload
    from yunting.core.threads.models import Item
    from yunting.kernel.pdf.make import simple_pdf

    client.force_login(users["plaintiff"])
    pdf = io.BytesIO(simple_pdf(title="借条", body="今借到张伟人民币十万元。"))
    pdf.name = "jietiao.pdf"
    r = client.post(f"/asynctrial/cases/{opened.pk}/post/", {
        "kind": "evidence", "text": "借条原件扫描件", "title": "借条", "purpose": "证明借款", "file": pdf})
    assert r.status_code == 302
    upload = Upload.objects.get(user=users["plaintiff"])
    assert upload.purpose == "efile" and upload.status == "accepted"
    item = Item.objects.get(kind="evidence")
    assert item.documents[0]["document_id"] == upload.outcome["document_id"]
    # a file that is not a document or an image is refused by the intake: no item, nothing filed
    fake = io.BytesIO(b"#!/bin/sh\necho not evidence\n" * 10)
    fake.name = "photo.jpg"
    client.post(f"/asynctrial/cases/{opened.pk}/post/", {
        "kind": "evidence", "text": "照片", "title": "照片", "purpose": "证明", "file": fake})
    assert Item.objects.filter(kind="evidence").count() == 1


def test_court_admin_maintains_the_word_list(opened, client, users, post):
    from yunting.kernel.common.errors import ApplicationError

    client.force_login(users["plaintiff"])
    assert client.get("/asynctrial/words/").status_code == 404
    client.force_login(users["court_admin"])
    assert "傻逼" in client.get("/asynctrial/words/").content.decode()
    client.post("/asynctrial/words/", {"word": "老赖", "action": "block"})
    with pytest.raises(ApplicationError) as exc:
        post(opened, "plaintiff", "defence", "被告就是老赖")
    assert exc.value.code == "sensitive_words"


def test_pages_answer_404_to_strangers(opened, client, users):
    client.force_login(users["mediator"])
    for path in ("", "export.json"):
        assert client.get(f"/asynctrial/cases/{opened.pk}/{path}").status_code == 404
    assert client.post(f"/asynctrial/cases/{opened.pk}/post/", {"kind": "defence", "text": "x"}).status_code == 404


def test_queue_and_case_link(opened, client, users, post):
    post(opened, "plaintiff", "evidence", "借条", purpose="证明借款")
    client.force_login(users["assistant"])
    page = client.get("/asynctrial/").content.decode()
    assert opened.number in page and "1 条新内容" in page
    assert f"/asynctrial/cases/{opened.pk}/" in client.get(f"/cases/{opened.pk}/").content.decode()
