"""The read side's last step: a case folder in, one frozen ``Prepared`` out.

``survey`` parses case.toml and lists and classifies the files (cheap, in
this process); ``prepare`` reads every source once, in the pool, and runs the
checks. Between the two the caller decides, from the survey, what the write
side will want re-encoded while each photo's pixels are in memory
(``encodings``): a plain value, and the ladders come back as a field of
``Prepared``. Nothing here writes a file.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from packager.geometry import paginate, slice_page
from packager.image.reencode import Encoding, Ladder, Premade, ShrinkJob
from packager.models import (
    KIND_ORDER,
    Document,
    Finding,
    Measure,
    ReviewWindow,
    Severity,
    SkippedFile,
    SourceFile,
    SourcePage,
    Status,
)
from packager.pool import Workers
from packager.read.agree import fact_findings
from packager.read.casefile import Case, case_file_sha256, default_recipient, load_case
from packager.read.checks import run_checks
from packager.read.classify import Decision, classify, left_out, natural_key
from packager.read.clean import INFO_CODES
from packager.read.content import by_content
from packager.read.eligibility import assess, guidance_findings, guide_for
from packager.read.facts import Fact, read_facts
from packager.read.holidays import load_overrides
from packager.read.intake import display_path, intake
from packager.read.pages import Read, ReadJob, read
from packager.read.quality import Fingerprint, judge, near_duplicates
from packager.read.schedule import Schedule
from packager.read.standing import Standing, aftercare
from packager.read.workdays import review_window
from packager.settings import Settings


@dataclass(frozen=True, slots=True)
class Survey:
    """A case folder looked at, not read: case.toml parsed, files found and classified."""

    case_dir: Path
    case: Case
    # Hashed before parsing, so a later edit always reads as a change.
    case_file_sha256: str | None
    documents: tuple[Document, ...]
    skipped: tuple[SkippedFile, ...]
    findings: tuple[Finding, ...]
    # Files no rule sorted: with ``ocr``, read too, and their pages decide their kind.
    unsorted: tuple[SourceFile, ...] = ()
    ocr: bool = False
    # [[file]] rotate: clockwise degrees by the file's absolute path.
    rotations: Mapping[str, int] = field(default_factory=dict)

    @property
    def sources(self) -> tuple[SourceFile, ...]:
        """The files that will be read, in case order."""
        return (*(d.source for d in self.documents), *self.unsorted)


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
    # Re-encodings made from the decode reading already did (``encodings``).
    premade: Premade = field(default_factory=Premade)
    # What the documents print (figures, dates, names), read from their pages' text.
    facts: tuple[Fact, ...] = ()
    # After the packet is sent: where the case stands, and the agreed schedule (issue 25).
    standing: Standing | None = None
    schedule: Schedule | None = None

    @property
    def complete(self) -> bool:
        """True when no finding is an error."""
        return not any(f.severity is Severity.ERROR for f in self.findings)


def survey(case_dir: Path, lang: str, ocr: bool = False) -> Survey:
    """Parse case.toml (exit 3 when it is wrong), find every file and give it a kind.

    With ``ocr`` (and ``[output] ocr`` not false) pages will be read, so a
    file no rule sorts is kept for its content to decide.
    """
    plan = reading_plan(case_dir, lang, ocr)
    case, reading = plan.case, plan.ocr
    found = intake(case_dir)
    decisions = {
        str(case_dir / e.path.strip().removeprefix("./")): Decision(e.kind, e.exclude)
        for e in case.file
    }
    classified = classify(found.files, decisions, by_content=reading)
    return replace(
        plan,
        documents=tuple(classified.documents),
        skipped=(*found.skipped, *classified.skipped),
        findings=(*found.findings, *classified.findings),
        unsorted=classified.unsorted,
    )


def reading_plan(case_dir: Path, lang: str, ocr: bool = False) -> Survey:
    """The survey's case.toml half, no file listed: all ``jobs_for`` needs (exit 3 when wrong)."""
    case_sha = case_file_sha256(case_dir)
    case = load_case(case_dir, lang)
    rotations = {
        str(case_dir / e.path.strip().removeprefix("./")): e.rotate for e in case.file if e.rotate
    }
    return Survey(case_dir, case, case_sha, (), (), (), (), ocr and case.output.ocr, rotations)


def password_for(case: Case, case_dir: Path, source: SourceFile) -> str | None:
    """The ``[[password]]`` case.toml gives for ``source`` (its path, or its name), if any.

    Part of a read's key: the web's reader and a page view look a PDF up as a build reads it.
    """
    rel = source.path.relative_to(case_dir).as_posix()
    for entry in case.password:
        wanted = entry.file.strip().lstrip("./")
        if wanted in (rel, source.path.name):
            return entry.password
    return None


def jobs_for(
    found: Survey, settings: Settings, encodings: tuple[Encoding, ...] = ()
) -> Callable[[SourceFile], ReadJob]:
    """How this case's build reads a file: OCR, clean-up, [[file]] turn, [[password]].

    One place, so that whoever reads a file ahead of a build (the watcher's
    probe, the web page on upload) makes the very read, and cache entry, the
    build will look for.
    """
    case, case_dir = found.case, found.case_dir
    store = settings.clean_store if settings.clean and case.output.clean else None

    def job(source: SourceFile) -> ReadJob:
        return ReadJob(
            source,
            password_for(case, case_dir, source),
            encodings,
            ocr=found.ocr,
            clean=store,
            rotate=found.rotations.get(str(source.path), 0),
        )

    return job


