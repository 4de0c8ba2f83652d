"""Merge the letter and every source page into one labeled, numbered A4 PDF.

Each packet page starts as its overlay page (label, page number, draft mark;
rendered in one WeasyPrint pass so the font subset is shared) and the content
goes *underneath*: the letter page, a source PDF page scaled into the content
box, or an image XObject. Scans sit inside the content box, below the label
band, so the label never covers them.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import IO

from pypdf import PageObject, PdfReader, PdfWriter, Transformation
from pypdf.constants import PageLabelStyle
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    DecodedStreamObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
)

from packager.geometry import A4, content_box, fit, image_boxes, orientation_matrix, page_size
from packager.messages import words
from packager.models import EncodedImage, PacketPlan, PageText, PdfPageRef, SourcePage, WrittenPage
from packager.sources import open_pdf
from packager.write.plan import Blank, FrontPage, Layout
from packager.write.textlayer import TextLayer, font_resource, operators
from packager.write.xobjects import image_xobject


def _image_page(
    writer: PdfWriter,
    image: EncodedImage,
    landscape: bool,
    crop: tuple[int, int, int, int] | None = None,
    xobject: IndirectObject | None = None,
    text: tuple[PageText, TextLayer] | None = None,
) -> PageObject:
    """A page that draws only the image (or the ``crop`` of it) into the content box.

    A crop draws the whole image XObject under a clip, so the slices of a tall
    screenshot share one stored image.
    """
    width, height = page_size(landscape)
    page = PageObject.create_blank_page(width=width, height=height)
    shown, whole = image_boxes(image, landscape, crop)
    matrix = " ".join(f"{v:.4f}" for v in orientation_matrix(image.orientation, whole))
    clip = ""
    if crop is not None:
        clip = f"{shown.x:.4f} {shown.y:.4f} {shown.width:.4f} {shown.height:.4f} re W n "
    content = DecodedStreamObject()
    drawn = f"q {clip}{matrix} cm /Scan Do Q".encode()
    ref = xobject if xobject is not None else writer._add_object(image_xobject(image))
    resources = DictionaryObject(
        {NameObject("/XObject"): DictionaryObject({NameObject("/Scan"): ref})}
    )
    if text is not None:
        # A slice of a tall page (a long receipt) carries the lines it shows.
        words = operators(_within(text[0], image, crop), whole)
        if words:
            drawn += b" " + words
            resources[NameObject("/Font")] = font_resource(text[1])
    content.set_data(drawn)
    page[NameObject("/Resources")] = resources
    page[NameObject("/Contents")] = writer._add_object(content)
    return page


def _within(
    text: PageText, image: EncodedImage, crop: tuple[int, int, int, int] | None
) -> PageText:
    """The lines whose middle lies in ``crop`` (the image's upright pixels); all without one."""
    if crop is None or text.size[1] <= 0:
        return text
    f = text.size[1] / image.upright_size[1]
    top, bottom = crop[1] * f, crop[3] * f
    lines = tuple(line for line in text.lines if top <= (line.box[1] + line.box[3]) / 2 < bottom)
    return replace(text, lines=lines)


def _pdf_transform(page: PageObject, landscape: bool) -> Transformation:
    """Undo the page's /Rotate, then scale its crop box into the content box.

    Done in one matrix (rather than pypdf's transfer_rotation_to_content) so
    the source page is only read, never modified.
    """
    box = page.cropbox
    width, height = float(box.width), float(box.height)
    rotation = (page.rotation or 0) % 360
    t = Transformation().translate(-float(box.left), -float(box.bottom))
    if rotation == 90:
        t = t.rotate(-90).translate(0, width)
    elif rotation == 180:
        t = t.rotate(180).translate(width, height)
    elif rotation == 270:
        t = t.rotate(90).translate(height, 0)
    if rotation in (90, 270):
        width, height = height, width
    target = fit(width, height, content_box(landscape))
    scale = target.width / width
    return t.scale(scale, scale).translate(target.x, target.y)


def _own_resources(page: PageObject) -> None:
    """Give a page its own resource dictionaries before merging into it.

    WeasyPrint shares one /Resources object among all overlay pages; merging
    into it would make every page list every scan (and drag all of them into
    any part split off later).
    """
    shared = page.get("/Resources")
    own = DictionaryObject()
    if shared is not None:
        for key, value in shared.get_object().items():
            resolved = value.get_object()
            own[NameObject(key)] = (
                DictionaryObject(resolved.items())
                if isinstance(resolved, DictionaryObject)
                else value
            )
    page[NameObject("/Resources")] = own


class _Readers:
    """Open each source PDF once per assembly."""

    def __init__(self) -> None:
        self._open: dict[Path, PdfReader] = {}

    def page(self, ref: PdfPageRef) -> PageObject:
        if ref.path not in self._open:
            self._open[ref.path] = open_pdf(ref.path, ref.password, ref.sha256)
        return self._open[ref.path].pages[ref.index]


class _Written:
    """Open each rendered PDF (the written 支出明细) once per assembly."""

    def __init__(self) -> None:
        self._open: dict[int, PdfReader] = {}

    def page(self, page: WrittenPage) -> PageObject:
        reader = self._open.get(id(page.data))
        if reader is None:
            reader = self._open[id(page.data)] = PdfReader(io.BytesIO(page.data))
        return reader.pages[page.index]


def _outline(
    writer: PdfWriter,
    plan: PacketPlan,
    titles: Mapping[str, str],
    where: Mapping[int, int],
    layout: Layout,
    front_at: Mapping[int, int],
) -> None:
    """Bookmarks for the pages present.

    A section or document cut by a part boundary is bookmarked where it
    resumes, the document marked （续）.
    """
    for title, index in layout.front_outline:
        if index in front_at:
            writer.add_outline_item(title=title, page_number=front_at[index])
    letter = [where[n] for n in range(1, plan.letter_pages + 1) if n in where]
    if letter:
        writer.add_outline_item(title=titles["letter"], page_number=letter[0])
    for section in plan.sections:
        present = [where[n] for n in range(section.first_page, section.last_page + 1) if n in where]
        if not present:
            continue
        parent = writer.add_outline_item(title=titles[section.kind.value], page_number=present[0])
        for placed in section.documents:
            pages = [n for n in range(placed.first_page, placed.last_page + 1) if n in where]
            if not pages:
                continue
            name = placed.document.source.rel.rsplit("/", 1)[-1]
            if pages[0] != placed.first_page:
                name += words.CONTINUED
            writer.add_outline_item(title=name, page_number=where[pages[0]], parent=parent)


def packet_writer(
    plan: PacketPlan,
    stamps: bytes,
    metadata: Mapping[str, str],
    outline_titles: Mapping[str, str],
    layout: Layout | None = None,
) -> PdfWriter:
    """Build one output file in memory (not yet deduplicated or serialised).

    Kept separate from ``assemble`` so the bundle can measure what each page
    costs before it decides how to split.
    """
    layout = layout or Layout()
    overlay = PdfReader(io.BytesIO(stamps))
    letter = PdfReader(io.BytesIO(plan.letter_pdf))
    front = PdfReader(io.BytesIO(layout.front)) if layout.front else None
    readers = _Readers()
    written = _Written()
    writer = PdfWriter()
    # Slices of one tall screenshot draw one stored image.
    xobjects: dict[EncodedImage, IndirectObject] = {}
    layer = TextLayer(writer)  # one glyphless font per file, added on the first text
    sources: dict[int, SourcePage] = {}
    for section in plan.sections:
        for placed in section.documents:
            for offset, source in enumerate(placed.pages):
                sources[placed.first_page + offset] = source

    def add(index: int, content: PageObject | None, source: SourcePage | None) -> None:
        base = writer.add_page(overlay.pages[index])
        _own_resources(base)
        if content is not None:
            base.merge_page(content, over=False)
        elif source is not None and isinstance(source.content, PdfPageRef):
            src = readers.page(source.content)
            base.merge_transformed_page(src, _pdf_transform(src, source.landscape), over=False)

    slots = layout.slots if layout.slots is not None else range(1, plan.total_pages + 1)
    where: dict[int, int] = {}
    front_at: dict[int, int] = {}
    for slot in slots:
        position = len(writer.pages)
        if isinstance(slot, Blank):
            writer.add_blank_page(*A4)
        elif isinstance(slot, FrontPage):
            if front is None:
                raise ValueError("layout has front pages but no front PDF")
            writer.add_page(front.pages[slot.index])
            front_at[slot.index] = position
        elif slot <= plan.letter_pages:
            add(slot - 1, letter.pages[slot - 1], None)
            where[slot] = position
        else:
            source = sources[slot]
            if isinstance(source.content, WrittenPage):
                # A page the packager wrote (支出明细): laid out for the band, drawn as is.
                add(slot - 1, written.page(source.content), None)
            elif isinstance(source.content, EncodedImage):
                image = source.content
                if image not in xobjects:
                    xobjects[image] = writer._add_object(image_xobject(image))
                said = (source.text, layer) if source.text is not None else None
                page = _image_page(
                    writer, image, source.landscape, source.crop, xobjects[image], said
                )
                add(slot - 1, page, None)
            else:
                add(slot - 1, None, source)
            where[slot] = position
    _outline(writer, plan, outline_titles, where, layout, front_at)
    if layout.page_labels and where:
        # Viewers then show the printed page numbers, also in a part that starts mid-packet.
        numbers = sorted(where)
        writer.set_page_label(
            0, len(writer.pages) - 1, style=PageLabelStyle.DECIMAL, start=numbers[0]
        )
    writer.add_metadata(dict(metadata))
    writer.page_mode = "/UseOutlines"
    return writer


class _Chunks:
    """A write-only stream that keeps references to what it is given.

    pypdf writes each photo's bytes object whole; keeping the reference and
    joining once at the end never copies a photo twice, where a growing
    BytesIO reallocates (and briefly doubles) a 300 MB print packet.
    """

    def __init__(self) -> None:
        self._parts: list[bytes] = []
        self._size = 0

    def write(self, data: bytes) -> int:
        self._parts.append(data if isinstance(data, bytes) else bytes(data))
        self._size += len(data)
        return len(data)

    def tell(self) -> int:
        return self._size

    def flush(self) -> None:
        return None

    def getvalue(self) -> bytes:
        return b"".join(self._parts)


def serialise_into(
    writer: PdfWriter, out: IO[bytes], file_id: bytes | None = None, dedupe: bool = True
) -> None:
    """Deduplicate and write into ``out``; a fixed ``file_id`` makes the bytes reproducible.

    Deduplication hashes every stream; lazy images hash by identity
    (``LazyImageStream``), so it never reads a photo. Written to a real file,
    lazy images pass through memory one at a time.
    """
    if dedupe:
        writer.compress_identical_objects()
    if file_id is not None:
        ident = ByteStringObject(file_id[:16])
        writer._ID = ArrayObject([ident, ident])
    writer.write(out)


def serialise(writer: PdfWriter, file_id: bytes | None = None, dedupe: bool = True) -> bytes:
    """``serialise_into`` a memory buffer and return the bytes."""
    chunks = _Chunks()
    serialise_into(writer, chunks, file_id, dedupe)  # type: ignore[arg-type]
    return chunks.getvalue()


def assemble(
    plan: PacketPlan,
    stamps: bytes,
    metadata: Mapping[str, str],
    outline_titles: Mapping[str, str],
    layout: Layout | None = None,
    file_id: bytes | None = None,
    dedupe: bool = True,
) -> bytes:
    """Build the merged packet PDF (or the file ``layout`` describes) and return its bytes.

    ``outline_titles`` maps "letter" and each kind value to a bookmark title;
    documents get their display name as a child bookmark.
    """
    writer = packet_writer(plan, stamps, metadata, outline_titles, layout)
    return serialise(writer, file_id, dedupe)


def assemble_into(
    plan: PacketPlan,
    stamps: bytes,
    metadata: Mapping[str, str],
    outline_titles: Mapping[str, str],
    out: IO[bytes],
    layout: Layout | None = None,
    file_id: bytes | None = None,
    dedupe: bool = True,
) -> None:
    """Like ``assemble``, written into the binary file ``out`` (images streamed one at a time)."""
    writer = packet_writer(plan, stamps, metadata, outline_titles, layout)
    serialise_into(writer, out, file_id, dedupe)
