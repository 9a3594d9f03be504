"""Writes of the service centre: request, plan, dispatch, record attempts, escalate, complete and prove.

The legal rules (which outcome serves, the deemed date) are in rules.py; this module keeps the records, the
journal entries and the address history in step, each act in one transaction.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from yunting.core.cases.choices import CaseRole
from yunting.core.cases.errors import CaseNotFound
from yunting.core.cases.models import Case, Participation, Party
from yunting.core.journal.services import EntryInput, journal_append, journal_append_many
from yunting.kernel.common import rawsql
from yunting.kernel.common.errors import Conflict, NotFound, ValidationFailed
from yunting.kernel.common.timeutil import SHANGHAI
from yunting.kernel.security.fields import blind_index

from . import entries, rules
from .access import case_staff, is_service_officer
from .choices import (
    ELECTRONIC,
    Channel,
    ConfirmedBy,
    ConsentForm,
    ContactKind,
    ContactSource,
    Outcome,
    TaskStatus,
    consent_covers,
)
from .errors import ServiceErrorCode as E
from .errors import ServiceTaskNotFound
from .models import Consent, ContactPoint, ServiceAttempt, ServiceTask, SmsAccessLink

# efile document kind → what clocks starts from its service (core/clocks SERVED_KINDS)
SERVED_KIND = {"complaint": "complaint", "judgment": "judgment", "ruling": "ruling", "summons": "summons",
               "fee_notice": "fee_notice", "acceptance_notice": "fee_notice", "response_notice": "complaint",
               "notice": "notice", "mediation_statement": "other"}
# days the court gives itself to serve, by what is served (CPL art 128: the complaint within 5 days; art 151:
# a judgment within 10 days) — others a week (practice; a court may pass due_on)
DUE_DAYS = {"complaint": 5, "judgment": 10, "ruling": 10}
DEFAULT_DUE_DAYS = 7
LINK_TTL = timedelta(days=15)
LINK_MAX_WRONG = 5
CODE_DIGITS = 6
SENT = Outcome.SENT  # handed on (SMS/e-mail sent, letter posted): not service by itself
PHONE_PHRASES = {
    "confirmed": "受送达人确认收悉并同意按确认地址送达",
    "address_confirmed": "受送达人确认送达地址",
    "wrong_number": "号码错误或非本人",
    "no_answer": "无人接听",
    "refused": "受送达人拒绝接收",
    "powered_off": "关机或停机",
}
PHONE_PHRASE_OUTCOME = {"confirmed": Outcome.DELIVERED, "address_confirmed": Outcome.DELIVERED,
                        "wrong_number": Outcome.FAILED, "no_answer": Outcome.FAILED, "refused": Outcome.REFUSED,
                        "powered_off": Outcome.FAILED}
RECORDING_TYPES = {"audio/mpeg", "audio/x-wav", "audio/wav", "audio/ogg", "audio/mp4", "audio/webm"}


# --- identity and address history ---------------------------------------------------------------------------
def identity_key(party: Party) -> str:
    """The key of a person's or organisation's address history across cases: a keyed blind index of the ID
    number or credit code (the number itself is never stored here); name + phone when neither is known."""
    if party.id_number:
        return blind_index("ric:" + party.id_number.strip().upper())
    if party.credit_code:
        return blind_index("uscc:" + party.credit_code.strip().upper())
    return blind_index(f"name:{party.name}|{party.phone}")


def account_key(user_id: int) -> str:
    """A platform account's own history key (a lawyer's account serves many clients)."""
    return blind_index(f"user:{user_id}")


def _lawyer_ids(case_id: int, party_ids: Iterable[int]) -> dict[int, list[int]]:
    return _lawyers_of([(case_id, p) for p in party_ids])


def _lawyers_of(pairs: Iterable[tuple[int, int]]) -> dict[int, list[int]]:
    """{party id: [lawyer user ids]} for (case id, party id) pairs, in one query."""
    pairs = list(pairs)
    out: dict[int, list[int]] = {}
    if not pairs:
        return out
    for party_id, user_id in Participation.objects.filter(
            case_id__in={c for c, _p in pairs}, party_id__in={p for _c, p in pairs},
            role=CaseRole.LAWYER).values_list("party_id", "user_id"):
        out.setdefault(party_id, []).append(user_id)
    return out


def _known_contacts(party: Party, key: str, lawyers: Sequence[int]) -> list[tuple[str, str, str]]:
    """(identity key, kind, value) of the contacts the case record gives for a party."""
    out = []
    if party.phone:
        out.append((key, ContactKind.PHONE, party.phone.strip()))
    if party.address:
        out.append((key, ContactKind.ADDRESS, party.address.strip()))
    if party.user_id:
        out.append((key, ContactKind.ACCOUNT, f"user:{party.user_id}"))
    for user_id in lawyers:
        out.append((account_key(user_id), ContactKind.ACCOUNT, f"user:{user_id}"))
    return out


def _ensure_contacts(rows: list[tuple[str, str, str]], history: dict[str, list[rules.Contact]]) -> None:
    """Add the case record's contacts the history does not know yet (and to `history`, for the plans)."""
    known = {(k, c.kind, c.value) for k, cs in history.items() for c in cs}
    new = list(dict.fromkeys(r for r in rows if r not in known))
    if new:
        ContactPoint.objects.bulk_create(
            [ContactPoint(identity_key=k, kind=kind, value=v, source=ContactSource.CASE_RECORD) for k, kind, v in new],
            ignore_conflicts=True, batch_size=500)
        for k, kind, v in new:
            history.setdefault(k, []).append(rules.Contact(kind=kind, value=v))


def _history(keys: Iterable[str]) -> dict[str, list[rules.Contact]]:
    """The address history of these identity keys, as the planner sees it: fake data-repair results that no real
    delivery has confirmed are left out."""
    out: dict[str, list[rules.Contact]] = {}
    keys = list(set(keys))
    for start in range(0, len(keys), 900):
        for k, kind, value, delivered, failed, recent, source in ContactPoint.objects.filter(
                identity_key__in=keys[start:start + 900]).values_list(
                "identity_key", "kind", "value", "delivered_count", "failed_count", "recent", "source"):
            if source == ContactSource.DATA_REPAIR_FAKE and not delivered:
                continue
            out.setdefault(k, []).append(rules.Contact(kind=kind, value=value, delivered=delivered, failed=failed,
                                                       recent=recent))
    return out


