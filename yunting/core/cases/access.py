"""The one place that decides who may see and do what on a case.

A person reaches a case through a Participation (their role in that case). Court-wide roles (court admin,
filing officer, archivist) also reach every non-secret case of their own court. Anything else — including a
case that does not exist — is CaseNotFound, so existence never leaks.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet

from yunting.core.people.choices import Role
from yunting.core.people.selectors import memberships
from yunting.kernel.common.memo import memoised

from .choices import COURT_CASE_ROLES, CaseRole, SecurityLevel
from .errors import CaseNotFound, DocumentNotFound
from .models import Case, Participation

COURT_WIDE_ROLES = (Role.COURT_ADMIN, Role.FILING_OFFICER, Role.ARCHIVIST)


class Capability(StrEnum):
    VIEW_CASE = "view_case"
    VIEW_EFILE = "view_efile"  # the main volume (正卷)
    VIEW_SECONDARY = "view_secondary"  # the secondary volume (副卷): court staff only, never given out
    VIEW_PERSONAL_DATA = "view_personal_data"  # unmasked ID numbers and phones of parties
    WRITE_JOURNAL = "write_journal"
    SUBMIT_DOCUMENTS = "submit_documents"  # file material into the e-file (parties: main volume only)


COURT_CAPABILITIES = frozenset(Capability)
OUTSIDE_CAPABILITIES = frozenset({Capability.VIEW_CASE, Capability.VIEW_EFILE, Capability.SUBMIT_DOCUMENTS})


@dataclass(frozen=True)
class CaseAccess:
    case: Case
    roles: frozenset[str]
    capabilities: frozenset[Capability]

    def can(self, capability: Capability) -> bool:
        return capability in self.capabilities

    # What the case pages offer this caller, derived from the capabilities so that a tab or a badge is shown
    # exactly to those whose request for it would succeed.
    @property
    def can_view_efile(self) -> bool:
        return self.can(Capability.VIEW_EFILE)

    @property
    def can_work_papers(self) -> bool:
        """诉讼文书 (drafting, signing, sealing court papers) is court work: WRITE_JOURNAL."""
        return self.can(Capability.WRITE_JOURNAL)

    @property
    def sees_internal_marks(self) -> bool:
        """The case's security level (密级) is the court's internal handling mark, not for outside roles."""
        return self.can(Capability.VIEW_SECONDARY)


_scopes: list = []
_resolved_scopes: list = []


def register_scope(scope, *, resolve=None, only_for_roles: tuple[str, ...] = ()) -> None:
    """`scope(user) -> Q | None` over Case: more cases a court post reaches (a division head's division).

    `resolve(user) -> list[tuple[Q, bool]]`, when given, is the same reach with its lookups done now (literal
    ids, one Q per path the user's posts open, each marked True when it reaches a whole court): lists use it,
    so the planner sees how many cases each path reaches. `only_for_roles`: membership roles without which the
    scope reaches nothing (resolve is then not even called)."""
    if scope not in _scopes:
        _scopes.append(scope)
        _resolved_scopes.append((scope, resolve, frozenset(only_for_roles)))


def _scope_q(user, held=None) -> Q | None:
    roles = {m.role for m in (memberships(user) if held is None else held)}
    qs = [q for q in (scope(user) for scope, _resolve, only_for in _resolved_scopes if not only_for or roles & only_for)
          if q is not None]
    if not qs:
        return None
    out = qs[0]
    for q in qs[1:]:
        out |= q
    return out & ~Q(security_level=SecurityLevel.SECRET)


def cases_visible_to(user) -> QuerySet[Case]:
    """The cases `user` may see, for lists and counts: the same reach as access_case_for.

    The user's posts are looked up first (one query, two for a judge), so only the paths they open go into the
    query, with literal ids. Someone who takes part in cases, or heads a division, gets a UNION of indexed id
    sets: their thousands of cases out of a court's hundred thousand, without scanning the court (an OR across
    the paths did). Someone whose post reaches a whole court (court-wide roles, a president) sees most of it:
    for them one OR filter, which PostgreSQL answers by walking the court's cases in list order and stopping at
    the page, where a UNION would first hash every id of the court."""
    if not getattr(user, "is_authenticated", False):
        return Case.objects.none()
    takes_part = Participation.objects.filter(user=user).values("case_id").order_by()
    paths = _reach(user)
    if any(whole_court for _q, whole_court in paths):
        q = Q(pk__in=takes_part)
        for path, _whole_court in paths:
            q |= path
        return Case.objects.filter(q)
    if not paths:
        return Case.objects.filter(pk__in=takes_part)
    ids = takes_part.union(*(Case.objects.order_by().filter(path).values("pk") for path, _ in paths))
    return Case.objects.filter(pk__in=ids)


def _reach(user) -> list[tuple[Q, bool]]:
    """The paths beyond taking part that the user's posts open, secret cases left out: (Q, whole court?)."""
    held = [(m.organisation_id, m.role) for m in memberships(user)]
    roles = {role for _org, role in held}
    paths = []
    courts = sorted({org for org, role in held if role in COURT_WIDE_ROLES})
    if courts:
        paths.append((Q(court_id__in=courts), True))
    for scope, resolve, only_for in _resolved_scopes:
        if only_for and not roles & only_for:
            continue
        if resolve is not None:
            paths += resolve(user)
        elif (q := scope(user)) is not None:
            paths.append((q, True))  # unknown reach: planned as if it were a whole court
    return [(q & ~Q(security_level=SecurityLevel.SECRET), whole_court) for q, whole_court in paths]


def cases_court_side_for(user) -> QuerySet[Case]:
    """The cases in which the user holds the court's capabilities (副卷 included): court-wide roles, a court role
    in the case, a division head's reach. The same rule as `access_case_for`, as one query for lists (search)."""
    if not getattr(user, "is_authenticated", False):
        return Case.objects.none()
    q = Q(pk__in=Participation.objects.filter(user=user, role__in=COURT_CASE_ROLES).values("case_id").order_by())
    for path, _whole_court in _reach(user):
        q |= path
    return Case.objects.filter(q)


MAX_ID = 2**63 - 1


def _case_pk(case_id) -> int:
    """The id as a database key; 0 (which no row has) for anything that is not one — text, a negative number,
    or a number too large for a 64-bit column — so every such request takes the same path as a missing case."""
    try:
        pk = int(case_id)
    except (ValueError, TypeError):
        return 0
    return pk if 0 < pk <= MAX_ID else 0


def access_case_for(user, case_id, *, need: Capability = Capability.VIEW_CASE) -> CaseAccess:
    if not getattr(user, "is_authenticated", False):
        raise CaseNotFound()
    pk = _case_pk(case_id)
    # The page's panels ask again for the same case: within a read request the first answer is kept (memo).
    case, roles, court_wide = memoised(("cases.access", user.pk, pk), lambda: _reach_case(user, pk))
    if case is None or (not roles and not court_wide):
        raise CaseNotFound()
    court_role = court_wide or bool(roles & COURT_CASE_ROLES)
    capabilities = COURT_CAPABILITIES if court_role else OUTSIDE_CAPABILITIES
    if need not in capabilities:
        raise CaseNotFound()
    return CaseAccess(case=case, roles=roles, capabilities=capabilities)


def roles_in_case(user, case_id) -> frozenset[str]:
    """The user's roles in the case (their participations), once per read request (memo)."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    pk = _case_pk(case_id)
    return memoised(("cases.roles", user.pk, pk), lambda: frozenset(
        Participation.objects.filter(case_id=pk, user_id=user.pk).values_list("role", flat=True)))


def _reach_case(user, pk: int) -> tuple[Case | None, frozenset[str], bool]:
    """(the case or None, the user's roles in it, whether a court-wide post or a scope reaches it)."""
    # The same queries whether the case is missing or merely not the caller's: "does not exist" and
    # "exists but not yours" must not be told apart by how long the answer takes.
    held = memberships(user)
    scope = _scope_q(user, held)
    cases = Case.objects.select_related("court", "case_type", "cause").filter(pk=pk)
    if scope is not None:  # in the same query: a division head's reach costs no extra round trip
        cases = cases.annotate(_in_scope=ExpressionWrapper(scope, output_field=BooleanField()))
    case = cases.first()
    roles = roles_in_case(user, pk)
    court_id = case.court_id if case else 0
    in_court = any(m.organisation_id == court_id and m.role in COURT_WIDE_ROLES for m in held)
    in_scope = bool(getattr(case, "_in_scope", False))
    if case is None:
        return None, roles, False
    return case, roles, case.security_level != SecurityLevel.SECRET and (in_court or in_scope)


def access_document_for(user, document_id):
    """The document and the caller's access to its case; 副卷 documents need VIEW_SECONDARY."""
    from yunting.core.efile.models import Document

    document = Document.objects.select_related("section", "blob").filter(pk=_case_pk(document_id)).first()
    need = Capability.VIEW_SECONDARY if document and document.section.volume == "secondary" else Capability.VIEW_EFILE
    try:  # also for a missing document, so both answers cost the same queries
        access = access_case_for(user, document.case_id if document else 0, need=need)
    except CaseNotFound:
        raise DocumentNotFound() from None
    if document is None:
        raise DocumentNotFound()
    return document, access


def role_label(role: str) -> str:
    return CaseRole(role).label if role in CaseRole.values else role
