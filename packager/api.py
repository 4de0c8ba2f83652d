"""The one entry point the CLI and the watcher share: ``build_case`` / ``check_case``.

Flow: intake -> classify -> read (normalize, quality, re-encodings; in the
pool) -> checks -> letter -> stamps -> assemble -> verify -> publish
(``stage_case`` stops before publish; the watcher publishes a staged bundle
only if the case did not change meanwhile). Stages return values and findings; this module
only wires them together and decides the outcome.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from types import TracebackType
from typing import BinaryIO

from pypdf import PdfReader

from packager import __version__
from packager.errors import OutputError
from packager.geometry import paginate
from packager.hant import HANT, localize
from packager.messages import measure_text, message
from packager.models import (
    KIND_ORDER,
    Document,
    Finding,
    Measure,
    Outcome,
    OutputFile,
    PacketPlan,
    PlacedDocument,
    ReviewWindow,
    Section,
    Severity,
    SkippedFile,
    SourceFile,
    SourcePage,
    Status,
)
from packager.pagecache import PageCache
from packager.pool import Workers
from packager.read.casefile import CASE_FILE, Case, load_case
from packager.read.checks import UPLOAD, run_checks
from packager.read.classify import classify
from packager.read.eligibility import Guide, assess, guidance_findings
from packager.read.intake import display_path, intake
from packager.read.pages import Read, ReadJob, read
from packager.read.quality import Fingerprint, judge, near_duplicates
from packager.read.workdays import review_window
from packager.reencode import Encoding, Premade
from packager.write import bundle, letter, render
from packager.write.letter import default_recipient, letter_context, section_heading
from packager.write.publish import publish
from packager.write.report import REPORT_FILE, render_report

LETTER_OUTLINE = "逾期还款协商申请书"
MAIL_ONLY_CODES = frozenset({"MISSING_MAIL_FIELD"})
Progress = Callable[[int, int, str], None]


@dataclass(frozen=True, slots=True)
class Settings:
    """Per-run choices made at the edge (CLI flags, watcher options)."""

    lang: str = "zh"
    today: date = field(default_factory=date.today)
    progress: Progress | None = None
    profiles: tuple[str, ...] = (UPLOAD,)
    guide: Guide = field(default_factory=Guide)
    # Normalized pages by content hash (the watcher's); None normalizes every source afresh.
    cache: PageCache | None = None
    max_mb: float | None = None  # overrides case.toml [output] upload_max_mb
    gray: bool = False
    duplex: bool = False
    jobs: int | None = None  # worker processes; None: one per CPU
    # A pool owned by the caller and reused across builds; None: each build makes its own.
    workers: Workers | None = None
    # A first guess at the letter's pages (the last build's Outcome.letter_pages); None: 2.
    letter_pages: int | None = None


@dataclass(frozen=True, slots=True)
class Prepared:
    """A case read, classified, normalized and checked; nothing written yet."""

    case_dir: Path
    name: str
    case: Case
    documents: tuple[tuple[Document, tuple[SourcePage, ...]], ...]
    skipped: tuple[SkippedFile, ...]
    findings: tuple[Finding, ...]
    guidance: tuple[Measure, ...] = ()
    review: ReviewWindow | None = None
    case_file_sha256: str | None = None

    @property
    def complete(self) -> bool:
        """True when no finding is an error."""
        return not any(f.severity is Severity.ERROR for f in self.findings)


def default_out_root(case_dir: Path) -> Path:
    """``out/`` beside ``inbox/`` when the case lives in an inbox, else ``./out``."""
    parent = case_dir.resolve().parent
    if parent.name == "inbox":
        return parent.parent / "out"
    return Path.cwd() / "out"


def _password_for(case: Case, case_dir: Path, doc: Document) -> str | None:
    rel = doc.source.path.relative_to(case_dir).as_posix()
    for entry in case.password:
        wanted = entry.file.strip().lstrip("./")
        if wanted in (rel, doc.source.path.name):
            return entry.password
    return None


def _case_file_sha256(case_dir: Path) -> str | None:
    """Hash case.toml *before* it is parsed: a later edit then always reads as a change."""
    try:
        return hashlib.sha256((case_dir / CASE_FILE).read_bytes()).hexdigest()
    except OSError:
        return None


def _read_all(
    jobs: Sequence[ReadJob],
    settings: Settings,
    workers: Workers,
    meanwhile: Callable[[], object] | None,
) -> Iterator[Read]:
    """Read every source on every core, yielding in case order (progress as they land).

    The page cache answers first; only what it lacks is read, and kept.
    """
    cache = settings.cache
    known = [cache.get(job.source) if cache is not None else None for job in jobs]
    missing = [job for job, hit in zip(jobs, known, strict=True) if hit is None]
    befores = [_stat(job.source) if cache is not None else None for job in missing]
    batch = workers.submit(read, missing)
    if meanwhile is not None:
        meanwhile()
    fresh = iter(batch)
    befores_left = iter(befores)
    for i, (job, hit) in enumerate(zip(jobs, known, strict=True)):
        if settings.progress:
            settings.progress(i, len(jobs), job.source.rel)
        if hit is not None:
            yield hit
            continue
        result = next(fresh)
        before = next(befores_left)
        if cache is not None:
            cache.put(job.source, result, before)
        yield result
    if settings.progress:
        settings.progress(len(jobs), len(jobs), "")


def _stat(source: SourceFile) -> os.stat_result | None:
    try:
        return source.path.stat()
    except OSError:
        return None


def prepare(
    case_dir: Path,
    settings: Settings,
    workers: Workers | None = None,
    encodings: Callable[[Case, Sequence[SourceFile]], tuple[Encoding, ...]] | None = None,
    premade: Premade | None = None,
    meanwhile: Callable[[], object] | None = None,
) -> Prepared:
    """Read and check a case folder without writing anything.

    Sources are read in ``workers`` (a pool of its own when None). With
    ``encodings``, each photo's re-encodings for the bundle are made from the
    same decode and collected in ``premade``; ``meanwhile`` runs in this
    process while the workers read.
    """
    case_sha = _case_file_sha256(case_dir)
    case = load_case(case_dir, settings.lang)
    found = intake(case_dir)
    classified = classify(found.files)
    findings: list[Finding] = [*found.findings, *classified.findings]
    skipped: list[SkippedFile] = [*found.skipped, *classified.skipped]
    usable: list[tuple[Document, tuple[SourcePage, ...]]] = []
    prints: list[Fingerprint] = []
    documents = classified.documents
    wanted = encodings(case, [d.source for d in documents]) if encodings is not None else ()
    jobs = [ReadJob(d.source, _password_for(case, case_dir, d), wanted) for d in documents]
    with contextlib.ExitStack() as stack:
        if workers is None:
            workers = stack.enter_context(Workers(settings.jobs))
        for doc, result in zip(
            documents, _read_all(jobs, settings, workers, meanwhile), strict=True
        ):
            rel = doc.source.rel
            if result.refused is not None:
                code, params = result.refused
                skipped.append(SkippedFile(rel, doc.source.sha256, Status.FAILED, doc.kind))
                findings.append(Finding(code, Severity.WARNING, file=rel, params=params))
                continue
            findings.extend(
                Finding(code, Severity.WARNING, file=rel, params=params)
                for code, params in result.warnings
            )
            quality = judge(rel, result.pages, result.inspections)
            findings.extend(quality.findings)
            prints.extend(quality.prints)
            if premade is not None:
                for job, ladder in result.ladders:
                    premade.add(job, ladder)
            usable.append((doc, paginate(result.pages)))
    findings.extend(near_duplicates(prints))
    findings.extend(run_checks(case, [d for d, _ in usable], settings.today, settings.profiles))
    guidance = assess(case, settings.today, settings.guide)
    findings.extend(guidance_findings(guidance))
    if not case.account.recipient:
        findings.append(
            Finding(
                "RECIPIENT_DEFAULTED", Severity.INFO, params={"recipient": default_recipient(case)}
            )
        )
    return Prepared(
        case_dir,
        display_path(case_dir.name),
        case,
        tuple(usable),
        tuple(skipped),
        tuple(findings),
        guidance=guidance,
        review=review_window(settings.today),
        case_file_sha256=case_sha,
    )


def place(
    documents: Sequence[tuple[Document, tuple[SourcePage, ...]]], first_page: int
) -> tuple[Section, ...]:
    """Give every document its global page numbers, grouped by kind in packet order."""
    sections: list[Section] = []
    page = first_page
    for kind in KIND_ORDER:
        placed: list[PlacedDocument] = []
        for doc, pages in documents:
            if doc.kind is kind and pages:
                placed.append(PlacedDocument(doc, pages, page, page + len(pages) - 1))
                page += len(pages)
        if placed:
            sections.append(Section(kind, tuple(placed)))
    return tuple(sections)


def plan_packet(prep: Prepared, today: date, letter_pages: int = 2) -> PacketPlan:
    """Render the letter until its page count is stable, so the index's page ranges are right.

    ``letter_pages`` is the first guess; a right one saves a render (a wrong one costs one).
    """
    recipient = prep.case.account.recipient or default_recipient(prep.case)
    letter_pages = max(1, letter_pages)
    for _ in range(4):
        sections = place(prep.documents, letter_pages + 1)
        rendered = render.render_pdf(
            "letter.html",
            letter_context(prep.case, sections, today, recipient),
            prep.case.output.language,
        )
        if rendered.pages == letter_pages:
            break
        letter_pages = rendered.pages
    sections = place(prep.documents, rendered.pages + 1)
    # A missing mail address blocks only the mail packet: the upload pages are not a draft.
    draft = any(
        f.severity is Severity.ERROR and f.code not in MAIL_ONLY_CODES for f in prep.findings
    )
    return PacketPlan(rendered.data, rendered.pages, sections, draft=draft)


def stamp_sheets(plan: PacketPlan) -> list[dict[str, object]]:
    """What the overlay prints on each packet page."""
    sheets: list[dict[str, object]] = [
        {"landscape": False, "number": i + 1, "section": "申请书", "part": ""}
        for i in range(plan.letter_pages)
    ]
    for index, section in enumerate(plan.sections):
        heading = section_heading(index, section)
        for placed in section.documents:
            for source in placed.pages:
                sheets.append(
                    {
                        "landscape": source.landscape,
                        "number": len(sheets) + 1,
                        "section": heading,
                        "part": "",
                    }
                )
    return sheets


def pdf_name(name: str) -> str:
    """File name of the upload bundle (when it is not split)."""
    return bundle.upload_name(name)


def _spool(root: Path) -> BinaryIO:
    """An owner-only scratch file in the output folder, gone when closed (or on a crash)."""
    try:
        root.mkdir(parents=True, exist_ok=True)
        return tempfile.TemporaryFile(dir=root)
    except OSError as exc:
        raise OutputError(
            f"无法写入输出文件夹 {root}：{exc.strerror}。请检查权限或换一个 -o 位置。\n"
            f"Cannot write to {root}: {exc.strerror}."
        ) from exc


def _record_bytes(path: str, profile: str, data: bytes) -> OutputFile:
    """Manifest record of a file that is not a PDF (pages 0)."""
    return OutputFile(path, profile, hashlib.sha256(data).hexdigest(), 0, len(data))


def _verify_pdf(path: Path, expected_pages: int) -> None:
    try:
        # From an open file pypdf reads only what it needs (xref, page tree,
        # outline), not every photo of a 300 MB print packet.
        with path.open("rb") as fh:
            reader = PdfReader(fh)
            pages = len(reader.pages)
            outline = reader.outline
    except Exception as exc:
        raise OutputError(f"输出文件校验失败 / verification failed: {path.name}: {exc}") from exc
    if pages != expected_pages:
        raise OutputError(
            f"输出文件页数不对 / wrong page count in {path.name}: {pages} != {expected_pages}"
        )
    if not outline:
        raise OutputError(f"输出文件缺少书签 / no bookmarks in {path.name}")


def manifest(
    prep: Prepared, outputs: Sequence[OutputFile], plan: PacketPlan | None, lang: str
) -> dict[str, object]:
    """manifest.json: the stable keys of design.md, every path masked."""
    sources: list[dict[str, object]] = []
    if plan is not None:
        for section in plan.sections:
            for placed in section.documents:
                src = placed.document.source
                sources.append(
                    {
                        "path": src.rel,
                        "sha256": src.sha256,
                        "kind": placed.document.kind.value,
                        "pages": len(placed.pages),
                        "first_page": placed.first_page,
                        "last_page": placed.last_page,
                        "status": Status.OK.value,
                    }
                )
    else:
        for doc, pages in prep.documents:
            sources.append(
                {
                    "path": doc.source.rel,
                    "sha256": doc.source.sha256,
                    "kind": doc.kind.value,
                    "pages": len(pages),
                    "first_page": None,
                    "last_page": None,
                    "status": Status.OK.value,
                }
            )
    for s in sorted(prep.skipped, key=lambda s: s.rel):
        sources.append(
            {
                "path": s.rel,
                "sha256": s.sha256,
                "kind": s.kind.value if s.kind else None,
                "pages": 0,
                "first_page": None,
                "last_page": None,
                "status": s.status.value,
            }
        )
    return {
        "case": prep.name,
        "complete": prep.complete,
        "generated_by": f"packager {__version__}",
        "sources": sources,
        "outputs": [
            {
                "path": o.path,
                "profile": o.profile,
                "sha256": o.sha256,
                "pages": o.pages,
                "bytes": o.bytes,
            }
            for o in outputs
        ],
        "findings": [
            {
                "severity": f.severity.value,
                "code": f.code,
                "file": f.file,
                "page": f.page,
                "message": message(f, lang),
            }
            for f in prep.findings
        ],
        "eligibility": [
            {
                "code": m.code,
                "value": round(m.value, 4),
                "limit": m.limit,
                "within": m.within,
                "source": m.source,
                "message": measure_text(m, lang),
            }
            for m in prep.guidance
        ],
        "review_window": None
        if prep.review is None
        else {
            "from": prep.review.earliest.isoformat(),
            "to": prep.review.latest.isoformat(),
            "from_estimated": prep.review.earliest_estimated,
            "to_estimated": prep.review.latest_estimated,
            "working_days": [prep.review.low, prep.review.high],
        },
        # What the watcher compares at start to tell an up-to-date bundle from a stale one.
        "case_file_sha256": prep.case_file_sha256,
    }


def check_case(case_dir: Path, settings: Settings) -> Outcome:
    """Classify and check a case; write nothing."""
    prep = prepare(case_dir, settings, settings.workers)
    return Outcome(
        prep.name,
        prep.complete,
        prep.findings,
        manifest(prep, (), None, settings.lang),
        build_date=settings.today,
        review=prep.review,
        guidance=prep.guidance,
    )


def packet_for(prep: Prepared, plan: PacketPlan) -> bundle.Packet:
    """The plan with its bookmarks, metadata, overlay sheets and addressee, in the case's script."""
    script = prep.case.output.language
    titles = {"letter": LETTER_OUTLINE}
    titles.update({s.kind.value: section_heading(i, s) for i, s in enumerate(plan.sections)})
    titles = {k: localize(v, script) for k, v in titles.items()}
    kinds = ", ".join(str(titles[s.kind.value]).split(" ", 1)[1] for s in plan.sections)
    name = prep.case.applicant.name or ""
    metadata = {
        "/Title": f"逾期还款协商申请 {name}".strip(),
        "/Subject": "逾期还款协商",
        "/Keywords": f"逾期还款协商, 申请书{', ' + kinds if kinds else ''}",
        "/Creator": f"packager {__version__}",
        "/Producer": f"packager {__version__}",
    }
    metadata = {k: localize(v, script) for k, v in metadata.items()}
    recipient = prep.case.account.recipient or default_recipient(prep.case)
    return bundle.Packet(
        prep.name, prep.case, plan, tuple(stamp_sheets(plan)), metadata, titles, recipient, script
    )


