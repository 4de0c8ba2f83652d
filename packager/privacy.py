"""Masking of ID, phone and account numbers, and checks of their shape.

Defaults follow common Chinese practice (domain.md §5): ID first 6 + last 4,
phone 3****4, account last 4 only. ``mask_text`` scrubs free text (file names,
messages) so a number typed into a file name never reaches ``out/``.
"""

from __future__ import annotations

import re
from datetime import date

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_ID_IN_TEXT = re.compile(r"(?<![0-9A-Za-z])(\d{6})(\d{8})(\d{3})([0-9Xx])(?![0-9A-Za-z])")
_PHONE_IN_TEXT = re.compile(
    r"(?<!\d)(?:\+?86[\s-]?|0086[\s-]?)?(1[3-9]\d)[\s-]?(\d{4})[\s-]?(\d{4})(?!\d)"
)
_LONG_NUMBER = re.compile(r"(?<!\d)\d{15,19}(?!\d)")  # card numbers; not 13-digit timestamps


def id_problem(raw: str) -> str | None:
    """Return None for a valid GB 11643 ID number, else a problem code."""
    value = raw.strip().upper()
    if len(value) != 18 or not value[:17].isdigit() or value[17] not in "0123456789X":
        return "ID_FORMAT"
    try:
        date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return "ID_BIRTH_DATE"
    total = sum(int(d) * w for d, w in zip(value[:17], _ID_WEIGHTS, strict=True))
    if _ID_CHECK[total % 11] != value[17]:
        return "ID_CHECK_DIGIT"
    return None


def normalize_id(raw: str) -> str:
    """Upper-case the check character: a lowercase x is shown as X."""
    return raw.strip().upper()


def normalize_phone(raw: str) -> str:
    """Strip spaces, dashes and a +86/0086 prefix."""
    value = re.sub(r"[\s\-()（）]", "", raw)
    for prefix in ("+86", "0086", "86"):
        if value.startswith(prefix) and len(value) == len(prefix) + 11:
            value = value[len(prefix) :]
    return value


def phone_ok(raw: str) -> bool:
    """True for a mainland mobile number (1[3-9] and 9 more digits)."""
    return re.fullmatch(r"1[3-9]\d{9}", normalize_phone(raw)) is not None


def mask_id(raw: str) -> str:
    """11010519491231002X -> 110105********002X."""
    value = normalize_id(raw)
    if len(value) <= 10:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def mask_phone(raw: str) -> str:
    """13800138000 -> 138****8000."""
    value = normalize_phone(raw)
    if len(value) < 8:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def shown_phone(raw: str, masked: bool) -> str:
    """The applicant's phone as the letter, cover and label print it.

    In full, so the lender can call back, unless ``[privacy] mask_phone_in_letter``.
    """
    return mask_phone(raw) if masked else normalize_phone(raw)


def mask_account(raw: str) -> str:
    """Card or account numbers keep the last 4 (****7890); e-mail logins keep 2 + domain."""
    value = raw.strip()
    if "@" in value:
        local, _, domain = value.partition("@")
        return f"{local[:2]}***@{domain}"
    if len(value) <= 4:
        return "*" * len(value)
    return "****" + value[-4:]


def mask_text(text: str) -> str:
    """Mask anything in free text that looks like an ID, phone or card number."""
    text = _ID_IN_TEXT.sub(lambda m: m.group(1) + "********" + m.group(3) + m.group(4), text)
    text = _PHONE_IN_TEXT.sub(lambda m: m.group(1) + "****" + m.group(3), text)
    return _LONG_NUMBER.sub(lambda m: "****" + m.group(0)[-4:], text)
