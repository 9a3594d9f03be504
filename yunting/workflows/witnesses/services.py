"""证人在线作证 writes. Each act is one transaction with its journal entry.

application: a party applies → the evaluator's verdict is kept → the judge decides (against the verdict only with a
reason) → the other side has an objection period → the judge decides an objection (upheld: in person) → the
notice 在线出庭作证通知书 is issued, sealed and served (service.wanted).
testimony: the judge seats the witness in the hearing's room or a separate `witnessing` room (one-time link; the
first identity check is the room's own: code, and face when configured) → the witness waits in the lobby (the
rooms capability sends a lobby socket nothing of the room) → the judge calls → the witness verifies again (the
check must be later than the call) and signs the oath → the judge admits to testify (a designated place needs the
shared-court point's presence confirmation or the other court's name) → read aloud, stop (back to the lobby or
out), dismiss (the seat is removed: the socket is closed and cannot come back).
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yunting.core.cases.access import Capability, CaseAccess
from yunting.core.cases.models import Participation, Party
from yunting.core.journal.services import DocumentInput, journal_append
from yunting.kernel.common.errors import ValidationFailed
from yunting.kernel.common.timeutil import SHANGHAI

from . import eligibility, entries, errors
from .choices import STOP_LABELS_ZH, ApplicationStatus, Stage, StopReason
from .errors import WitnessErrorCode
from .models import EligibilityRules, WitnessApplication

JUDGE_ROLES = frozenset({"judge", "presiding_judge"})
PARTY_ROLE_ZH = {"plaintiff": "原告", "defendant": "被告", "third_party": "第三人", "appellant": "上诉人",
                 "appellee": "被上诉人", "applicant": "申请人", "respondent": "被申请人"}
PDF = {"application/pdf"}
OATH_TEXT = (
    "我作为本案证人，保证向法庭如实陈述所知道的案件事实，不作虚假陈述，不隐瞒事实真相。"
    "我已知晓：证人故意作虚假陈述的，人民法院将依照《中华人民共和国民事诉讼法》第一百一十四条的规定予以罚款、拘留；"
    "构成犯罪的，依法追究刑事责任。我在单独、封闭的场所在线作证，作证前未旁听庭审，作证时无他人在场提示，"
    "不使用事先准备的书面材料，不离开画面。")
DISMISS_REASON = "作证完毕，审判人员令证人退庭"


# --- rules ---------------------------------------------------------------------------------------------------------
def rules_for(court) -> eligibility.Rules:
    """The court's rules; the Beilun defaults until its administrator changes them."""
    row = EligibilityRules.objects.filter(court=court).first()
    return row.as_rules() if row is not None else eligibility.DEFAULT_RULES


def objection_days_for(court) -> int:
    row = EligibilityRules.objects.filter(court=court).first()
    return row.objection_days if row is not None else 3


@transaction.atomic
def rules_save(*, court, actor, allowed_grounds, excluded_procedures, excluded_flags, max_online_per_side,
               designated_if_directed: bool, designated_if_several: bool, designated_if_applicant_outside: bool,
               objection_days) -> EligibilityRules:
    """The court's administrator edits the rules (every value checked; nothing saved on a bad one)."""
    from yunting.core.courts.permissions import is_court_admin

    if not is_court_admin(actor, court.pk):
        raise errors.not_court_admin()
    for name, values, allowed in (("allowed_grounds", allowed_grounds, eligibility.GROUNDS),
                                  ("excluded_procedures", excluded_procedures, eligibility.PROCEDURES),
                                  ("excluded_flags", excluded_flags, eligibility.FLAGS)):
        if not all(v in allowed for v in values):
            raise errors.invalid(_("Unknown value."), field=name)
    try:
        most, days = int(max_online_per_side), int(objection_days)
    except (TypeError, ValueError):
        raise errors.invalid(_("Enter whole numbers."), field="max_online_per_side") from None
    if not 1 <= most <= 50:
        raise errors.invalid(_("The most online witnesses for one side must be between 1 and 50."),
                             field="max_online_per_side")
    if not 1 <= days <= 30:
        raise errors.invalid(_("The objection period must be between 1 and 30 days."), field="objection_days")
    row, _created = EligibilityRules.objects.select_for_update().get_or_create(court=court)
    row.allowed_grounds = [g for g in eligibility.GROUNDS if g in set(allowed_grounds)]
    row.excluded_procedures = [p for p in eligibility.PROCEDURES if p in set(excluded_procedures)]
    row.excluded_flags = [f for f in eligibility.FLAGS if f in set(excluded_flags)]
    row.max_online_per_side, row.objection_days = most, days
    row.designated_if_directed = bool(designated_if_directed)
    row.designated_if_several = bool(designated_if_several)
    row.designated_if_applicant_outside = bool(designated_if_applicant_outside)
    row.updated_by = actor
    row.save()
    return row


