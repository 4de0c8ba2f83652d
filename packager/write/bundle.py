"""Output profiles: what goes into ``out/<case>/`` besides the manifest.

- **upload**: the packet as one PDF under the portal's size cap, or, when the
  quality floor still does not fit, as parts ``…-part1-of-3.pdf`` each under
  the cap; plus ``images/…-p001.jpg`` for forms that take images only.
- **mail**: ``mail/…-print.pdf`` at full resolution, with a cover sheet and a
  cut-out address label in front, optionally padded for duplex printing.

Size decisions are made on real bytes: a rung of the quality ladder is only
accepted after the file has been assembled and measured. Per-page image work
(re-encoding, rasterising) runs in a process pool (``workers``) that starts
re-encoding as soon as the documents are known, while the main process
renders the letter.
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from types import TracebackType
from typing import BinaryIO

from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject

from packager import __version__
from packager.errors import UsageError
from packager.models import (
    Document,
    EncodedImage,
    Finding,
    MediaType,
    OutputFile,
    PacketPlan,
    PlacedDocument,
    Section,
    Severity,
    SourceFile,
    SourcePage,
)
from packager.pagecache import PageCache
from packager.pool import Batch, Workers
from packager.read.casefile import Case
from packager.read.checks import PROFILES as CHECK_PROFILES
from packager.reencode import (
    LAST_RESORT_PPI,
    QUALITIES,
    TARGET_PPI,
    Encoding,
    Ladder,
    Premade,
    ShrinkJob,
    ladder_key,
    shrink,
    shrinkable,
    target_size,
)
from packager.sources import encoded_size
from packager.write import render
from packager.write.assemble import (
    Blank,
    FrontPage,
    Layout,
    Slot,
    assemble,
    assemble_into,
    packet_writer,
)
from packager.write.cover import cover_context, mail_ready
from packager.write.raster import RasterJob, rasterise

PROFILES = CHECK_PROFILES  # one list of profile names, owned by checks
MB = 1_000_000  # the stricter reading of "MB": a file under 10 MB also fits 10 MiB
LABEL = "逾期还款协商"
# Bytes per PDF object besides its body (object header, xref entry) and per file
# (header, catalog, page tree, outline, info, trailer), for split estimates.
PER_OBJECT = 40
PER_FILE = 6_000
FRONT_TITLES = ("邮寄封面", "地址标签")
# Letter, fonts and overlays before anything is rendered: deciding early whether
# photos must shrink lets the pool start while the letter renders.
FIXED_ESTIMATE = 1_000_000
# The report's thumbnails are 300 px on the long side: 40 ppi on A4 is plenty.
PREVIEW_PPI = 40
PREVIEW_QUALITY = 70

Key = tuple[str, int]  # (source rel path, page index in the document)
Units = list[list[int]]


@dataclass(frozen=True, slots=True)
class Options:
    """What the user asked for (CLI flags over case.toml [output])."""

    today: date
    profiles: tuple[str, ...] = ("upload",)
    max_mb: float = 10.0
    image_max_mb: float = 2.0
    gray: bool = False
    duplex: bool = False
    jobs: int | None = None

    def __post_init__(self) -> None:
        unknown = [p for p in self.profiles if p not in PROFILES]
        if unknown or not self.profiles:
            raise UsageError(
                f"未知的输出方式 {', '.join(unknown) or '（空）'}。可选：upload、mail"
                "（用逗号分隔，如 --profile upload,mail）。\n"
                f"Unknown profile {', '.join(unknown) or '(none)'}; choose from upload, mail."
            )
        if self.max_mb <= 0 or self.image_max_mb <= 0:
            raise UsageError("大小上限必须大于 0 / size caps must be greater than 0")

    def encodings(
        self, sources: Sequence[SourceFile], cached: bool = False
    ) -> tuple[Encoding, ...]:
        """What to re-encode each photo into while it is read (one decode per photo).

        The upload's quality ladder when the originals will not fit, each photo
        stopping at its share of the cap (``enough``) unless a page cache keeps
        ladders across builds (a share changes with every photo added); the
        report's thumbnails when no upload bundle is built to draw them from.
        """
        if "upload" not in self.profiles:
            return (Encoding(PREVIEW_PPI, (PREVIEW_QUALITY,), self.gray),)
        cap = round(self.max_mb * MB)
        fixed = FIXED_ESTIMATE + sum(s.size for s in sources if s.media is MediaType.PDF)
        images = [s for s in sources if s.media is not MediaType.PDF]
        if not images or (not self.gray and fixed + sum(s.size for s in images) <= cap):
            return ()
        enough = None if cached else max(1, (cap - fixed) // len(images))
        return (Encoding(TARGET_PPI, QUALITIES, self.gray, enough),)


@dataclass(frozen=True, slots=True)
class Packet:
    """The planned packet and the words around it, as ``api`` prepared them."""

    name: str
    case: Case
    plan: PacketPlan
    sheets: tuple[Mapping[str, object], ...]
    metadata: Mapping[str, str]
    titles: Mapping[str, str]
    recipient: str
    script: str = "zh-Hans"


@dataclass(frozen=True, slots=True)
class Built:
    """Every output file (relative path -> bytes or an open spooled file), records, findings."""

    files: Mapping[str, bytes | BinaryIO]
    outputs: tuple[OutputFile, ...]
    findings: tuple[Finding, ...]
    pdfs: tuple[tuple[str, int], ...] = field(default=())
    """(path, page count) of each PDF, to verify after writing."""
    preview: bytes | BinaryIO = b""
    """The whole packet as one PDF (packet pages only), for the report's thumbnails."""
    thumbnails: tuple[bytes, ...] = ()
    """Report thumbnails of the packet pages, made with the upload's page images (else empty)."""