def _consented(case_id: int, party_ids: Iterable[int]) -> dict[int, frozenset[str]]:
    return _consents_of(party_ids)


def _consents_of(party_ids: Iterable[int]) -> dict[int, frozenset[str]]:
    """{party id: channels consented to} (a party row belongs to one case: consent is per case and party)."""
    out: dict[int, set[str]] = {}
    ids = list(set(party_ids))
    for start in range(0, len(ids), 900):
        for party_id, channels in Consent.objects.filter(party_id__in=ids[start:start + 900],
                                                         withdrawn_at__isnull=True).values_list("party_id", "channels"):
            out.setdefault(party_id, set()).update(channels or [])
    return {k: frozenset(v) for k, v in out.items()}


def plan_for(*, party: Party, key: str, consented: frozenset[str], document_kind: str,
             history: dict[str, list[rules.Contact]], lawyers: Sequence[int]) -> list[dict]:
    """The proposed channel order for one recipient, [{channel, reason}] (rules.plan_channels)."""
    own = list(history.get(key, ()))
    for user_id in lawyers:
        own += [replace(c, lawyer=True) for c in history.get(account_key(user_id), ()) if c.kind == ContactKind.ACCOUNT]
    steps = rules.plan_channels(rules.Recipient(contacts=own, consented=consented, document_kind=document_kind,
                                                has_address=bool(party.address)))
    return [s.as_dict() for s in steps]


def _record_outcome(point: ContactPoint | None, served: bool, at: datetime, outcome: str) -> None:
    if point is None:
        return
    mark = "s" if served else "f"
    ContactPoint.objects.filter(pk=point.pk).update(
        delivered_count=F("delivered_count") + (1 if served else 0), failed_count=F("failed_count") + (0 if served else 1),
        last_outcome=outcome, last_at=at)
    point.refresh_from_db(fields=["recent"])
    ContactPoint.objects.filter(pk=point.pk).update(recent=(point.recent + mark)[-10:])


# --- request ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class RequestItem:
    """One case's part of a request: which of its documents to serve on which of its parties (ids or rows)."""

    case: Case
    documents: Sequence
    recipients: Sequence


def _ids(values, code: str, field: str, message) -> list[int]:
    ids = []
    for v in values or []:
        try:
            ids.append(int(getattr(v, "pk", v)))
        except (TypeError, ValueError):
            raise ValidationFailed(message, code=code, data={"field": field}) from None
    if not ids:
        raise ValidationFailed(message, code=code, data={"field": field})
    return list(dict.fromkeys(ids))


def _documents_of(items: Sequence[RequestItem]) -> list[list]:
    """The e-file documents of each item, checked to be of its case and in the main volume (a 副卷 document is
    never served: it answers like one that is not there)."""
    from yunting.core.efile.models import Document

    message = _("Choose documents of this case to serve.")
    wanted = [_ids(item.documents, E.DOCUMENTS, "documents", message) for item in items]
    every = sorted({i for ids in wanted for i in ids})
    rows = {}
    for start in range(0, len(every), 900):
        for d in Document.objects.filter(pk__in=every[start:start + 900]).select_related("section").only(
                "id", "case_id", "title", "kind", "blob_id", "section__volume"):
            rows[d.pk] = d
    out = []
    for item, ids in zip(items, wanted, strict=True):
        bad = [i for i in ids if i not in rows or rows[i].case_id != item.case.pk or rows[i].section.volume != "main"]
        if bad:
            raise ValidationFailed(message, code=E.DOCUMENTS, data={"field": "documents", "ids": bad})
        out.append([rows[i] for i in ids])
    return out


def _recipients_of(items: Sequence[RequestItem]) -> list[list[Party]]:
    message = _("Choose parties of this case as recipients.")
    wanted = [_ids(item.recipients, E.RECIPIENTS, "recipients", message) for item in items]
    every = sorted({i for ids in wanted for i in ids})
    rows = {}
    for start in range(0, len(every), 900):
        rows.update({p.pk: p for p in Party.objects.filter(pk__in=every[start:start + 900])})
    out = []
    for item, ids in zip(items, wanted, strict=True):
        bad = [i for i in ids if i not in rows or rows[i].case_id != item.case.pk]
        if bad:
            raise ValidationFailed(message, code=E.RECIPIENTS, data={"field": "recipients", "ids": bad})
        out.append([rows[i] for i in ids])
    return out


def served_kinds(kinds: Iterable[str]) -> list[str]:
    out = list(dict.fromkeys(SERVED_KIND.get(k, "other") for k in kinds))
    return out or ["other"]


def main_kind(kinds: Sequence[str]) -> str:
    """The one kind a task is filed under (the deadline that matters most when several documents go together)."""
    if len(kinds) == 1:
        return kinds[0]
    return next((k for k in ("judgment", "ruling", "complaint", "fee_notice", "summons", "notice") if k in kinds),
                "other")


def _divisions(case_ids: Iterable[int]) -> dict[int, int | None]:
    try:
        from yunting.core.courts.models import CaseState
    except ImportError:  # pragma: no cover - courts is installed everywhere today
        return {}
    ids = list(set(case_ids))
    out = {}
    for start in range(0, len(ids), 900):
        out.update(dict(CaseState.objects.filter(case_id__in=ids[start:start + 900]).values_list("case_id",
                                                                                            "division_id")))
    return out


def _today() -> date:
    return timezone.now().astimezone(SHANGHAI).date()


def _check_may_work(actor, cases: Sequence[Case]) -> None:
    """Court staff of every case, or a service officer of its court; CaseNotFound otherwise (nothing written)."""
    if actor is None:
        return
    from yunting.core.cases.choices import COURT_CASE_ROLES
    from yunting.core.people.choices import Role
    from yunting.core.people.models import Membership

    officer_of = set(Membership.objects.filter(user=actor, role=Role.SERVICE_OFFICER)
                     .values_list("organisation_id", flat=True))
    ids = [c.pk for c in cases if not (c.court_id in officer_of and c.security_level != "secret")]
    staff = set()
    for start in range(0, len(ids), 900):
        staff.update(Participation.objects.filter(case_id__in=ids[start:start + 900], user=actor,
                                                  role__in=COURT_CASE_ROLES).values_list("case_id", flat=True))
    for case in cases:
        if case.pk in ids and case.pk not in staff and not case_staff(actor, case.pk):
            raise CaseNotFound()


