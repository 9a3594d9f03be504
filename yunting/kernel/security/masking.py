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
