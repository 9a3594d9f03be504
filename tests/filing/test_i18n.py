"""Filing messages follow the caller's language: Chinese by default, English when the API is asked for it or the
person switched the pages to English. Codes and field names never change with the language."""

import json

import pytest
from django.utils import translation

from .conftest import good_payload

pytestmark = [pytest.mark.django_db]


@pytest.fixture(autouse=True)
def _language_restored():
    """A request activates its language for the rest of the thread; later tests expect the default again."""
    before = translation.get_language()
    yield
    translation.activate(before)


def _file(client, data, **headers):
    return client.post("/api/v1/filings", json.dumps(data, ensure_ascii=False), content_type="application/json",
                       headers=headers)


def test_api_problems_come_back_in_the_callers_language(cast, bearer):
    client = bearer("plaintiff")
    bad = good_payload(claims=[], facts="", court="粤9999")
    zh, en = _file(client, bad).json(), _file(client, bad, **{"Accept-Language": "en"}).json()
    assert zh["code"] == en["code"] == "filing_invalid"
    assert [(p["field"], p["code"]) for p in zh["data"]["problems"]] == \
        [(p["field"], p["code"]) for p in en["data"]["problems"]]
    assert zh["message"] == "立案材料有 3 处问题，请修改后再提交"
    assert en["message"] == "The filing has 3 problems; correct them and submit again."
    zh_by_field = {p["field"]: p["message"] for p in zh["data"]["problems"]}
    en_by_field = {p["field"]: p["message"] for p in en["data"]["problems"]}
    assert zh_by_field == {"court": "没有代字或编号为“粤9999”的法院", "claims": "请至少填写一项诉讼请求",
                           "facts": "请填写事实与理由（或回答要素表）"}
    assert en_by_field == {"court": "There is no court with the code or number “粤9999”.",
                           "claims": "Enter at least one claim.",
                           "facts": "Enter the facts and reasons (or answer the element table)."}


def test_api_not_found_in_the_callers_language(cast, bearer, submitted):
    filing = submitted()
    outsider = bearer("defendant")
    zh = outsider.get(f"/api/v1/filings/{filing.pk}").json()
    en = outsider.get(f"/api/v1/filings/{filing.pk}", headers={"Accept-Language": "en"}).json()
    assert zh["code"] == en["code"] == "filing_not_found"
    assert zh["message"] == "立案申请不存在或您无权查看"
    assert en["message"] == "The filing does not exist, or you may not see it."


def test_dry_run_lists_document_kinds_with_a_chinese_separator(cast, bearer):
    doc = {"sha256": "0" * 64, "title": "借条", "kind": "nonsense"}
    body = good_payload(documents=[doc])
    res = bearer("lawyer").post("/api/v1/filings/check", json.dumps(body, ensure_ascii=False),
                                content_type="application/json")
    messages = {p["field"]: p["message"] for p in res.json()["problems"]}
    assert messages["documents[0].kind"].startswith("材料类别应为：complaint、evidence、")
    assert messages["documents[0].sha256"] == "该材料尚未上传（按 SHA-256 未找到）"


def test_page_labels_are_chinese_unless_the_person_switched(cast, client, users):
    client.force_login(users["plaintiff"])
    client.post("/filing/new/")
    from yunting.workflows.filing.models import Filing

    url = f"/filing/{Filing.objects.latest('id').pk}/edit/"
    zh = client.get(url, headers={"Accept-Language": "en"}).content.decode()  # a browser's wish is not enough
    assert ">被申请人</option>" in zh and ">非法人组织</option>" in zh and ">证据</option>" in zh
    assert ">证据目录</option>" in zh
    client.cookies["django_language"] = "en"
    en = client.get(url).content.decode()
    assert ">Respondent</option>" in en and ">Other organisation</option>" in en and ">Evidence</option>" in en


def test_every_document_kind_has_a_page_label():
    from yunting.interfaces.web.filing.views import DOCUMENT_KIND_LABELS
    from yunting.workflows.filing.validation import DOCUMENT_KINDS

    assert set(DOCUMENT_KIND_LABELS) == set(DOCUMENT_KINDS)
    with translation.override("zh-hans"):
        assert {k: str(v) for k, v in DOCUMENT_KIND_LABELS.items()} == DOCUMENT_KINDS