@transaction.atomic
def service_request(*, case: Case, documents, recipients, actor, due_on: date | None = None,
                    foreign: bool = False, dispatch: bool = False) -> list[ServiceTask]:
    """Serve `documents` on each of `recipients`: one task each, planned from the address history, in the
    service centre's queue (`service.requested`). `actor` None is a workflow asking (service.wanted).
    `dispatch=True` also sends the first channel of each plan at once when it is electronic."""
    return service_request_many(items=[RequestItem(case, documents, recipients)], actor=actor, due_on=due_on,
                                foreign=foreign, dispatch=dispatch)[0]


@transaction.atomic
def service_request_many(*, items: Sequence[RequestItem], actor, due_on: date | None = None, foreign: bool = False,
                         dispatch: bool = False) -> list[list[ServiceTask]]:
    """service_request for many cases at once (an institution's batch, a workflow's mass ruling): the same
    checks, tasks and entries, with every read and write done in bulk. Any bad item refuses the whole request."""
    if not items:
        return []
    _check_may_work(actor, [item.case for item in items])
    docs_of = _documents_of(items)
    parties_of = _recipients_of(items)
    lawyers = _lawyers_of((p.case_id, p.pk) for ps in parties_of for p in ps)
    keys = {p.pk: identity_key(p) for ps in parties_of for p in ps}
    contacts = [row for ps in parties_of for p in ps for row in _known_contacts(p, keys[p.pk], lawyers.get(p.pk, ()))]
    history = _history(k for k, _kind, _v in contacts)
    _ensure_contacts(contacts, history)
    consents = _consents_of(keys)
    divisions = _divisions(item.case.pk for item in items)
    today = _today()
    request_key = uuid.uuid4().hex
    rows, facts_of = [], []
    for item, docs, parties in zip(items, docs_of, parties_of, strict=True):
        kind = main_kind(served_kinds(d.kind for d in docs))
        due = due_on or (today + timedelta(days=DUE_DAYS.get(kind, DEFAULT_DUE_DAYS)))
        facts = [{"id": d.pk, "title": d.title, "kind": d.kind, "sha256": d.blob_id} for d in docs]
        facts_of.append((facts, due))
        for p in parties:
            rows.append(ServiceTask(
                case=item.case, court_id=item.case.court_id, division_id=divisions.get(item.case.pk), recipient=p,
                identity_key=keys[p.pk], document_ids=[d.pk for d in docs], documents=facts, document_kind=kind,
                due_on=due, foreign=foreign, request_key=request_key, created_by=actor,
                plan=plan_for(party=p, key=keys[p.pk], consented=consents.get(p.pk, frozenset()), document_kind=kind,
                              history=history, lawyers=lawyers.get(p.pk, ()))))
    rawsql.bulk_insert(rows)
    created = rows
    out, at = [], 0
    for parties in parties_of:
        out.append(created[at:at + len(parties)])
        at += len(parties)
    journal_append_many([EntryInput(case=item.case, kind=entries.REQUESTED, actor=actor, payload={
        "task_ids": [t.pk for t in tasks], "documents": facts, "recipients": [p.pk for p in parties],
        "due_on": due.isoformat()}) for item, tasks, parties, (facts, due) in zip(items, out, parties_of, facts_of,
                                                                                  strict=True)])
    if dispatch:
        flat = [t for tasks in out for t in tasks]
        for channel in (Channel.PORTAL, Channel.SMS, Channel.EMAIL):
            ready = [t for t in flat if t.current_channel == channel]
            if ready:
                service_bulk_dispatch(tasks=ready, channel=channel, actor=actor)
    return out


def service_request_from_entry(entry) -> list[ServiceTask]:
    """A workflow's `service.wanted` entry → tasks (idempotent: a request already made for it is returned)."""
    p = entry.payload or {}
    key = f"wanted:{entry.pk}"
    existing = list(ServiceTask.objects.filter(request_key=key))
    if existing:
        return existing
    due = p.get("due_on")
    tasks = service_request(case=entry.case, documents=p.get("documents") or [], recipients=p.get("recipients") or [],
                            actor=None, due_on=date.fromisoformat(due) if due else None,
                            foreign=bool(p.get("foreign")), dispatch=bool(p.get("dispatch", True)))
    ServiceTask.objects.filter(pk__in=[t.pk for t in tasks]).update(request_key=key)
    return tasks


# --- consent --------------------------------------------------------------------------------------------------
@transaction.atomic
def consent_record(*, case: Case, party: Party, form: str, channels: Sequence[str], actor,
                   confirmed_by: str = ConfirmedBy.PLATFORM) -> Consent:
    """Record a party's consent to electronic service (OLR art 29) as confirmed by the court (art 30), with its
    journal entry. The party themself, their lawyer or court staff of the case may record it."""
    if party.case_id != case.pk:
        raise ValidationFailed(_("That party is not in this case."), code=E.RECIPIENTS, data={"field": "party"})
    own = actor is not None and (party.user_id == actor.pk or Participation.objects.filter(
        case=case, user=actor, party=party, role__in=(CaseRole.PARTY, CaseRole.LAWYER)).exists())
    if actor is not None and not own and not case_staff(actor, case.pk) and not is_service_officer(actor, case.court_id):
        raise CaseNotFound()
    if form not in ConsentForm.values:
        raise ValidationFailed(_("Choose a form of consent the rules allow."), code=E.CONSENT_FORM,
                               data={"field": "form", "allowed": list(ConsentForm.values)})
    if confirmed_by not in ConfirmedBy.values:
        raise ValidationFailed(_("Choose how the consent was confirmed."), code=E.CONSENT_FORM,
                               data={"field": "confirmed_by", "allowed": list(ConfirmedBy.values)})
    chosen = list(dict.fromkeys(channels or []))
    if not chosen or any(c not in ELECTRONIC for c in chosen):
        raise ValidationFailed(_("Consent covers electronic channels only: portal, sms, email."), code=E.CHANNEL,
                               data={"field": "channels", "allowed": sorted(ELECTRONIC)})
    entry = journal_append(case=case, kind=entries.CONSENTED, actor=actor, payload={
        "party_id": party.pk, "form": form, "channels": chosen, "confirmed_by": confirmed_by})
    consent = Consent.objects.create(case=case, party=party, form=form, channels=chosen, confirmed_by=confirmed_by,
                                     given_at=entry.recorded_at, entry_id=entry.pk, recorded_by=actor)
    _replan_open(case=case, party=party)
    return consent


