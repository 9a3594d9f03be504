"""Run inside a second or third deployment (`python -c "import django; django.setup(); …"`) by the transfer tests:
a sending court with a decided case, or an appellate court."""

from __future__ import annotations


def sender() -> None:
    """The first-instance court: the cast and one closed 民初 case with a complaint, evidence, a judgment and a
    trial report (副卷); prints the case id."""
    from datetime import date

    from yunting.core.cases.models import CaseType, Cause
    from yunting.core.cases.services import CaseInput, PartyInput, case_open
    from yunting.core.courts.services import case_close
    from yunting.core.journal.services import DocumentInput, journal_append
    from yunting.interfaces.cli.cast import cast_ensure
    from yunting.kernel.blobs.store import blob_put_bytes
    from yunting.kernel.pdf.make import simple_pdf

    orgs, users = cast_ensure(password="pw-for-tests-123")
    case = case_open(data=CaseInput(
        court=orgs["court"], case_type=CaseType.objects.get(code="民初"), cause=Cause.objects.get(name="民间借贷纠纷"),
        parties=[PartyInput(role="plaintiff", kind="natural", name="张伟", user=users["plaintiff"]),
                 PartyInput(role="defendant", kind="natural", name="李娜")],
        participants=[(users["judge"], "judge"), (users["clerk"], "clerk"), (users["lawyer"], "lawyer")]),
        actor=users["filing_officer"])
    for title, kind, actor in (("民事起诉状", "complaint", "lawyer"), ("借条", "evidence", "lawyer"),
                               ("民事判决书", "judgment", "judge"), ("审理报告", "trial_report", "judge")):
        blob = blob_put_bytes(simple_pdf(title=title, subtitle=case.number, body=title, pages=2))
        journal_append(case=case, kind="efile.submitted", actor=users[actor],
                       documents=[DocumentInput(sha256=blob.sha256, title=title, kind=kind)])
    case_close(case=case, actor=users["judge"], outcome="judgment", closed_on=date(2026, 11, 20), document=None,
               title="民事判决书")
    print(case.pk)


def appellate() -> None:
    """The appellate court (深圳市中级人民法院, 粤03) with the reference data."""
    from yunting.core.people.choices import CourtLevel, OrganisationKind
    from yunting.core.people.models import Organisation
    from yunting.interfaces.cli.cast import cast_ensure

    cast_ensure(password="pw-for-tests-123")
    Organisation.objects.get_or_create(name="深圳市中级人民法院", defaults={
        "kind": OrganisationKind.COURT, "court_code": "粤03", "level": CourtLevel.INTERMEDIATE})
