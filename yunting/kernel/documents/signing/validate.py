"""Validate every signature of a PDF: who signed, when, is the signed content intact, does the chain reach a
trusted root, is the certificate revoked, and was anything changed after the last signature."""

from __future__ import annotations

import io
from dataclasses import asdict, dataclass, field
from datetime import datetime

from cryptography import x509 as cx509
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from .pki import Trust


@dataclass
class SignatureReport:
    field: str
    signer: str
    organisation: str
    serial: str
    signing_time: datetime | None  # as claimed by the signer (B-B) …
    timestamp: datetime | None  # … or proven by a TSA (B-T)
    intact: bool  # the bytes it covers hash to what was signed
    valid: bool  # the cryptographic signature checks out
    trusted: bool  # the certificate chains to one of the trust roots
    revoked: bool  # listed on a CRL we hold
    covers_whole_file: bool  # nothing was appended after it
    modification: str  # pyHanko's verdict on later revisions: none / form_filling / annotations / other
    ok: bool = False  # intact, valid, trusted, not revoked, and later changes only more signatures
    problems: list[str] = field(default_factory=list)


@dataclass
class ValidationReport:
    signatures: list[SignatureReport]
    readable: bool = True

    @property
    def ok(self) -> bool:
        return self.readable and bool(self.signatures) and all(s.ok for s in self.signatures)

    def as_dict(self) -> dict:
        return {"ok": self.ok, "readable": self.readable, "signatures": [asdict(s) for s in self.signatures]}


def _revoked_serials(crls: list[bytes]) -> set[int]:
    out: set[int] = set()
    for der in crls:
        try:
            crl = cx509.load_der_x509_crl(der)
        except ValueError:
            continue
        out.update(r.serial_number for r in crl)
    return out


def _name(cert, attr: str) -> str:
    try:
        return cert.subject.native.get(attr, "") or ""
    except Exception:
        return ""


def pdf_validate(pdf: bytes, *, trust: Trust) -> ValidationReport:
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        embedded = sorted(reader.embedded_signatures, key=lambda s: s.signed_revision)
    except Exception:
        return ValidationReport(signatures=[], readable=False)
    revoked = _revoked_serials(trust.crls)
    reports = []
    for sig in embedded:
        vc = ValidationContext(trust_roots=trust.roots, other_certs=trust.intermediates, crls=trust.crls,
                               allow_fetching=False, revocation_mode="soft-fail")
        cert = sig.signer_cert
        problems: list[str] = []
        try:
            status = validate_pdf_signature(sig, vc)
            intact, valid, trusted = bool(status.intact), bool(status.valid), bool(status.trusted)
            coverage = status.coverage.name if status.coverage else ""
            modification = status.modification_level.name.lower() if status.modification_level else "unknown"
            signing_time = status.signer_reported_dt
            ts = status.timestamp_validity.timestamp if status.timestamp_validity else None
        except Exception as exc:
            intact = valid = trusted = False
            coverage, modification, signing_time, ts = "", "unknown", None, None
            problems.append(f"无法校验：{exc.__class__.__name__}")
        is_revoked = cert.serial_number in revoked
        whole = coverage == "ENTIRE_FILE"
        if not intact:
            problems.append("签名后内容被修改")
        elif not valid:
            problems.append("签名值无效")
        if not trusted:
            problems.append("证书链不能到达受信任的根证书")
        if is_revoked:
            problems.append("签名证书已被吊销")
        later_ok = whole or modification in ("none", "lta_updates", "form_filling")
        if not later_ok:
            problems.append("签名后文件被追加了非签名修改")
        reports.append(SignatureReport(
            field=sig.field_name, signer=_name(cert, "common_name"), organisation=_name(cert, "organization_name"),
            serial=format(cert.serial_number, "x"), signing_time=signing_time, timestamp=ts, intact=intact,
            valid=valid, trusted=trusted, revoked=is_revoked, covers_whole_file=whole, modification=modification,
            ok=intact and valid and trusted and not is_revoked and later_ok, problems=problems,
        ))
    return ValidationReport(signatures=reports)


def report_lines(report: ValidationReport) -> list[str]:
    """Human-readable lines for a terminal (`yunting pki verify`, `yunting verify`); times in Asia/Shanghai."""
    from yunting.kernel.common.timeutil import SHANGHAI

    def _when(dt) -> str:
        return dt.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M:%S%z") if dt else "-"

    if not report.readable:
        return ["不是可读取的 PDF 文件 / not a readable PDF"]
    if not report.signatures:
        return ["没有数字签名 / no signatures"]
    lines = []
    for n, s in enumerate(report.signatures, 1):
        when = _when(s.timestamp) + " (TSA)" if s.timestamp else _when(s.signing_time) + " (claimed)"
        lines.append(f"#{n} [{s.field}] {s.signer} · {s.organisation} · serial {s.serial}")
        lines.append(f"   time {when}")
        lines.append(f"   intact={'yes' if s.intact else 'NO'} valid={'yes' if s.valid else 'NO'} "
                     f"trusted={'yes' if s.trusted else 'NO'} revoked={'YES' if s.revoked else 'no'} "
                     f"whole_file={'yes' if s.covers_whole_file else 'no'} later_changes={s.modification}")
        for p in s.problems:
            lines.append(f"   ! {p}")
    return lines
