"""A photo of a sheet on a desk made into a scan: found, flattened, its light evened out.

Runs in the worker, after the photo is decoded and before its text is read,
so recognition reads the cleaned page: decode → upright → text boxes (when
pages are read: detection only, on an 896-px copy) → find the sheet
(``vision``) → flatten it, or cut it out and level it → even the light →
recognise → place. Photos in any container (JPEG, HEIC, PNG, WebP) whose
pixels are a camera's: a screenshot or a rendering is never cut, a scan
(a scanner's resolution recorded) neither. A page is never cut into its
print: when recognised text next to the sheet lies outside it, the cut-out
that holds it is used, or the photo stays as taken (``CROP_UNSURE``). A
photo that keeps its surround is always named in a finding
(``PAGE_NOT_FOUND`` as taken, ``SURROUND_KEPT`` cut out), so no desk is
left on a page silently.

A cleaned page is a new image, so it gets a file of its own: a JPEG in the
clean store (``OUT/.cache/clean/<sha256>.jpg``, named by its own content
hash), and the page an ``EncodedImage`` naming that file and hash, exactly
as a photo names its case file. Every output then reads it lazily through
the same verified path (``sources.image_bytes``): the upload bundle's
ladder, the page images and the mail packet embed the same bytes, a case of
many photos still holds none of them in memory, and a damaged store file is
refused by its hash like a changed photo. The case folder is never written.
"""

from __future__ import annotations

import hashlib
import io
import math
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from packager.cache.files import prune_oldest, write_atomically
from packager.geometry import content_box, fit
from packager.image import ocr, vision
from packager.models import EncodedImage, MediaType, SourceFile, SourcePage
from packager.read.normalize import PREVIEW_SIZE, TRANSPOSE
from packager.sources import bare_jpeg, quiet_decoders, strict_images, upright_flat

# The cleaned page's resolution on its placed page (the content box of its A4
# page): at least 150 ppi (the packet's floor), more when the photo has the
# pixels, at most 175 ppi. Text at 8 pt reads as well at 150 as at 280 ppi
# once the sheet is flat and white (OCR character error 1.1-1.4 % at every
# step from 150 to 280 ppi, q50-q80, against 3-5 % for the same photo as taken
# at 150 ppi). 175 ppi keeps small print and seal detail for the reviewer's
# eye and the printer, and brings a photo case's upload bundle to 54-57 % of
# its size as taken (200 ppi: 62-66 %; measured: benchmarks/bench_clean.py).
MIN_PPI, MAX_PPI = 150, 175
# JPEG quality of the cleaned page. On white paper (``vision.PAPER_WHITE``) q70
# keeps print edges and the seal's red clean; q50 shows blotches in the
# paper; q80 costs 15 % more for nothing the eye sees at 175-200 ppi.
QUALITY = 70
# Trimmed off each side of the flattened sheet: the paper's very edge.
INSET = 0.006
# Photos above this many pixels are decoded at a reduced scale for cleaning.
MAX_PIXELS = 48_000_000
# A recognised line may reach this share of the photo's diagonal outside the sheet.
SLACK = 0.01
# Recognised text outside the sheet but within this share of its short side belongs
# with it (a note written beside it); farther away it is the room's (a label, a screen).
NEAR = 0.15
# Side of the copy recognition checks the crop on (as ``pagetext.READ_SIDE``).
CHECK_SIDE = 1600
STORE_SUFFIX = ".jpg"
# Warning codes of ``Read.warnings`` that are only worth an info.
INFO_CODES = frozenset({"PAGE_NOT_FOUND", "SURROUND_KEPT"})
# A cut-out page keeps its surround (SURROUND_KEPT is said) beyond this share of it.
SURROUND = 0.08
_CAMERA_TAGS = (0x010F, 0x0110)  # Make, Model
# Containers a photo comes in (PNG: saved by an app, forwarded; WebP: from a chat app).
MEDIA = frozenset({MediaType.JPEG, MediaType.HEIF, MediaType.PNG, MediaType.WEBP})
# From this recorded resolution on the file is a scan (a phone or screen records 72, 96, 144).
SCANNER_DPI = 150
# Side of the copy whose text boxes the finder uses (detection only: 0.29 CPU-s at 896 px
# on 12 MP, 0.37 at 1024; the finder finds the same sheets, corners within 0.2 % of the
# diagonal, on the generated and real desks at both. At 768 it misses the lines of a sheet
# shot at 45°, and the finder then orders the corners wrong: the desk stays).
DETECT_SIDE = 896
# Share of a detected box's short side that is the detector's margin round the print.
UNCLIPPED = 0.3
# Colour spaces of the photos cleaned: a grey one stays grey, a CMYK one becomes RGB.
COLOURS = frozenset({"/DeviceRGB", "/DeviceGray", "/DeviceCMYK"})