@transaction.atomic
def consent_withdraw(*, consent: Consent, actor) -> Consent:
    """Withdraw consent (OLR art 5): electronic channels leave the plans of open tasks."""
    if consent.withdrawn_at is not None:
        return consent
    own = actor is not None and consent.party.user_id == actor.pk
    if not own and not case_staff(actor, consent.case_id):
        raise CaseNotFound()
    journal_append(case=consent.case, kind="service.consent_withdrawn", actor=actor,
                   payload={"party_id": consent.party_id, "consent_id": consent.pk})
    consent.withdrawn_at = timezone.now()
    consent.save(update_fields=["withdrawn_at"])
    _replan_open(case=consent.case, party=consent.party)
    return consent


def _replan_open(*, case: Case, party: Party) -> None:
    for task in ServiceTask.objects.filter(case=case, recipient=party,
                                           status__in=(TaskStatus.PENDING, TaskStatus.IN_PROGRESS)):
        _replan(task)


def _replan(task: ServiceTask) -> ServiceTask:
    """Recompute the steps not yet tried (consent, new contacts); steps already tried stay as they were."""
    party = task.recipient
    lawyers = _lawyer_ids(task.case_id, [party.pk]).get(party.pk, [])
    key = task.identity_key
    history = _history([key, *(account_key(u) for u in lawyers)])
    fresh = plan_for(party=party, key=key, consented=_consented(task.case_id, [party.pk]).get(party.pk, frozenset()),
                     document_kind=task.document_kind, history=history, lawyers=lawyers)
    done = task.plan[:task.plan_index + 1] if task.status == TaskStatus.IN_PROGRESS else task.plan[:task.plan_index]
    tried = {s["channel"] for s in done}
    task.plan = done + [s for s in fresh if s["channel"] not in tried]
    task.save(update_fields=["plan", "updated_at"])
    return task


def service_replan(*, task: ServiceTask, actor) -> ServiceTask:
    return _replan(task)


# --- contacts and data repair ----------------------------------------------------------------------------------
@transaction.atomic
def contact_add(*, task: ServiceTask, kind: str, value: str, actor, source: str = ContactSource.OFFICER) -> ContactPoint:
    """A new phone, e-mail or address for the recipient (an officer found it); the open plan takes it in."""
    value = (value or "").strip()
    if kind not in ContactKind.values or kind == ContactKind.ACCOUNT or not value or len(value) > 300:
        raise ValidationFailed(_("Enter a phone number, e-mail or address."), code=E.CONTACT, data={"field": "value"})
    if kind == ContactKind.PHONE:
        from yunting.kernel.notify.phones import phone_normalize

        value = phone_normalize(value)
    point, _created = ContactPoint.objects.get_or_create(identity_key=task.identity_key, kind=kind, value=value,
                                                         defaults={"source": source})
    if task.status in (TaskStatus.PENDING, TaskStatus.IN_PROGRESS):
        _replan(task)
    return point


def contact_repair(*, task: ServiceTask, actor, lookup=None) -> list[ContactPoint]:
    """数据修复: ask the operator lookup (FakeNumberLookup unless configured) for the recipient's numbers; results of a
    fake adapter are stored as such and never planned until a real delivery confirms them."""
    from .adapters import number_lookup

    lookup = lookup or number_lookup()
    party = task.recipient
    found = lookup.lookup(id_number=party.id_number or "", name=party.name)
    out = []
    with transaction.atomic():
        for r in found:
            source = ContactSource.DATA_REPAIR_FAKE if r.fake else ContactSource.DATA_REPAIR
            point, _created = ContactPoint.objects.get_or_create(
                identity_key=task.identity_key, kind=ContactKind.PHONE, value=r.phone, defaults={"source": source})
            out.append(point)
        if out:
            journal_append(case=task.case, kind="service.contact_repaired", actor=actor, payload={
                "task_id": task.pk, "party_id": party.pk, "count": len(out), "fake": any(r.fake for r in found)})
            _replan(task)
    return out


# --- dispatch -------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Dispatched:
    sent: list[int]  # task ids
    skipped: list[dict]  # {"task_id", "code", "message"}


@dataclass(frozen=True)
class _Point:
    pk: int
    value: str


def _contact_for(task: ServiceTask, kind: str) -> ContactPoint | None:
    """The best contact of `kind` for the task: the plan's choice, i.e. most recent successes first."""
    point = _contacts_for([task], kind).get(task.pk)
    return ContactPoint.objects.get(pk=point.pk) if point else None


def _contacts_for(tasks: Sequence[ServiceTask], kind: str) -> dict[int, _Point]:
    """{task id: its best contact of `kind`} for many tasks in one query per 900 keys; fake data-repair results
    are never used before a real delivery confirmed them."""
    keys_of: dict[int, list[str]] = {t.pk: [t.identity_key] for t in tasks}
    if kind == ContactKind.ACCOUNT:
        lawyers = _lawyers_of((t.case_id, t.recipient_id) for t in tasks)
        for t in tasks:
            keys_of[t.pk] += [account_key(u) for u in lawyers.get(t.recipient_id, [])]
    every = sorted({k for ks in keys_of.values() for k in ks})
    points: dict[str, list[tuple]] = {}
    for start in range(0, len(every), 900):
        for row in ContactPoint.objects.filter(identity_key__in=every[start:start + 900], kind=kind).exclude(
                Q(source=ContactSource.DATA_REPAIR_FAKE) & Q(delivered_count=0)).values_list(
                "identity_key", "pk", "value", "delivered_count", "failed_count", "recent"):
            points.setdefault(row[0], []).append(row[1:])
    out = {}
    for t in tasks:
        options = [p for k in keys_of[t.pk] for p in points.get(k, ())]
        if not options:
            continue
        best = rules._best([rules.Contact(kind=kind, value=v, delivered=d, failed=f, recent=r)
                            for _pk, v, d, f, r in options])
        pk, value = next((pk, v) for pk, v, *_rest in options if v == best.value)
        out[t.pk] = _Point(pk, value)
    return out