def build_case(case_dir: Path, out_root: Path | None, settings: Settings) -> Outcome:
    """Build and publish ``out_root/<case>/``; the Outcome says whether it is complete."""
    with stage_case(case_dir, out_root, settings) as staged:
        return staged.publish()


@dataclass(slots=True)
class Staged:
    """A bundle built and verified-to-be but not yet published.

    ``publish`` swaps it in as ``out_root/<case>/``; ``close`` (or leaving the
    ``with`` block) drops it and its scratch files. The watcher stages a case
    while its settle time runs and publishes only if nothing changed since.
    """

    root: Path
    outcome: Outcome
    files: Mapping[str, bytes | BinaryIO]
    verify: Callable[[Path], None]
    resources: contextlib.ExitStack

    def publish(self) -> Outcome:
        """Write the bundle atomically; the Outcome then names its folder."""
        final = publish(self.root, self.outcome.case, self.files, self.verify)
        return replace(self.outcome, out_dir=final)

    def close(self) -> None:
        """Drop the staged files (scratch files and a pool of this build's own)."""
        self.resources.close()

    def __enter__(self) -> Staged:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.resources.__exit__(exc_type, exc, tb)


def _warm_up() -> None:
    """Load WeasyPrint, its fonts and the letter's helpers while the workers read."""
    render.warm_up()
    letter.warm_up()


