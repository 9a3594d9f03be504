"""Response shapes of the API (they are what OpenAPI publishes)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ninja import Schema


class ErrorOut(Schema):
    code: str
    message: str
    data: dict[str, Any]


class Page(Schema):
    count: int
    page: int
    page_size: int


class CaseItemOut(Schema):
    id: int
    number: str
    year: int
    type_code: str
    type_name: str
    status: str
    title: str
    cause: str
    court: str
    procedure: str
    security_level: str
    registered_at: datetime
    closed_at: datetime | None = None


class CasePageOut(Page):
    items: list[CaseItemOut]


class PartyOut(Schema):
    id: int
    role: str
    role_label: str
    kind: str
    name: str
    id_number: str
    credit_code: str
    phone: str
    address: str | None = None


class ParticipantOut(Schema):
    role: str
    role_label: str
    name: str
    user_id: int


class CaseDetailOut(CaseItemOut):
    court_code: str
    tribunal_code: str
    claim_amount: str | None = None
    filed_at: datetime
    journal_length: int
    journal_head: str
    personal_data_masked: bool
    my_roles: list[str]
    capabilities: list[str]
    parties: list[PartyOut]
    participants: list[ParticipantOut]
    outcome: str | None = None
    closed_on: date | None = None
    judge: str | None = None
    division: str | None = None
    assignment_reason: str | None = None


class JournalEntryOut(Schema):
    seq: int
    kind: str
    actor: str
    actor_id: int | None = None
    recorded_at: str
    payload: dict[str, Any]
    documents: list[str]
    prev_hash: str
    entry_hash: str
    redacted: bool = False


class JournalPageOut(Page):
    case_id: int
    case_number: str
    items: list[JournalEntryOut]


class DocumentOut(Schema):
    id: int
    title: str
    sha256: str
    section: str
    volume: str
    kind: str
    kind_label: str
    page_count: int
    security_level: str
    mime_type: str
    size: int
    filename: str
    entry_seq: int
    created_at: datetime
    content_url: str


class SectionOut(Schema):
    code: str
    title: str
    volume: str
    documents: list[DocumentOut]


class VolumeOut(Schema):
    code: str
    title: str
    sections: list[SectionOut]


class EfileOut(Schema):
    case_id: int
    case_number: str
    q: str
    document_count: int
    volumes: list[VolumeOut]


class MembershipOut(Schema):
    organisation_id: int
    organisation: str
    organisation_kind: str
    court_code: str | None = None
    role: str
    role_label: str


class MeOut(Schema):
    id: int
    username: str
    real_name: str
    display_name: str
    auth: str
    memberships: list[MembershipOut]
    roles: list[str]
    is_court_admin: bool


class ReadLogOut(Schema):
    id: int
    at: datetime
    user_id: int | None = None
    username: str
    action: str
    case_id: int | None = None
    object_type: str
    object_id: str
    channel: str
    ip: str | None = None


class ReadLogPageOut(Page):
    items: list[ReadLogOut]


class UploadProblemOut(Schema):
    code: str
    message: str
    page: int | None = None
    data: dict[str, Any] = {}


class UploadStateOut(Schema):
    """An upload: stored at once, its content checked in the background (status `checking`), then `accepted` or
    `refused` with every problem."""

    upload_id: str
    status: str
    sha256: str
    size: int
    mime_type: str
    problems: list[UploadProblemOut]
    notes: list[dict[str, Any]]
    page_count: int | None = None
    document_sha256: str | None = None
    created_at: datetime
    checked_at: datetime | None = None
    outcome: dict[str, Any] = {}
