"""
ApplicationError
└── CaseNotFound (404): no such case, or not one the caller takes part in — indistinguishable on purpose
"""

from django.utils.translation import gettext as _

from yunting.kernel.common.errors import NotFound


class CaseNotFound(NotFound):
    default_code = "case_not_found"

    def __init__(self):
        super().__init__(_("The case does not exist or you may not see it."), code=self.default_code)


class DocumentNotFound(NotFound):
    default_code = "document_not_found"

    def __init__(self):
        super().__init__(_("The document does not exist or you may not see it."), code=self.default_code)
