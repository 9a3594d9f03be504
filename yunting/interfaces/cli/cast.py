"""The named demo cast: one user per role, used by `yunting demo` and by the tests."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from yunting.core.people.choices import CourtLevel, OrganisationKind, Role
from yunting.core.people.models import Membership, Organisation, User
from yunting.core.people.services import user_set_id_number

COURT = ("深圳市宝安区人民法院", "粤0306")

ORGS = {
    "court": (OrganisationKind.COURT, COURT[0]),
    "bank": (OrganisationKind.BANK, "深圳市宝安农商银行"),
    "prison": (OrganisationKind.PRISON, "广东省深圳监狱"),
    "procuratorate": (OrganisationKind.PROCURATORATE, "深圳市宝安区人民检察院"),
    "appraisal": (OrganisationKind.APPRAISAL, "广东南天司法鉴定所"),
    "mediation": (OrganisationKind.MEDIATION, "宝安区人民调解委员会"),
    "service_point": (OrganisationKind.SERVICE_POINT, "西乡街道共享法庭"),
    "law_firm": (OrganisationKind.LAW_FIRM, "广东宝城律师事务所"),
}


@dataclass(frozen=True)
class Member:
    username: str
    real_name: str
    org: str
    role: str
    id_number: str
    phone: str


CAST = [
    Member("judge", "王立明", "court", Role.JUDGE, "440306198001011239", "13800138001"),
    Member("assistant", "陈思远", "court", Role.JUDGE_ASSISTANT, "44030619900215123X", "13800138002"),
    Member("clerk", "刘晓燕", "court", Role.CLERK, "440306199203031226", "13800138003"),
    Member("filing_officer", "赵文静", "court", Role.FILING_OFFICER, "440306198807071228", "13800138004"),
    Member("service_officer", "孙浩然", "court", Role.SERVICE_OFFICER, "440306199109091234", "13800138005"),
    Member("archivist", "周雅琴", "court", Role.ARCHIVIST, "440306197612121222", "13800138006"),
    Member("scanner", "钱思敏", "court", Role.SCANNER, "440306199406061221", "13800138016"),
    Member("court_admin", "吴国栋", "court", Role.COURT_ADMIN, "440306197505051238", "13800138007"),
    Member("plaintiff", "张伟", "", Role.PARTY, "11010519491231002X", "13912345678"),
    Member("defendant", "李娜", "", Role.PARTY, "360426199101010071", "13987654321"),
    Member("lawyer", "黄志强", "law_firm", Role.LAWYER, "440306198203031235", "13800138010"),
    Member("mediator", "郑秀兰", "mediation", Role.MEDIATOR, "440306196808081223", "13800138011"),
    Member("prison_officer", "何建军", "prison", Role.PRISON_OFFICER, "440306197911111235", "13800138012"),
    Member("procurator", "林静怡", "procuratorate", Role.PROCURATOR, "440306198506061228", "13800138013"),
    Member("appraiser", "马俊杰", "appraisal", Role.APPRAISER, "440306198710101237", "13800138014"),
    Member("point_staff", "罗美华", "service_point", Role.SERVICE_POINT_STAFF, "440306199012121220", "13800138015"),
    Member("coordinator", "洪丽娟", "court", Role.COORDINATOR, "440306198404041221", "13800138016"),
]


def _fix_check(number: str) -> str:
    """Demo ID numbers are made up: give each its correct GB 11643 check character."""
    from yunting.kernel.security.identifiers import ric_check_char

    return number[:17] + ric_check_char(number[:17])


def reference_data_ensure() -> None:
    """Case types, causes and catalogues, as the migrations seed them (tests that flush tables need them back)."""
    from yunting.core.cases.casetypes import CASE_TYPES, CAUSES
    from yunting.core.cases.models import CaseType, Cause
    from yunting.core.efile.catalog import CATALOG_BY_CATEGORY
    from yunting.core.efile.models import CatalogSection

    for code, name, category, procedure, std in CASE_TYPES:
        case_type, _ = CaseType.objects.get_or_create(
            code=code, defaults={"name": name, "category": category, "default_procedure": procedure, "standard_code": std}
        )
        for volume, sec_code, title, kinds in CATALOG_BY_CATEGORY[category]:
            CatalogSection.objects.get_or_create(
                case_type=case_type, code=sec_code, defaults={"volume": volume, "title": title, "document_kinds": kinds}
            )
    for code, name, category in CAUSES:
        Cause.objects.get_or_create(code=code, defaults={"name": name, "category": category})
    if not Cause.objects.filter(level__gt=0, parent__isnull=False).exists():  # flushed: the official list back
        from yunting.core.cases.causes import causes_load

        causes_load(Cause)


@transaction.atomic
def cast_ensure(*, password: str) -> tuple[dict[str, Organisation], dict[str, User]]:
    """Create (or find) the organisations and the cast. Idempotent; resets nothing that exists."""
    reference_data_ensure()
    orgs: dict[str, Organisation] = {}
    for key, (kind, name) in ORGS.items():
        defaults = {"kind": kind}
        if kind == OrganisationKind.COURT:
            defaults |= {"court_code": COURT[1], "level": CourtLevel.BASIC}
        orgs[key], _ = Organisation.objects.get_or_create(name=name, defaults=defaults)
    orgs["service_point"].parent = orgs["court"]
    orgs["service_point"].save(update_fields=["parent"])
    users: dict[str, User] = {}
    for m in CAST:
        user = User.objects.filter(username=m.username).first()
        if user is None:
            user = User(username=m.username, real_name=m.real_name, phone=m.phone)
            user.set_password(password)
            user.save()
            user_set_id_number(user=user, id_number=_fix_check(m.id_number))
        if m.org:
            Membership.objects.get_or_create(user=user, organisation=orgs[m.org], role=m.role)
        users[m.username] = user
    return orgs, users
