""""Exists but not yours" and "does not exist" do the same work: the same queries, the same 404."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from yunting.core.cases.access import access_case_for, access_document_for
from yunting.core.cases.errors import CaseNotFound, DocumentNotFound

pytestmark = pytest.mark.django_db


def _queries(call) -> int:
    with CaptureQueriesContext(connection) as ctx:
        try:
            call()
        except (CaseNotFound, DocumentNotFound):
            pass
        else:
            pytest.fail("expected a 404")
    return len(ctx.captured_queries)


def test_a_case_not_yours_costs_what_a_missing_case_costs(make_case, users):
    case = make_case()
    outsider = users["defendant"]
    not_yours = _queries(lambda: access_case_for(outsider, case.pk))
    missing = _queries(lambda: access_case_for(outsider, case.pk + 10_000))
    absurd = _queries(lambda: access_case_for(outsider, 922337203685477580700))
    assert not_yours == missing == absurd == 3


def test_inside_a_read_request_too(make_case, users):
    """With the request memo (GET pages), the first check of a case costs the same whether it is missing or not
    the caller's, and asking again costs nothing either way."""
    from yunting.kernel.common.memo import request_scope

    case = make_case()
    outsider = users["defendant"]
    costs = []
    for pk in (case.pk, case.pk + 10_000):
        with request_scope():
            costs.append((_queries(lambda pk=pk: access_case_for(outsider, pk)),
                          _queries(lambda pk=pk: access_case_for(outsider, pk))))
    assert costs[0] == costs[1] and costs[0][1] == 0


def test_a_document_not_yours_costs_what_a_missing_document_costs(make_case, users, add_document):
    document = add_document(make_case())
    outsider = users["defendant"]
    assert _queries(lambda: access_document_for(outsider, document.pk)) == \
        _queries(lambda: access_document_for(outsider, document.pk + 10_000))


def test_api_answers_are_identical(make_case, bearer):
    case = make_case()
    client = bearer("defendant")
    not_yours, missing = client.get(f"/api/v1/cases/{case.pk}"), client.get(f"/api/v1/cases/{case.pk + 10_000}")
    assert not_yours.status_code == missing.status_code == 404 and not_yours.json() == missing.json()
