"""What each page says, and which way up it is, read from the page itself.

A photo shot flat from above gets EXIF orientation 1 whatever way the paper
lay, and a scanner records none: for those pages the direction of the text
decides. Detection runs once and finds the lines; lines taller than wide mean
the page lies on its side. Which way up the biggest lines are is guessed by
RapidOCR's line-direction model (1 ms a line) and confirmed by reading them
that way: both signals agree on every Chinese page measured here (the right
way read at 0.94-0.99 confidence a character, the wrong way at most 0.83).
Where the model hesitates (English print, where it is sometimes sure the
wrong way) the lines are read both ways up, with the model off, so text
upside down reads as noise: the right way scores 6-7 times the wrong one.
The rest of the page is read from the same crops, the chosen way up: one
detection and one recognition a page (reading the sample twice cost 20 %
more on the bench's photos, reading the whole page both ways 50 % more;
the same text and turns). When the two ways are close (a page with little
text, a photo of a desk) nothing is turned and the build says so
(``ORIENTATION_UNSURE``). A page whose EXIF tag turns it is trusted as it is
and read once.

Text PDFs use their own text layer instead (pypdfium2): nothing to recognise.
"""

from __future__ import annotations

import io
import unicodedata
from dataclasses import replace

import numpy as np
from PIL import Image

from packager.geometry import turned
from packager.image import ocr
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
# Lines read both ways up to decide which is right (the biggest of the page).
SAMPLE = 12
# The line-direction model's guess counts when one way outweighs the other this many times.
CLS_RATIO = 8.0
# ... and is confirmed when the lines read that way average this confidence a character
# (the right way read 0.94-0.99 on Chinese pages here, the wrong way at most 0.83).
SURE_MEAN = 0.9


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


def _score_reads(reads: list[tuple[str, float]]) -> tuple[float, int]:
    """(score, characters) of confident reads: how well a way up reads."""
    kept = [(text, score) for text, score in reads if score >= ocr.MIN_SCORE and text]
    return sum(score * len(text) for text, score in kept), sum(len(text) for text, _ in kept)


def _guess_flipped(crops: list[np.ndarray]) -> bool | None:
    """Whether the line-direction model, weighted by line width, says the crops are upside down.

    None when its two ways are within ``CLS_RATIO`` of each other: on English
    print it is sometimes sure the wrong way (3.8 : 1 on a real book page),
    on Chinese it was never below 8 : 1 the right way here.
    """
    up = down = 0.0
    for crop, (flipped, score) in zip(crops, ocr.directions(crops), strict=True):
        if flipped:
            down += score * crop.shape[1]
        else:
            up += score * crop.shape[1]
    if max(up, down) < CLS_RATIO * max(min(up, down), 1.0):
        return None
    return down > up


def _reads_well(reads: list[tuple[str, float]]) -> bool:
    """A way up whose lines read as text: enough characters, each confidently."""
    score, chars = _score_reads(reads)
    return chars >= MIN_CHARS and score >= SURE_MEAN * chars


def _orient(im: Image.Image) -> tuple[int, bool, tuple[Line, ...], Image.Image]:
    """(clockwise turn, sure, lines read the chosen way up, the turned image).

    Detection runs once. Every line is cut out level (on a page on its side,
    turned a quarter counter-clockwise, as ``ocr.detect`` cuts a tall line).
    The line-direction model guesses from the biggest lines (``SAMPLE``)
    which way up they are; they are read that way, and when the guess was
    decisive and they read as text (``_reads_well``), that settles it: two
    signals that agree. Otherwise they are read turned 180° too, and the
    right way scores several times the wrong one. The page is then read
    from the same crops, the chosen way up: one detection, and one
    recognition of the page (a few lines twice when the guess needs help).
    """
    found = ocr.detect(im)
    if not found.boxes:
        return 0, True, (), im  # no text at all: nothing to read, nothing to be unsure of
    tall = list(found.tall)  # the crops RapidOCR cut turned a quarter
    sideways = sum(tall) > sum(found.wide)
    # The page's clockwise turn when the crops read right as cut, and turned 180°.
    turns = (270, 90) if sideways else (0, 180)
    level = [
        np.rot90(crop) if sideways and not t else crop
        for crop, t in zip(found.crops, tall, strict=True)
    ]
    lying = [i for i, t in enumerate(tall) if t == sideways]
    area = {i: (b[2] - b[0]) * (b[3] - b[1]) for i, b in enumerate(found.boxes)}
    sample = sorted(lying, key=lambda i: -area[i])[:SAMPLE]
    ways = ([level[i] for i in sample], [np.rot90(level[i], 2) for i in sample])
    guess = _guess_flipped(ways[0])
    first = int(bool(guess))
    reads: list[list[tuple[str, float]] | None] = [None, None]
    reads[first] = ocr.read_crops(ways[first])
    if guess is not None and _reads_well(reads[first] or []):
        flip, sure = bool(guess), True
    else:
        reads[1 - first] = ocr.read_crops(ways[1 - first])
        (one, one_chars), (two, two_chars) = (_score_reads(r or []) for r in reads)
        best, other, chars = (one, two, one_chars) if one >= two else (two, one, two_chars)
        flip, sure = one < two, chars >= MIN_CHARS and best >= SURE_RATIO * max(other, 1.0)
    if not sure:
        # Keep the page as it is; read it with the line model on, as a viewer would.
        page_reads = ocr.read_crops(found.crops, turn_lines=True)
        return 0, False, ocr.lines_of(found.boxes, page_reads, im.size), im
    turn = turns[1] if flip else turns[0]
    known = dict(zip(sample, reads[int(flip)] or [], strict=True))
    rest = [i for i in range(len(level)) if i not in known]
    crops = [np.rot90(level[i], 2) if flip else level[i] for i in rest]
    known.update(zip(rest, ocr.read_crops(crops), strict=True))
    page_reads = [known[i] for i in range(len(level))]
    upright = im.rotate(-turn, expand=True) if turn else im
    return turn, True, ocr.lines_of(found.boxes, page_reads, im.size, turn), upright


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
