"""Archive errors: stable codes, messages in the user's language.

ApplicationError
└── ArchiveError            archive_not_closed, archive_done, archive_originals, archive_retention,
                            archive_security, transfer_package, transfer_unverified, transfer_key,
                            transfer_delivery, transfer_status
"""

from yunting.kernel.common.errors import ApplicationError


class ArchiveError(ApplicationError):
    http_status = 400
    default_code = "archive_error"
