"""Builders for the format and hostile-file matrices: every input drawn in the test.

PNG variants Pillow cannot write (grey 2/4-bit, RGB(A) 16-bit, Adam7
interlaced) are assembled here chunk by chunk, as img2pdf's tests do.
"""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path

from PIL import Image, ImageChops
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject, StreamObject

from tests.conftest import STORE_FOR, centroid, make_pdf, marker_image

GREYS = (0, 85, 170)  # top-left, top-right, bottom-left squares of the grey card
ADAM7 = (
    (0, 0, 8, 8),
    (4, 0, 8, 8),
    (0, 4, 4, 8),
    (2, 0, 4, 4),
    (0, 2, 2, 4),
    (1, 0, 2, 2),
    (0, 1, 1, 2),
)
MM = 72 / 25.4


def grey_card(size: tuple[int, int] = (600, 800)) -> Image.Image:
    """Upright grey test card: black top-left, dark grey top-right, light grey bottom-left."""
    w, h = size
    im = Image.new("L", size, 255)
    b = min(w, h) // 4
    im.paste(GREYS[0], (0, 0, b, b))
    im.paste(GREYS[1], (w - b, 0, w, b))
    im.paste(GREYS[2], (0, h - b, b, h))
    return im


def content_only(page: Image.Image) -> Image.Image:
    """The rendered page without the label band and footer (their text is black)."""
    top = (
        round(page.height * 22 / 297) if page.height > page.width else round(page.height * 22 / 210)
    )
    bottom = (
        round(page.height * 16 / 297) if page.height > page.width else round(page.height * 16 / 210)
    )
    return page.crop((0, top, page.width, page.height - bottom))


def assert_upright_grey(page: Image.Image, tol: int = 25) -> None:
    """The grey card reads upright (the colour card's check, with grey levels)."""
    im = content_only(page)
    (kx, ky), (dx, dy), (lx, ly) = (centroid(im, (g, g, g), 3 * tol) for g in GREYS)
    assert kx < dx, "mirrored or rotated: black is not left of dark grey"
    assert abs(ky - dy) < 0.1 * im.height, "black and dark grey are not on one row"
    assert ly > ky, "upside down: light grey is not below black"
    assert abs(lx - kx) < 0.1 * im.width, "light grey is not under black"


def _hue_centroid(im: Image.Image, test: Callable[[int, int, int], bool]) -> tuple[float, float]:
    px = im.load()
    assert px is not None
    points = [
        (x, y) for y in range(0, im.height, 2) for x in range(0, im.width, 2) if test(*px[x, y][:3])
    ]
    assert points, "colour not found on the page"
    return sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points)


def assert_upright_by_hue(page: Image.Image) -> None:
    """The colour card reads upright, judged by hue only.

    For CMYK sources: poppler converts CMYK to RGB with its own formula, so
    exact colours differ, but red stays red (inverted it would be cyan).
    """
    red = _hue_centroid(page, lambda r, g, b: r > g + 80 and r > b + 80)
    green = _hue_centroid(page, lambda r, g, b: g > r + 50 and g > b + 30)
    blue = _hue_centroid(page, lambda r, g, b: b > r + 60 and b > g + 60)
    assert red[0] < green[0] and abs(red[1] - green[1]) < 0.1 * page.height
    assert blue[1] > red[1] and abs(blue[0] - red[0]) < 0.1 * page.width


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _pack(samples: Sequence[int], depth: int) -> bytes:
    if depth == 16:
        return b"".join(struct.pack(">H", v) for v in samples)
    if depth == 8:
        return bytes(samples)
    out = bytearray()
    per = 8 // depth
    for i in range(0, len(samples), per):
        byte = 0
        group = list(samples[i : i + per]) + [0] * (per - len(samples[i : i + per]))
        for v in group:
            byte = (byte << depth) | v
        out.append(byte)
    return bytes(out)


