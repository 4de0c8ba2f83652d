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

import io
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace

from PIL import Image, ImageChops

from packager.image.jpegheader import rebuild
from packager.image.quiet import Heard, heard, quiet_decoders
from packager.models import EncodedImage, MediaType, SourceFile, SourcePage
from packager.privacy import mask_text
from packager.read.damage import bmp_rle_faults, error_text, truncated
from packager.read.intake import TYPE_NAMES
from packager.read.pdfpages import pdf_pages
from packager.sources import Unusable, scanner_dpi, strict_images, upright_flat

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
EXIF_ORIENTATION = 0x0112

FORMATS: Mapping[MediaType, tuple[str, ...]] = {
    MediaType.JPEG: ("JPEG",),  # Pillow opens MPO files through its JPEG plugin
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
        with heard() as said, strict_images():
            if source.media is MediaType.PDF:
                pages, warns = pdf_pages(source, password)
                result = Normalized(pages, warns, (None,) * len(pages))
            elif source.media is MediaType.JPEG:
                result = _jpeg(source, want)
            elif source.media in FORMATS:
                result = _decoded(source)
            else:
                raise Unusable("UNSUPPORTED_FILE")
    except Unusable:
        raise
    except Image.DecompressionBombError as exc:
        raise Unusable("IMAGE_TOO_LARGE", error=error_text(exc, source)) from exc
    except MemoryError as exc:
        raise Unusable("IMAGE_TOO_LARGE", error="out of memory") from exc
    except Exception as exc:
        with heard():  # the refusal is the file's one finding; judging it says more
            refusal = _refusal(source, exc)
        raise refusal from exc
    return replace(result, warnings=(*result.warnings, *_what_was_said(source, result, said)))


def _what_was_said(
    source: SourceFile, result: Normalized, said: Heard
) -> tuple[tuple[str, Mapping[str, str]], ...]:
    """At most one finding for what decoders and Python's warnings said about the file.

    Not for PDFs: what reaches descriptor 2 there is pypdf's logging, about
    structure qpdf has already repaired (PDF_REPAIRED says so).
    """
    if source.media is MediaType.PDF or any(code == "DAMAGED_IMAGE" for code, _ in result.warnings):
        return ()
    if said.decoders:
        # A C decoder complained outside a page decoded frame by frame (libjpeg on a photo).
        return (("DAMAGED_IMAGE", {"page": "1", "count": str(len(said.decoders))}),)
    if said.warnings:
        first = mask_text(said.warnings[0].split(": ", 1)[-1])[:120]
        return (("DECODER_WARNINGS", {"count": str(len(said.warnings)), "first": first}),)
    return ()


def _refusal(source: SourceFile, exc: BaseException) -> Unusable:
    """The finding for a file whose decode failed, decided from the file's bytes.

    Stops early: TRUNCATED_FILE (copy or download it again). Complete, but
    Pillow does not read its header: UNSUPPORTED_VARIANT (save it as PNG or
    JPG). Otherwise the data is damaged: UNREADABLE_FILE.
    """
    try:
        data = source.path.read_bytes()
    except OSError as error:
        return Unusable("UNREADABLE_FILE", error=error.strerror or type(error).__name__)
    if truncated(source.media, data):
        return Unusable("TRUNCATED_FILE", error=error_text(exc, source))
    if source.media is not MediaType.PDF and not _header_opens(source, data):
        return Unusable("UNSUPPORTED_VARIANT", kind=TYPE_NAMES[source.media])
    return Unusable("UNREADABLE_FILE", error=error_text(exc, source))


def _header_opens(source: SourceFile, data: bytes) -> bool:
    try:
        with quiet_decoders(), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with Image.open(io.BytesIO(data), formats=FORMATS.get(source.media)):
                return True
    except Exception:  # noqa: BLE001 - any refusal of the header counts
        return False


def _check_budget(size: tuple[int, int], budget: int = PIXEL_BUDGET) -> None:
    width, height = size
    if width <= 0 or height <= 0:
        raise Unusable("UNREADABLE_FILE", error=f"invalid size {width}x{height}")
    if width * height > budget:
        raise Unusable("IMAGE_TOO_LARGE", error=f"{width}×{height} = {width * height / 1e6:.0f} MP")


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


def _open_jpeg(source: SourceFile) -> Image.Image:
    """Open a JPEG; if Pillow refuses its header, open the header ``jpegheader`` rebuilds.

    Pillow stops at a cut-short Adobe segment or a metadata length that does
    not add up, where libjpeg and every viewer skip it; the packet embeds the
    rebuilt header anyway (``sources.strip_metadata``), so that is the photo.
    """
    try:
        return Image.open(source.path, formats=FORMATS[MediaType.JPEG])
    except (OSError, SyntaxError, ValueError, IndexError):
        rebuilt = rebuild(source.path.read_bytes())
        if rebuilt is None:
            raise
        return Image.open(io.BytesIO(rebuilt.data), formats=FORMATS[MediaType.JPEG])


def _jpeg(source: SourceFile, want: Want | None = None) -> Normalized:
    warns: list[tuple[str, Mapping[str, str]]] = []
    with _open_jpeg(source) as im:
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
    warns: list[tuple[str, Mapping[str, str]]] = []
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
            with quiet_decoders() as said:
                flat, dpi = upright_flat(im)
            if said:
                # libtiff reported bad code words or a strip it could not
                # read: the page is kept (what decoded may be all there is)
                # and the finding says to check it and scan it again.
                warns.append(("DAMAGED_IMAGE", {"page": str(index + 1), "count": str(len(said))}))
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
    faults = bmp_rle_faults(source.path.read_bytes()) if source.media is MediaType.BMP else 0
    if faults:
        # Pillow decodes a corrupt RLE stream into stripes without a word.
        warns.append(("DAMAGED_IMAGE", {"page": "1", "count": str(faults)}))
    return Normalized(tuple(pages), tuple(warns), tuple(previews))
