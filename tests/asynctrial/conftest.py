import pytest


@pytest.fixture
def ecase(make_case, users):
    """A civil case the demo judge and assistant hear, between the demo plaintiff and the demo defendant (both
    with portal accounts)."""
    from yunting.core.cases.models import Party
    from yunting.core.cases.services import case_add_participant

    case = make_case(participants=("judge", "assistant", "clerk"))
    defendant = Party.objects.get(case=case, role="defendant")
    Party.objects.filter(pk=defendant.pk).update(user=users["defendant"])
    case_add_participant(case=case, user=users["defendant"], role="party", party=defendant)
    case.plaintiff = Party.objects.get(case=case, role="plaintiff")
    case.defendant = defendant
    return case


@pytest.fixture
def acc(users):
    """acc(case, "judge") → the CaseAccess of that cast member."""
    from yunting.core.cases.access import access_case_for

    def make(case, who):
        return access_case_for(users[who], case.pk)

    return make


@pytest.fixture
def opened(ecase, acc, users):
    """The exchange proposed by the assistant, consented by both parties, both pledged: open at round 1."""
    from yunting.workflows.asynctrial import services

    services.asynctrial_propose(access=acc(ecase, "assistant"), actor=users["assistant"])
    for who in ("plaintiff", "defendant"):
        services.asynctrial_consent(access=acc(ecase, who), actor=users[who], party_id=None, consent=True)
        services.asynctrial_pledge(access=acc(ecase, who), actor=users[who])
    return ecase


@pytest.fixture
def post(acc, users):
    from yunting.workflows.asynctrial import services

    def make(case, who, kind, text="内容", **kw):
        return services.asynctrial_post(access=acc(case, who), actor=users[who], kind=kind, text=text, **kw)

    return make
