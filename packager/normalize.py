"""Turn each source file into pages ready to place on A4.

JPEGs are never decoded for the packet: their bytes go into the PDF as they
are (DCTDecode), and the EXIF orientation becomes part of the placement
matrix. Other images are decoded once, flattened onto white and compressed
losslessly. PDF pages stay vector. One decoded image is in memory at a time.

A file that cannot be used raises ``Unusable`` with a finding code; the caller
turns it into a finding and goes on with the other files.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, ImageOps, ImageSequence
from pypdf import PdfReader
from pypdf.errors import FileNotDecryptedError, PyPdfError

from packager.models import EncodedImage, MediaType, PdfPageRef, SourceFile, SourcePage

# Refuse, from the header and before decoding, images larger than this.
PIXEL_BUDGET = 120_000_000
EXIF_ORIENTATION = 0x0112


class Unusable(Exception):
    """The file cannot go into the packet; ``code`` names the finding."""

    def __init__(self, code: str, **params: str) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass(frozen=True, slots=True)
class Normalized:
    """The pages of one source file, plus warnings about it."""

    pages: tuple[SourcePage, ...]
    warnings: tuple[tuple[str, Mapping[str, str]], ...] = field(default=())


def _init_heif() -> None:
    try:
        from pillow_heif import register_heif_opener
    except ImportError:  # pragma: no cover - pillow-heif is a declared dependency
        return
    register_heif_opener()


_init_heif()
Image.MAX_IMAGE_PIXELS = PIXEL_BUDGET


def normalize(source: SourceFile, password: str | None = None) -> Normalized:
    """Read one source file into pages; raise ``Unusable`` when it cannot be used."""
    try:
        if source.media is MediaType.PDF:
            return Normalized(tuple(_pdf_pages(source.path, password)))
        if source.media is MediaType.JPEG:
            return _jpeg(source.path)
        return Normalized(tuple(_decoded_pages(source.path)))
    except Unusable:
        raise
    except Image.DecompressionBombError as exc:
        raise Unusable("IMAGE_TOO_LARGE", error=str(exc)) from exc
    except MemoryError as exc:
        raise Unusable("IMAGE_TOO_LARGE", error="out of memory") from exc
    except Exception as exc:
        raise Unusable("UNREADABLE_FILE", error=_short(exc)) from exc


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:160]


def _check_budget(size: tuple[int, int]) -> None:
    width, height = size
    if width <= 0 or height <= 0:
        raise Unusable("UNREADABLE_FILE", error=f"invalid size {width}x{height}")
    if width * height > PIXEL_BUDGET:
        raise Unusable("IMAGE_TOO_LARGE", error=f"{width}x{height}")


def _jpeg(path: Path) -> Normalized:
    warnings: list[tuple[str, Mapping[str, str]]] = []
    with Image.open(path) as im:
        _check_budget(im.size)
        width, height = im.size
        mode = im.mode
        raw = im.getexif().get(EXIF_ORIENTATION, 1)
        adobe = "adobe" in im.info
        # Decode at 1/8 scale: cheap, and catches truncated or corrupt data.
        im.draft(im.mode, (max(1, width // 8), max(1, height // 8)))
        im.load()
    orientation = raw if isinstance(raw, int) and 1 <= raw <= 8 else 1
    if orientation != raw:
        warnings.append(("EXIF_ORIENTATION_INVALID", {"value": str(raw)}))
    colorspace = {"L": "/DeviceGray", "CMYK": "/DeviceCMYK"}.get(mode, "/DeviceRGB")
    decode = (1.0, 0.0) * 4 if mode == "CMYK" and adobe else None
    image = EncodedImage(
        data=path.read_bytes(),
        filter="/DCTDecode",
        width=width,
        height=height,
        colorspace=colorspace,
        decode=decode,
        orientation=orientation,
    )
    upright_w, upright_h = image.upright_size
    return Normalized((SourcePage(image, upright_w > upright_h),), tuple(warnings))


def _decoded_pages(path: Path) -> Iterator[SourcePage]:
    with Image.open(path) as im:
        _check_budget(im.size)
        frames = ImageSequence.Iterator(im) if im.format == "TIFF" else [im]
        for frame in frames:
            _check_budget(frame.size)
            upright = ImageOps.exif_transpose(frame)
            image = encode_lossless(upright)
            yield SourcePage(image, image.width > image.height)


def flatten(im: Image.Image) -> Image.Image:
    """Return an 8-bit L or RGB image: alpha onto white, 16-bit scaled, palettes expanded."""
    if im.mode in ("I;16", "I;16B", "I;16L", "I"):
        scale = 1 / 256 if im.mode != "I" or im.getextrema()[1] > 255 else 1  # type: ignore[operator]
        return im.point(lambda v: v * scale).convert("L")
    if im.mode == "F":
        return im.convert("L")
    if im.mode == "P" and "transparency" in im.info:
        im = im.convert("RGBA")
    if im.mode in ("RGBA", "LA", "PA", "RGBa", "La"):
        rgba = im.convert("RGBA")
        white = Image.new("RGB", rgba.size, (255, 255, 255))
        white.paste(rgba, mask=rgba.getchannel("A"))
        return white
    if im.mode in ("1", "L"):
        return im.convert("L") if im.mode != "L" else im
    return im.convert("RGB")


def encode_lossless(im: Image.Image) -> EncodedImage:
    """Compress decoded pixels for the PDF (Flate); 1-bit stays 1-bit."""
    if im.mode == "1":
        return EncodedImage(
            data=zlib.compress(im.tobytes(), 6),
            filter="/FlateDecode",
            width=im.width,
            height=im.height,
            colorspace="/DeviceGray",
            bits=1,
        )
    flat = flatten(im)
    colorspace = "/DeviceGray" if flat.mode == "L" else "/DeviceRGB"
    return EncodedImage(
        data=zlib.compress(flat.tobytes(), 6),
        filter="/FlateDecode",
        width=flat.width,
        height=flat.height,
        colorspace=colorspace,
    )


def open_pdf(path: Path, password: str | None) -> PdfReader:
    """Open a PDF, trying the empty password and then the one from case.toml."""
    reader = PdfReader(path, strict=False)
    if reader.is_encrypted:
        for candidate in ("", password):
            if candidate is None:
                continue
            try:
                if reader.decrypt(candidate):
                    return reader
            except (FileNotDecryptedError, PyPdfError, NotImplementedError):
                continue
        raise Unusable("ENCRYPTED_PDF")
    return reader


def _pdf_pages(path: Path, password: str | None) -> Iterator[SourcePage]:
    reader = open_pdf(path, password)
    count = len(reader.pages)
    if count == 0:
        raise Unusable("EMPTY_PDF")
    for index in range(count):
        page = reader.pages[index]
        box = page.cropbox
        width, height = float(box.width), float(box.height)
        if width <= 0 or height <= 0:
            raise Unusable("UNREADABLE_FILE", error=f"page {index + 1} has no size")
        if (page.rotation or 0) % 180:
            width, height = height, width
        ref = PdfPageRef(path=path, index=index, width=width, height=height, password=password)
        yield SourcePage(ref, width > height)