# --- helpers -------------------------------------------------------------------------------------------------------
def is_judge(access: CaseAccess) -> bool:
    return access.can(Capability.WRITE_JOURNAL) and bool(access.roles & JUDGE_ROLES)


def _require_judge(access: CaseAccess) -> None:
    if not is_judge(access):
        raise errors.not_judge()


def party_of(access: CaseAccess, actor) -> Party | None:
    """The party the actor takes part for (as the party or its lawyer), or None."""
    p = (Participation.objects.filter(case=access.case, user=actor, role__in=("party", "lawyer"),
                                      party__isnull=False).select_related("party").order_by("id").first())
    return p.party if p is not None else None


def case_procedure(case) -> str:
    """The evaluator's procedure for a case: an ordinary-procedure case with a presiding judge (a panel) is
    ordinary_panel; a second instance is always heard by a panel."""
    if case.procedure in ("simple", "small_claims"):
        return case.procedure
    if case.procedure == "second_instance":
        return "ordinary_panel"
    panel = Participation.objects.filter(case=case, role__in=("presiding_judge", "assessor")).exists() or \
        Participation.objects.filter(case=case, role="judge").count() > 1
    return "ordinary_panel" if panel else "ordinary"


LIVE_STATUSES = (ApplicationStatus.SUBMITTED, ApplicationStatus.OBJECTION_PERIOD, ApplicationStatus.OBJECTED,
                 ApplicationStatus.APPROVED)


def _locked(application: WitnessApplication) -> WitnessApplication:
    return WitnessApplication.objects.select_for_update().get(pk=application.pk)


def _append(app: WitnessApplication, kind: str, actor, documents=(), **payload):
    return journal_append(case=app.case, kind=kind, actor=actor if getattr(actor, "pk", None) else None,
                          payload={"application_id": app.pk, **payload}, documents=documents)


def _reason(text) -> str:
    return (text or "").strip()[:500]


def _tell(app: WitnessApplication, *, key: str, text: str, sides: str = "other", judges: bool = False) -> None:
    """An in-app notice (once per key and person) and an SMS: to the other side's parties and lawyers (or every
    party, or nobody), and the case's judges. An SMS that cannot be queued never undoes the act."""
    import logging

    from django.urls import reverse

    from yunting.core.threads import services as threads
    from yunting.kernel.notify.services import outbox_enqueue

    rows = Participation.objects.filter(case_id=app.case_id).select_related("user", "party")
    people = []
    for p in rows:
        if p.role in ("party", "lawyer") and p.party is not None:
            if sides == "all" or (sides == "other" and p.party.role != app.side):
                people.append((p.user, True))
        elif judges and p.role in JUDGE_ROLES:
            people.append((p.user, False))
    thread = threads.thread_ensure(case=app.case, purpose="witnesses", title="证人在线作证")
    url = reverse("witnesses:case", args=[app.case_id])
    seen = set()
    for user, sms in people:
        if user is None or user.pk in seen:
            continue
        seen.add(user.pk)
        threads.notice_send(user=user, thread=thread, key=f"witness:{key}:{app.pk}:{user.pk}", text=text, url=url)
        if sms and getattr(user, "phone", ""):
            try:
                outbox_enqueue(phone=user.phone, purpose="witnesses", body=f"【云庭】{text}请登录云庭查看。")
            except Exception:
                logging.getLogger(__name__).warning("no SMS for user %s: bad phone", user.pk)


