import pytest


@pytest.fixture
def coordinator(court, users):
    """A mediation coordinator of the demo court (the `coordinator` role, not a court administrator)."""
    from yunting.core.people.choices import Role
    from yunting.core.people.models import Membership, User

    user = users.get("coordinator") or User.objects.create_user(username="coordinator", password="pw-for-tests-123",
                                                                 real_name="许志远")
    Membership.objects.get_or_create(user=user, organisation=court, role=Role.COORDINATOR)
    return user


@pytest.fixture
def network(court, users, coordinator):
    """A people's mediation committee in 新安街道 with the demo mediator on its roster (loans, 新安街道)."""
    from yunting.workflows.mediation import services

    org = services.organisation_register(court=court, name="新安街道人民调解委员会", kind="committee", actor=coordinator,
                                         localities=["新安街道"], specialisms=["loan"])
    mediator = services.mediator_register(organisation=org, user=users["mediator"], actor=coordinator,
                                          specialisms=["loan"], causes=["民间借贷纠纷"], localities=["新安街道"])
    return {"organisation": org, "mediator": mediator}


INTAKE = {
    "court": "粤0306", "dispute_type": "loan", "cause": "民间借贷纠纷", "locality": "新安街道",
    "party-count": "4", "party-0-role": "plaintiff", "party-0-kind": "natural", "party-0-name": "张伟",
    "party-0-phone": "13912345678", "party-0-id_number": "11010519491231002X",
    "party-1-role": "defendant", "party-1-kind": "natural", "party-1-name": "李娜", "party-1-phone": "13987654321",
    "claim_amount": "50000", "claims": "归还借款50000元\n支付逾期利息",
    "q-loan_date": "2025-03-01", "q-principal": "50000", "q-delivery": "银行转账", "q-interest": "无",
    "q-voucher": "有", "facts": "",
}


@pytest.fixture
def intake():
    return dict(INTAKE)


@pytest.fixture
def dispute(network, users, coordinator, court):
    """A dispute the demo plaintiff submitted against the demo defendant, whose account the coordinator linked."""
    from yunting.core.cases.models import Party
    from yunting.workflows.mediation import services

    payload = {"court": court.court_code, "dispute_type": "loan", "cause": "民间借贷纠纷", "locality": "新安街道",
               "claim_amount": "50000", "claims": ["归还借款50000元"], "facts": "被告借款五万元到期未还。",
               "parties": [{"role": "plaintiff", "kind": "natural", "name": users["plaintiff"].real_name,
                            "id_number": users["plaintiff"].id_number, "phone": "13912345678"},
                           {"role": "defendant", "kind": "natural", "name": "李娜", "phone": "13987654321"}]}
    d = services.dispute_submit(actor=users["plaintiff"], payload=payload)
    respondent = Party.objects.get(case=d.case, role="defendant")
    services.dispute_link_party(dispute=d, party=respondent, user=users["defendant"], actor=coordinator)
    return d


@pytest.fixture
def login(client):
    from django.test import Client

    def make(user):
        c = Client()
        c.force_login(user)
        return c

    return make
