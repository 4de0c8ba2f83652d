"""Form values qpdf cannot draw, drawn in an embedded Chinese font (pikepdf's second door).

``pdf.repair`` is where source PDFs meet qpdf; this module is its helper for
one job and the only other module that imports pikepdf. qpdf's
``generate_appearance_streams`` writes a field's value in the form's own
WinAnsi font, so 张三 comes out "??" — and our users fill their forms in
Chinese. For each such text field, combo box or list box, we write the
field's appearance ourselves: the value in a subset of Noto Sans CJK SC
(``cjkfont``), in the field's rectangle, at the size its ``/DA`` asks
(0: fitted), aligned as its ``/Q`` says, wrapped when it is multi-line, one
character per cell in a comb field, with its background and border. Then
``pdf.repair`` flattens it into the page like any other appearance.

A value is shrunk rather than cut off where it does not fit at the asked
size: a viewer would clip it, but a lender must read all of it. One font
subset serves every value of the document. Check boxes and radio buttons
need none of this: their appearances are states (``/AS``) the form carries.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass

import pikepdf

from packager.pdf import cjkfont

_MULTILINE = 1 << 12
_COMB = 1 << 24
_COMBO = 1 << 17
_PAD = 2.0
_AUTO_MULTILINE = 12.0
_SMALLEST = 4.0
_LEADING = 1.15
_FONT = "/FCJK"
_NO_LINE_START = frozenset("，。、；：？！）》」』】〕…—,.;:!?)%")
# An ASCII (or Latin) word is wrapped as a whole; any other character may end a line.
_UNITS = re.compile(r"[0-9A-Za-z\u00c0-\u024f'’.,;:!?%@&*+=/_()\-]+|\s|.", re.S)


@dataclass(frozen=True, slots=True)
class _Field:
    widget: pikepdf.Dictionary
    text: str
    width: float
    height: float
    size: float
    colour: str
    align: int
    lines: bool  # multi-line (or a list box: one option a line)
    comb: int  # cells of a comb field, 0 when it is not one
    chosen: frozenset[int] = frozenset()  # a list box's selected lines, shown highlighted
    turn: int = 0  # /MK /R: the field is drawn turned counter-clockwise by 90, 180 or 270


# The appearance's /Matrix for each /MK /R; the viewer (and qpdf's flattening)
# fits the turned /BBox into /Rect, so no translation is needed.
_TURNS = {90: (0, 1, -1, 0, 0, 0), 180: (-1, 0, 0, -1, 0, 0), 270: (0, -1, 1, 0, 0, 0)}


def inherited(node: object, key: str) -> object:
    """``key`` of a field or the nearest ``/Parent`` that has it (PDF field inheritance)."""
    for _ in range(32):  # a /Parent chain is short; a loop must not hang us
        if not isinstance(node, pikepdf.Dictionary):
            return None
        if key in node:
            return node[key]
        node = node.get("/Parent")
    return None


def _number(value: object, default: float = 0.0) -> float:
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError, ArithmeticError):
        return default


def value_text(widget: pikepdf.Dictionary) -> str:
    """What the field shows: its value; a list box's selected values one a line."""
    value = inherited(widget, "/V")
    if isinstance(value, pikepdf.Array):
        return "\n".join(str(v) for v in value if isinstance(v, pikepdf.String))
    if isinstance(value, pikepdf.String):
        return str(value)
    if isinstance(value, pikepdf.Name) and str(value) != "/Off":
        return str(value)[1:]
    return ""


def _options(widget: pikepdf.Dictionary) -> tuple[str, frozenset[int]] | None:
    """A list box's options, one a line, and which are selected; None without ``/Opt``."""
    opt = inherited(widget, "/Opt")
    if not isinstance(opt, pikepdf.Array) or not len(opt):
        return None
    shown, exported = [], []
    for item in opt:
        pair = list(item) if isinstance(item, pikepdf.Array) else [item, item]
        exported.append(str(pair[0]) if pair else "")
        shown.append(str(pair[-1]) if pair else "")
    values = set(value_text(widget).split("\n"))
    chosen = {i for i, export in enumerate(exported) if export in values}
    indices = inherited(widget, "/I")
    if not chosen and isinstance(indices, pikepdf.Array):
        chosen = {int(_number(i, -1)) for i in indices}
    return "\n".join(shown), frozenset(chosen)