# --- application ---------------------------------------------------------------------------------------------------
@transaction.atomic
def witness_apply(*, access: CaseAccess, actor, witness_name: str, witness_phone: str, witness_id_number: str,
                  ground: str, facts: str, ground_note: str = "",
                  applicant_outside_designated_place: bool = False) -> WitnessApplication:
    """A party (or its lawyer) applies for a witness to testify online; the verdict is computed at once."""
    from yunting.kernel.notify.phones import phone_normalize
    from yunting.kernel.security.identifiers import IdentifierError, ric_validate

    party = party_of(access, actor)
    if party is None:
        raise errors.not_party()
    name = (witness_name or "").strip()[:100]
    if not name:
        raise errors.invalid(_("Enter the witness's name."), field="witness_name")
    try:
        phone = phone_normalize(witness_phone)
    except Exception:
        raise errors.invalid(_("Enter the witness's mobile number (11 digits)."), field="witness_phone") from None
    try:
        id_number = ric_validate(witness_id_number or "")
    except IdentifierError as exc:
        raise errors.invalid(str(exc), field="witness_id_number", reason=exc.code) from None
    if ground not in eligibility.GROUNDS:
        raise errors.invalid(_("Choose the ground for testifying online."), field="ground")
    facts = (facts or "").strip()
    if not facts:
        raise errors.invalid(_("State the facts the witness is to prove."), field="facts")
    case = access.case
    online = WitnessApplication.objects.filter(case=case, status__in=LIVE_STATUSES)
    body = {
        "procedure": case_procedure(case), "ground": ground, "applicant_flags": [], "witness_flags": [],
        "online_witnesses_for_side": online.filter(side=party.role).count() + 1,
        "objection_witness_may_be_directed": False, "several_witnesses_online": online.exists(),
        "applicant_outside_designated_place": bool(applicant_outside_designated_place),
    }
    verdict = eligibility.evaluate(eligibility.parse(body), rules_for(case.court))
    app = WitnessApplication.objects.create(
        case=case, applicant=actor, side=party.role, party=party, witness_name=name, witness_phone=phone,
        witness_id_number=id_number, ground=ground, ground_note=(ground_note or "").strip()[:500],
        facts=facts[:4000], facts_input=body, verdict=verdict,
        designated_place_required=verdict["designated_place_required"])
    app.case = case
    _append(app, entries.APPLIED, actor, side=party.role, witness_name=name, ground=ground, verdict=verdict,
            input=body)
    _tell(app, key="applied", sides="none", judges=True,
          text=f"{case.number}：{party.name}申请证人{name}在线作证，待您决定。")
    return app


@transaction.atomic
def witness_decide(*, access: CaseAccess, actor, application: WitnessApplication, approve: bool,
                   reason: str = "") -> WitnessApplication:
    """The judge decides. Deciding against the verdict needs a reason. Approval opens the other side's objection
    period (the court's objection_days, default 3)."""
    _require_judge(access)
    app = _locked(application)
    if app.status != ApplicationStatus.SUBMITTED:
        raise errors.bad_state(app.status)
    reason = _reason(reason)
    overrides = bool(approve) != bool(app.verdict.get("online_allowed"))
    if overrides and not reason:
        raise errors.reason_required(_("Deciding against the system's verdict needs a reason."))
    now = timezone.now()
    app.decided_by, app.decided_at, app.decision_reason, app.overrides_verdict = actor, now, reason, overrides
    extra = {}
    if approve:
        app.status = ApplicationStatus.OBJECTION_PERIOD
        app.objection_deadline = now + timedelta(days=objection_days_for(access.case.court))
        extra["objection_deadline"] = app.objection_deadline.isoformat()
    else:
        app.status = ApplicationStatus.REJECTED
    app.save()
    app.case = access.case
    _append(app, entries.DECIDED, actor, approved=bool(approve), overrides_verdict=overrides, reason=reason, **extra)
    if approve:
        deadline = app.objection_deadline.astimezone(SHANGHAI)
        _tell(app, key="objection_period", text=f"{access.case.number}：法院拟准许对方申请的证人{app.witness_name}在线作证，"
                                                f"如有异议，请于{deadline:%Y年%m月%d日%H:%M}前提出并说明理由。")
    return app


