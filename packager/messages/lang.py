"""Which catalog language a run speaks."""

from __future__ import annotations

Lang = str  # "zh" or "en"


def lang_key(lang: str) -> Lang:
    """Map a ``--lang`` value to a catalog key."""
    return "en" if lang.lower().startswith("en") else "zh"


def is_hant(lang: str) -> bool:
    """True for Traditional Chinese ("zh-Hant"): the zh catalog through OpenCC."""
    return lang.lower() in ("zh-hant", "zh-tw", "zh-hk")
