"""Which catalog language a run speaks."""

from __future__ import annotations

from packager.hant import is_traditional

Lang = str  # "zh" or "en"


def lang_key(lang: str) -> Lang:
    """Map a ``--lang`` value to a catalog key."""
    return "en" if lang.lower().startswith("en") else "zh"


def is_hant(lang: str) -> bool:
    """True for Traditional Chinese (zh-Hant, zh-Hant-TW, zh-Hant-HK): the zh catalog through OpenCC."""
    return is_traditional(lang)