def upload_name(name: str, part: int = 0, parts: int = 0) -> str:
    """逾期还款协商-<case>.pdf, or …-part2-of-3.pdf for a split bundle."""
    if parts > 1:
        return f"{LABEL}-{name}-part{part}-of-{parts}.pdf"
    return f"{LABEL}-{name}.pdf"


def image_name(name: str, page: int, total: int) -> str:
    """images/逾期还款协商-<case>-p001.jpg: zero-padded so names sort in page order."""
    width = max(3, len(str(total)))
    return f"images/{LABEL}-{name}-p{page:0{width}d}.jpg"


def mail_name(name: str) -> str:
    """mail/逾期还款协商-<case>-print.pdf."""
    return f"mail/{LABEL}-{name}-print.pdf"


def part_label(part: int, parts: int) -> str:
    """What a part's first page says."""
    return f"第 {part} 部分 / 共 {parts} 部分"


def _record(path: str, profile: str, data: bytes, pages: int) -> OutputFile:
    return OutputFile(path, profile, hashlib.sha256(data).hexdigest(), pages, len(data))


class _Hashing:
    """A write-only file that hashes what passes through it to ``out``."""

    def __init__(self, out: BinaryIO) -> None:
        self._out = out
        self._size = 0
        self.digest = hashlib.sha256()

    def write(self, data: bytes) -> int:
        self.digest.update(data)
        self._size += len(data)
        return self._out.write(data)

    def tell(self) -> int:
        return self._size

    def flush(self) -> None:
        self._out.flush()


def _mb(size: float) -> str:
    return f"{size / MB:.2f}"


# --- pages and documents --------------------------------------------------


def page_units(plan: PacketPlan) -> Units:
    """Runs of packet pages that should stay together: the letter, then each document."""
    units = [list(range(1, plan.letter_pages + 1))]
    for section in plan.sections:
        for placed in section.documents:
            units.append(list(range(placed.first_page, placed.last_page + 1)))
    return units


def mail_slots(plan: PacketPlan, front_pages: int, duplex: bool) -> tuple[Slot, ...]:
    """Cover, label, letter, documents; with duplex each starts on a front (odd) side.

    The last front page is the address label; the ones before it the cover sheet.
    """
    units: list[list[Slot]] = []
    if front_pages > 1:
        units.append([FrontPage(i) for i in range(front_pages - 1)])
    if front_pages:
        units.append([FrontPage(front_pages - 1)])
    units.extend(list(unit) for unit in page_units(plan))
    slots: list[Slot] = []
    for unit in units:
        if duplex and len(slots) % 2 == 1:
            slots.append(Blank())
        slots.extend(unit)
    return tuple(slots)


