"""The bundle: every requested output profile built from one planned packet.

- **upload** (``upload``): the packet as one PDF under the portal's size cap,
  or parts each under it (``split``); plus ``images/…-p001.jpg`` for forms
  that take images only.
- **mail** (``mail``): ``mail/…-print.pdf`` at full resolution, cover sheet
  and cut-out address label in front, optionally padded for duplex.

Work is ordered for overlap: the mail packet is assembled while the pool
re-encodes; page images are rasterised while the upload size is settled.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import BinaryIO

from packager.errors import UsageError
from packager.image.reencode import (
    QUALITIES,
    TARGET_PPI,
    Encoding,
    Premade,
    ShrinkJob,
    shrink,
    shrinkable,
    target_size,
)
from packager.messages import both
from packager.models import EncodedImage, Finding, MediaType, OutputFile, SourceFile
from packager.pool import Workers
from packager.read.casefile import Case
from packager.read.checks import PROFILES
from packager.settings import Settings
from packager.write.assemble import assemble
from packager.write.cover import mail_ready
from packager.write.ladders import FIXED_ESTIMATE, Key, Ladders
from packager.write.mail import mail_packet
from packager.write.plan import Packet, render_stamps
from packager.write.scans import image_pages, with_images
from packager.write.upload import MB, PageImages, first_upload, merged, upload_pdfs

# The report's thumbnails are 300 px on the long side: 40 ppi on A4 is plenty.
PREVIEW_PPI = 40
PREVIEW_QUALITY = 70


@dataclass(frozen=True, slots=True)
class Options:
    """What the user asked for (CLI flags over case.toml [output])."""

    profiles: tuple[str, ...] = ("upload",)
    max_mb: float = 10.0
    image_max_mb: float = 2.0
    gray: bool = False
    duplex: bool = False

    def __post_init__(self) -> None:
        unknown = [p for p in self.profiles if p not in PROFILES]
        if unknown or not self.profiles:
            problem = "UNKNOWN_PROFILE" if unknown else "NO_PROFILE"
            raise UsageError(both(problem, unknown=", ".join(unknown)))
        if self.max_mb <= 0 or self.image_max_mb <= 0:
            raise UsageError(both("CAP_NOT_POSITIVE"))

    @classmethod
    def of(cls, case: Case, settings: Settings) -> Options:
        """CLI flags over case.toml's [output]."""
        return cls(
            profiles=settings.profiles,
            max_mb=settings.max_mb or case.output.upload_max_mb,
            image_max_mb=case.output.image_max_mb,
            gray=settings.gray,
            duplex=settings.duplex,
        )

    @property
    def cap(self) -> int:
        """The upload cap in bytes."""
        return round(self.max_mb * MB)

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
        fixed = FIXED_ESTIMATE + sum(s.size for s in sources if s.media is MediaType.PDF)
        images = [s for s in sources if s.media is not MediaType.PDF]
        if not images or (not self.gray and fixed + sum(s.size for s in images) <= self.cap):
            return ()
        enough = None if cached else max(1, (self.cap - fixed) // len(images))
        return (Encoding(TARGET_PPI, QUALITIES, self.gray, enough),)


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


def preview(packet: Packet, stamps: bytes, premade: Premade, gray: bool, workers: Workers) -> bytes:
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
            job = ShrinkJob(scan.image, size, (PREVIEW_QUALITY,), gray)
            made = premade.get(job)
            if made is None:
                keys.append(scan.key)
                jobs.append(job)
            elif made[0] is not None:
                small[scan.key] = made[0]
    for key, ladder in zip(keys, workers.map(shrink, jobs), strict=True):
        if ladder[0] is not None:
            small[key] = ladder[0]
    return assemble(with_images(packet.plan, small), stamps, {}, packet.titles, dedupe=False)


def build(
    packet: Packet,
    options: Options,
    ladders: Ladders,
    premade: Premade,
    workers: Workers,
    spool: Callable[[], BinaryIO],
) -> Built:
    """Build every requested profile; upload files come first in ``outputs``.

    ``ladders`` was started (when the photos must shrink) before the letter
    was rendered; ``spool`` gives the scratch files full-resolution output is
    written to.
    """
    stamps = render_stamps(packet)
    mail: tuple[BinaryIO, OutputFile] | None = None
    # A missing address is already an error finding of ``checks``
    # (MISSING_MAIL_FIELD); here it only means the mail packet is not built.
    if "mail" in options.profiles and mail_ready(packet.case):
        mail = mail_packet(packet, stamps, options.duplex, spool)
    files: dict[str, bytes | BinaryIO] = {}
    outputs: list[OutputFile] = []
    findings: tuple[Finding, ...] = ()
    pdfs: list[tuple[str, int]] = []
    thumbnails: tuple[bytes, ...] = ()
    page_preview: bytes
    if "upload" in options.profiles:
        first = first_upload(packet, stamps, ladders, options.gray)
        images = PageImages(packet, options.image_max_mb, options.gray, workers)
        images.start(first[0])
        try:
            pdf = upload_pdfs(packet, stamps, first, ladders, options.max_mb, options.gray, workers)
            pictures, thumbnails = images.finish()
        except BaseException:
            images.cancel()
            raise
        upload = merged((pdf, pictures))
        files.update(upload.files)
        outputs.extend(upload.outputs)
        findings = upload.findings
        pdfs.extend(upload.pdfs)
        page_preview = first[0]
    else:
        page_preview = preview(packet, stamps, premade, options.gray, workers)
    if mail is not None:
        spooled, record = mail
        files[record.path] = spooled
        outputs.append(record)
        pdfs.append((record.path, record.pages))
    return Built(files, tuple(outputs), findings, tuple(pdfs), page_preview, thumbnails)
