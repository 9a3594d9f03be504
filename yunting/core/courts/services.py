"""Writes of court administration and the case lifecycle: divisions, posts, settings (each a chained court
record), assignment by rule or by hand (`case.assigned`), procedure changes and closure (`case.closed`)."""

from __future__ import annotations

import csv
import io
import logging
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yunting.core.cases.models import Case, Cause, Participation, Party
from yunting.core.journal.chain import GENESIS, chain_hash
from yunting.core.journal.services import EntryInput, journal_append_many
from yunting.core.people.models import Membership, Organisation, User
from yunting.kernel.common.canonical import canonical_json
from yunting.kernel.common.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from yunting.kernel.common.timeutil import SHANGHAI, iso_utc, shanghai_today

from . import entries, permissions, rules
from .choices import MEMBERSHIP_ROLES, AssignProcedure, FeeChannel, Outcome, RecusalKind, StaffRole
from .models import (
    Absence,
    CaseState,
    CauseRoute,
    CourtRecord,
    CourtSettings,
    Division,
    Recusal,
    SmallClaimsThreshold,
    StaffPost,
)

log = logging.getLogger(__name__)
JUDGING_ROLES = (StaffRole.JUDGE,)
OPEN = ("in_trial", "suspended")


# --- the court's own record -------------------------------------------------------------------------------------
def court_record(*, court: Organisation, kind: str, actor=None, payload: dict[str, Any]) -> CourtRecord:
    """Append one court-level record, chained to the court's previous one (same transaction as the change)."""
    last = CourtRecord.objects.select_for_update().filter(court=court).order_by("-seq").first()
    seq, prev = (last.seq + 1, last.entry_hash) if last else (1, GENESIS)
    now = timezone.now()
    body = canonical_json({"v": 1, "court": court.court_code, "seq": seq, "kind": kind,
                           "actor": actor.pk if actor else None, "recorded_at": iso_utc(now), "payload": payload})
    return CourtRecord.objects.create(
        court=court, seq=seq, kind=kind, actor=actor, actor_label=actor.display_name if actor else "系统",
        payload=payload, recorded_at=now, prev_hash=prev, entry_hash=chain_hash(prev, body))


def _require_admin(actor, court) -> None:
    if not permissions.is_court_admin(actor, court.pk):
        raise PermissionDenied(_("Only the court's administrators can change this."), code="court_admin_only")


def _clean_name(name: str, field: str) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationFailed(_("This field is required."), code="required", data={"field": field})
    return name


# --- divisions ----------------------------------------------------------------------------------------------------
@transaction.atomic
def division_create(*, court: Organisation, actor, name: str, default_procedure: str = "") -> Division:
    _require_admin(actor, court)
    name = _clean_name(name, "name")[:60]
    if default_procedure and default_procedure not in AssignProcedure.values:
        raise ValidationFailed(_("Unknown procedure."), code="procedure", data={"procedure": default_procedure})
    if Division.objects.filter(court=court, name=name).exists():
        raise ValidationFailed(_("A division with this name already exists."), code="division_exists",
                               data={"name": name})
    order = Division.objects.filter(court=court).count()
    division = Division.objects.create(court=court, name=name, default_procedure=default_procedure, order=order)
    court_record(court=court, kind="court.division_created", actor=actor,
                 payload={"division": division.pk, "name": name, "default_procedure": default_procedure})
    return division


@transaction.atomic
def division_update(*, division: Division, actor, name: str | None = None, active: bool | None = None,
                    default_procedure: str | None = None) -> Division:
    _require_admin(actor, division.court)
    changes: dict[str, Any] = {}
    if name is not None and _clean_name(name, "name") != division.name:
        if Division.objects.filter(court=division.court, name=name.strip()).exclude(pk=division.pk).exists():
            raise ValidationFailed(_("A division with this name already exists."), code="division_exists",
                                   data={"name": name})
        changes["name"] = name.strip()[:60]
    if active is not None and active != division.active:
        changes["active"] = active
    if default_procedure is not None and default_procedure != division.default_procedure:
        if default_procedure and default_procedure not in AssignProcedure.values:
            raise ValidationFailed(_("Unknown procedure."), code="procedure")
        changes["default_procedure"] = default_procedure
    if changes:
        for k, v in changes.items():
            setattr(division, k, v)
        division.save(update_fields=list(changes))
        court_record(court=division.court, kind="court.division_changed", actor=actor,
                     payload={"division": division.pk, **changes})
    return division


