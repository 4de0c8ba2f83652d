"""An invisible text layer over every recognised page, so the packet can be searched.

Each recognised line is written in text render mode 3 (neither filled nor
stroked: invisible) over the scan, in a glyphless Type0 font: Identity-H
codes that are the characters' own code points, an identity ToUnicode map,
every code drawing one empty glyph. No CJK font is embedded (the font program
is a few hundred bytes, shared by the whole file), and each line is scaled to
its box, so a viewer's search highlights the words where the scan shows
them and ``pdftotext`` reads Chinese without spaces between characters.
"""

from __future__ import annotations

import io
import zlib
from functools import cache

from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NumberObject,
    StreamObject,
    TextStringObject,
)

from packager.geometry import Box
from packager.models import PageText

FONT = "/OCR"
_NAME = "/GlyphLessFont"
# Identity-H codes are two bytes: the Basic Multilingual Plane (all of CJK's common use).
_LAST_CODE = 0xFFFF
_TO_UNICODE = b"""/CIDInit /ProcSet findresource begin
12 dict begin
begincmap
/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def
/CMapName /Adobe-Identity-UCS def
/CMapType 2 def
1 begincodespacerange
<0000> <FFFF>
endcodespacerange
1 beginbfrange
<0000> <FFFF> <0000>
endbfrange
endcmap
CMapName currentdict /CMap defineresource pop
end
end
"""


@cache
def _font_program() -> bytes:
    """A TrueType font with one empty glyph: what every code draws."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    builder = FontBuilder(1000, isTTF=True)
    builder.setupGlyphOrder([".notdef", "blank"])
    builder.setupCharacterMap({0x20: "blank"})
    empty = TTGlyphPen(None).glyph()
    builder.setupGlyf({".notdef": empty, "blank": empty})
    builder.setupHorizontalMetrics({".notdef": (1000, 0), "blank": (1000, 0)})
    builder.setupHorizontalHeader(ascent=1000, descent=0)
    builder.setupNameTable({"familyName": "GlyphLessFont", "styleName": "Regular"})
    builder.setupOS2(sTypoAscender=1000, sTypoDescender=0, usWinAscent=1000, usWinDescent=0)
    builder.setupPost()
    out = io.BytesIO()
    builder.save(out)
    return out.getvalue()


def _stream(
    writer: PdfWriter, data: bytes, extra: dict[str, object] | None = None
) -> IndirectObject:
    stream = StreamObject()
    stream._data = zlib.compress(data, 9)
    stream[NameObject("/Filter")] = NameObject("/FlateDecode")
    for key, value in (extra or {}).items():
        stream[NameObject(key)] = value
    return writer._add_object(stream)


class TextLayer:
    """The glyphless font of one output file, added on first use."""

    def __init__(self, writer: PdfWriter) -> None:
        self._writer = writer
        self._font: IndirectObject | None = None

    def font(self) -> IndirectObject:
        """The Type0 font every page's text layer refers to."""
        if self._font is None:
            w = self._writer
            program = _font_program()
            descriptor = DictionaryObject(
                {
                    NameObject("/Type"): NameObject("/FontDescriptor"),
                    NameObject("/FontName"): NameObject(_NAME),
                    NameObject("/Flags"): NumberObject(5),
                    NameObject("/FontBBox"): ArrayObject(
                        [NumberObject(0), NumberObject(0), NumberObject(1000), NumberObject(1000)]
                    ),
                    NameObject("/ItalicAngle"): NumberObject(0),
                    NameObject("/Ascent"): NumberObject(1000),
                    NameObject("/Descent"): NumberObject(0),
                    NameObject("/CapHeight"): NumberObject(1000),
                    NameObject("/StemV"): NumberObject(80),
                    NameObject("/FontFile2"): _stream(
                        w, program, {"/Length1": NumberObject(len(program))}
                    ),
                }
            )
            # Every code (CID) draws glyph 1; 128 KB of one repeated pair compresses to bytes.
            cid_to_gid = b"\x00\x01" * (_LAST_CODE + 1)
            cid_font = DictionaryObject(
                {
                    NameObject("/Type"): NameObject("/Font"),
                    NameObject("/Subtype"): NameObject("/CIDFontType2"),
                    NameObject("/BaseFont"): NameObject(_NAME),
                    NameObject("/CIDSystemInfo"): DictionaryObject(
                        {
                            NameObject("/Registry"): TextStringObject("Adobe"),
                            NameObject("/Ordering"): TextStringObject("Identity"),
                            NameObject("/Supplement"): NumberObject(0),
                        }
                    ),
                    NameObject("/FontDescriptor"): w._add_object(descriptor),
                    NameObject("/DW"): NumberObject(1000),
                    NameObject("/CIDToGIDMap"): _stream(w, cid_to_gid),
                }
            )
            font = DictionaryObject(
                {
                    NameObject("/Type"): NameObject("/Font"),
                    NameObject("/Subtype"): NameObject("/Type0"),
                    NameObject("/BaseFont"): NameObject(_NAME),
                    NameObject("/Encoding"): NameObject("/Identity-H"),
                    NameObject("/DescendantFonts"): ArrayObject([w._add_object(cid_font)]),
                    NameObject("/ToUnicode"): _stream(w, _TO_UNICODE),
                }
            )
            self._font = w._add_object(font)
        return self._font


def operators(text: PageText, whole: Box) -> bytes:
    """The content-stream operators that write ``text`` invisibly over the image in ``whole``."""
    width, height = text.size
    if width <= 0 or height <= 0:
        return b""
    sx, sy = whole.width / width, whole.height / height
    out = [f"BT 3 Tr {FONT} 1 Tf"]
    for line in text.lines:
        chars = [c for c in line.text if ord(c) <= _LAST_CODE and c.isprintable()]
        x0, y0, x1, y1 = line.box
        if not chars or x1 <= x0 or y1 <= y0:
            continue
        size = (y1 - y0) * sy
        advance = (x1 - x0) * sx / len(chars)  # each glyph is 1 em wide (/DW 1000)
        x = whole.x + x0 * sx
        baseline = whole.y + whole.height - y1 * sy + 0.15 * size
        codes = "".join(f"{ord(c):04X}" for c in chars)
        out.append(f"{advance:.3f} 0 0 {size:.3f} {x:.3f} {baseline:.3f} Tm <{codes}> Tj")
    if len(out) == 1:
        return b""
    out.append("ET")
    return " ".join(out).encode("ascii")


def font_resource(layer: TextLayer) -> DictionaryObject:
    """The page's /Font resource naming the layer's font."""
    return DictionaryObject({NameObject(FONT): layer.font()})
