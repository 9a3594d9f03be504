"""Writes of the archive: the archive act (单套制归档), appeal transfer (send and receive), court-to-court keys,
and the watermarked copy a reader downloads (远程阅卷)."""

from __future__ import annotations

import base64
import io
import json
import secrets
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from yunting.core.cases.choices import CaseStatus, SecurityLevel
from yunting.core.cases.models import Case
from yunting.core.journal.services import DocumentInput, journal_append
from yunting.kernel.common.timeutil import SHANGHAI

from . import entries
from .choices import Retention, TransferDirection, TransferStatus
from .errors import ArchiveError
from .models import ArchiveVolume, Transfer, TransferKey
from .package import Built, build_volume
from .selectors import archive_case_metadata, archive_closed_on, archive_volume_items

TRANSFER_KEY_PREFIX = "ytt_"
MAX_PACKAGE_MEMBERS = 20000
RETENTION_CODES = {"permanent": "Y", "60": "D60", "20": "D20"}


def originals_unaccounted(case) -> list:
    """Paper originals not back in the store (scanning's custody records); none when scanning is not installed."""
    try:
        from yunting.workflows.scanning.selectors import originals_unaccounted as scanning_check
    except ImportError:
        return []
    return list(scanning_check(case))


def archive_number(case: Case, *, retention: str, volume: str) -> str:
    """档号: court code, year, type, sequence, retention, volume (Z 正卷 / F 副卷)."""
    return (f"{case.court.court_code}-{case.year}-{case.case_type_id}-{case.sequence:05d}-"
            f"{RETENTION_CODES[retention]}-{'Z' if volume == 'main' else 'F'}")


def _check_choices(retention: str, security_level: str) -> None:
    if retention not in Retention.values:
        raise ArchiveError(_("Choose a retention period: permanent, 60 years or 20 years."), code="archive_retention",
                           data={"retention": retention})
    if security_level not in SecurityLevel.values:
        raise ArchiveError(_("Choose a security level."), code="archive_security",
                           data={"security_level": security_level})


def _issue_head():
    """One signed tree head covering everything recorded so far: every proof of the package refers to it."""
    from yunting.kernel.ledger.services import ledger_sth_issue

    head = ledger_sth_issue()
    if head is None:  # pragma: no cover - only with wait=False
        raise ArchiveError(_("The ledger is busy; try again."), code="archive_ledger")
    return head


def _archive_info(case, *, retention, security_level, volume, actor) -> dict:
    """The archive's own facts, labelled in Chinese whatever language the archivist reads: it is a court record."""
    with translation.override("zh-hans"):
        return _archive_facts(case, retention=retention, security_level=security_level, volume=volume, actor=actor)


def _archive_facts(case, *, retention, security_level, volume, actor) -> dict:
    return {"archive_number": archive_number(case, retention=retention, volume=volume), "retention": retention,
            "retention_label": str(Retention(retention).label), "security_level": security_level,
            "security_level_label": str(SecurityLevel(security_level).label),
            "archived_on": timezone.now().astimezone(SHANGHAI).date().isoformat(),
            "archived_by": getattr(actor, "display_name", "") or "系统"}


def archive_build_packages(*, case: Case, out: Path, retention: str, security_level: str, actor=None,
                           volumes=("main", "secondary"), extra: dict | None = None) -> list[Built]:
    """Write one BagIt package per volume into `out/<volume>/` (正卷 and 副卷 apart), all proofs under one signed
    tree head. Writes no database row: `archive_case` is the act."""
    _check_choices(retention, security_level)
    head = _issue_head()
    with translation.override("zh-hans"):
        metadata = archive_case_metadata(case)
    built = []
    for volume in volumes:
        info = {**_archive_info(case, retention=retention, security_level=security_level, volume=volume,
                                actor=actor), **(extra or {})}
        items = archive_volume_items(case, volume)
        if volume == "secondary" and not items:
            continue  # no 副卷 material: no empty package
        built.append(build_volume(out=out / volume, volume=volume, items=items, metadata=metadata, archive=info,
                                  head=head))
    return built