def _works(actor, tasks: Sequence[ServiceTask]) -> set[int]:
    """Ids of the tasks `actor` may work (service officer of the court on a non-secret case, or court staff of the
    case), with one query for the usual cases."""
    if actor is None:
        return {t.pk for t in tasks}
    from yunting.core.cases.choices import COURT_CASE_ROLES
    from yunting.core.people.choices import Role
    from yunting.core.people.models import Membership

    officer_of = set(Membership.objects.filter(user=actor, role=Role.SERVICE_OFFICER)
                     .values_list("organisation_id", flat=True))
    ok = {t.pk for t in tasks if t.court_id in officer_of and t.case.security_level != "secret"}
    rest = {t.case_id for t in tasks if t.pk not in ok}
    staff = set(Participation.objects.filter(case_id__in=rest, user=actor, role__in=COURT_CASE_ROLES)
                .values_list("case_id", flat=True)) if rest else set()
    staff |= {c for c in rest - staff if case_staff(actor, c)}
    return ok | {t.pk for t in tasks if t.case_id in staff}


def _check_consent(task: ServiceTask, channel: str) -> None:
    if channel in ELECTRONIC and not consent_covers(channel, _consented(task.case_id, [task.recipient_id]).get(
            task.recipient_id, frozenset())):
        raise ValidationFailed(_("No consent to electronic service through this channel (OLR art 29)."),
                               code=E.NO_CONSENT, data={"channel": channel, "task_id": task.pk})


def _check_open(task: ServiceTask) -> None:
    if task.status in (TaskStatus.SERVED, TaskStatus.FAILED):
        raise Conflict(_("This service task is already closed."), code=E.TASK_CLOSED,
                       data={"task_id": task.pk, "status": task.status})


def _link_code_hash(salt: str, code: str) -> str:
    return salted_hmac("yunting.service.link", f"{salt}:{code}").hexdigest()


def _new_link(task: ServiceTask, channel: str) -> tuple[SmsAccessLink, str, str]:
    token = secrets.token_urlsafe(24)
    code = f"{secrets.randbelow(10 ** CODE_DIGITS):0{CODE_DIGITS}d}"
    salt = secrets.token_hex(8)
    link = SmsAccessLink(token_hash=hashlib.sha256(token.encode()).hexdigest(), task=task, code_salt=salt,
                         code_hash=_link_code_hash(salt, code), expires_at=timezone.now() + LINK_TTL, channel=channel)
    return link, token, code


def link_url(token: str) -> str:
    base = getattr(settings, "YUNTING_PUBLIC_URL", "") or "http://127.0.0.1:8000"
    return f"{base.rstrip('/')}/s/{token}"


def sms_text(task: ServiceTask, token: str, code: str) -> str:
    """The SMS names the court (a recipient must know who serves), never the merits or another party's data."""
    return (f"【{task.case.court.name}】{task.recipient.name}：您有{task.case.number}案件的诉讼文书"
            f"（{len(task.document_ids)}份）待查收。请打开 {link_url(token)} 并输入访问码 {code} 查看，"
            f"{LINK_TTL.days}日内有效。")


@transaction.atomic
def service_dispatch(*, task: ServiceTask, actor, channel: str | None = None, tracking_number: str = "",
                     note: str = "") -> ServiceAttempt | None:
    """Send the task through `channel` (default: the current step of its plan).

    portal: delivered to the recipient's account at once (service takes effect: OLR art 31); sms / email: a secure
    link with a one-time code (served when opened with the code, or when the gateway confirms delivery);
    post: the EMS number (signed for / returned is recorded later); phone / direct: the officer starts work and
    records the outcome; announcement: published now (deemed served after 30/60 days)."""
    done = service_bulk_dispatch(tasks=[task], channel=channel or task.current_channel, actor=actor,
                                 tracking_numbers={task.pk: tracking_number}, note=note, strict=True)
    if not done.sent:
        return None
    return ServiceAttempt.objects.filter(task_id=task.pk).order_by("-id").first()


