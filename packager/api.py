"""The one runner the CLI, the watcher and the web page share.

check: survey -> prepare. build: survey -> options -> prepare (every photo
read once, in the pool, its re-encodings made from that decode) -> plan (the
letter, page numbers) -> bundle (upload, mail) -> report -> manifest ->
publish. ``stage_case`` stops before publish: the watcher publishes a staged
bundle only if the case did not change meanwhile. The stages return values
and findings; this module only runs them in order and decides the outcome.
"""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from types import TracebackType
from typing import BinaryIO

from packager.cache.pages import CACHE_DIR, CLEAN_DIR, DEFAULT_MAX_BYTES, PageCache
from packager.hant import is_traditional
from packager.manifest import (
    MANIFEST_FILE,
    REPORT_FILE,
    manifest,
    manifest_bytes,
    output_record,
    source_records,
)
from packager.models import Outcome, SourceFile
from packager.pool import Workers
from packager.read.clean import prune as prune_clean
from packager.read.pages import Read
from packager.read.prepare import Prepared, jobs_for, prepare, read_all, reading_plan, survey
from packager.settings import Progress, Settings
from packager.write import bundle, letter, render
from packager.write.aftercare import aftercare_files
from packager.write.ladders import Ladders, will_shrink
from packager.write.plan import packet_for, plan_packet
from packager.write.publish import (
    case_path,
    check_out_root,
    default_out_root,
    publish,
    scratch_file,
    verify_pdf,
)
from packager.write.report import render_report

__all__ = [
    "Progress",
    "Settings",
    "Staged",
    "build_case",
    "check_case",
    "page_cache",
    "read_ahead",
    "stage_case",
]


@contextlib.contextmanager
def page_cache(
    case_dir: Path, out_root: Path | None, reread: bool = False
) -> Iterator[PageCache | None]:
    """The page cache a build or check of ``case_dir`` shares with every other entry point.

    ``OUT/.cache`` (OUT as ``build`` decides it), kept to its size budget when
    the run ends. None when it cannot be made (a read-only output folder):
    then every page is read, as before. An output root inside the case folder
    is refused (exit 2): the case folder is only ever read.
    """
    case = case_path(case_dir)
    root = out_root if out_root is not None else default_out_root(case)
    check_out_root(case, root)
    if not case.is_dir():  # the run reports it; no output folder made for nothing
        yield None
        return
    cache = PageCache(root / CACHE_DIR, reread=reread)
    try:
        root.mkdir(parents=True, exist_ok=True, mode=0o700)
        cache.root.mkdir(exist_ok=True, mode=0o700)
    except OSError:
        yield None
        return
    try:
        yield cache
    finally:
        cache.prune()


def check_case(case_dir: Path, settings: Settings) -> Outcome:
    """Classify and check a case; write nothing.

    Photos are cleaned as ``build`` cleans them, so both sort by the same text
    and judge the same pages; with no page cache to keep them in, the cleaned
    pages go to a private scratch folder, deleted before this returns.
    """
    case_dir = case_path(case_dir)
    with contextlib.ExitStack() as stack:
        if settings.clean and settings.clean_store is None:
            store = (
                settings.cache.clean_dir
                if settings.cache is not None
                else Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="packager-")))
            )
            settings = replace(settings, clean_store=store)
        prep = prepare(survey(case_dir, settings.lang, settings.ocr), settings, settings.workers)
    sources = source_records(prep, None)
    return Outcome(
        prep.name,
        prep.complete,
        prep.findings,
        manifest(prep, sources, (), settings.lang),
        build_date=settings.today,
        review=prep.review,
        guidance=prep.guidance,
        sources=sources,
    )


def read_ahead(
    case_dir: Path, sources: Sequence[SourceFile], settings: Settings
) -> tuple[Read, ...]:
    """Read files of a case now, as its build will read them, into ``settings.cache``.

    For files that just landed (the watcher's probe, an upload): the build
    that follows finds every page in the cache. The read is the build's own
    (``jobs_for``: OCR, clean-up, the case's [[file]] turns and passwords),
    in ``settings.workers`` (a pool of its own when None). Raises
    ``CaseFileError`` (exit 3) when case.toml is wrong.
    """
    cache = settings.cache
    if cache is None:
        raise ValueError("read_ahead reads into a page cache")
    if settings.clean and settings.clean_store is None:
        settings = replace(settings, clean_store=cache.clean_dir)
    job_for = jobs_for(reading_plan(case_path(case_dir), settings.lang, settings.ocr), settings)
    jobs = [job_for(source) for source in sources]
    with contextlib.ExitStack() as stack:
        workers = settings.workers or stack.enter_context(Workers(settings.jobs))
        return tuple(read_all(jobs, settings, workers))


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