def archive_case(*, case: Case, actor, retention: str, security_level: str, out: Path | None = None) -> list[Built]:
    """归档: build the packages, record each volume, journal `archive.archived`; afterwards the case is read-only.

    Refused while the case is open, when it is archived already, or while paper originals are not accounted for.
    """
    _check_choices(retention, security_level)
    if archive_closed_on(case) is None and case.status != CaseStatus.CLOSED:
        raise ArchiveError(_("The case is not closed yet: only closed cases are archived."), code="archive_not_closed")
    if case.status == CaseStatus.ARCHIVED or ArchiveVolume.objects.filter(case=case).exists():
        raise ArchiveError(_("This case is archived already."), code="archive_done")
    missing = originals_unaccounted(case)
    if missing:
        raise ArchiveError(_("%(n)d paper originals are not back in the store: account for them first.")
                           % {"n": len(missing)}, code="archive_originals", data={"originals": [str(m) for m in missing]})
    out = Path(out) if out is not None else archive_dir(case)
    staging = Path(tempfile.mkdtemp(dir=settings.BLOB_TMP_DIR, prefix="archive-"))
    try:
        built = archive_build_packages(case=case, out=staging, retention=retention, security_level=security_level,
                                       actor=actor)
        out.mkdir(parents=True, exist_ok=True)
        staged = {b.volume: b.path for b in built}
        for b in built:
            b.path = (out / b.volume).resolve()
        _record_archive(case=case, actor=actor, retention=retention, security_level=security_level, built=built)
        for b in built:
            if b.path.exists():
                shutil.rmtree(b.path)
            shutil.move(str(staged[b.volume]), b.path)
        return built
    finally:
        shutil.rmtree(staging, ignore_errors=True)


@transaction.atomic
def _record_archive(*, case, actor, retention, security_level, built: list[Built]) -> None:
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if locked.status == CaseStatus.ARCHIVED or ArchiveVolume.objects.filter(case=case).exists():
        raise ArchiveError(_("This case is archived already."), code="archive_done")
    volumes = {}
    for b in built:
        head = b.manifest["tree_head"]
        root = base64.b64decode(head["sha256_root_hash"]).hex()
        ArchiveVolume.objects.create(
            case=case, volume=b.volume, archive_number=b.manifest["archive"]["archive_number"], retention=retention,
            security_level=security_level, documents=b.documents, pages=b.pages, tree_size=head["tree_size"],
            root_hash=root, manifest=b.manifest, location=str(b.path), archived_by=actor)
        volumes[b.volume] = {"archive_number": b.manifest["archive"]["archive_number"], "documents": b.documents,
                             "pages": b.pages, "tree_size": head["tree_size"], "root_hash": root}
    journal_append(case=case, kind=entries.ARCHIVED, actor=actor, payload={
        "retention": retention, "security_level": security_level, "volumes": volumes,
        "archive_number": volumes.get("main", {}).get("archive_number", "")})
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.ARCHIVED)
    case.status = CaseStatus.ARCHIVED


def archive_dir(case: Case) -> Path:
    """Where the court keeps a case's archive packages (in the data directory; back it up with the rest)."""
    return Path(settings.DATA_DIR) / "archive" / str(case.pk)


def archive_zip(root: Path, out) -> None:
    """A ZIP of one package directory (stored, not deflated: PDFs do not shrink), top folder = the volume."""
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED, allowZip64=True) as zf:
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            zf.write(path, f"{root.name}/{path.relative_to(root).as_posix()}")


# --- court-to-court keys --------------------------------------------------------------------------------------
def transfer_key_create(*, court, sender_name: str, sender_url: str = "", sender_public_key: str = ""
                        ) -> tuple[TransferKey, str]:
    """Issue the key a sending court uses to deliver appeal files here (shown once, stored hashed). With
    `sender_url` (the sender's …/api/v1/ledger/), packages are checked against that ledger and its public key,
    pinned here (fetched now when not given); without, the sender is a court of this deployment."""
    from yunting.kernel.ledger.sth import load_public_key

    sender_url = sender_url.strip()
    if sender_url and not sender_url.endswith("/"):
        sender_url += "/"
    if sender_url and not sender_public_key:
        sender_public_key = _fetch(sender_url + "public-key").decode()
    if sender_public_key:
        try:
            load_public_key(sender_public_key)
        except ValueError as exc:
            raise ArchiveError(_("The sender's ledger public key is not valid."), code="transfer_key") from exc
    raw = TRANSFER_KEY_PREFIX + secrets.token_urlsafe(32)
    key = TransferKey.objects.create(court=court, sender_name=sender_name.strip(), sender_url=sender_url,
                                     sender_public_key=sender_public_key, key_prefix=raw[:12],
                                     key_hash=TransferKey.hash(raw))
    return key, raw


def transfer_key_authenticate(raw: str) -> TransferKey | None:
    if not raw or not raw.startswith(TRANSFER_KEY_PREFIX):
        return None
    return TransferKey.objects.select_related("court").filter(key_hash=TransferKey.hash(raw.strip()),
                                                             revoked_at__isnull=True).first()


