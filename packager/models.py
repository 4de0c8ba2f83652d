"""Typed values passed between stages.

Every stage takes these and returns these; none of them holds settings or
prints. Findings carry a stable code and parameters, and are worded only at
the edges (``messages``), so the same run can be shown in Chinese or English.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from pathlib import Path


class Kind(StrEnum):
    """Kinds of supporting documents, in packet order."""

    INCOME = "income"
    EXPENSES = "expenses"
    MEDICAL = "medical"
    CIRCUMSTANCES = "circumstances"
    COMMUNICATION = "communication"


KIND_ORDER: tuple[Kind, ...] = tuple(Kind)


class Severity(StrEnum):
    """How much a finding matters: errors make the packet a draft."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class Status(StrEnum):
    """What became of one source file (manifest ``status``)."""

    OK = "ok"
    SKIPPED = "skipped"
    FAILED = "failed"


class MediaType(StrEnum):
    """File types recognised by their content, never by extension."""

    JPEG = "image/jpeg"
    PNG = "image/png"
    TIFF = "image/tiff"
    GIF = "image/gif"
    BMP = "image/bmp"
    WEBP = "image/webp"
    HEIF = "image/heif"
    PDF = "application/pdf"
    UNKNOWN = "application/octet-stream"


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing the user should know, keyed by a stable code.

    ``file`` is the path relative to the case folder (already masked for
    display); ``params`` fill the message template in ``messages``.
    """

    code: str
    severity: Severity
    file: str | None = None
    page: int | None = None
    params: Mapping[str, str | int | float] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class SourceFile:
    """A regular file found in the case folder, identified by content."""

    path: Path
    rel: str
    sha256: str
    size: int
    media: MediaType


@dataclass(frozen=True, slots=True)
class SkippedFile:
    """A file intake or a later stage did not use, and why (a finding says)."""

    rel: str
    sha256: str | None
    status: Status
    kind: Kind | None = None
    # The file itself and what its bytes are, when it was opened and recognised: the report
    # shows a small thumbnail so the person can tell which IMG_… it is (None: a folder, a
    # file that could not be read or recognised).
    path: Path | None = None
    media: MediaType | None = None


WRITTEN = "written"
"""``Document.rule`` of a page the packager writes from case.toml (the 支出明细 table)."""


@dataclass(frozen=True, slots=True)
class Document:
    """A source file with its kind and the rule that decided it."""

    source: SourceFile
    kind: Kind
    rule: str

    @property
    def written(self) -> bool:
        """True for a page written from case.toml: in the packet, not a file of the case."""
        return self.rule == WRITTEN


@dataclass(frozen=True, slots=True)
class EncodedImage:
    """Image bytes ready to become a PDF image XObject.

    JPEGs keep their original bytes (``DCTDecode``); the EXIF orientation is
    applied by the placement matrix, never to the pixels.
    """

    data: bytes
    filter: str
    width: int
    height: int
    colorspace: str
    bits: int = 8
    decode: tuple[float, ...] | None = None
    orientation: int = 1
    # Lazy images keep no bytes in ``data``: they name the source file and are
    # read (``frame`` None: the file's own bytes, checked against ``sha256``)
    # or decoded again (``frame`` N) only while the packet is being written, so
    # a case of many photos never holds all of them in memory.
    source: Path | None = None
    frame: int | None = None
    sha256: str | None = None
    # Pixels per inch the scanner recorded; None for phone values (72/96) or none.
    dpi: float | None = None
    # A photo cleaned into a scan (``read.clean``): the sheet's corners in the
    # original photo's upright pixels (x, y of top-left, top-right,
    # bottom-right, bottom-left); ``source`` is then the cleaned JPEG's file.
    quad: tuple[float, ...] | None = None
    # With ``quad``: only cut out and levelled (its edges were not trusted to flatten it).
    cropped: bool = False

    @property
    def upright_size(self) -> tuple[int, int]:
        """Width and height as the reader sees the image."""
        if self.orientation in (5, 6, 7, 8):
            return self.height, self.width
        return self.width, self.height


@dataclass(frozen=True, slots=True)
class PdfPageRef:
    """One page of a source PDF; drawn as vectors, never rasterised."""

    path: Path
    index: int
    width: float
    height: float
    password: str | None = None
    # The file's sha256 at intake; assembly refuses a file changed since.
    sha256: str | None = None


@dataclass(frozen=True, slots=True)
class WrittenPage:
    """A page of a PDF the packager rendered itself: drawn as is, like the letter's pages."""

    data: bytes
    index: int


@dataclass(frozen=True, slots=True)
class Line:
    """One recognised line: NFKC text, its box (x0, y0, x1, y1) in page pixels, confidence."""

    text: str
    box: tuple[float, float, float, float]
    score: float

    @property
    def height(self) -> float:
        """Box height: large print (a title) weighs more when sorting by content."""
        return self.box[3] - self.box[1]


