"""Finished packet pages as JPEG images, for upload forms that take images only.

Each image is a rasterised packet page (pypdfium2), so the label 逾期还款协商
and the page number are burned in exactly as printed. ``rasterise`` runs in
worker processes, one run of pages per job; pdfium's output is deterministic,
so the same packet always gives the same images.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import pypdfium2 as pdfium
from PIL import Image

from packager.image.reencode import QUALITIES, encode_jpeg

IMAGE_PPI = 150
# The report's page thumbnails, made from the same render as the page image.
THUMB_LONG_SIDE = 300  # pixels; shown at about half that, so sharp on HiDPI screens
THUMB_QUALITY = 70
# Below this the page's small print is gone; an image is never shrunk further.
MIN_PPI = 60
SCALE_STEP = 0.85


@dataclass(frozen=True, slots=True)
class RasterJob:
    """Pages ``pages`` (0-based) of ``pdf``, each as a JPEG under ``max_bytes``."""

    pdf: bytes
    pages: tuple[int, ...]
    max_bytes: int
    ppi: int = IMAGE_PPI
    gray: bool = False


def fit_bytes(im: Image.Image, max_bytes: int, ppi: int) -> bytes:
    """The best JPEG of ``im`` under ``max_bytes``: quality first, then resolution.

    Returns the smallest attempt when even the lowest rung does not fit; the
    caller reports it.
    """
    smallest = b""
    scaled = im
    current = float(ppi)
    while True:
        for quality in QUALITIES:
            # A page image's cap (2 MB) is loose: skip Huffman optimisation.
            data = encode_jpeg(scaled, quality, optimize=False)
            if len(data) <= max_bytes:
                return data
            if not smallest or len(data) < len(smallest):
                smallest = data
        current *= SCALE_STEP
        if current < MIN_PPI:
            return smallest
        factor = current / ppi
        size = (max(1, round(im.width * factor)), max(1, round(im.height * factor)))
        scaled = im.resize(size, Image.Resampling.LANCZOS)


def thumbnail_jpeg(im: Image.Image, long_side: int = THUMB_LONG_SIDE) -> bytes:
    """A small JPEG of a rendered page for report.html."""
    small = im.convert("RGB")
    small.thumbnail((long_side, long_side))
    buffer = io.BytesIO()
    small.save(buffer, "JPEG", quality=THUMB_QUALITY, optimize=True)
    return buffer.getvalue()


def rasterise(job: RasterJob) -> list[tuple[bytes, bytes]]:
    """Worker: (page image, report thumbnail) JPEG bytes of each requested page, in order."""
    document = pdfium.PdfDocument(job.pdf)
    try:
        out: list[tuple[bytes, bytes]] = []
        for index in job.pages:
            page = document[index]
            try:
                bitmap = page.render(scale=job.ppi / 72, grayscale=job.gray, draw_annots=False)
                im = bitmap.to_pil()
            finally:
                page.close()
            im = im.convert("L" if job.gray else "RGB")
            out.append((fit_bytes(im, job.max_bytes, job.ppi), thumbnail_jpeg(im)))
        return out
    finally:
        document.close()