@transaction.atomic
def witness_object(*, access: CaseAccess, actor, application: WitnessApplication, reason: str,
                   may_be_directed: bool = False, now=None) -> WitnessApplication:
    """The other side objects within the period, with reasons. A reasonable fear that the witness is directed by
    others makes the designated place required (if the court's rules say so)."""
    party = party_of(access, actor)
    if party is None or party.role == application.side:
        raise errors.not_other_side()
    app = _locked(application)
    if app.status != ApplicationStatus.OBJECTION_PERIOD:
        raise errors.bad_state(app.status)
    if (now or timezone.now()) > app.objection_deadline:
        raise errors.conflict(_("The objection period has ended."), WitnessErrorCode.OBJECTION_CLOSED,
                              deadline=app.objection_deadline.isoformat())
    reason = _reason(reason)
    if not reason:
        raise errors.reason_required(_("Give the reasons for the objection."))
    if may_be_directed:
        body = {**app.facts_input, "objection_witness_may_be_directed": True}
        verdict = eligibility.evaluate(eligibility.parse(body), rules_for(access.case.court))
        app.facts_input = body
        app.designated_place_required = app.designated_place_required or verdict["designated_place_required"]
    app.status, app.objection_by, app.objection_reason, app.objection_at = (
        ApplicationStatus.OBJECTED, actor, reason, timezone.now())
    app.save()
    app.case = access.case
    _append(app, entries.OBJECTED, actor, reason=reason, may_be_directed=bool(may_be_directed),
            designated_place_required=app.designated_place_required)
    return app


@transaction.atomic
def witness_objection_decide(*, access: CaseAccess, actor, application: WitnessApplication, upheld: bool,
                             reason: str) -> WitnessApplication:
    """The judge decides the objection: upheld → the witness testifies in person; dismissed → online, notice."""
    _require_judge(access)
    app = _locked(application)
    if app.status != ApplicationStatus.OBJECTED:
        raise errors.bad_state(app.status)
    reason = _reason(reason)
    if not reason:
        raise errors.reason_required(_("Give the reason for the decision on the objection."))
    app.objection_upheld, app.objection_decision_reason = bool(upheld), reason
    app.status = ApplicationStatus.IN_PERSON if upheld else app.status
    app.save()
    app.case = access.case
    _append(app, entries.OBJECTION_DECIDED, actor, upheld=bool(upheld), reason=reason)
    if not upheld:
        _approve(app, actor)
    return app


@transaction.atomic
def witness_notice_issue(*, access: CaseAccess, actor, application: WitnessApplication, now=None) -> WitnessApplication:
    """After an objection period without objection, the judge makes the approval final and issues the notice."""
    _require_judge(access)
    app = _locked(application)
    if app.status != ApplicationStatus.OBJECTION_PERIOD:
        raise errors.bad_state(app.status)
    if (now or timezone.now()) <= app.objection_deadline:
        raise errors.conflict(_("The other side may still object until the end of the objection period."),
                              WitnessErrorCode.OBJECTION_OPEN, deadline=app.objection_deadline.isoformat())
    app.case = access.case
    _approve(app, actor)
    return app


def _place_text(app: WitnessApplication) -> str:
    if app.designated_place_required:
        return "证人应当在本院指定的场所（共享法庭或者其他法院）通过云庭平台在线作证，由场所工作人员核实证人身份并确认无他人在场"
    return "证人通过云庭平台在线作证，应当单独处于安静、封闭的场所"


