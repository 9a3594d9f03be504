"""The court's own PKI: root CA → issuing CA → seal, personal, platform and TSA certificates; CRLs.

Keys are ECDSA P-256 (the TSA's RSA-2048) and are stored as PKCS#8 encrypted with a passphrase taken from
`settings.DOCUMENT_PKI_PASSPHRASE`, or else from the key file `<KEYS_DIR>/pki_passphrase` (created 0600 on
first use). A database dump alone therefore never yields a usable signing key.
CRLs are published at `<DOCUMENT_PUBLIC_URL>/papers/pki/crl/<ca>.crl`, the URL written into every certificate.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from yunting.kernel.common.errors import Conflict, NotFound

from ..models import Certificate, CertKind

ROOT_YEARS, ISSUING_YEARS, LEAF_YEARS = 20, 10, 3
CRL_DAYS = 7
REASONS = {r.name: r for r in x509.ReasonFlags}
DOCUMENT_SIGNING = x509.ObjectIdentifier("1.3.6.1.5.5.7.3.36")  # id-kp-documentSigning, RFC 9336


def pki_passphrase() -> bytes:
    configured = getattr(settings, "DOCUMENT_PKI_PASSPHRASE", "")
    if configured:
        return configured.encode()
    path = Path(settings.KEYS_DIR) / "pki_passphrase"
    if not path.exists():
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as fh:
                fh.write(secrets.token_urlsafe(32))
        except FileExistsError:
            pass
    return path.read_text().strip().encode()


def public_url(path: str) -> str:
    base = getattr(settings, "DOCUMENT_PUBLIC_URL", "") or "http://localhost:8000"
    return base.rstrip("/") + path


def crl_url(ca_label: str) -> str:
    return public_url(f"/papers/pki/crl/{ca_label}.crl")


def _name(common_name: str, organisation: str) -> x509.Name:
    attrs = [x509.NameAttribute(NameOID.COUNTRY_NAME, "CN")]
    if organisation:
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation))
    attrs.append(x509.NameAttribute(NameOID.COMMON_NAME, common_name))
    return x509.Name(attrs)


def _encrypt(key) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(pki_passphrase()),
    ).decode()


@lru_cache(maxsize=256)
def _decrypt(key_pem: str, passphrase: bytes):
    return serialization.load_pem_private_key(key_pem.encode(), password=passphrase)


def private_key(cert: Certificate):
    return _decrypt(cert.key_pem, pki_passphrase())


def x509_cert(cert: Certificate) -> x509.Certificate:
    return _load_cert(cert.cert_pem)


@lru_cache(maxsize=1024)
def _load_cert(pem: str) -> x509.Certificate:
    return x509.load_pem_x509_certificate(pem.encode())


def _build(*, kind: str, label: str, common_name: str, organisation: str, issuer: Certificate | None,
           years: int) -> Certificate:
    # ECDSA P-256 everywhere, except the TSA: pyHanko's in-process time stamper signs with RSA only.
    key = rsa.generate_private_key(65537, 2048) if kind == CertKind.TSA else ec.generate_private_key(ec.SECP256R1())
    now = timezone.now().replace(microsecond=0)
    serial = x509.random_serial_number()
    subject = _name(common_name, organisation)
    issuer_cert = x509_cert(issuer) if issuer else None
    issuer_key = private_key(issuer) if issuer else key
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer_cert.subject if issuer_cert else subject)
        .public_key(key.public_key())
        .serial_number(serial)
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=365 * years))
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )
    if issuer_cert is not None:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_cert.public_key()), critical=False
        ).add_extension(
            x509.CRLDistributionPoints([x509.DistributionPoint(
                full_name=[x509.UniformResourceIdentifier(crl_url(issuer.label))], relative_name=None,
                reasons=None, crl_issuer=None)]),
            critical=False,
        )
    is_ca = kind in (CertKind.ROOT, CertKind.ISSUING)
    builder = builder.add_extension(
        x509.BasicConstraints(ca=is_ca, path_length=(0 if kind == CertKind.ISSUING else None) if is_ca else None),
        critical=True,
    ).add_extension(
        x509.KeyUsage(
            digital_signature=not is_ca, content_commitment=kind in (CertKind.PERSON, CertKind.SEAL, CertKind.PLATFORM),
            key_encipherment=False, data_encipherment=False, key_agreement=False, key_cert_sign=is_ca,
            crl_sign=is_ca, encipher_only=False, decipher_only=False,
        ),
        critical=True,
    )
    if kind == CertKind.TSA:
        builder = builder.add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
    elif not is_ca:
        # document signing (RFC 9336) for modern validators, e-mail protection because NSS (poppler's pdfsig,
        # Firefox) checks PDF signers under its "e-mail signer" usage and refuses a chain without it
        builder = builder.add_extension(
            x509.ExtendedKeyUsage([DOCUMENT_SIGNING, ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False
        )
    cert = builder.sign(issuer_key, hashes.SHA256())
    return Certificate.objects.create(
        kind=kind, label=label, common_name=common_name, serial=format(serial, "x"), issuer=issuer,
        cert_pem=cert.public_bytes(serialization.Encoding.PEM).decode(), key_pem=_encrypt(key),
        not_before=cert.not_valid_before_utc, not_after=cert.not_valid_after_utc,
    )


def _active(label: str) -> Certificate | None:
    return (Certificate.objects.filter(label=label, revoked_at__isnull=True, not_after__gt=timezone.now())
            .order_by("-id").first())


@transaction.atomic
def pki_init(*, organisation: str) -> tuple[Certificate, Certificate]:
    """Create the court root CA and the issuing CA if they do not exist yet (idempotent)."""
    root = _active("root") or _build(
        kind=CertKind.ROOT, label="root", common_name=f"{organisation}根证书", organisation=organisation,
        issuer=None, years=ROOT_YEARS,
    )
    issuing = _active("issuing") or _build(
        kind=CertKind.ISSUING, label="issuing", common_name=f"{organisation}签发证书", organisation=organisation,
        issuer=root, years=ISSUING_YEARS,
    )
    return root, issuing


def issuing_ca() -> Certificate:
    ca = _active("issuing")
    if ca is None:
        raise NotFound("尚未初始化电子签章证书体系（yunting pki init）", code="pki_not_initialised")
    return ca


@transaction.atomic
def pki_issue(*, kind: str, label: str, common_name: str, organisation: str = "") -> Certificate:
    """The active certificate for `label`, issuing one from the issuing CA if there is none (idempotent)."""
    if kind in (CertKind.ROOT, CertKind.ISSUING):
        raise Conflict("CA 证书请用 pki_init 创建", code="pki_kind")
    existing = _active(label)
    if existing is not None:
        return existing
    ca = issuing_ca()
    return _build(kind=kind, label=label, common_name=common_name,
                  organisation=organisation or ca.common_name.removesuffix("签发证书"), issuer=ca, years=LEAF_YEARS)


@transaction.atomic
def pki_revoke(*, serial: str, reason: str = "unspecified") -> Certificate:
    if reason not in REASONS:
        raise Conflict("无效的吊销原因", code="pki_reason", data={"reasons": sorted(REASONS)})
    cert = Certificate.objects.select_for_update().filter(serial=serial.lower()).first()
    if cert is None:
        raise NotFound("没有这张证书", code="pki_cert_not_found")
    if cert.revoked_at is None:
        cert.revoked_at, cert.revocation_reason = timezone.now(), reason
        cert.save(update_fields=["revoked_at", "revocation_reason"])
    return cert


def pki_crl(ca: Certificate) -> bytes:
    """A freshly signed CRL (DER) of the certificates `ca` issued and that are revoked."""
    now = timezone.now()
    ca_x509 = x509_cert(ca)
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(ca_x509.subject)
        .last_update(now - dt.timedelta(minutes=5))
        .next_update(now + dt.timedelta(days=CRL_DAYS))
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_x509.public_key()), critical=False)
        .add_extension(x509.CRLNumber(int(now.timestamp())), critical=False)
    )
    for c in ca.issued.filter(revoked_at__isnull=False):
        entry = x509.RevokedCertificateBuilder().serial_number(int(c.serial, 16)).revocation_date(c.revoked_at)
        reason = REASONS.get(c.revocation_reason)
        if reason is not None and reason != x509.ReasonFlags.unspecified:
            entry = entry.add_extension(x509.CRLReason(reason), critical=False)
        builder = builder.add_revoked_certificate(entry.build())
    return builder.sign(private_key(ca), hashes.SHA256()).public_bytes(serialization.Encoding.DER)


@dataclass(frozen=True)
class Trust:
    """What a validator needs: trust roots, intermediates, CRLs (asn1crypto / DER)."""

    roots: list[asn1_x509.Certificate]
    intermediates: list[asn1_x509.Certificate]
    crls: list[bytes]


def pki_trust() -> Trust:
    """The court's own trust material, for validating papers it signed."""
    roots = [asn1(c) for c in Certificate.objects.filter(kind=CertKind.ROOT)]
    cas = list(Certificate.objects.filter(kind=CertKind.ISSUING))
    crls = [pki_crl(c) for c in Certificate.objects.filter(kind__in=[CertKind.ROOT, CertKind.ISSUING])]
    return Trust(roots=roots, intermediates=[asn1(c) for c in cas], crls=crls)


