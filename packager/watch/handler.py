"""The watcher's build process, its side of the pipe: each request handled, each failure a reply.

``child`` starts the process and speaks to it; this module is what runs in it:
probes read dropped files ahead (as the build will read them), builds and early
builds (``Stage``, published by ``Commit`` only if nothing changed), and any
exception turned into a ``Failure`` the watcher reports.
"""

from __future__ import annotations

import contextlib
import os
import time
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from packager.errors import ExitCode
from packager.watch.protocol import (
    Build,
    BuildReply,
    CaseJob,
    Commit,
    Failure,
    NotStaged,
    Probe,
    ProbeReply,
    Reply,
    Request,
    Stage,
    StagedReply,
)

if TYPE_CHECKING:
    from packager.api import Staged
    from packager.cache.pages import PageCache
    from packager.models import SourceFile
    from packager.pool import Workers
    from packager.read.pages import Read


def warm_up(workers: Workers) -> None:
    """Load WeasyPrint and the CJK fonts and start the pool, so the first build is not slow."""
    from packager.errors import PackagerError
    from packager.write import render

    with contextlib.suppress(Exception):  # a pool that cannot start fails a build, which reports it
        workers.map(abs, range(workers.jobs))  # the forkserver and the workers, modules preloaded
    from packager.messages import words
    from packager.write.plan import StampSheet

    sheet = StampSheet(landscape=False, number=1, section=words.LETTER_SECTION)
    with contextlib.suppress(PackagerError):  # the first build reports it properly
        render.render_pdf(
            "stamps.html", {"sheets": [sheet], "total": 1, "draft": True, "draft_mark": "草稿"}
        )
    # Importing WeasyPrint told Pillow to accept truncated images; a build that
    # runs after the probe gave up on a damaged photo must report it, not grey it out.
    from PIL import ImageFile

    ImageFile.LOAD_TRUNCATED_IMAGES = False


class Handler:
    """Answers one request at a time, keeping what helps the next build warm."""

    def __init__(
        self, cache: PageCache, workers: Workers, letters: dict[Path, int] | None = None
    ) -> None:
        self.cache = cache
        self.workers = workers
        # case folder -> letter pages in its last bundle
        self.letters: dict[Path, int] = {} if letters is None else letters
        self.early = Early()  # at most one case staged while its settle time runs

    def handle(self, request: Request) -> Reply:
        """The reply to one request (never raises for anything about the case)."""
        match request:
            case Probe():
                return _probe(request, self.cache, self.workers)
            case Build():
                self.early.drop()
                return self._build(request)
            case Stage():
                self.early.drop()
                return self._build(request, stage=True)
            case Commit():
                return self.early.commit(request, self.letters)
            case _:
                return Failure(int(ExitCode.INTERNAL), f"unknown request {request!r}")

    def close(self) -> None:
        """Drop a staged bundle that was never committed."""
        self.early.drop()

    def _build(self, request: CaseJob, stage: bool = False) -> Reply:
        """Build and publish a case; with ``stage``, build it and keep it unpublished."""
        from packager import api

        cache = self.cache
        started = time.monotonic()
        hits, misses = cache.stats.hits, cache.stats.misses
        settings = api.Settings(
            lang=request.lang,
            today=request.today,
            ocr=request.ocr,
            clean=request.clean,
            cache=cache,
            workers=self.workers,
            # A rebuild's letter is most often as long as the last one: one render settles it.
            letter_pages=self.letters.get(request.case_dir),
        )
        staged: Staged | None = None
        try:
            if stage:
                staged = api.stage_case(request.case_dir, request.out, settings)
                outcome = staged.outcome
            else:
                outcome = api.build_case(request.case_dir, request.out, settings)
        except Exception as exc:  # noqa: BLE001 - one case's bug must not end the watcher
            return _failure(exc)
        finally:
            cache.prune()
        if outcome.letter_pages is not None and not stage:
            self.letters[request.case_dir] = outcome.letter_pages
        reply = BuildReply.of(
            outcome,
            round(time.monotonic() - started, 3),
            cache.stats.hits - hits,
            cache.stats.misses - misses,
        )
        if staged is not None:
            self.early.keep(request.case_dir, staged, reply)
            return StagedReply()
        return reply