# --- people and their posts ---------------------------------------------------------------------------------------
def _sync_membership(user, court, role: str) -> None:
    want = {MEMBERSHIP_ROLES[r] for r in StaffPost.objects.filter(user=user, court=court, active=True)
            .values_list("role", flat=True)}
    have = set(Membership.objects.filter(user=user, organisation=court, role__in=set(MEMBERSHIP_ROLES.values()))
               .values_list("role", flat=True))
    for r in want - have:
        Membership.objects.create(user=user, organisation=court, role=r)
    if have - want:
        Membership.objects.filter(user=user, organisation=court, role__in=have - want).delete()


def _check_weight(weight) -> Decimal:
    try:
        value = Decimal(str(weight))
    except (InvalidOperation, ValueError):
        raise ValidationFailed(_("The weight must be a number between 0 and 5."), code="weight") from None
    if not Decimal("0") <= value <= Decimal("5"):
        raise ValidationFailed(_("The weight must be a number between 0 and 5."), code="weight")
    return value.quantize(Decimal("0.01"))


@transaction.atomic
def staff_post_set(*, court: Organisation, actor, user: User, role: str, division: Division | None = None,
                   weight=Decimal("1"), works_with: User | None = None, active: bool = True) -> StaffPost:
    """Create or change a person's post (the same person and role: the division, weight, pairing or state
    change); journaled in the court record, and the people.Membership the access rules read follows."""
    _require_admin(actor, court)
    if role not in StaffRole.values:
        raise ValidationFailed(_("Unknown role: %(role)s") % {"role": role}, code="role", data={"role": role})
    if division is not None and division.court_id != court.pk:
        raise ValidationFailed(_("The division belongs to another court."), code="division")
    weight = _check_weight(weight)
    post = StaffPost.objects.filter(court=court, user=user, role=role).first()
    before = None
    if post is None:
        post = StaffPost(court=court, user=user, role=role)
    else:
        before = {"division": post.division_id, "weight": str(post.weight), "works_with": post.works_with_id,
                  "active": post.active}
    post.division, post.weight, post.works_with, post.active = division, weight, works_with, active
    post.save()
    after = {"division": post.division_id, "weight": str(post.weight), "works_with": post.works_with_id,
             "active": post.active}
    if before != after:
        court_record(court=court, kind="court.post_set" if before is None else "court.post_changed", actor=actor,
                     payload={"user": user.pk, "name": user.display_name, "role": role, **after,
                              **({"before": before} if before else {})})
    _sync_membership(user, court, role)
    return post


@transaction.atomic
def person_create(*, court: Organisation, actor, username: str, real_name: str, role: str, phone: str = "",
                  division: Division | None = None, weight=Decimal("1")) -> StaffPost:
    """A new court account with its first post (no password: the person sets one through the sign-in reset)."""
    from yunting.core.people.services import user_create

    _require_admin(actor, court)
    username = _clean_name(username, "username")[:150]
    real_name = _clean_name(real_name, "real_name")[:100]
    user = User.objects.filter(username=username).first()
    if user is None:
        user = user_create(username=username, password=None, real_name=real_name, phone=phone.strip()[:20])
    return staff_post_set(court=court, actor=actor, user=user, role=role, division=division, weight=weight)


CSV_COLUMNS = ("username", "real_name", "role", "division", "weight", "phone", "works_with")


@dataclass
class ImportRow:
    line: int
    username: str
    outcome: str  # created | updated | unchanged | error
    message: str = ""