def asn1(cert: Certificate) -> asn1_x509.Certificate:
    return _asn1(cert.cert_pem)


@lru_cache(maxsize=1024)
def _asn1(pem: str) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(_load_cert(pem).public_bytes(serialization.Encoding.DER))


def asn1_key(cert: Certificate) -> asn1_keys.PrivateKeyInfo:
    der = private_key(cert).private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return asn1_keys.PrivateKeyInfo.load(der)


def chain(cert: Certificate) -> list[Certificate]:
    """The certificate and its issuers up to the root."""
    out = [cert]
    while out[-1].issuer_id is not None:
        out.append(out[-1].issuer)
    return out


def pki_trust_from_files(*, roots, intermediates=(), crls=()) -> Trust:
    """Trust built only from files (PEM or DER certificates, CRLs): for offline verification, no database."""
    from pathlib import Path

    from asn1crypto import pem as asn1_pem
    from asn1crypto import x509 as asn1_x509

    def load_certs(paths):
        out = []
        for p in paths:
            data = Path(p).read_bytes()
            if asn1_pem.detect(data):
                out.extend(asn1_x509.Certificate.load(der) for _, _, der in asn1_pem.unarmor(data, multiple=True))
            else:
                out.append(asn1_x509.Certificate.load(data))
        return out

    crl_ders = []
    for p in crls:
        data = Path(p).read_bytes()
        crl_ders.extend([der for _, _, der in asn1_pem.unarmor(data, multiple=True)] if asn1_pem.detect(data)
                        else [data])
    return Trust(roots=load_certs(roots), intermediates=load_certs(intermediates), crls=crl_ders)
