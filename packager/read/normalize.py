"""Turn each source file into pages ready to place on A4.

JPEGs are never decoded for the packet: their bytes go into the PDF as they
are (DCTDecode), and the EXIF orientation becomes part of the placement
matrix. Other images are decoded once here (to check them and to make a small
preview for the quality checks) and once more while the packet is written,
flattened onto white; lossless sources (PNG, TIFF, BMP, GIF, lossless WebP)
stay lossless (Flate), lossy ones (HEIC, lossy WebP) become JPEG. PDF pages
stay vector. Images are *lazy*: ``EncodedImage`` names the source file and
holds no bytes, so one decoded image is in memory at a time however many
photos a case has.

A file that cannot be used raises ``Unusable`` with a finding code; the caller
turns it into a finding and goes on with the other files.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import io
import os
import warnings
import zlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, ImageChops, ImageFile, ImageOps
from pypdf import PageObject, PdfReader, PdfWriter, Transformation
from pypdf.errors import FileNotDecryptedError, PyPdfError
from pypdf.generic import ArrayObject, StreamObject

from packager.errors import InputError
from packager.models import EncodedImage, MediaType, PdfPageRef, SourceFile, SourcePage
from packager.privacy import mask_text

# Decoded formats are refused, from their header and before decoding, above
# this many pixels: 60 MP covers an A3 scan at 500 dpi, and the worst case
# (RGBA decoded, flattened to RGB, serialised, compressed) stays near 0.8 GB.
PIXEL_BUDGET = 60_000_000
# JPEGs are only ever decoded at 1/8 scale (draft), so they may be larger:
# 200 MP phone photos pass; a progressive JPEG this size still needs about
# 3 bytes per pixel of coefficient buffers inside libjpeg (0.6 GB).
JPEG_PIXEL_BUDGET = 200_000_000
# Longest side of the grey preview the quality checks look at; about 90 ppi
# on an A4 page, the scale at which a reader judges a page legible. 1000, not
# 1024, so that a 12 MP photo (4000 or 4032 px) is decoded at 1/4 scale.
PREVIEW_SIZE = 1000
# Resolution metadata at or above this is a scanner's and is honoured (the
# page shows the paper at its real size); below it (phones write 72 or 96)
# it is ignored.
SCANNER_DPI = 150
MAX_DPI = 4800
JPEG_QUALITY = 92
EXIF_ORIENTATION = 0x0112

FORMATS: Mapping[MediaType, tuple[str, ...]] = {
    MediaType.JPEG: ("JPEG", "MPO"),
    MediaType.PNG: ("PNG",),
    MediaType.TIFF: ("TIFF",),
    MediaType.GIF: ("GIF",),
    MediaType.BMP: ("BMP", "DIB"),
    MediaType.WEBP: ("WEBP",),
    MediaType.HEIF: ("HEIF", "AVIF"),
}
# How to turn stored pixels upright for each EXIF orientation (as ImageOps).
TRANSPOSE: Mapping[int, Image.Transpose] = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


class Unusable(Exception):
    """The file cannot go into the packet; ``code`` names the finding."""

    def __init__(self, code: str, **params: str) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass(frozen=True, slots=True)
class Normalized:
    """The pages of one source file, plus warnings about it.

    ``previews`` holds, per page, a small upright greyscale copy for the
    quality checks (None where there is none, e.g. vector PDF pages);
    ``pixels``, where the caller asked for them (``Want``), the decode a photo
    is to be re-encoded from, in stored orientation. The caller drops both
    once it is done with them.
    """

    pages: tuple[SourcePage, ...]
    warnings: tuple[tuple[str, Mapping[str, str]], ...] = field(default=())
    previews: tuple[Image.Image | None, ...] = field(default=())
    pixels: tuple[Image.Image | None, ...] = field(default=())


Want = Callable[[SourcePage], tuple[str, tuple[int, int]] | None]
"""For a photo's page: ("L" or "RGB", at least this size in stored pixels) to keep its decode."""


def _init_heif() -> None:
    try:
        from pillow_heif import register_heif_opener
    except ImportError:  # pragma: no cover - pillow-heif is a declared dependency
        return
    register_heif_opener()


_init_heif()
# Pillow's own bomb guard would refuse first, at open, with a message about
# "DOS attacks"; every open here checks our budgets from the header instead,
# before anything is decoded, and words the finding itself.
Image.MAX_IMAGE_PIXELS = None


