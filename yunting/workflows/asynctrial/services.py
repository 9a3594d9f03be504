"""异步审理 writes: propose, consent, pledge, post, rounds, settlement, close, report, changes of position.

Every act is one transaction with its journal entry. Items go through core/threads (filter, immutability,
visibility); this module decides who may post what, and when.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yunting.core.cases.access import Capability, access_case_for
from yunting.core.cases.choices import CaseRole
from yunting.core.cases.models import Participation, Party
from yunting.core.journal.services import DocumentInput, journal_append
from yunting.core.threads import services as threads
from yunting.core.threads.models import Item
from yunting.core.threads.selectors import Viewer, viewer_in_case
from yunting.kernel.common.timeutil import SHANGHAI

from . import entries, errors
from .models import Consent, Exchange, ExchangeState, Pledge, PositionChange, Round, SettlementAnswer

log = logging.getLogger(__name__)
PURPOSE = "asynctrial"
KINDS = ("evidence", "opinion", "question", "answer", "defence", "guidance", "proposal")
COURT_KINDS = frozenset({"question", "guidance", "proposal"})
PARTY_KINDS = frozenset({"evidence", "opinion", "answer", "defence", "proposal"})
PROPERTIES = ("authenticity", "legality", "relevance")
POSITIONS = ("accept", "reject", "partial")
JUDGE_ROLES = (CaseRole.PRESIDING_JUDGE, CaseRole.JUDGE)
PLEDGE_TEXT = (
    "诚信诉讼承诺书\n本人承诺：在异步审理中如实陈述，所提交证据真实、合法，不伪造、毁灭证据，不提交虚假陈述；"
    "遵守在线诉讼规则，不擅自传播他方提交的材料与个人信息；按期提交、回复。如有违反，愿承担妨害民事诉讼的法律责任。")
EXPLANATION = (
    "异步审理告知书\n经各方当事人同意，本案证据交换与质证可在云庭平台上以非同步方式进行（《人民法院在线诉讼规则》第二十条）："
    "各方在法院指定期限内分别登录，提交证据、对他方证据逐项发表真实性、合法性、关联性意见，回答法官询问。\n"
    "您有权拒绝；任何一方不同意的，本案不采用异步方式，按通常方式交换证据、开庭，您的诉讼权利不受影响。\n"
    "同意后，您在平台上发表的质证意见将记入异步质证报告并归入电子卷宗；开庭时改变立场须说明理由并经法官准许。")


def _viewer(access, actor) -> Viewer:
    return viewer_in_case(actor, access.case.pk)


def _exchange(case, *, lock: bool = False) -> Exchange:
    qs = Exchange.objects.select_related("thread", "case")
    if lock:
        qs = qs.select_for_update()
    exchange = qs.filter(case=case).first()
    if exchange is None:
        raise errors.no_exchange()
    return exchange


def _label(actor, viewer: Viewer) -> str:
    name = getattr(actor, "display_name", "") or str(actor)
    if viewer.court:
        return f"{name}（法院）"
    parties = Party.objects.filter(pk__in=viewer.party_ids).order_by("order", "id")
    roles = "、".join(f"{p.get_role_display()}{p.name}" for p in parties)
    return f"{name}（{roles}）" if roles else name


def _party_users(case) -> dict[int, list]:
    """{party id: [users acting for it]} — the party's own account and its lawyers."""
    out: dict[int, list] = {}
    for part in Participation.objects.filter(case=case, party__isnull=False).select_related("user"):
        out.setdefault(part.party_id, [])
        if part.user not in out[part.party_id]:
            out[part.party_id].append(part.user)
    return out


def _notify_parties(exchange: Exchange, *, key: str, text: str, sms: bool = False, only: set[int] | None = None):
    from django.urls import reverse

    from yunting.kernel.notify.services import outbox_enqueue

    url = reverse("asynctrial:exchange", args=[exchange.case_id])
    for party_id, users in _party_users(exchange.case).items():
        if only is not None and party_id not in only:
            continue
        for user in users:
            threads.notice_send(user=user, thread=exchange.thread, key=f"{key}:{exchange.pk}:{user.pk}", text=text,
                                url=url)
            if sms and getattr(user, "phone", ""):
                try:
                    outbox_enqueue(phone=user.phone, purpose="asynctrial", body=f"【云庭】{text}请登录云庭查看。")
                except Exception:  # an unusable number must not undo the act; the in-app notice stands
                    log.warning("no SMS for user %s: bad phone", user.pk)


