"""The packet planned: the letter rendered, every page numbered, every sheet's words.

The letter's enclosure index names page ranges, and the ranges depend on how
many pages the letter takes, so the letter is rendered until its page count
is stable (a right first guess costs one render). Then each packet page gets
its overlay sheet (label band, section, page number, part) and the packet
its PDF metadata, bookmarks and reproducible file id.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

from packager import __version__
from packager.hant import localize
from packager.messages import words
from packager.models import (
    KIND_ORDER,
    Document,
    Kind,
    PacketPlan,
    PlacedDocument,
    Section,
    Severity,
    SourcePage,
)
from packager.read.casefile import Case, default_recipient, proper_names
from packager.read.finances import lines
from packager.read.prepare import Prepared
from packager.write import render
from packager.write.letter import letter_context, section_heading
from packager.write.statement import render_statement, written_document, written_pages

# A missing mail address blocks only the mail packet: the upload pages are not a draft.
MAIL_ONLY_CODES = frozenset({"MISSING_MAIL_FIELD"})


@dataclass(frozen=True, slots=True)
class StampSheet:
    """What the overlay prints on one packet page."""

    landscape: bool
    number: int
    section: str
    part: str = ""


@dataclass(frozen=True, slots=True)
class FrontPage:
    """A page of ``Layout.front`` (mail cover sheet, address label): not numbered."""

    index: int


@dataclass(frozen=True, slots=True)
class Blank:
    """An empty A4 page, so that the next document starts on a front side (duplex)."""


Slot = int | FrontPage | Blank
"""One page of an output file: a 1-based packet page number, a front page or a blank."""


@dataclass(frozen=True, slots=True)
class Layout:
    """Which pages one output file holds, in order, and what comes before the packet.

    The default is the whole packet. Upload parts list a run of packet pages;
    the mail packet puts the cover sheet and address label (``front``, their
    bookmarks in ``front_outline``) first and may interleave blank pages.
    """

    slots: tuple[Slot, ...] | None = None
    front: bytes | None = None
    front_outline: tuple[tuple[str, int], ...] = ()
    page_labels: bool = False


@dataclass(frozen=True, slots=True)
class Packet:
    """The planned packet and the words around it, in the case's script."""

    name: str
    case: Case
    plan: PacketPlan
    sheets: tuple[StampSheet, ...]
    metadata: Mapping[str, str]
    titles: Mapping[str, str]
    recipient: str
    today: date
    script: str = "zh-Hans"

    @property
    def file_stem(self) -> str:
        """The case name in output file names: ``wang``, or ``wang-草稿`` for a draft."""
        return f"{self.name}-{words.DRAFT}" if self.plan.draft else self.name


def place(
    documents: Sequence[tuple[Document, tuple[SourcePage, ...]]],
    first_page: int,
    order: Sequence[Kind] = KIND_ORDER,
) -> tuple[Section, ...]:
    """Give every document its global page numbers, grouped by kind in ``order``."""
    sections: list[Section] = []
    page = first_page
    for kind in order:
        placed: list[PlacedDocument] = []
        for doc, pages in documents:
            if doc.kind is kind and pages:
                placed.append(PlacedDocument(doc, pages, page, page + len(pages) - 1))
                page += len(pages)
        if placed:
            sections.append(Section(kind, tuple(placed)))
    return tuple(sections)


# With a 支出明细 written from case.toml, the expenses come first after the letter:
# the reviewer meets the figures next, and the receipts they cite follow them.
WRITTEN_ORDER: tuple[Kind, ...] = (
    Kind.EXPENSES,
    *(k for k in KIND_ORDER if k is not Kind.EXPENSES),
)


def _with_written(
    prep: Prepared, data: bytes, pages: int
) -> list[tuple[Document, tuple[SourcePage, ...]]]:
    """The case's documents, led by the written 支出明细 (``pages`` of ``data``) when there is one."""
    if not pages:
        return list(prep.documents)
    written = written_document(prep.case_dir, data, prep.case.output.language)
    return [(written, written_pages(data, pages)), *prep.documents]


