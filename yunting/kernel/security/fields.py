"""Field-level encryption at rest.

The cryptography is Fernet (AES-128-CBC + HMAC-SHA256) from `cryptography`; this module only wires it into a
Django field. MultiFernet lets keys rotate: the first key encrypts, all keys decrypt. A keyed blind index
(HMAC-SHA256) next to an encrypted column allows exact-match lookups without decrypting every row.
"""

from __future__ import annotations

import hashlib
import hmac
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models


@cache
def _fernet() -> MultiFernet:
    return MultiFernet([Fernet(k.encode()) for k in settings.FIELD_ENCRYPTION_KEYS])


def encrypt_text(value: str) -> str:
    return _fernet().encrypt(value.encode("utf-8")).decode("ascii")


def decrypt_text(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken as exc:  # a wrong or missing key must never look like empty data
        raise ValueError("encrypted field cannot be decrypted with the configured keys") from exc


def blind_index(value: str) -> str:
    key = hashlib.sha256(("blind-index:" + settings.FIELD_ENCRYPTION_KEYS[0]).encode()).digest()
    return hmac.new(key, value.encode("utf-8"), hashlib.sha256).hexdigest()


class EncryptedTextField(models.TextField):
    """Stores Fernet ciphertext; Python code only ever sees the plaintext."""

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return decrypt_text(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt_text(value)
