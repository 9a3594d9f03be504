from django.core.files.uploadedfile import SimpleUploadedFile

from yunting.kernel.pdf.make import simple_pdf


def test_submit_form_files_the_document_and_shows_it(make_case, users, client):
    case = make_case()
    client.force_login(users["lawyer"])
    page = client.get(f"/cases/{case.pk}/efile/")
    assert b'name="kind"' in page.content
    res = client.post(f"/cases/{case.pk}/documents/new", {
        "title": "补充证据", "kind": "evidence", "file": SimpleUploadedFile("a.pdf", simple_pdf(title="补充证据"))})
    assert res.status_code == 302 and "?doc=" in res["Location"]
    shown = client.get(res["Location"])
    assert "补充证据" in shown.content.decode()


def test_bad_upload_shows_a_message_and_files_nothing(make_case, users, client):
    case = make_case()
    client.force_login(users["lawyer"])
    res = client.post(f"/cases/{case.pk}/documents/new", {
        "title": "伪装的文件", "kind": "evidence", "file": SimpleUploadedFile("a.pdf", b"not a pdf at all" * 10)},
        follow=True)
    assert "不支持的文件类型" in res.content.decode()
    assert case.documents.count() == 0