def _severity(code: str) -> Severity:
    """A note from reading a file: a warning, or only an info (a photo left as taken)."""
    return Severity.INFO if code in INFO_CODES else Severity.WARNING


def _stat(source: SourceFile) -> os.stat_result | None:
    try:
        return source.path.stat()
    except OSError:
        return None


def read_all(
    jobs: Sequence[ReadJob],
    settings: Settings,
    workers: Workers,
    meanwhile: Callable[[], object] | None = None,
) -> Iterator[Read]:
    """Read every source on every core, yielding in case order (progress as they land).

    The page cache answers first; only what it lacks is read, and kept.
    """
    cache = settings.cache
    known = [cache.get_job(job) if cache is not None else None for job in jobs]
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
            cache.put_job(job, result, before)
        yield result
    if settings.progress:
        settings.progress(len(jobs), len(jobs), "")


def prepare(
    found: Survey,
    settings: Settings,
    workers: Workers | None = None,
    encodings: tuple[Encoding, ...] = (),
    meanwhile: Callable[[], object] | None = None,
) -> Prepared:
    """Read and check a surveyed case without writing anything.

    Sources are read in ``workers`` (a pool of its own when None); each
    photo's ``encodings`` are made from the same decode and returned in
    ``Prepared.premade``; ``meanwhile`` runs in this process while the workers read.
    """
    case, case_dir = found.case, found.case_dir
    findings: list[Finding] = list(found.findings)
    skipped: list[SkippedFile] = list(found.skipped)
    usable: list[tuple[Document, tuple[SourcePage, ...]]] = []
    prints: list[Fingerprint] = []
    made: list[tuple[ShrinkJob, Ladder]] = []
    read_side: list[Finding] = []  # what the pages' content said
    facts: list[Fact] = []
    todo: list[tuple[SourceFile, Document | None]] = [(d.source, d) for d in found.documents]
    todo += [(source, None) for source in found.unsorted]
    job_for = jobs_for(found, settings, encodings)
    jobs = [job_for(source) for source, _ in todo]
    with contextlib.ExitStack() as stack:
        if workers is None:
            workers = stack.enter_context(Workers(settings.jobs))
        for (source, sorted_as), result in zip(
            todo, read_all(jobs, settings, workers, meanwhile), strict=True
        ):
            rel = source.rel
            kind = sorted_as.kind if sorted_as is not None else None
            if result.refused is not None:
                code, params = result.refused
                skipped.append(replace(left_out(source, Status.FAILED), kind=kind))
                findings.append(Finding(code, Severity.WARNING, file=rel, params=params))
                continue
            doc, said = by_content(source, sorted_as, result.texts, case.applicant.name)
            read_side.extend(said)
            if doc is None:
                skipped.append(left_out(source))
                continue
            findings.extend(
                Finding(code, _severity(code), file=rel, params=params)
                for code, params in result.warnings
            )
            damaged = {
                int(params["page"]) for code, params in result.warnings if code == "DAMAGED_IMAGE"
            }
            quality = judge(rel, result.pages, result.inspections, damaged)
            findings.extend(quality.findings)
            prints.extend(quality.prints)
            made.extend(result.ladders)
            pages = result.pages
            if result.texts:  # what each page says goes with it, for the packet's text layer
                pages = tuple(
                    replace(page, text=text)
                    for page, text in zip(result.pages, result.texts, strict=True)
                )
            usable.append((doc, paginate(pages)))
            if result.texts:
                slots = [0]
                for page in pages[:-1]:
                    slots.append(slots[-1] + len(slice_page(page)))
                facts.extend(read_facts(rel, result.texts, slots))
    usable.sort(key=lambda u: (KIND_ORDER.index(u[0].kind), natural_key(u[0].source.rel)))
    findings.extend(read_side)
    findings.extend(near_duplicates(prints))
    documents = [d for d, _ in usable]
    unused = [s.rel for s in skipped]
    findings.extend(run_checks(case, documents, settings.today, settings.profiles, unused))
    placed = {d.source.rel for d in documents}
    facts = [f for f in facts if f.file in placed]
    facts.sort(key=lambda f: (natural_order(documents, f.file), f.page))
    findings.extend(fact_findings(case, documents, facts, settings.today))
    guidance = assess(case, settings.today, guide_for(case, settings.guide))
    findings.extend(guidance_findings(guidance))
    if not case.account.recipient:
        findings.append(
            Finding(
                "RECIPIENT_DEFAULTED", Severity.INFO, params={"recipient": default_recipient(case)}
            )
        )
    overrides = load_overrides(case_dir)
    state, schedule, after = aftercare(case, settings.today, overrides)
    findings.extend(after)
    return Prepared(
        case_dir,
        display_path(case_dir.name),
        case,
        tuple(usable),
        tuple(skipped),
        tuple(findings),
        guidance=guidance,
        review=review_window(settings.today, overrides=overrides),
        case_file_sha256=found.case_file_sha256,
        premade=Premade.of(made),
        facts=tuple(facts),
        standing=state,
        schedule=schedule,
    )


def natural_order(documents: Sequence[Document], rel: str) -> int:
    """A file's place in the packet (facts are listed in packet order)."""
    return next((i for i, d in enumerate(documents) if d.source.rel == rel), len(documents))
