"""Transcript errors: stable codes, messages in English for gettext (Chinese in the .po file).

ApplicationError
├── TranscriptNotFound (404)  — no transcript, or not yours to see (the same answer)
├── PermissionDenied (403)    — court only / clerk only / not a signer
├── ValidationFailed (400)    — bad text, passage not in the text, missing reason, bad signature image
└── Conflict (409)            — wrong status, stale revision, already answered, signing locked
"""

from django.utils.translation import gettext as _

from yunting.kernel.common.errors import Conflict, NotFound, PermissionDenied, ValidationFailed


class TranscriptNotFound(NotFound):
    default_code = "transcript_not_found"

    def __init__(self):
        super().__init__(_("No such transcript."))


def court_only() -> PermissionDenied:
    return PermissionDenied(_("Only the judge or the clerk of this hearing can do this."),
                            code="transcript_court_only")


def not_drafting() -> Conflict:
    return Conflict(_("The transcript is under review: its text changes only through accepted corrections."),
                    code="transcript_not_drafting")


def not_in_review() -> Conflict:
    return Conflict(_("The transcript is not open for review and signing."), code="transcript_not_in_review")


def stale(current: int) -> Conflict:
    return Conflict(_("Someone saved a newer text. Reload it before saving again."), code="transcript_stale",
                    data={"revision": current})


def not_signer() -> PermissionDenied:
    return PermissionDenied(_("You are not among the people who sign this transcript."),
                            code="transcript_not_signer")


def already_answered() -> Conflict:
    return Conflict(_("You have already signed or refused this version."), code="transcript_already_answered")


def locked() -> Conflict:
    return Conflict(_("Signing is locked after 5 wrong codes. Ask the clerk to unlock it."),
                    code="transcript_sign_locked")


def invalid(message, code: str, **data) -> ValidationFailed:
    return ValidationFailed(message, code=code, data=data)
