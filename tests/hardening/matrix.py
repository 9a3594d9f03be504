"""Shared pieces of the access matrices of the newer apps (tests/<area>/test_access_matrix.py).

Each matrix asks every route of its area as every kind of stranger — nobody signed in, an account with no role in
the case, a party of ANOTHER case of the same court, a judge of another court — and as the case's own people in a
role the object is not for, and asserts that the answer is a refusal (a redirect to the login page, 401, 403, 404
or 405; never 200 with data, never a 500) that names nothing of the case: no case number, no party's name, ID
number, phone, or bank card.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from django.test import Client

REFUSED = {302, 401, 403, 404, 405}
STRANGERS = ("anonymous", "outsider", "other_party", "other_judge")


@dataclass
class Req:
    """One request of a matrix: who asks, how, and what must not be in the answer."""

    who: str
    method: str
    path: str
    data: dict = field(default_factory=dict)
    api: bool = False  # sent with the caller's bearer token
    ok: tuple = ()  # statuses this caller may get (default: a refusal)
    leaks: tuple = ()  # what must not be in this answer (default: the matrix's list)

    def __str__(self) -> str:
        return f"{self.who}:{self.method}:{self.path}"


def make_strangers(make_case, users) -> dict:
    """{outsider, other_party, other_judge}: an account with no role anywhere; the plaintiff of another case of the
    same court (with its own party account); a judge of another court."""
    from yunting.core.cases.models import Party
    from yunting.core.cases.services import case_add_participant
    from yunting.core.people.models import Membership, Organisation, User

    outsider = User.objects.create_user(username="m_outsider", password="pw-for-tests-123", real_name="路人甲")
    other_party = User.objects.create_user(username="m_other_party", password="pw-for-tests-123", real_name="赵六")
    other_case = make_case(participants=("judge", "clerk"), defendant_name="钱七")
    party = Party.objects.get(case=other_case, role="defendant")
    Party.objects.filter(pk=party.pk).update(user=other_party)
    case_add_participant(case=other_case, user=other_party, role="party", party=party)
    other_judge = User.objects.create_user(username="m_other_judge", password="pw-for-tests-123", real_name="外院法官")
    far = Organisation.objects.create(kind="court", name="某某市某某区人民法院", court_code="浙1199")
    Membership.objects.create(user=other_judge, organisation=far, role="judge")
    return {"outsider": outsider, "other_party": other_party, "other_judge": other_judge, "other_case": other_case}


def client_for(user, *, api: bool = False) -> Client:
    if user is None:
        return Client()
    if api:
        from yunting.interfaces.api.models import ApiToken

        _, raw = ApiToken.issue(user=user, name="matrix")
        return Client(headers={"Authorization": f"Bearer {raw}"})
    c = Client()
    c.force_login(user)
    return c


def send(req: Req, people: dict):
    """The answer to `req`, asked by people[req.who] (None: nobody signed in)."""
    c = client_for(people.get(req.who), api=req.api)
    if req.method == "GET":
        return c.get(req.path, req.data)
    if req.api:
        return c.post(req.path, req.data, content_type="application/json")
    return c.post(req.path, req.data)


def body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


def assert_refused(req: Req, response, leaks) -> None:
    """A refusal that names nothing: the login page, 401, 403, 404 or 405, never the object."""
    status = response.status_code
    assert status != 500, f"{req}: 500"
    if req.ok:
        assert status in req.ok, f"{req}: {status}"
    else:
        assert status in REFUSED, f"{req}: answered {status}"
        if status == 302:
            where = response["Location"]
            assert where.startswith("/login/") or req.method == "POST", f"{req}: redirected to {where}"
    assert_no_leak(req, response, leaks)


def assert_no_leak(req, response, leaks) -> None:
    text = body(response)
    for leak in leaks:
        if leak:
            assert leak not in text, f"{req}: the answer shows {leak!r}"


def run(reqs, *, people: dict, ids: dict, leaks, state=None, body_for=None) -> int:
    """Send every request (paths and bodies filled from `ids`), collect every failure, and assert none: one
    world per caller instead of one per request. `state()` must read the same after each refused request."""
    import copy

    failures = []
    for original in reqs:
        req = copy.copy(original)
        req.path = req.path.format(**ids)
        if body_for is not None and not req.data:
            req.data = body_for(req, ids)
        before = state() if state else None
        try:
            response = send(req, people)
            assert_refused(req, response, req.leaks or leaks)
            if state:
                assert state() == before, f"{req}: changed something"
        except AssertionError as exc:
            failures.append(str(exc).splitlines()[0])
    assert not failures, "\n".join(failures)
    if os.environ.get("MATRIX_COUNT"):  # MATRIX_COUNT=file pytest …: how many requests the matrices sent
        with open(os.environ["MATRIX_COUNT"], "a") as fh:
            fh.write(f"{len(reqs)}\n")
    return len(reqs)
