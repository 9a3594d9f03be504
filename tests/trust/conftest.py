import pytest

from tests.documents.conftest import court_pki  # noqa: F401  (the court PKI fixture)


@pytest.fixture
def defended_case(cast):
    """A loan case in which the cast's defendant takes part as the defendant (with the judge and the clerk)."""
    from yunting.core.cases.models import CaseType, Cause
    from yunting.core.cases.services import CaseInput, PartyInput, case_open

    orgs, users = cast

    def make(**kw):
        data = CaseInput(
            court=orgs["court"], case_type=CaseType.objects.get(code="民初"), cause=Cause.objects.get(name="民间借贷纠纷"),
            parties=[
                PartyInput(role="plaintiff", kind="natural", name=users["plaintiff"].real_name,
                           id_number=users["plaintiff"].id_number, user=users["plaintiff"], phone="13912345678"),
                PartyInput(role="defendant", kind="natural", name=users["defendant"].real_name,
                           id_number=users["defendant"].id_number, user=users["defendant"], phone="13712345678"),
            ],
            participants=[(users["judge"], "judge"), (users["clerk"], "clerk"), (users["lawyer"], "lawyer")], **kw,
        )
        return case_open(data=data, actor=users["filing_officer"])

    return make