def staff_import_csv(*, court: Organisation, actor, text: str) -> list[ImportRow]:
    """Import people from CSV (header: username,real_name,role,division[,weight,phone,works_with]); each row in
    its own savepoint, so a bad row is reported with its line and reason and the others are imported."""
    _require_admin(actor, court)
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = {"username", "real_name", "role", "division"} - set(reader.fieldnames or [])
    if missing:
        raise ValidationFailed(_("The CSV lacks the columns: %(columns)s") % {"columns": ", ".join(sorted(missing))},
                               code="csv_columns", data={"missing": sorted(missing)})
    divisions = {d.name: d for d in Division.objects.filter(court=court)}
    role_by_label = {str(label): value for value, label in StaffRole.choices} | {v: v for v in StaffRole.values}
    role_by_label |= {"法官": "judge", "审判员": "judge", "法官助理": "judge_assistant", "书记员": "clerk",
                      "送达专员": "service_officer", "庭长": "division_head", "院长": "president",
                      "档案员": "archivist", "立案法官": "filing_officer", "立案员": "filing_officer",
                      "法院管理员": "court_admin"}
    report: list[ImportRow] = []
    for i, row in enumerate(reader, start=2):
        row = {k: (v or "").strip() for k, v in row.items() if k}
        username = row.get("username", "")
        try:
            role = role_by_label.get(row.get("role", ""))
            if role is None:
                raise ValidationFailed(_("Unknown role: %(role)s") % {"role": row.get("role", "")}, code="role")
            name = row.get("division", "")
            division = divisions.get(name) if name else None
            if name and division is None:
                raise ValidationFailed(_("No division named %(name)s.") % {"name": name}, code="division")
            works_with = None
            if row.get("works_with"):
                works_with = User.objects.filter(username=row["works_with"]).first()
                if works_with is None:
                    raise ValidationFailed(_("No user %(username)s.") % {"username": row["works_with"]},
                                           code="works_with")
            existed = StaffPost.objects.filter(court=court, user__username=username, role=role).first()
            before = (existed.division_id, existed.weight, existed.active) if existed else None
            with transaction.atomic():
                post = person_create(court=court, actor=actor, username=username, real_name=row.get("real_name", ""),
                                     role=role, phone=row.get("phone", ""), division=division,
                                     weight=row.get("weight") or "1")
                if works_with is not None:
                    post = staff_post_set(court=court, actor=actor, user=post.user, role=role, division=division,
                                          weight=post.weight, works_with=works_with)
            outcome = "created" if before is None else (
                "unchanged" if before == (post.division_id, post.weight, post.active) else "updated")
            report.append(ImportRow(i, username, outcome))
        except ValidationFailed as exc:
            report.append(ImportRow(i, username, "error", str(exc.message)))
    return report


@transaction.atomic
def absence_add(*, court: Organisation, actor, user: User, start: date, end: date, reason: str = "") -> Absence:
    _require_admin(actor, court)
    if end < start:
        raise ValidationFailed(_("The last day cannot be before the first."), code="absence_order")
    absence = Absence.objects.create(court=court, user=user, start=start, end=end, reason=reason.strip()[:200])
    court_record(court=court, kind="court.absence_added", actor=actor,
                 payload={"user": user.pk, "start": start.isoformat(), "end": end.isoformat(), "reason": reason})
    return absence


@transaction.atomic
def recusal_add(*, court: Organisation, actor, user: User, kind: str, name: str, note: str = "") -> Recusal:
    _require_admin(actor, court)
    if kind not in RecusalKind.values:
        raise ValidationFailed(_("Unknown recusal reason."), code="recusal_kind")
    name = _clean_name(name, "name")[:200]
    recusal, _created = Recusal.objects.get_or_create(court=court, user=user, name=name,
                                                      defaults={"kind": kind, "note": note.strip()[:200]})
    court_record(court=court, kind="court.recusal_added", actor=actor,
                 payload={"user": user.pk, "kind": kind, "name": name})
    return recusal


# --- settings as data -----------------------------------------------------------------------------------------
def court_settings(court: Organisation) -> CourtSettings:
    found = CourtSettings.objects.filter(court=court).first()
    return found or CourtSettings(court=court)