@dataclass(frozen=True, slots=True)
class PageText:
    """The lines of one page, in the upright page's pixels (``size``).

    ``turn`` is the clockwise rotation the content asked for (0 when the EXIF
    tag decided or the page is upright); ``sure`` False when the evidence was
    too weak to turn it; ``source`` "ocr" or "pdf".
    """

    lines: tuple[Line, ...]
    size: tuple[int, int]
    turn: int = 0
    sure: bool = True
    source: str = "ocr"

    @property
    def text(self) -> str:
        """All lines, one per line."""
        return "\n".join(line.text for line in self.lines)


@dataclass(frozen=True, slots=True)
class SourcePage:
    """One page of a source document before it is placed on A4."""

    content: EncodedImage | PdfPageRef | WrittenPage
    landscape: bool
    # Part of an image shown on this page, in upright pixels (left, top, right,
    # bottom); a tall screenshot becomes several pages sharing one image.
    crop: tuple[int, int, int, int] | None = None
    # What the page says, when it was read (OCR): the packet's invisible text layer.
    text: PageText | None = None


@dataclass(frozen=True, slots=True)
class PlacedDocument:
    """A document whose pages have global page numbers in the packet."""

    document: Document
    pages: tuple[SourcePage, ...]
    first_page: int
    last_page: int


@dataclass(frozen=True, slots=True)
class Section:
    """All documents of one kind, contiguous in the packet."""

    kind: Kind
    documents: tuple[PlacedDocument, ...]

    @property
    def first_page(self) -> int:
        """First global page number of the section."""
        return self.documents[0].first_page

    @property
    def last_page(self) -> int:
        """Last global page number of the section."""
        return self.documents[-1].last_page

    @property
    def page_count(self) -> int:
        """Number of packet pages the section takes."""
        return self.last_page - self.first_page + 1


@dataclass(frozen=True, slots=True)
class PacketPlan:
    """Everything assembly needs: the letter and the sections in order."""

    letter_pdf: bytes
    letter_pages: int
    sections: tuple[Section, ...]
    draft: bool

    @property
    def total_pages(self) -> int:
        """Pages in the merged packet."""
        return self.letter_pages + sum(s.page_count for s in self.sections)


@dataclass(frozen=True, slots=True)
class OutputFile:
    """One published file (manifest ``outputs``)."""

    path: str
    profile: str
    sha256: str
    pages: int
    bytes: int


@dataclass(frozen=True, slots=True)
class DateSource:
    """Where working days came from, so the report can say so.

    ``kind`` is ``file`` (detail: its path as shown), ``calendar`` (detail:
    chinese_calendar and its version) or ``weekdays`` (Monday–Friday, an estimate).
    """

    kind: str
    detail: str


@dataclass(frozen=True, slots=True)
class ReviewWindow:
    """When to expect an answer: the 7th to 15th working day after the build.

    The 7–15 figure is folklore (domain.md §1). A date is ``estimated`` when
    the working-day calendar does not cover its year yet and Monday–Friday
    was counted instead.
    """

    start: date
    earliest: date
    latest: date
    earliest_estimated: bool
    latest_estimated: bool
    low: int = 7
    high: int = 15
    sources: tuple[DateSource, ...] = ()

    @property
    def estimated(self) -> bool:
        """True when either date is an estimate."""
        return self.earliest_estimated or self.latest_estimated


@dataclass(frozen=True, slots=True)
class Measure:
    """One eligibility guide figure computed from the case; guidance, never a block.

    ``code`` words it (catalog), ``params`` hold the formatted numbers,
    ``source`` says where the threshold comes from (e.g. ``folklore``).
    """

    code: str
    value: float
    limit: float
    within: bool
    source: str
    params: Mapping[str, str | int | float] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class SourceRecord:
    """What became of one source file (manifest ``sources``)."""

    path: str
    sha256: str | None
    kind: Kind | None
    pages: int
    first_page: int | None
    last_page: int | None
    status: Status
    # The sheet's corners in each page photo made into a scan (``EncodedImage.quad``).
    quads: tuple[tuple[float, ...], ...] = ()
    # What the clean-up did to its pages: "flattened", "cropped" (some only cut out), "".
    cleaned: str = ""


@dataclass(frozen=True, slots=True)
class Outcome:
    """The result of one build or check, as the CLI and watcher see it."""

    case: str
    complete: bool
    findings: tuple[Finding, ...]
    manifest: Mapping[str, object]
    out_dir: Path | None = None
    outputs: tuple[OutputFile, ...] = ()
    build_date: date | None = None
    review: ReviewWindow | None = None
    guidance: tuple[Measure, ...] = ()
    letter_pages: int | None = None  # pages of the cover letter; None when nothing was built
    sources: tuple[SourceRecord, ...] = ()
