"""What a complete filing must contain, checked field by field: every problem at once, never the first only.

One validator serves the web form, `POST /filings/check` (dry run), `POST /filings`, and each record of an
institution's batch. Input is the plain payload dict (the same shape everywhere, see `filing_policy`); output is
a list of problems `{field, code, message}` and, when there are none, the cleaned values.
Codes and field names are the API's contract; messages are translated when the problem is found, so a caller
gets the language it asked for (the API honours Accept-Language; pages are Chinese unless the person switched).
A party is cleaned into core's `PartyInput`, the shape `case_open` takes when the filing is accepted.
Reference data (courts, case types, causes) is read once into `Lookups`, so a 10,000-record batch costs no
query per record for it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, pgettext

from yunting.core.cases.choices import PartyKind, PartyRole, Procedure
from yunting.core.cases.models import CaseType, Cause
from yunting.core.cases.services import PartyInput
from yunting.core.people.choices import OrganisationKind
from yunting.core.people.models import Organisation
from yunting.kernel.security.identifiers import IdentifierError, ric_validate, uscc_validate

from .errors import FeeInputError
from .fees import parse_amount
from .questionnaires import answers_text, questionnaire_for, validate_answers

FIRST_SIDE = {PartyRole.PLAINTIFF, PartyRole.APPLICANT, PartyRole.APPELLANT}
SECOND_SIDE = {PartyRole.DEFENDANT, PartyRole.RESPONDENT, PartyRole.APPELLEE}
PARTY_KINDS, PROCEDURES = frozenset(PartyKind.values), frozenset(Procedure.values)  # `.values` builds a list per call
ONE_SIDED_TYPES = {"民特"}  # special procedure: e.g. two applicants jointly ask for judicial confirmation
FILING_PARTY_ROLES = (PartyRole.PLAINTIFF, PartyRole.DEFENDANT, PartyRole.THIRD_PARTY, PartyRole.APPELLANT,
                      PartyRole.APPELLEE, PartyRole.APPLICANT, PartyRole.RESPONDENT)
DOCUMENT_KINDS = {
    "complaint": "起诉状", "evidence": "证据", "evidence_list": "证据目录", "identity": "身份证明",
    "power_of_attorney": "授权委托书", "business_license": "营业执照", "filing_application": "立案申请",
    "other": "其他材料",
}
MAX_CLAIMS, MAX_PARTIES, MAX_FACTS = 50, 100, 50_000
# Field lengths: what a court paper can carry, and what the database columns hold (FilingParty.name 200,
# address 300, FilingDocument.title 300). A longer value is refused with a message naming the field and its
# limit — never cut silently — the same for the web form, POST /filings, /filings/check and each batch record.
MAX_CLAIM_CHARS, MAX_NAME_CHARS, MAX_ADDRESS_CHARS, MAX_TITLE_CHARS, MAX_FILENAME_CHARS = 1000, 200, 300, 300, 255
MONEY_CAUSES = {"民间借贷纠纷", "金融借款合同纠纷", "信用卡纠纷", "买卖合同纠纷"}  # always a sum of money


@dataclass
class Problem:
    field: str
    code: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "code": self.code, "message": self.message}


@dataclass
class CleanDocument:
    sha256: str  # what enters the file (the upload's checked document)
    title: str
    kind: str
    filename: str = ""
    upload: Any = None  # the caller's own accepted Upload it came from


@dataclass
class Cleaned:
    court: Organisation
    case_type: CaseType
    cause: Cause
    procedure: str
    claims: list[str]
    facts: str
    claim_amount: Decimal | None
    parties: list[PartyInput]
    documents: list[CleanDocument] = field(default_factory=list)
    external_id: str = ""
    questionnaire: dict[str, str] = field(default_factory=dict)


class Lookups:
    """Courts, case types and causes, read once; and the caller's own uploads, which are the only stored content
    a filing's documents may name (`user` for a person, `institution` for an institution's batch). Without an
    owner, no document reference resolves."""

    def __init__(self, *, user=None, institution=None):
        self.courts: dict[str, Organisation] = {}
        for org in Organisation.objects.filter(kind=OrganisationKind.COURT):
            self.courts[str(org.pk)] = org
            self.courts[org.court_code] = org
        self.case_types = {t.code: t for t in CaseType.objects.all()}
        self.causes: dict[str, Cause] = {}
        for c in Cause.objects.filter(selectable=True):
            self.causes[c.code] = c
            self.causes[c.name] = c
        self.user, self.institution = user, institution
        self._by_id: dict[str, Any] = {}
        self._by_sha: dict[str, Any] = {}

    def remember(self, upload) -> None:
        """An upload the caller made just now (a batch's ZIP member): no need to ask the database for it."""
        self._by_id[upload.pk] = upload

    def uploads(self, *, ids: list[str], hashes: list[str]) -> tuple[dict[str, Any], dict[str, Any]]:
        """The caller's uploads by id, and its accepted uploads by the SHA-256 of what it sent or of what entered
        the file (proof of possession: the caller uploaded those very bytes itself)."""
        from yunting.core.efile.intake import uploads_of
        from yunting.core.efile.models import UploadStatus

        if self.user is None and self.institution is None:
            return {}, {}
        # a batch's ZIP members are all remembered: then no query at all
        ids = list({i for i in ids if isinstance(i, str) and 0 < len(i) <= 40 and i not in self._by_id})
        hashes = [h for h in set(hashes) if h not in self._by_sha]
        if not ids and not hashes:
            return self._by_id, self._by_sha
        mine = uploads_of(user=self.user, institution=self.institution).select_related("document")
        if ids:
            self._by_id.update({u.pk: u for u in mine.filter(pk__in=ids)})
        if hashes:
            accepted = mine.filter(status=UploadStatus.ACCEPTED).order_by("created_at")
            for u in accepted.filter(Q(sha256__in=hashes) | Q(document_id__in=hashes)):
                self._by_sha.setdefault(u.sha256, u)
                self._by_sha.setdefault(u.document_id, u)
        return self._by_id, self._by_sha


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else "" if value is None else str(value).strip()


def validate_payload(data: Any, *, lookups: Lookups, court: Organisation | None = None,
                     require_external_id: bool = False, documents_required: bool = False,
                     ) -> tuple[list[Problem], Cleaned | None]:
    """Every problem of one filing payload; `court` overrides the payload's court (an institution's key)."""
    problems: list[Problem] = []

    def bad(field_name: str, code: str, message: str) -> None:
        problems.append(Problem(field_name, code, message))

    if not isinstance(data, dict):
        return [Problem("", "not_an_object", _("Each filing record must be a JSON object."))], None

    external_id = _text(data.get("external_id"))
    if require_external_id and not external_id:
        bad("external_id", "required", _("Enter your institution's case number (external_id)."))
    elif len(external_id) > 64:
        bad("external_id", "too_long", _("external_id is at most 64 characters."))

    def lookup(field: str, table: dict, required: str, unknown: str):
        """The referenced row, or None with a `required` / `unknown` (naming %(ref)s) problem recorded. The
        messages are translated only when one is needed: a batch validates 10,000 records, nearly all fine."""
        ref = _text(data.get(field))
        found = table.get(ref)
        if not ref:
            bad(field, "required", _(required))
        elif found is None:
            bad(field, "unknown", _(unknown) % {"ref": ref})
        return found

    if court is None:
        court = lookup("court", lookups.courts, gettext_noop("Choose the court."),
                       gettext_noop("There is no court with the code or number “%(ref)s”."))
    case_type = lookup("case_type", lookups.case_types, gettext_noop("Choose the case type."),
                       gettext_noop("Unknown case type “%(ref)s”."))
    cause = lookup("cause", lookups.causes, gettext_noop("Choose the cause of action."),
                   gettext_noop("Unknown cause of action “%(ref)s”."))
    if cause is not None and case_type is not None and not _cause_fits(cause, case_type):
        bad("cause", "type_mismatch",
            _("The cause of action “%(cause)s” does not belong to %(case_type)s cases.")
            % {"cause": cause.name, "case_type": case_type.name})

    procedure = _text(data.get("procedure"))
    if procedure and procedure not in PROCEDURES:
        bad("procedure", "unknown", _("Unknown procedure “%(procedure)s”.") % {"procedure": procedure})

    claims_raw = data.get("claims")
    if isinstance(claims_raw, str):
        claims_raw = [line for line in claims_raw.splitlines()]
    claims = [_text(c) for c in claims_raw] if isinstance(claims_raw, list) else []
    claims = [c for c in claims if c]
    if claims_raw is not None and not isinstance(claims_raw, list):
        bad("claims", "not_a_list", _("The claims must be a list, one claim per item."))
    elif not claims:
        bad("claims", "required", _("Enter at least one claim."))
    elif len(claims) > MAX_CLAIMS:
        bad("claims", "too_many", _("At most %(max)d claims.") % {"max": MAX_CLAIMS})
    else:
        for i, claim in enumerate(claims):
            if len(claim) > MAX_CLAIM_CHARS:
                bad(f"claims[{i}]", "too_long", _("Claim %(n)d is longer than %(max)d characters.")
                    % {"n": i + 1, "max": MAX_CLAIM_CHARS})

    answers = validate_answers(cause.name, data.get("questionnaire"), bad) if cause is not None else {}
    facts = _text(data.get("facts"))
    if not facts and answers:  # an element-based complaint: the answers are the facts
        facts = answers_text(cause.name, answers)
    if not facts:
        has_elements = cause is not None and bool(questionnaire_for(cause.name))
        bad("facts", "required", _("Enter the facts and reasons (or answer the element table).")
            if has_elements else _("Enter the facts and reasons."))
    elif len(facts) > MAX_FACTS:
        bad("facts", "too_long",
            _("The facts and reasons are at most %(max)d characters.") % {"max": MAX_FACTS})

    claim_amount = None
    try:
        claim_amount = parse_amount(data.get("claim_amount"))
    except FeeInputError as exc:
        bad("claim_amount", exc.code.removeprefix("fee_"), str(exc.message))
    if claim_amount is None and "claim_amount" not in {p.field for p in problems} and case_type is not None \
            and cause is not None and _amount_required(case_type, cause):
        bad("claim_amount", "required", _("Enter the amount in dispute (the court fee is computed from it)."))

    parties = _validate_parties(data.get("parties"), bad, case_type)
    documents = _validate_documents(data.get("documents"), bad, lookups, required=documents_required)

    if problems:
        return problems, None
    return [], Cleaned(court=court, case_type=case_type, cause=cause, procedure=procedure, claims=claims,
                       facts=facts, claim_amount=claim_amount, parties=parties, documents=documents,
                       external_id=external_id, questionnaire=answers)


def _amount_required(case_type: CaseType, cause: Cause) -> bool:
    """Money claims (民间借贷, 金融借款, 买卖合同…) and the kinds whose fee is a share of an amount need one."""
    from .fees import KINDS

    kind = fee_kind_for(case_type, cause, None)
    if kind == "other-nonproperty":  # without an amount a money claim would be charged as non-property
        return cause.name in MONEY_CAUSES
    return kind is not None and KINDS[kind].amount == "required"


def _cause_fits(cause: Cause, case_type: CaseType) -> bool:
    from yunting.core.cases.causes import cause_fits

    return cause_fits(cause_category=cause.category, non_litigation=cause.non_litigation, cause_name=cause.name,
                      type_code=case_type.code, type_category=case_type.category)


def _validate_parties(raw, bad, case_type) -> list[PartyInput]:
    """Every problem of every party, by field (unlike core's `case_open`, which stops at the first one)."""
    if raw is None or raw == []:
        bad("parties", "required", _("Enter the parties."))
        return []
    if not isinstance(raw, list):
        bad("parties", "not_a_list", _("The parties must be a list."))
        return []
    if len(raw) > MAX_PARTIES:
        bad("parties", "too_many", _("At most %(max)d parties.") % {"max": MAX_PARTIES})
        return []
    out = []
    for i, p in enumerate(raw):
        at = f"parties[{i}]"
        if not isinstance(p, dict):
            bad(at, "not_an_object", _("Each party must be an object."))
            continue
        role, kind, name = _text(p.get("role")), _text(p.get("kind")) or PartyKind.NATURAL, _text(p.get("name"))
        if role not in FILING_PARTY_ROLES:
            bad(f"{at}.role", "unknown" if role else "required",
                _("Choose the party's role (plaintiff, defendant and so on)."))
        if kind not in PARTY_KINDS:
            bad(f"{at}.kind", "unknown",
                _("A party is a natural person, a legal person or another organisation."))
        if not name:
            bad(f"{at}.name", "required", _("Enter the party's name."))
        elif len(name) > MAX_NAME_CHARS:
            bad(f"{at}.name", "too_long", _("A party's name is at most %(max)d characters.") % {"max": MAX_NAME_CHARS})
        id_number, credit_code = _text(p.get("id_number")), _text(p.get("credit_code"))
        if kind == PartyKind.NATURAL and id_number:
            try:
                id_number = ric_validate(id_number)
            except IdentifierError as exc:
                bad(f"{at}.id_number", exc.code, str(exc))
        if kind != PartyKind.NATURAL and credit_code:
            try:
                credit_code = uscc_validate(credit_code)
            except IdentifierError as exc:
                bad(f"{at}.credit_code", exc.code, str(exc))
        phone = _text(p.get("phone"))
        if phone and not (phone.isdigit() and 7 <= len(phone) <= 20):
            bad(f"{at}.phone", "invalid", _("The phone number must be 7 to 20 digits."))
        address = _text(p.get("address"))
        if len(address) > MAX_ADDRESS_CHARS:
            bad(f"{at}.address", "too_long",
                _("The address is at most %(max)d characters.") % {"max": MAX_ADDRESS_CHARS})
        out.append(PartyInput(role=role, kind=kind, name=name, id_number=id_number, credit_code=credit_code,
                              address=address, phone=phone))
    roles = {p.role for p in out}
    if out and not roles & FIRST_SIDE:
        bad("parties", "no_plaintiff", _("At least one plaintiff (applicant) is needed."))
    if out and not roles & SECOND_SIDE and (case_type is None or case_type.code not in ONE_SIDED_TYPES):
        bad("parties", "no_defendant", _("At least one defendant (respondent) is needed."))
    return out


def _validate_documents(raw, bad, lookups: Lookups, *, required: bool) -> list[CleanDocument]:
    """Each document names the caller's own upload: `upload_id`, or the `sha256` of bytes the caller uploaded
    itself (and that passed the checks). A hash of anything else — even of a stored document — names nothing."""
    from yunting.core.efile.models import UploadStatus

    if raw in (None, []):
        if required:
            bad("documents", "required", _("Upload the complaint and the evidence."))
        return []
    if not isinstance(raw, list):
        bad("documents", "not_a_list", _("The documents must be a list."))
        return []
    refs = []
    for i, d in enumerate(raw):
        at = f"documents[{i}]"
        if not isinstance(d, dict):
            bad(at, "not_an_object", _("Each document must be an object."))
            continue
        sha, title, kind = _text(d.get("sha256")).lower(), _text(d.get("title")), _text(d.get("kind"))
        upload_id = _text(d.get("upload_id"))
        if kind not in DOCUMENT_KINDS:
            kinds = pgettext("list separator", ", ").join(DOCUMENT_KINDS)
            bad(f"{at}.kind", "unknown", _("The document kind must be one of: %(kinds)s") % {"kinds": kinds})
        if not title:
            bad(f"{at}.title", "required", _("Enter the document's title."))
        elif len(title) > MAX_TITLE_CHARS:
            bad(f"{at}.title", "too_long",
                _("A document's title is at most %(max)d characters.") % {"max": MAX_TITLE_CHARS})
        filename = _text(d.get("filename"))
        if len(filename) > MAX_FILENAME_CHARS:
            bad(f"{at}.filename", "too_long",
                _("A file name is at most %(max)d characters.") % {"max": MAX_FILENAME_CHARS})
        refs.append((i, upload_id, sha, CleanDocument(sha256="", title=title, kind=kind, filename=filename)))
    by_id, by_sha = lookups.uploads(ids=[r[1] for r in refs if r[1]], hashes=[r[2] for r in refs if not r[1] and r[2]])
    out = []
    for i, upload_id, sha, doc in refs:
        at = f"documents[{i}]"
        upload = by_id.get(upload_id) if upload_id else by_sha.get(sha)
        if upload is None:
            if upload_id:
                bad(f"{at}.upload_id", "not_uploaded", _("You have no upload with this id."))
            elif sha:
                bad(f"{at}.sha256", "not_uploaded",
                    _("This document has not been uploaded (no file has this SHA-256)."))
            else:
                bad(f"{at}.upload_id", "required", _("Name the document's upload (upload_id)."))
            continue
        if upload.status == UploadStatus.CHECKING:
            bad(f"{at}.upload_id", "upload_checking",
                _("“%(title)s” is still being checked; submit once the check has finished.")
                % {"title": doc.title or upload.title})
            continue
        if upload.status == UploadStatus.REFUSED:
            reasons = " ".join(p.get("message", "") for p in upload.problems or [])
            bad(f"{at}.upload_id", "upload_refused", _("This upload was refused: %(reasons)s") % {"reasons": reasons})
            continue
        doc.sha256, doc.upload = upload.document_id, upload
        out.append(doc)
    return out


# --- fees ------------------------------------------------------------------------------------------------------
FREE_TYPES = {"民特", "民诉前调"}  # special procedure and pre-litigation mediation pay nothing


def fee_kind_for(case_type: CaseType, cause: Cause, amount: Decimal | None) -> str | None:
    """The fee calculator's kind for a filing; None when the filing pays no fee."""
    if case_type.code in FREE_TYPES or case_type.category == "criminal":
        return None
    if case_type.code == "民督":
        return "payment-order"
    by_category = {"administrative": "admin", "enforcement": "enforcement", "preservation": "preservation",
                   "bankruptcy": "bankruptcy"}
    if case_type.category in by_category:
        return by_category[case_type.category]
    if cause.name == "劳动争议":
        return "labor"
    if cause.name == "离婚纠纷":
        return "divorce"
    if cause.name.startswith("侵害") and "权" in cause.name:
        return "ip"
    return "property" if amount is not None else "other-nonproperty"


def fee_for(*, case_type: CaseType, cause: Cause, amount: Decimal | None, procedure: str = "") -> dict:
    """The fee the filer will be asked to pay, with the calculator's steps; {"fee": "0.00"} when free."""
    from .fees import KINDS, fee_estimate_for_court

    kind = fee_kind_for(case_type, cause, amount)
    if kind is None:
        return {"kind": None, "fee": "0.00", "steps": [], "basis": "特别程序、诉前调解不收取案件受理费"}
    half = procedure in (Procedure.SIMPLE, Procedure.SMALL_CLAIMS) and KINDS[kind].halvable
    return fee_estimate_for_court(kind, amount if KINDS[kind].amount != "unused" else None, half)
