"""Generated forms filled in Chinese, as LibreOffice and Chinese PDF editors write them.

Each field draws its value in a colour of its own (its ``/DA``), so a test
can find every value on the rendered page by colour and check it lies in
the field's rectangle. Nothing binary is committed.
"""

from __future__ import annotations

from dataclasses import dataclass

from tests.wild import HELV, _stream, raw_pdf


@dataclass(frozen=True)
class Field:
    name: str
    value: str
    rect: tuple[int, int, int, int]
    colour: tuple[int, int, int]  # 0–255, as rendered
    extra: bytes = b""
    kind: bytes = b"/Tx"
    size: int = 0  # the /DA font size; 0 = auto
    mk: bytes = b""  # more of the /MK dictionary, e.g. b"/R 90 "


def text(value: str) -> bytes:
    """A PDF text string: literal for ASCII, UTF-16BE with a BOM otherwise."""
    if all(ord(c) < 128 for c in value):
        return b"(" + value.encode("ascii") + b")"
    return b"<FEFF" + value.encode("utf-16-be").hex().upper().encode() + b">"


ADDRESS = "北京市朝阳区建国路88号院3号楼2单元1501室，邮编100022，联系电话见申请书。"

FIELDS = (
    Field("name", "张三", (140, 750, 400, 780), (0, 0, 255), size=14),
    Field("address", ADDRESS, (140, 600, 400, 700), (255, 0, 0), b"/Ff 4096 "),
    Field("amount", "人民币 12,345.00 元", (140, 540, 400, 570), (0, 153, 0), b"/Q 2 ", size=12),
    Field("code", "一二三四五六", (140, 480, 320, 510), (128, 0, 128), b"/Ff 16777216 /MaxLen 6 "),
    Field(
        "combo",
        "选项乙",
        (140, 420, 400, 450),
        (255, 128, 0),
        b"/Ff 131072 /Opt [" + text("选项甲") + b" " + text("选项乙") + b"] ",
        kind=b"/Ch",
    ),
)


def _da(f: Field) -> bytes:
    r, g, b = (c / 255 for c in f.colour)
    return b"(/Helv %d Tf %.3f %.3f %.3f rg)" % (f.size, r, g, b)


def chinese_form(
    fields: tuple[Field, ...] = FIELDS, need_appearances: bool = True, checkbox: bool = True
) -> bytes:
    """A LibreOffice-like form: values in /V, no appearances, NeedAppearances true.

    Besides ``fields``, a ticked check box (its appearance states drawn by the
    maker, black when ``/Yes``) at 140 380 160 400.
    """
    return _form(fields, need_appearances, checkbox, None)


def drawn_by_maker() -> bytes:
    """A form whose maker drew its own appearance of a Chinese value (no NeedAppearances):
    an orange box the viewer shows as it is, which must not be redrawn."""
    orange = Field("name", "张三", (140, 750, 400, 780), (255, 128, 0))
    ap = _stream(b"1 0.5 0 rg 0 0 260 30 re f", b"/Type /XObject /Subtype /Form /BBox [0 0 260 30]")
    return _form((orange,), False, False, ap)


def _form(
    fields: tuple[Field, ...], need_appearances: bool, checkbox: bool, ap: bytes | None
) -> bytes:
    first = 5  # objects 1–4: catalog, pages, page, content
    numbers = list(range(first, first + len(fields)))
    # The maker's appearance of the first field, if any, is the last object.
    ap_number = first + len(fields) + 1 + (3 if checkbox else 0)
    objects: list[bytes] = []
    for i, f in enumerate(fields):
        own = b"/AP << /N %d 0 R >> " % ap_number if ap is not None and i == 0 else b""
        objects.append(
            b"<< "
            + own
            + b"/Type /Annot /Subtype /Widget /FT "
            + f.kind
            + b" /T ("
            + f.name.encode()
            + b") "
            b"/V "
            + text(f.value)
            + b" /Rect [%d %d %d %d] /P 3 0 R /F 4 " % f.rect
            + b"/DA "
            + _da(f)
            + b" /MK << /BC [0.5 0.5 0.5] "
            + f.mk
            + b">> "
            + f.extra
            + b">>"
        )
    font = first + len(objects)
    objects.append(HELV)
    if checkbox:
        box = font + 1
        numbers.append(box)
        objects.append(
            b"<< /Type /Annot /Subtype /Widget /FT /Btn /T (agree) /V /Yes /AS /Yes "
            b"/Rect [140 380 160 400] /P 3 0 R /F 4 /AP << /N << /Yes %d 0 R /Off %d 0 R >> >> >>"
            % (box + 1, box + 2)
        )
        form = b"/Type /XObject /Subtype /Form /BBox [0 0 20 20]"
        objects.append(_stream(b"0 g 3 3 14 14 re f", form))
        objects.append(_stream(b"0 G 0.5 0.5 19 19 re S", form))
    if ap is not None:
        objects.append(ap)
    refs = b" ".join(b"%d 0 R" % n for n in numbers)
    need = b"true" if need_appearances else b"false"
    labels = b"BT /F1 12 Tf 60 760 Td (Name:) Tj 0 -110 Td (Address:) Tj ET"
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [" + refs + b"] "
            b"/NeedAppearances " + need + b" /DA (/Helv 0 Tf 0 g) "
            b"/DR << /Font << /Helv %d 0 R >> >> >> >>" % font,
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            b"/Annots [" + refs + b"] /Resources << /Font << /F1 %d 0 R >> >> >>" % font,
            _stream(labels),
            *objects,
        ]
    )
