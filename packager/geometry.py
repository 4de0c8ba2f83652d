"""Where things go on an A4 packet page, decided before anything is drawn.

The page itself: A4 in points, the content box below the label band, fitting
an image into it and the eight EXIF placement matrices (pixels are never
rewritten to turn a photo upright). And tall screenshots, which become
several pages:

A chat record of 1080×2400 fitted whole onto A4 is a strip too narrow to
read. Instead it is cut into slices as tall as the content box is at the
image's full width, each slice overlapping the previous one a little so no
line of text is lost at a cut. The slices share one image: each page draws
the same XObject under a clip (``SourcePage.crop``), nothing is re-encoded.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, replace

from packager.models import EncodedImage, SourcePage

MM = 72 / 25.4
A4 = (210 * MM, 297 * MM)
# Must agree with templates/stamps.css: the band ends 19 mm from the top and
# the footer starts 12 mm from the bottom; keep a little air around both.
MARGIN_SIDE = 15 * MM
MARGIN_TOP = 22 * MM
MARGIN_BOTTOM = 16 * MM


@dataclass(frozen=True, slots=True)
class Box:
    """A rectangle in PDF points, origin bottom-left."""

    x: float
    y: float
    width: float
    height: float


def page_size(landscape: bool) -> tuple[float, float]:
    """A4 in points, turned for landscape sources."""
    return (A4[1], A4[0]) if landscape else A4


def content_box(landscape: bool) -> Box:
    """Where a scan may go on a packet page."""
    width, height = page_size(landscape)
    return Box(
        MARGIN_SIDE, MARGIN_BOTTOM, width - 2 * MARGIN_SIDE, height - MARGIN_TOP - MARGIN_BOTTOM
    )


def fit(width: float, height: float, box: Box) -> Box:
    """Largest rectangle with the given aspect inside ``box``, centred."""
    scale = min(box.width / width, box.height / height)
    w, h = width * scale, height * scale
    return Box(box.x + (box.width - w) / 2, box.y + (box.height - h) / 2, w, h)


def orientation_matrix(orientation: int, r: Box) -> tuple[float, ...]:
    """PDF ``cm`` matrix drawing an image stored with EXIF ``orientation`` upright in ``r``.

    The image XObject fills the unit square; these eight matrices are the
    EXIF transforms composed with the fit, so pixels are never rewritten.
    """
    x, y, w, h = r.x, r.y, r.width, r.height
    return {
        1: (w, 0, 0, h, x, y),
        2: (-w, 0, 0, h, x + w, y),
        3: (-w, 0, 0, -h, x + w, y + h),
        4: (w, 0, 0, -h, x, y + h),
        5: (0, -h, -w, 0, x + w, y + h),
        6: (0, -h, w, 0, x, y + h),
        7: (0, h, w, 0, x, y),
        8: (0, h, -w, 0, x + w, y),
    }[orientation]


def image_boxes(
    image: EncodedImage, landscape: bool, crop: tuple[int, ...] | None
) -> tuple[Box, Box]:
    """Where an image goes on its page: (visible box, box of the whole upright image).

    A slice of a tall image (``crop``) fills the content box's width, top
    aligned, every slice at the same scale. A scan whose recorded dpi is a
    scanner's is shown at its real size when that fits and is not a speck
    (``MIN_PHYSICAL_SHARE``); everything else is
    fitted into the content box and centred. Phone dpi (72/96) never counts.
    """
    box = content_box(landscape)
    full_w, full_h = image.upright_size
    left, top, right, bottom = crop if crop is not None else (0, 0, full_w, full_h)
    width, height = right - left, bottom - top
    if crop is not None:
        scale = min(box.width / width, box.height / height)
        shown = Box(
            box.x + (box.width - width * scale) / 2,
            box.y + box.height - height * scale,
            width * scale,
            height * scale,
        )
    elif image.dpi and _physical_fits(width * 72 / image.dpi, height * 72 / image.dpi, box):
        scale = 72 / image.dpi
        w, h = width * scale, height * scale
        shown = Box(box.x + (box.width - w) / 2, box.y + (box.height - h) / 2, w, h)
    else:
        shown = fit(width, height, box)
        scale = shown.width / width
    whole = Box(
        shown.x - left * scale,
        shown.y + shown.height + top * scale - full_h * scale,
        full_w * scale,
        full_h * scale,
    )
    return shown, whole


# A scan shown at its recorded size must cover at least this share of the
# content box; smaller (a 16-pixel image "at 300 dpi" is a 1.4 mm dot, a
# 400-pixel photo at 500 dpi 20 mm wide) it is fitted to the box instead,
# and the quality checks then flag its low resolution.
MIN_PHYSICAL_SHARE = 0.25


def _physical_fits(width: float, height: float, box: Box) -> bool:
    """True when an image at its recorded size fits the box and is large enough to read."""
    if width > box.width or height > box.height:
        return False
    return width * height >= MIN_PHYSICAL_SHARE * box.width * box.height


# Height/width above which an image is sliced. A portrait content box is
# 1.44 times as tall as wide; at 1.8 the whole image would be shrunk to 80 %
# of the page width or less, which for a phone screenshot means text under
# about 6 pt. Ordinary phone photos (4:3 = 1.33) and A4 scans (1.41) stay whole.
TALL_RATIO = 1.8
# Each slice repeats this share of the previous slice's height (about two
# chat lines), so a line cut at the bottom of one page is whole on the next.
OVERLAP = 0.06
# Narrower than this, a tall image is not a screenshot to read line by line
# (phone screens are 640 px and more): it is fitted whole, never cut into
# slices of a few pixels.
MIN_SLICE_WIDTH = 320


def slice_page(page: SourcePage) -> tuple[SourcePage, ...]:
    """One page, or several slices of a tall image, in reading order."""
    image = page.content
    if not isinstance(image, EncodedImage) or page.crop is not None:
        return (page,)
    width, height = image.upright_size
    if height <= TALL_RATIO * width or width < MIN_SLICE_WIDTH:
        return (page,)
    box = content_box(landscape=False)
    slice_h = max(1, math.floor(width * box.height / box.width))
    step = max(1, slice_h - round(slice_h * OVERLAP))
    tops = [0]
    while tops[-1] + slice_h < height:
        tops.append(tops[-1] + step)
    # Each slice keeps the page's text: the text layer writes the lines it shows.
    return tuple(
        replace(page, landscape=False, crop=(0, top, width, min(top + slice_h, height)))
        for top in tops
    )


def paginate(pages: Iterable[SourcePage]) -> tuple[SourcePage, ...]:
    """Every page of a source, tall images sliced."""
    return tuple(part for page in pages for part in slice_page(page))


def effective_ppi(page: SourcePage) -> float | None:
    """Image pixels per inch as the page shows them (None for vector PDF pages)."""
    image = page.content
    if not isinstance(image, EncodedImage):
        return None
    shown, _ = image_boxes(image, page.landscape, page.crop)
    left, top, right, bottom = page.crop or (0, 0, *image.upright_size)
    return min((right - left) / (shown.width / 72), (bottom - top) / (shown.height / 72))


# EXIF orientation -> (clockwise quarter turns, mirrored first) of what it shows.
_EXIF_TURNS = {1: (0, False), 6: (1, False), 3: (2, False), 8: (3, False),
               2: (0, True), 7: (1, True), 4: (2, True), 5: (3, True)}  # fmt: skip
_FROM_TURNS = {v: k for k, v in _EXIF_TURNS.items()}


def turned(orientation: int, degrees: int) -> int:
    """The EXIF orientation that shows what ``orientation`` shows, turned ``degrees`` clockwise.

    A mirror is taken first, then the turn (EXIF's own order), so turning
    only adds quarter turns; pixels are never rewritten.
    """
    turns, mirrored = _EXIF_TURNS.get(orientation, (0, False))
    return _FROM_TURNS[((turns + degrees // 90) % 4, mirrored)]
