"""The watcher's build process: every byte of a user's file is parsed here.

The watcher (``watch``) only stats files; it hands probes and builds to one
long-lived child process over a pipe. If a hostile file crashes or exhausts
the child, the watcher reports that case, starts a new child and goes on; and
a stop request can abandon a build at any moment, because ``publish`` never
leaves a half-written bundle. The child is spawned, not forked, so it shares
no threads or locks with the watcher, and it keeps WeasyPrint's fonts and one
process pool for page images warm between builds. It is not a daemon (a
daemon may not start a pool), so the watcher must always end it: ``close``
runs on every exit path and, as a last resort, at interpreter exit; a killed
watcher is noticed at once on Linux (``lifeline``: the kernel sends SIGTERM)
and by the child's orphan guard elsewhere, and the pool's workers follow
the child (``workers``). This module is part of the watch edge: like ``cli`` and
``watch`` it turns any exception into a reported result.

The requests and replies are ``protocol``'s typed messages.
"""

from __future__ import annotations

import atexit
import contextlib
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from multiprocessing.connection import Connection
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any

from packager import lifeline
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
    Quit,
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

CACHE_DIR = ".cache"
ORPHAN_CHECK = 0.25


class WorkerCrashed(Exception):
    """The child died (signal, out of memory, native crash) before it replied."""


class Abandoned(Exception):
    """A stop was requested and the child was ended before it replied."""


class Worker:
    """Parent side: start the child lazily, send one request at a time, survive its death."""

    def __init__(
        self,
        out_root: Path,
        should_stop: Callable[[], bool],
        grace: float = 2.0,
        max_builds: int = 100,
    ) -> None:
        self.out_root = out_root
        self.should_stop = should_stop
        self.grace = grace
        self.max_builds = max_builds
        self._ctx = multiprocessing.get_context("spawn")
        self._proc: Any = None
        self._conn: Connection | None = None
        self._builds = 0

    def start(self) -> None:
        """Spawn the child now so its warm-up overlaps the watcher's start-up scan."""
        if self._proc is not None and self._proc.is_alive() and self._builds < self.max_builds:
            return  # a fresh child now and then keeps any slow leak in a library bounded
        self.close()
        parent, child = self._ctx.Pipe(duplex=True)
        lifeline.start_helpers(forkserver=False)  # the resource tracker dies with us
        proc = self._ctx.Process(
            target=serve,
            args=(child, os.getpid(), str(self.out_root)),
            name="packager-worker",
            daemon=False,  # it owns a process pool; see close() and the orphan guard
        )
        proc.start()
        child.close()
        self._proc, self._conn, self._builds = proc, parent, 0
        # Multiprocessing joins non-daemon children at exit: end ours before it waits forever.
        atexit.register(self.close)

    def call(self, request: Request) -> Reply:
        """Send one request and wait for its reply, watching for a stop and for the child's death."""
        self.start()
        conn, proc = self._conn, self._proc
        if conn is None or proc is None:  # pragma: no cover - start() always sets both
            raise WorkerCrashed("not started")
        if isinstance(request, Build):
            self._builds += 1
        try:
            conn.send(request)
        except OSError as exc:
            self._discard()
            raise WorkerCrashed(str(exc)) from exc
        give_up: float | None = None
        while True:
            try:
                if conn.poll(0.1):
                    reply: Reply = conn.recv()
                    return reply
            except (EOFError, OSError) as exc:
                code = self._discard()
                raise WorkerCrashed(_exit_text(code)) from exc
            if not proc.is_alive():
                if conn.poll(0):
                    continue
                code = self._discard()
                raise WorkerCrashed(_exit_text(code))
            if self.should_stop():
                now = time.monotonic()
                give_up = give_up if give_up is not None else now + self.grace
                if now >= give_up:
                    self._discard()
                    raise Abandoned

    def close(self) -> None:
        """Ask the child to quit; end it if it does not."""
        if self._proc is None:
            return
        if self._proc.is_alive() and self._conn is not None:
            with contextlib.suppress(OSError):
                self._conn.send(Quit())
            self._proc.join(2)
        self._discard()

    def _discard(self) -> int | None:
        """End the child (SIGTERM lets publish remove its staging folder) and forget it."""
        proc, conn = self._proc, self._conn
        self._proc, self._conn = None, None
        if conn is not None:
            conn.close()
        if proc is None:
            return None
        atexit.unregister(self.close)
        if proc.is_alive():
            proc.terminate()
            proc.join(3)
        if proc.is_alive():
            proc.kill()
            proc.join(3)
        code: int | None = proc.exitcode
        proc.close()
        return code


def _exit_text(code: int | None) -> str:
    if code is not None and code < 0:
        try:
            return f"signal {signal.Signals(-code).name}"
        except ValueError:
            return f"signal {-code}"
    return f"exit status {code}"


# -- child side ----------------------------------------------------------------


def serve(conn: Connection, parent_pid: int, out_root: str) -> None:
    """Child main loop: answer probe and build requests until told to quit."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the watcher's to handle
    signal.signal(signal.SIGTERM, _terminate)
    lifeline.follow_parent(parent_pid, signal.SIGTERM)  # a killed watcher ends us at once
    with contextlib.suppress(OSError, ValueError, AttributeError):
        os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # stdout carries --json events only
    threading.Thread(target=_orphan_guard, args=(parent_pid,), daemon=True).start()

    from packager.cache.pages import PageCache
    from packager.pool import Workers

    cache = PageCache(Path(out_root) / CACHE_DIR)
    # One pool for every build (starting one per build costs more than a rebuild);
    # a forkserver's, as this process runs threads. Its workers exit with us however we end.
    workers = Workers()
    handler = Handler(cache, workers)
    try:
        _warm_up(workers)
        while True:
            try:
                request = conn.recv()
            except (EOFError, OSError):
                return
            if isinstance(request, Quit):
                return
            reply = handler.handle(request)
            try:
                conn.send(reply)
            except OSError:
                return
    finally:
        handler.close()
        if _TERMINATED:  # not waiting for running jobs: the workers die with us (lifeline)
            os._exit(0)
        workers.close(cancel=True)


_TERMINATED: list[int] = []


def _terminate(signum: int, frame: FrameType | None) -> None:
    """SIGTERM unwinds the stack, so publish removes its staging folder on the way out."""
    _TERMINATED.append(signum)
    raise SystemExit(0)


def _orphan_guard(parent_pid: int) -> None:
    """If the watcher is killed (kill -9), stop building rather than run on unsupervised."""
    while os.getppid() == parent_pid:
        time.sleep(ORPHAN_CHECK)
    os.kill(os.getpid(), signal.SIGTERM)


def _warm_up(workers: Workers) -> None:
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