@dataclass(frozen=True, slots=True)
class Cleaned:
    """A page made into a scan: its new page, its pixels (for re-encodings) and preview."""

    page: SourcePage
    pixels: Image.Image
    preview: Image.Image


Note = tuple[str, Mapping[str, str]]


def store_path(store: Path, sha256: str) -> Path:
    """Where the cleaned image with this content hash lives."""
    return store / f"{sha256}{STORE_SUFFIX}"


def cleanable(source: SourceFile, page: SourcePage) -> bool:
    """Camera photos in any container: never flatbed scans, PDF pages, slices.

    JPEG, HEIC, PNG and WebP alike (a phone photo is sometimes saved or
    forwarded as PNG); whether the pixels are a photo at all is judged from
    them (``vision.looks_photographed``), not here. A resolution recorded at
    a scanner's values (``SCANNER_DPI`` and up) marks a scan; 72/96/144 are
    screens' and phones' values and say nothing. Colour, grey and CMYK
    photos alike (a CMYK one, from an editor, comes out RGB).
    """
    image = page.content
    return (
        source.media in MEDIA
        and isinstance(image, EncodedImage)
        and image.quad is None
        and (image.dpi is None or image.dpi < SCANNER_DPI)
        and image.colorspace in COLOURS
        and image.bits == 8
        and (image.decode is None or image.colorspace == "/DeviceCMYK")
        and page.crop is None
    )


