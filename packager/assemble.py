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
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from pypdf import PageObject, PdfReader, PdfWriter, Transformation
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NumberObject,
    StreamObject,
)

from packager.models import EncodedImage, PacketPlan, PdfPageRef, SourcePage
from packager.normalize import image_bytes, open_pdf

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
    scanner's is shown at its real size when that fits; everything else is
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
    elif (
        image.dpi and width * 72 / image.dpi <= box.width and height * 72 / image.dpi <= box.height
    ):
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


class LazyImageStream(StreamObject):
    """An image XObject whose bytes are read (or re-encoded) only while the PDF is written.

    The writer streams objects to the file one by one, so with lazy images at
    most one image's bytes are in memory however many pages the packet has.
    """

    def __init__(self, image: EncodedImage) -> None:
        super().__init__()
        self.image = image

    def get_data(self) -> bytes:
        """The image bytes, read now and not kept."""
        return image_bytes(self.image)

    def set_data(self, data: bytes) -> None:
        """Refused: the bytes belong to the source file."""
        raise NotImplementedError("lazy image streams are read-only")

    def hash_bin(self) -> int:
        """Identity for pypdf's change tracking, without reading the image."""
        return hash((DictionaryObject.hash_bin(self), self._key()))

    def hash_value_data(self) -> bytes:
        """Identity for ``compress_identical_objects``, without reading the image."""
        return DictionaryObject.hash_value_data(self) + self._key()

    def _key(self) -> bytes:
        image = self.image
        return f"{image.source}|{image.frame}|{image.sha256}".encode("utf-8", "surrogateescape")

    def write_to_stream(self, stream: Any, encryption_key: Any = None) -> None:
        """Write the stream object, its bytes read (or encoded) just now."""
        data = image_bytes(self.image)
        self[NameObject("/Length")] = NumberObject(len(data))
        DictionaryObject.write_to_stream(self, stream)
        del self["/Length"]
        stream.write(b"\nstream\n")
        stream.write(data)
        stream.write(b"\nendstream")


def _image_xobject(image: EncodedImage) -> StreamObject:
    stream: StreamObject
    if image.source is not None:
        stream = LazyImageStream(image)
    else:
        stream = StreamObject()
        stream.set_data(image.data)
    stream.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Image"),
            NameObject("/Width"): NumberObject(image.width),
            NameObject("/Height"): NumberObject(image.height),
            NameObject("/ColorSpace"): NameObject(image.colorspace),
            NameObject("/BitsPerComponent"): NumberObject(image.bits),
            NameObject("/Filter"): NameObject(image.filter),
        }
    )
    if image.decode:
        stream[NameObject("/Decode")] = ArrayObject(FloatObject(v) for v in image.decode)
    return stream


def _image_page(
    writer: PdfWriter,
    image: EncodedImage,
    landscape: bool,
    crop: tuple[int, int, int, int] | None = None,
    xobject: IndirectObject | None = None,
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
    content.set_data(f"q {clip}{matrix} cm /Scan Do Q".encode())
    ref = xobject if xobject is not None else writer._add_object(_image_xobject(image))
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/XObject"): DictionaryObject({NameObject("/Scan"): ref})}
    )
    page[NameObject("/Contents")] = writer._add_object(content)
    return page


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


def assemble(
    plan: PacketPlan, stamps: bytes, metadata: Mapping[str, str], outline_titles: Mapping[str, str]
) -> bytes:
    """Build the merged packet PDF and return its bytes (see ``assemble_into``)."""
    buffer = io.BytesIO()
    assemble_into(plan, stamps, metadata, outline_titles, buffer)
    return buffer.getvalue()


def assemble_into(
    plan: PacketPlan,
    stamps: bytes,
    metadata: Mapping[str, str],
    outline_titles: Mapping[str, str],
    out: IO[bytes],
) -> None:
    """Build the merged packet PDF into the binary file ``out``.

    ``outline_titles`` maps "letter" and each kind value to a bookmark title;
    documents get their display name as a child bookmark. Written to a real
    file, the packet's images pass through memory one at a time.
    """
    overlay = PdfReader(io.BytesIO(stamps))
    letter = PdfReader(io.BytesIO(plan.letter_pdf))
    readers = _Readers()
    writer = PdfWriter()
    xobjects: dict[EncodedImage, IndirectObject] = {}

    def add(index: int, content: PageObject | None, source: SourcePage | None) -> None:
        base = writer.add_page(overlay.pages[index])
        _own_resources(base)
        if content is not None:
            base.merge_page(content, over=False)
        elif source is not None and isinstance(source.content, PdfPageRef):
            src = readers.page(source.content)
            base.merge_transformed_page(src, _pdf_transform(src, source.landscape), over=False)

    for i in range(plan.letter_pages):
        add(i, letter.pages[i], None)
    for section in plan.sections:
        for placed in section.documents:
            for offset, source in enumerate(placed.pages):
                index = placed.first_page - 1 + offset
                if isinstance(source.content, EncodedImage):
                    image = source.content
                    if image not in xobjects:
                        xobjects[image] = writer._add_object(_image_xobject(image))
                    page = _image_page(
                        writer, image, source.landscape, source.crop, xobjects[image]
                    )
                    add(index, page, None)
                else:
                    add(index, None, source)

    writer.add_outline_item(title=outline_titles["letter"], page_number=0)
    for section in plan.sections:
        parent = writer.add_outline_item(
            title=outline_titles[section.kind.value], page_number=section.first_page - 1
        )
        for placed in section.documents:
            name = placed.document.source.rel.rsplit("/", 1)[-1]
            writer.add_outline_item(title=name, page_number=placed.first_page - 1, parent=parent)
    writer.add_metadata(dict(metadata))
    writer.page_mode = "/UseOutlines"
    writer.compress_identical_objects()
    writer.write(out)
