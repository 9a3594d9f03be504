"""Errors of court papers.

ApplicationError
├── NotFound: PaperNotFound (also "not yours")
├── PermissionDenied: no seal authority; not a party to hand-sign
└── Conflict: wrong stage (not a draft, already sealed), signing out of order
"""

from yunting.kernel.common.errors import NotFound


class PaperNotFound(NotFound):
    default_code = "paper_not_found"

    def __init__(self):
        super().__init__("文书不存在")
