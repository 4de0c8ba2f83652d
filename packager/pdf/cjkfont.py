"""A subset of the system's Simplified-Chinese font, to draw form values qpdf cannot.

qpdf draws a form's values in the form's own WinAnsi font, so Chinese comes
out as "?"; ``pdf.forms`` draws such values itself and needs a font that has
the glyphs, embedded as a subset (a few KB, not the 20 MB collection). This
module is where the font is found (fontconfig, then the path Debian's
``fonts-noto-cjk`` installs) and cut down with fontTools; the result is
plain bytes and numbers, so only ``pdf.forms`` knows PDF and only this module
knows fontTools' way of reading fonts.

Noto Sans CJK is a CID-keyed CFF font: its glyph names are its CIDs
(``cid17195``), and a subset keeps them, so a PDF can address glyphs by the
CID itself (``Identity-H``) and the same text gives the same bytes on every
run.
"""

from __future__ import annotations

import functools
import io
import subprocess
from dataclasses import dataclass
from pathlib import Path

# Where Debian's fonts-noto-cjk puts the collection, and the SC face in it.
_FALLBACK = (Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"), 2)
_FAMILY = "Noto Sans CJK SC:lang=zh-cn"


@dataclass(frozen=True, slots=True)
class Subset:
    """A font program holding exactly the glyphs of some text.

    ``cff``: the bare CID-keyed CFF (a PDF's ``FontFile3 /CIDFontType0C``).
    ``cids``: each character's CID; ``widths``: each CID's advance in
    thousandths of the font size. ``ascent``/``descent`` (negative) and
    ``bbox`` in the same units; ``name`` the PostScript name.
    """

    cff: bytes
    cids: dict[str, int]
    widths: dict[int, int]
    ascent: int
    descent: int
    bbox: tuple[int, int, int, int]
    name: str

    def width(self, text: str) -> float:
        """Advance of ``text`` in thousandths of the font size."""
        return float(sum(self.widths[self.cids[c]] for c in text))


def matched(family: str) -> tuple[Path, int] | None:
    """The font file (and face in it) fontconfig gives for ``family``; None when it cannot."""
    try:
        found = subprocess.run(
            ["fc-match", "-f", "%{file}|%{index}", family],
            capture_output=True,
            text=True,
            check=True,
            timeout=10,
        ).stdout
        path, index = found.split("|")
        return Path(path), int(index or 0)
    except (OSError, ValueError, subprocess.SubprocessError):
        return None


def _located() -> tuple[Path, int] | None:
    """The CJK face fontconfig names, else Debian's path; None when there is none."""
    found = matched(_FAMILY)
    if found is not None and "CJK" in found[0].name and found[0].is_file():
        return found
    return _FALLBACK if _FALLBACK[0].is_file() else None


@functools.cache
def font_path() -> tuple[Path, int] | None:
    """Which font file (and face in it) values are drawn with; None when none is installed."""
    return _located()


def identity() -> str:
    """Which font a drawn value would come from (file, face, size, time), for cache keys."""
    found = font_path()
    if found is None:
        return "no CJK font"
    path, index = found
    try:
        stat = path.stat()
    except OSError:
        return f"{path}|{index}"
    return f"{path}|{index}|{stat.st_size}|{stat.st_mtime_ns}"


def missing(text: str) -> set[str]:
    """Characters of ``text`` the font has no glyph for (all of them when there is no font)."""
    cmap = _cmap()
    return {c for c in text if ord(c) not in cmap}


@functools.cache
def _cmap() -> dict[int, str]:
    from fontTools.ttLib import TTFont

    located = font_path()
    if located is None:
        return {}
    path, index = located
    with TTFont(path, fontNumber=index, lazy=True) as font:
        return dict(font.getBestCmap())


@functools.lru_cache(maxsize=32)
def subset(chars: str) -> Subset:
    """The font cut down to ``chars`` (sorted, unique: the same set gives the same bytes).

    Raises ``LookupError`` when a character has no glyph or no font is installed.
    """
    from fontTools import subset as cutter
    from fontTools.ttLib import TTFont

    located = font_path()
    absent = missing(chars)
    if located is None or absent:
        raise LookupError("".join(sorted(absent)))
    path, index = located
    cmap = _cmap()
    names = sorted({cmap[ord(c)] for c in chars})
    options = cutter.Options()
    options.layout_features = []
    options.name_IDs = []
    options.hinting = False
    options.desubroutinize = True
    options.notdef_outline = True
    with TTFont(path, fontNumber=index, lazy=True) as font:
        name = font["name"].getDebugName(6) or "NotoSansCJKsc-Regular"
        head = font["head"]
        bbox = (head.xMin, head.yMin, head.xMax, head.yMax)
        os2 = font["OS/2"]
        ascent, descent = int(os2.sTypoAscender), int(os2.sTypoDescender)
        tool = cutter.Subsetter(options)
        tool.populate(glyphs=names)
        tool.subset(font)
        cff = font["CFF "].cff
        out = io.BytesIO()
        cff.compile(out, font)
        metrics = font["hmtx"]
        widths = {_cid(n): int(metrics[n][0]) for n in names}
    return Subset(
        cff=out.getvalue(),
        cids={c: _cid(cmap[ord(c)]) for c in chars},
        widths=widths,
        ascent=ascent,
        descent=descent,
        bbox=bbox,
        name=name,
    )


def _cid(glyph: str) -> int:
    """A CID-keyed font's glyph name is its CID (``cid01234``; ``.notdef`` is 0)."""
    return int(glyph[3:]) if glyph.startswith("cid") else 0


@functools.lru_cache(maxsize=64)
def compacted(program: bytes, cids: frozenset[int]) -> bytes | None:
    """A bare CID-keyed CFF of ``program``'s glyphs ``cids``, or None to keep it as it is.

    WeasyPrint embeds its CJK subsets as OpenType with every glyph number kept
    (HarfBuzz's RETAIN_GIDS), so a page using 200 of Noto's 65,000 glyphs
    still carries an empty slot for each of the others: about 100 KB a face,
    half a megabyte a packet. Its pages address glyphs by those numbers. In a
    CID-keyed font whose glyph numbers are its CIDs (Noto and Source Han
    are), a bare CFF (``/CIDFontType0C``) keeps each glyph's CID in its
    charset, so the same codes still find the same glyphs with the empty
    slots gone. Any other font is left alone (None).
    """
    from fontTools import subset as cutter
    from fontTools.ttLib import TTFont

    try:
        font = TTFont(io.BytesIO(program), lazy=True)
        if "CFF " not in font or not hasattr(font["CFF "].cff.topDictIndex[0], "ROS"):
            return None
        order = font.getGlyphOrder()
        codes = sorted(cids | {0})
        if codes[-1] >= len(order) or any(order[c] != f"cid{c:05d}" for c in codes[1:]):
            return None  # a glyph number that is not its CID: the codes would change meaning
        names = [order[c] for c in codes]
        options = cutter.Options()
        options.layout_features = []
        options.desubroutinize = True
        options.notdef_outline = True
        options.drop_tables += ["GSUB", "GPOS"]
        tool = cutter.Subsetter(options)
        tool.populate(glyphs=names)
        tool.subset(font)
        out = io.BytesIO()
        font["CFF "].cff.compile(out, font)
    except Exception:  # noqa: BLE001 - a font fontTools cannot read stays as WeasyPrint wrote it
        return None
    return out.getvalue()
