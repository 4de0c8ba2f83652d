"""Traditional Chinese output: OpenCC for the words, Traditional-Chinese faces for the glyphs.

``[output] language = "zh-Hant"`` renders the letter, the page stamps and the
report in Traditional Chinese. Text goes through OpenCC: characters only
(``s2t``) by default; ``zh-Hant-TW`` adds Taiwan phrasing (``s2twp``: 用户 →
使用者, 软件 → 軟體) and ``zh-Hant-HK`` Hong Kong forms (``s2hk``), for a reader
who wants them. Proper names (the lender, the product, the applicant, the
addresses) are only ever converted character by character, in every variant,
so 网络科技 in a lender's name is never rewritten as 網路科技. Every
Simplified-Chinese font family in a stylesheet is swapped for its Traditional
counterpart, so Pango never falls back to an SC or JP face.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from typing import Any

HANS = "zh-Hans"
HANT = "zh-Hant"
HANT_TW = "zh-Hant-TW"
HANT_HK = "zh-Hant-HK"
# Each Traditional variant and its OpenCC configuration (characters only is the default).
VARIANTS = {HANT: "s2t", HANT_TW: "s2twp", HANT_HK: "s2hk"}
# Language codes a run may be asked in, and the variant each means.
_CODES = {
    "zh-hant": HANT,
    "zh-hant-tw": HANT_TW,
    "zh-tw": HANT_TW,
    "zh-hant-hk": HANT_HK,
    "zh-hk": HANT_HK,
}
HTML_LANG = {HANS: "zh-CN", HANT: "zh-Hant", HANT_TW: "zh-Hant-TW", HANT_HK: "zh-Hant-HK"}

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


def variant(script: str) -> str | None:
    """The Traditional variant a script or language code names (zh-Hant-TW …), None for others."""
    return _CODES.get(script.lower())


def is_traditional(script: str) -> bool:
    """True for zh-Hant and its Taiwan and Hong Kong variants."""
    return variant(script) is not None


@cache
def _converter(config: str) -> Any:
    import opencc

    return opencc.OpenCC(config)


# Private-use marks around a kept name's number: OpenCC passes them (and the digits) through.
_OPEN, _CLOSE = "\ue000", "\ue001"
_KEPT = re.compile(f"{_OPEN}(\\d+){_CLOSE}")


def to_hant(text: str, script: str = HANT, keep: Sequence[str] = ()) -> str:
    """Simplified -> Traditional in ``script``'s variant; the names in ``keep`` characters only."""
    if not text:
        return text
    config = VARIANTS[variant(script) or HANT]
    names = sorted({n for n in keep if n and n in text}, key=len, reverse=True)
    if config == VARIANTS[HANT] or not names:
        return str(_converter(config).convert(text))
    for i, name in enumerate(names):
        text = text.replace(name, f"{_OPEN}{i}{_CLOSE}")
    converted = str(_converter(config).convert(text))
    chars = _converter(VARIANTS[HANT])
    return _KEPT.sub(lambda m: str(chars.convert(names[int(m.group(1))])), converted)


def name_to_hant(name: str) -> str:
    """A proper name (a lender, a product, a person, a place): its characters only, 支付宝 → 支付寶."""
    return str(_converter(VARIANTS[HANT]).convert(name)) if name else name


def to_hans(text: str) -> str:
    """Traditional (or the recogniser's stray variant glyphs, 別 for 别) -> Simplified."""
    return str(_converter("t2s").convert(text)) if text else text


def to_hans_phrases(text: str) -> str:
    """Taiwan wording -> Mainland Simplified (``tw2sp``: 線上客服 → 在线客服, 計程車 → 出租车)."""
    return str(_converter("tw2sp").convert(text)) if text else text


def to_hans_hk(text: str) -> str:
    """Hong Kong forms -> Simplified (``hk2s``: 衞生院 → 卫生院, which ``t2s`` keeps)."""
    return str(_converter("hk2s").convert(text)) if text else text


def hant_fonts(css: str) -> str:
    """Swap every quoted Simplified-Chinese family in a stylesheet for its TC counterpart."""
    return _FAMILY.sub(lambda m: f'"{FONT_SWAP[m.group(0)[1:-1]]}"', css)


def localize(text: str, script: str, keep: Sequence[str] = ()) -> str:
    """Convert when the script is Traditional (names in ``keep`` characters only); else as is."""
    return to_hant(text, script, keep) if is_traditional(script) else text
