"""Masking of personal data wherever it leaves its owner's view (DOMAIN.md: by role, ID 1101**********002X)."""


def mask_id_number(value: str | None) -> str:
    if not value:
        return ""
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def mask_phone(value: str | None) -> str:
    if not value:
        return ""
    if len(value) < 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_name(value: str | None) -> str:
    """Surname + 某, as published judgments do for protected persons."""
    if not value:
        return ""
    return value[0] + "某"


class MaskedContactMixin:
    """For records with `id_number` and `phone`: the masked forms shown wherever they leave the owner's view."""

    @property
    def id_number_masked(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)