def round_deadline(start: datetime, days: int) -> datetime:
    """End of the last day (Asia/Shanghai) of a `days`-day period from `start`, on the official calendar."""
    from yunting.kernel.calendar import legal_deadline

    day = start.astimezone(SHANGHAI).date()
    try:
        last = legal_deadline(day, days)
    except Exception:  # years the calendar does not know yet: weekends only, as the calendar module does
        last = day + timedelta(days=days)
    return datetime.combine(last, time(23, 59, 59), tzinfo=SHANGHAI)


# --- starting it -----------------------------------------------------------------------------------------------
@transaction.atomic
def asynctrial_propose(*, access, actor, round_days: int = 7) -> Exchange:
    """A judge or assistant proposes asynchronous handling: every party is asked to consent (invited through the
    service capability and their portal account); nothing starts without all of them."""
    from yunting.kernel.blobs.store import blob_put_bytes
    from yunting.kernel.pdf.make import simple_pdf

    if not access.can(Capability.WRITE_JOURNAL):
        raise errors.court_only()
    case = access.case
    try:
        round_days = int(round_days)
    except (TypeError, ValueError):
        round_days = 0
    if not 1 <= round_days <= 30:
        raise errors.invalid(_("A round runs 1 to 30 days."), "asynctrial_round_days", field="round_days")
    if Exchange.objects.filter(case=case).exists():
        from yunting.kernel.common.errors import Conflict

        raise Conflict(_("An asynchronous exchange was already proposed in this case."), code="asynctrial_exists")
    parties = list(Party.objects.filter(case=case).order_by("order", "id"))
    if len(parties) < 2:
        raise errors.invalid(_("An exchange needs at least two parties."), "asynctrial_parties")
    thread = threads.thread_ensure(case=case, purpose=PURPOSE, title="异步审理")
    exchange = Exchange.objects.create(case=case, thread=thread, proposed_by=actor, proposed_at=timezone.now(),
                                       round_days=round_days)
    Consent.objects.bulk_create([Consent(exchange=exchange, party=p) for p in parties])
    notice = blob_put_bytes(simple_pdf(title="异步审理告知书", subtitle=case.number, body=EXPLANATION.split("\n", 1)[1]))
    journal_append(case=case, kind=entries.PROPOSED, actor=actor,
                   payload={"exchange": exchange.pk, "round_days": round_days, "parties": [p.pk for p in parties]},
                   documents=[DocumentInput(sha256=notice.sha256, title="异步审理告知书", kind="notice")])
    journal_append(case=case, kind=entries.SERVICE_WANTED, actor=actor,
                   payload={"documents": [notice.sha256], "recipients": [p.pk for p in parties],
                            "purpose": "asynctrial.invitation"})
    _notify_parties(exchange, key="invite", sms=True,
                    text=f"{case.number}：法院建议以异步方式进行证据交换与质证，请阅读告知书后选择是否同意。")
    return exchange


@transaction.atomic
def asynctrial_consent(*, access, actor, party_id, consent: bool) -> Consent:
    """A party (or their lawyer) consents or refuses. While proposed, an answer can be changed (OLR arts 4–5);
    when the last party consents the exchange opens with round 1."""
    viewer = _viewer(access, actor)
    exchange = _exchange(access.case, lock=True)
    try:
        party_id = int(party_id) if party_id not in (None, "") else viewer.party_id
    except (TypeError, ValueError):
        party_id = None
    if party_id is None or party_id not in viewer.party_ids:
        raise errors.parties_only()
    if exchange.state != ExchangeState.PROPOSED:
        from yunting.kernel.common.errors import Conflict

        raise Conflict(_("Consent can only be given or refused before the exchange opens."),
                       code="asynctrial_consent_closed")
    row = Consent.objects.get(exchange=exchange, party_id=party_id)
    row.decision = Consent.Decision.CONSENTED if consent else Consent.Decision.REFUSED
    row.decided_by, row.decided_at = actor, timezone.now()
    row.save(update_fields=["decision", "decided_by", "decided_at"])
    journal_append(case=access.case, kind=entries.CONSENTED if consent else entries.REFUSED, actor=actor,
                   payload={"exchange": exchange.pk, "party": party_id})
    if consent and not exchange.consents.exclude(decision=Consent.Decision.CONSENTED).exists():
        _open(exchange, actor)
    return row


