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

from PIL import Image, ImageChops, ImageFile, ImageMath, ImageOps
from pypdf import PdfReader
from pypdf.errors import FileNotDecryptedError, PyPdfError

from packager.errors import InputError
from packager.image.jpegheader import rebuild
from packager.image.quiet import (
    quiet_decoders as quiet_decoders,  # read/clean.py imports it from here
)
from packager.messages import both
from packager.models import EncodedImage
from packager.pdf.repair import Locked, Normalised, Unopenable, normalise
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
# Register every Pillow plugin now: an ``Image.open(..., formats=("JPEG",))``
# before the first full scan would fail on the not yet loaded MPO plugin.
Image.init()
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
    """Return a 1-bit, 8-bit L or RGB image: alpha onto white, 16-bit scaled, palettes expanded.

    A transparent colour (PNG ``tRNS`` in a grey or RGB image, 8 or 16 bits)
    is transparency too: those pixels become white, as alpha does.
    """
    transparent = _transparent_pixels(im)
    flat = _flatten_opaque(im)
    if transparent is None:
        return flat
    white = Image.new(flat.mode, flat.size, 255 if flat.mode == "L" else (255, 255, 255))
    flat.paste(white, mask=transparent)
    return flat


def _transparent_pixels(im: Image.Image) -> Image.Image | None:
    """A mask of the pixels equal to the image's transparent colour, if it has one."""
    colour = im.info.get("transparency")
    if isinstance(colour, int) and im.mode in ("L", "I", "I;16", "I;16B", "I;16L", "I;16N"):
        mask = ImageMath.lambda_eval(
            lambda a: (a["x"] == a["t"]) * 255, x=im.convert("I"), t=colour
        )
        return mask.convert("L") if isinstance(mask, Image.Image) else None
    if isinstance(colour, tuple) and im.mode == "RGB":
        return ImageChops.invert(im.convert("RGBA").getchannel("A"))
    return None


def _flatten_opaque(im: Image.Image) -> Image.Image:
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


def bare_jpeg(im: Image.Image, quality: int, optimize: bool = True) -> bytes:
    """Encode ``im`` as JPEG with nothing but image data.

    Pillow writes a decoded image's own comment (``info["comment"]``) back
    by default, so a photo's COM segment would survive a re-encode; the
    image is saved with its ``info`` set aside.
    """
    buffer = io.BytesIO()
    kept, im.info = im.info, {}
    try:
        im.save(buffer, "JPEG", quality=quality, optimize=optimize)
    finally:
        im.info = kept
    return buffer.getvalue()


def _encode(flat: Image.Image, filter_name: str) -> bytes:
    if filter_name == "/DCTDecode":
        return bare_jpeg(flat, JPEG_QUALITY)
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


def strip_metadata(jpeg: bytes) -> bytes:
    """The same photo with nothing but image data: no EXIF/XMP/IPTC/comment/MPO frame.

    Orientation is applied by the placement matrix, so the EXIF block is not
    needed in the packet, and it may hold where the photo was taken. The
    header is rebuilt from an allow list (``jpegheader``); one that needed
    repairs is used only if it decodes to the same pixels as the original,
    and a photo whose header cannot be rebuilt is re-encoded from its pixels.
    """
    rebuilt = rebuild(jpeg)
    if rebuilt is not None and (rebuilt.clean or _agrees(jpeg, rebuilt.data)):
        return rebuilt.data
    return _reencoded_jpeg(jpeg)


def _draft(jpeg: bytes) -> Image.Image:
    with quiet_decoders(), warnings.catch_warnings(), strict_images():
        warnings.simplefilter("ignore")
        with Image.open(io.BytesIO(jpeg), formats=("JPEG",)) as im:
            im.draft(im.mode, (max(1, im.width // 8), max(1, im.height // 8)))
            im.load()
            return im.copy()


def _agrees(original: bytes, rebuilt: bytes) -> bool:
    """The rebuilt header decodes as the original does (size, mode, pixels at 1/8 scale).

    If only the rebuilt one decodes (Pillow refuses a cut-short Adobe
    segment that libjpeg and viewers skip), it is what reading saw, so it is
    the photo: ``normalize`` reads such a JPEG through its rebuilt header.
    """
    try:
        b = _draft(rebuilt)
    except Exception:  # noqa: BLE001 - any failure means "not the same"
        return False
    try:
        a = _draft(original)
    except Exception:  # noqa: BLE001 - see above: the rebuilt header is the readable one
        return True
    if a.size != b.size or a.mode != b.mode:
        return False
    return ImageChops.difference(a, b).getbbox() is None


def _reencoded_jpeg(jpeg: bytes) -> bytes:
    """The photo's pixels (stored orientation, same mode) as a fresh JPEG with no metadata.

    Raises ``ValueError`` for bytes that do not decode: unknown bytes are
    never embedded as they are.
    """
    try:
        with quiet_decoders(), warnings.catch_warnings(), strict_images():
            warnings.simplefilter("ignore")
            with Image.open(io.BytesIO(jpeg), formats=("JPEG",)) as im:
                im.load()
                return bare_jpeg(im, JPEG_QUALITY)
    except (OSError, SyntaxError, ValueError) as exc:
        raise ValueError("not a decodable JPEG") from exc


def decoded(image: EncodedImage) -> Image.Image:
    """The upright, flattened pixels a lazy re-encoded image (``frame`` set) stands for."""
    if image.source is None or image.frame is None:
        raise ValueError("only lazy re-encoded images are decoded from their source")
    data = _verified_source(image, image.source)
    with quiet_decoders(), warnings.catch_warnings(), strict_images():
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


def read_pdf(
    path: Path, password: str | None, sha256: str | None = None, check: bool = False
) -> tuple[PdfReader, Normalised]:
    """Open a PDF as qpdf reads it (``pdf.repair``), then with pypdf for merging.

    The empty password is tried, then the one from case.toml. With
    ``sha256``, a file that changed since intake hashed it is refused
    (``InputError``), so the packet holds the pages the manifest names.
    What qpdf cannot open at all is still given to pypdf as it is. With
    ``check``, pages whose streams do not decode are listed (``damaged``).
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    with os.fdopen(fd, "rb") as fh:
        data = fh.read()
    if sha256 is not None and hashlib.sha256(data).hexdigest() != sha256:
        raise _changed(path)
    try:
        normal = normalise(data, password, check)
    except (Locked, Unopenable):
        normal = Normalised(data)
    del data
    reader = PdfReader(io.BytesIO(normal.data), strict=False)
    if reader.is_encrypted:
        for candidate in ("", password):
            if candidate is None:
                continue
            try:
                if reader.decrypt(candidate):
                    return reader, normal
            except (FileNotDecryptedError, PyPdfError, NotImplementedError):
                continue
        raise Unusable("PDF_PASSWORD_WRONG" if password else "ENCRYPTED_PDF")
    return reader, normal


def open_pdf(path: Path, password: str | None, sha256: str | None = None) -> PdfReader:
    """``read_pdf`` for assembly, which needs only the reader."""
    return read_pdf(path, password, sha256)[0]