@dataclass(frozen=True, slots=True)
class Scan:
    """A packet page drawn from an image, and how to find the image again."""

    key: Key
    image: EncodedImage
    landscape: bool


def image_pages(plan: PacketPlan) -> dict[int, Scan]:
    """Packet page number -> scan, for every page drawn from an image."""
    found: dict[int, Scan] = {}
    for section in plan.sections:
        for placed in section.documents:
            for offset, page in enumerate(placed.pages):
                if isinstance(page.content, EncodedImage):
                    key = (placed.document.source.rel, offset)
                    found[placed.first_page + offset] = Scan(key, page.content, page.landscape)
    return found


def with_images(plan: PacketPlan, images: Mapping[Key, EncodedImage]) -> PacketPlan:
    """The same plan with some scans swapped for re-encoded ones."""
    sections: list[Section] = []
    for section in plan.sections:
        placed_docs: list[PlacedDocument] = []
        for placed in section.documents:
            rel = placed.document.source.rel
            pages = tuple(
                replace(page, content=images[(rel, i)]) if (rel, i) in images else page
                for i, page in enumerate(placed.pages)
            )
            placed_docs.append(replace(placed, pages=pages))
        sections.append(replace(section, documents=tuple(placed_docs)))
    return replace(plan, sections=tuple(sections))


# --- what each page costs, for splitting ----------------------------------


class _Counter:
    """A write-only stream that only counts, to size objects without copying them."""

    def __init__(self) -> None:
        self.size = 0

    def write(self, data: bytes) -> int:
        self.size += len(data)
        return len(data)


def _object_size(obj: object) -> int:
    counter = _Counter()
    obj.write_to_stream(counter)  # type: ignore[attr-defined]
    return counter.size + PER_OBJECT


@dataclass(frozen=True, slots=True)
class PageCost:
    """The indirect objects one output page needs (id -> bytes) and its scan's id."""

    objects: Mapping[int, int]
    scan: int | None


def page_costs(writer: PdfWriter) -> list[PageCost]:
    """Walk each page's object graph (not its /Parent).

    Shared objects (fonts) appear under every page that uses them and are
    counted once per file by ``part_bytes``.
    """
    sizes: dict[int, int] = {}
    images: set[int] = set()
    costs: list[PageCost] = []
    for page in writer.pages:
        seen: dict[int, int] = {}
        stack: list[object] = [page.indirect_reference]
        while stack:
            item = stack.pop()
            if isinstance(item, IndirectObject):
                if item.idnum in seen:
                    continue
                target = item.get_object()
                if item.idnum not in sizes:
                    sizes[item.idnum] = _object_size(target)
                    if isinstance(target, StreamObject) and target.get("/Subtype") == "/Image":
                        images.add(item.idnum)
                seen[item.idnum] = sizes[item.idnum]
                stack.append(target)
            elif isinstance(item, DictionaryObject):
                stack.extend(v for k, v in item.items() if k != "/Parent")
            elif isinstance(item, ArrayObject):
                stack.extend(item)
        scans = [i for i in seen if i in images]
        costs.append(PageCost(seen, scans[0] if len(scans) == 1 else None))
    return costs


def part_bytes(costs: Sequence[Mapping[int, int]], pages: Iterable[int]) -> int:
    """Estimated size of a file holding ``pages`` (1-based): shared objects once."""
    union: dict[int, int] = {}
    for page in pages:
        union.update(costs[page - 1])
    return PER_FILE + sum(union.values())


def split_units(units: Units, size: Callable[[list[int]], int], cap: int) -> list[list[int]]:
    """Greedy contiguous parts under ``cap``; a unit is cut only when it alone is too big.

    Greedy filling is optimal for a fixed order (no later unit can make an earlier
    cut unnecessary). A unit that must be cut starts a fresh part, so each
    document starts at the top of a part where possible.
    """
    parts: list[list[int]] = []
    current: list[int] = []
    for unit in units:
        if current and size(current + unit) <= cap:
            current += unit
            continue
        if size(unit) <= cap:
            if current:
                parts.append(current)
            current = list(unit)
            continue
        if current:
            parts.append(current)
            current = []
        for page in unit:
            if current and size([*current, page]) > cap:
                parts.append(current)
                current = []
            current.append(page)
    if current:
        parts.append(current)
    return parts