def _options(case: Case, settings: Settings) -> bundle.Options:
    """The bundle's options: CLI flags over case.toml's [output]."""
    return bundle.Options(
        today=settings.today,
        profiles=settings.profiles,
        max_mb=settings.max_mb or case.output.upload_max_mb,
        image_max_mb=case.output.image_max_mb,
        gray=settings.gray,
        duplex=settings.duplex,
        jobs=settings.jobs,
    )


def stage_case(case_dir: Path, out_root: Path | None, settings: Settings) -> Staged:
    """Build everything ``build_case`` publishes, holding it until ``Staged.publish``."""
    resources = contextlib.ExitStack()
    try:
        workers = settings.workers or resources.enter_context(Workers(settings.jobs))
        return _stage(case_dir, out_root, settings, workers, resources)
    except BaseException as exc:
        resources.__exit__(type(exc), exc, exc.__traceback__)
        raise


def _stage(
    case_dir: Path,
    out_root: Path | None,
    settings: Settings,
    workers: Workers,
    resources: contextlib.ExitStack,
) -> Staged:
    premade = Premade()
    # Every photo is decoded once, in the pool, and its re-encodings for the
    # bundle made from that decode; meanwhile this process loads WeasyPrint.
    prep = prepare(
        case_dir,
        settings,
        workers,
        lambda case, sources: _options(case, settings).encodings(
            sources, cached=settings.cache is not None
        ),
        premade,
        meanwhile=_warm_up,
    )
    options = _options(prep.case, settings)
    root = out_root if out_root is not None else default_out_root(case_dir)
    # Full-resolution files are written to anonymous files beside the output
    # (not into memory), so their images pass through memory one at a time.
    bundler = bundle.Bundler(
        prep.documents,
        options,
        spool=lambda: _spool(root),
        cache=settings.cache,
        workers=workers,
        premade=premade,
    )
    resources.enter_context(bundler)
    plan = plan_packet(prep, settings.today, settings.letter_pages or 2)
    built = bundler.build(packet_for(prep, plan))
    prep = replace(prep, findings=(*prep.findings, *built.findings))
    script = prep.case.output.language
    report_lang = "zh-Hant" if settings.lang == "zh" and script == HANT else settings.lang
    report = render_report(
        prep,
        plan,
        built.preview,
        built.outputs,
        settings.today,
        report_lang,
        built.thumbnails,
    )
    outputs = (*built.outputs, _record_bytes(REPORT_FILE, "report", report))
    data = manifest(prep, outputs, plan, settings.lang)
    files: dict[str, bytes | BinaryIO] = {
        **built.files,
        "manifest.json": json.dumps(data, ensure_ascii=False, indent=2).encode() + b"\n",
        REPORT_FILE: report,
    }

    def verify(staging: Path) -> None:
        for path, pages in built.pdfs:
            _verify_pdf(staging / path, pages)

    outcome = Outcome(
        prep.name,
        prep.complete,
        prep.findings,
        data,
        outputs=outputs,
        build_date=settings.today,
        review=prep.review,
        guidance=prep.guidance,
        letter_pages=plan.letter_pages,
    )
    return Staged(root, outcome, files, verify, resources)
