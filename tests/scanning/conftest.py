import pytest


@pytest.fixture
def scanner(users, court):
    """The court's scanning staff member (a station login)."""
    from yunting.core.people.choices import Role
    from yunting.core.people.models import Membership, User

    user, _ = User.objects.get_or_create(username="scanner_t", defaults={"real_name": "钱思敏"})
    Membership.objects.get_or_create(user=user, organisation=court, role=Role.SCANNER)
    return user


@pytest.fixture
def clerk_access(users):
    from yunting.core.cases.access import Capability, access_case_for

    return lambda case: access_case_for(users["clerk"], case.pk, need=Capability.WRITE_JOURNAL)


@pytest.fixture
def cover(users, clerk_access):
    """cover(case, kind="", title="", pages=None) → (sheet, its PDF rendered as the scanner sees it)."""
    from yunting.workflows.scanning.selectors import cover_sheet_pdf
    from yunting.workflows.scanning.services import cover_sheet_create

    from .samples import rendered

    def make(case, kind="", title="", pages=None):
        sheet = cover_sheet_create(access=clerk_access(case), actor=users["clerk"], kind=kind, title=title,
                                   declared_pages=pages)
        return sheet, rendered(cover_sheet_pdf(sheet))

    return make