@dataclass(frozen=True, slots=True)
class _CostModel:
    """Page costs measured once at the floor; other rungs only change scan sizes."""

    base: Sequence[PageCost]
    scans: Mapping[int, Scan]
    floor: Mapping[Key, EncodedImage]

    def _page(self, number: int, images: Mapping[Key, EncodedImage]) -> dict[int, int]:
        cost = self.base[number - 1]
        objects = dict(cost.objects)
        scan = self.scans.get(number)
        if scan is not None and cost.scan is not None:
            then = self.floor.get(scan.key, scan.image)
            now = images.get(scan.key, scan.image)
            objects[cost.scan] += encoded_size(now) - encoded_size(then)
        return objects

    def costs(self, images: Mapping[Key, EncodedImage]) -> list[dict[int, int]]:
        """Per packet page (index = page - 1): object id -> bytes with these scans."""
        return [self._page(n, images) for n in range(1, len(self.base) + 1)]

    def page_bytes(self, number: int, images: Mapping[Key, EncodedImage]) -> int:
        """A file holding page ``number`` alone."""
        return PER_FILE + sum(self._page(number, images).values())


# --- the bundler ------------------------------------------------------------


@dataclass(slots=True)
class _Upload:
    files: dict[str, bytes] = field(default_factory=dict)
    outputs: list[OutputFile] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    pdfs: list[tuple[str, int]] = field(default_factory=list)
    thumbnails: list[bytes] = field(default_factory=list)