@contextlib.contextmanager
def strict_images() -> Iterator[None]:
    """Make Pillow refuse truncated images while we read one.

    WeasyPrint sets ``ImageFile.LOAD_TRUNCATED_IMAGES = True`` for the whole
    process when it is imported; after that a half-written JPEG would decode
    without complaint (its missing part grey) and land in the packet.
    """
    before = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        yield
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = before


def normalize(
    source: SourceFile, password: str | None = None, want: Want | None = None
) -> Normalized:
    """Read one source file into pages; raise ``Unusable`` when it cannot be used.

    With ``want``, a JPEG photo the caller will re-encode is decoded once, at
    the larger of the preview's and the caller's size, and the decode is kept
    (``Normalized.pixels``): reading a 12 MP photo costs one entropy decode.

    This is the documented per-file guard: whatever a damaged or hostile file
    makes a decoder raise becomes a finding, never a traceback. Library
    warnings about such files are not for the user and are silenced here.
    """
    try:
        with warnings.catch_warnings(), strict_images():
            warnings.simplefilter("ignore")
            if source.media is MediaType.PDF:
                return _pdf(source, password)
            if source.media is MediaType.JPEG:
                return _jpeg(source, want)
            if source.media in FORMATS:
                return _decoded(source)
            raise Unusable("UNSUPPORTED_FILE")
    except Unusable:
        raise
    except Image.DecompressionBombError as exc:
        raise Unusable("IMAGE_TOO_LARGE", error=_short(exc)) from exc
    except MemoryError as exc:
        raise Unusable("IMAGE_TOO_LARGE", error="out of memory") from exc
    except Exception as exc:
        if _looks_truncated(exc):
            raise Unusable("TRUNCATED_FILE", error=_short(exc)) from exc
        raise Unusable("UNREADABLE_FILE", error=_short(exc)) from exc


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return mask_text(text[:160])


def _looks_truncated(exc: BaseException) -> bool:
    """Decoders' ways of saying the data stops early (a partial copy or download)."""
    if isinstance(exc, EOFError):
        return True
    text = str(exc).lower()
    return any(
        hint in text
        for hint in (
            "truncated",
            "eof marker",
            "unexpected end",
            "ended unexpectedly",
            "premature end",
            "not enough",
        )
    )


def _check_budget(size: tuple[int, int], budget: int = PIXEL_BUDGET) -> None:
    width, height = size
    if width <= 0 or height <= 0:
        raise Unusable("UNREADABLE_FILE", error=f"invalid size {width}x{height}")
    if width * height > budget:
        raise Unusable("IMAGE_TOO_LARGE", error=f"{width}×{height} = {width * height / 1e6:.0f} MP")


def scanner_dpi(info: Mapping[str | tuple[int, int], object]) -> float | None:
    """The resolution a scanner recorded, or None for phone values and nonsense."""
    dpi = info.get("dpi")
    if not isinstance(dpi, tuple) or len(dpi) != 2:
        return None
    try:
        x, y = float(dpi[0]), float(dpi[1])
    except (TypeError, ValueError):
        return None
    if abs(x - y) > 1 or not SCANNER_DPI - 0.5 <= x <= MAX_DPI:
        return None
    return float(round(x))


def _orientation(im: Image.Image) -> tuple[int, object]:
    """EXIF orientation as (usable value 1–8, raw value); unreadable EXIF counts as 1."""
    try:
        raw: object = im.getexif().get(EXIF_ORIENTATION, 1)
    except Exception:  # noqa: BLE001 - corrupt EXIF must not cost the photo
        return 1, "?"
    if isinstance(raw, int) and 1 <= raw <= 8:
        return raw, raw
    return 1, raw


def _preview(im: Image.Image) -> Image.Image:
    grey = im.convert("L")
    grey.thumbnail((PREVIEW_SIZE, PREVIEW_SIZE), Image.Resampling.BOX)
    return grey


