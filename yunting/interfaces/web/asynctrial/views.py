"""异步审理 pages: the exchange of a case (phone-first for parties), the assistant's 一对多 queue, the party's
list of exchanges, the court's sensitive-word list. Each act: access, one service, a message, back."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yunting.core.cases.errors import CaseNotFound
from yunting.core.cases.models import Party
from yunting.core.people.choices import Role
from yunting.core.people.models import Membership
from yunting.core.threads import services as threads
from yunting.core.threads.models import WordRule
from yunting.core.threads.selectors import items_for, notices_for, viewer_in_case
from yunting.core.threads.wordfilter import default_rules
from yunting.kernel.common.errors import ApplicationError
from yunting.kernel.security.audit import client_ip, read_log
from yunting.workflows.asynctrial import services
from yunting.workflows.asynctrial.models import Pledge, PositionChange, Round, SettlementAnswer
from yunting.workflows.asynctrial.report import POSITION_LABELS, PROPERTY_LABELS
from yunting.workflows.asynctrial.selectors import (
    disputed_points,
    evidence_summary,
    exchange_for,
    exchange_json,
    exchanges_for_party,
    queue_for,
)

KIND_LABELS = {"evidence": "证据", "opinion": "质证意见", "question": "询问", "answer": "回答", "defence": "答辩",
               "guidance": "诉讼指引", "proposal": "调解方案"}


def _access(request, case_id):
    try:
        return services.access_for(request.user, case_id)
    except CaseNotFound:
        raise Http404("case") from None


def _back(case_id, anchor: str = ""):
    return redirect(reverse("asynctrial:exchange", args=[case_id]) + anchor)


def _act(request, case_id, fn, done: str, anchor: str = ""):
    access = _access(request, case_id)
    try:
        result = fn(access)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        masked = getattr(result, "masked_words", None)
        if masked:
            messages.warning(request, _("Posted. Some words were masked: %(words)s.") % {"words": "、".join(masked)})
        else:
            messages.success(request, done)
    return _back(case_id, anchor)


@login_required
def queue(request):
    """Court staff: the 一对多 queue. Parties: their exchanges, unread counts and notices."""
    rows = queue_for(request.user)
    mine = exchanges_for_party(request.user)
    notices = list(notices_for(request.user)[:30])
    unread_notices = [n.pk for n in notices if n.read_at is None]
    response = render(request, "asynctrial/queue.html", {
        "rows": rows, "mine": mine, "notices": notices, "unread_notices": set(unread_notices),
        "court_admin": _court_admin_court(request.user) is not None, "nav": "asynctrial"})
    threads.notices_mark_read(user=request.user)
    return response


@login_required
def exchange(request, case_id: int):
    access = _access(request, case_id)
    case = access.case
    ex = exchange_for(case)
    viewer = viewer_in_case(request.user, case.pk)
    read_log(user=request.user, action="exchange.view", channel="web", case_id=case.pk, object_type="exchange",
             object_id=ex.pk if ex is not None else "", ip=client_ip(request))
    ctx = {"case": case, "access": access, "ex": ex, "viewer": viewer, "court": viewer.court,
           "kind_labels": KIND_LABELS, "property_labels": PROPERTY_LABELS, "position_labels": POSITION_LABELS,
           "explanation": services.EXPLANATION, "pledge_text": services.PLEDGE_TEXT, "nav": "asynctrial"}
    if ex is not None:
        state = exchange_json(ex, viewer)
        items = list(items_for(ex.thread, viewer))
        mark = ex.thread.marks.filter(user=request.user).first()
        last_seen = mark.last_seq if mark else 0
        by_id = {i.pk: i for i in items}
        answered = {(i.refers_to_id, i.author_party_id) for i in items if i.kind == "opinion"}
        my_party = viewer.party_id
        for i in items:
            i.label = KIND_LABELS.get(i.kind, i.kind)
            i.is_new = i.seq > last_seen and i.author_id != request.user.pk
            i.target = by_id.get(i.refers_to_id)
            i.mine = i.author_id == request.user.pk or (i.author_party_id and i.author_party_id in viewer.party_ids)
            i.to_answer = (i.kind == "evidence" and my_party and not i.mine
                           and (i.pk, my_party) not in answered and ex.state == "open")
            i.positions_shown = [(PROPERTY_LABELS[p], POSITION_LABELS.get(i.data.get("positions", {}).get(p), ""),
                                  i.data.get("reasons", {}).get(p, ""))
                                 for p in PROPERTY_LABELS] if i.kind == "opinion" else []
        answers = {(a.proposal_id, a.party_id): a.decision
                   for a in SettlementAnswer.objects.filter(exchange=ex)}
        for i in items:
            if i.kind == "proposal":
                i.my_answer = answers.get((i.pk, my_party)) if my_party else None
                i.can_answer = (my_party and i.visibility == "all" and i.author_party_id != my_party
                                and ex.state == "open")
        ctx.update({
            "state": state, "items": items, "questions": [i for i in items if i.kind == "question"],
            "evidence": [i for i in items if i.kind == "evidence"],
            "pledged": Pledge.objects.filter(exchange=ex, user=request.user).exists(),
            "my_consents": [c for c in ex.consents.select_related("party") if c.party_id in viewer.party_ids],
            "rounds": (rounds := list(Round.objects.filter(exchange=ex))),
            "current_round": next((r for r in rounds if r.number == ex.current_round), None),
            "summary": evidence_summary(ex) if viewer.court else [],
            "disputed": disputed_points(case) if viewer.court else None,
            "parties": list(Party.objects.filter(case=case).order_by("order", "id")),
            "changes": list(PositionChange.objects.filter(exchange=ex).select_related("party", "evidence")),
            "is_judge": bool(access.roles & {"judge", "presiding_judge"}),
        })
        for c in ctx["changes"]:
            c.prop_label = PROPERTY_LABELS.get(c.prop, c.prop)
            c.before_label, c.after_label = POSITION_LABELS.get(c.before, ""), POSITION_LABELS.get(c.after, "")
        threads.thread_mark_read(thread=ex.thread, user=request.user)
    return render(request, "asynctrial/exchange.html", ctx)


@login_required
def export(request, case_id: int):
    """The exchange as the caller sees it, as JSON (a download): hidden items are not in it."""
    access = _access(request, case_id)
    ex = exchange_for(access.case)
    if ex is None:
        raise Http404("exchange")
    body = {"case": access.case.number, **exchange_json(ex, viewer_in_case(request.user, access.case.pk))}
    read_log(user=request.user, action="exchange.export", channel="web", case_id=access.case.pk,
             object_type="exchange", object_id=ex.pk, ip=client_ip(request))
    body.pop("unread", None)
    response = HttpResponse(json.dumps(body, ensure_ascii=False, indent=1), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="exchange-{access.case.pk}.json"'
    return response


@login_required
@require_POST
def propose(request, case_id: int):
    return _act(request, case_id, lambda a: services.asynctrial_propose(
        access=a, actor=request.user, round_days=request.POST.get("round_days", 7)),
        _("Proposed. Each party is invited to consent."))


@login_required
@require_POST
def consent(request, case_id: int):
    yes = request.POST.get("decision") == "consent"
    return _act(request, case_id, lambda a: services.asynctrial_consent(
        access=a, actor=request.user, party_id=request.POST.get("party"), consent=yes),
        _("Your consent is recorded.") if yes else _("Your refusal is recorded."))


@login_required
@require_POST
def pledge(request, case_id: int):
    if request.POST.get("agree") != "1":
        messages.error(request, _("Tick the box to sign the pledge."))
        return _back(case_id)
    return _act(request, case_id, lambda a: services.asynctrial_pledge(access=a, actor=request.user),
                _("Pledge signed. You can now take part."))


def _positions(post) -> tuple[dict, dict]:
    return ({p: post.get(f"pos_{p}", "") for p in PROPERTY_LABELS},
            {p: post.get(f"reason_{p}", "") for p in PROPERTY_LABELS})


@login_required
@require_POST
def post(request, case_id: int):
    """Post an item. A file sent with evidence goes through the one checked intake into the e-file first."""
    kind = request.POST.get("kind", "")
    positions, reasons = _positions(request.POST) if kind == "opinion" else (None, None)
    documents = [d for d in request.POST.getlist("documents") if d]
    upload = request.FILES.get("file")
    if upload is not None:
        from yunting.core.efile.models import UploadStatus
        from yunting.core.efile.services import efile_submit

        access = _access(request, case_id)
        try:
            up = efile_submit(access=access, actor=request.user, stream=upload,
                              title=request.POST.get("title") or upload.name or "证据", kind="evidence",
                              filename=upload.name or "")
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return _back(case_id, "#post")
        up.refresh_from_db()
        if up.status == UploadStatus.REFUSED:
            messages.error(request, "；".join(p["message"] for p in up.problems or []) or _("The file was refused."))
            return _back(case_id, "#post")
        if up.status != UploadStatus.ACCEPTED:
            messages.info(request, _("The file is being checked. Once it appears in the e-file, choose it and post "
                                     "the evidence again."))
            return _back(case_id, "#post")
        documents.append(up.outcome["document_id"])
    return _act(request, case_id, lambda a: services.asynctrial_post(
        access=a, actor=request.user, kind=kind, text=request.POST.get("text", ""),
        visibility=request.POST.get("visibility", "all"), refers_to=request.POST.get("refers_to") or None,
        documents=[{"document": d, "pages": request.POST.get("doc_pages", "")} for d in documents],
        positions=positions, reasons=reasons, purpose=request.POST.get("purpose", ""),
        source=request.POST.get("source", ""), pages=request.POST.get("pages", ""),
        title=request.POST.get("title", ""), purpose_objection=request.POST.get("purpose_objection", "")),
        _("Posted."), "#items")


@login_required
@require_POST
def round_open(request, case_id: int):
    return _act(request, case_id, lambda a: services.asynctrial_round_open(
        access=a, actor=request.user, days=request.POST.get("days")), _("A new round has started."))


@login_required
@require_POST
def close(request, case_id: int):
    return _act(request, case_id, lambda a: services.asynctrial_close(access=a, actor=request.user),
                _("The exchange is closed; the report is in the e-file."))


@login_required
@require_POST
def report(request, case_id: int):
    return _act(request, case_id, lambda a: services.asynctrial_report(access=a, actor=request.user),
                _("The report is generated and filed in the e-file."))


@login_required
@require_POST
def settlement(request, case_id: int):
    yes = request.POST.get("decision") == "accept"
    return _act(request, case_id, lambda a: services.asynctrial_settlement_answer(
        access=a, actor=request.user, proposal_id=request.POST.get("proposal"), accept=yes),
        _("Your answer to the proposal is recorded."))


@login_required
@require_POST
def position_change(request, case_id: int):
    return _act(request, case_id, lambda a: services.asynctrial_position_change_request(
        access=a, actor=request.user, evidence_id=request.POST.get("evidence"), party_id=request.POST.get("party"),
        prop=request.POST.get("prop", ""), after=request.POST.get("after", ""), reason=request.POST.get("reason", "")),
        _("The change of position is recorded and awaits the judge's leave."), "#changes")


@login_required
@require_POST
def position_change_decide(request, case_id: int):
    return _act(request, case_id, lambda a: services.asynctrial_position_change_decide(
        access=a, actor=request.user, change_id=request.POST.get("change"),
        grant=request.POST.get("decision") == "grant"), _("Decided."), "#changes")


def _court_admin_court(user):
    m = Membership.objects.filter(user=user, role=Role.COURT_ADMIN).select_related("organisation").first()
    return m.organisation if m else None


@login_required
def words(request):
    """The court's sensitive-word list (court administrators): the shipped default list and the court's own."""
    court = _court_admin_court(request.user)
    if court is None:
        raise Http404("words")
    if request.method == "POST":
        try:
            if request.POST.get("off"):
                rule = WordRule.objects.filter(court=court, pk=request.POST["off"]).first()
                if rule:
                    threads.wordrule_deactivate(rule=rule)
            else:
                threads.wordrule_set(court=court, word=request.POST.get("word", ""),
                                     action=request.POST.get("action", "block"), actor=request.user)
            messages.success(request, _("The list is updated."))
        except ApplicationError as exc:
            messages.error(request, exc.message)
        return redirect("asynctrial:words")
    return render(request, "asynctrial/words.html", {
        "rules": WordRule.objects.filter(court=court).order_by("-active", "word"),
        "defaults": sorted(default_rules().items()), "nav": "asynctrial", "court": court})


