"""The demo's shared courts (共享法庭) for the demo court (宝安): seven points across its streets (the cast's
西乡街道共享法庭 among them), the township-to-court travel table, a second staff login `pointstaff` at 西乡, an
approved attendance at 西乡 for the demo hearing (the defendant attends there tomorrow morning), and one filing
made at the point for `villager`, a resident who files with the staff's help. Run again, it adds nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time, timedelta

from django.db import transaction

from yunting.core.people.choices import Role
from yunting.core.people.models import Membership, Organisation, User
from yunting.kernel.common.timeutil import SHANGHAI, shanghai_today

from . import services
from .choices import PointKind
from .models import AssistedFiling, Attendance, ServicePoint, TravelEstimate

STAFF = ("pointstaff", "林晓红", "440306199204041225", "13800138021")
VILLAGER = ("villager", "陈桂英", "440306195508081226", "13800138022")
SHAREDCOURT_LOGINS = [("pointstaff", "林晓红", "共享法庭服务点工作人员（西乡街道）"),
                      ("villager", "陈桂英", "当事人（在共享法庭服务点立案）")]

# one way from the street to the court (新安街道), the court's own estimates for the demo
TRAVEL = [("新安街道", "3.0", 15), ("西乡街道", "9.5", 35), ("航城街道", "15.0", 45), ("福永街道", "20.0", 55),
          ("福海街道", "24.0", 65), ("沙井街道", "28.5", 75), ("新桥街道", "31.0", 80), ("松岗街道", "36.0", 90),
          ("燕罗街道", "41.0", 100), ("石岩街道", "22.0", 60)]
HOURS = "周一至周五 9:00–12:00，14:00–17:30"
FULL = ["signature_pad", "document_camera", "video_terminal", "printer", "id_reader"]
POINTS = [  # name, kind, township, address, equipment
    ("西乡街道共享法庭", PointKind.TOWNSHIP, "西乡街道", "深圳市宝安区西乡街道宝源路108号街道办事处一楼", FULL),
    ("福永街道共享法庭", PointKind.TOWNSHIP, "福永街道", "深圳市宝安区福永街道福永大道35号", FULL[:3]),
    ("沙井街道矛盾纠纷调处中心共享法庭", PointKind.MEDIATION_CENTRE, "沙井街道", "深圳市宝安区沙井街道新沙路66号",
     FULL[:3]),
    ("燕罗街道人民调解中心共享法庭", PointKind.MEDIATION_CENTRE, "燕罗街道", "深圳市宝安区燕罗街道燕川路12号",
     ["signature_pad", "video_terminal"]),
    ("宝城律师事务所松岗共享法庭点", PointKind.LAW_FIRM, "松岗街道", "深圳市宝安区松岗街道松福大道3号", FULL[:3]),
    ("宝安农商银行石岩支行共享法庭", PointKind.BANK, "石岩街道", "深圳市宝安区石岩街道石龙仔路2号银行大厅",
     ["signature_pad", "document_camera", "video_terminal"]),
    ("新桥邮政支局共享法庭", PointKind.POST_OFFICE, "新桥街道", "深圳市宝安区新桥街道新桥东路18号邮政营业厅",
     ["document_camera", "video_terminal", "printer"]),
]


def _account(data, password: str) -> User:
    from yunting.core.people.services import user_set_id_number
    from yunting.interfaces.cli.cast import _fix_check

    username, name, id_number, phone = data
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, real_name=name, phone=phone)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save()
        user_set_id_number(user=user, id_number=_fix_check(id_number))
    return user


def _points(court, admin) -> list[ServicePoint]:
    out = []
    for name, kind, township, address, equipment in POINTS:
        org = Organisation.objects.filter(name=name).first()
        point = ServicePoint.objects.filter(organisation=org).first() if org else None
        if point is None and org is not None:  # the cast's point organisation: registered as a point now
            point = ServicePoint.objects.create(organisation=org, court=court, kind=kind, township=township,
                                                address=address, equipment=equipment, opening_hours=HOURS,
                                                phone="0755-2780" + str(1000 + len(out)))
        elif point is None:
            point = services.point_create(actor=admin, court=court, name=name, kind=kind, township=township,
                                          address=address, equipment=equipment, opening_hours=HOURS,
                                          phone="0755-2780" + str(1000 + len(out)))
        out.append(point)
    return out


def _demo_room():
    from yunting.core.rooms.demo import TITLE
    from yunting.core.rooms.models import Room

    return Room.objects.filter(title=TITLE).exclude(state="closed").select_related("case").first()


def sharedcourt_demo(*, orgs, users, password: str = "", progress: Callable[[str], None] = lambda s: None) -> dict:
    court, admin = orgs["court"], users["court_admin"]
    with transaction.atomic():
        points = _points(court, admin)
        for township, km, minutes in TRAVEL:
            if not TravelEstimate.objects.filter(court=court, township=township).exists():
                services.travel_set(actor=admin, court=court, township=township, distance_km=km, minutes=minutes)
        staff = _account(STAFF, password)
        villager = _account(VILLAGER, password)
        xixiang = points[0]
        Membership.objects.get_or_create(user=staff, organisation=xixiang.organisation, role=Role.SERVICE_POINT_STAFF)
    made = {"points": len(points), "attendance": False, "filing": False}
    room = _demo_room()
    if room is not None and not Attendance.objects.filter(room=room, point=xixiang).exists():
        from yunting.core.rooms.models import Participant

        seat = Participant.objects.filter(room=room, user=users["defendant"]).first()
        judge = users["judge"]
        if seat is not None and services.is_case_judge(judge, room.case_id):
            when = datetime.combine(shanghai_today() + timedelta(days=1), time(9, 30), tzinfo=SHANGHAI)
            services.attendance_propose(actor=judge, room=room, participant=seat, point=xixiang, scheduled_at=when,
                                        reason="被告年逾六十，不熟悉手机操作，就近在西乡街道共享法庭参加庭审")
            made["attendance"] = True
    if not AssistedFiling.objects.filter(point=xixiang, party=villager).exists():
        services.assisted_filing_submit(actor=staff, point=xixiang, party_id_number=villager.id_number,
                                        party_name=villager.real_name, data={
            "case_type": "民初", "cause": "民间借贷纠纷", "procedure": "simple", "claim_amount": "18000",
            "claims": ["判令被告偿还借款18000元", "判令被告承担本案诉讼费用"],
            "facts": "2025年3月被告周海向原告借款18000元用于购买农机，约定当年年底归还，经多次催讨未还。",
            "parties": [{"role": "plaintiff", "kind": "natural", "name": "", "address": "深圳市宝安区西乡街道"},
                        {"role": "defendant", "kind": "natural", "name": "周海", "address": "深圳市宝安区西乡街道"}]})
        made["filing"] = True
    progress(f"shared courts: {len(points)} points; attendance {'added' if made['attendance'] else 'present'}; "
             f"assisted filing {'added' if made['filing'] else 'present'} (/sharedcourt/points/)")
    return made