def _appearance_da(widget: pikepdf.Dictionary, acroform: pikepdf.Dictionary) -> str:
    da = inherited(widget, "/DA")
    if not isinstance(da, pikepdf.String):
        da = acroform.get("/DA")
    return str(da) if isinstance(da, pikepdf.String) else ""


def _clean(text: str, lines: bool) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    # Other spaces (U+3000, no-break) count as spaces; control characters draw nothing.
    text = "".join(c if c == "\n" or c.isprintable() else " " if c.isspace() else "" for c in text)
    return text if lines else text.replace("\n", " ")


def field(widget: pikepdf.Dictionary, acroform: pikepdf.Dictionary) -> _Field | None:
    """The drawing a widget asks for, or None when it has no area to draw in."""
    rect = widget.get("/Rect")
    if not isinstance(rect, pikepdf.Array) or len(rect) != 4:
        return None
    x1, y1, x2, y2 = (_number(v) for v in rect)
    width, height = abs(x2 - x1), abs(y2 - y1)
    if width < 1 or height < 1:
        return None
    mk = widget.get("/MK")
    turn = int(_number(mk.get("/R"))) % 360 if isinstance(mk, pikepdf.Dictionary) else 0
    turn = turn if turn in _TURNS else 0
    if turn in (90, 270):  # laid out along the turned field: its width is the rect's height
        width, height = height, width
    da = _appearance_da(widget, acroform)
    size_match = re.search(r"/\S+\s+([\d.]+)\s+Tf", da)
    colours = re.findall(r"((?:-?[\d.]+\s+){1}g|(?:-?[\d.]+\s+){3}rg|(?:-?[\d.]+\s+){4}k)\b", da)
    flags = int(_number(inherited(widget, "/Ff")))
    kind = str(inherited(widget, "/FT"))
    listbox = kind == "/Ch" and not flags & _COMBO
    lines = listbox or (kind == "/Tx" and bool(flags & _MULTILINE))
    cells = int(_number(inherited(widget, "/MaxLen")))
    comb = cells if kind == "/Tx" and flags & _COMB and not lines and cells > 0 else 0
    text, chosen = value_text(widget), frozenset[int]()
    if listbox:
        text, chosen = _options(widget) or (text, chosen)
    align = inherited(widget, "/Q")
    if align is None:
        align = acroform.get("/Q")
    return _Field(
        widget=widget,
        text=_clean(text, lines),
        width=width,
        height=height,
        size=float(size_match.group(1)) if size_match else 0.0,
        colour=colours[-1].strip() if colours else "0 g",
        align=int(_number(align)),
        lines=lines,
        comb=comb,
        chosen=chosen,
        turn=turn,
    )


def _wrap(text: str, room: float, size: float, font: cjkfont.Subset) -> list[str]:
    """Break ``text`` into lines no wider than ``room`` (a word longer than a line is cut)."""
    out: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for unit in _UNITS.findall(paragraph):
            if font.width(line + unit) * size / 1000 <= room:
                line += unit
                continue
            if unit in _NO_LINE_START and len(line) > 1:
                # A comma or full stop never starts a line: the character before it goes along.
                line, unit = line[:-1], line[-1] + unit
            if line.strip():
                out.append(line.rstrip())
            line = "" if unit.isspace() else unit
            while len(line) > 1 and font.width(line) * size / 1000 > room:
                cut = len(line) - 1
                while cut > 1 and font.width(line[:cut]) * size / 1000 > room:
                    cut -= 1
                out.append(line[:cut])
                line = line[cut:]
        out.append(line.rstrip())
    return out


def _hex(text: str, font: cjkfont.Subset) -> str:
    return "<" + "".join(f"{font.cids[c]:04X}" for c in text) + ">"