def stage_case(case_dir: Path, out_root: Path | None, settings: Settings) -> Staged:
    """Build everything ``build_case`` publishes, holding it until ``Staged.publish``."""
    resources = contextlib.ExitStack()
    try:
        workers = settings.workers or resources.enter_context(Workers(settings.jobs))
        return _stage(case_dir, out_root, settings, workers, resources)
    except BaseException as exc:
        resources.__exit__(type(exc), exc, exc.__traceback__)
        raise


def _warm_up() -> None:
    """Load WeasyPrint, its fonts and the letter's helpers while the workers read."""
    render.warm_up()
    letter.warm_up()


def _stage(
    case_dir: Path,
    out_root: Path | None,
    settings: Settings,
    workers: Workers,
    resources: contextlib.ExitStack,
) -> Staged:
    case_dir = case_path(case_dir)
    root = out_root if out_root is not None else default_out_root(case_dir)
    check_out_root(case_dir, root)
    found = survey(case_dir, settings.lang, settings.ocr)
    root = out_root if out_root is not None else default_out_root(case_dir)
    settings = _with_clean_store(settings, root)
    options = bundle.Options.of(found.case, settings)
    # Every photo is decoded once, in the pool, and its re-encodings for the
    # bundle made from that decode; meanwhile this process loads WeasyPrint.
    encodings = options.encodings(found.sources, cached=settings.cache is not None)
    prep = prepare(found, settings, workers, encodings, meanwhile=_warm_up)
    ladders = Ladders(prep.documents, options.gray, prep.premade, settings.cache, workers)
    # A failed build drops its queued re-encodings; the (maybe shared) pool stays up.
    resources.push(lambda kind, exc, tb: ladders.cancel() if exc is not None else None)
    if "upload" in options.profiles and will_shrink(prep.documents, options.cap, options.gray):
        ladders.start()  # the pool re-encodes while the letter renders

    def spool() -> BinaryIO:
        scratch = scratch_file(root)
        resources.callback(scratch.close)
        return scratch

    plan = plan_packet(prep, settings.today, settings.letter_pages or 2)
    built = bundle.build(
        packet_for(prep, plan, settings.today), options, ladders, prep.premade, workers, spool
    )
    prep = replace(prep, findings=(*prep.findings, *built.findings))
    after_files, after_outputs = aftercare_files(prep, settings.today)  # follow-up, schedule
    made = (*built.outputs, *after_outputs)
    report = render_report(
        prep,
        plan,
        built.preview,
        made,
        settings.today,
        _report_lang(prep, settings),
        built.thumbnails,
    )
    outputs = (*made, output_record(REPORT_FILE, "report", report))
    sources = source_records(prep, plan)
    data = manifest(prep, sources, outputs, settings.lang, plan)
    files: dict[str, bytes | BinaryIO] = {
        **built.files,
        **after_files,
        MANIFEST_FILE: manifest_bytes(data),
        REPORT_FILE: report,
    }

    def verify(staging: Path) -> None:
        for path, pages in built.pdfs:
            verify_pdf(staging / path, pages)

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
        sources=sources,
    )
    return Staged(root, outcome, files, verify, resources)


def _with_clean_store(settings: Settings, root: Path) -> Settings:
    """Cleaned photos are kept beside the page cache (OUT/.cache/clean), or there without one.

    A build without the watcher's cache keeps the store to its size budget itself.
    """
    if not settings.clean or settings.clean_store is not None:
        return settings
    if settings.cache is not None:
        return replace(settings, clean_store=settings.cache.clean_dir)
    store = root / CACHE_DIR / CLEAN_DIR
    prune_clean(store, DEFAULT_MAX_BYTES)
    return replace(settings, clean_store=store)


def _report_lang(prep: Prepared, settings: Settings) -> str:
    """The report speaks the user's language, in Traditional characters for a zh-Hant case."""
    if settings.lang == "zh" and is_traditional(prep.case.output.language):
        return prep.case.output.language  # zh-Hant, or its Taiwan or Hong Kong variant
    return settings.lang
