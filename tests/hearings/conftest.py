import pytest
import time_machine

MONDAY = "2026-04-27 10:00 +08:00"  # the week before Labour Day (1–5 May off; Saturday 9 May a make-up workday)


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(MONDAY, tick=False) as traveller:
        yield traveller


@pytest.fixture
def rooms(court, users):
    """Two physical and one online courtroom, made by the court administrator."""
    from yunting.workflows.hearings.services import courtroom_save

    admin = users["court_admin"]
    return {
        "first": courtroom_save(actor=admin, court=court, name="第一法庭", kind="physical", location="三楼"),
        "second": courtroom_save(actor=admin, court=court, name="第二法庭", kind="physical"),
        "online": courtroom_save(actor=admin, court=court, name="在线法庭1", kind="online"),
    }


@pytest.fixture
def hcase(make_case, users):
    """A civil case heard by the demo judge with the clerk; the plaintiff (with the demo lawyer) and the demo
    defendant both have portal accounts."""
    from yunting.core.cases.models import Party
    from yunting.core.cases.services import case_add_participant

    case = make_case(participants=("judge", "clerk", "lawyer"))
    defendant = Party.objects.get(case=case, role="defendant")
    Party.objects.filter(pk=defendant.pk).update(user=users["defendant"])
    case_add_participant(case=case, user=users["defendant"], role="party", party=defendant)
    case.plaintiff = Party.objects.get(case=case, role="plaintiff")
    case.defendant = defendant
    return case


@pytest.fixture
def acc(users):
    from yunting.core.cases.access import access_case_for

    def make(case, who):
        user = users[who] if isinstance(who, str) else who
        return access_case_for(user, case.pk)

    return make


@pytest.fixture
def act(acc, users):
    """act(case, who, service_name, **kw): call a hearings service as that cast member."""
    from yunting.workflows.hearings import services

    def call(case, who, name, **kw):
        return getattr(services, name)(access=acc(case, who), actor=users[who], **kw)

    return call


@pytest.fixture
def consent_all(act):
    def run(case, hearing, action="consent"):
        for who in ("plaintiff", "defendant"):
            act(case, who, "hearing_consent", hearing=hearing, action=action)
    return run
