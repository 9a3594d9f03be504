"""The lifecycle demo: four divisions, twelve judges (division heads and a president among them) with clerks,
assistants and panels, routes and thresholds; every demo case assigned, a few left for the assignment queue,
one re-assigned, one moved from simple to ordinary procedure, cases closed by judgment, mediation and
withdrawal. Idempotent: a court that already has divisions keeps them, and assigned cases stay as they are."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.db import transaction

from yunting.core.cases.models import Case, Cause
from yunting.core.people.models import User
from yunting.kernel.common.timeutil import SHANGHAI, shanghai_today

from . import services as svc
from .models import CaseState, Division, StaffPost

DIVISIONS = [("立案庭", ""), ("民一庭", "simple"), ("民二庭", "ordinary"), ("速裁团队", "simple")]
# (username, name, division, weight, extra post)
JUDGES = [
    ("judge", "王立明", "民一庭", "1", None),
    ("j_chen", "陈嘉怡", "民一庭", "0.5", "division_head"),
    ("j_huang", "黄国华", "民一庭", "1", None),
    ("j_xu", "许文博", "民一庭", "1", None),
    ("j_lin", "林晓峰", "民二庭", "0.5", "division_head"),
    ("j_he", "何敏", "民二庭", "1", None),
    ("j_guo", "郭振宇", "民二庭", "1", None),
    ("j_luo", "罗婷", "民二庭", "1", None),
    ("j_zhang", "张海涛", "速裁团队", "0.5", "division_head"),
    ("j_liang", "梁思琪", "速裁团队", "1", None),
    ("j_song", "宋志远", "速裁团队", "1", None),
    ("j_tang", "唐雅文", "速裁团队", "1", None),
]
HELPERS = [  # (username, name, role, division, works_with)
    ("clerk", "刘晓燕", "clerk", "民一庭", "judge"),
    ("assistant", "陈思远", "judge_assistant", "民一庭", "judge"),
    ("clerk_2", "邓雨桐", "clerk", "民二庭", None),
    ("assistant_2", "冯子健", "judge_assistant", "民二庭", None),
    ("clerk_3", "曾可欣", "clerk", "速裁团队", None),
    ("assistant_3", "彭浩宇", "judge_assistant", "速裁团队", None),
]
ROUTES = {"民间借贷纠纷": "速裁团队", "信用卡纠纷": "速裁团队", "物业服务合同纠纷": "速裁团队",
          "金融借款合同纠纷": "民二庭", "买卖合同纠纷": "民二庭", "房屋租赁合同纠纷": "民一庭"}
UNASSIGNED = 3  # the last showcase cases stay in the assignment queue


def _user(username: str, name: str, password: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, real_name=name)
        user.set_password(password)
        user.save()
    return user


@transaction.atomic
def _structure(court, users, password: str) -> dict[str, Division]:
    admin = users["court_admin"]
    if Division.objects.filter(court=court).exists():
        return {d.name: d for d in Division.objects.filter(court=court)}
    divisions = {name: svc.division_create(court=court, actor=admin, name=name, default_procedure=proc)
                 for name, proc in DIVISIONS}
    for username, name, division, weight, extra in JUDGES:
        user = _user(username, name, password)
        svc.staff_post_set(court=court, actor=admin, user=user, role="judge", division=divisions[division],
                           weight=weight)
        if extra:
            svc.staff_post_set(court=court, actor=admin, user=user, role=extra, division=divisions[division])
    for username, name, role, division, works_with in HELPERS:
        svc.staff_post_set(court=court, actor=admin, user=_user(username, name, password), role=role,
                           division=divisions[division],
                           works_with=User.objects.get(username=works_with) if works_with else None)
    president = _user("president", "高振华", password)
    svc.staff_post_set(court=court, actor=admin, user=president, role="president")
    svc.staff_post_set(court=court, actor=admin, user=users["filing_officer"], role="filing_officer",
                       division=divisions["立案庭"])
    svc.staff_post_set(court=court, actor=admin, user=users["court_admin"], role="court_admin")
    svc.staff_post_set(court=court, actor=admin, user=users["service_officer"], role="service_officer",
                       division=divisions["立案庭"])
    svc.staff_post_set(court=court, actor=admin, user=users["archivist"], role="archivist")
    for cause, division in ROUTES.items():
        svc.cause_route_set(court=court, actor=admin, cause=Cause.objects.get(name=cause, selectable=True),
                            division=divisions[division])
    svc.settings_update(court=court, actor=admin, default_division=divisions["民一庭"], fee_channel="bank_transfer",
                        auto_assign=True)
    today = shanghai_today()
    for year, amount in ((today.year - 1, "58000"), (today.year, "62000")):  # example figures, not official
        svc.small_claims_threshold_set(court=court, actor=admin, province=(court.court_code or "粤")[:1], year=year,
                                       amount=amount)
    svc.absence_add(court=court, actor=admin, user=User.objects.get(username="j_tang"), start=today - timedelta(days=2),
                    end=today + timedelta(days=12), reason="年休假")
    svc.recusal_add(court=court, actor=admin, user=User.objects.get(username="j_song"), kind="former_firm",
                    name="广东宝城律师事务所", note="2019 年前在该所执业")
    return divisions


def _closing_outcome(case: Case) -> str | None:
    """The outcome the case's own decision paper says (so a case holding a 判决书 is not shown as mediated)."""
    from yunting.core.efile.models import Document

    paper = (Document.objects.filter(case=case, entry__kind="decision.issued").order_by("-id")
             .values_list("kind", "title").first())
    if paper is None:
        return None
    kind, title = paper
    if kind == "mediation_statement":
        return "mediation"
    if "准许撤诉" in title:
        return "withdrawal"
    return "judgment" if kind == "judgment" else None