def _show(x: float, y: float, size: float, text: str, font: cjkfont.Subset) -> str:
    return f"BT {_FONT} {size:.2f} Tf {x:.2f} {y:.2f} Td {_hex(text, font)} Tj ET"


def _frame(widget: pikepdf.Dictionary, width: float, height: float) -> tuple[list[str], float]:
    """The field's background and border (from ``/MK``), and the border's width."""
    ops: list[str] = []
    mk = widget.get("/MK")
    border = 0.0
    if isinstance(mk, pikepdf.Dictionary):
        fill = {1: "g", 3: "rg", 4: "k"}
        bg, bc = mk.get("/BG"), mk.get("/BC")
        if isinstance(bg, pikepdf.Array) and len(bg) in fill:
            values = " ".join(f"{_number(v):.3f}" for v in bg)
            ops.append(f"{values} {fill[len(bg)]} 0 0 {width:.2f} {height:.2f} re f")
        if isinstance(bc, pikepdf.Array) and len(bc) in fill:
            bs = widget.get("/BS")
            border = _number(bs.get("/W"), 1.0) if isinstance(bs, pikepdf.Dictionary) else 1.0
            if border > 0:
                values = " ".join(f"{_number(v):.3f}" for v in bc)
                half = border / 2
                ops.append(
                    f"{values} {fill[len(bc)].upper()} {border:.2f} w "
                    f"{half:.2f} {half:.2f} {width - border:.2f} {height - border:.2f} re S"
                )
    return ops, border


def _content(f: _Field, font: cjkfont.Subset) -> bytes:
    ops, border = _frame(f.widget, f.width, f.height)
    inset = border + _PAD
    room_w, room_h = f.width - 2 * inset, f.height - 2 * inset
    em = (font.ascent - font.descent) / 1000
    body: list[str] = []
    if f.comb:
        cell = f.width / f.comb
        size = f.size or max(_SMALLEST, min(room_h / em, cell * 0.9))
        base = (f.height - size * em) / 2 - size * font.descent / 1000
        for i, char in enumerate(f.text[: f.comb]):
            x = i * cell + (cell - font.width(char) * size / 1000) / 2
            body.append(_show(x, base, size, char, font))
    elif f.lines:
        size = f.size or _AUTO_MULTILINE
        while True:
            lines = f.text.split("\n") if f.chosen else _wrap(f.text, room_w, size, font)
            if len(lines) * size * em * _LEADING <= room_h + 0.01 or size <= _SMALLEST:
                break
            size = max(_SMALLEST, size - 0.5)
        y = f.height - inset - size * font.ascent / 1000
        step = size * em * _LEADING
        for number, line in enumerate(lines):
            if number in f.chosen:
                low = y + size * font.descent / 1000 - (step - size * em) / 2
                body.append(f"q 0.85 g {inset:.2f} {low:.2f} {room_w:.2f} {step:.2f} re f Q")
            body.append(_show(_aligned(f, line, size, inset, room_w, font), y, size, line, font))
            y -= step
    else:
        wide = font.width(f.text) / 1000
        fit = min(room_h / em, room_w / wide) if wide else room_h / em
        size = max(_SMALLEST, min(f.size, fit) if f.size else fit)
        base = inset + (room_h - size * em) / 2 - size * font.descent / 1000
        body.append(_show(_aligned(f, f.text, size, inset, room_w, font), base, size, f.text, font))
    clip = f"{inset - _PAD / 2:.2f} {inset - _PAD / 2:.2f} {f.width - 2 * inset + _PAD:.2f} "
    clip += f"{f.height - 2 * inset + _PAD:.2f} re W n"
    text = ["/Tx BMC", "q", clip, f.colour, *body, "Q", "EMC"]
    return "\n".join([*ops, *text]).encode("ascii")


def _aligned(
    f: _Field, line: str, size: float, inset: float, room: float, font: cjkfont.Subset
) -> float:
    spare = room - font.width(line) * size / 1000
    return inset + max(0.0, spare) * {1: 0.5, 2: 1.0}.get(f.align, 0.0)