def service_bulk_dispatch(*, tasks: Sequence[ServiceTask], channel: str, actor, tracking_numbers: dict | None = None,
                          note: str = "", strict: bool = False) -> Dispatched:
    """Dispatch many tasks through one channel at once (SMS to 200 recipients in one click). Tasks that cannot go
    (closed, no consent, no contact) are skipped and listed; the rest are sent in one transaction with one journal
    append per case batch (journal_append_many). `strict` raises instead of skipping (one task)."""
    if channel not in rules.CHANNELS:
        raise ValidationFailed(_("Unknown channel."), code=E.CHANNEL,
                               data={"field": "channel", "allowed": list(rules.CHANNELS)})
    from yunting.kernel.notify.models import OutboxMessage
    from yunting.kernel.notify.phones import phone_normalize
    from yunting.kernel.security.masking import mask_phone

    tracking_numbers = tracking_numbers or {}
    now = timezone.now()
    skipped: list[dict] = []
    ready: list[tuple[ServiceTask, _Point | None]] = []
    ids = list(dict.fromkeys(t.pk for t in tasks))
    fresh = _load_for_dispatch(ids)
    works = _works(actor, list(fresh.values()))
    allowed = _consents_of(t.recipient_id for t in fresh.values())
    kind = rules.CONTACT_OF.get(channel)
    contacts = _contacts_for([t for t in fresh.values() if t.pk in works], kind) if kind else {}
    with transaction.atomic():
        for task_id in ids:
            task = fresh.get(task_id)
            try:
                if task is None or task_id not in works:
                    raise ServiceTaskNotFound()
                _check_open(task)
                if channel in ELECTRONIC and not consent_covers(channel, allowed.get(task.recipient_id, ())):
                    raise ValidationFailed(_("No consent to electronic service through this channel (OLR art 29)."),
                                           code=E.NO_CONSENT, data={"channel": channel, "task_id": task.pk})
                contact = contacts.get(task_id)
                if kind and contact is None and not (channel in (Channel.POST, Channel.DIRECT)
                                                     and task.recipient.address):
                    raise ValidationFailed(_("The recipient has no contact for this channel."), code=E.CONTACT,
                                           data={"channel": channel, "task_id": task.pk})
                if channel == Channel.POST and not (tracking_numbers.get(task.pk) or "").strip():
                    raise ValidationFailed(_("Enter the EMS number."), code=E.CONTACT,
                                           data={"field": "tracking_number", "task_id": task.pk})
                ready.append((task, contact))
            except (ValidationFailed, Conflict, NotFound) as exc:
                if strict:
                    raise
                skipped.append({"task_id": task_id, "code": exc.code, "message": str(exc.message)})
        if not ready:
            return Dispatched(sent=[], skipped=skipped)
        outcome = {Channel.PORTAL: Outcome.DELIVERED, Channel.ANNOUNCEMENT: Outcome.PUBLISHED}.get(channel, SENT)
        attempts, items, messages, links, emails = [], [], [], [], []
        for task, contact in ready:
            address = contact.value if contact else task.recipient.address
            if channel in (Channel.SMS, Channel.EMAIL):
                link, token, code = _new_link(task, channel)
                links.append(link)
                text = sms_text(task, token, code)
                if channel == Channel.SMS:
                    number = phone_normalize(address)
                    messages.append(OutboxMessage(channel=OutboxMessage.Channel.SMS, recipient=number,
                                                  recipient_masked=mask_phone(number), body=text,
                                                  purpose=f"service:{task.pk}", next_attempt_at=now))
                else:
                    emails.append((address, text, task))
            if channel in (Channel.PHONE, Channel.DIRECT):
                continue  # the officer records what happened; starting work writes nothing to the journal
            tracking = (tracking_numbers.get(task.pk) or "").strip()[:40]
            attempts.append(ServiceAttempt(task=task, channel=channel, at=now, outcome=outcome, note=note[:2000],
                                           officer=actor, address_used=address[:300],
                                           contact_id=contact.pk if contact else None, tracking_number=tracking))
            items.append(EntryInput(case=task.case, kind=entries.ATTEMPTED, actor=actor, payload={
                "task_id": task.pk, "party_id": task.recipient_id, "channel": channel, "outcome": outcome,
                "at": now.isoformat(), "note": note[:200], **({"tracking_number": tracking} if tracking else {})}))
        journaled = journal_append_many(items)
        for attempt, entry in zip(attempts, journaled, strict=True):
            attempt.entry_id = entry.pk
        rawsql.bulk_insert(attempts)
        if messages:
            rawsql.bulk_insert(messages)
            created = messages
            by_task = {int(m.purpose.split(":")[1]): m.pk for m in created if m.pk}
            for link in links:
                link.message_id = by_task.get(link.task_id)
            transaction.on_commit(lambda: _enqueue_sms([m.pk for m in created if m.pk]))
        rawsql.bulk_insert(links)
        due = now + timedelta(hours=rules.TIMEOUT_HOURS[channel]) if rules.TIMEOUT_HOURS[channel] else None
        plans_before = {t.pk: (len(t.plan), t.plan_index) for t, _c in ready}
        for task, _contact in ready:
            _move_to(task, channel)
            task.status, task.channel_due_at = TaskStatus.IN_PROGRESS, due
        _save_dispatched([t for t, _c in ready], plans_before)
        for address, text, task in emails:
            transaction.on_commit(lambda a=address, t=text, tk=task: _send_email(a, t, tk))
        if outcome in (Outcome.DELIVERED, Outcome.PUBLISHED):
            for attempt in attempts:
                _complete(attempt.task, attempt, actor)
    return Dispatched(sent=[t.pk for t, _c in ready], skipped=skipped)


def _load_for_dispatch(ids: Sequence[int]) -> dict[int, ServiceTask]:
    """The tasks, each case (with its court) loaded once however many recipients it has, and of each recipient
    only what sending needs (decrypting ID numbers, or loading a case per task, is most of the cost at 10,000)."""
    tasks: dict[int, ServiceTask] = {}
    for start in range(0, len(ids), 900):
        tasks.update({t.pk: t for t in ServiceTask.objects.filter(pk__in=ids[start:start + 900])})
    case_ids = sorted({t.case_id for t in tasks.values()})
    party_ids = sorted({t.recipient_id for t in tasks.values()})
    cases, parties = {}, {}
    for start in range(0, len(case_ids), 900):
        cases.update({c.pk: c for c in Case.objects.select_related("court").filter(pk__in=case_ids[start:start + 900])})
    for start in range(0, len(party_ids), 900):
        parties.update({p.pk: p for p in Party.objects.only("id", "case_id", "name", "address", "user_id", "role")
                        .filter(pk__in=party_ids[start:start + 900])})
    for t in tasks.values():
        t.case, t.recipient = cases[t.case_id], parties[t.recipient_id]
    return tasks


def _save_dispatched(tasks: list[ServiceTask], plans_before: dict[int, tuple[int, int]]) -> None:
    """Write status, time-out and plan position of dispatched tasks: one UPDATE per 900 for the common part (they
    all got the same status and time-out), and one per task only where the plan itself moved."""
    if not tasks:
        return
    now = timezone.now()
    status, due = tasks[0].status, tasks[0].channel_due_at
    for start in range(0, len(tasks), 900):
        ServiceTask.objects.filter(pk__in=[t.pk for t in tasks[start:start + 900]]).update(
            status=status, channel_due_at=due, updated_at=now)
    for t in tasks:  # only where an officer went off-plan or skipped ahead: rare
        if plans_before.get(t.pk) != (len(t.plan), t.plan_index):
            ServiceTask.objects.filter(pk=t.pk).update(plan=t.plan, plan_index=t.plan_index)


def _enqueue_sms(ids: list[int]) -> None:
    from yunting.kernel.notify.services import _enqueue

    for pk in ids:
        _enqueue(pk)


def _send_email(address: str, text: str, task: ServiceTask) -> None:
    EmailMessage(subject=f"{task.case.court.name} 诉讼文书送达（{task.case.number}）", body=text,
                 to=[address]).send(fail_silently=True)


def _move_to(task: ServiceTask, channel: str) -> None:
    """Point the plan at `channel`: an officer may go off-plan (the step is added where they are)."""
    task.updated_at = timezone.now()
    for i in range(task.plan_index, len(task.plan)):
        if task.plan[i]["channel"] == channel:
            task.plan_index = i
            return
    task.plan = [*task.plan[:task.plan_index], {"channel": channel, "reason": "送达专员选择"},
                 *task.plan[task.plan_index:]]


