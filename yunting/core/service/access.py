"""Who may see and work a service task. Court staff of the case and the court's service officers work it; a
party or lawyer sees only the tasks served on their own party; for anyone else a task does not exist (404)."""

from __future__ import annotations

from dataclasses import dataclass

from yunting.core.cases.access import Capability, access_case_for
from yunting.core.cases.choices import CaseRole, SecurityLevel
from yunting.core.cases.errors import CaseNotFound
from yunting.core.cases.models import Participation
from yunting.core.people.choices import Role
from yunting.core.people.selectors import holds, organisations_with

from .errors import ServiceTaskNotFound
from .models import ServiceTask

MAX_ID = 2**63 - 1


def is_service_officer(user, court_id: int) -> bool:
    """送达专员 of the court: works every non-secret case's service there without taking part in the case."""
    if not getattr(user, "is_authenticated", False):
        return False
    return court_id is not None and holds(user, [Role.SERVICE_OFFICER], organisation_id=court_id)


def officer_courts(user) -> list[int]:
    if not getattr(user, "is_authenticated", False):
        return []
    return organisations_with(user, [Role.SERVICE_OFFICER])


@dataclass(frozen=True)
class TaskAccess:
    task: ServiceTask
    works: bool  # court staff of the case or a service officer of its court: may record attempts, dispatch
    officer: bool  # reached as the court's service officer (sees what the task needs, no merits)
    recipient_side: bool  # the recipient party or their lawyer


def _pk(value) -> int:
    try:
        pk = int(value)
    except (TypeError, ValueError):
        return 0
    return pk if 0 < pk <= MAX_ID else 0


def case_staff(user, case_id: int) -> bool:
    try:
        return access_case_for(user, case_id, need=Capability.WRITE_JOURNAL) is not None
    except CaseNotFound:
        return False


def access_task_for(user, task_id, *, work: bool = False) -> TaskAccess:
    """The task if `user` may see it (`work=True`: may work it); ServiceTaskNotFound otherwise, also for a task
    that does not exist."""
    if not getattr(user, "is_authenticated", False):
        raise ServiceTaskNotFound()
    task = (ServiceTask.objects.select_related("case", "case__court", "recipient")
            .filter(pk=_pk(task_id)).first())
    if task is None:
        raise ServiceTaskNotFound()
    officer = task.case.security_level != SecurityLevel.SECRET and is_service_officer(user, task.court_id)
    staff = case_staff(user, task.case_id)
    own = Participation.objects.filter(case_id=task.case_id, user=user, party_id=task.recipient_id,
                                       role__in=(CaseRole.PARTY, CaseRole.LAWYER)).exists()
    own = own or task.recipient.user_id == user.pk
    if not (officer or staff or own):
        raise ServiceTaskNotFound()
    if work and not (officer or staff):
        raise ServiceTaskNotFound()
    return TaskAccess(task=task, works=officer or staff, officer=officer and not staff, recipient_side=own)


def access_case_service_for(user, case_id, *, work: bool = False):
    """The case (for its service status or a new request): court staff of the case, the court's service officers
    (work), or its participants (read: they then see only their own tasks). CaseNotFound otherwise."""
    from yunting.core.cases.models import Case

    try:
        access = access_case_for(user, case_id, need=Capability.WRITE_JOURNAL if work else Capability.VIEW_CASE)
        return access.case, True if work else access.can(Capability.WRITE_JOURNAL)
    except CaseNotFound:
        case = Case.objects.select_related("court").filter(pk=_pk(case_id)).first()
        if case is None or case.security_level == SecurityLevel.SECRET or not is_service_officer(user, case.court_id):
            raise
        return case, True