@transaction.atomic
def settings_update(*, court: Organisation, actor, default_division: Division | None = None,
                    fee_channel: str | None = None, auto_assign: bool | None = None) -> CourtSettings:
    _require_admin(actor, court)
    s, _created = CourtSettings.objects.get_or_create(court=court)
    if fee_channel is not None and fee_channel not in FeeChannel.values:
        raise ValidationFailed(_("Unknown payment channel."), code="fee_channel")
    if default_division is not None and default_division.court_id != court.pk:
        raise ValidationFailed(_("The division belongs to another court."), code="division")
    s.default_division = default_division
    if fee_channel is not None:
        s.fee_channel = fee_channel
    if auto_assign is not None:
        s.auto_assign = auto_assign
    s.save()
    court_record(court=court, kind="court.settings_changed", actor=actor,
                 payload={"default_division": s.default_division_id, "fee_channel": s.fee_channel,
                          "auto_assign": s.auto_assign})
    return s


@transaction.atomic
def cause_route_set(*, court: Organisation, actor, cause: Cause, division: Division | None) -> CauseRoute | None:
    """Send a cause (and the narrower causes under it) to a division; None removes the route."""
    _require_admin(actor, court)
    if division is not None and division.court_id != court.pk:
        raise ValidationFailed(_("The division belongs to another court."), code="division")
    CauseRoute.objects.filter(court=court, cause=cause).delete()
    route = CauseRoute.objects.create(court=court, cause=cause, division=division) if division else None
    court_record(court=court, kind="court.cause_routed", actor=actor,
                 payload={"cause": cause.pk, "cause_name": cause.name,
                          "division": division.pk if division else None})
    return route


