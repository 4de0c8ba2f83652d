"""Re-opening a case file by its hash, while the packet is written.

Pages are lazy: an ``EncodedImage`` or ``PdfPageRef`` names its source file
and the sha256 intake saw. Everything here reads such a file again and
refuses it (``InputError``) if it changed since, so the packet never holds
bytes other than the ones the manifest names: a photo's bytes without their
metadata, a decoded image flattened onto white, a PDF opened with its
password. Both sides use it: reading decodes through it, writing embeds
through it.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import io
import os
import warnings
import zlib
from collections.abc import Iterator, Mapping
from pathlib import Path

from PIL import Image, ImageFile, ImageOps
from pypdf import PdfReader
from pypdf.errors import FileNotDecryptedError, PyPdfError

from packager.errors import InputError
from packager.messages import both
from packager.models import EncodedImage
from packager.privacy import mask_text

# Resolution metadata at or above this is a scanner's and is honoured (the
# page shows the paper at its real size); below it (phones write 72 or 96)
# it is ignored.
SCANNER_DPI = 150


MAX_DPI = 4800


JPEG_QUALITY = 92


class Unusable(Exception):
    """The file cannot go into the packet; ``code`` names the finding."""

    def __init__(self, code: str, **params: str) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


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
    return InputError(both("FILE_CHANGED", file=name))


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