def _open(exchange: Exchange, actor) -> None:
    now = timezone.now()
    exchange.state, exchange.opened_at, exchange.current_round = ExchangeState.OPEN, now, 1
    exchange.save(update_fields=["state", "opened_at", "current_round", "updated_at"])
    rnd = Round.objects.create(exchange=exchange, number=1, opened_at=now,
                               deadline=round_deadline(now, exchange.round_days))
    journal_append(case=exchange.case, kind=entries.OPENED, actor=actor,
                   payload={"exchange": exchange.pk, "round": 1, "deadline": rnd.deadline.isoformat()})
    _notify_parties(exchange, key="opened", sms=True,
                    text=f"{exchange.case.number}：各方均已同意，异步证据交换已开始，第1轮截止 "
                         f"{rnd.deadline.astimezone(SHANGHAI):%Y-%m-%d}。")


@transaction.atomic
def asynctrial_pledge(*, access, actor) -> Pledge:
    """诚信诉讼承诺: each party-side participant signs once before entering."""
    viewer = _viewer(access, actor)
    if not viewer.party_ids:
        raise errors.parties_only()
    exchange = _exchange(access.case)
    pledge = Pledge.objects.filter(exchange=exchange, user=actor).first()
    if pledge is not None:
        return pledge
    digest = hashlib.sha256(PLEDGE_TEXT.encode()).hexdigest()
    pledge = Pledge.objects.create(exchange=exchange, user=actor, text_sha256=digest, signed_at=timezone.now())
    journal_append(case=access.case, kind=entries.PLEDGED, actor=actor,
                   payload={"exchange": exchange.pk, "parties": sorted(viewer.party_ids), "text_sha256": digest})
    return pledge


# --- posting ---------------------------------------------------------------------------------------------------
def _documents(access, actor, documents, *, visibility: str) -> list[dict]:
    """E-file documents of this case the caller may see, as [{document_id, title, sha256, pages}]. Attachments are
    in the e-file every participant reads, so only an item for everyone can carry them."""
    from yunting.core.cases.access import access_document_for
    from yunting.core.cases.errors import DocumentNotFound

    out = []
    for raw in documents or []:
        ref, pages = (raw.get("document"), str(raw.get("pages") or "")[:40]) if isinstance(raw, dict) else (raw, "")
        try:
            doc, _access = access_document_for(actor, ref)
        except DocumentNotFound:
            raise errors.invalid(_("A document attached is not in this case's e-file."), "asynctrial_document",
                                 field="documents", document=ref) from None
        if doc.case_id != access.case.pk:
            raise errors.invalid(_("A document attached is not in this case's e-file."), "asynctrial_document",
                                 field="documents", document=ref)
        out.append({"document_id": doc.pk, "title": doc.title, "sha256": doc.blob_id, "pages": pages})
    if out and visibility != "all":
        raise errors.invalid(_("Attachments are in the e-file every party reads: only an item for everyone can "
                               "carry them."), "asynctrial_document_visibility", field="documents")
    return out


def _positions(positions, reasons) -> tuple[dict, dict]:
    if not isinstance(positions, dict) or not positions:
        raise errors.invalid(_("Give your position on authenticity, legality and relevance."),
                             "asynctrial_positions", field="positions")
    out = {}
    for prop in PROPERTIES:
        value = positions.get(prop)
        if value not in POSITIONS:
            raise errors.invalid(_("Each of authenticity, legality and relevance is accept, reject or partial."),
                                 "asynctrial_positions", field="positions", property=prop)
        out[prop] = value
    reasons = reasons if isinstance(reasons, dict) else {}
    why = {p: str(reasons.get(p) or "").strip()[:1000] for p in PROPERTIES}
    for prop in PROPERTIES:
        if out[prop] != "accept" and not why[prop]:
            raise errors.invalid(_("Give a reason for each property you do not accept."), "asynctrial_reason",
                                 field="reasons", property=prop)
    return out, why


