"""Full-text search across e-files within the reader's access: two-character words match, a party never sees
a 副卷 document or another case's, court staff see their cases' 副卷; pages of results; highlights."""

from __future__ import annotations

import pytest

from yunting.workflows.scanning.selectors import efile_search, highlight

pytestmark = pytest.mark.django_db


@pytest.fixture
def docs(make_case, add_document):
    mine, other = make_case(), make_case(participants=("judge",), plaintiff="defendant", defendant_name="钱七")
    main = add_document(mine, title="借条", body="今借到张伟人民币十万元，约定一年内归还。", kind="evidence")
    secret = add_document(mine, "clerk", title="合议笔录", body="合议庭认为借款事实清楚，应予归还。",
                          kind="deliberation_record", entry_kind="papers.issued")
    foreign = add_document(other, "judge", title="还款协议", body="被告同意归还借款。", kind="evidence")
    return mine, other, main, secret, foreign


def ids(user, q, **kw):
    return [h.document.pk for h in efile_search(user=user, q=q, **kw).hits]


def test_party_sees_only_main_volume_of_own_cases(docs, users):
    _mine, _other, main, secret, foreign = docs
    assert secret.section.volume == "secondary"
    assert ids(users["lawyer"], "归还") == [main.pk]  # two characters
    assert ids(users["lawyer"], "合议") == []
    assert ids(users["lawyer"], "还款协议") == []


def test_court_staff_see_the_secondary_volume_of_their_cases(docs, users):
    _mine, _other, main, secret, foreign = docs
    assert set(ids(users["clerk"], "归还")) == {main.pk, secret.pk}
    assert set(ids(users["judge"], "归还")) == {main.pk, secret.pk, foreign.pk}
    assert ids(users["clerk"], "借款 合议") == [secret.pk]  # every word must match


def test_pages_and_empty_queries(docs, users, add_document):
    mine = docs[0]
    for i in range(3):
        add_document(mine, title=f"证据{i}", body="双方约定归还", kind="evidence")
    first = efile_search(user=users["lawyer"], q="归还", per_page=2)
    second = efile_search(user=users["lawyer"], q="归还", page=2, per_page=2)
    assert (len(first.hits), first.has_next, len(second.hits), second.has_next) == (2, True, 2, False)
    assert not {h.document.pk for h in first.hits} & {h.document.pk for h in second.hits}
    assert efile_search(user=users["lawyer"], q="   ").hits == []


def test_highlight_escapes_and_marks():
    html = highlight("<b>借款</b> 已经归还，归还日期", ["归还"])
    assert "&lt;b&gt;" in html and html.count("<mark>归还</mark>") == 2


def test_search_page(client, docs, users):
    client.force_login(users["lawyer"])
    res = client.get("/scanning/search/", {"q": "归还"})
    body = res.content.decode()
    assert res.status_code == 200 and "<mark>归还</mark>" in body and "借条" in body and "合议笔录" not in body