def png_bytes(im: Image.Image, color_type: int, depth: int, interlace: bool = False) -> bytes:
    """Write ``im`` as a PNG of any grey/RGB(A) depth, optionally Adam7 interlaced.

    ``color_type`` 0 grey, 2 RGB, 4 grey+alpha, 6 RGBA (PNG's own numbers).
    """
    mode = {0: "L", 2: "RGB", 4: "LA", 6: "RGBA"}[color_type]
    src = im.convert(mode)
    bands = len(mode)
    top = (1 << depth) - 1
    px = src.load()
    assert px is not None

    def sample(x: int, y: int) -> list[int]:
        value = px[x, y]
        values = [value] if isinstance(value, int) else list(value)
        return [round(v * top / 255) for v in values[:bands]]

    def rows(x0: int, y0: int, dx: int, dy: int) -> bytes:
        raw = bytearray()
        for y in range(y0, src.height, dy):
            line = [s for x in range(x0, src.width, dx) for s in sample(x, y)]
            if line:
                raw += b"\x00" + _pack(line, depth)
        return bytes(raw)

    data = b"".join(rows(*p) for p in ADAM7) if interlace else rows(0, 0, 1, 1)
    ihdr = struct.pack(">IIBBBBB", src.width, src.height, depth, color_type, 0, 0, int(interlace))
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", ihdr)
        + _chunk(b"IDAT", zlib.compress(data))
        + _chunk(b"IEND", b"")
    )


