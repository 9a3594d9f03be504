import io

import pytest
from PIL import Image, ImageDraw


def dispute_payload(**over):
    """The body of POST /api/v1/filings plus the dispute type: the demo plaintiff against the demo defendant."""
    data = {
        "court": "粤0306",
        "cause": "民间借贷纠纷",
        "dispute_type": "loan",
        "locality": "新安街道",
        "claim_amount": "50000",
        "claims": ["请求被申请人归还借款50000元"],
        "facts": "2025年5月1日被申请人向申请人借款50000元，约定三个月归还，到期未还。",
        "parties": [
            {"role": "plaintiff", "kind": "natural", "name": "张伟", "id_number": "11010519491231002X",
             "phone": "13912345678", "address": "深圳市宝安区新安街道"},
            {"role": "defendant", "kind": "natural", "name": "李娜", "address": "深圳市宝安区西乡街道",
             "phone": "13987654321"},
        ],
    }
    data.update(over)
    return data


def strokes_png() -> bytes:
    img = Image.new("RGBA", (400, 150), (255, 255, 255, 0))
    ImageDraw.Draw(img).line([(20, 100), (120, 30), (200, 110), (380, 40)], fill=(0, 0, 0, 255), width=6)
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


@pytest.fixture
def network(cast):
    """Two organisations and three mediators on the court's roster (besides the cast's mediator 郑秀兰)."""
    from yunting.core.people.models import User
    from yunting.workflows.mediation.services import mediator_register, organisation_register

    orgs, users = cast
    coord = users["coordinator"]
    committee = organisation_register(court=orgs["court"], name="新安街道人民调解委员会", kind="committee",
                                      actor=coord, localities=["新安街道"], specialisms=["neighbour", "family"])
    finance = organisation_register(court=orgs["court"], name="宝安区金融纠纷调解中心", kind="industry",
                                    actor=coord, localities=["西乡街道"], specialisms=["loan", "finance"])
    people = {}
    for username, name, org, spec, places, causes in [
        ("med_a", "洪明德", committee, ["neighbour"], ["新安街道"], []),
        ("med_b", "陈雅芳", finance, ["loan", "finance"], ["西乡街道"], ["民间借贷纠纷"]),
        ("med_c", "林志远", finance, ["loan"], ["新安街道"], ["民间借贷纠纷"]),
    ]:
        user, _ = User.objects.get_or_create(username=username, defaults={"real_name": name})
        people[username] = mediator_register(organisation=org, user=user, actor=coord, specialisms=spec,
                                             localities=places, causes=causes, capacity=5)
    mine = mediator_register(organisation=committee, user=users["mediator"], actor=coord,
                             specialisms=["neighbour", "loan"], localities=["新安街道"], capacity=8)
    return {"committee": committee, "finance": finance, "mediator": mine, **people}


@pytest.fixture
def submit(users):
    """submit(**overrides) → a dispute the plaintiff submitted, the defendant linked to their party."""
    from yunting.workflows.mediation.services import dispute_link_party, dispute_submit

    def make(user="plaintiff", link_defendant=True, **over):
        dispute = dispute_submit(payload=dispute_payload(**over), actor=users[user])
        if link_defendant:
            party = dispute.case.parties.get(role="defendant")
            dispute_link_party(dispute=dispute, party=party, user=users["defendant"], actor=users["coordinator"])
        return dispute

    return make
