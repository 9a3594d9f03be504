"""Service errors: stable codes, messages in English for gettext (Chinese in the .po file).

ApplicationError
├── NotFound            service_task_not_found, service_link_not_found
├── PermissionDenied    service_not_allowed
├── ValidationFailed    service_channel, service_outcome, service_no_consent, service_documents,
│                       service_recipients, service_when, service_code, service_consent_form, service_contact
└── Conflict            service_task_closed, service_attempt_immutable, service_link_used, service_link_locked
"""

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from yunting.kernel.common.errors import NotFound


class ServiceErrorCode(StrEnum):
    TASK_NOT_FOUND = "service_task_not_found"
    LINK_NOT_FOUND = "service_link_not_found"
    NOT_ALLOWED = "service_not_allowed"
    CHANNEL = "service_channel"
    OUTCOME = "service_outcome"
    NO_CONSENT = "service_no_consent"
    DOCUMENTS = "service_documents"
    RECIPIENTS = "service_recipients"
    WHEN = "service_when"
    CODE = "service_code"
    CONSENT_FORM = "service_consent_form"
    CONTACT = "service_contact"
    TASK_CLOSED = "service_task_closed"
    ATTEMPT_IMMUTABLE = "service_attempt_immutable"
    LINK_USED = "service_link_used"
    LINK_LOCKED = "service_link_locked"


class ServiceTaskNotFound(NotFound):
    """Also what a task of a case the caller may not see looks like: never 403."""

    def __init__(self):
        super().__init__(_("Service task not found."), code=ServiceErrorCode.TASK_NOT_FOUND)


class AttemptImmutable(Exception):
    """A service attempt is a record of fact: it is never changed or deleted (also refused by the database)."""
