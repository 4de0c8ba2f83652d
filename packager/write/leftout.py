"""Small thumbnails of the files left out of the packet, for report.html.

A person with twenty IMG_20261120_… photos cannot tell from a name which one
was left out (unsorted, a duplicate, excluded, unreadable); a thumbnail next
to the name shows it. Each is at most ``LEFT_OUT_SIDE`` pixels on its long
side, turned upright by its EXIF orientation, re-encoded from pixels (so no
EXIF, GPS or other metadata of the photo reaches the report), and embedded
as a ``data:`` URI. Only what the readers already recognised is decoded: an
image whose header fits the pixel budget, or the first page of a PDF that
opens without a password; anything else simply gets no thumbnail. The file
is only read: nothing in the case folder changes.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

from PIL import Image, ImageOps

from packager.image.quiet import heard
from packager.models import MediaType, SkippedFile
from packager.read.normalize import FORMATS, PIXEL_BUDGET
from packager.sources import flatten, strict_images

LEFT_OUT_SIDE = 160  # pixels on the long side; shown at about 80 px, sharp on HiDPI screens
LEFT_OUT_QUALITY = 70


def _image(path: Path, media: MediaType) -> Image.Image | None:
    with strict_images(), Image.open(path, formats=FORMATS.get(media)) as im:
        width, height = im.size
        if width <= 0 or height <= 0 or width * height > PIXEL_BUDGET:
            return None
        im.draft("RGB", (LEFT_OUT_SIDE * 2, LEFT_OUT_SIDE * 2))  # JPEG: decoded at 1/8 scale
        upright = flatten(ImageOps.exif_transpose(im))
    upright.thumbnail((LEFT_OUT_SIDE, LEFT_OUT_SIDE))
    return upright


def _pdf_page(path: Path) -> Image.Image | None:
    import pypdfium2

    document = pypdfium2.PdfDocument(path)
    try:
        if len(document) == 0:
            return None
        page = document[0]
        try:
            width, height = page.get_size()
            bitmap = page.render(scale=LEFT_OUT_SIDE / max(width, height, 1))
            image: Image.Image = bitmap.to_pil()
            bitmap.close()
        finally:
            page.close()
    finally:
        document.close()
    return image


def left_out_thumbnail(skipped: SkippedFile) -> bytes | None:
    """A small, upright, metadata-free JPEG of a left-out file, or None when it has none."""
    path, media = skipped.path, skipped.media
    if path is None or media is None or media is MediaType.UNKNOWN:
        return None
    try:
        with heard():  # the file has its finding already; what its decoder says is dropped
            image = _pdf_page(path) if media is MediaType.PDF else _image(path, media)
    except Exception:  # noqa: BLE001 - a damaged, encrypted or odd file just has no thumbnail
        return None
    if image is None:
        return None
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, "JPEG", quality=LEFT_OUT_QUALITY, optimize=True)
    return buffer.getvalue()


def left_out_thumbnails(skipped: Sequence[SkippedFile]) -> dict[str, bytes]:
    """Each left-out file's thumbnail by its shown path (files without one are not in it)."""
    thumbs: dict[str, bytes] = {}
    for item in skipped:
        jpeg = left_out_thumbnail(item)
        if jpeg is not None:
            thumbs[item.rel] = jpeg
    return thumbs
