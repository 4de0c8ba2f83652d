"""Page geometry decided before assembly: tall screenshots become several pages.

A chat record of 1080×2400 fitted whole onto A4 is a strip too narrow to
read. Instead it is cut into slices as tall as the content box is at the
image's full width, each slice overlapping the previous one a little so no
line of text is lost at a cut. The slices share one image: each page draws
the same XObject under a clip (``SourcePage.crop``), nothing is re-encoded.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from packager.models import EncodedImage, SourcePage
from packager.write.assemble import content_box, image_boxes

# Height/width above which an image is sliced. A portrait content box is
# 1.44 times as tall as wide; at 1.8 the whole image would be shrunk to 80 %
# of the page width or less, which for a phone screenshot means text under
# about 6 pt. Ordinary phone photos (4:3 = 1.33) and A4 scans (1.41) stay whole.
TALL_RATIO = 1.8
# Each slice repeats this share of the previous slice's height (about two
# chat lines), so a line cut at the bottom of one page is whole on the next.
OVERLAP = 0.06


def slice_page(page: SourcePage) -> tuple[SourcePage, ...]:
    """One page, or several slices of a tall image, in reading order."""
    image = page.content
    if not isinstance(image, EncodedImage) or page.crop is not None:
        return (page,)
    width, height = image.upright_size
    if height <= TALL_RATIO * width:
        return (page,)
    box = content_box(landscape=False)
    slice_h = max(1, math.floor(width * box.height / box.width))
    step = max(1, slice_h - round(slice_h * OVERLAP))
    tops = [0]
    while tops[-1] + slice_h < height:
        tops.append(tops[-1] + step)
    return tuple(
        SourcePage(image, False, crop=(0, top, width, min(top + slice_h, height))) for top in tops
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
