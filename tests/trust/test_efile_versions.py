"""The e-file shows one document per court paper — its latest signed version — with the earlier versions as its
history (every version still a document of its own, on the ledger)."""

import pytest

from yunting.core.efile.models import Document

pytestmark = pytest.mark.django_db


@pytest.fixture
def sealed(make_case, users):
    from yunting.core.papers.services import paper_draft, paper_issue, paper_seal, paper_sign, paper_update

    case = make_case()
    paper = paper_draft(case=case, template_code="withdrawal_ruling", actor=users["judge"])
    paper_update(paper=paper, actor=users["judge"], values={
        "withdraw_date": "2026-03-01", "fee": "25.00", "reasoning": "原告申请撤诉，应予准许。"})
    paper = paper_seal(paper=paper_sign(paper=paper_issue(paper=paper, actor=users["judge"]), actor=users["clerk"]),
                       actor=users["court_admin"])
    return case, paper


def test_one_document_per_paper_with_its_history(sealed, client, users, add_document):
    case, paper = sealed
    add_document(case, "lawyer", title="证据一", kind="evidence", entry_kind="efile.document_submitted")
    versions = list(Document.objects.filter(case=case, title__startswith="民事裁定书").order_by("id"))
    assert len(versions) == 4  # issued, judge, clerk, seal: all kept
    client.force_login(users["judge"])
    html = client.get(f"/cases/{case.pk}/efile/").content.decode()
    tree = html[html.index('id="efile-tree"'):]
    latest = versions[-1]
    assert tree.count(f'data-doc-id="{latest.pk}"') == 1 and latest.blob_id == paper.pdf_sha256
    links = [tree.count(f'data-doc-id="{v.pk}"') for v in versions[:-1]]
    assert links == [1, 1, 1]  # each earlier version once, in the history
    history = tree[tree.index('data-testid="history"'):]
    history = history[:history.index("</details>")]
    assert "历史版本 3 个" in history and "院印" in history
    for v in versions[:-1]:
        assert f'data-doc-id="{v.pk}"' in history
    assert ">民事裁定书</span>" in tree and "（院印）" not in tree.split("data-testid=\"history\"")[0]
    assert "证据一" in tree


def test_the_api_catalogue_and_whole_efile_pdf_carry_the_latest_version_only(sealed, bearer):
    case, paper = sealed
    body = bearer("judge").get(f"/api/v1/cases/{case.pk}/efile").json()
    docs = [d for v in body["volumes"] for s in v["sections"] for d in s["documents"]]
    rulings = [d for d in docs if d["title"].startswith("民事裁定书")]
    assert len(rulings) == 1 and rulings[0]["sha256"] == paper.pdf_sha256