def _approve(app: WitnessApplication, actor) -> None:
    """Final approval: the notice is drafted, issued into the e-file, and sealed and served when the actor holds
    the seal (otherwise the seal holder's papers.sealed is picked up by on_paper_sealed)."""
    from yunting.core.papers.services import can_seal, paper_draft, paper_issue, paper_seal

    case = app.case
    party = Party.objects.get(pk=app.party_id)
    paper = paper_draft(case=case, template_code="witness_notice", actor=actor, values={
        "recipient": app.witness_name, "applicant": f"{PARTY_ROLE_ZH.get(party.role, '')}{party.name}",
        "witness_name": app.witness_name, "facts": " ".join(app.facts.split())[:300], "place": _place_text(app),
        "judge_name": actor.display_name})
    paper = paper_issue(paper=paper, actor=actor)
    app.status, app.notice_paper_id = ApplicationStatus.APPROVED, paper.pk
    app.save(update_fields=["status", "notice_paper_id", "updated_at"])
    _append(app, entries.APPROVED, actor, paper_id=paper.pk)
    if can_seal(actor, case.court):
        paper = paper_seal(paper=paper, actor=actor)
        notice_serve(application=app, paper=paper)
    else:
        _append(app, entries.NOTICE_READY, actor, paper_id=paper.pk)


def notice_serve(*, application: WitnessApplication, paper) -> bool:
    """Append `service.wanted` for the sealed notice on every party of the case (once per paper)."""
    from yunting.core.efile.models import Document
    from yunting.core.journal.models import JournalEntry

    if paper.pk != application.notice_paper_id or paper.status != "sealed":
        return False
    case = application.case
    if JournalEntry.objects.filter(case=case, kind=entries.SERVICE_WANTED, payload__paper_id=paper.pk).exists():
        return False
    doc = Document.objects.filter(case=case, blob_id=paper.pdf_sha256).order_by("-id").first()
    parties = list(Party.objects.filter(case=case).order_by("order", "id").values_list("pk", flat=True))
    if doc is None or not parties:
        return False
    journal_append(case=case, kind=entries.SERVICE_WANTED, actor=None, payload={
        "documents": [doc.pk], "recipients": parties, "purpose": "witnesses.notice",
        "application_id": application.pk, "paper_id": paper.pk})
    return True


def on_paper_sealed(entry) -> None:
    """papers.sealed (subscriber): a notice sealed later by the seal holder is served now."""
    from yunting.core.papers.models import Paper

    p = entry.payload or {}
    if p.get("template") != "witness_notice" or not p.get("paper_id"):
        return
    app = WitnessApplication.objects.select_related("case").filter(notice_paper_id=p["paper_id"]).first()
    paper = Paper.objects.filter(pk=p["paper_id"]).first()
    if app is not None and paper is not None:
        with transaction.atomic():
            notice_serve(application=app, paper=paper)


# --- testimony -----------------------------------------------------------------------------------------------------
def _testimony(access: CaseAccess, application: WitnessApplication, *stages: str) -> WitnessApplication:
    _require_judge(access)
    app = _locked(application)
    app.case = access.case
    if app.status != ApplicationStatus.APPROVED:
        raise errors.bad_state(app.status)
    if stages and app.stage not in stages:
        raise errors.bad_state(app.stage)
    return app


def _room_payload(app: WitnessApplication) -> dict:
    return {"room_id": app.room_id, "participant_id": app.participant_id}


@transaction.atomic
def witness_invite(*, access: CaseAccess, actor, application: WitnessApplication, room=None,
                   separate: bool = False):
    """Seat the witness in `room` (the hearing's, hosted by the judge) or, with separate=True, in a new room of
    activity `witnessing` for the same case. The witness gets a one-time link by SMS; the returned participant's
    `invitation_token` holds it once."""
    from yunting.core.rooms.choices import Activity, RoomState
    from yunting.core.rooms.services import Contact, room_invite, room_open

    app = _testimony(access, application, Stage.NOT_INVITED, Stage.DISMISSED)
    if separate:
        room = room_open(access.case, Activity.WITNESSING, actor, title=f"证人{app.witness_name}在线作证")
    elif room is None or room.case_id != access.case.pk or room.state == RoomState.CLOSED:
        raise errors.invalid(_("Choose an open room of this case."), field="room")
    participant = room_invite(room, Contact(name=app.witness_name, phone=app.witness_phone), "witness", actor=actor)
    app.room, app.participant, app.stage = room, participant, Stage.WAITING
    app.called_at = app.testifying_since = None
    app.save()
    _append(app, entries.INVITED, actor, separate_session=bool(separate), **_room_payload(app))
    return participant