def with_alpha(card: Image.Image) -> Image.Image:
    """The card with a transparent margin: flattened onto white it is the card again."""
    rgba = card.convert("RGBA")
    alpha = Image.new("L", card.size, 255)
    alpha.paste(0, (card.width // 3, card.height // 3, 2 * card.width // 3, 2 * card.height // 3))
    # Transparent pixels hold black: only correct flattening shows white there.
    rgba.paste((0, 0, 0, 0), mask=ImageChops.invert(alpha))
    return rgba


def palette_with_transparency() -> Image.Image:
    """The colour card as a 5-colour palette image whose index 4 (black) is transparent."""
    card = with_alpha(marker_image())
    colours = [(255, 255, 255), (220, 20, 20), (20, 180, 20), (20, 20, 220), (0, 0, 0)]
    im = Image.new("P", card.size, 0)
    im.putpalette([c for rgb in colours for c in rgb])
    rgb = card.convert("RGB")
    for index, colour in enumerate(colours[1:4], start=1):
        mask = ImageChops.difference(rgb, Image.new("RGB", card.size, colour)).convert("L")
        im.paste(index, mask=mask.point(lambda v: 255 if v < 8 else 0))
    im.paste(4, mask=card.getchannel("A").point(lambda a: 255 if a == 0 else 0))
    im.info["transparency"] = 4
    return im


def assert_centre_white(page: Image.Image) -> None:
    """The transparent middle of an alpha card came out white, not black."""
    r, g, b = page.getpixel((page.width // 2, page.height // 2))[:3]  # type: ignore[index]
    assert min(r, g, b) > 200, f"transparent area flattened to {(r, g, b)}, not white"


def writer_for(data: bytes) -> Callable[[Path], None]:
    """A file writer for case_factory from fixed bytes."""
    return lambda p: p.write_bytes(data)


def save(im: Image.Image, fmt: str, **options: object) -> bytes:
    """``im`` saved by Pillow, as bytes."""
    buffer = io.BytesIO()
    im.save(buffer, fmt, **options)
    return buffer.getvalue()


def strip_adobe(jpeg: bytes) -> bytes:
    """Remove the APP14 "Adobe" segment: readers then take CMYK values as not inverted."""
    out = bytearray(jpeg[:2])
    i = 2
    while i < len(jpeg) and jpeg[i] == 0xFF and jpeg[i + 1] != 0xDA:
        length = struct.unpack(">H", jpeg[i + 2 : i + 4])[0]
        segment = jpeg[i : i + 2 + length]
        if not (jpeg[i + 1] == 0xEE and segment[4:9] == b"Adobe"):
            out += segment
        i += 2 + length
    return bytes(out + jpeg[i:])


def jpeg_cmyk(adobe: bool) -> bytes:
    """A CMYK JPEG of the marker card; Pillow writes Adobe-inverted values."""
    cmyk = marker_image().convert("CMYK")
    if adobe:
        return save(cmyk, "JPEG", quality=92)
    return strip_adobe(save(ImageChops.invert(cmyk), "JPEG", quality=92))


def heic_phone(orientation: int) -> bytes:
    """An iPhone-style HEIC: pixels as the sensor saw them plus the orientation."""
    card = marker_image()
    op = STORE_FOR[orientation]
    stored = card if op is None else card.transpose(op)
    exif = Image.Exif()
    exif[0x0112] = orientation
    return save(stored, "HEIF", quality=90, exif=exif.tobytes())


def tiff_pages(count: int) -> bytes:
    """A multi-page TIFF, every page the marker card."""
    cards = [marker_image() for _ in range(count)]
    return save(cards[0], "TIFF", save_all=True, append_images=cards[1:], compression="tiff_lzw")


def gif_animated() -> bytes:
    """A two-frame GIF whose first frame is the card (the second is sideways)."""
    card = marker_image().convert("P", palette=Image.Palette.ADAPTIVE)
    turned = marker_image().transpose(Image.Transpose.ROTATE_90).resize(card.size).convert("P")
    return save(card, "GIF", save_all=True, append_images=[turned], duration=100)


def tall_screenshot(size: tuple[int, int] = (1080, 2400)) -> Image.Image:
    """A chat-record-like screenshot: red band at the top, blue band at the bottom."""
    w, h = size
    im = Image.new("RGB", size, (255, 255, 255))
    im.paste((220, 20, 20), (0, 0, w, 150))
    im.paste((20, 20, 220), (0, h - 150, w, h))
    for y in range(250, h - 250, 90):
        im.paste((120, 120, 120), (60, y, w - 300, y + 30))
    return im


def pdf_bytes(pages: list[tuple[int, int, int]]) -> bytes:
    """``conftest.make_pdf`` as bytes."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "x.pdf"
        make_pdf(path, pages)
        return path.read_bytes()


def encrypted_pdf(user: str, algorithm: str = "AES-256") -> bytes:
    """A one-page PDF encrypted with ``user`` as its user password."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes([(595, 842, 0)]))))
    writer.encrypt(user_password=user, owner_password="owner-secret", algorithm=algorithm)  # noqa: S106
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def empty_pdf() -> bytes:
    """A well-formed PDF with no pages at all."""
    buffer = io.BytesIO()
    PdfWriter().write(buffer)
    return buffer.getvalue()


def damaged_content_pdf() -> bytes:
    """A PDF whose page content claims Flate but holds garbage."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes([(595, 842, 0)]))))
    page = writer.pages[0]
    bad = StreamObject()
    bad._data = b"this is not zlib data at all" * 20
    bad[NameObject("/Filter")] = NameObject("/FlateDecode")
    page[NameObject("/Contents")] = writer._add_object(bad)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def png_liar(claimed: tuple[int, int], actual: tuple[int, int] = (10, 10)) -> bytes:
    """A PNG whose header claims ``claimed`` pixels but whose data holds ``actual``."""
    real = png_bytes(Image.new("L", actual, 128), 0, 8)
    ihdr = struct.pack(">IIBBBBB", *claimed, 8, 0, 0, 0, 0)
    return real[:8] + _chunk(b"IHDR", ihdr) + real[8 + 25 :]


def jpeg_liar(claimed: tuple[int, int]) -> bytes:
    """A small JPEG whose SOF header claims ``claimed`` (width, height)."""
    data = bytearray(save(marker_image((64, 64)), "JPEG"))
    i = 2
    while i < len(data):
        marker = data[i + 1]
        length = struct.unpack(">H", data[i + 2 : i + 4])[0]
        if marker in (0xC0, 0xC2):
            data[i + 5 : i + 9] = struct.pack(">HH", claimed[1], claimed[0])
            break
        i += 2 + length
    return bytes(data)