def _jpeg(source: SourceFile, want: Want | None = None) -> Normalized:
    warns: list[tuple[str, Mapping[str, str]]] = []
    with Image.open(source.path, formats=FORMATS[MediaType.JPEG]) as im:
        _check_budget(im.size, JPEG_PIXEL_BUDGET)
        width, height = im.size
        mode = im.mode
        if mode not in ("L", "RGB", "CMYK"):
            raise Unusable("UNREADABLE_FILE", error=f"unsupported JPEG colour mode {mode}")
        orientation, raw = _orientation(im)
        adobe = "adobe" in im.info
        colorspace = {"L": "/DeviceGray", "CMYK": "/DeviceCMYK"}.get(mode, "/DeviceRGB")
        image = EncodedImage(
            data=b"",
            filter="/DCTDecode",
            width=width,
            height=height,
            colorspace=colorspace,
            # Adobe (Photoshop) CMYK JPEGs store inverted ink values.
            decode=(1.0, 0.0) * 4 if mode == "CMYK" and adobe else None,
            orientation=orientation,
            source=source.path,
            sha256=source.sha256,
            dpi=scanner_dpi(im.info),
        )
        upright_w, upright_h = image.upright_size
        page = SourcePage(image, upright_w > upright_h)
        # Decode at a reduced scale (1/2 … 1/8, done inside libjpeg): cheap,
        # yet every byte is read, so truncated or corrupt data is caught.
        scale = max(1, max(width, height) // PREVIEW_SIZE)
        size = (width // scale, height // scale)
        keep = want(page) if want is not None and mode != "CMYK" else None
        if keep is not None:
            # One decode serves the preview and the caller's re-encoding: in
            # YCbCr, the JPEG's own colour space, its Y plane is the grey preview.
            size = (max(size[0], keep[1][0]), max(size[1], keep[1][1]))
            im.draft("L" if keep[0] == "L" else "YCbCr", size)
        else:
            im.draft("L" if mode != "CMYK" else mode, size)
        im.load()
        pixels = im.copy() if keep is not None else None
        # Pillow reads every CMYK JPEG as Adobe-inverted; PDF viewers (and the
        # /Decode we write) invert only those that carry the Adobe marker.
        grey = im.getchannel(0) if im.mode == "YCbCr" else im
        preview = _preview(ImageChops.invert(grey) if mode == "CMYK" and not adobe else grey)
    if orientation != raw:
        warns.append(("EXIF_ORIENTATION_INVALID", {"value": str(raw)}))
    if orientation in TRANSPOSE:
        preview = preview.transpose(TRANSPOSE[orientation])
    return Normalized((page,), tuple(warns), (preview,), (pixels,))


def _lossy(source: SourceFile) -> bool:
    """HEIC and lossy WebP are photos already compressed lossily: JPEG suits them."""
    if source.media is MediaType.HEIF:
        return True
    if source.media is MediaType.WEBP:
        with source.path.open("rb") as fh:
            return b"VP8L" not in fh.read(1 << 16)
    return False


def _decoded(source: SourceFile) -> Normalized:
    pages: list[SourcePage] = []
    previews: list[Image.Image | None] = []
    lossy = _lossy(source)
    with Image.open(source.path, formats=FORMATS[source.media]) as im:
        _check_budget(im.size)
        # One page per TIFF frame; GIF and WebP animations and HEIC extras
        # (depth maps, thumbnails, bursts) give their first image only.
        count = getattr(im, "n_frames", 1) if im.format == "TIFF" else 1
        for index in range(count):
            if index:
                im.seek(index)
            _check_budget(im.size)
            flat, dpi = upright_flat(im)
            previews.append(_preview(flat))
            image = EncodedImage(
                data=b"",
                filter="/DCTDecode" if lossy and flat.mode != "1" else "/FlateDecode",
                width=flat.width,
                height=flat.height,
                colorspace="/DeviceRGB" if flat.mode == "RGB" else "/DeviceGray",
                bits=1 if flat.mode == "1" else 8,
                source=source.path,
                frame=index,
                sha256=source.sha256,
                dpi=dpi,
            )
            del flat
            pages.append(SourcePage(image, image.width > image.height))
    return Normalized(tuple(pages), (), tuple(previews))


def upright_flat(frame: Image.Image) -> tuple[Image.Image, float | None]:
    """Decode the current frame, turn it upright (EXIF) and flatten it; also its scanner dpi.

    pillow-heif has already applied the HEIF rotation and reset the EXIF tag,
    so HEIC photos are turned exactly once.
    """
    frame.load()
    dpi = scanner_dpi(frame.info)
    upright = ImageOps.exif_transpose(frame)
    return flatten(upright), dpi


def flatten(im: Image.Image) -> Image.Image:
    """Return a 1-bit, 8-bit L or RGB image: alpha onto white, 16-bit scaled, palettes expanded."""
    if im.mode == "1":
        return im
    if im.mode.startswith("I;16"):
        return im.convert("I").point(lambda v: v * (1 / 256)).convert("L")
    if im.mode in ("I", "F"):
        extrema = im.getextrema()
        low, high = float(extrema[0]), float(extrema[1])  # type: ignore[arg-type]
        if high <= 255 and low >= 0:
            return im.convert("L")
        span = max(high - low, 1.0)
        return im.point(lambda v: (v - low) * (255 / span)).convert("L")
    if im.mode == "P":
        im = im.convert("RGBA" if "transparency" in im.info else "RGB")
    if im.mode == "PA":
        im = im.convert("RGBA")
    if im.mode in ("LA", "La"):
        grey = im.convert("LA")
        white = Image.new("L", grey.size, 255)
        white.paste(grey.getchannel("L"), mask=grey.getchannel("A"))
        return white
    if im.mode in ("RGBA", "RGBa"):
        rgba = im.convert("RGBA")
        white = Image.new("RGB", rgba.size, (255, 255, 255))
        white.paste(rgba, mask=rgba.getchannel("A"))
        return white
    if im.mode in ("L", "RGB"):
        return im
    return im.convert("RGB")


def encode_lossless(im: Image.Image) -> EncodedImage:
    """Compress decoded pixels for the PDF (Flate); 1-bit stays 1-bit."""
    flat = flatten(im)
    return EncodedImage(
        data=_encode(flat, "/FlateDecode"),
        filter="/FlateDecode",
        width=flat.width,
        height=flat.height,
        colorspace="/DeviceRGB" if flat.mode == "RGB" else "/DeviceGray",
        bits=1 if flat.mode == "1" else 8,
    )


def _encode(flat: Image.Image, filter_name: str) -> bytes:
    if filter_name == "/DCTDecode":
        buffer = io.BytesIO()
        flat.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True)
        return buffer.getvalue()
    return zlib.compress(flat.tobytes(), 6)


def _read_verified(image: EncodedImage, path: Path) -> bytes:
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    with os.fdopen(fd, "rb") as fh:
        data = fh.read()
    if image.sha256 is not None and hashlib.sha256(data).hexdigest() != image.sha256:
        raise _changed(path)
    return data


def _changed(path: Path) -> InputError:
    name = mask_text(os.fsdecode(path.name).encode("utf-8", "replace").decode("utf-8"))
    return InputError(
        f"{name} 在生成材料包的过程中被修改了，请等文件保存完毕后重新运行。\n"
        f"{name} changed while the packet was being built; run again once it is saved."
    )


def image_bytes(image: EncodedImage) -> bytes:
    """The bytes of an image XObject's stream, reading or re-encoding a lazy image now.

    Raises ``InputError`` if the source file changed since intake hashed it,
    so the packet never holds bytes other than the ones the manifest names.
    """
    if image.source is None:
        return image.data
    if image.frame is None:
        return strip_metadata(_verified_source(image, image.source))
    return _encode(decoded(image), image.filter)


# JPEG segments a PDF viewer needs besides the image data: JFIF (APP0), the
# ICC profile (APP2) and Adobe's colour transform flag (APP14). Everything
# else before the scan (EXIF with GPS and phone model, XMP, IPTC, maker
# notes, comments) is metadata the lender has no need for.
_KEEP_SEGMENTS = frozenset({0xE0, 0xE2, 0xEE})


def strip_metadata(jpeg: bytes) -> bytes:
    """The same JPEG without EXIF/XMP/IPTC/comment segments; the pixels are untouched.

    Orientation is applied by the placement matrix, so the EXIF block is not
    needed in the packet, and it may hold where the photo was taken. Anything
    that does not parse as expected is returned unchanged.
    """
    if not jpeg.startswith(b"\xff\xd8"):
        return jpeg
    out = [b"\xff\xd8"]
    pos = 2
    while pos + 4 <= len(jpeg):
        if jpeg[pos] != 0xFF:
            return jpeg
        marker = jpeg[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker == 0xDA:  # start of scan: the rest is image data
            out.append(jpeg[pos:])
            return b"".join(out)
        if marker in (0xD8, 0xD9) or 0xD0 <= marker <= 0xD7:
            return jpeg
        length = int.from_bytes(jpeg[pos + 2 : pos + 4], "big")
        end = pos + 2 + length
        if length < 2 or end > len(jpeg):
            return jpeg
        is_metadata = (0xE0 <= marker <= 0xEF and marker not in _KEEP_SEGMENTS) or marker == 0xFE
        if not is_metadata:
            out.append(jpeg[pos:end])
        pos = end
    return jpeg


def decoded(image: EncodedImage) -> Image.Image:
    """The upright, flattened pixels a lazy re-encoded image (``frame`` set) stands for."""
    if image.source is None or image.frame is None:
        raise ValueError("only lazy re-encoded images are decoded from their source")
    data = _verified_source(image, image.source)
    with warnings.catch_warnings(), strict_images():
        warnings.simplefilter("ignore")
        with Image.open(io.BytesIO(data)) as im:
            del data
            if image.frame:
                im.seek(image.frame)
            flat, _ = upright_flat(im)
    if flat.size != (image.width, image.height):
        raise _changed(image.source)
    return flat


@functools.lru_cache(maxsize=4096)
def encoded_size(image: EncodedImage) -> int:
    """Bytes the image's stream will take in the PDF (a JPEG's file size; others encoded once)."""
    if image.source is None:
        return len(image.data)
    if image.frame is None:
        try:
            return image.source.stat().st_size
        except OSError as exc:
            raise _changed(image.source) from exc
    return len(image_bytes(image))


def _verified_source(image: EncodedImage, path: Path) -> bytes:
    try:
        return _read_verified(image, path)
    except OSError as exc:
        raise _changed(path) from exc


def open_pdf(path: Path, password: str | None, sha256: str | None = None) -> PdfReader:
    """Open a PDF, trying the empty password and then the one from case.toml.

    With ``sha256``, a file that changed since intake hashed it is refused
    (``InputError``), so the packet holds the pages the manifest names.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    with os.fdopen(fd, "rb") as fh:
        data = fh.read()
    if sha256 is not None and hashlib.sha256(data).hexdigest() != sha256:
        raise _changed(path)
    reader = PdfReader(io.BytesIO(data), strict=False)
    if reader.is_encrypted:
        for candidate in ("", password):
            if candidate is None:
                continue
            try:
                if reader.decrypt(candidate):
                    return reader
            except (FileNotDecryptedError, PyPdfError, NotImplementedError):
                continue
        raise Unusable("PDF_PASSWORD_WRONG" if password else "ENCRYPTED_PDF")
    return reader


def _check_contents(page: PageObject) -> None:
    """Decode a page's content streams now, so damage is a finding, not a blank page.

    pypdf repairs what it can and returns nothing for a stream it cannot
    inflate; stored bytes that decode to nothing mean the page is lost.
    """
    contents = page.get("/Contents")
    if contents is None:
        return
    contents = contents.get_object()
    streams = list(contents) if isinstance(contents, ArrayObject) else [contents]
    for ref in streams:
        stream = ref.get_object()
        if not isinstance(stream, StreamObject):
            raise ValueError("page content is not a stream")
        stored = getattr(stream, "_data", b"")
        if stored.strip() and not stream.get_data().strip():
            raise ValueError("page content cannot be decompressed")
    # Assembly parses the drawing operators (to wrap and place the page);
    # parse them here so an unparsable page is refused now.
    parsed = page.get_contents()
    if parsed is not None:
        _ = parsed.operations


class _Discard:
    """A write-only sink that keeps nothing (for the dry run)."""

    def __init__(self) -> None:
        self.size = 0

    def write(self, data: bytes) -> int:
        self.size += len(data)
        return len(data)

    def tell(self) -> int:
        return self.size

    def flush(self) -> None:
        return None


def _pdf(source: SourceFile, password: str | None) -> Normalized:
    path = source.path
    reader = open_pdf(path, password, source.sha256)
    # Dry run of what assembly will do: merge every page onto a blank page and
    # write the result nowhere. Whatever is damaged (content, resources, fonts,
    # images) fails here, as a finding, rather than while the packet is written.
    scratch = PdfWriter()
    count = len(reader.pages)
    if count == 0:
        raise Unusable("EMPTY_PDF")
    pages: list[SourcePage] = []
    for index in range(count):
        try:
            page = reader.pages[index]
            box = page.cropbox
            width, height = float(box.width), float(box.height)
            rotation = page.rotation or 0
            _check_contents(page)
            scratch.add_blank_page(max(width, 1), max(height, 1)).merge_transformed_page(
                page, Transformation()
            )
        except Unusable:
            raise
        except Exception as exc:
            raise Unusable("PDF_PAGE_DAMAGED", page=str(index + 1), error=_short(exc)) from exc
        if not (width > 0 and height > 0):
            raise Unusable("PDF_PAGE_DAMAGED", page=str(index + 1), error="page has no size")
        if rotation % 180:
            width, height = height, width
        ref = PdfPageRef(
            path=path,
            index=index,
            width=width,
            height=height,
            password=password,
            sha256=source.sha256,
        )
        pages.append(SourcePage(ref, width > height))
    scratch.write(_Discard())  # type: ignore[arg-type]
    return Normalized(tuple(pages), (), (None,) * len(pages))
