"""Traditional Chinese output: OpenCC for the words, Traditional-Chinese faces for the glyphs.

``[output] language = "zh-Hant"`` renders the letter, the page stamps and the
report in Traditional Chinese. Text goes through OpenCC ``s2twp`` (characters
and Taiwan vocabulary; letter-anchors.md §5), and every Simplified-Chinese
font family in a stylesheet is swapped for its Traditional counterpart, so
Pango never falls back to an SC or JP face for the converted text.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

HANS = "zh-Hans"
HANT = "zh-Hant"
HTML_LANG = {HANS: "zh-CN", HANT: "zh-Hant"}

# Simplified-Chinese family -> its Traditional-Chinese counterpart, per OS.
FONT_SWAP = {
    "Noto Serif CJK SC": "Noto Serif CJK TC",
    "Noto Sans CJK SC": "Noto Sans CJK TC",
    "Source Han Serif SC": "Source Han Serif TC",
    "Source Han Serif CN": "Source Han Serif TW",
    "Source Han Sans SC": "Source Han Sans TC",
    "Source Han Sans CN": "Source Han Sans TW",
    "Songti SC": "Songti TC",
    "STSong": "LiSong Pro",
    "PingFang SC": "PingFang TC",
    "Hiragino Sans GB": "Hiragino Sans CNS",
    "Microsoft YaHei": "Microsoft JhengHei",
    "SimSun": "PMingLiU",
    "NSimSun": "MingLiU",
    "SimHei": "Microsoft JhengHei",
}
_FAMILY = re.compile("|".join(re.escape(f'"{name}"') for name in FONT_SWAP))


@cache
def _converter() -> Any:
    import opencc

    return opencc.OpenCC("s2twp")


def to_hant(text: str) -> str:
    """Simplified -> Traditional (Taiwan standard, with vocabulary)."""
    return str(_converter().convert(text)) if text else text


@cache
def _to_hans() -> Any:
    import opencc

    return opencc.OpenCC("t2s")


def to_hans(text: str) -> str:
    """Traditional (or the recogniser's stray variant glyphs, 別 for 别) -> Simplified."""
    return str(_to_hans().convert(text)) if text else text


def hant_fonts(css: str) -> str:
    """Swap every quoted Simplified-Chinese family in a stylesheet for its TC counterpart."""
    return _FAMILY.sub(lambda m: f'"{FONT_SWAP[m.group(0)[1:-1]]}"', css)


def localize(text: str, script: str) -> str:
    """Convert when the script is Traditional; otherwise return the text unchanged."""
    return to_hant(text) if script == HANT else text