def _probe(request: Probe, cache: PageCache, workers: Workers) -> ProbeReply:
    """Each file opened; those that decode read as the build will, in the pool, into the cache.

    So the build that follows (and an early one) finds every page read: a
    photo that landed is cleaned and recognised here, once.
    """
    from packager.models import SourceFile
    from packager.watch.readiness import judged, opened, probe

    checked = [opened(path) for path in request.paths]
    sources = [found for found in checked if isinstance(found, SourceFile)]
    reads = _read_ahead(request, sources, cache, workers) if sources else None
    if reads is None:
        return ProbeReply(tuple(probe(path, cache) for path in request.paths))
    verdicts = iter(judged(result) for result in reads)
    return ProbeReply(
        tuple(next(verdicts) if isinstance(found, SourceFile) else found for found in checked)
    )


def _read_ahead(
    request: Probe, sources: list[SourceFile], cache: PageCache, workers: Workers
) -> tuple[Read, ...] | None:
    """The build's own reads of ``sources``; None when they cannot be made (case.toml wrong)."""
    if request.case_dir is None:
        return None
    from packager import api
    from packager.sources import strict_images

    settings = api.Settings(
        lang=request.lang, ocr=request.ocr, clean=request.clean, cache=cache, workers=workers
    )
    try:
        with strict_images():
            return api.read_ahead(request.case_dir, sources, settings)
    except Exception:  # noqa: BLE001 - a wrong case.toml: the build reports it; just open them
        return None


class Early:
    """A bundle staged before its case settled (``Stage``), published by ``Commit`` if unchanged."""

    def __init__(self) -> None:
        self.case_dir: Path | None = None
        self.staged: Staged | None = None
        self.reply: BuildReply | None = None

    def keep(self, case_dir: Path, staged: Staged, reply: BuildReply) -> None:
        """Hold ``staged`` (dropping any other) with the reply its build would have sent."""
        self.drop()
        self.case_dir, self.staged, self.reply = case_dir, staged, reply

    def drop(self) -> None:
        """Forget the staged bundle and remove its scratch files."""
        staged, self.staged, self.case_dir, self.reply = self.staged, None, None, None
        if staged is not None:
            with contextlib.suppress(Exception):
                staged.close()

    def commit(self, request: Commit, letters: dict[Path, int]) -> Reply:
        """Publish the staged bundle of ``case_dir``; ``NotStaged`` when there is none."""
        staged, reply = self.staged, self.reply
        if (
            staged is None
            or reply is None
            or self.case_dir != request.case_dir
            or staged.outcome.build_date != request.today
        ):  # nothing staged, another case, or staged before midnight: build afresh
            self.drop()
            return NotStaged()
        started = time.monotonic()
        try:
            outcome = staged.publish()
        except Exception as exc:  # noqa: BLE001 - reported like any build failure
            return _failure(exc)
        finally:
            self.drop()
        if outcome.letter_pages is not None:
            letters[request.case_dir] = outcome.letter_pages
        return replace(
            reply,
            seconds=round(reply.seconds + time.monotonic() - started, 3),
            out_dir=str(outcome.out_dir),
            early=True,
        )


def _failure(exc: BaseException) -> Failure:
    from packager.errors import PackagerError

    if isinstance(exc, PackagerError):
        return Failure(int(exc.exit_code), exc.message)
    if os.environ.get("PACKAGER_DEBUG"):
        import traceback

        traceback.print_exception(exc)
    return Failure(int(ExitCode.INTERNAL), f"{type(exc).__name__}: {exc}")
