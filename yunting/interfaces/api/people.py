"""The caller, and the read log that court administrators audit."""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext as _
from ninja import Query, Router

from yunting.core.people.choices import Role
from yunting.kernel.common.errors import PermissionDenied

from .auth import API_AUTH, caller
from .pagination import page_param, page_size_param, paginate
from .schemas import ErrorOut, MeOut, ReadLogPageOut
from .selectors import is_court_admin, memberships_of, readlog_for_admin

router = Router(auth=API_AUTH, tags=["people"])


@router.get("/me", response=MeOut, url_name="me", summary="The caller")
def me(request):
    user = caller(request)
    memberships = [
        {
            "organisation_id": m.organisation_id,
            "organisation": m.organisation.name,
            "organisation_kind": m.organisation.kind,
            "court_code": m.organisation.court_code,
            "role": m.role,
            "role_label": str(Role(m.role).label) if m.role in Role.values else m.role,
        }
        for m in memberships_of(user)
    ]
    return {
        "id": user.pk,
        "username": user.username,
        "real_name": user.real_name,
        "display_name": user.display_name,
        "auth": "token" if getattr(request, "api_token", None) else "session",
        "memberships": memberships,
        "roles": sorted({m["role"] for m in memberships}),
        "is_court_admin": any(m["role"] == Role.COURT_ADMIN and m["organisation_kind"] == "court" for m in memberships),
    }


@router.get("/readlog", response={200: ReadLogPageOut, 403: ErrorOut}, url_name="readlog",
            summary="Who read what (court administrators only)", tags=["audit"])
def readlog(
    request,
    username: str = Query("", description="Reader's username."),
    case_id: int | None = Query(None, description="Case read."),
    action: str = Query("", description="e.g. case.view, document.view."),
    since: datetime | None = Query(None, description="From this time (inclusive, ISO 8601)."),  # noqa: B008
    until: datetime | None = Query(None, description="Before this time (exclusive, ISO 8601)."),  # noqa: B008
    page: int = page_param(),
    page_size: int = page_size_param(),
):
    user = caller(request)
    if not is_court_admin(user):
        raise PermissionDenied(_("Only a court administrator can see the reading log."), code="readlog_forbidden")
    qs = readlog_for_admin(user, username=username, case_id=case_id, action=action, since=since, until=until)
    return paginate(qs, page=page, page_size=page_size)
