"""异步审理 reads: the exchange as a viewer sees it, the evidence summary (report, hearing import), the queue."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone

from yunting.core.cases.choices import COURT_CASE_ROLES
from yunting.core.cases.models import Participation, Party
from yunting.core.threads.models import Item
from yunting.core.threads.selectors import Viewer, items_for, unread_counts

from .models import Exchange, ExchangeState, PositionChange, Round

PROPERTIES = ("authenticity", "legality", "relevance")
PROPERTY_LABELS = {"authenticity": "真实性", "legality": "合法性", "relevance": "关联性"}
POSITION_LABELS = {"accept": "认可", "reject": "不认可", "partial": "部分认可"}


def exchange_for(case) -> Exchange | None:
    return Exchange.objects.select_related("thread", "case").filter(case=case).first()


def latest_positions(exchange: Exchange) -> dict[tuple[int, int], dict]:
    """{(evidence item id, party id): the party's latest opinion data} over items shown to everyone, with changes
    of position the judge allowed at the hearing applied on top."""
    out: dict[tuple[int, int], dict] = {}
    opinions = (Item.objects.filter(thread=exchange.thread, kind="opinion", visibility="all")
                .exclude(author_party__isnull=True).order_by("seq").values("refers_to_id", "author_party_id", "data"))
    for row in opinions:
        out[(row["refers_to_id"], row["author_party_id"])] = {
            "positions": dict(row["data"].get("positions", {})), "reasons": dict(row["data"].get("reasons", {})),
            "purpose_objection": row["data"].get("purpose_objection", ""), "changed": {}}
    for change in PositionChange.objects.filter(exchange=exchange, status=PositionChange.Status.GRANTED):
        key = (change.evidence_id, change.party_id)
        if key in out:
            out[key]["positions"][change.prop] = change.after
            out[key]["changed"][change.prop] = {"before": change.before, "reason": change.reason}
    return out


@dataclass
class EvidenceRow:
    item: Item
    number: int
    parties: list = field(default_factory=list)  # [{party, name, role, positions, reasons, purpose_objection}]
    undisputed: list[str] = field(default_factory=list)
    disputed: list[str] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)
    purpose_disputed: bool = False


def evidence_summary(exchange: Exchange) -> list[EvidenceRow]:
    """Per evidence item shown to everyone: each other party's position on the three properties, and which
    properties are undisputed (all others accept), disputed (someone rejects or partly accepts) or pending."""
    parties = list(Party.objects.filter(case=exchange.case).order_by("order", "id"))
    positions = latest_positions(exchange)
    rows = []
    evidence = (Item.objects.filter(thread=exchange.thread, kind="evidence", visibility="all")
                .select_related("author_party").order_by("seq"))
    for n, item in enumerate(evidence, start=1):
        row = EvidenceRow(item=item, number=n)
        others = [p for p in parties if p.pk != item.author_party_id]
        for p in others:
            got = positions.get((item.pk, p.pk))
            row.parties.append({"party": p.pk, "name": p.name, "role": p.get_role_display(),
                                "positions": got["positions"] if got else {},
                                "reasons": got["reasons"] if got else {},
                                "purpose_objection": got["purpose_objection"] if got else "",
                                "changed": got["changed"] if got else {}})
            if got and got["purpose_objection"]:
                row.purpose_disputed = True
        for prop in PROPERTIES:
            said = [x["positions"].get(prop) for x in row.parties]
            if any(s in ("reject", "partial") for s in said):
                row.disputed.append(prop)
            elif said and all(s == "accept" for s in said):
                row.undisputed.append(prop)
            else:
                row.pending.append(prop)
        rows.append(row)
    return rows


def disputed_points(case, *, rows: list[EvidenceRow] | None = None) -> dict:
    """What the hearing still has to cover, for import into the hearing transcript: structured points and the
    same as text. Empty when the case has no exchange. (`rows`: an evidence_summary already computed.)"""
    if rows is None:
        exchange = exchange_for(case)
        if exchange is None:
            return {"points": [], "text": ""}
        rows = evidence_summary(exchange)
    points, lines = [], []
    for row in rows:
        title = row.item.data.get("title") or row.item.text[:30]
        for prop in row.disputed:
            who = [{"party": x["party"], "name": x["name"], "position": x["positions"].get(prop),
                    "reason": x["reasons"].get(prop, "")}
                   for x in row.parties if x["positions"].get(prop) in ("reject", "partial")]
            points.append({"evidence": row.item.pk, "number": row.number, "title": title, "property": prop,
                           "parties": who})
            lines.append(f"证据{row.number}《{title}》{PROPERTY_LABELS[prop]}：" + "；".join(
                f"{w['name']}{POSITION_LABELS[w['position']]}（{w['reason']}）" for w in who))
        if row.purpose_disputed:
            objections = [x for x in row.parties if x["purpose_objection"]]
            points.append({"evidence": row.item.pk, "number": row.number, "title": title, "property": "purpose",
                           "parties": [{"party": x["party"], "name": x["name"], "reason": x["purpose_objection"]}
                                       for x in objections]})
            lines.append(f"证据{row.number}《{title}》证明目的：" + "；".join(
                f"{x['name']}异议（{x['purpose_objection']}）" for x in objections))
    return {"points": points, "text": "\n".join(lines)}


def item_json(item: Item, *, court: bool = False) -> dict:
    """One item. Its place in the thread (`seq`) is for the court only: gaps in it would count the items hidden
    from a party."""
    data = item.data or {}
    out = {"id": item.pk, "by": item.side, "by_name": item.author_label, "kind": item.kind,
           "visibility": item.visibility, "text": item.text, "refers_to": item.refers_to_id,
           "round": data.get("round"), "created_at": item.created_at.isoformat(), "documents": item.documents}
    if court:
        out.update({"seq": item.seq, "sha256": item.sha256})
    if item.kind == "evidence":
        out.update({"title": data.get("title", ""), "purpose": data.get("purpose", ""),
                    "source": data.get("source", ""), "pages": data.get("pages", "")})
    if item.kind == "opinion":
        out.update({"positions": data.get("positions", {}), "reasons": data.get("reasons", {}),
                    "purpose_objection": data.get("purpose_objection", "")})
    if data.get("late"):
        out["late"] = True
    return out


def exchange_json(exchange: Exchange, viewer: Viewer) -> dict:
    consents = [{"party": c.party_id, "name": c.party.name, "role": c.party.role, "decision": c.decision,
                 "decided_at": c.decided_at.isoformat() if c.decided_at else None}
                for c in exchange.consents.select_related("party").order_by("party__order", "party_id")]
    rnd = Round.objects.filter(exchange=exchange, number=exchange.current_round).first()
    items = [item_json(i, court=viewer.court) for i in items_for(exchange.thread, viewer)]
    return {"state": exchange.state, "consents": consents, "round": exchange.current_round,
            "deadline": rnd.deadline.isoformat() if rnd else None, "items": items,
            "unread": unread_counts(viewer.user, [exchange.thread_id]).get(exchange.thread_id, 0),
            "report_document": exchange.report_document_id}


@dataclass
class QueueRow:
    exchange: Exchange
    unread: int
    overdue: int
    disputed: int
    pending_consents: int
    deadline: object


def queue_stats(exchanges: list[Exchange], now=None) -> dict[int, tuple[int, int]]:
    """{exchange id: (disputed points, overdue replies)} for many exchanges in a fixed number of queries.

    Disputed: per evidence item shown to everyone, each property some other party rejects or partly accepts
    (latest opinion, with granted changes of position applied), plus an objection to its purpose. Overdue: an
    evidence item whose round deadline has passed while some other party has not answered it."""
    now = now or timezone.now()
    by_thread = {e.thread_id: e for e in exchanges}
    parties: dict[int, set[int]] = {}
    for case_id, pk in Party.objects.filter(case_id__in=[e.case_id for e in exchanges]).values_list("case_id", "pk"):
        parties.setdefault(case_id, set()).add(pk)
    past: dict[int, set[int]] = {}
    for ex_id, number in Round.objects.filter(exchange__in=exchanges, deadline__lt=now).values_list("exchange_id",
                                                                                                   "number"):
        past.setdefault(ex_id, set()).add(number)
    granted = {(c.evidence_id, c.party_id, c.prop): c.after
               for c in PositionChange.objects.filter(exchange__in=exchanges, status=PositionChange.Status.GRANTED)}
    evidence: dict[int, list] = {}
    latest: dict[tuple[int, int], dict] = {}
    rows = (Item.objects.filter(thread_id__in=list(by_thread), kind__in=("evidence", "opinion"), visibility="all")
            .order_by("seq").values_list("thread_id", "pk", "kind", "refers_to_id", "author_party_id", "data"))
    for thread_id, pk, kind, refers_to, party, data in rows:
        if kind == "evidence":
            evidence.setdefault(thread_id, []).append((pk, party, data.get("round")))
        elif party is not None:
            latest[(refers_to, party)] = data
    out = {}
    for thread_id, ex in by_thread.items():
        disputed = overdue = 0
        for pk, author, rnd in evidence.get(thread_id, []):
            others = parties.get(ex.case_id, set()) - {author}
            answered = [p for p in others if (pk, p) in latest]
            for prop in PROPERTIES:
                said = [granted.get((pk, p, prop), latest[(pk, p)].get("positions", {}).get(prop)) for p in answered]
                disputed += any(x in ("reject", "partial") for x in said)
            disputed += any(latest[(pk, p)].get("purpose_objection") for p in answered)
            overdue += rnd in past.get(ex.pk, set()) and len(answered) < len(others)
        out[ex.pk] = (disputed, overdue)
    return out


def queue_for(user) -> list[QueueRow]:
    """The assistant's 一对多 queue: every exchange not yet closed in the court-side cases of `user`, with new
    items, overdue replies, disputed points and missing consents; overdue first, then the busiest."""
    cases = Participation.objects.filter(user=user, role__in=COURT_CASE_ROLES).values("case_id")
    exchanges = list(Exchange.objects.filter(case_id__in=cases).exclude(state=ExchangeState.CLOSED)
                     .select_related("case", "thread")
                     .annotate(pending=Count("consents", filter=~Q(consents__decision="consented"))))
    unread = unread_counts(user, [e.thread_id for e in exchanges])
    rounds = {(r.exchange_id, r.number): r.deadline for r in Round.objects.filter(exchange__in=exchanges)}
    stats = queue_stats(exchanges)
    rows = [QueueRow(exchange=e, unread=unread.get(e.thread_id, 0), overdue=stats[e.pk][1], disputed=stats[e.pk][0],
                     pending_consents=e.pending, deadline=rounds.get((e.pk, e.current_round)))
            for e in exchanges]
    rows.sort(key=lambda r: (-(r.overdue > 0), -r.unread, -r.disputed, r.exchange.case.number))
    return rows


def exchanges_for_party(user) -> list[tuple[Exchange, int]]:
    cases = Participation.objects.filter(user=user, party__isnull=False).values("case_id")
    exchanges = list(Exchange.objects.filter(case_id__in=cases).select_related("case", "thread")
                     .order_by("-updated_at"))
    unread = unread_counts(user, [e.thread_id for e in exchanges])
    return [(e, unread.get(e.thread_id, 0)) for e in exchanges]
