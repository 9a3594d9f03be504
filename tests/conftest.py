import pytest


def pytest_configure(config):
    """Let transactional tests flush append-only tables: lift their triggers for the flush only, then restore."""
    from django.core.management.commands import flush as flush_command

    from yunting.kernel.security import triggers

    original = flush_command.sql_flush

    def sql_flush(style, connection, *args, **kwargs):
        statements = original(style, connection, *args, **kwargs)
        lift, restore = [], []
        for table in sorted(triggers.APPEND_ONLY_TABLES):
            forward, reverse = triggers.append_only_sql(connection.vendor, table)
            lift += reverse
            restore += forward
        return lift + statements + restore

    flush_command.sql_flush = sql_flush


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """PBKDF2's deliberate slowness costs seconds per cast; tests prove behaviour, not hashing cost."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _own_ledger_anchor(settings, tmp_path):
    """Each test its own ledger anchor file: the database rolls back between tests, a file would not."""
    settings.LEDGER_ANCHOR_PATH = tmp_path / "ledger_anchor.jsonl"


@pytest.fixture
def cast(db):
    """(orgs, users) of the named demo cast."""
    from yunting.interfaces.cli.cast import cast_ensure

    return cast_ensure(password="pw-for-tests-123")


@pytest.fixture
def court(cast):
    return cast[0]["court"]


@pytest.fixture
def users(cast):
    return cast[1]


@pytest.fixture
def make_case(cast):
    """Open a real case through case_open; the judge, clerk and plaintiff (with lawyer) take part."""
    from yunting.core.cases.models import CaseType, Cause
    from yunting.core.cases.services import CaseInput, PartyInput, case_open

    orgs, users = cast

    def make(*, type_code="民初", cause="民间借贷纠纷", participants=("judge", "clerk", "lawyer"), plaintiff="plaintiff",
             defendant_name="李娜", security_level="internal", **kw):
        data = CaseInput(
            court=orgs["court"], case_type=CaseType.objects.get(code=type_code), cause=Cause.objects.get(name=cause),
            parties=[
                PartyInput(role="plaintiff", kind="natural", name=users[plaintiff].real_name,
                           id_number=users[plaintiff].id_number, user=users[plaintiff], phone="13912345678"),
                PartyInput(role="defendant", kind="natural", name=defendant_name),
            ],
            participants=[(users[u], "judge" if u == "judge" else u if u in ("clerk", "lawyer", "mediator") else "judge_assistant")
                          for u in participants],
            security_level=security_level, **kw,
        )
        return case_open(data=data, actor=users["filing_officer"])

    return make


@pytest.fixture
def add_document(users):
    """add_document(case[, actor]) files a real PDF into a case through the journal, as a filing would.

    `actor` is a User or a cast username (default: the lawyer). Returns the filed Document."""
    from yunting.core.journal.services import DocumentInput, journal_append
    from yunting.kernel.blobs.store import blob_put_bytes
    from yunting.kernel.pdf.make import simple_pdf

    def add(case, actor="lawyer", *, title="起诉状", body="原告张伟诉被告李娜民间借贷纠纷一案，被告借款十万元未还。",
            kind="complaint", pages=1, entry_kind="filing.submitted", data: bytes | None = None):
        actor = users[actor] if isinstance(actor, str) else actor
        blob = blob_put_bytes(data if data is not None else simple_pdf(title=title, body=body, pages=pages))
        entry = journal_append(case=case, kind=entry_kind, actor=actor,
                               documents=[DocumentInput(sha256=blob.sha256, title=title, kind=kind)])
        return entry.documents.get()

    return add


@pytest.fixture
def bearer(users):
    """bearer("judge") → a Client that sends a fresh token of that user."""
    from django.test import Client

    from yunting.interfaces.api.models import ApiToken

    def make(username: str) -> Client:
        _, raw = ApiToken.issue(user=users[username], name="tests")
        return Client(headers={"Authorization": f"Bearer {raw}"})

    return make


@pytest.fixture(autouse=True)
def _language_does_not_leak():
    """A request in English leaves English active on the worker thread; the next test starts in the default."""
    from django.utils import translation

    yield
    translation.deactivate()