def _participant(app: WitnessApplication):
    from yunting.core.rooms.models import Participant

    return Participant.objects.select_for_update().get(pk=app.participant_id)


@transaction.atomic
def witness_call(*, access: CaseAccess, actor, application: WitnessApplication) -> WitnessApplication:
    """Call the waiting witness to testify (possibly out of the usual order): the witness must now verify their
    identity again before being admitted."""
    from yunting.core.rooms.choices import ParticipantState

    app = _testimony(access, application, Stage.WAITING)
    if _participant(app).state != ParticipantState.LOBBY:
        raise errors.conflict(_("The witness is not in the waiting room."), WitnessErrorCode.STATE,
                              stage=app.stage)
    app.stage, app.called_at = Stage.CALLED, timezone.now()
    app.save(update_fields=["stage", "called_at", "updated_at"])
    _append(app, entries.CALLED, actor, **_room_payload(app))
    return app


def presence_confirmation(app: WitnessApplication):
    """The shared-court point's `sharedcourt.presence_confirmed` entry for this witness's seat (alone), if any."""
    from yunting.core.journal.models import JournalEntry

    if app.participant_id is None:
        return None
    found = (JournalEntry.objects.filter(case_id=app.case_id, kind=entries.PRESENCE_CONFIRMED,
                                         payload__participant_id=app.participant_id)
             .order_by("-seq"))
    return next((e for e in found if (e.payload or {}).get("alone") is True), None)


def second_check_done(app: WitnessApplication, participant) -> bool:
    return bool(app.called_at and participant.verified_at and participant.verified_at > app.called_at)


@transaction.atomic
def witness_admit(*, access: CaseAccess, actor, application: WitnessApplication) -> WitnessApplication:
    """Admit the called witness to testify. Refused unless the identity was verified again after the call, the
    oath is signed, and — when a designated place is required — the point confirmed the witness present and alone
    (or the judge recorded the other court the witness testifies from)."""
    from yunting.core.rooms.services import room_admit

    app = _testimony(access, application, Stage.CALLED)
    participant = _participant(app)
    if not second_check_done(app, participant):
        raise errors.conflict(_("The witness has not verified their identity again since being called."),
                              WitnessErrorCode.SECOND_CHECK)
    if app.oath_signed_at is None:
        raise errors.conflict(_("The witness has not signed the oath yet."), WitnessErrorCode.OATH)
    place = ""
    if app.designated_place_required:
        presence = presence_confirmation(app)
        if presence is not None:
            place = f"point:{presence.payload.get('point_id')}"
        elif app.other_court:
            place = f"court:{app.other_court}"
        else:
            raise errors.conflict(_("This witness must testify from a designated place: the shared-court point has "
                                    "not confirmed the witness present and alone, and no other court is recorded."),
                                  WitnessErrorCode.DESIGNATED_PLACE)
    room_admit(app.room, participant, actor=actor)
    app.stage, app.testifying_since = Stage.TESTIFYING, timezone.now()
    app.save(update_fields=["stage", "testifying_since", "updated_at"])
    _append(app, entries.ADMITTED, actor, verified_at=participant.verified_at.isoformat(), place=place,
            **_room_payload(app))
    return app


