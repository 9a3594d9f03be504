"""
ApplicationError
└── CaseNotFound (404): no such case, or not one the caller takes part in — indistinguishable on purpose
"""

from yunting.kernel.common.errors import NotFound


class CaseNotFound(NotFound):
    default_code = "case_not_found"

    def __init__(self):
        super().__init__("案件不存在或您无权查看", code=self.default_code)


class DocumentNotFound(NotFound):
    default_code = "document_not_found"

    def __init__(self):
        super().__init__("文件不存在或您无权查看", code=self.default_code)