# --- attempts -------------------------------------------------------------------------------------------------
def _when(at) -> datetime:
    if at in (None, ""):
        return timezone.now()
    if isinstance(at, str):
        try:
            at = datetime.fromisoformat(at)
        except ValueError:
            raise ValidationFailed(_("Enter the time as YYYY-MM-DDTHH:MM."), code=E.WHEN, data={"field": "at"}) from None
    if isinstance(at, date) and not isinstance(at, datetime):
        at = datetime(at.year, at.month, at.day, 12, tzinfo=SHANGHAI)
    if timezone.is_naive(at):
        at = at.replace(tzinfo=SHANGHAI)
    if at > timezone.now() + timedelta(minutes=5):
        raise ValidationFailed(_("An attempt cannot be recorded in the future."), code=E.WHEN, data={"field": "at"})
    return at


@transaction.atomic
def service_attempt_record(*, task: ServiceTask, channel: str, outcome: str, officer, note: str = "", at=None,
                           address_used: str = "", tracking_number: str = "", phrase: str = "",
                           recording: bytes | None = None, signature_png: bytes | None = None) -> ServiceAttempt:
    """Record what happened on one attempt (journal `service.attempted`). A serving outcome completes the task
    with its legal date (rules.serves / deemed_served_on), `service.completed` for the clocks and the sealed report;
    a failure or refusal moves on to the next channel of the plan."""
    from yunting.kernel.blobs.store import blob_put_bytes

    task = ServiceTask.objects.select_for_update().select_related("case", "case__court", "recipient").get(pk=task.pk)
    if channel not in rules.CHANNELS:
        raise ValidationFailed(_("Unknown channel."), code=E.CHANNEL,
                               data={"field": "channel", "allowed": list(rules.CHANNELS)})
    if phrase:
        if channel != Channel.PHONE or phrase not in PHONE_PHRASES:
            raise ValidationFailed(_("Choose one of the standard phrases."), code=E.OUTCOME,
                                   data={"field": "phrase", "allowed": list(PHONE_PHRASES)})
        outcome = outcome or PHONE_PHRASE_OUTCOME[phrase]
        note = note or PHONE_PHRASES[phrase]
    if outcome not in rules.OUTCOMES or not rules.outcome_allowed(channel, outcome):
        raise ValidationFailed(_("This outcome is not possible on this channel."), code=E.OUTCOME,
                               data={"field": "outcome", "channel": channel})
    when = _when(at)
    if rules.local_day(when) < rules.local_day(task.created_at):
        raise ValidationFailed(_("An attempt cannot be before the service was requested."), code=E.WHEN,
                               data={"field": "at"})
    read_receipt = outcome == Outcome.READ and task.status == TaskStatus.SERVED
    if not read_receipt:
        _check_open(task)
    _check_consent(task, channel)
    if channel == Channel.DIRECT and outcome == Outcome.DELIVERED and not signature_png:
        raise ValidationFailed(_("Capture the recipient's signature."), code=E.OUTCOME, data={"field": "signature"})
    if channel == Channel.DIRECT and outcome == Outcome.REFUSED and not (note or "").strip():
        raise ValidationFailed(_("Describe the refusal and the witnesses (留置送达)."), code=E.OUTCOME,
                               data={"field": "note"})
    signature = recording_blob = ""
    if signature_png:
        signature = blob_put_bytes(signature_png, allowed={"image/png"}, max_bytes=2_000_000).sha256
    if recording:
        recording_blob = blob_put_bytes(recording, allowed=RECORDING_TYPES).sha256
    contact = None
    if channel in rules.CONTACT_OF:
        kind = rules.CONTACT_OF[channel]
        if address_used:
            contact = ContactPoint.objects.filter(identity_key=task.identity_key, kind=kind,
                                                  value=address_used.strip()).first()
            if contact is None and kind != ContactKind.ACCOUNT:
                contact, _created = ContactPoint.objects.get_or_create(
                    identity_key=task.identity_key, kind=kind, value=address_used.strip()[:300],
                    defaults={"source": ContactSource.SERVICE})
        else:
            last = task.attempts.filter(channel=channel, contact__isnull=False).order_by("-id").first()
            contact = last.contact if last else _contact_for(task, kind)
    entry = journal_append(case=task.case, kind=entries.ATTEMPTED, actor=officer, payload={
        "task_id": task.pk, "party_id": task.recipient_id, "channel": channel, "outcome": outcome,
        "at": when.isoformat(), "note": (note or "")[:200],
        **({"tracking_number": tracking_number[:40]} if tracking_number else {}),
        **({"signature_sha256": signature} if signature else {}),
        **({"recording_sha256": recording_blob} if recording_blob else {})})
    attempt = ServiceAttempt.objects.create(
        task=task, channel=channel, at=when, outcome=outcome, note=(note or "")[:2000], officer=officer,
        address_used=(address_used or (contact.value if contact else ""))[:300], contact=contact,
        tracking_number=tracking_number[:40], phrase=phrase, recording_sha256=recording_blob,
        signature_sha256=signature, entry_id=entry.pk)
    if read_receipt:
        return attempt
    served = rules.serves(channel, outcome, task.document_kind)
    if outcome != Outcome.PUBLISHED:
        _record_outcome(contact, served or outcome in (Outcome.DELIVERED, Outcome.READ), when, outcome)
    if served:
        _move_to(task, channel)
        task.save(update_fields=["plan", "plan_index", "updated_at"])
        _complete(task, attempt, officer)
    elif outcome in (Outcome.FAILED, Outcome.REFUSED):
        _move_to(task, channel)
        task.save(update_fields=["plan", "plan_index", "updated_at"])
        service_escalate(task=task, actor=officer, reason=note or outcome)
    else:
        if task.status == TaskStatus.PENDING:
            task.status = TaskStatus.IN_PROGRESS
            task.save(update_fields=["status", "updated_at"])
    return attempt


def _closures(court_id: int) -> frozenset:
    from yunting.core.clocks.selectors import closures_for

    return closures_for(court_id)


def _complete(task: ServiceTask, attempt: ServiceAttempt, actor) -> ServiceTask:
    """Served: the legal date (earliest effective delivery, OLR art 31), `service.completed` per kind of document
    served (clocks starts the periods), the report after commit, and `service.all_served` when the last task of
    the request is served."""
    served_on, _provisional = rules.deemed_served_on(attempt.channel, attempt.at, foreign=task.foreign,
                                                     closures=_closures(task.court_id))
    task.status, task.served_on, task.served_at = TaskStatus.SERVED, served_on, attempt.at
    task.served_channel, task.channel_due_at = attempt.channel, None
    task.save(update_fields=["status", "served_on", "served_at", "served_channel", "channel_due_at", "updated_at"])
    kinds = served_kinds(d.get("kind", "") for d in task.documents)
    journal_append_many([EntryInput(case=task.case, kind=entries.COMPLETED, actor=actor, payload={
        "document_kind": kind, "served_on": served_on.isoformat(), "party_id": task.recipient_id,
        "foreign": task.foreign, "task_id": task.pk, "channel": attempt.channel}) for kind in kinds])
    siblings = ServiceTask.objects.filter(request_key=task.request_key).exclude(pk=task.pk)
    if task.request_key and not siblings.exclude(status=TaskStatus.SERVED).exists():
        journal_append(case=task.case, kind=entries.ALL_SERVED, actor=None,
                       payload={"task_ids": sorted([task.pk, *siblings.values_list("pk", flat=True)])})
    return task


