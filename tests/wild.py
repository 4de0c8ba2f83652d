"""Generated files like the ones real cases bring from the wild (issue 15).

Each builder writes, byte by byte, one kind of file that broke a promise on
a run over other projects' test corpora: form PDFs whose values have no
appearance yet, annotations written inline in ``/Annots``, a content stream
with a NUL inside a name, PDFs only qpdf can repair, JPEG headers that do not
add up, MPO files, BigTIFF, damaged CCITT data, 16-bit grey PNG with tRNS.
Nothing binary is committed.
"""

from __future__ import annotations

import io
import struct
import zlib

from PIL import Image, ImageDraw

from tests.conftest import marker_image
from tests.samples import _chunk, save


def raw_pdf(objects: list[bytes], root: int = 1, xref: bool = True) -> bytes:
    """A PDF from numbered object bodies (1-based), with a correct xref table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    start = len(out)
    if xref:
        out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
        out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        root,
        start,
    )
    return bytes(out)


def _stream(content: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s >>\nstream\n" % (len(content), extra) + content + b"\nendstream"


HELV = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"


def nul_name_pdf() -> bytes:
    """A page whose content has ``/DeviceRGB\\x00cs``: PDF white space, not part of the name.

    Drawn after it: a red square and the word "Hello". pypdf alone rewrites
    the name as ``/DeviceRGB#00cs`` and the square loses its colour.
    """
    content = (
        b"/DeviceRGB\x00cs 1 0 0 sc 100 400 300 300 re f\nBT /F1 36 Tf 100 300 Td (Hello) Tj ET\n"
    )
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>",
            _stream(content),
            HELV,
        ]
    )


def form_pdf(values: dict[str, str] | None = None) -> bytes:
    """A filled-in form as LibreOffice writes it: values in /V, no appearance, NeedAppearances.

    Fields: ``name`` (text), ``city`` (text), ``choice`` (list box) and
    ``combo`` (combo box). A viewer draws the values; a merge that drops
    /AcroForm gives blank boxes.
    """
    v = {"name": "Alice", "city": "Bob", "choice": "Two", "combo": "Beta", **(values or {})}

    def text(value: str) -> bytes:
        if all(ord(c) < 128 for c in value):
            return b"(" + value.encode("ascii") + b")"
        return b"<FEFF" + value.encode("utf-16-be").hex().upper().encode() + b">"

    def widget(name: str, ft: bytes, rect: bytes, extra: bytes = b"") -> bytes:
        return (
            b"<< /Type /Annot /Subtype /Widget /FT " + ft + b" /T (" + name.encode() + b") "
            b"/V " + text(v[name]) + b" /Rect [" + rect + b"] /P 3 0 R /F 4 "
            b"/DA (/Helv 14 Tf 0 0 1 rg) /MK << /BC [0 0 0] >> " + extra + b">>"
        )

    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [5 0 R 6 0 R 7 0 R 8 0 R] "
            b"/NeedAppearances true /DA (/Helv 0 Tf 0 g) /DR << /Font << /Helv 9 0 R >> >> >> >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            b"/Annots [5 0 R 6 0 R 7 0 R 8 0 R] /Resources << /Font << /F1 9 0 R >> >> >>",
            _stream(
                b"BT /F1 14 Tf 60 760 Td (Name:) Tj 0 -60 Td (City:) Tj "
                b"0 -60 Td (List:) Tj 0 -120 Td (Combo:) Tj ET"
            ),
            widget("name", b"/Tx", b"140 750 400 780"),
            widget("city", b"/Tx", b"140 690 400 720"),
            widget("choice", b"/Ch", b"140 560 400 660", b"/Opt [(One) (Two) (Three)] /Ff 0 "),
            widget("combo", b"/Ch", b"140 500 400 530", b"/Opt [(Alpha) (Beta)] /Ff 131072 "),
            HELV,
        ]
    )


def inline_annots_pdf() -> bytes:
    """A page with annotations written inline in /Annots (dicts, not references).

    A blue square annotation over the top-left quarter of a page whose own
    content is a green square in the top-right quarter, plus a note (Text)
    annotation with its own appearance at the bottom left.
    """
    square_ap = _stream(
        b"0 0 1 rg 0 0 200 200 re f", b"/Type /XObject /Subtype /Form /BBox [0 0 200 200]"
    )
    note_ap = _stream(
        b"1 0 0 rg 0 0 40 40 re f", b"/Type /XObject /Subtype /Form /BBox [0 0 40 40]"
    )
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            b"/Annots [ << /Type /Annot /Subtype /Square /Rect [50 600 250 800] /C [0 0 1] "
            b"/F 4 /AP << /N 5 0 R >> >> << /Type /Annot /Subtype /Text /Rect [50 50 90 90] "
            b"/F 28 /Contents (note) /AP << /N 6 0 R >> >> ] >>",
            _stream(b"0 0.7 0 rg 345 600 200 200 re f"),
            square_ap,
            note_ap,
        ]
    )


def broken_xref_pdf() -> bytes:
    """A one-page PDF whose xref entries and trailer are garbled (an interrupted save):
    pypdf refuses it, qpdf rebuilds it, a viewer shows the page."""
    good = nul_name_pdf().replace(b"/DeviceRGB\x00cs", b"/DeviceRGB cs ")
    at = good.index(b"xref")
    garbled = b"xref\n0 6\n" + b"zzzzzzzzzz 00000 n \n" * 6
    return good[:at] + garbled + b"trailer\n<< /Size 6 /Root 1 0 R \nstartxref\n%d\n%%%%EOF\n" % at


# --- JPEG -----------------------------------------------------------------

SECRET = b"SECRET-CANON-EOS-GPS-39.9N"


def _segment(marker: int, payload: bytes) -> bytes:
    return bytes((0xFF, marker)) + struct.pack(">H", len(payload) + 2) + payload


def exif_payload() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = SECRET.decode()  # Make
    exif[0x0131] = "PhoneEditor 9.1"  # Software
    exif[0x0132] = "2026:11:20 10:00:00"
    return b"Exif\x00\x00" + exif.tobytes()


METADATA_SEGMENTS = [
    _segment(0xE1, exif_payload()),
    _segment(0xE1, b"http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta>" + SECRET + b"</x:xmpmeta>"),
    _segment(0xED, b"Photoshop 3.0\x008BIM\x04\x04\x00\x00\x00\x00\x00\x10" + SECRET),
    _segment(0xFE, b"comment " + SECRET),
    _segment(0xE2, b"MPF\x00" + SECRET),
]


def _split(jpeg: bytes) -> tuple[bytes, bytes]:
    """(SOI+APP0 of a Pillow JPEG, the rest from its first DQT)."""
    at = jpeg.index(b"\xff\xdb")
    return jpeg[:at], jpeg[at:]


def base_jpeg(size: tuple[int, int] = (240, 320)) -> bytes:
    return save(marker_image(size), "JPEG", quality=85)


def jpeg_with_metadata() -> bytes:
    """A clean header full of metadata: EXIF, XMP, Photoshop IRB, comment, MPF."""
    head, rest = _split(base_jpeg())
    return head + b"".join(METADATA_SEGMENTS) + rest


def jpeg_bad_length() -> bytes:
    """An APP1 whose length field claims 40 bytes more than it holds."""
    head, rest = _split(base_jpeg())
    exif = exif_payload()
    bad = b"\xff\xe1" + struct.pack(">H", len(exif) + 2 + 40) + exif
    return head + bad + b"".join(METADATA_SEGMENTS[1:]) + rest


def jpeg_short_length() -> bytes:
    """An APP1 whose length field claims 8 bytes less than it holds."""
    head, rest = _split(base_jpeg())
    exif = exif_payload()
    bad = b"\xff\xe1" + struct.pack(">H", len(exif) + 2 - 8) + exif
    return head + bad + b"".join(METADATA_SEGMENTS[1:]) + rest


def jpeg_junk_before_marker() -> bytes:
    """Junk bytes between segments (libjpeg warns "extraneous bytes before marker")."""
    head, rest = _split(base_jpeg())
    return head + b"\x00\x13junk" + b"".join(METADATA_SEGMENTS) + b"\x00\x00" + rest


def jpeg_truncated_app14() -> bytes:
    """An Adobe APP14 cut short (5 bytes instead of 12), with the metadata after it."""
    head, rest = _split(base_jpeg())
    return head + _segment(0xEE, b"Adobe") + b"".join(METADATA_SEGMENTS) + rest


def mpo() -> bytes:
    """A real MPO (Pillow writes the MPF index): two frames, each with its own EXIF."""
    exif = Image.Exif()
    exif[0x010F] = SECRET.decode()
    first, second = marker_image((240, 320)), marker_image((240, 320)).rotate(180)
    buffer = io.BytesIO()
    first.save(buffer, "MPO", save_all=True, append_images=[second], exif=exif.tobytes())
    return buffer.getvalue()


def jpeg_trailing_data() -> bytes:
    """A JPEG with bytes after its end marker (some phone apps append a second image or XML)."""
    return jpeg_with_metadata() + b"<x:xmpmeta>" + SECRET + b"</x:xmpmeta>"


def jpeg_faults() -> dict[str, bytes]:
    """Every JPEG header fault the issue names, by name."""
    return {
        "metadata": jpeg_with_metadata(),
        "bad-length": jpeg_bad_length(),
        "short-length": jpeg_short_length(),
        "junk": jpeg_junk_before_marker(),
        "app14": jpeg_truncated_app14(),
        "mpo": mpo(),
        "trailing": jpeg_trailing_data(),
    }


# --- other images ------------------------------------------------------------


def bigtiff() -> bytes:
    """A little-endian BigTIFF (``II+\\0``) holding the marker card."""
    buffer = io.BytesIO()
    marker_image((120, 160)).save(buffer, "TIFF", big_tiff=True)
    return buffer.getvalue()


def damaged_ccitt_tiff() -> bytes:
    """A CCITT G4 TIFF whose code words are scrambled halfway: libtiff reports bad code words."""
    im = Image.new("1", (400, 300), 1)
    ImageDraw.Draw(im).rectangle((50, 50, 350, 250), fill=0)
    data = bytearray(save(im, "TIFF", compression="group4"))
    with Image.open(io.BytesIO(bytes(data))) as probe:
        offset, count = probe.tag_v2[273][0], probe.tag_v2[279][0]
    for i in range(offset + 5, offset + count - 2):
        data[i] ^= 0x5A
    return bytes(data)


def grey16_trns_png(size: tuple[int, int] = (64, 48)) -> bytes:
    """A 16-bit grey PNG whose value 0 is transparent (tRNS), everywhere but a mid-grey band."""
    width, height = size
    rows = b""
    for y in range(height):
        value = 0x8000 if height // 3 <= y < 2 * height // 3 else 0
        rows += b"\x00" + struct.pack(">H", value) * width
    ihdr = struct.pack(">IIBBBBB", width, height, 16, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", ihdr)
        + _chunk(b"tRNS", struct.pack(">H", 0))
        + _chunk(b"IDAT", zlib.compress(rows))
        + _chunk(b"IEND", b"")
    )


def png_unknown_compression() -> bytes:
    """A complete PNG whose IHDR names compression method 1 (only 0 exists)."""
    data = bytearray(save(marker_image((40, 30)), "PNG"))
    ihdr = bytearray(data[16:29])
    ihdr[10] = 1
    data[16:29] = ihdr
    data[29:33] = struct.pack(">I", zlib.crc32(b"IHDR" + bytes(ihdr)))
    return bytes(data)


def bmp_unsupported() -> bytes:
    """A well-formed BMP header with compression 4 (an embedded JPEG), which Pillow cannot read."""
    data = bytearray(save(marker_image((40, 30)), "BMP"))
    data[30:34] = struct.pack("<I", 4)
    return bytes(data)


def tiny_png(size: tuple[int, int], dpi: int) -> bytes:
    return save(marker_image(size), "PNG", dpi=(dpi, dpi))


def rle_bmp(bits: int = 8, corrupt: bool = False, size: tuple[int, int] = (40, 30)) -> bytes:
    """An RLE8 or RLE4 BMP (which Pillow cannot write): bands of palette colours, row by row.

    ``corrupt`` puts a stretch of garbage into the middle of the stream (a
    literal run three rows long, as a damaged copy reads): Pillow still
    decodes the whole picture, into stripes, and raises nothing.
    """
    width, height = size
    palette = [(255, 255, 255), (200, 0, 0), (0, 160, 0), (0, 0, 200)] + [(0, 0, 0)] * 12
    stream = bytearray()
    for y in range(height):  # bottom-up
        colour = 1 + (y * 3) // height
        value = colour if bits == 8 else colour << 4 | colour
        for start in range(0, width, 20):
            stream += bytes([min(20, width - start), value])
        stream += b"\x00\x00"
    stream += b"\x00\x01"
    if corrupt:
        middle = len(stream) // 2 // 6 * 6  # a row boundary (each row is 6 bytes)
        run = 3 * width
        garbage = bytes(i % 4 if bits == 8 else (i % 4) * 17 for i in range(run))
        stored = garbage if bits == 8 else garbage[: (run + 1) // 2]
        stream[middle:middle] = bytes([0, run]) + stored + b"\x00" * (len(stored) & 1)
    colours = 256 if bits == 8 else 16
    table = b"".join(bytes([b, g, r, 0]) for r, g, b in (palette * 16)[:colours])
    offset = 14 + 40 + len(table)
    header = struct.pack(
        "<IiiHHIIiiII",
        40,
        width,
        height,
        1,
        bits,
        1 if bits == 8 else 2,
        len(stream),
        2835,
        2835,
        colours,
        0,
    )
    return (
        b"BM"
        + struct.pack("<IHHI", offset + len(stream), 0, 0, offset)
        + header
        + table
        + bytes(stream)
    )


def escaped_nul_names_pdf() -> bytes:
    """Names with ``#00`` (forbidden even escaped) and a stray ``#``, as resource keys and in
    the content that uses them, plain and inside a Flate-compressed form XObject.

    Drawn: a red square (colour space ``/C#00s``), "Hello" (font ``/F#001``) and, in the
    form, a green square. qpdf alone loses all three names; pypdf alone keeps the NUL.
    """
    form = zlib.compress(b"/C#00s cs 0 0.7 0 sc 0 0 100 100 re f\n")
    content = (
        b"q /C#00s cs 1 0 0 sc 100 400 300 300 re f Q\n"
        b"BT /F#001 36 Tf 100 300 Td (Hello /x#00) Tj ET\n"
        b"q 1 0 0 1 420 100 cm /Fm#00#zz Do Q\n"
    )
    resources = b"<< /Font << /F#001 5 0 R >> /ColorSpace << /C#00s /DeviceRGB >> /XObject << /Fm#00#zz 6 0 R >> >>"
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R /Odd#00Key /Va#00lue /Stray /A#zz >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            b"/Resources " + resources + b" >>",
            _stream(content),
            HELV,
            _stream(
                form,
                b"/Type /XObject /Subtype /Form /BBox [0 0 100 100] /Filter /FlateDecode "
                b"/Resources << /ColorSpace << /C#00s /DeviceRGB >> >>",
            ),
        ]
    )


def gps_exif_payload() -> bytes:
    """An EXIF block with a GPS position (Tiananmen, roughly) and the camera's make."""
    exif = Image.Exif()
    exif[0x010F] = SECRET.decode()  # Make
    exif[0x8825] = {1: "N", 2: (39.0, 54.0, 27.0), 3: "E", 4: (116.0, 23.0, 50.0)}
    return b"Exif\x00\x00" + exif.tobytes()


def jpeg_with_gps() -> bytes:
    """A photo with GPS EXIF, XMP, a Photoshop block, a comment and an MPF segment."""
    head, rest = _split(base_jpeg((300, 400)))
    segments = [_segment(0xE1, gps_exif_payload()), *METADATA_SEGMENTS[1:]]
    return head + b"".join(segments) + rest


def pdf_with_jpeg(jpeg: bytes, size: tuple[int, int] = (300, 400)) -> bytes:
    """A one-page PDF drawing ``jpeg`` (DCTDecode, its bytes as they are) over the page."""
    width, height = size
    image = _stream(
        jpeg,
        b"/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceRGB "
        b"/BitsPerComponent 8 /Filter /DCTDecode" % (width, height),
    )
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            b"/Resources << /XObject << /Im0 5 0 R >> >> >>",
            _stream(b"q 450 0 0 600 72 120 cm /Im0 Do Q\n"),
            image,
        ]
    )