@transaction.atomic
def asynctrial_post(*, access, actor, kind: str, text: str, visibility: str = "all", refers_to=None,
                    documents=None, positions=None, reasons=None, purpose: str = "", source: str = "",
                    pages: str = "", title: str = "", purpose_objection: str = "") -> Item:
    """Post one item of `kind`. The court asks (question), guides (guidance, to all or one party) and proposes
    settlements; a party submits evidence (with its purpose), answers evidence item by item on the three
    properties (opinion), answers questions, defends, and proposes settlements (to the court only or to all)."""
    viewer = _viewer(access, actor)
    exchange = _exchange(access.case)
    if kind not in KINDS:
        raise errors.invalid(_("Unknown kind of item."), "asynctrial_kind", field="kind", kind=kind)
    if viewer.court:
        if kind not in COURT_KINDS:
            raise errors.invalid(_("The court does not post this kind of item."), "asynctrial_kind", field="kind")
        party = None
    else:
        if not viewer.party_ids:
            raise errors.parties_only()
        if kind not in PARTY_KINDS:
            raise errors.invalid(_("Only the court posts this kind of item."), "asynctrial_kind", field="kind")
        if not Pledge.objects.filter(exchange=exchange, user=actor).exists():
            raise errors.pledge_required()
        party = Party.objects.get(pk=viewer.party_id)
    open_now = exchange.state == ExchangeState.OPEN
    if not open_now and not (viewer.court and kind == "guidance" and exchange.state == ExchangeState.PROPOSED):
        raise errors.not_open()
    visibility = (visibility or "all").strip()
    party_ids = set(Party.objects.filter(case=access.case).values_list("pk", flat=True))
    visibility = threads.visibility_check(visibility, party_ids=party_ids)
    if not viewer.court and visibility.startswith("party:"):
        raise errors.invalid(_("A party posts to the court only or to everyone."), "thread_visibility",
                             field="visibility")
    if kind in ("evidence", "opinion", "defence") and visibility != "all":
        raise errors.invalid(_("Evidence, opinions on evidence and defences are exchanged with everyone."),
                             "thread_visibility", field="visibility")
    if kind == "question" and visibility == "court":
        raise errors.invalid(_("A question is put to all parties or to one."), "thread_visibility",
                             field="visibility")
    target = _refers_to(exchange, viewer, refers_to)
    data: dict = {"round": exchange.current_round}
    rnd = Round.objects.filter(exchange=exchange, number=exchange.current_round).first()
    if rnd is not None and timezone.now() > rnd.deadline:
        data["late"] = True
    if kind == "evidence":
        purpose = (purpose or "").strip()
        if not purpose:
            raise errors.invalid(_("State what the evidence is to prove (证明目的)."), "asynctrial_purpose",
                                 field="purpose")
        data.update({"title": (title or "").strip()[:200] or text[:30], "purpose": purpose[:1000],
                     "source": (source or "").strip()[:200], "pages": (pages or "").strip()[:40]})
    elif kind == "opinion":
        if target is None or target.kind != "evidence":
            raise errors.invalid(_("An opinion answers one evidence item: name it in refers_to."),
                                 "asynctrial_refers_to", field="refers_to")
        if target.author_party_id in viewer.party_ids:
            raise errors.invalid(_("A party does not cross-examine its own evidence."), "asynctrial_own_evidence",
                                 field="refers_to")
        data["positions"], data["reasons"] = _positions(positions, reasons)
        if (purpose_objection or "").strip():
            data["purpose_objection"] = purpose_objection.strip()[:1000]
    elif kind == "answer" and (target is None or target.kind != "question"):
        raise errors.invalid(_("An answer replies to a question: name it in refers_to."), "asynctrial_refers_to",
                             field="refers_to")
    attached = _documents(access, actor, documents, visibility=visibility)
    item = threads.thread_post(thread=exchange.thread, author=actor, author_label=_label(actor, viewer), party=party,
                               kind=kind, text=text, visibility=visibility, refers_to=target, data=data,
                               documents=attached, case=access.case)
    if kind in ("question", "guidance") and visibility.startswith("party:"):
        _notify_parties(exchange, key=f"item{item.pk}", only={int(visibility[6:])},
                        text=f"{access.case.number}：法院向您发出了{'询问' if kind == 'question' else '诉讼指引'}。")
    return item


