"""Reads the mediation pages need beyond the core selectors: who the viewer is on the network, the rows of the
lists (search, state filter; paginated by the caller), one dispute's page as its viewer may see it, the
coordinator's queue with suggestions, the judge's confirmation queue and the mediator table of the dashboard.

Access always starts from `selectors.disputes_visible_to` (parties, mediator, coordinators); anything else is 404."""

from __future__ import annotations

from django.db.models import F, Q
from django.urls import reverse

from yunting.core.cases.models import Participation, Party
from yunting.core.people.choices import Role
from yunting.core.people.models import Membership, Organisation
from yunting.kernel.common.timeutil import shanghai_today

from . import selectors
from .models import Assignment, Confirmation, Dispute, DisputeState, DisputeType, Mediator

STATE_LABELS = list(DisputeState.choices)
DISPUTE_TYPES = list(DisputeType.choices)


def coordinator_court(user):
    """The court whose network the user coordinates (None: not a coordinator)."""
    courts = selectors.coordinator_courts(user)
    return Organisation.objects.filter(pk=courts[0]).first() if courts else None


def dashboard_court(user):
    """The court whose dashboard the user may read: a coordinator's, or a judge's of that court."""
    court = coordinator_court(user)
    if court is not None:
        return court
    m = (Membership.objects.filter(user=user, role=Role.JUDGE).select_related("organisation").first()
         if getattr(user, "is_authenticated", False) else None)
    return m.organisation if m else None


def roles_of(user) -> dict:
    """What the user is on the network (several can be true)."""
    return {
        "coordinator": coordinator_court(user) is not None,
        "mediator": Mediator.objects.filter(user=user).exists(),
        "judge": Membership.objects.filter(user=user, role=Role.JUDGE).exists(),
        "dashboard": dashboard_court(user) is not None,
    }


def dispute_for(user, dispute_id) -> Dispute | None:
    """The dispute when the user may see it; None alike for "no such dispute" and "not yours"."""
    try:
        pk = int(dispute_id)
    except (TypeError, ValueError):
        return None
    return (selectors.disputes_visible_to(user).filter(pk=pk)
            .select_related("case", "case__court", "case__cause", "cause", "mediator__user",
                            "mediator__organisation__organisation", "organisation__organisation").first())


def _search(rows, q: str):
    if not q:
        return rows
    return rows.filter(Q(case__number__icontains=q) | Q(cause__name__icontains=q) | Q(locality__icontains=q)
                       | Q(case__parties__name__icontains=q)).distinct()


def dispute_rows(user, *, state: str | None = None, q: str = ""):
    rows = selectors.disputes_visible_to(user, state=state).select_related(
        "case", "cause", "mediator__user", "organisation__organisation")
    return _search(rows, q).order_by("-created_at", "-id")


def queue_rows(user, *, q: str = ""):
    """New disputes of the coordinator's court, the longest waiting first (overdue limits on top)."""
    court = coordinator_court(user)
    if court is None:
        return Dispute.objects.none()
    rows = (Dispute.objects.filter(court=court, state=DisputeState.NEW)
            .select_related("case", "cause").prefetch_related("picks__mediator__user", "assignments"))
    return _search(rows, q).order_by("assign_due", "id")


def suggestion_rows(dispute, limit: int = 5, candidates=None) -> list[dict]:
    return [x.as_dict() for x in selectors.triage_suggestions(dispute, limit=limit, candidates=candidates)]


def attach_suggestions(disputes) -> None:
    """Each queue row gets its top suggestions, the parties' joint pick and whether the limit has passed."""
    today = shanghai_today()
    rosters: dict[int, list] = {}  # the roster read once per court for the whole page
    for d in disputes:
        if d.court_id not in rosters:
            rosters[d.court_id] = selectors.triage_candidates(d.court_id)
        d.suggested = suggestion_rows(d, limit=3, candidates=rosters[d.court_id])
        d.overdue = bool(d.assign_due and d.assign_due < today)
        picks = list(d.picks.all())
        d.picks_shown = [{"party_id": p.party_id, "mediator": p.mediator} for p in picks]
        d.joint_pick = picks[0].mediator if picks and len({p.mediator_id for p in picks}) == 1 and len(picks) > 1 \
            else None
        d.declined = [a for a in d.assignments.all() if a.status == Assignment.Status.DECLINED]


def mediator_get(mediator_id) -> Mediator | None:
    try:
        return Mediator.objects.select_related("user").get(pk=int(mediator_id))
    except (TypeError, ValueError, Mediator.DoesNotExist):
        return None


def open_assignment(dispute, user) -> Assignment | None:
    """The request awaiting this mediator's answer on the dispute, if any."""
    pending = selectors.pending_assignment(dispute)
    return pending if pending is not None and pending.mediator.user_id == user.pk else None


def room_url(dispute) -> str | None:
    dispute.refresh_from_db(fields=["room_id"])
    return reverse("rooms:room", args=[dispute.room_id]) if dispute.room_id else None


def document_id_of(case_id, sha256) -> int | None:
    """The e-file document holding these bytes (the agreement as it now stands), for the viewer link."""
    from yunting.core.efile.models import Document

    if not sha256:
        return None
    return Document.objects.filter(case_id=case_id, blob_id=sha256).values_list("pk", flat=True).first()


