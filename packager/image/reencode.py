"""The quality ladder: re-encode scans so the upload bundle fits a size cap.

Only what must shrink is re-encoded, and always in the same order of
sacrifices (pdf-anchors.md §1, OCRmyPDF's optimiser): first the resolution
comes down to what the A4 page can show (about 150 ppi), then the JPEG
quality steps down from 85 to a floor of 40; 100 ppi is the last resort for
a page that cannot fit a file on its own. Colour is kept (red seals are
evidence) unless the user asks for grey. An image whose re-encoding is not
smaller stays byte for byte as it was.

``shrink`` runs in worker processes: it decodes once, at reduced scale
(Pillow ``draft``: libjpeg's DCT scaling, so a 12 MP photo is never fully
decoded), and returns the image at every quality rung so the caller can pick
a rung for the whole packet after measuring real bytes.
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from PIL import Image

from packager.errors import InputError
from packager.geometry import content_box, fit
from packager.models import EncodedImage
from packager.sources import bare_jpeg, decoded, encoded_size, image_bytes

QUALITIES: tuple[int, ...] = (85, 75, 65, 55, 47, 40)
TARGET_PPI = 150
LAST_RESORT_PPI = 100
# Resample only images with more than this many times the target pixels per
# side; below it, resampling loses detail for little gain.
RESAMPLE_ABOVE = 1.1


@dataclass(frozen=True, slots=True)
class ShrinkJob:
    """One image to re-encode at ``size`` (stored orientation) for each quality.

    With ``enough``, the ladder stops at the first rung of at most that many
    bytes (the image's share of the cap) and the rungs below repeat it: most
    photos then cost two or three encodes instead of six.
    """

    image: EncodedImage
    size: tuple[int, int]
    qualities: tuple[int, ...] = QUALITIES
    gray: bool = False
    enough: int | None = None


Ladder = tuple[EncodedImage | None, ...]
"""One entry per quality rung; ``None`` where the original is kept (it is smaller)."""

LadderKey = tuple[EncodedImage, tuple[int, int], tuple[int, ...], bool]
"""What a ladder is of, whatever ``enough`` cut it short at."""


@dataclass(frozen=True, slots=True)
class Encoding:
    """A re-encoding of every photo, made while it is read (``read.pages``)."""

    ppi: int
    qualities: tuple[int, ...] = QUALITIES
    gray: bool = False
    enough: int | None = None

    def job(self, image: EncodedImage, landscape: bool) -> ShrinkJob:
        """The shrink job for one photo's page."""
        size = target_size(image, landscape, self.ppi)
        return ShrinkJob(image, size, self.qualities, self.gray, self.enough)


def ladder_key(job: ShrinkJob) -> LadderKey:
    """Lookup key of a ladder made for ``job``."""
    return job.image, job.size, job.qualities, job.gray


@dataclass(frozen=True, slots=True)
class Premade:
    """Ladders made while the sources were read, by what they are of.

    Reading hands these to writing as a value (a field of ``Prepared``), so
    the write side picks rungs without decoding a photo a second time.
    """

    ladders: Mapping[LadderKey, Ladder] = field(default_factory=dict)
    # Ladders ``enough`` stopped before the floor (their lowest rungs repeat).
    short: frozenset[LadderKey] = frozenset()

    @classmethod
    def of(cls, made: Iterable[tuple[ShrinkJob, Ladder]]) -> Premade:
        """The ladders of (job, ladder) pairs; a later ladder of the same thing wins."""
        ladders: dict[LadderKey, Ladder] = {}
        short: set[LadderKey] = set()
        for job, ladder in made:
            key = ladder_key(job)
            ladders[key] = ladder
            if cut_short(job, ladder):
                short.add(key)
            else:
                short.discard(key)
        return cls(ladders, frozenset(short))

    def get(self, job: ShrinkJob) -> Ladder | None:
        """The ladder made for what ``job`` asks (its ``enough`` aside), if any."""
        return self.ladders.get(ladder_key(job))


def cut_short(job: ShrinkJob, ladder: Ladder) -> bool:
    """True when ``enough`` stopped the ladder before the floor (its lower rungs repeat)."""
    if job.enough is None or len(ladder) < 2 or ladder[-2] is None:
        return False
    # Rungs only shrink, so a rung above the floor within ``enough`` means the
    # floor was never encoded.
    return len(ladder[-2].data) <= job.enough


def target_size(image: EncodedImage, landscape: bool, ppi: int) -> tuple[int, int]:
    """Pixels (stored orientation) the image needs to show at ``ppi`` on its A4 page."""
    upright_w, upright_h = image.upright_size
    box = fit(upright_w, upright_h, content_box(landscape))
    width = max(1, round(box.width / 72 * ppi))
    height = max(1, round(box.height / 72 * ppi))
    if image.orientation in (5, 6, 7, 8):
        width, height = height, width
    return width, height


def shrinkable(image: EncodedImage) -> bool:
    """Photos and 8-bit flattened scans can be re-encoded; 1-bit scans are already tiny."""
    if image.filter == "/DCTDecode":
        return True
    return image.filter == "/FlateDecode" and image.bits == 8


def _decode(image: EncodedImage, size: tuple[int, int], gray: bool) -> Image.Image | None:
    if image.source is not None and image.frame is not None:
        # A lazy re-encoded source (PNG, TIFF, HEIC …): decode it the way the packet would.
        flat = decoded(image)
        if flat.mode not in ("L", "RGB"):
            return None
        return flat.convert("L") if gray and flat.mode != "L" else flat
    if image.filter == "/DCTDecode":
        # A photo: its own file (lazy) or bytes made earlier.
        raw = image_bytes(image) if image.source is not None else image.data
        im: Image.Image = Image.open(io.BytesIO(raw))
        wanted = "L" if gray or im.mode == "L" else "YCbCr"
        # Must come before load(): libjpeg then decodes at 1/2, 1/4 or 1/8 scale,
        # never below ``size``; in YCbCr, the JPEG's own colour space, there is
        # no colour conversion on the way in or out.
        im.draft(wanted, size)
        im.load()
        if im.mode == "CMYK" or (im.mode != wanted and wanted == "L"):
            return im.convert("RGB" if wanted == "YCbCr" else wanted)
        return im
    if image.filter == "/FlateDecode" and image.bits == 8:
        mode = "L" if image.colorspace == "/DeviceGray" else "RGB"
        raw = zlib.decompress(image.data)
        im = Image.frombytes(mode, (image.width, image.height), raw)
        return im.convert("L") if gray and mode != "L" else im
    return None


def encode_jpeg(im: Image.Image, quality: int, optimize: bool = True) -> bytes:
    """Baseline JPEG, no metadata (no EXIF, no GPS).

    Optimised Huffman tables save 3-5 % for about 6 ms per 1.5 MP image:
    worth it where bytes are capped tightly (the upload bundle).
    """
    return bare_jpeg(im, quality, optimize)


def shrink(job: ShrinkJob) -> Ladder:
    """Worker: the image at each quality rung, never larger than the rung before.

    An image that cannot be decoded here (normalize already read it, so this is
    rare) keeps its original bytes: the packet is still correct, only bigger.
    """
    try:
        im = _decode(job.image, job.size, job.gray)
    except (OSError, ValueError, zlib.error, Image.DecompressionBombError, InputError):
        im = None
    if im is None:
        return (None,) * len(job.qualities)
    return ladder_from(im, job)


def ladder_from(im: Image.Image, job: ShrinkJob) -> Ladder:
    """The ladder of ``job`` from pixels already decoded (stored orientation, any scale)."""
    if job.gray and im.mode != "L":
        im = im.convert("L")
    width, height = job.size
    if im.width > width * RESAMPLE_ABOVE or im.height > height * RESAMPLE_ABOVE:
        # Bilinear (area-weighted when shrinking) is as sharp here as bicubic at
        # 1.1-2x reduction, 30% faster, and gives smaller JPEGs.
        im = im.resize((width, height), Image.Resampling.BILINEAR)
    already_gray = job.image.colorspace == "/DeviceGray"
    best = encoded_size(job.image) if not job.gray or already_gray else None
    chosen: EncodedImage | None = None
    rungs: list[EncodedImage | None] = []
    for quality in job.qualities:
        if chosen is not None and job.enough is not None and len(chosen.data) <= job.enough:
            rungs.append(chosen)  # small enough: the rungs below repeat it
            continue
        # A YCbCr decode is encoded as it is (no colour conversion either way);
        # the JPEG is an ordinary colour JPEG, /DeviceRGB to a PDF viewer.
        data = encode_jpeg(im, quality)
        if best is None or len(data) < best:
            best = len(data)
            chosen = EncodedImage(
                data=data,
                filter="/DCTDecode",
                width=im.width,
                height=im.height,
                colorspace="/DeviceGray" if im.mode == "L" else "/DeviceRGB",
                orientation=job.image.orientation,
            )
        rungs.append(chosen)
    return tuple(rungs)