def _refers_to(exchange: Exchange, viewer: Viewer, refers_to) -> Item | None:
    from yunting.core.threads.selectors import can_see

    if refers_to in (None, "", 0):
        return None
    try:
        pk = int(refers_to.pk if isinstance(refers_to, Item) else refers_to)
    except (TypeError, ValueError):
        pk = 0
    item = Item.objects.filter(pk=pk, thread=exchange.thread).first()
    if item is None or not can_see(viewer, item):
        raise errors.invalid(_("The item referred to is not in this exchange."), "thread_refers_to",
                             field="refers_to")
    return item


# --- rounds, closing, the report ---------------------------------------------------------------------------------
@transaction.atomic
def asynctrial_round_open(*, access, actor, days: int | None = None) -> Round:
    """The assistant starts a further round (the previous one ends), with its own reply deadline."""
    if not access.can(Capability.WRITE_JOURNAL):
        raise errors.court_only()
    exchange = _exchange(access.case, lock=True)
    if exchange.state != ExchangeState.OPEN:
        raise errors.not_open()
    try:
        days = int(days or exchange.round_days)
    except (TypeError, ValueError):
        days = 0
    if not 1 <= days <= 30:
        raise errors.invalid(_("A round runs 1 to 30 days."), "asynctrial_round_days", field="days")
    now = timezone.now()
    Round.objects.filter(exchange=exchange, closed_at__isnull=True).update(closed_at=now)
    exchange.current_round += 1
    exchange.save(update_fields=["current_round", "updated_at"])
    rnd = Round.objects.create(exchange=exchange, number=exchange.current_round, opened_at=now,
                               deadline=round_deadline(now, days))
    journal_append(case=access.case, kind=entries.ROUND_OPENED, actor=actor,
                   payload={"exchange": exchange.pk, "round": rnd.number, "deadline": rnd.deadline.isoformat()})
    _notify_parties(exchange, key=f"round{rnd.number}", sms=True,
                    text=f"{access.case.number}：第{rnd.number}轮异步质证已开始，截止 "
                         f"{rnd.deadline.astimezone(SHANGHAI):%Y-%m-%d}。")
    return rnd


@transaction.atomic
def asynctrial_close(*, access, actor):
    """The assistant closes the exchange; the report is generated into the e-file in the same transaction."""
    if not access.can(Capability.WRITE_JOURNAL):
        raise errors.court_only()
    exchange = _exchange(access.case, lock=True)
    if exchange.state != ExchangeState.OPEN:
        raise errors.not_open()
    now = timezone.now()
    exchange.state, exchange.closed_at, exchange.closed_by = ExchangeState.CLOSED, now, actor
    exchange.save(update_fields=["state", "closed_at", "closed_by", "updated_at"])
    Round.objects.filter(exchange=exchange, closed_at__isnull=True).update(closed_at=now)
    threads.thread_close(thread=exchange.thread)
    journal_append(case=access.case, kind=entries.CLOSED, actor=actor, payload={"exchange": exchange.pk})
    document = asynctrial_report(access=access, actor=actor)
    _notify_parties(exchange, key="closed", text=f"{access.case.number}：异步证据交换已结束，质证报告已归入电子卷宗。")
    return document


