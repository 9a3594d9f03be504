"""A party asking for a paper's signing page learns nothing of drafts or 副卷 papers: 404, no title."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(make_case):
    return make_case()


def _issued(case, users, template_code, values):
    from yunting.core.papers.services import paper_draft, paper_issue

    return paper_issue(paper=paper_draft(case=case, template_code=template_code, actor=users["judge"], values=values),
                       actor=users["judge"])


def test_a_draft_paper_is_404_to_a_party_with_no_title(client, users, case):
    from yunting.core.papers.services import paper_draft

    paper = paper_draft(case=case, template_code="judgment", actor=users["judge"])
    client.force_login(users["plaintiff"])
    response = client.get(reverse("papers:handsign", args=[paper.pk]))
    assert response.status_code == 404 and paper.title not in response.content.decode()
    client.force_login(users["clerk"])  # the court sees it
    assert client.get(reverse("papers:handsign", args=[paper.pk])).status_code == 200


def test_an_issued_secondary_volume_paper_is_404_to_a_party(client, users, case):
    paper = _issued(case, users, "trial_report", {
        "filed_date": "2026-11-18", "procedure": "简易程序", "summary": "本案适用简易程序。",
        "claims": "原告请求归还借款。", "facts": "被告借款未还。", "issues": "是否已届清偿期。",
        "opinion": "支持原告诉讼请求。"})
    client.force_login(users["plaintiff"])
    response = client.get(reverse("papers:handsign", args=[paper.pk]))
    assert response.status_code == 404 and "审理报告" not in response.content.decode()
    client.force_login(users["lawyer"])
    assert client.get(reverse("papers:handsign", args=[paper.pk])).status_code == 404
