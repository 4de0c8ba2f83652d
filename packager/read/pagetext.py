"""What each page says, and which way up it is, read from the page itself.

A photo shot flat from above gets EXIF orientation 1 whatever way the paper
lay, and a scanner records none: for those pages the direction of the text
decides. Detection finds the lines; lines taller than wide mean the page
lies on its side. Then the page is read twice, both candidate ways up, with
the line-direction model off, so text upside down reads as noise: measured
here on generated pages, the right way scores 6-7 times the wrong one. When
the two are close (a page with little text, a photo of a desk) nothing is
turned and the build says so (``ORIENTATION_UNSURE``). A page whose EXIF tag
turns it is trusted as it is and read once.

Text PDFs use their own text layer instead (pypdfium2): nothing to recognise.
"""

from __future__ import annotations

import io
import unicodedata
from dataclasses import replace

from PIL import Image

from packager import ocr
from packager.geometry import turned
from packager.models import EncodedImage, Line, PageText, PdfPageRef, SourcePage
from packager.read.normalize import TRANSPOSE
from packager.sources import decoded, image_bytes

# Pages are recognised at this long side: small print on A4 stays legible
# (a 9 pt character is about 18 px) and a 12 MP photo decodes at 1/2 scale.
READ_SIDE = 1600
# The right way up must score this many times the other way, or we keep the page.
SURE_RATIO = 2.0
# Characters of confident text below which a page has too little to go by.
MIN_CHARS = 8


def _score(lines: tuple[Line, ...]) -> float:
    return sum(line.score * len(line.text) for line in lines)


def _upright_pixels(image: EncodedImage) -> Image.Image:
    """The page as a reader sees it (EXIF applied), about ``READ_SIDE`` on its long side."""
    if image.frame is not None:  # PNG, TIFF, HEIC …: decoded upright and flattened
        flat = decoded(image)
        flat.thumbnail((READ_SIDE, READ_SIDE))
        return flat
    im: Image.Image = Image.open(io.BytesIO(image_bytes(image)))
    scale = max(1, max(im.size) // READ_SIDE)
    im.draft("RGB", (im.width // scale, im.height // scale))
    im = im.convert("RGB")
    if image.orientation in TRANSPOSE:
        im = im.transpose(TRANSPOSE[image.orientation])
    im.thumbnail((READ_SIDE, READ_SIDE))
    return im


def _orient(im: Image.Image) -> tuple[int, bool, tuple[Line, ...], Image.Image]:
    """(clockwise turn, sure, lines read the chosen way up, the turned image)."""
    found = ocr.boxes(im)
    if not found:
        return 0, True, (), im  # no text at all: nothing to read, nothing to be unsure of
    tall = sum(1 for x0, y0, x1, y1 in found if (y1 - y0) > 1.5 * (x1 - x0))
    wide = sum(1 for x0, y0, x1, y1 in found if (x1 - x0) > 1.5 * (y1 - y0))
    turns = (90, 270) if tall > wide else (0, 180)
    candidates = []
    for turn in turns:
        turned = im.rotate(-turn, expand=True) if turn else im
        lines = ocr.recognise(turned, turn_lines=False)
        candidates.append((_score(lines), turn, lines, turned))
    candidates.sort(key=lambda c: c[0], reverse=True)
    (best, turn, lines, turned), (other, _, _, _) = candidates
    chars = sum(len(line.text) for line in lines)
    sure = chars >= MIN_CHARS and best >= SURE_RATIO * max(other, 1.0)
    if not sure:
        # Keep the page as it is; read it with the line model on, as a viewer would.
        return 0, False, ocr.recognise(im), im
    return turn, True, lines, turned


def read_image_page(page: SourcePage, decide_orientation: bool) -> tuple[SourcePage, PageText]:
    """Recognise one image page; with ``decide_orientation``, turn it upright by its content."""
    image = page.content
    if not isinstance(image, EncodedImage):
        raise TypeError("an image page")
    im = _upright_pixels(image)
    if not decide_orientation or image.orientation != 1 or page.crop is not None:
        lines = ocr.recognise(im)
        return page, PageText(lines, im.size)
    turn, sure, lines, upright = _orient(im)
    text = PageText(lines, upright.size, turn, sure)
    if not turn:
        return page, text
    turned_image = replace(image, orientation=turned(image.orientation, turn))
    width, height = turned_image.upright_size
    return SourcePage(turned_image, width > height, page.crop), text


def read_pdf_page(page: SourcePage) -> PageText | None:
    """A PDF page's own text layer; a page without one (a scan saved as PDF) is recognised.

    The page is rendered as a viewer shows it (its /Rotate applied) at
    ``READ_SIDE``; it is placed by its /Rotate, so nothing here turns it.
    """
    ref = page.content
    if not isinstance(ref, PdfPageRef):
        raise TypeError("a PDF page")
    import pypdfium2

    document = pypdfium2.PdfDocument(str(ref.path), password=ref.password)
    try:
        pdf_page = document[ref.index]
        try:
            textpage = pdf_page.get_textpage()
            raw = textpage.get_text_bounded()
            textpage.close()
            picture: Image.Image | None = None
            if not raw.strip():
                width, height = pdf_page.get_size()
                bitmap = pdf_page.render(scale=READ_SIDE / max(width, height, 1.0))
                picture = bitmap.to_pil().convert("RGB")
                bitmap.close()
        finally:
            pdf_page.close()
    finally:
        document.close()
    if picture is not None:
        lines = ocr.recognise(picture)
        return PageText(lines, picture.size) if lines else None
    found = tuple(
        Line(unicodedata.normalize("NFKC", t).strip(), (0.0, 0.0, 0.0, 0.0), 1.0)
        for t in raw.splitlines()
        if t.strip()
    )
    if not found:
        return None
    return PageText(found, (0, 0), source="pdf")
