"""A source PDF's pages, by reference: checked now so damage is a finding, not a blank page.

PDF pages stay vector in the packet; nothing is rasterised. Reading goes
through ``sources.read_pdf`` (qpdf repairs and normalises the file first,
``pdf.repair``), then every page is merged onto a blank page and written
nowhere: the dry run of what assembly will do.
"""

from __future__ import annotations

from collections.abc import Mapping

from pypdf import PageObject, PdfWriter, Transformation
from pypdf.generic import ArrayObject, StreamObject

from packager.models import PdfPageRef, SourceFile, SourcePage
from packager.read.damage import error_text, pdf_truncated
from packager.sources import Unusable, read_pdf


def _check_contents(page: PageObject) -> None:
    """Decode a page's content streams now, so damage is a finding, not a blank page.

    pypdf repairs what it can and returns nothing for a stream it cannot
    inflate; stored bytes that decode to nothing mean the page is lost.
    """
    contents = page.get("/Contents")
    if contents is None:
        return
    contents = contents.get_object()
    streams = list(contents) if isinstance(contents, ArrayObject) else [contents]
    for ref in streams:
        stream = ref.get_object()
        if not isinstance(stream, StreamObject):
            raise ValueError("page content is not a stream")
        stored = getattr(stream, "_data", b"")
        if stored.strip() and not stream.get_data().strip():
            raise ValueError("page content cannot be decompressed")
    # Assembly parses the drawing operators (to wrap and place the page);
    # parse them here so an unparsable page is refused now.
    parsed = page.get_contents()
    if parsed is not None:
        _ = parsed.operations


class _Discard:
    """A write-only sink that keeps nothing (for the dry run)."""

    def __init__(self) -> None:
        self.size = 0

    def write(self, data: bytes) -> int:
        self.size += len(data)
        return len(data)

    def tell(self) -> int:
        return self.size

    def flush(self) -> None:
        return None


def pdf_pages(
    source: SourceFile, password: str | None
) -> tuple[tuple[SourcePage, ...], tuple[tuple[str, Mapping[str, str]], ...]]:
    """A PDF's pages by reference and its warnings; ``Unusable`` when it cannot go in."""
    path = source.path
    reader, normal = read_pdf(path, password, source.sha256, check=True)
    warns: list[tuple[str, Mapping[str, str]]] = []
    if normal.damaged:
        # An image or drawing on the page does not decode: a viewer shows it
        # broken or not at all, so the file is refused like damaged content.
        first = str(normal.damaged[0])
        raise Unusable("PDF_PAGE_DAMAGED", page=first, error="stream data cannot be decoded")
    if normal.repaired:
        if pdf_truncated(path.read_bytes()):
            # qpdf can rebuild what is left of a cut-off download, but pages
            # may be missing from it: the user should fetch the whole file.
            raise Unusable("TRUNCATED_FILE", error="%%EOF missing")
        warns.append(("PDF_REPAIRED", {}))
    warns.extend(
        ("PDF_MARKS_NOT_DRAWN", {"page": str(page), "count": str(count)})
        for page, count in normal.undrawn
    )
    # Dry run of what assembly will do: merge every page onto a blank page and
    # write the result nowhere. Whatever is damaged (content, resources, fonts,
    # images) fails here, as a finding, rather than while the packet is written.
    scratch = PdfWriter()
    count = len(reader.pages)
    if count == 0:
        raise Unusable("EMPTY_PDF")
    pages: list[SourcePage] = []
    for index in range(count):
        try:
            page = reader.pages[index]
            box = page.cropbox
            width, height = float(box.width), float(box.height)
            rotation = page.rotation or 0
            _check_contents(page)
            scratch.add_blank_page(max(width, 1), max(height, 1)).merge_transformed_page(
                page, Transformation()
            )
        except Unusable:
            raise
        except Exception as exc:
            raise Unusable(
                "PDF_PAGE_DAMAGED", page=str(index + 1), error=error_text(exc, source)
            ) from exc
        if not (width > 0 and height > 0):
            raise Unusable("PDF_PAGE_DAMAGED", page=str(index + 1), error="page has no size")
        if rotation % 180:
            width, height = height, width
        ref = PdfPageRef(
            path=path,
            index=index,
            width=width,
            height=height,
            password=password,
            sha256=source.sha256,
        )
        pages.append(SourcePage(ref, width > height))
    scratch.write(_Discard())  # type: ignore[arg-type]
    return tuple(pages), tuple(warns)