@transaction.atomic
def asynctrial_report(*, access, actor):
    """Generate the 异步质证报告 PDF (fonts embedded) and file it into the e-file through the journal."""
    from yunting.core.efile.models import Document
    from yunting.kernel.blobs.store import blob_put_bytes

    from .report import report_pdf

    if not access.can(Capability.WRITE_JOURNAL):
        raise errors.court_only()
    exchange = _exchange(access.case)
    pdf = report_pdf(exchange)
    blob = blob_put_bytes(pdf)
    entry = journal_append(case=access.case, kind=entries.REPORT, actor=actor,
                           payload={"exchange": exchange.pk, "state": exchange.state,
                                    "items": exchange.thread.item_count},
                           documents=[DocumentInput(sha256=blob.sha256, title="异步质证报告", kind="cross_examination")])
    document = Document.objects.filter(entry=entry).first()
    Exchange.objects.filter(pk=exchange.pk).update(report_document_id=document.pk if document else None)
    return document


# --- settlement ------------------------------------------------------------------------------------------------
@transaction.atomic
def asynctrial_settlement_answer(*, access, actor, proposal_id, accept: bool) -> SettlementAnswer:
    """A party accepts or rejects a settlement proposal shown to everyone; once every party has accepted, a draft
    民事调解书 carrying the proposal is made for the judge (core/papers draft)."""
    viewer = _viewer(access, actor)
    if not viewer.party_ids:
        raise errors.parties_only()
    exchange = _exchange(access.case, lock=True)
    if exchange.state != ExchangeState.OPEN:
        raise errors.not_open()
    proposal = _refers_to(exchange, viewer, proposal_id)
    if proposal is None or proposal.kind != "proposal" or proposal.visibility != "all":
        raise errors.invalid(_("Only a settlement proposal shown to both sides can be accepted."),
                             "asynctrial_proposal", field="proposal")
    party_id = viewer.party_id
    decision = SettlementAnswer.Decision.ACCEPT if accept else SettlementAnswer.Decision.REJECT
    answer, _created = SettlementAnswer.objects.update_or_create(
        proposal=proposal, party_id=party_id,
        defaults={"exchange": exchange, "decision": decision, "user": actor, "decided_at": timezone.now()})
    journal_append(case=access.case, kind=entries.SETTLEMENT_ANSWERED, actor=actor,
                   payload={"exchange": exchange.pk, "proposal": proposal.pk, "party": party_id,
                            "decision": decision})
    parties = set(Party.objects.filter(case=access.case).values_list("pk", flat=True))
    accepted = set(SettlementAnswer.objects.filter(proposal=proposal, decision=SettlementAnswer.Decision.ACCEPT)
                   .values_list("party_id", flat=True))
    if proposal.author_party_id:
        accepted.add(proposal.author_party_id)  # a proposal is its author's own offer
    if parties <= accepted and exchange.settlement_paper_id is None:
        _settlement_draft(exchange, proposal)
    return answer


def _settlement_draft(exchange: Exchange, proposal: Item) -> None:
    from yunting.core.papers.services import paper_draft

    judge = (Participation.objects.filter(case=exchange.case, role__in=JUDGE_ROLES).select_related("user")
             .order_by("id").first())
    author = judge.user if judge else exchange.proposed_by
    paper = paper_draft(case=exchange.case, template_code="mediation_statement", actor=author,
                        values={"agreement": proposal.text})
    Exchange.objects.filter(pk=exchange.pk).update(settlement_paper_id=paper.pk)
    exchange.settlement_paper_id = paper.pk
    journal_append(case=exchange.case, kind=entries.SETTLEMENT_REACHED, actor=None,
                   payload={"exchange": exchange.pk, "proposal": proposal.pk, "paper": paper.pk})
    from yunting.core.threads.services import notice_send

    if judge is not None:
        notice_send(user=judge.user, thread=exchange.thread, key=f"settled:{exchange.pk}",
                    text=f"{exchange.case.number}：各方已接受调解方案，民事调解书草稿待您审核。",
                    url=f"/papers/{paper.pk}/")