def plan_packet(prep: Prepared, today: date, letter_pages: int = 2) -> PacketPlan:
    """Render the letter (and the 支出明细 page) until their page counts are stable.

    The letter's index and the page's "见第 N 页" both name packet pages, which
    depend on how long both are. ``letter_pages`` is the first guess; a right
    one saves a render (a wrong one costs one). A case without [[expense]]
    lines gets exactly the packet it always had.
    """
    recipient = prep.case.account.recipient or default_recipient(prep.case)
    letter_pages = max(1, letter_pages)
    written = 1 if lines(prep.case) else 0
    order = WRITTEN_ORDER if written else KIND_ORDER
    statement: render.RenderedPdf | None = None
    for _ in range(4):
        sections = place(_with_written(prep, b"", written), letter_pages + 1, order)
        rendered = render.render_pdf(
            "letter.html",
            letter_context(prep.case, sections, today, recipient),
            prep.case.output.language,
            proper_names(prep.case),
        )
        statement = render_statement(prep.case, sections, today) if written else None
        if rendered.pages == letter_pages and (statement is None or statement.pages == written):
            break
        letter_pages = rendered.pages
        written = statement.pages if statement is not None else 0
    data, count = (statement.data, statement.pages) if statement is not None else (b"", 0)
    sections = place(_with_written(prep, data, count), rendered.pages + 1, order)
    draft = any(
        f.severity is Severity.ERROR and f.code not in MAIL_ONLY_CODES for f in prep.findings
    )
    return PacketPlan(rendered.data, rendered.pages, sections, draft=draft)


def page_units(plan: PacketPlan) -> list[list[int]]:
    """Runs of packet pages that should stay together: the letter, then each document."""
    units = [list(range(1, plan.letter_pages + 1))]
    for section in plan.sections:
        for placed in section.documents:
            units.append(list(range(placed.first_page, placed.last_page + 1)))
    return units


def stamp_sheets(plan: PacketPlan) -> tuple[StampSheet, ...]:
    """What the overlay prints on each packet page."""
    sheets = [StampSheet(False, i + 1, words.LETTER_SECTION) for i in range(plan.letter_pages)]
    for index, section in enumerate(plan.sections):
        heading = section_heading(index, section)
        for placed in section.documents:
            for source in placed.pages:
                sheets.append(StampSheet(source.landscape, len(sheets) + 1, heading))
    return tuple(sheets)


def packet_for(prep: Prepared, plan: PacketPlan, today: date) -> Packet:
    """The plan with its bookmarks, metadata, overlay sheets and addressee, in the case's script."""
    script = prep.case.output.language
    titles = {"letter": words.LETTER_OUTLINE}
    titles.update({s.kind.value: section_heading(i, s) for i, s in enumerate(plan.sections)})
    titles = {k: localize(v, script) for k, v in titles.items()}
    keep = proper_names(prep.case)
    kinds = ", ".join(str(titles[s.kind.value]).split(" ", 1)[1] for s in plan.sections)
    name = prep.case.applicant.name or ""
    metadata = {
        "/Title": f"{words.PDF_TITLE} {name}".strip(),
        "/Subject": words.LABEL,
        "/Keywords": f"{words.LABEL}, {words.PDF_KEYWORD_LETTER}{', ' + kinds if kinds else ''}",
        "/Creator": f"packager {__version__}",
        "/Producer": f"packager {__version__}",
    }
    metadata = {k: localize(v, script, keep) for k, v in metadata.items()}
    recipient = prep.case.account.recipient or default_recipient(prep.case)
    return Packet(
        prep.name, prep.case, plan, stamp_sheets(plan), metadata, titles, recipient, today, script
    )


def pdf_metadata(packet: Packet, suffix: str = "") -> dict[str, str]:
    """The document info of one output PDF, dated the build day (reproducible bytes)."""
    stamp = f"D:{packet.today:%Y%m%d}000000"
    meta = dict(packet.metadata)
    if suffix:
        meta["/Title"] = f"{meta.get('/Title', words.LABEL)}（{suffix}）"
    meta.update({"/CreationDate": stamp, "/ModDate": stamp})
    return meta


def file_id(packet: Packet, path: str) -> bytes:
    """Same input, same day, same file -> same /ID (reproducible bytes)."""
    digest = hashlib.sha256()
    digest.update(f"{packet.name}|{packet.today}|{path}".encode())
    digest.update(hashlib.sha256(packet.plan.letter_pdf).digest())
    for section in packet.plan.sections:
        for placed in section.documents:
            digest.update(placed.document.source.sha256.encode())
    return digest.digest()[:16]


def render_stamps(packet: Packet, parts: Sequence[Sequence[int]] = ()) -> bytes:
    """Every page's overlay in one WeasyPrint pass; a split packet's parts say which they are."""
    sheets = list(packet.sheets)
    for k, pages in enumerate(parts if len(parts) > 1 else (), start=1):
        sheets[pages[0] - 1] = replace(sheets[pages[0] - 1], part=words.part_label(k, len(parts)))
    context = {
        "sheets": sheets,
        "total": packet.plan.total_pages,
        "draft": packet.plan.draft,
        "draft_mark": words.DRAFT_MARK,
    }
    return render.render_pdf("stamps.html", context, packet.script).data