def dispute_context(dispute, user) -> dict:
    """Everything the dispute page shows, cut to what this viewer may see: personal data masked except the
    viewer's own; thread items by their visibility; action flags by role and state."""
    parties = list(Party.objects.filter(case_id=dispute.case_id).order_by("order", "id"))
    my_parties = set(Participation.objects.filter(case_id=dispute.case_id, user=user, party__isnull=False)
                     .values_list("party_id", flat=True))
    is_mediator = dispute.mediator_id is not None and dispute.mediator.user_id == user.pk
    me = {**roles_of(user), "party": bool(my_parties), "the_mediator": is_mediator, "party_ids": my_parties,
          "coordinator": dispute.court_id in selectors.coordinator_courts(user)}
    agreement = selectors.current_agreement(dispute)
    if agreement is not None:
        signatures = {s.slot: s for s in agreement.signatures.all()}
        agreement.slot_rows = [{**slot, "signed": slot["name"] in (agreement.signed_slots or []),
                                "mine": slot["party_id"] in my_parties if slot["party_id"] else is_mediator,
                                "at": getattr(signatures.get(slot["name"]), "signed_at", None)}
                               for slot in agreement.slots or []]
        agreement.to_sign = any(r["mine"] and not r["signed"] for r in agreement.slot_rows)
        agreement.document_id = document_id_of(dispute.case_id, agreement.pdf_sha256)
        agreement.terms_text = "\n".join(str(t) for t in agreement.terms or [])
    pending = selectors.pending_assignment(dispute)
    return {
        "dispute": dispute, "case": dispute.case, "who": me, "parties": parties, "claims": dispute.claims or [],
        "unlinked": [p for p in parties if p.user_id is None],
        "agreement": agreement, "items": list(selectors.mediation_items(dispute, user)),
        "limits": selectors.limits_of(dispute), "pending": pending,
        "my_assignment": pending if pending is not None and pending.mediator.user_id == user.pk else None,
        "confirmation": Confirmation.objects.filter(dispute=dispute).select_related("case").first(),
        "picks": list(dispute.picks.select_related("mediator__user", "party")),
        "mediators": (list(selectors.roster(dispute.court)[:100])
                      if my_parties and dispute.state == DisputeState.NEW else []),
        "visibility_choices": _visibility_choices(parties, my_parties, is_mediator),
    }


def _visibility_choices(parties, my_parties, is_mediator) -> list[tuple[str, str]]:
    """Who a post can be for: the mediator writes to both sides or one (a caucus in writing); a party to both
    sides or to the mediator only."""
    if is_mediator:
        return [("all", "")] + [(f"party:{p.pk}", p.name) for p in parties]
    return [("all", ""), ("mediator", "")] if my_parties else []


def confirmation_rows(user, *, q: str = ""):
    """Judicial-confirmation (民特) applications of the courts the user judges in: undecided first, the nearest
    decision limit first."""
    courts = (Membership.objects.filter(user=user, role=Role.JUDGE).values("organisation_id")
              if getattr(user, "is_authenticated", False) else [])
    rows = Confirmation.objects.filter(case__court_id__in=courts).select_related("case", "dispute__case", "agreement")
    if q:
        rows = rows.filter(Q(case__number__icontains=q) | Q(dispute__case__number__icontains=q)
                           | Q(case__parties__name__icontains=q)).distinct()
    return rows.order_by(F("decided_at").desc(nulls_first=True), "decide_due", "id")


def confirmation_case_for(user, case_id):
    """The 民特 case when the user judges in its court; None alike for missing and not theirs."""
    try:
        pk = int(case_id)
    except (TypeError, ValueError):
        return None
    row = confirmation_rows(user).filter(case_id=pk).first()
    return row.case if row else None


def mediator_rows(data: dict, *, q: str = "") -> list[dict]:
    """The dashboard's mediator table, searched by name or organisation."""
    rows = list(data.get("mediators") or [])
    if q:
        rows = [r for r in rows if q in str(r.get("name", "")) or q in str(r.get("organisation", ""))]
    return rows


def dashboard_filters(params) -> tuple[dict, list[str]]:
    """The dashboard's filters from the query string, and what was wrong with any (that filter is then off)."""
    from datetime import date

    from django.utils.translation import gettext as _

    filters, problems = {}, []
    for key in ("date_from", "date_to"):
        value = (params.get(key) or "").strip()
        if not value:
            continue
        try:
            filters[key] = date.fromisoformat(value)
        except ValueError:
            problems.append(_("“%(value)s” is not a date such as 2026-03-01.") % {"value": value})
    dispute_type = (params.get("dispute_type") or "").strip()
    if dispute_type in DisputeType.values:
        filters["dispute_type"] = dispute_type
    elif dispute_type:
        problems.append(_("Unknown type of dispute."))
    locality = (params.get("locality") or "").strip()
    if locality:
        filters["locality"] = locality
    return filters, problems


def party_and_account(dispute, party_id, username: str):
    """The dispute's party and the account named, for linking; a clear error when either is not found."""
    from django.utils.translation import gettext as _

    from yunting.core.people.models import User
    from yunting.kernel.common.errors import ValidationFailed

    try:
        party = Party.objects.get(case_id=dispute.case_id, pk=int(party_id))
    except (TypeError, ValueError, Party.DoesNotExist):
        raise ValidationFailed(_("Choose a party of this dispute."), code="mediation_invalid") from None
    user = User.objects.filter(username=(username or "").strip(), is_active=True).first()
    if user is None:
        raise ValidationFailed(_("There is no account with the user name “%(name)s”.") % {"name": username},
                               code="mediation_invalid")
    return party, user