def transfer_key_revoke(*, prefix: str) -> TransferKey:
    found = list(TransferKey.objects.filter(key_prefix__startswith=prefix.strip())[:2])
    if len(found) != 1:
        raise ArchiveError(_("No single transfer key matches."), code="transfer_key")
    found[0].revoked_at = timezone.now()
    found[0].save(update_fields=["revoked_at"])
    return found[0]


# --- outbound HTTP ---------------------------------------------------------------------------------------------
def _schemes() -> tuple[str, ...]:
    return ("https", "http") if getattr(settings, "YUNTING_EGRESS_ALLOW_PRIVATE", False) else ("https",)


def _fetch(url: str, *, body: bytes | None = None, headers: dict | None = None, timeout: float = 60) -> bytes:
    from yunting.kernel.security.egress import EgressRefused, request

    try:
        status, answer = request("POST" if body is not None else "GET", url, body=body, headers=headers or {},
                                 timeout=timeout, schemes=_schemes())
    except (EgressRefused, OSError) as exc:
        raise ArchiveError(_("The other court could not be reached: %(reason)s") % {"reason": exc},
                           code="transfer_delivery", data={"url": url}) from exc
    if status >= 400:
        raise ArchiveError(_("The other court answered %(status)d: %(answer)s")
                           % {"status": status, "answer": answer[:300].decode(errors="replace")},
                           code="transfer_refused", data={"status": status, "url": url})
    return answer


# --- appeal transfer: sending ----------------------------------------------------------------------------------
TRANSFERABLE = frozenset({CaseStatus.DECIDED, CaseStatus.CLOSED, CaseStatus.ARCHIVED})


def _transfer_package(case: Case, *, appellants: list[str], actor) -> tuple[bytes, Built, Path]:
    """The first-instance 正卷 as a ZIP'd BagIt package (the 副卷 never leaves the court)."""
    if case.status not in TRANSFERABLE and archive_closed_on(case) is None:
        raise ArchiveError(_("Only a decided case's file can be sent to the appellate court."), code="transfer_status")
    names = {p["name"] for p in archive_case_metadata(case)["parties"]}
    unknown = [a for a in appellants if a not in names]
    if unknown:
        raise ArchiveError(_("Not a party of this case: %(names)s") % {"names": "、".join(unknown)},
                           code="transfer_appellant", data={"names": unknown})
    staging = Path(tempfile.mkdtemp(dir=settings.BLOB_TMP_DIR, prefix="transfer-"))
    built = archive_build_packages(case=case, out=staging, retention="permanent", security_level=case.security_level,
                                   actor=actor, volumes=("main",),
                                   extra={"purpose": "appeal_transfer", "appellants": appellants})[0]
    buf = io.BytesIO()
    archive_zip(built.path, buf)
    return buf.getvalue(), built, staging


def _multipart(fields: dict[str, str], filename: str, data: bytes) -> tuple[bytes, str]:
    boundary = "yunting-" + secrets.token_hex(12)
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="package"; filename="{filename}"\r\n'
                 "Content-Type: application/zip\r\n\r\n".encode() + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def archive_transfer_send(*, case: Case, to_url: str, key: str, actor=None, appellants: list[str] | None = None
                          ) -> Transfer:
    """一键移送: send the 正卷 to the appellate court's /api/v1/transfers; journal `archive.transfer_sent` with its
    answer (the appeal case number). A refusal is kept as a Transfer row and raised."""
    appellants = appellants or _default_appellants(case)
    data, built, staging = _transfer_package(case, appellants=appellants, actor=actor)
    url = to_url.rstrip("/") + ("" if to_url.rstrip("/").endswith("/api/v1/transfers") else "/api/v1/transfers")
    try:
        body, content_type = _multipart({}, f"{case.pk}-main.zip", data)
        try:
            answer = json.loads(_fetch(url, body=body, headers={"Authorization": f"Bearer {key}",
                                                                "Content-Type": content_type}, timeout=300))
        except ArchiveError as exc:
            Transfer.objects.create(direction=TransferDirection.SENT, case=case, counterpart=to_url,
                                    from_case_number=case.number,
                                    status=TransferStatus.REFUSED if exc.code == "transfer_refused"
                                    else TransferStatus.FAILED, detail={"problem": str(exc.message)})
            raise
        return _record_sent(case=case, actor=actor, counterpart=to_url, built=built, answer=answer)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _default_appellants(case: Case) -> list[str]:
    """Without a named appellant: the losing side is not known to the platform, so the defendants appeal."""
    parties = archive_case_metadata(case)["parties"]
    return [p["name"] for p in parties if p["role"] in ("defendant", "respondent")][:1] or [parties[0]["name"]]


