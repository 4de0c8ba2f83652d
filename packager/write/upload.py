"""The upload profile: one PDF under the portal's cap (or parts), and a JPEG per page.

Size decisions are made on real bytes: a rung of the quality ladder is only
accepted after the file has been assembled and measured. The first
candidate (the originals when they may fit, else the top rung) is also what
the page images are rasterised from, in the pool, while the size is settled.
"""

from __future__ import annotations

from collections.abc import Sequence

from packager.image.reencode import QUALITIES, TARGET_PPI
from packager.manifest import image_name, output_record, upload_name
from packager.models import Finding, Severity
from packager.pool import Batch, Workers
from packager.sources import encoded_size
from packager.write.assemble import assemble
from packager.write.ladders import Ladders
from packager.write.plan import Packet, file_id, pdf_metadata
from packager.write.raster import RasterJob, rasterise
from packager.write.scans import image_pages, with_images
from packager.write.split import UploadFiles, mb, split

MB = 1_000_000  # the stricter reading of "MB": a file under 10 MB also fits 10 MiB


def first_upload(packet: Packet, stamps: bytes, ladders: Ladders, gray: bool) -> tuple[bytes, int]:
    """The first candidate and its rung: originals when they may fit, else the top rung (q85)."""
    level = 0 if not ladders.started and not gray else 1
    plan = with_images(packet.plan, ladders.at(level)) if level else packet.plan
    path = upload_name(packet.file_stem)
    data = assemble(plan, stamps, pdf_metadata(packet), packet.titles, None, file_id(packet, path))
    return data, level


def _fitting(
    packet: Packet, stamps: bytes, first: bytes, first_level: int, ladders: Ladders, max_mb: float
) -> UploadFiles | None:
    """The highest rung whose real, assembled file is under the cap, or None."""
    cap = round(max_mb * MB)
    plan = packet.plan
    path = upload_name(packet.file_stem)
    meta = pdf_metadata(packet)
    fid = file_id(packet, path)
    overhead = 0
    for level in range(first_level, len(QUALITIES) + 1):
        images = ladders.at(level)
        image_bytes = sum(
            encoded_size(scan.image) for scan in image_pages(with_images(plan, images)).values()
        )
        if level == first_level:
            data = first
        elif image_bytes + overhead > cap:
            continue
        else:
            data = assemble(with_images(plan, images), stamps, meta, packet.titles, None, fid)
        # What is not scans (fonts, letter, PDF pages) hardly changes between rungs.
        overhead = len(data) - image_bytes
        if len(data) <= cap:
            findings: tuple[Finding, ...] = ()
            if level:
                params: dict[str, str | int | float] = {
                    "file": path,
                    "size": mb(len(data)),
                    "cap": f"{max_mb:g}",
                    "ppi": TARGET_PPI,
                    "quality": QUALITIES[level - 1],
                }
                findings = (Finding("UPLOAD_COMPRESSED", Severity.INFO, params=params),)
            pages = plan.total_pages
            record = output_record(path, "upload", data, pages)
            return UploadFiles({path: data}, (record,), findings, ((path, pages),))
    return None


def upload_pdfs(
    packet: Packet,
    stamps: bytes,
    first: tuple[bytes, int],
    ladders: Ladders,
    max_mb: float,
    gray: bool,
    workers: Workers,
) -> UploadFiles:
    """One file at the highest rung that fits; else the ladders completed and tried again; else parts."""
    while True:
        fitting = _fitting(packet, stamps, *first, ladders, max_mb)
        if fitting is not None:
            return fitting
        if not ladders.complete():
            return split(packet, stamps, ladders, max_mb, gray, workers)


class PageImages:
    """images/…-p001.jpg onward: every packet page rasterised in the pool, under its cap."""

    def __init__(self, packet: Packet, image_max_mb: float, gray: bool, workers: Workers) -> None:
        self._packet = packet
        self._max_mb = image_max_mb
        self._gray = gray
        self._workers = workers
        self._jobs: tuple[RasterJob, ...] = ()
        self._batch: Batch[list[tuple[bytes, bytes]]] | None = None

    def start(self, source: bytes) -> None:
        """Start rasterising every page of ``source`` (the first upload candidate)."""
        total = self._packet.plan.total_pages
        cap = round(self._max_mb * MB)
        chunks = max(1, min(total, self._workers.jobs * 2))
        self._jobs = tuple(
            RasterJob(source, tuple(range(total))[k::chunks], cap, gray=self._gray)
            for k in range(chunks)
        )
        self._batch = self._workers.submit(rasterise, self._jobs)

    def finish(self) -> tuple[UploadFiles, tuple[bytes, ...]]:
        """The page images in packet order, and the report's thumbnails made with them."""
        if self._batch is None:
            return UploadFiles({}, (), (), ()), ()
        total = self._packet.plan.total_pages
        pages: dict[int, tuple[bytes, bytes]] = {}
        for job, made in zip(self._jobs, self._batch.results(), strict=True):
            pages.update(zip(job.pages, made, strict=True))
        cap = round(self._max_mb * MB)
        files: dict[str, bytes] = {}
        outputs = []
        findings = []
        thumbnails: list[bytes] = []
        for index in range(total):
            data, thumb = pages[index]
            thumbnails.append(thumb)
            path = image_name(self._packet.file_stem, index + 1, total)
            files[path] = data
            outputs.append(output_record(path, "upload", data, 1))
            if len(data) > cap:
                params = {"file": path, "size": mb(len(data)), "cap": f"{self._max_mb:g}"}
                findings.append(Finding("IMAGE_OVER_CAP", Severity.WARNING, params=params))
        return UploadFiles(files, tuple(outputs), tuple(findings), ()), tuple(thumbnails)

    def cancel(self) -> None:
        """Drop the queued rasterising (the pool itself stays up)."""
        if self._batch is not None:
            self._batch.cancel()


def merged(parts: Sequence[UploadFiles]) -> UploadFiles:
    """Several results as one, in order."""
    files: dict[str, bytes] = {}
    for part in parts:
        files.update(part.files)
    return UploadFiles(
        files,
        tuple(o for p in parts for o in p.outputs),
        tuple(f for p in parts for f in p.findings),
        tuple(x for p in parts for x in p.pdfs),
    )
