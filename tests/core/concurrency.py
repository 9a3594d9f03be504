"""Helpers run in threads and forked processes by the concurrency tests."""

from yunting.core.cases.models import CaseType, Cause
from yunting.core.cases.services import CaseInput, PartyInput, case_open
from yunting.core.people.models import Organisation


def open_one() -> int:
    case = case_open(
        data=CaseInput(
            court=Organisation.objects.get(court_code="粤0306"),
            case_type=CaseType.objects.get(code="民初"),
            cause=Cause.objects.get(name="民间借贷纠纷"),
            parties=[PartyInput(role="plaintiff", kind="natural", name="甲"),
                     PartyInput(role="defendant", kind="natural", name="乙")],
        )
    )
    return case.sequence
