"""Pages ask the database for the user's posts and their access to the case once per read request
(kernel/common/memo), and still show exactly what the user may see (issue 18: CPU per request)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from yunting.kernel.common.memo import memoised, request_scope

pytestmark = pytest.mark.django_db


def _reads_of(ctx, table: str) -> int:
    return sum(1 for q in ctx.captured_queries if q["sql"].lstrip().startswith("SELECT") and f'FROM "{table}"' in q["sql"])


def test_outside_a_request_nothing_is_kept():
    calls = []
    assert memoised("k", lambda: calls.append(1) or len(calls)) == 1
    assert memoised("k", lambda: calls.append(1) or len(calls)) == 2
    with request_scope():
        assert memoised("k", lambda: calls.append(1) or len(calls)) == 3
        assert memoised("k", lambda: calls.append(1) or len(calls)) == 3
    assert memoised("k", lambda: calls.append(1) or len(calls)) == 4


@pytest.mark.parametrize("who", ["judge", "clerk", "lawyer", "plaintiff"])
def test_case_page_and_workbench_read_the_posts_once(make_case, users, login, who):
    case = make_case()
    client = login(users[who])
    with CaptureQueriesContext(connection) as ctx:
        page = client.get(f"/cases/{case.pk}/")
    assert page.status_code == 200 and case.number in page.content.decode()
    assert _reads_of(ctx, "people_membership") <= 1
    assert _reads_of(ctx, "courts_staffpost") <= 1
    with CaptureQueriesContext(connection) as ctx:
        page = client.get("/")
    assert case.number in page.content.decode()
    assert _reads_of(ctx, "people_membership") <= 1
    assert _reads_of(ctx, "courts_staffpost") <= 1


def test_workbench_count_and_filters_come_from_the_visible_cases(make_case, users, login):
    """The count and the type and year choices are one pass over the visible set; filtering still counts anew."""
    mine = [make_case() for _ in range(3)]
    make_case(participants=("assistant",), plaintiff="defendant", defendant_name="王五")  # not the lawyer's
    client = login(users["lawyer"])
    html = client.get("/").content.decode()
    assert "共 3 件案件" in html
    assert f'<option value="{mine[0].year}"' in html and '<option value="民初"' in html
    filtered = client.get("/", {"year": 1999}).content.decode()
    assert mine[0].number not in filtered and "共 3 件案件" not in filtered
    assert "共 3 件案件" in client.get("/", {"type": "民初"}).content.decode()


def test_a_write_request_is_not_memoised(make_case, users, login):
    """POSTs run without the memo: what they change is what the next check sees."""
    from yunting.kernel.common import memo

    seen = []

    def spy(request):
        seen.append(memo._memo.get())
        from django.http import HttpResponse

        return HttpResponse("ok")

    middleware = memo.RequestMemoMiddleware(spy)

    class R:
        method = "POST"

    middleware(R())
    R.method = "GET"
    middleware(R())
    assert seen[0] is None and seen[1] == {}


@pytest.mark.parametrize("path", ["/cases/{pk}/", "/api/v1/cases/{pk}"])
def test_the_reads_of_one_page_are_chained_together_and_pass_the_audit(make_case, users, login, bearer, path):
    """The case page logs the case and each party's personal data in one transaction: consecutive places in the
    read log's chain, in order, and `yunting audit`'s chain check finds nothing wrong."""
    from yunting.kernel.security.chain import chain_audit
    from yunting.kernel.security.models import ReadLog

    case = make_case()
    login(users["judge"]).get("/")  # an earlier read, so the page's rows are not the chain's first
    client = bearer("judge") if path.startswith("/api") else login(users["judge"])
    assert client.get(path.format(pk=case.pk)).status_code == 200
    rows = list(ReadLog.objects.filter(case_id=case.pk).order_by("seq"))
    assert [r.action for r in rows][0] == "case.view"
    assert [r.action for r in rows][1:] and {r.action for r in rows[1:]} == {"party.personal_data"}
    assert [r.seq for r in rows] == list(range(rows[0].seq, rows[0].seq + len(rows)))
    problems, (last_seq, _head) = chain_audit("readlog", ReadLog)
    assert problems == [] and last_seq == rows[-1].seq
