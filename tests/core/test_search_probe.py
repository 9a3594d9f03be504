"""Full-text search on PostgreSQL asks the GIN index first (issue 16: a word with no hit court-wide ran into the
30 s statement timeout over 1,000,000 pages, the planner walking the object_id index backwards in the hope of
finding 21 matches soon). The probe may only take the bitmap path; "no hit" and "a few hits" are answered from
it, and the results are the same, page by page, as the ordered query's."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from yunting.kernel.search import engine
from yunting.kernel.search.engine import search_ids, search_index

pytestmark = pytest.mark.django_db
PG = pytest.mark.skipif("connection.vendor != 'postgresql'", reason="PostgreSQL's planner")


@pytest.mark.parametrize("cap", [3, 200])
def test_pages_of_results_are_the_same_whichever_query_answers(monkeypatch, cap):
    monkeypatch.setattr(engine, "PROBE_CAP", cap)  # 3: the ordered query answers "借款"; 200: the probe does
    for i in range(1, 13):
        search_index(scope="t", object_id=i, group_id=i % 2,
                     text=("原告诉被告借款合同纠纷" if i % 3 else "房屋租赁合同纠纷") + f"第{i}页")
    loans = [i for i in range(12, 0, -1) if i % 3]
    if connection.vendor == "postgresql":  # newest first
        assert search_ids(scope="t", query="借款") == loans
        assert search_ids(scope="t", query="借款", limit=3, offset=2) == loans[2:5]
        assert search_ids(scope="t", query="借款 合同", group_id=0, limit=2) == [i for i in loans if i % 2 == 0][:2]
        assert search_ids(scope="t", query="租赁") == [12, 9, 6, 3]
    else:  # FTS5 ranks by relevance
        assert sorted(search_ids(scope="t", query="借款")) == sorted(loans)
        assert len(search_ids(scope="t", query="借款", limit=3, offset=2)) == 3
    assert search_ids(scope="t", query="飞机") == []
    assert search_ids(scope="t", query="租赁借款") == []


def _load_pages(n: int) -> None:
    """n pages of a 40-bigram vocabulary (every bigram common, as in real legal text), then fresh statistics."""
    words = ["借款", "合同", "原告", "被告", "利息", "本金", "逾期", "判决", "证据", "送达", "调解", "执行",
             "担保", "租赁", "房屋", "买卖", "货款", "工资", "赔偿", "损失", "银行", "转账", "收条", "借条",
             "协议", "约定", "履行", "期限", "利率", "支付", "承担", "责任", "法院", "事实", "理由", "请求",
             "驳回", "支持", "公司", "股东"]
    with connection.cursor() as cur:
        cur.execute(
            "INSERT INTO search_searchentry (scope, object_id, group_id, tokens)"
            " SELECT 'document', i, i / 100, (SELECT string_agg((%s::text[])[1 + (i::bigint * k * 7919 + k) %% 40], ' ')"
            " FROM generate_series(1, 40) k) FROM generate_series(1, %s) i", [words, n])
        cur.execute("ANALYZE search_searchentry")


@PG
def test_a_word_with_no_hit_is_answered_by_the_gin_index_alone():
    _load_pages(20_000)
    where = "to_tsvector('simple', e.tokens) @@ phraseto_tsquery('simple', %s) AND e.scope = %s"
    plan = "\n".join(engine._gin_probe(f"FROM search_searchentry e WHERE {where}", ["飞机", "document"],
                                       explain=True))
    assert "Bitmap Index Scan on search_tokens_gin" in plan, plan
    assert "Seq Scan" not in plan and "Index Scan Backward" not in plan, plan
    with CaptureQueriesContext(connection) as queries:
        assert search_ids(scope="document", query="飞机", limit=21, offset=20) == []
    assert not [q["sql"] for q in queries if "ORDER BY" in q["sql"]]  # the ordered walk never ran
    with connection.cursor() as cur:  # and the planner settings did not outlive the probe
        cur.execute("SELECT current_setting('enable_seqscan'), current_setting('enable_indexscan')")
        assert cur.fetchone() == ("on", "on")


@PG
def test_a_common_word_still_pages_newest_first():
    _load_pages(2_000)
    first = search_ids(scope="document", query="借款", limit=21)
    second = search_ids(scope="document", query="借款", limit=21, offset=21)
    assert len(first) == len(second) == 21 and first == sorted(first, reverse=True)
    assert first[-1] > second[0]
    assert search_ids(scope="document", query="借款 飞机") == []