@transaction.atomic
def witness_place_record(*, access: CaseAccess, actor, application: WitnessApplication,
                         court_name: str) -> WitnessApplication:
    """The judge records that the witness testifies from another court (a designated place)."""
    app = _testimony(access, application)
    name = (court_name or "").strip()[:100]
    if not name:
        raise errors.invalid(_("Enter the name of the court the witness testifies from."), field="court_name")
    app.other_court = name
    app.save(update_fields=["other_court", "updated_at"])
    _append(app, entries.PLACE_RECORDED, actor, other_court=name)
    return app


@transaction.atomic
def witness_read_aloud(*, access: CaseAccess, actor, application: WitnessApplication) -> WitnessApplication:
    """Ask the witness to read the oath aloud: the witness's page shows the text full-screen."""
    app = _testimony(access, application, Stage.TESTIFYING, Stage.CALLED)
    if app.oath_signed_at is None:
        raise errors.conflict(_("The witness has not signed the oath yet."), WitnessErrorCode.OATH)
    app.read_aloud_at = timezone.now()
    app.save(update_fields=["read_aloud_at", "updated_at"])
    _append(app, entries.READ_ALOUD, actor, **_room_payload(app))
    return app


@transaction.atomic
def witness_stop(*, access: CaseAccess, actor, application: WitnessApplication, reason: str, text: str = "",
                 dismiss: bool = False) -> WitnessApplication:
    """Stop the testimony at once on interference: the witness goes back to the lobby (or out for good)."""
    from yunting.core.rooms.services import room_remove, room_send_to_lobby

    app = _testimony(access, application, Stage.TESTIFYING)
    if reason not in StopReason.values:
        raise errors.invalid(_("Choose the reason for stopping the testimony."), field="reason")
    text = _reason(text)
    if reason == StopReason.OTHER and not text:
        raise errors.reason_required(_("Describe what happened."))
    label = STOP_LABELS_ZH[reason]
    participant = _participant(app)
    if dismiss:
        room_remove(app.room, participant, f"停止作证：{label}", actor=actor)
        app.stage = Stage.DISMISSED
    else:
        room_send_to_lobby(room=app.room, participant=participant, actor=actor, reason=f"停止作证：{label}")
        app.stage = Stage.WAITING
    app.testifying_since = app.called_at = None
    app.save(update_fields=["stage", "testifying_since", "called_at", "updated_at"])
    _append(app, entries.STOPPED, actor, reason=str(reason), reason_label=label, text=text,
            outcome="dismissed" if dismiss else "lobby", **_room_payload(app))
    return app


@transaction.atomic
def witness_dismiss(*, access: CaseAccess, actor, application: WitnessApplication) -> WitnessApplication:
    """After testifying, the witness leaves: the seat is removed, the socket closed at once, no way back in."""
    from yunting.core.rooms.services import room_remove

    app = _testimony(access, application, Stage.WAITING, Stage.CALLED, Stage.TESTIFYING)
    room_remove(app.room, _participant(app), DISMISS_REASON, actor=actor)
    app.stage, app.testifying_since = Stage.DISMISSED, None
    app.save(update_fields=["stage", "testifying_since", "updated_at"])
    _append(app, entries.DISMISSED, actor, **_room_payload(app))
    return app


# --- the witness's own acts ----------------------------------------------------------------------------------------
def _oath_template():
    from yunting.kernel.documents.library import COMMON, Slot, SlotKind, Template
    from yunting.kernel.documents.variables import Var, VarType

    return Template("witness_oath", "证人保证书", "other", "witness_oath.html",
                    (*COMMON, Var("witness_name", VarType.TEXT, "证人"), Var("oath_text", VarType.PROSE, "保证内容"),
                     Var("signed_at", VarType.DATETIME, "签署时间"), Var("verification", VarType.TEXT, "身份核验")),
                    (Slot("witness", "证人签名", SlotKind.HANDWRITING, 50, 20),))


def _bad_strokes(message: str = "") -> ValidationFailed:
    return errors.invalid(message or _("The handwritten signature is missing or not a PNG image."), field="strokes")