def _upright(source: SourceFile, image: EncodedImage) -> tuple[Image.Image, int, bool] | None:
    """(upright pixels, RGB or grey; the scale they were decoded at; a camera named in EXIF)."""
    data = source.path.read_bytes()
    if hashlib.sha256(data).hexdigest() != source.sha256:
        return None  # changed since intake: writing the packet says so
    mode = "L" if image.colorspace == "/DeviceGray" else "RGB"
    with quiet_decoders(), warnings.catch_warnings(), strict_images():
        warnings.simplefilter("ignore")
        with Image.open(io.BytesIO(data)) as im:
            del data
            exif = im.getexif()
            camera = any(str(exif.get(tag, "")).strip() for tag in _CAMERA_TAGS)
            scale = 1
            while im.width * im.height > MAX_PIXELS * scale * scale:
                scale *= 2
            if image.frame is not None:
                if image.frame:
                    im.seek(image.frame)
                flat, _ = upright_flat(im)
                if scale > 1:
                    flat = flat.reduce(scale)
            else:
                if scale > 1:
                    im.draft(im.mode, (im.width // scale, im.height // scale))
                # Pillow reads an Adobe CMYK JPEG's inverted inks upright; RGB from there.
                flat = im.convert(mode)
                if image.orientation in TRANSPOSE:
                    flat = flat.transpose(TRANSPOSE[image.orientation])
    if flat.mode not in ("RGB", "L"):
        return None
    return flat, scale, camera


def _detect(small: np.ndarray, width: int) -> tuple[vision.TextBox, ...]:
    """The text boxes on a reduced copy of a photo ``width`` wide, in the photo's pixels."""
    f = width / small.shape[1]
    boxes = ocr.detect_quads(Image.fromarray(small))
    return tuple(tuple((x * f, y * f) for x, y in box) for box in boxes)


def _text_outside(photo: Image.Image, quad: vision.Quad, boxes: tuple[vision.TextBox, ...]) -> bool:
    """True when recognised text lies outside the sheet: cropping would cut it off."""
    slack = SLACK * math.hypot(*photo.size)

    def extent(box: vision.TextBox) -> tuple[float, float, float, float]:
        # The print inside the box: the detector grows each box by about 0.8 of its
        # text's height all round (unclip 1.6), so the ink is the middle 40 % of its
        # short side, and a line along the sheet's edge stays inside it.
        xs, ys = [x for x, _ in box], [y for _, y in box]
        sides = [math.dist(box[i], box[(i + 1) % len(box)]) for i in range(len(box))]
        grown = UNCLIPPED * min(sides, default=0.0)
        x0, y0, x1, y1 = min(xs), min(ys), max(xs), max(ys)
        dx, dy = min(grown, (x1 - x0) / 2), min(grown, (y1 - y0) / 2)
        return x0 + dx, y0 + dy, x1 - dx, y1 - dy

    if all(vision.inside(quad, extent(box), slack) for box in boxes):
        return False
    small = photo.copy()
    small.thumbnail((CHECK_SIDE, CHECK_SIDE))
    f = photo.width / small.width

    tl, tr, br, bl = quad
    near = NEAR * min(math.dist(tl, tr), math.dist(tl, bl), math.dist(br, bl), math.dist(tr, br))

    def out(box: tuple[float, float, float, float]) -> bool:
        full = (box[0] * f, box[1] * f, box[2] * f, box[3] * f)
        return not vision.inside(quad, full, slack) and vision.distance(quad, full) <= near

    # Detection sees text in wood grain too: only what reads as text counts, and only
    # next to the sheet (a note beside it, a second page): a bottle's label or a
    # keyboard across the desk is not the document's. The
    # sheet's inside is painted blank first, so its own lines are not read for
    # nothing (a line across its edge keeps both ends).
    scaled = tuple((x / f, y / f) for x, y in quad)
    blank = vision.blank_inside(np.asarray(small), scaled, 2 * slack / f)
    shown = Image.fromarray(blank)
    return any(len(line.text) >= 2 and out(line.box) for line in ocr.recognise(shown))


def _size(quad: vision.Quad, ratio: float) -> tuple[int, int]:
    """Pixels of the flattened sheet: the photo's own, within ``MIN_PPI``-``MAX_PPI`` as placed."""
    tl, tr, br, bl = quad
    if ratio <= 1:  # the nearer side has the most pixels of the sheet
        longest = max(math.dist(tl, bl), math.dist(tr, br))
    else:
        longest = max(math.dist(tl, tr), math.dist(bl, br))
    placed = fit(ratio, 1.0, content_box(ratio > 1))
    side = max(placed.width, placed.height) / 72
    long = min(round(side * MAX_PPI), max(round(side * MIN_PPI), round(longest)))
    return (round(long * ratio), long) if ratio <= 1 else (long, round(long / ratio))


def _holds(path: Path, data: bytes) -> bool:
    try:
        return path.read_bytes() == data
    except OSError:
        return False


def _keep(store: Path, data: bytes) -> tuple[Path, str]:
    """Write the cleaned JPEG under its hash (once, atomically; a damaged copy is replaced)."""
    sha = hashlib.sha256(data).hexdigest()
    path = store_path(store, sha)
    if not _holds(path, data):
        store.mkdir(parents=True, exist_ok=True, mode=0o700)
        write_atomically(path, data)
    return path, sha


def clean_page(
    source: SourceFile, page: SourcePage, store: Path, check_text: bool
) -> tuple[Cleaned | None, Note | None]:
    """The page made into a scan, or None (and maybe a note why) to keep it as taken."""
    image = page.content
    if not isinstance(image, EncodedImage) or not cleanable(source, page):
        return None, None
    decoded = _upright(source, image)
    if decoded is None:
        return None, None
    photo, scale, camera = decoded
    rgb = np.asarray(photo)  # or grey: one channel
    if not camera and not vision.looks_photographed(rgb):
        return None, None  # a screenshot, a rendering: never cut
    small = vision.reduced(rgb, DETECT_SIDE)
    boxes = _detect(small, rgb.shape[1]) if check_text else ()
    found = vision.find_sheet(rgb, camera, boxes, photo=True, reduced=small)
    # The outline to flatten, else the cut-out; either only when no text is left outside.
    choices = [(q, c) for q, c in ((found.quad, False), (found.crop, True)) if q is not None]
    if not choices:
        return None, ("PAGE_NOT_FOUND", {}) if found.document else None
    fits = (c for c in choices if not (check_text and _text_outside(photo, c[0], boxes)))
    pick = next(fits, None)
    if pick is None:
        return None, ("CROP_UNSURE", {})
    quad, cropped = pick
    if cropped:
        tl, tr, _, bl = quad
        size = (max(1, round(math.dist(tl, tr))), max(1, round(math.dist(tl, bl))))
        size = _size(quad, size[0] / size[1])
        flat = vision.even_light(vision.flatten(rgb, quad, size, INSET, white=True))
    else:
        size = _size(quad, vision.sheet_ratio(quad, photo.size))
        flat = vision.even_light(vision.flatten(rgb, quad, size, INSET))
    note: Note | None = None
    if cropped and (found.seeded or vision.surround(rgb, quad) > SURROUND):
        note = ("SURROUND_KEPT", {})
    skew = vision.residual_skew(flat)
    if skew is not None:
        flat = vision.turn(flat, skew)
    del rgb, photo
    pixels = Image.fromarray(flat)
    del flat
    path, sha = _keep(store, bare_jpeg(pixels, QUALITY))
    cleaned = EncodedImage(
        data=b"",
        filter="/DCTDecode",
        width=pixels.width,
        height=pixels.height,
        colorspace="/DeviceGray" if pixels.mode == "L" else "/DeviceRGB",
        source=path,
        sha256=sha,
        quad=tuple(round(v * scale, 1) for point in quad for v in point),
        cropped=cropped,
    )
    preview = pixels.convert("L")
    preview.thumbnail((PREVIEW_SIZE, PREVIEW_SIZE), Image.Resampling.BOX)
    return Cleaned(SourcePage(cleaned, pixels.width > pixels.height), pixels, preview), note


def prune(store: Path, max_bytes: int) -> int:
    """Delete the least recently used cleaned images beyond ``max_bytes``; return how many."""
    return prune_oldest(store, (STORE_SUFFIX,), max_bytes)