@transaction.atomic
def _record_sent(*, case, actor, counterpart: str, built: Built, answer: dict) -> Transfer:
    transfer = Transfer.objects.create(direction=TransferDirection.SENT, case=case, counterpart=counterpart,
                                       from_case_number=case.number, status=TransferStatus.DELIVERED,
                                       detail={"answer": answer})
    journal_append(case=case, kind=entries.TRANSFER_SENT, actor=actor, payload={
        "to": counterpart, "transfer_id": transfer.pk, "documents": built.documents,
        "tree_size": built.manifest["tree_head"]["tree_size"], "appeal_case_number": answer.get("case_number", ""),
        "appellants": built.manifest["archive"].get("appellants", [])})
    return transfer


def archive_transfer_local(*, case: Case, to_court, actor=None, appellants: list[str] | None = None) -> Transfer:
    """The same transfer to another court of this deployment: the package is built, checked and received exactly
    as over HTTP (against this deployment's own ledger), without a network round trip."""
    appellants = appellants or _default_appellants(case)
    data, built, staging = _transfer_package(case, appellants=appellants, actor=actor)
    try:
        key = TransferKey(court=to_court, sender_name=case.court.name)  # unsaved: the deployment trusts itself
        new_case = archive_transfer_receive(key=key, package=io.BytesIO(data))
        return _record_sent(case=case, actor=actor, counterpart=to_court.name, built=built,
                            answer={"case_id": new_case.pk, "case_number": new_case.number})
    finally:
        shutil.rmtree(staging, ignore_errors=True)


# --- appeal transfer: receiving --------------------------------------------------------------------------------
@dataclass
class Received:
    root: Path
    manifest: dict


def _unpack(package, into: Path) -> Path:
    """Extract the uploaded ZIP safely (relative names only, no links, bounded size and count); the volume dir."""
    limit = settings.UPLOAD_MAX_BYTES
    try:
        zf = zipfile.ZipFile(package)
    except (zipfile.BadZipFile, OSError) as exc:
        raise ArchiveError(_("The transfer package is not a ZIP file."), code="transfer_package") from exc
    with zf:
        members = zf.infolist()
        if len(members) > MAX_PACKAGE_MEMBERS or sum(m.file_size for m in members) > limit:
            raise ArchiveError(_("The transfer package is too large."), code="transfer_package")
        tops = set()
        for m in members:
            parts = Path(m.filename).parts
            if m.filename.startswith("/") or ".." in parts or not parts or (m.external_attr >> 16) & 0o170000 == 0o120000:
                raise ArchiveError(_("The transfer package holds an unsafe file name."), code="transfer_package",
                                   data={"name": m.filename})
            tops.add(parts[0])
            if m.is_dir():
                continue
            target = into / m.filename
            target.parent.mkdir(parents=True, exist_ok=True)
            with zf.open(m) as src, target.open("wb") as dst:
                shutil.copyfileobj(src, dst, 1 << 20)
    if len(tops) != 1:
        raise ArchiveError(_("The transfer package must hold exactly one volume."), code="transfer_package")
    return into / tops.pop()


def _check_against_sender(key: TransferKey, manifest: dict) -> str:
    """The package's tree head is one the sender's ledger really has: its current signed tree head (checked with
    the pinned key) is consistent with it. Same deployment: our own ledger's root at that size. Returns a note."""
    from yunting.kernel.ledger import merkle
    from yunting.kernel.ledger.selectors import ledger_root
    from yunting.kernel.ledger.sth import SignedTreeHead, verify_tree_head

    head = SignedTreeHead.from_json(manifest["tree_head"])
    if not key.sender_url:
        try:
            same = ledger_root(head.tree_size) == head.root_hash
        except Exception:  # noqa: BLE001 - a size beyond our log is simply not ours
            same = False
        if not same:
            raise ArchiveError(_("The package's tree head is not in this deployment's ledger."),
                               code="transfer_unverified")
        return "this deployment's ledger has the package's root at its size"
    current = SignedTreeHead.from_json(json.loads(_fetch(key.sender_url + "get-sth")))
    if not verify_tree_head(current, key.sender_public_key):
        raise ArchiveError(_("The sender's current tree head is not signed by its pinned key."),
                           code="transfer_unverified")
    if current.tree_size < head.tree_size:
        raise ArchiveError(_("The sender's ledger is smaller than the package's tree head."),
                           code="transfer_unverified")
    answer = json.loads(_fetch(f"{key.sender_url}get-sth-consistency?first={head.tree_size}&second={current.tree_size}"))
    proof = [base64.b64decode(h) for h in answer.get("consistency", [])]
    if not merkle.verify_consistency(head.tree_size, current.tree_size, head.root_hash, current.root_hash, proof):
        raise ArchiveError(_("The package's tree head is not consistent with the sender's ledger."),
                           code="transfer_unverified")
    return f"consistent with the sender's signed tree head of size {current.tree_size}"