@transaction.atomic
def small_claims_threshold_set(*, court: Organisation, actor, province: str, year: int, amount) -> SmallClaimsThreshold:
    _require_admin(actor, court)
    province = _clean_name(province, "province")[:8]
    try:
        amount = Decimal(str(amount)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise ValidationFailed(_("Enter an amount in yuan."), code="amount") from None
    if amount <= 0 or not 2000 <= int(year) <= 2100:
        raise ValidationFailed(_("Enter a positive amount and a year."), code="amount")
    row, _created = SmallClaimsThreshold.objects.update_or_create(province=province, year=int(year),
                                                                  defaults={"amount": amount})
    court_record(court=court, kind="court.small_claims_threshold", actor=actor,
                 payload={"province": province, "year": int(year), "amount": str(amount)})
    return row


# --- assignment ---------------------------------------------------------------------------------------------------
def _province(court: Organisation) -> str:
    return (court.court_code or "")[:1]


def _route_division(court_id: int, cause_id: str, routes: dict[str, Division], parents: dict[str, str | None],
                    default: Division | None) -> Division | None:
    node: str | None = cause_id
    while node:
        if node in routes:
            return routes[node]
        node = parents.get(node)
    return default


@dataclass
class AutoResult:
    case_id: int
    judge: int | None
    judge_name: str
    reason: str
    assigned: bool
    code: str = ""


class _Pool:
    """Everything the rule needs about one court, read once for a whole batch; open counts follow as it assigns."""

    def __init__(self, court: Organisation):
        self.court = court
        self.settings = court_settings(court)
        self.routes = {r.cause_id: r.division for r in CauseRoute.objects.filter(
            court=court, division__active=True).select_related("division")}
        self.parents = _cause_parents()
        self.default = self.settings.default_division if self.settings.default_division_id else None
        if self.default is not None and not self.default.active:
            self.default = None
        posts = list(StaffPost.objects.filter(court=court, active=True, division__isnull=False)
                     .select_related("user"))
        self.judges: dict[int, list[StaffPost]] = defaultdict(list)
        self.helpers: dict[tuple[int, str], list[StaffPost]] = defaultdict(list)
        for p in posts:
            if p.role in JUDGING_ROLES:
                self.judges[p.division_id].append(p)
            elif p.role in (StaffRole.CLERK, StaffRole.JUDGE_ASSISTANT):
                self.helpers[(p.division_id, p.role)].append(p)
        judge_ids = [p.user_id for ps in self.judges.values() for p in ps]
        self.open = Counter(_open_counts(judge_ids))
        today = shanghai_today()
        self.absent = {uid: reason or "休假" for uid, reason in Absence.objects.filter(
            user_id__in=judge_ids, start__lte=today, end__gte=today).values_list("user_id", "reason")}
        self.recusals: dict[int, set[str]] = defaultdict(set)
        for uid, name in Recusal.objects.filter(user_id__in=judge_ids).values_list("user_id", "name"):
            self.recusals[uid].add(name)
        self.helper_load: Counter = Counter()
        self.threshold = SmallClaimsThreshold.objects.filter(
            province=_province(court), year=today.year).values_list("amount", flat=True).first()

        self._cands: dict[int, list[rules.Candidate]] = {}

    def candidates(self, division_id: int) -> list[rules.Candidate]:
        """The division's judges, built once per batch; `took` keeps their open counts current."""
        found = self._cands.get(division_id)
        if found is None:
            found = self._cands[division_id] = [
                rules.Candidate(user_id=p.user_id, name=p.user.display_name, open_cases=self.open[p.user_id],
                                weight=p.weight, absent=self.absent.get(p.user_id, ""),
                                recuse_names=frozenset(self.recusals.get(p.user_id, ())))
                for p in self.judges.get(division_id, [])]
        return found

    def took(self, judge_id: int) -> None:
        self.open[judge_id] += 1
        for cands in self._cands.values():
            for c in cands:
                if c.user_id == judge_id:
                    c.open_cases += 1

    def helper(self, division_id: int, role: str, judge_id: int) -> int | None:
        posts = [p for p in self.helpers.get((division_id, role), []) if p.user_id not in self.absent]
        if not posts:
            return None
        paired = [p for p in posts if p.works_with_id == judge_id]
        pick = paired[0] if paired else min(posts, key=lambda p: (self.helper_load[p.user_id], p.pk))
        self.helper_load[pick.user_id] += 1
        return pick.user_id


_PARENTS: dict[str, str | None] = {}


def _cause_parents() -> dict[str, str | None]:
    """The official cause list's tree (reference data seeded by migration), read once per process: assignment
    on acceptance runs once per accepted case."""
    if not _PARENTS or len(_PARENTS) != Cause.objects.count():
        _PARENTS.clear()
        _PARENTS.update(Cause.objects.values_list("code", "parent_id"))
    return _PARENTS


def _open_counts(judge_ids) -> dict[int, int]:
    from django.db.models import Count

    return dict(CaseState.objects.filter(judge_id__in=list(judge_ids), status__in=OPEN).values("judge_id")
                .annotate(n=Count("case_id")).values_list("judge_id", "n"))


def _names_in_cases(case_ids: list[int]) -> dict[int, set[str]]:
    """Party names, and the law firms of the lawyers taking part: what a recusal list is matched against."""
    out: dict[int, set[str]] = defaultdict(set)
    for cid, name in Party.objects.filter(case_id__in=case_ids).values_list("case_id", "name"):
        out[cid].add(name)
    lawyers = list(Participation.objects.filter(case_id__in=case_ids, role="lawyer").values_list("case_id", "user_id"))
    if lawyers:
        firms = defaultdict(set)
        for uid, name in Membership.objects.filter(user_id__in={u for _c, u in lawyers},
                                                   organisation__kind="law_firm").values_list(
                "user_id", "organisation__name"):
            firms[uid].add(name)
        for cid, uid in lawyers:
            out[cid] |= firms.get(uid, set())
    return out


def _payload(*, judge: User | rules.Candidate, judge_name: str, panel: list[int], clerk, assistant,
             division: Division, procedure: str, reason: str, auto: bool, previous: int | None) -> dict:
    return {"judge": judge, "judge_name": judge_name, "panel": panel, "clerk": clerk, "assistant": assistant,
            "division": division.pk, "division_name": division.name, "procedure": procedure, "reason": reason,
            "auto": auto, "previous_judge": previous}


def _grant(case_payloads: list[tuple[Case, dict]]) -> None:
    """The participations an assignment grants, in one executemany (existing ones are kept as they are)."""
    from django.db import connection

    from yunting.kernel.common import rawsql

    now = Participation._meta.get_field("created_at").get_db_prep_save(timezone.now(), connection)
    rows = [(case.pk, uid, role, now) for case, payload in case_payloads
            for uid, role in entries.assigned_grants(payload)]
    with rawsql.cursor() as cur:
        cur.executemany(f"INSERT INTO {Participation._meta.db_table} (case_id, user_id, role, created_at)"
                        " VALUES (%s, %s, %s, %s) ON CONFLICT DO NOTHING", rows)


def _auto_panel(pool: _Pool, division_id: int, judge_id: int, names: set[str]) -> list[int]:
    """合议庭 for ordinary procedure: the assigned judge presiding, plus the two next-lowest loads."""
    others = [c for c in pool.candidates(division_id) if c.user_id != judge_id and not c.absent
              and not (c.recuse_names & names) and c.weight > 0]
    others.sort(key=lambda c: (c.load, c.open_cases, c.user_id))
    if len(others) < 2:
        return []
    return [judge_id, others[0].user_id, others[1].user_id]


def _procedure_for(case: Case, division: Division, pool: _Pool) -> str:
    return rules.procedure_for(
        type_default=case.procedure, division_default=division.default_procedure, claim_amount=case.claim_amount,
        small_claims_threshold=pool.threshold, civil_first_instance=case.case_type_id == "民初")


@transaction.atomic
def cases_assign_auto(*, case_ids: list[int], actor=None, check_permission: bool = True) -> list[AutoResult]:
    """分案 by rule for many cases at once (a whole accepted batch): cause → division; within it the judge with
    the lowest weighted open caseload, skipping the absent and those who must recuse; the reason stored with
    each `case.assigned`. Cases already assigned, closed, or that no rule can place are reported, not changed."""
    ids = list(dict.fromkeys(int(i) for i in case_ids))
    cases: dict[int, Case] = {}
    for start in range(0, len(ids), 5000):  # only what the rule and the journal need: thousands at once
        cases.update((c.pk, c) for c in Case.objects.filter(pk__in=ids[start:start + 5000]).only(
            "id", "number", "court_id", "cause_id", "case_type_id", "claim_amount", "procedure", "status",
            "security_level"))
    cause_names = dict(Cause.objects.filter(code__in={c.cause_id for c in cases.values()}).values_list("code",
                                                                                                       "name"))
    states = dict(CaseState.objects.filter(case_id__in=ids).values_list("case_id", "status"))
    results: dict[int, AutoResult] = {}
    by_court: dict[int, list[Case]] = defaultdict(list)
    for cid in ids:
        case = cases.get(cid)
        if case is None:
            results[cid] = AutoResult(cid, None, "", _("No such case."), False, "not_found")
        elif states.get(cid, "registered") != "registered":
            results[cid] = AutoResult(cid, None, "", _("The case is already assigned."), False, "already_assigned")
        else:
            by_court[case.court_id].append(case)
    items: list[EntryInput] = []
    granted: list[tuple[Case, dict]] = []
    for court_cases in by_court.values():
        court = Organisation.objects.get(pk=court_cases[0].court_id)
        if check_permission and not permissions.may_assign_first(actor, court.pk):
            for case in court_cases:  # the same answer as a case the caller cannot see
                results[case.pk] = AutoResult(case.pk, None, "", _("No such case."), False, "not_found")
            continue
        pool = _Pool(court)
        need_names = any(pool.recusals.values())
        names_of = _names_in_cases([c.pk for c in court_cases]) if need_names else {}
        for case in court_cases:
            division = _route_division(court.pk, case.cause_id, pool.routes, pool.parents, pool.default)
            if division is None:
                results[case.pk] = AutoResult(case.pk, None, "", _("No division takes the cause %(cause)s; set a "
                                              "route or a default division.") % {"cause": cause_names[case.cause_id]},
                                              False, "no_division")
                continue
            names = names_of.get(case.pk, set())
            choice = rules.choose_judge(pool.candidates(division.pk), names_in_case=names, cause=cause_names[case.cause_id],
                                        division=division.name)
            if choice.judge is None:
                results[case.pk] = AutoResult(case.pk, None, "", choice.reason, False, "no_judge")
                continue
            judge_id = choice.judge.user_id
            procedure = _procedure_for(case, division, pool)
            panel = _auto_panel(pool, division.pk, judge_id, names) if procedure == "ordinary" else []
            payload = _payload(judge=judge_id, judge_name=choice.judge.name, panel=panel,
                               clerk=pool.helper(division.pk, StaffRole.CLERK, judge_id),
                               assistant=pool.helper(division.pk, StaffRole.JUDGE_ASSISTANT, judge_id),
                               division=division, procedure=procedure, reason=choice.reason, auto=True,
                               previous=None)
            pool.took(judge_id)
            items.append(EntryInput(case=case, kind=entries.ASSIGNED, actor=actor, payload=payload))
            granted.append((case, payload))
            results[case.pk] = AutoResult(case.pk, judge_id, choice.judge.name, choice.reason, True)
    if items:
        journal_append_many(items)
        _grant(granted)
    return [results[cid] for cid in ids]


def assignment_on_acceptance(entry) -> None:
    """Subscriber of `filing.accepted`: assign the new case by rule when the court says so."""
    case = entry.case
    if not court_settings(case.court).auto_assign:
        return
    if CaseState.objects.filter(case_id=case.pk).exclude(status="registered").exists():
        return
    cases_assign_auto(case_ids=[case.pk], actor=None, check_permission=False)


def _judge_post(user_id, court_id) -> StaffPost | None:
    return (StaffPost.objects.filter(user_id=user_id, court_id=court_id, role=StaffRole.JUDGE, active=True,
                                     division__isnull=False).select_related("division", "user").first())


def _active(user_id, court_id, roles) -> bool:
    return StaffPost.objects.filter(user_id=user_id, court_id=court_id, role__in=roles, active=True).exists()


@transaction.atomic
def case_assign(*, case: Case, actor, judge: int, panel: list[int] | None = None, clerk: int | None = None,
                assistant: int | None = None, procedure: str, reason: str) -> dict:
    """Assign or re-assign a case by hand. A first assignment: filing officer, court admin, division head or
    president; a re-assignment: only the head of the case's division (or the president), always with a reason."""
    state = CaseState.objects.select_for_update().filter(case_id=case.pk).first()
    if state is not None and state.status == "closed":
        raise Conflict(_("The case is closed; it cannot be assigned."), code="case_closed")
    previous = state.judge_id if state is not None else None
    if previous is None:
        if not permissions.may_assign_first(actor, case.court_id):
            raise PermissionDenied(_("Only filing officers, court administrators, division heads or the president "
                                     "can assign cases."), code="assign_forbidden")
    elif not permissions.may_reassign(actor, case.court_id, state.division_id):
        raise PermissionDenied(_("Only the head of the case's division can re-assign it."), code="reassign_forbidden")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(_("Give the reason for this assignment."), code="reason_required")
    if procedure not in AssignProcedure.values:
        raise ValidationFailed(_("Unknown procedure."), code="procedure", data={"procedure": procedure})
    post = _judge_post(judge, case.court_id)
    if post is None:
        raise ValidationFailed(_("The judge must be an active judge of this court."), code="judge")
    panel = list(dict.fromkeys(int(p) for p in (panel or [])))
    if procedure == AssignProcedure.ORDINARY:
        if judge not in panel:
            panel = [judge, *panel]
        if len(panel) < 3 or len(panel) % 2 == 0:
            raise ValidationFailed(_("Ordinary procedure needs a panel of three (or another odd number) judges."),
                                   code="panel_size", data={"panel": panel})
        for member in panel:
            if not _active(member, case.court_id, [StaffRole.JUDGE, StaffRole.DIVISION_HEAD, StaffRole.PRESIDENT]):
                raise ValidationFailed(_("Every panel member must be an active judge of this court."),
                                       code="panel_member", data={"user": member})
    elif panel and panel != [judge]:
        raise ValidationFailed(_("Under this procedure one judge sits alone: leave the panel empty."),
                               code="panel_not_allowed")
    else:
        panel = []
    if clerk and not _active(clerk, case.court_id, [StaffRole.CLERK]):
        raise ValidationFailed(_("The clerk must be an active clerk of this court."), code="clerk")
    if assistant and not _active(assistant, case.court_id, [StaffRole.JUDGE_ASSISTANT]):
        raise ValidationFailed(_("The assistant must be an active judge assistant of this court."), code="assistant")
    payload = _payload(judge=judge, judge_name=post.user.display_name, panel=panel, clerk=clerk or None,
                       assistant=assistant or None, division=post.division, procedure=procedure, reason=reason[:500],
                       auto=False, previous=previous)
    journal_append_many([EntryInput(case=case, kind=entries.ASSIGNED, actor=actor, payload=payload)])
    _grant([(case, payload)])
    return payload


PROCEDURE_CHANGES = {("simple", "ordinary"), ("small_claims", "simple"), ("small_claims", "ordinary"),
                     ("expedited", "simple"), ("expedited", "ordinary")}


@transaction.atomic
def case_procedure_change(*, case: Case, actor, to: str, reason: str, on: date | None = None) -> dict:
    """简易→普通 (CPL 170) and the like: by the case's judge, its division head or the president. The trial
    period then counts from the original registration (clocks reads the entry)."""
    state = CaseState.objects.select_for_update().filter(case_id=case.pk).first()
    if state is None or state.judge_id is None:
        raise Conflict(_("Assign the case first."), code="case_unassigned")
    if state.status == "closed":
        raise Conflict(_("The case is closed."), code="case_closed")
    if not (actor.pk == state.judge_id or permissions.may_reassign(actor, case.court_id, state.division_id)):
        raise PermissionDenied(_("Only the case's judge or division head can change its procedure."),
                               code="procedure_forbidden")
    if (state.procedure, to) not in PROCEDURE_CHANGES:
        raise ValidationFailed(_("The procedure cannot change from %(from)s to %(to)s.")
                               % {"from": state.procedure, "to": to}, code="procedure_change",
                               data={"from": state.procedure, "to": to})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(_("Give the reason for this change."), code="reason_required")
    payload = {"from": state.procedure, "to": to, "on": (on or shanghai_today()).isoformat(), "reason": reason[:500]}
    journal_append_many([EntryInput(case=case, kind=entries.PROCEDURE_CHANGED, actor=actor, payload=payload)])
    return payload


CLOSING_TITLES = {"judgment": "民事判决书", "mediation_statement": "民事调解书", "withdrawal_ruling": "民事裁定书（准许撤诉）",
                  "rejection_ruling": "民事裁定书（不予受理）"}


@transaction.atomic
def case_close(*, case: Case, actor, outcome: str, closed_on: date, document: str | None, title: str) -> dict | None:
    """Append `case.closed` (once): the case's status, outcome and closure date follow from it."""
    if outcome not in Outcome.values:
        raise ValidationFailed(_("Unknown outcome."), code="outcome")
    state = CaseState.objects.select_for_update().filter(case_id=case.pk).first()
    if state is not None and state.status == "closed":
        return None
    payload = {"outcome": outcome, "closed_on": closed_on.isoformat(), "document": document, "title": title}
    journal_append_many([EntryInput(case=case, kind=entries.CLOSED, actor=actor, payload=payload)])
    return payload


def closure_on_sealed_paper(entry) -> None:
    """Subscriber of `papers.sealed`: a sealed judgment, mediation statement or closing ruling closes the case."""
    template = (entry.payload or {}).get("template", "")
    outcome = rules.CLOSING_TEMPLATES.get(template)
    if outcome is None:
        return
    case_close(case=entry.case, actor=entry.actor, outcome=outcome,
               closed_on=entry.recorded_at.astimezone(SHANGHAI).date(),
               document=(entry.document_hashes or [None])[0], title=CLOSING_TITLES.get(template, template))


def division_get(court_id, division_id) -> Division:
    division = Division.objects.filter(court_id=court_id, pk=division_id).first()
    if division is None:
        raise NotFound(_("No such division."), code="division_not_found")
    return division
