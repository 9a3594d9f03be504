"""Reads the web pages need beyond the core selectors.

They are small joins for display (whose roles to show, the read log for a court administrator); each could move
into its owning app's selectors module unchanged once that app wants it.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from yunting.core.cases.access import COURT_WIDE_ROLES
from yunting.core.cases.models import Case, CaseType, Participation
from yunting.core.people.choices import Role
from yunting.core.people.models import Membership
from yunting.core.people.selectors import holds, memberships
from yunting.kernel.common.timeutil import SHANGHAI
from yunting.kernel.security.models import ReadLog

from .labels import choice_label


def memberships_of(user) -> list[Membership]:
    return list(memberships(user))


def is_court_admin(user) -> bool:
    return holds(user, [Role.COURT_ADMIN])


def case_roles_for(user, cases: list[Case]) -> dict[int, list[str]]:
    """{case id: the user's role labels in it}; court-wide staff see their standing role where they take no part.
    `cases`: the cases (already loaded, for their court), in the order to list them."""
    roles: dict[int, list[str]] = defaultdict(list)
    ids = [case.pk for case in cases]
    for participation in Participation.objects.filter(user=user, case_id__in=ids).order_by("id"):
        roles[participation.case_id].append(choice_label(participation, "role"))
    wide = [m for m in memberships(user) if m.role in COURT_WIDE_ROLES]
    for case in cases:
        if not roles[case.pk]:
            roles[case.pk] = [choice_label(m, "role") for m in wide if m.organisation_id == case.court_id]
    return roles


def case_filter_choices(cases: QuerySet[Case]) -> tuple[list[CaseType], list[int]]:
    """The case types and years present among the given cases, for the workbench filters."""
    types, years, _total = case_facets(cases)
    return types, years


def case_facets(cases: QuerySet[Case]) -> tuple[list[CaseType], list[int], int]:
    """(the case types present, the years present, how many cases) among the given cases: the workbench's
    filter choices and its unfiltered count from one pass over the visible set (GROUP BY type and year: a judge
    sees thousands of cases, and they fall into a handful of groups), where there were three."""
    groups = list(cases.order_by().values_list("case_type_id", "year").annotate(n=Count("pk")))
    codes = {code for code, _year, _n in groups}
    types = list(CaseType.objects.filter(code__in=codes).order_by("code")) if codes else []
    years = sorted({year for _code, year, _n in groups}, reverse=True)
    return types, years, sum(n for _code, _year, n in groups)


def read_log_for_admin(
    admin, *, username: str = "", case_id: int | None = None, action: str = "",
    date_from: date | None = None, date_to: date | None = None,
) -> QuerySet[ReadLog]:
    """Read-log rows a court administrator may review: reads of their courts' cases and of no case by their staff.

    Dates are calendar days in Asia/Shanghai, both ends included.
    """
    court_ids = Membership.objects.filter(user=admin, role=Role.COURT_ADMIN).values("organisation_id")
    case_ids = Case.objects.filter(court_id__in=court_ids).values("id")
    staff_ids = Membership.objects.filter(organisation_id__in=court_ids).values("user_id")
    qs = ReadLog.objects.filter(Q(case_id__in=case_ids) | Q(case_id__isnull=True, user_id__in=staff_ids))
    if username:
        qs = qs.filter(username__icontains=username.strip())
    if case_id:
        qs = qs.filter(case_id=case_id)
    if action:
        qs = qs.filter(action=action)
    if date_from:
        qs = qs.filter(at__gte=datetime.combine(date_from, time.min, tzinfo=SHANGHAI))
    if date_to:
        qs = qs.filter(at__lt=datetime.combine(date_to + timedelta(days=1), time.min, tzinfo=SHANGHAI))
    return qs.order_by("-at", "-id")


def read_log_actions() -> list[str]:
    return list(ReadLog.objects.order_by("action").values_list("action", flat=True).distinct())


def read_log_describe(rows) -> None:
    """Give each read-log row what a person reads instead of ids: `reader` (the reader's real name), `case_number`,
    and `object_label` — the document's title, or the party whose personal data was read (name masked: the log
    is about who looked, not a second copy of the data). A handful of queries per page, none per row."""
    from yunting.core.efile.models import Document
    from yunting.core.people.models import User
    from yunting.kernel.security.masking import mask_name

    rows = list(rows)
    users = User.objects.in_bulk({r.user_id for r in rows if r.user_id})
    cases = dict(Case.objects.filter(pk__in={r.case_id for r in rows if r.case_id}).values_list("pk", "number"))

    def ids(kind):
        return {int(r.object_id) for r in rows if r.object_type == kind and str(r.object_id).isdigit()}

    documents = dict(Document.objects.filter(pk__in=ids("document")).values_list("pk", "title"))
    from yunting.core.cases.models import Party

    parties = {p.pk: p for p in Party.objects.filter(pk__in=ids("party")).only("pk", "name", "role")}
    for r in rows:
        user = users.get(r.user_id)
        r.reader = user.display_name if user else r.username
        r.case_number = cases.get(r.case_id, "")
        oid = int(r.object_id) if str(r.object_id).isdigit() else None
        if r.object_type == "document" and oid in documents:
            r.object_label = _("Document “%(title)s”") % {"title": documents[oid]}
        elif r.object_type == "party" and oid in parties:
            r.object_label = _("%(role)s %(name)s") % {"role": parties[oid].get_role_display(),
                                                       "name": mask_name(parties[oid].name)}
        elif r.object_type == "case":
            r.object_label = _("The case")
        elif r.object_type == "readlog":
            r.object_label = _("The read log")
        else:
            r.object_label = r.object_type or "—"