def archive_transfer_receive(*, key: TransferKey, package) -> Case:
    """Receive an appeal transfer: unpack, verify every file, proof and signature with the sender's pinned key,
    check the tree head against the sender's ledger, then open the 民终 case with the file attached and journal
    `archive.transfer_received`. Anything wrong: refused, nothing kept."""
    from yunting.kernel.ledger.keys import public_key_pem

    from .bagcheck import verify_package

    work = Path(tempfile.mkdtemp(dir=settings.BLOB_TMP_DIR, prefix="received-"))
    try:
        root = _unpack(package, work)
        pinned = key.sender_public_key or (public_key_pem() if not key.sender_url else "")
        check = verify_package(root, public_key_pem=pinned)
        if not check.ok:
            raise ArchiveError(_("The transfer package does not verify: %(problem)s") % {"problem": check.problem},
                               code="transfer_unverified", data={"problem": check.problem})
        if check.manifest.get("volume") != "main":
            raise ArchiveError(_("Only the main volume (正卷) is transferred."), code="transfer_package")
        note = _check_against_sender(key, check.manifest)
        return _open_appeal(key=key, root=root, manifest=check.manifest, note=note)
    finally:
        shutil.rmtree(work, ignore_errors=True)


@transaction.atomic
def _open_appeal(*, key: TransferKey, root: Path, manifest: dict, note: str) -> Case:
    from yunting.core.cases.models import CaseType, Cause
    from yunting.core.cases.services import CaseInput, PartyInput, case_open
    from yunting.core.efile.intake import DOCUMENT_TYPES
    from yunting.kernel.blobs.store import blob_put

    meta = manifest["case"]
    appellants = set(manifest.get("archive", {}).get("appellants") or [])
    parties = [PartyInput(role="appellant" if p["name"] in appellants else "appellee", kind=p["kind"], name=p["name"])
               for p in meta["parties"]]
    cause = Cause.objects.filter(name=meta["cause"], selectable=True).first() or Cause.objects.filter(
        category="civil", selectable=True).order_by("order").first()
    case = case_open(data=CaseInput(court=key.court, case_type=CaseType.objects.get(code="民终"), cause=cause,
                                    parties=parties, procedure="second_instance",
                                    title=f"{meta['title']}（上诉）"[:300]))
    documents = []
    for doc in manifest["documents"]:
        with (root / doc["path"]).open("rb") as fh:
            blob = blob_put(fh, allowed=set(DOCUMENT_TYPES))
        documents.append(DocumentInput(sha256=blob.sha256, title=f"{doc['title']}（一审）"[:300], kind=doc["kind"]))
    journal_append(case=case, kind=entries.TRANSFER_RECEIVED, payload={
        "from_court": meta["court"], "from_case_number": meta["case_number"], "sender_url": key.sender_url,
        "tree_size": manifest["tree_head"]["tree_size"], "documents": len(documents), "verified": note,
        "appellants": sorted(appellants)}, documents=documents)
    Transfer.objects.create(direction=TransferDirection.RECEIVED, case=case, counterpart=key.sender_name,
                            from_case_number=meta["case_number"], status=TransferStatus.DELIVERED,
                            detail={"verified": note, "documents": len(documents)})
    return case


# --- remote reading (远程阅卷) ---------------------------------------------------------------------------------
def reading_watermark_text(user, at=None) -> str:
    at = (at or timezone.now()).astimezone(SHANGHAI)
    name = getattr(user, "display_name", "") or user.get_username()
    return f"{name} 阅卷 {at:%Y-%m-%d %H:%M} 北京时间 仅供本案诉讼使用"


def reading_download(*, user, document, out) -> int:
    """The document as `user` downloads it: every page stamped with their name and the time. Non-PDF media are
    refused (they cannot carry the mark); the caller has checked access and logs the read."""
    from yunting.kernel.blobs.store import blob_open
    from yunting.kernel.pdf.tools import pdf_watermark

    if document.blob.mime_type != "application/pdf" or document.page_count == 0:
        raise ArchiveError(_("Only PDF documents can be downloaded with a watermark; view this one online."),
                           code="reading_not_pdf")
    with blob_open(document.blob_id) as src:
        return pdf_watermark(src, reading_watermark_text(user), out)