# --- escalation -----------------------------------------------------------------------------------------------
@transaction.atomic
def service_escalate(*, task: ServiceTask, actor=None, reason: str = "") -> ServiceTask:
    """Move on to the next channel of the plan; when none is left the task has failed (`service.failed`). An
    electronic next channel is sent at once; the others wait in the officer's queue."""
    task = ServiceTask.objects.select_for_update().select_related("case", "case__court", "recipient").get(pk=task.pk)
    _check_open(task)
    task.plan_index += 1
    task.channel_due_at = None
    if task.plan_index >= len(task.plan):
        task.status = TaskStatus.FAILED
        task.save(update_fields=["plan_index", "channel_due_at", "status", "updated_at"])
        journal_append(case=task.case, kind=entries.FAILED, actor=actor,
                       payload={"task_id": task.pk, "party_id": task.recipient_id, "reason": (reason or "")[:200]})
        return task
    task.status = TaskStatus.IN_PROGRESS
    task.save(update_fields=["plan_index", "channel_due_at", "status", "updated_at"])
    journal_append(case=task.case, kind="service.escalated", actor=actor, payload={
        "task_id": task.pk, "party_id": task.recipient_id, "to": task.current_channel, "reason": (reason or "")[:200]})
    if task.current_channel in ELECTRONIC:
        done = service_bulk_dispatch(tasks=[task], channel=task.current_channel, actor=None)
        if done.skipped:  # no consent or contact any more: straight on to the next step
            return service_escalate(task=task, actor=actor, reason=done.skipped[0]["message"])
    return task


def service_escalate_due(now: datetime | None = None, limit: int = 500) -> int:
    """The periodic job: a channel whose time ran out without service moves on to the next. Returns how many."""
    now = now or timezone.now()
    ids = list(ServiceTask.objects.filter(status=TaskStatus.IN_PROGRESS, channel_due_at__lt=now)
               .order_by("channel_due_at").values_list("pk", flat=True)[:limit])
    for pk in ids:
        task = ServiceTask.objects.get(pk=pk)
        try:
            service_escalate(task=task, actor=None, reason="超时未送达")
        except Conflict:
            continue
    return len(ids)


# --- the recipient's side -------------------------------------------------------------------------------------
def sms_link_open(*, token: str, code: str, ip: str | None = None):
    """Open the documents of an SMS/e-mail link with its one-time code: (task, documents). A wrong code counts (5
    wrong and the link is locked); the code works once; opening records the read receipt that serves."""
    from yunting.core.efile.models import Document

    digest = hashlib.sha256((token or "").encode()).hexdigest()
    link = SmsAccessLink.objects.select_related("task").filter(token_hash=digest).first()
    if link is None or link.expires_at <= timezone.now():
        raise NotFound(_("This link is not valid or has expired."), code=E.LINK_NOT_FOUND)
    if link.attempts >= LINK_MAX_WRONG:
        raise Conflict(_("Too many wrong codes: this link is locked. Ask the court for a new one."),
                       code=E.LINK_LOCKED)
    if link.opened_at is not None:
        raise Conflict(_("This access code has already been used."), code=E.LINK_USED)
    code = (code or "").strip()
    if not constant_time_compare(link.code_hash, _link_code_hash(link.code_salt, code)):
        SmsAccessLink.objects.filter(pk=link.pk).update(attempts=F("attempts") + 1)
        left = LINK_MAX_WRONG - link.attempts - 1
        raise ValidationFailed(_("Wrong access code."), code=E.CODE, data={"field": "code", "left": max(left, 0)})
    with transaction.atomic():
        claimed = SmsAccessLink.objects.filter(pk=link.pk, opened_at__isnull=True).update(opened_at=timezone.now())
        if not claimed:
            raise Conflict(_("This access code has already been used."), code=E.LINK_USED)
        task = link.task
        service_attempt_record(task=task, channel=link.channel, outcome=Outcome.READ, officer=None,
                               note=f"受送达人凭访问码打开文书{f'（{ip}）' if ip else ''}")
    docs = list(Document.objects.filter(case_id=task.case_id, pk__in=task.document_ids).select_related("blob"))
    task.refresh_from_db()
    return task, docs


def service_portal_open(*, task: ServiceTask, user) -> ServiceAttempt | None:
    """The recipient (or their lawyer) opened the served documents in their account: the read receipt, once."""
    if not (task.recipient.user_id == user.pk or Participation.objects.filter(
            case_id=task.case_id, user=user, party_id=task.recipient_id,
            role__in=(CaseRole.PARTY, CaseRole.LAWYER)).exists()):
        raise ServiceTaskNotFound()
    if task.attempts.filter(channel=Channel.PORTAL, outcome=Outcome.READ).exists():
        return None
    if not task.attempts.filter(channel=Channel.PORTAL, outcome=Outcome.DELIVERED).exists():
        return None
    return service_attempt_record(task=task, channel=Channel.PORTAL, outcome=Outcome.READ, officer=user,
                                  note="受送达人在平台账户打开文书")


# --- proof ----------------------------------------------------------------------------------------------------
def service_report_generate(*, task: ServiceTask) -> str:
    """The sealed 送达回证 / 电子送达凭证 of a served (or failed) task into the e-file (`service.reported`);
    idempotent: returns the existing report's hash if there is one."""
    from .report import report_file

    return report_file(task=task)


def service_reports_pending(limit: int = 50) -> int:
    """Catch-up for reports whose background job was lost."""
    n = 0
    for task in ServiceTask.objects.filter(status__in=(TaskStatus.SERVED, TaskStatus.FAILED), report_sha256="")[:limit]:
        service_report_generate(task=task)
        n += 1
    return n
