"""The one entry point the CLI and the watcher share: ``build_case`` / ``check_case``.

Flow: intake -> classify -> normalize -> checks -> letter -> stamps ->
assemble -> verify -> publish. Stages return values and findings; this module
only wires them together and decides the outcome.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from pypdf import PdfReader

from packager import __version__, render
from packager.assemble import assemble
from packager.casefile import CASE_FILE, Case, load_case
from packager.checks import check_completeness
from packager.classify import classify
from packager.errors import OutputError
from packager.intake import display_path, intake
from packager.letter import default_recipient, letter_context, section_heading
from packager.messages import message
from packager.models import (
    KIND_ORDER,
    Document,
    Finding,
    Outcome,
    OutputFile,
    PacketPlan,
    PlacedDocument,
    Section,
    Severity,
    SkippedFile,
    SourceFile,
    SourcePage,
    Status,
)
from packager.normalize import Normalized, Unusable, normalize
from packager.pagecache import PageCache
from packager.publish import publish

LETTER_OUTLINE = "逾期还款协商申请书"
Progress = Callable[[int, int, str], None]


@dataclass(frozen=True, slots=True)
class Settings:
    """Per-run choices made at the edge (CLI flags, watcher options)."""

    lang: str = "zh"
    today: date = field(default_factory=date.today)
    progress: Progress | None = None
    # Normalized pages by content hash (the watcher's); None normalizes every source afresh.
    cache: PageCache | None = None


@dataclass(frozen=True, slots=True)
class Prepared:
    """A case read, classified, normalized and checked; nothing written yet."""

    case_dir: Path
    name: str
    case: Case
    documents: tuple[tuple[Document, tuple[SourcePage, ...]], ...]
    skipped: tuple[SkippedFile, ...]
    findings: tuple[Finding, ...]
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


def _normalize(settings: Settings, source: SourceFile, password: str | None) -> Normalized:
    if settings.cache is not None:
        return settings.cache.normalize(source, password)
    return normalize(source, password)


def prepare(case_dir: Path, settings: Settings) -> Prepared:
    """Read and check a case folder without writing anything."""
    case_sha = _case_file_sha256(case_dir)
    case = load_case(case_dir, settings.lang)
    found = intake(case_dir)
    classified = classify(found.files)
    findings: list[Finding] = [*found.findings, *classified.findings]
    skipped: list[SkippedFile] = [*found.skipped, *classified.skipped]
    usable: list[tuple[Document, tuple[SourcePage, ...]]] = []
    total = len(classified.documents)
    for i, doc in enumerate(classified.documents):
        if settings.progress:
            settings.progress(i, total, doc.source.rel)
        try:
            result = _normalize(settings, doc.source, _password_for(case, case_dir, doc))
        except Unusable as exc:
            skipped.append(SkippedFile(doc.source.rel, doc.source.sha256, Status.FAILED, doc.kind))
            findings.append(
                Finding(exc.code, Severity.WARNING, file=doc.source.rel, params=exc.params)
            )
            continue
        findings.extend(
            Finding(code, Severity.WARNING, file=doc.source.rel, params=params)
            for code, params in result.warnings
        )
        usable.append((doc, result.pages))
    if settings.progress:
        settings.progress(total, total, "")
    findings.extend(check_completeness(case, [d for d, _ in usable]))
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
        case_sha,
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


def plan_packet(prep: Prepared, today: date) -> PacketPlan:
    """Render the letter until its page count is stable, so the index's page ranges are right."""
    recipient = prep.case.account.recipient or default_recipient(prep.case)
    letter_pages = 2
    for _ in range(4):
        sections = place(prep.documents, letter_pages + 1)
        rendered = render.render_pdf(
            "letter.html", letter_context(prep.case, sections, today, recipient)
        )
        if rendered.pages == letter_pages:
            break
        letter_pages = rendered.pages
    sections = place(prep.documents, rendered.pages + 1)
    return PacketPlan(rendered.data, rendered.pages, sections, draft=not prep.complete)


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
    """File name of the upload bundle."""
    return f"逾期还款协商-{name}.pdf"


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _verify_pdf(path: Path, expected_pages: int) -> None:
    try:
        reader = PdfReader(path)
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
        # What the watcher compares at start to tell an up-to-date bundle from a stale one.
        "case_file_sha256": prep.case_file_sha256,
    }


def check_case(case_dir: Path, settings: Settings) -> Outcome:
    """Classify and check a case; write nothing."""
    prep = prepare(case_dir, settings)
    return Outcome(
        prep.name,
        prep.complete,
        prep.findings,
        manifest(prep, (), None, settings.lang),
        build_date=settings.today,
    )


def build_case(case_dir: Path, out_root: Path | None, settings: Settings) -> Outcome:
    """Build and publish ``out_root/<case>/``; the Outcome says whether it is complete."""
    prep = prepare(case_dir, settings)
    plan = plan_packet(prep, settings.today)
    stamps = render.render_pdf(
        "stamps.html",
        {"sheets": stamp_sheets(plan), "total": plan.total_pages, "draft": plan.draft},
    )
    titles = {"letter": LETTER_OUTLINE}
    titles.update({s.kind.value: section_heading(i, s) for i, s in enumerate(plan.sections)})
    kinds = ", ".join(str(titles[s.kind.value]).split(" ", 1)[1] for s in plan.sections)
    name = prep.case.applicant.name or ""
    metadata = {
        "/Title": f"逾期还款协商申请 {name}".strip(),
        "/Subject": "逾期还款协商",
        "/Keywords": f"逾期还款协商, 申请书{', ' + kinds if kinds else ''}",
        "/Creator": f"packager {__version__}",
        "/Producer": f"packager {__version__}",
    }
    packet = assemble(plan, stamps.data, metadata, titles)
    upload = pdf_name(prep.name)
    outputs = [OutputFile(upload, "upload", _sha256(packet), plan.total_pages, len(packet))]
    data = manifest(prep, outputs, plan, settings.lang)
    files = {
        upload: packet,
        "manifest.json": json.dumps(data, ensure_ascii=False, indent=2).encode() + b"\n",
    }

    def verify(staging: Path) -> None:
        _verify_pdf(staging / upload, plan.total_pages)

    root = out_root if out_root is not None else default_out_root(case_dir)
    final = publish(root, prep.name, files, verify)
    return Outcome(
        prep.name,
        prep.complete,
        prep.findings,
        data,
        out_dir=final,
        outputs=tuple(outputs),
        build_date=settings.today,
    )
