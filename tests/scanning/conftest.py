import pytest


@pytest.fixture
def scanner(users):
    """The court's scanning staff member of the demo cast (a station login)."""
    return users["scanner"]


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
