"""A packet too big for the portal's cap even at the quality floor becomes parts.

Split at 150 ppi: the fewest parts the floor allows, at the best quality
that needs no more parts. Page costs come from the object graph of the
packet at the floor; other rungs only change the scans' byte counts. Each
part is then assembled and measured, and the split redone with a tighter
budget while a part that could be cut further is over the cap. A document
starts at the top of a part where it can; a scan that cannot fit a part on
its own even at the floor goes down to 100 ppi.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject

from packager.image.reencode import (
    LAST_RESORT_PPI,
    QUALITIES,
    TARGET_PPI,
    ShrinkJob,
    shrink,
    shrinkable,
    target_size,
)
from packager.manifest import output_record, upload_name
from packager.messages import words
from packager.models import EncodedImage, Finding, OutputFile, PacketPlan, Severity
from packager.pool import Workers
from packager.sources import encoded_size
from packager.write.assemble import assemble, packet_writer
from packager.write.ladders import Key, Ladders
from packager.write.plan import Layout, Packet, file_id, page_units, pdf_metadata, render_stamps
from packager.write.scans import Scan, image_pages, with_images

# Bytes per PDF object besides its body (object header, xref entry) and per file
# (header, catalog, page tree, outline, info, trailer), for split estimates.
PER_OBJECT = 40
PER_FILE = 6_000

Units = list[list[int]]


@dataclass(frozen=True, slots=True)
class UploadFiles:
    """Upload PDFs made (path -> bytes), their records, findings and (path, pages) to verify."""

    files: Mapping[str, bytes]
    outputs: tuple[OutputFile, ...]
    findings: tuple[Finding, ...]
    pdfs: tuple[tuple[str, int], ...]


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
class CostModel:
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


def mb(size: float) -> str:
    """Bytes as the MB figure messages show (1 MB = 1,000,000 bytes)."""
    return f"{size / 1_000_000:.2f}"


def last_resort(
    model: CostModel,
    floor_images: Mapping[Key, EncodedImage],
    cap: int,
    max_mb: float,
    gray: bool,
    workers: Workers,
) -> tuple[dict[Key, EncodedImage], tuple[Finding, ...]]:
    """100 ppi for each scan that cannot fit a part on its own even at the floor."""
    lonely = [
        number
        for number, scan in model.scans.items()
        if shrinkable(scan.image) and model.page_bytes(number, floor_images) > cap
    ]
    if not lonely:
        return {}, ()
    jobs = []
    for number in lonely:
        scan = model.scans[number]
        size = target_size(scan.image, scan.landscape, LAST_RESORT_PPI)
        jobs.append(ShrinkJob(scan.image, size, QUALITIES, gray))
    pinned: dict[Key, EncodedImage] = {}
    findings: list[Finding] = []
    for number, ladder in zip(lonely, workers.map(shrink, jobs), strict=True):
        key = model.scans[number].key
        rungs = [image for image in ladder if image is not None]
        if not rungs:
            continue
        pinned[key] = next(
            (
                image
                for image in rungs
                if model.page_bytes(number, {**floor_images, key: image}) <= cap
            ),
            rungs[-1],
        )
        findings.append(
            Finding(
                "UPLOAD_LOW_RESOLUTION",
                Severity.WARNING,
                file=key[0],
                page=number,
                params={"cap": f"{max_mb:g}", "ppi": LAST_RESORT_PPI},
            )
        )
    return pinned, tuple(findings)


def _parts(
    packet: Packet, plan: PacketPlan, parts: Sequence[Sequence[int]]
) -> list[tuple[str, bytes]]:
    """Assemble each part; its first page says 第 k 部分 / 共 n 部分."""
    stamps = render_stamps(packet, parts)
    files: list[tuple[str, bytes]] = []
    for k, pages in enumerate(parts, start=1):
        path = upload_name(packet.file_stem, k, len(parts))
        data = assemble(
            plan,
            stamps,
            pdf_metadata(packet, words.part_label(k, len(parts))),
            packet.titles,
            Layout(slots=tuple(pages), page_labels=True),
            file_id(packet, path),
        )
        files.append((path, data))
    return files


def split(
    packet: Packet, stamps: bytes, ladders: Ladders, max_mb: float, gray: bool, workers: Workers
) -> UploadFiles:
    """The fewest parts under the cap, at the best quality that needs no more parts."""
    cap = round(max_mb * 1_000_000)
    plan = packet.plan
    floor = len(QUALITIES)
    floor_images = ladders.at(floor)
    writer = packet_writer(with_images(plan, floor_images), stamps, {}, packet.titles)
    model = CostModel(page_costs(writer), image_pages(plan), floor_images)
    pinned, pinned_findings = last_resort(model, floor_images, cap, max_mb, gray, workers)

    def images_at(level: int) -> dict[Key, EncodedImage]:
        return {**ladders.at(level), **pinned}

    units = page_units(plan)

    def parts_at(level: int, budget: int) -> list[list[int]]:
        costs = model.costs(images_at(level))
        return split_units(units, lambda pages: part_bytes(costs, pages), budget)

    budget = cap
    fewest = len(parts_at(floor, budget))
    level = next(lv for lv in range(1, floor + 1) if len(parts_at(lv, budget)) <= fewest)
    chosen = with_images(plan, images_at(level))
    for _ in range(5):
        parts = parts_at(level, budget)
        files = _parts(packet, chosen, parts)
        # A one-page part over the cap cannot be helped by cutting again.
        sizes = [len(data) for _, data in files]
        over = max(
            (size - cap for size, pages in zip(sizes, parts, strict=True) if len(pages) > 1),
            default=0,
        )
        if over <= 0:
            break
        budget -= over + 2_000
    findings: list[Finding] = []
    for (path, data), pages in zip(files, parts, strict=True):
        if len(data) > cap:
            findings.append(
                Finding(
                    "UPLOAD_OVER_CAP",
                    Severity.WARNING,
                    params={
                        "file": path,
                        "size": mb(len(data)),
                        "cap": f"{max_mb:g}",
                        "first": pages[0],
                        "last": pages[-1],
                    },
                )
            )
    code, severity = ("UPLOAD_SPLIT", Severity.WARNING)
    if len(parts) == 1:  # the estimate said it would not fit; the real file did
        code, severity = ("UPLOAD_COMPRESSED", Severity.INFO)
    summary = Finding(
        code,
        severity,
        params={
            "parts": len(parts),
            "cap": f"{max_mb:g}",
            "ppi": TARGET_PPI,
            "quality": QUALITIES[level - 1],
            "first": files[0][0],
            "file": files[0][0],
            "size": mb(len(files[0][1])),
        },
    )
    return UploadFiles(
        dict(files),
        tuple(
            output_record(path, "upload", data, len(pages))
            for (path, data), pages in zip(files, parts, strict=True)
        ),
        (summary, *pinned_findings, *findings),
        tuple((path, len(pages)) for (path, _), pages in zip(files, parts, strict=True)),
    )