def _existing(court, users, progress) -> dict:
    """The demo's cases were opened with their judge already taking part: record that assignment; assign the
    rest by rule (keeping a few in the assignment queue); close those already closed (judgment, mediation,
    withdrawal in turn) — so every case's status follows its journal. Cases already handled are left alone."""
    judge = users["judge"]
    cases = list(Case.objects.filter(court=court, state__isnull=True).exclude(security_level="secret")
                 .select_related("case_type").order_by("id"))
    by_rule, counts = [], {"legacy": 0, "by_rule": 0, "closed": 0}
    waiting = [c for c in cases if c.status == "registered" and not c.participations.filter(
        role__in=["judge", "presiding_judge"]).exists()][-UNASSIGNED:]
    outcomes = ["judgment", "mediation", "withdrawal"]
    titles = {"judgment": "民事判决书", "mediation": "民事调解书", "withdrawal": "民事裁定书（准许撤诉）"}
    for case in cases:
        if case in waiting:
            continue
        if case.status in ("closed", "archived"):
            outcome = _closing_outcome(case) or (outcomes[counts["closed"] % 3] if case.case_type_id == "民初" else "other")
            svc.case_close(case=case, actor=judge, outcome=outcome,
                           closed_on=(case.closed_at or case.registered_at).astimezone(SHANGHAI).date(),
                           document=None, title=titles.get(outcome, "结案文书"))
            counts["closed"] += 1
        elif case.participations.filter(user=judge, role__in=["judge", "presiding_judge"]).exists():
            procedure = _proc(case)
            panel = [judge.pk, *User.objects.filter(username__in=["j_huang", "j_xu"]).order_by("username")
                     .values_list("pk", flat=True)] if procedure == "ordinary" else []
            svc.case_assign(case=case, actor=users["court_admin"], judge=judge.pk, procedure=procedure, panel=panel,
                            reason="演示数据：立案时已确定的承办法官", clerk=users["clerk"].pk,
                            assistant=users["assistant"].pk)
            counts["legacy"] += 1
        else:
            by_rule.append(case.pk)
    if by_rule:
        results = svc.cases_assign_auto(case_ids=by_rule, actor=users["filing_officer"])
        counts["by_rule"] = sum(r.assigned for r in results)
        _showcase([r for r in results if r.assigned], users)
    progress(f"lifecycle: {counts['legacy']} cases recorded with their judge, {counts['by_rule']} assigned by rule, "
             f"{counts['closed']} closed, {len(waiting)} left for the assignment queue")
    return counts


def _proc(case) -> str:
    return case.procedure if case.procedure in ("simple", "ordinary", "small_claims") else "simple"


def _showcase(results, users) -> None:
    """A re-assignment by the division head and a 简易→普通 change, among the cases just assigned by rule."""
    states = {s.case_id: s for s in CaseState.objects.filter(case_id__in=[r.case_id for r in results])
              .select_related("division", "case", "judge")}
    fast = [s for s in states.values() if s.division and s.division.name == "速裁团队"]
    liang = User.objects.get(username="j_liang")
    moved = next((s for s in fast if s.judge_id != liang.pk), None)
    if moved is not None:
        svc.case_assign(case=moved.case, actor=User.objects.get(username="j_zhang"), judge=liang.pk,
                        procedure=moved.procedure or "simple", reason="原承办法官借调，改由梁思琪法官承办",
                        clerk=User.objects.get(username="clerk_3").pk)
    simple = next((s for s in states.values() if s.procedure == "simple" and s is not moved), None)
    if simple is not None:
        svc.case_procedure_change(case=simple.case, actor=simple.judge, to="ordinary", reason="案情复杂，需要组成合议庭")


def courts_demo(*, orgs, users, password: str, progress: Callable[[str], None] = lambda s: None) -> dict:
    court = orgs["court"]
    divisions = _structure(court, users, password)
    progress(f"court: {len(divisions)} divisions, {StaffPost.objects.filter(court=court, role='judge').count()} "
             f"judges, routes and settings")
    counts = _existing(court, users, progress)
    return {**counts, "unassigned": Case.objects.filter(court=court, status="registered",
                                                        state__isnull=True).count()}


DEMO_LOGINS = [("president", "高振华", "院长"), ("j_chen", "陈嘉怡", "民一庭庭长"), ("j_lin", "林晓峰", "民二庭庭长"),
               ("j_zhang", "张海涛", "速裁团队庭长"), ("j_liang", "梁思琪", "法官（速裁团队）")]
