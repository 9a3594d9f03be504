"""Who may do what with fees. Seeing a case's fees follows the case (cases.access); acting needs a role:

- recording payments, importing bank statements, paying refunds out: the court's filing officers and court
  administrators (立案庭 handles fees);
- deciding relief (缓减免): those, or the case's judge / presiding judge;
- paying online and applying for relief: the parties and their lawyers on the case.
"""

from __future__ import annotations

from yunting.core.cases.access import roles_in_case
from yunting.core.cases.choices import CaseRole
from yunting.core.people.choices import Role
from yunting.core.people.selectors import organisations_with

PAYMENT_ROLES = (Role.FILING_OFFICER, Role.COURT_ADMIN)
JUDGE_ROLES = (CaseRole.JUDGE, CaseRole.PRESIDING_JUDGE)
PAYER_ROLES = (CaseRole.PARTY, CaseRole.LAWYER)


def _authenticated(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def payment_courts(user) -> list[int]:
    """The courts whose fee account this user keeps (may import statements, record payments, pay refunds)."""
    if not _authenticated(user):
        return []
    return organisations_with(user, PAYMENT_ROLES)


def handles_payments(user, court_id: int) -> bool:
    return court_id in payment_courts(user)


def case_roles(user, case_id: int) -> set[str]:
    if not _authenticated(user):
        return set()
    return set(roles_in_case(user, case_id))


def decides_relief(user, case) -> bool:
    return handles_payments(user, case.court_id) or bool(case_roles(user, case.pk) & set(JUDGE_ROLES))


def pays_for(user, case) -> bool:
    return bool(case_roles(user, case.pk) & set(PAYER_ROLES))
