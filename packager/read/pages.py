"""Read each source file once, in a worker: its pages, their quality, their re-encodings.

Entropy-decoding a 12 MP phone photo costs about 40 ms, whatever scale libjpeg
reduces it to; everything else a build needs of the photo's pixels is cheap
next to it. So each photo is decoded once, here, and everything that needs
its pixels is made while they are in memory: the grey preview the quality
checks measure (reduced at once to an ``Inspection`` of a few numbers and a
128-px thumbnail), and the re-encodings (``Encoding``) the upload bundle's
ladder or the report's thumbnails pick from. A worker returns only those
small results; the pages themselves stay lazy (``normalize``).

PDFs and other formats are read here too, so a case's files are read on every
core; their re-encodings, when asked for, are made by ``shrink`` as before.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from itertools import zip_longest
from pathlib import Path

from PIL import Image

from packager.geometry import slice_page, turned
from packager.image.reencode import Encoding, Ladder, ShrinkJob, ladder_from, shrink, shrinkable
from packager.models import EncodedImage, PageText, SourceFile, SourcePage
from packager.read.clean import clean_page
from packager.read.normalize import Normalized, normalize
from packager.read.pagetext import read_image_page, read_pdf_page
from packager.read.quality import Inspection, inspect
from packager.sources import Unusable


@dataclass(frozen=True, slots=True)
class ReadJob:
    """One source file to read, and what to re-encode its photos into."""

    source: SourceFile
    password: str | None = None
    encodings: tuple[Encoding, ...] = ()
    # Recognise the text of every page (and turn image pages upright by it).
    ocr: bool = False
    # Clockwise degrees a [[file]] entry turns the photo by (then no content decides).
    rotate: int = 0
    # Make photos of a sheet into scans, kept in this store (``read.clean``); None: as taken.
    clean: Path | None = None


@dataclass(frozen=True, slots=True)
class Read:
    """A source file read: its pages, warnings and inspections, or why it was refused."""

    pages: tuple[SourcePage, ...] = ()
    warnings: tuple[tuple[str, Mapping[str, str]], ...] = ()
    inspections: tuple[Inspection | None, ...] = ()
    ladders: tuple[tuple[ShrinkJob, Ladder], ...] = ()
    # (finding code, params) when the file cannot go into the packet.
    refused: tuple[str, Mapping[str, str]] | None = None
    # What each page says (``ReadJob.ocr``); None for a page with nothing read.
    texts: tuple[PageText | None, ...] = ()


def _encodable(page: SourcePage) -> EncodedImage | None:
    """The page's image when it is re-encoded whole (a tall screenshot is cut into slices)."""
    image = page.content
    if not isinstance(image, EncodedImage) or not shrinkable(image):
        return None
    return image if len(slice_page(page)) == 1 else None


def read(job: ReadJob) -> Read:
    """Worker: normalize one file, inspect its pages and make the asked-for re-encodings."""

    def want(page: SourcePage) -> tuple[str, tuple[int, int]] | None:
        image = _encodable(page)
        if image is None or not job.encodings:
            return None
        sizes = [encoding.job(image, page.landscape).size for encoding in job.encodings]
        mode = "L" if all(encoding.gray for encoding in job.encodings) else "RGB"
        return mode, (max(w for w, _ in sizes), max(h for _, h in sizes))

    try:
        normalized = normalize(job.source, job.password, want)
    except Unusable as exc:
        return Read(refused=(exc.code, dict(exc.params)))
    if job.clean is not None:
        normalized = _clean(job, normalized)
    inspections = tuple(None if p is None else inspect(p) for p in normalized.previews)
    pages = _rotate(normalized.pages, job.rotate) if job.rotate else normalized.pages
    pages, texts = _read_texts(pages, decide=not job.rotate) if job.ocr else (pages, ())
    ladders: list[tuple[ShrinkJob, Ladder]] = []
    pixels: Image.Image | None
    for page, pixels in zip_longest(pages, normalized.pixels):
        image = _encodable(page)
        if image is None:
            continue
        for encoding in job.encodings:
            shrink_job = encoding.job(image, page.landscape)
            try:
                if pixels is not None:
                    ladder = ladder_from(pixels, shrink_job)
                else:
                    ladder = shrink(shrink_job)
            except (OSError, ValueError, MemoryError):
                continue  # the bundler tries again (and keeps the original if it must)
            ladders.append((shrink_job, ladder))
    return Read(pages, normalized.warnings, inspections, tuple(ladders), texts=texts)


def _rotate(pages: tuple[SourcePage, ...], degrees: int) -> tuple[SourcePage, ...]:
    """Image pages turned clockwise as the person asked: a new EXIF orientation, same pixels."""
    out: list[SourcePage] = []
    for page in pages:
        image = page.content
        if isinstance(image, EncodedImage):
            image = replace(image, orientation=turned(image.orientation, degrees))
            width, height = image.upright_size
            page = replace(page, content=image, landscape=width > height)
        out.append(page)
    return tuple(out)


def _clean(job: ReadJob, normalized: Normalized) -> Normalized:
    """Photos made into scans: new pages, previews and pixels, and notes on the others.

    Cleaning never costs a page: whatever it raises leaves the photo as taken.
    """
    if job.clean is None:
        return normalized
    pages = list(normalized.pages)
    previews = list(normalized.previews)
    pixels = list(normalized.pixels) + [None] * (len(pages) - len(normalized.pixels))
    notes = list(normalized.warnings)
    for i, page in enumerate(pages):
        try:
            cleaned, note = clean_page(job.source, page, job.clean, check_text=job.ocr)
        except Exception:  # noqa: BLE001 - an odd photo is placed as taken
            cleaned, note = None, None
        if note is not None:
            notes.append(note)
        if cleaned is not None:
            pages[i], previews[i], pixels[i] = cleaned.page, cleaned.preview, cleaned.pixels
    return Normalized(tuple(pages), tuple(notes), tuple(previews), tuple(pixels))


def _read_texts(
    pages: tuple[SourcePage, ...], decide: bool = True
) -> tuple[tuple[SourcePage, ...], tuple[PageText | None, ...]]:
    """Every page's text; image pages whose EXIF says nothing turned upright by their content.

    Recognition never costs a page: whatever it raises leaves the page as it
    was, with nothing read.
    """
    turned: list[SourcePage] = []
    texts: list[PageText | None] = []
    for page in pages:
        text: PageText | None = None
        try:
            if isinstance(page.content, EncodedImage):
                page, text = read_image_page(page, decide_orientation=decide)
            else:
                text = read_pdf_page(page)
        except Exception:  # noqa: BLE001 - an unreadable page is still placed, unread
            text = None
        turned.append(page)
        texts.append(text)
    return tuple(turned), tuple(texts)