# --- changes of position at the hearing --------------------------------------------------------------------------
@transaction.atomic
def asynctrial_position_change_request(*, access, actor, evidence_id, party_id, prop: str, after: str,
                                       reason: str) -> PositionChange:
    """At the hearing a party departs from a position taken in the exchange: a stated reason is required, and
    the change counts only once the judge gives leave (asynctrial_position_change_decide)."""
    from .selectors import latest_positions

    viewer = _viewer(access, actor)
    exchange = _exchange(access.case)
    try:
        party_id = int(party_id)
    except (TypeError, ValueError):
        party_id = 0
    if not viewer.court and party_id not in viewer.party_ids:
        raise errors.parties_only()
    evidence = _refers_to(exchange, viewer, evidence_id)
    if evidence is None or evidence.kind != "evidence":
        raise errors.invalid(_("Name the evidence item."), "asynctrial_refers_to", field="evidence")
    if prop not in PROPERTIES or after not in POSITIONS:
        raise errors.invalid(_("Each of authenticity, legality and relevance is accept, reject or partial."),
                             "asynctrial_positions", field="prop")
    reason = (reason or "").strip()
    if not reason:
        raise errors.invalid(_("A change of position needs a stated reason."), "asynctrial_reason", field="reason")
    before = latest_positions(exchange).get((evidence.pk, party_id), {}).get("positions", {}).get(prop, "")
    if not before:
        raise errors.invalid(_("This party took no position on that evidence in the exchange."),
                             "asynctrial_no_position", field="evidence")
    _t, _d, _m = threads.content_check(court_id=access.case.court_id, text=reason)
    change = PositionChange.objects.create(exchange=exchange, evidence=evidence, party_id=party_id, prop=prop,
                                           before=before, after=after, reason=_t, requested_by=actor)
    journal_append(case=access.case, kind=entries.POSITION_CHANGE_REQUESTED, actor=actor,
                   payload={"exchange": exchange.pk, "change": change.pk, "evidence": evidence.pk,
                            "party": party_id, "property": prop, "before": before, "after": after, "reason": _t})
    return change


@transaction.atomic
def asynctrial_position_change_decide(*, access, actor, change_id, grant: bool) -> PositionChange:
    if not access.can(Capability.WRITE_JOURNAL) or not (access.roles & set(JUDGE_ROLES)):
        from yunting.kernel.common.errors import PermissionDenied

        raise PermissionDenied(_("Only the judge gives leave to change a position."), code="asynctrial_judge_only")
    change = PositionChange.objects.select_for_update().filter(pk=change_id, exchange__case=access.case).first()
    if change is None:
        raise errors.invalid(_("No such request."), "asynctrial_change", field="change")
    if change.status != PositionChange.Status.REQUESTED:
        from yunting.kernel.common.errors import Conflict

        raise Conflict(_("This request was already decided."), code="asynctrial_change_decided")
    change.status = PositionChange.Status.GRANTED if grant else PositionChange.Status.REFUSED
    change.decided_by, change.decided_at = actor, timezone.now()
    change.save(update_fields=["status", "decided_by", "decided_at"])
    journal_append(case=access.case, kind=entries.POSITION_CHANGE_DECIDED, actor=actor,
                   payload={"change": change.pk, "status": change.status})
    return change


# --- reminders (periodic) --------------------------------------------------------------------------------------
REMIND_BEFORE = timedelta(hours=24)


def asynctrial_remind_due(*, now: datetime | None = None) -> int:
    """Rounds whose deadline is within 24 hours: each party gets an in-app notice and an SMS, once per round."""
    now = now or timezone.now()
    due = list(Round.objects.filter(closed_at__isnull=True, reminded_at__isnull=True, deadline__gt=now,
                                    deadline__lte=now + REMIND_BEFORE, exchange__state=ExchangeState.OPEN)
               .select_related("exchange", "exchange__case", "exchange__thread"))
    for rnd in due:
        with transaction.atomic():
            if not Round.objects.filter(pk=rnd.pk, reminded_at__isnull=True).update(reminded_at=now):
                continue
            _notify_parties(rnd.exchange, key=f"remind{rnd.number}", sms=True,
                            text=f"{rnd.exchange.case.number}：第{rnd.number}轮异步质证将于 "
                                 f"{rnd.deadline.astimezone(SHANGHAI):%Y-%m-%d %H:%M} 截止。")
    return len(due)


def access_for(user, case_id):
    """The caller's access to a case (CaseNotFound otherwise), for views and endpoints."""
    return access_case_for(user, case_id, need=Capability.VIEW_CASE)