def _font_dict(pdf: pikepdf.Pdf, font: cjkfont.Subset) -> pikepdf.Dictionary:
    """A Type0 font over the CFF subset, with the widths and a ToUnicode map for copying text."""
    tag = "".join(chr(65 + b % 26) for b in hashlib.sha256(font.cff).digest()[:6])
    base = pikepdf.Name(f"/{tag}+{font.name}")
    program = pikepdf.Stream(pdf, font.cff)
    program.Subtype = pikepdf.Name.CIDFontType0C
    descriptor = pikepdf.Dictionary(
        Type=pikepdf.Name.FontDescriptor,
        FontName=base,
        Flags=4,
        FontBBox=pikepdf.Array(list(font.bbox)),
        ItalicAngle=0,
        Ascent=font.ascent,
        Descent=font.descent,
        CapHeight=font.ascent,
        StemV=80,
        FontFile3=program,
    )
    widths: list[object] = []
    for cid in sorted(font.widths):
        widths += [cid, pikepdf.Array([font.widths[cid]])]
    cidfont = pikepdf.Dictionary(
        Type=pikepdf.Name.Font,
        Subtype=pikepdf.Name.CIDFontType0,
        BaseFont=base,
        CIDSystemInfo=pikepdf.Dictionary(Registry="Adobe", Ordering="Identity", Supplement=0),
        FontDescriptor=pdf.make_indirect(descriptor),
        DW=1000,
        W=pikepdf.Array(widths),
    )
    return pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Font,
            Subtype=pikepdf.Name.Type0,
            BaseFont=base,
            Encoding=pikepdf.Name("/Identity-H"),
            DescendantFonts=pikepdf.Array([pdf.make_indirect(cidfont)]),
            ToUnicode=pikepdf.Stream(pdf, _to_unicode(font)),
        )
    )


def _to_unicode(font: cjkfont.Subset) -> bytes:
    pairs = sorted({(cid, char) for char, cid in font.cids.items()})
    lines = [
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap",
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
        "/CMapName /Adobe-Identity-UCS def /CMapType 2 def",
        "1 begincodespacerange <0000> <FFFF> endcodespacerange",
    ]
    for start in range(0, len(pairs), 100):
        chunk = pairs[start : start + 100]
        lines.append(f"{len(chunk)} beginbfchar")
        lines += [f"<{cid:04X}> <{char.encode('utf-16-be').hex().upper()}>" for cid, char in chunk]
        lines.append("endbfchar")
    lines.append("endcmap CMapName currentdict /CMap defineresource pop end end")
    return "\n".join(lines).encode("ascii")


def draw(pdf: pikepdf.Pdf, widgets: Sequence[pikepdf.Dictionary]) -> set[int]:
    """Give each widget an appearance showing its value; return the indices of those not drawn.

    A widget is left undrawn (its appearance removed, never "?") when the
    font lacks one of its characters or no CJK font is installed.
    """
    acroform = pdf.Root.get("/AcroForm")
    form = acroform if isinstance(acroform, pikepdf.Dictionary) else pikepdf.Dictionary()
    lost: set[int] = set()
    todo: list[_Field] = []
    for index, widget in enumerate(widgets):
        f = field(widget, form)
        if f is None or cjkfont.missing(f.text.replace("\n", "")):
            lost.add(index)
            if "/AP" in widget:
                del widget["/AP"]
        else:
            todo.append(f)
    chars = "".join(sorted({c for f in todo for c in f.text if c != "\n"}))
    if not chars:
        return lost
    font = cjkfont.subset(chars)
    resources = pikepdf.Dictionary(Font=pikepdf.Dictionary({_FONT: _font_dict(pdf, font)}))
    for f in todo:
        stream = pikepdf.Stream(pdf, _content(f, font))
        stream.Type = pikepdf.Name.XObject
        stream.Subtype = pikepdf.Name.Form
        stream.BBox = pikepdf.Array([0, 0, f.width, f.height])
        if f.turn:
            stream.Matrix = pikepdf.Array(list(_TURNS[f.turn]))
        stream.Resources = resources
        f.widget.AP = pikepdf.Dictionary(N=stream)
    return lost