class Bundler:
    """Builds every requested profile; start it as soon as the documents are known.

    Entering starts re-encoding in the pool when the upload bundle will
    clearly need it, so the letter renders meanwhile; ``build`` does the rest.
    """

    def __init__(
        self,
        documents: Sequence[tuple[Document, tuple[SourcePage, ...]]],
        options: Options,
        spool: Callable[[], BinaryIO] | None = None,
        cache: PageCache | None = None,
        workers: Workers | None = None,
        premade: Premade | None = None,
    ) -> None:
        self.options = options
        # The watcher's cache: re-encoded photos are kept, so a rebuild
        # re-encodes only the photos that are new.
        self._cache = cache
        # Ladders made while the photos were read (``reading``): no second decode.
        self._premade = premade if premade is not None else Premade()
        self._cached: dict[Key, Ladder] = {}
        self._short: list[tuple[Key, ShrinkJob]] = []
        self._jobs: list[ShrinkJob] = []
        self._spool_factory = spool or (lambda: tempfile.TemporaryFile())  # noqa: SIM115
        self._spools: list[BinaryIO] = []
        # The caller's pool (shared with reading, perhaps reused across builds,
        # so not ours to close) or our own.
        self._own_workers = workers is None
        self.workers = workers if workers is not None else Workers(options.jobs)
        self._documents = documents
        self._keys: list[Key] = []
        self._batch: Batch[Ladder] | None = None
        self._ladders: dict[Key, Ladder] | None = None
        self._raster: Batch[list[tuple[bytes, bytes]]] = Batch(None, [])

    def __enter__(self) -> Bundler:
        if "upload" in self.options.profiles and self._will_shrink():
            self._start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._own_workers:
            self.workers.close(cancel=exc is not None)
        elif exc is not None:  # the shared pool stays up; only this build's queued jobs go
            if self._batch is not None:
                self._batch.cancel()
            self._raster.cancel()
        for spooled in self._spools:
            spooled.close()

    def _spool(self) -> BinaryIO:
        """An anonymous scratch file, closed (and so gone) when the bundler exits."""
        spooled = self._spool_factory()
        self._spools.append(spooled)
        return spooled

    @property
    def cap(self) -> int:
        """The upload cap in bytes."""
        return round(self.options.max_mb * MB)

    def _will_shrink(self) -> bool:
        """True unless the originals plus the letter's fonts clearly fit under the cap."""
        if self.options.gray:
            return True
        total = FIXED_ESTIMATE
        for doc, pages in self._documents:
            images = [p.content for p in pages if isinstance(p.content, EncodedImage)]
            total += sum(encoded_size(i) for i in images) if images else doc.source.size
        return total > self.cap

    def _start(self) -> Batch[Ladder]:
        jobs: list[ShrinkJob] = []
        for doc, pages in self._documents:
            for offset, page in enumerate(pages):
                image = page.content
                if isinstance(image, EncodedImage) and shrinkable(image):
                    key = (doc.source.rel, offset)
                    size = target_size(image, page.landscape, TARGET_PPI)
                    job = ShrinkJob(image, size, QUALITIES, self.options.gray)
                    cached = self._premade.get(job)
                    if cached is not None and ladder_key(job) in self._premade.short:
                        self._short.append((key, job))
                    if cached is None and self._cache is not None:
                        cached = self._cache.ladder(job)
                    if cached is not None:
                        self._cached[key] = cached
                        continue
                    self._keys.append(key)
                    self._jobs.append(job)
                    jobs.append(job)
        self._batch = self.workers.submit(shrink, jobs)
        return self._batch

    def _all_ladders(self) -> dict[Key, Ladder]:
        if self._ladders is None:
            batch = self._batch if self._batch is not None else self._start()
            fresh = batch.results()
            if self._cache is not None:
                for job, ladder in zip(self._jobs, fresh, strict=True):
                    self._cache.store_ladder(job, ladder)
            self._ladders = {**self._cached, **dict(zip(self._keys, fresh, strict=True))}
        return self._ladders

    def _complete_ladders(self) -> bool:
        """Re-encode down to the floor the photos whose ladder stopped at their share.

        Needed only when the packet does not fit even at the floor, before
        splitting it; returns False when there was nothing to complete.
        """
        if not self._short:
            return False
        ladders = self._all_ladders()
        jobs = [job for _, job in self._short]
        for (key, _), ladder in zip(self._short, self.workers.map(shrink, jobs), strict=True):
            ladders[key] = ladder
        self._short = []
        return True

    # --- shared helpers ---

    def _metadata(self, packet: Packet, suffix: str = "") -> dict[str, str]:
        stamp = f"D:{self.options.today:%Y%m%d}000000"
        meta = dict(packet.metadata)
        if suffix:
            meta["/Title"] = f"{meta.get('/Title', LABEL)}（{suffix}）"
        meta.update({"/CreationDate": stamp, "/ModDate": stamp})
        return meta

    def _file_id(self, packet: Packet, path: str) -> bytes:
        """Same input, same day, same file -> same /ID (reproducible bytes)."""
        digest = hashlib.sha256()
        digest.update(f"{packet.name}|{self.options.today}|{path}".encode())
        digest.update(hashlib.sha256(packet.plan.letter_pdf).digest())
        for section in packet.plan.sections:
            for placed in section.documents:
                digest.update(placed.document.source.sha256.encode())
        return digest.digest()[:16]

    def _stamps(self, packet: Packet, parts: Sequence[Sequence[int]] = ()) -> bytes:
        sheets = [dict(s) for s in packet.sheets]
        for k, pages in enumerate(parts if len(parts) > 1 else (), start=1):
            sheets[pages[0] - 1]["part"] = part_label(k, len(parts))
        context = {"sheets": sheets, "total": packet.plan.total_pages, "draft": packet.plan.draft}
        return render.render_pdf("stamps.html", context, packet.script).data

    def _level_images(self, level: int) -> dict[Key, EncodedImage]:
        """Re-encoded images at ladder rung ``level`` (1-based); originals are left out."""
        chosen: dict[Key, EncodedImage] = {}
        for key, ladder in self._all_ladders().items():
            image = ladder[level - 1]
            if image is not None:
                chosen[key] = image
        return chosen

    # --- profiles ---

    def build(self, packet: Packet) -> Built:
        """Build every requested profile; upload files come first in ``outputs``.

        Order is chosen for overlap: the mail packet is assembled while the pool
        re-encodes; page images are rasterised while the upload size is settled.
        """
        stamps = self._stamps(packet)
        findings: list[Finding] = []
        mail: tuple[BinaryIO, OutputFile] | None = None
        # A missing address is already an error finding of ``checks``
        # (MISSING_MAIL_FIELD); here it only means the mail packet is not built.
        if "mail" in self.options.profiles and mail_ready(packet.case):
            mail = self._mail(packet, stamps)
        upload = _Upload()
        preview: bytes
        if "upload" in self.options.profiles:
            first, level = self._first_upload(packet, stamps)
            pending = self._start_images(packet, first)
            upload = self._upload(packet, stamps, first, level)
            self._finish_images(packet, pending, upload)
            findings.extend(upload.findings)
            preview = first
        else:
            preview = self._preview(packet, stamps)
        files: dict[str, bytes | BinaryIO] = dict(upload.files)
        outputs = list(upload.outputs)
        pdfs = list(upload.pdfs)
        if mail is not None:
            spooled, record = mail
            files[record.path] = spooled
            outputs.append(record)
            pdfs.append((record.path, record.pages))
        return Built(
            files, tuple(outputs), tuple(findings), tuple(pdfs), preview, tuple(upload.thumbnails)
        )

    def _preview(self, packet: Packet, stamps: bytes) -> bytes:
        """The packet with thumbnail-sized scans, for the report when no upload is built.

        Rasterising thumbnails from full-resolution pages would decode every
        12 MP photo again; at 40 ppi each scan decodes at 1/8 scale.
        """
        jobs: list[ShrinkJob] = []
        keys: list[Key] = []
        small: dict[Key, EncodedImage] = {}
        for scan in image_pages(packet.plan).values():
            if shrinkable(scan.image):
                size = target_size(scan.image, scan.landscape, PREVIEW_PPI)
                job = ShrinkJob(scan.image, size, (PREVIEW_QUALITY,), self.options.gray)
                made = self._premade.get(job)
                if made is None:
                    keys.append(scan.key)
                    jobs.append(job)
                elif made[0] is not None:
                    small[scan.key] = made[0]
        for key, ladder in zip(keys, self.workers.map(shrink, jobs), strict=True):
            if ladder[0] is not None:
                small[key] = ladder[0]
        return assemble(with_images(packet.plan, small), stamps, {}, packet.titles, dedupe=False)

    def _mail(self, packet: Packet, stamps: bytes) -> tuple[BinaryIO, OutputFile]:
        """Full resolution (scans byte for byte), cover sheet and label in front.

        The file is hashed as it is written, so its hundreds of MB are not read back.
        """
        cover = render.render_pdf(
            "cover.html",
            cover_context(
                packet.case,
                packet.plan,
                self.options.today,
                packet.recipient,
                f"packager {__version__}",
            ),
            packet.script,
        )
        slots = mail_slots(packet.plan, cover.pages, self.options.duplex)
        layout = Layout(
            slots=slots,
            front=cover.data,
            front_outline=((FRONT_TITLES[0], 0), (FRONT_TITLES[1], cover.pages - 1)),
        )
        path = mail_name(packet.name)
        spooled = self._spool()
        sink = _Hashing(spooled)
        assemble_into(
            packet.plan,
            stamps,
            self._metadata(packet, "邮寄打印版"),
            packet.titles,
            sink,  # type: ignore[arg-type]
            layout,
            self._file_id(packet, path),
            dedupe=False,
        )
        spooled.seek(0)
        return spooled, OutputFile(path, "mail", sink.digest.hexdigest(), len(slots), sink.tell())

    def _first_upload(self, packet: Packet, stamps: bytes) -> tuple[bytes, int]:
        """The first candidate: originals when they may fit, else the top rung (q85).

        It is also what the page images are rasterised from.
        """
        level = 0 if self._batch is None and not self.options.gray else 1
        plan = with_images(packet.plan, self._level_images(level)) if level else packet.plan
        path = upload_name(packet.name)
        data = assemble(
            plan, stamps, self._metadata(packet), packet.titles, None, self._file_id(packet, path)
        )
        return data, level

    def _upload(self, packet: Packet, stamps: bytes, first: bytes, first_level: int) -> _Upload:
        """The highest rung whose real, assembled file is under the cap; else parts."""
        plan = packet.plan
        path = upload_name(packet.name)
        meta = self._metadata(packet)
        file_id = self._file_id(packet, path)
        overhead = 0
        for level in range(first_level, len(QUALITIES) + 1):
            images = self._level_images(level) if level else {}
            image_bytes = sum(
                encoded_size(scan.image) for scan in image_pages(with_images(plan, images)).values()
            )
            if level == first_level:
                data = first
            elif image_bytes + overhead > self.cap:
                continue
            else:
                data = assemble(
                    with_images(plan, images), stamps, meta, packet.titles, None, file_id
                )
            # What is not scans (fonts, letter, PDF pages) hardly changes between rungs.
            overhead = len(data) - image_bytes
            if len(data) <= self.cap:
                result = self._single(path, data, plan.total_pages)
                if level:
                    result.findings.append(
                        Finding(
                            "UPLOAD_COMPRESSED",
                            Severity.INFO,
                            params={
                                "file": path,
                                "size": _mb(len(data)),
                                "cap": f"{self.options.max_mb:g}",
                                "ppi": TARGET_PPI,
                                "quality": QUALITIES[level - 1],
                            },
                        )
                    )
                return result
        if self._complete_ladders():
            return self._upload(packet, stamps, first, first_level)
        return self._split(packet, stamps)

    def _single(self, path: str, data: bytes, pages: int) -> _Upload:
        result = _Upload()
        result.files[path] = data
        result.outputs.append(_record(path, "upload", data, pages))
        result.pdfs.append((path, pages))
        return result

    def _split(self, packet: Packet, stamps: bytes) -> _Upload:
        """Split at 150 ppi: the fewest parts the floor allows, at the best quality.

        The best quality is the highest rung that needs no more parts. Page
        costs come from the object graph of the packet at the floor; other rungs
        only change the scans' byte counts. Each part is then assembled and
        measured, and the split redone with a tighter budget while a part that
        could be cut further is over the cap.
        """
        plan = packet.plan
        floor = len(QUALITIES)
        floor_images = self._level_images(floor)
        writer = packet_writer(with_images(plan, floor_images), stamps, {}, packet.titles)
        model = _CostModel(page_costs(writer), image_pages(plan), floor_images)
        findings: list[Finding] = []
        pinned = self._last_resort(model, floor_images, findings)

        def images_at(level: int) -> dict[Key, EncodedImage]:
            return {**self._level_images(level), **pinned}

        units = page_units(plan)

        def parts_at(level: int, budget: int) -> list[list[int]]:
            costs = model.costs(images_at(level))
            return split_units(units, lambda pages: part_bytes(costs, pages), budget)

        budget = self.cap
        fewest = len(parts_at(floor, budget))
        level = next(lv for lv in range(1, floor + 1) if len(parts_at(lv, budget)) <= fewest)
        chosen = with_images(plan, images_at(level))
        for _ in range(5):
            parts = parts_at(level, budget)
            files = self._parts(packet, chosen, parts)
            # A one-page part over the cap cannot be helped by cutting again.
            sizes = [len(data) for _, data in files]
            over = max(
                (
                    size - self.cap
                    for size, pages in zip(sizes, parts, strict=True)
                    if len(pages) > 1
                ),
                default=0,
            )
            if over <= 0:
                break
            budget -= over + 2_000
        result = _Upload()
        for (path, data), pages in zip(files, parts, strict=True):
            result.files[path] = data
            result.outputs.append(_record(path, "upload", data, len(pages)))
            result.pdfs.append((path, len(pages)))
            if len(data) > self.cap:
                findings.append(
                    Finding(
                        "UPLOAD_OVER_CAP",
                        Severity.WARNING,
                        params={
                            "file": path,
                            "size": _mb(len(data)),
                            "cap": f"{self.options.max_mb:g}",
                            "first": pages[0],
                            "last": pages[-1],
                        },
                    )
                )
        code, severity = ("UPLOAD_SPLIT", Severity.WARNING)
        if len(parts) == 1:  # the estimate said it would not fit; the real file did
            code, severity = ("UPLOAD_COMPRESSED", Severity.INFO)
        split = Finding(
            code,
            severity,
            params={
                "parts": len(parts),
                "cap": f"{self.options.max_mb:g}",
                "ppi": TARGET_PPI,
                "quality": QUALITIES[level - 1],
                "first": files[0][0],
                "file": files[0][0],
                "size": _mb(len(files[0][1])),
            },
        )
        result.findings = [split, *findings]
        return result

    def _parts(
        self, packet: Packet, plan: PacketPlan, parts: Sequence[Sequence[int]]
    ) -> list[tuple[str, bytes]]:
        """Assemble each part; its first page says 第 k 部分 / 共 n 部分."""
        stamps = self._stamps(packet, parts)
        files: list[tuple[str, bytes]] = []
        for k, pages in enumerate(parts, start=1):
            path = upload_name(packet.name, k, len(parts))
            data = assemble(
                plan,
                stamps,
                self._metadata(packet, part_label(k, len(parts))),
                packet.titles,
                Layout(slots=tuple(pages), page_labels=True),
                self._file_id(packet, path),
            )
            files.append((path, data))
        return files

    def _last_resort(
        self,
        model: _CostModel,
        floor_images: Mapping[Key, EncodedImage],
        findings: list[Finding],
    ) -> dict[Key, EncodedImage]:
        """100 ppi for each scan that cannot fit a part on its own even at the floor."""
        lonely = [
            number
            for number, scan in model.scans.items()
            if shrinkable(scan.image) and model.page_bytes(number, floor_images) > self.cap
        ]
        if not lonely:
            return {}
        jobs = []
        for number in lonely:
            scan = model.scans[number]
            size = target_size(scan.image, scan.landscape, LAST_RESORT_PPI)
            jobs.append(ShrinkJob(scan.image, size, QUALITIES, self.options.gray))
        pinned: dict[Key, EncodedImage] = {}
        for number, ladder in zip(lonely, self.workers.map(shrink, jobs), strict=True):
            key = model.scans[number].key
            rungs = [image for image in ladder if image is not None]
            if not rungs:
                continue
            pinned[key] = next(
                (
                    image
                    for image in rungs
                    if model.page_bytes(number, {**floor_images, key: image}) <= self.cap
                ),
                rungs[-1],
            )
            findings.append(
                Finding(
                    "UPLOAD_LOW_RESOLUTION",
                    Severity.WARNING,
                    file=key[0],
                    page=number,
                    params={"cap": f"{self.options.max_mb:g}", "ppi": LAST_RESORT_PPI},
                )
            )
        return pinned

    def _start_images(self, packet: Packet, source: bytes) -> tuple[RasterJob, ...]:
        """Start rasterising every page of ``source`` (the first upload candidate)."""
        total = packet.plan.total_pages
        cap = round(self.options.image_max_mb * MB)
        chunks = max(1, min(total, self.workers.jobs * 2))
        jobs = tuple(
            RasterJob(source, tuple(range(total))[k::chunks], cap, gray=self.options.gray)
            for k in range(chunks)
        )
        self._raster = self.workers.submit(rasterise, jobs)
        return jobs

    def _finish_images(self, packet: Packet, jobs: Sequence[RasterJob], upload: _Upload) -> None:
        """images/…-p001.jpg onward, in packet order."""
        total = packet.plan.total_pages
        pages: dict[int, tuple[bytes, bytes]] = {}
        for job, made in zip(jobs, self._raster.results(), strict=True):
            pages.update(zip(job.pages, made, strict=True))
        cap = round(self.options.image_max_mb * MB)
        for index in range(total):
            data, thumb = pages[index]
            upload.thumbnails.append(thumb)
            path = image_name(packet.name, index + 1, total)
            upload.files[path] = data
            upload.outputs.append(_record(path, "upload", data, 1))
            if len(data) > cap:
                upload.findings.append(
                    Finding(
                        "IMAGE_OVER_CAP",
                        Severity.WARNING,
                        params={
                            "file": path,
                            "size": _mb(len(data)),
                            "cap": f"{self.options.image_max_mb:g}",
                        },
                    )
                )