def _oath_to_sign(participant, *, lock: bool) -> WitnessApplication:
    """The seat's application, called and verified again since the call (or the error saying why not); `lock`:
    its row locked for the signing transaction."""
    rows = WitnessApplication.objects.select_for_update() if lock else WitnessApplication.objects.all()
    app = rows.filter(participant_id=participant.pk).first()
    if app is None:
        raise errors.WitnessNotFound()
    app = WitnessApplication.objects.select_related("case", "case__court", "case__cause").get(pk=app.pk)
    if app.stage != Stage.CALLED:
        raise errors.bad_state(app.stage)
    participant.refresh_from_db()
    if not second_check_done(app, participant):
        raise errors.conflict(_("Verify your identity again first."), WitnessErrorCode.SECOND_CHECK)
    return app


def witness_oath_sign(*, participant, strokes_png: bytes, device: str = "") -> WitnessApplication:
    """The called witness, verified again, signs the oath by hand. The PDF (the platform's signature on the
    witness's behalf) lands in the e-file as the witness's own document — never as one the court issued.

    The strokes go through the checked intake first, outside the signing transaction (a refused drawing stays on
    record as a refused upload, nothing is journaled). The upload is the witness's; a witness without an account
    (an invited outside person) uploads through the seat, so it is recorded under the room's host, who called
    them, with the application as its subject."""
    from yunting.core.efile.intake import strokes_through_intake

    app = _oath_to_sign(participant, lock=False)
    if app.oath_signed_at is not None:
        return app
    uploader = participant.user if participant.user_id else participant.room.host
    strokes = strokes_through_intake(png=strokes_png, user=uploader, purpose="witness_oath",
                                     subject=f"witness:{app.pk}", invalid=_bad_strokes)
    with transaction.atomic():
        app = _oath_to_sign(participant, lock=True)
        if app.oath_signed_at is not None:
            return app
        return _oath_signed(app, participant, strokes, device=device)


def _oath_signed(app: WitnessApplication, participant, strokes, *, device: str) -> WitnessApplication:
    """The oath rendered with the accepted strokes, signed on the witness's behalf and journaled (in the caller's
    transaction, the application's row locked)."""
    from yunting.core.papers.services import cert_for_platform
    from yunting.kernel.blobs.store import blob_put_bytes
    from yunting.kernel.documents.render import render_pdf
    from yunting.kernel.documents.signing import stamps
    from yunting.kernel.documents.signing.sign import SignRequest, pdf_sign

    now = timezone.now()
    case, court = app.case, app.case.court
    try:
        image = stamps.handwriting_stamp(strokes_png=strokes.png, caption=f"{app.witness_name} "
                                         f"{now.astimezone(SHANGHAI):%Y-%m-%d %H:%M} 手写签名")
    except Exception:
        raise _bad_strokes() from None
    rendered = render_pdf(_oath_template(), {
        "court_name": court.name, "case_number": case.number or str(case.pk), "cause": case.cause.name,
        "issue_date": now.astimezone(SHANGHAI).date(), "witness_name": app.witness_name, "oath_text": OATH_TEXT,
        "signed_at": now, "verification": participant.verification_method or "otp"})
    pdf = pdf_sign(rendered.pdf, cert=cert_for_platform(court), request=SignRequest(
        "witness", reason="证人手写签名（平台代为数字签名）", location=court.name, image=image))
    blob = blob_put_bytes(pdf, allowed=PDF)
    # the strokes are the blob the intake accepted
    app.oath_signed_at, app.oath_sha256, app.oath_strokes_sha256 = now, blob.sha256, strokes.sha256
    app.save(update_fields=["oath_signed_at", "oath_sha256", "oath_strokes_sha256", "updated_at"])
    # the witness is the actor when signed in; an invited outside person acts through the seat (no account)
    _append(app, entries.OATH_SIGNED, participant.user, documents=[DocumentInput(
        sha256=blob.sha256, title=f"证人保证书（{app.witness_name}）", kind="other",
        filename=f"证人保证书-{app.witness_name}.pdf", page_count=rendered.pages)],
        strokes_sha256=strokes.sha256, device=(device or "")[:300], signed_by="witness", **_room_payload(app))
    return app
