"""Reading on upload: each new file is read in the background, in the pool the builds share.

A person who adds eleven photos should see each one's kind, turn and sheet
within seconds, not after a build. So whenever the page sees a file no read
knows yet (an upload, a file dropped into the folder, a turn asked for), the
case's reader thread reads it with exactly the job a build would make
(same OCR, clean store and turn), in the shared pool, and keeps the result in
the page cache (``OUT/.cache``, the builds' own): the build later finds every
page read. PDFs, which the disk cache does not keep, are kept in memory here
by content hash, and the builds of this server are served from that memory
too (``MemoryCache``). Nothing here ever runs in a request: a request only
asks for reads and looks at what is known.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
from collections.abc import Callable
from concurrent.futures import Future, as_completed
from dataclasses import dataclass
from pathlib import Path

from packager.cache.pages import PageCache
from packager.errors import PackagerError
from packager.models import SourceFile
from packager.pool import Workers
from packager.read.pages import Read, ReadJob, read
from packager.read.prepare import Survey, survey
from packager.settings import clean_by_default, ocr_by_default

log = logging.getLogger("packager.web")
QUEUED, READ, FAILED = "queued", "read", "failed"


class SharedPool:
    """One pool of worker processes for every read and build of the server, made when first used."""

    def __init__(self, jobs: int | None = None) -> None:
        self._jobs = jobs
        self._lock = threading.Lock()
        self._workers: Workers | None = None

    def workers(self) -> Workers:
        """The pool (started once, whichever thread asks first)."""
        with self._lock:
            if self._workers is None:
                self._workers = Workers(self._jobs)
            # Started here, under the lock: the builds submit to it from their own threads.
            self._workers.start()
            return self._workers

    def submit(self, job: ReadJob) -> Future[Read]:
        """Read one file in a worker process (never inline: the server's thread stays free)."""
        workers = self.workers()
        with self._lock:
            return workers.submit_one(read, job)

    def close(self) -> None:
        """Stop the workers, dropping what is queued."""
        with self._lock:
            if self._workers is not None:
                self._workers.close(cancel=True)
                self._workers = None


def _key(
    source: SourceFile, ocr: bool, clean: bool, rotate: int, password: str | None
) -> tuple[object, ...]:
    return (source.sha256, source.media, ocr, clean, rotate, password)


@dataclass(frozen=True, slots=True)
class Wanted:
    """One file to read, as a build of the case would read it."""

    job: ReadJob
    rel: str


def jobs_for(found: Survey, cache: PageCache) -> list[Wanted]:
    """The read jobs a build of the surveyed case would run (its OCR, clean store, turns)."""
    from packager.read.prepare import password_for

    store = cache.clean_dir if clean_by_default() and found.case.output.clean else None
    return [
        Wanted(
            ReadJob(
                source,
                password_for(found.case, found.case_dir, source),
                ocr=found.ocr,
                clean=store,
                rotate=found.rotations.get(str(source.path), 0),
            ),
            source.rel,
        )
        for source in found.sources
    ]


def _failed_key(job: ReadJob) -> tuple[object, ...]:
    return _key(job.source, job.ocr, job.clean is not None, job.rotate, job.password)


class Reader:
    """The background readers: one thread per case at a time, all reading in one pool."""

    def __init__(self, cache: PageCache, pool: SharedPool, lang: str) -> None:
        self.cache = cache
        self.pool = pool
        self.lang = lang
        self._lock = threading.Lock()
        self._states: dict[str, dict[str, str]] = {}
        self._again: set[str] = set()
        self._failed: set[tuple[object, ...]] = set()  # refused reads: not tried again
        self._threads: dict[str, threading.Thread] = {}
        self._idle: dict[str, threading.Event] = {}
        self.version = 0  # bumped whenever a read lands: what the page shows changed
        self.closed = False
        self.on_change: Callable[[], None] | None = None

    def progress(self, name: str) -> dict[str, str]:
        """Each file's read state (queued, read, failed) as this server last saw it."""
        with self._lock:
            return dict(self._states.get(name, {}))

    def busy(self, name: str) -> bool:
        """True while a case's files are being read."""
        with self._lock:
            return name in self._threads

    def request(self, name: str, case_dir: Path, rels: tuple[str, ...] = ()) -> None:
        """Read whatever of the case no read knows yet, in the background (now or right after).

        ``rels`` (files the page saw unknown) show as being read at once.
        """
        with self._lock:
            if self.closed:
                return
            known = self._states.setdefault(name, {})
            for rel in rels:
                known.setdefault(rel, QUEUED)
            self.version += 1
            if name in self._threads:
                self._again.add(name)
                return
            idle = self._idle.setdefault(name, threading.Event())
            idle.clear()
            thread = threading.Thread(
                target=self._run, args=(name, case_dir), daemon=True, name=f"read {name}"
            )
            self._threads[name] = thread
        thread.start()

    def wait(self, name: str, timeout: float | None = None) -> bool:
        """Wait until the case's reads asked for so far have landed; False on timeout."""
        with self._lock:
            idle = self._idle.get(name)
        return True if idle is None else idle.wait(timeout)

    def wait_all(self, timeout: float = 600.0) -> None:
        """Wait for every reader (tests, shutdown)."""
        for thread in list(self._threads.values()):
            thread.join(timeout)

    def close(self) -> None:
        """Take no more requests; let the running reads land."""
        with self._lock:
            self.closed = True
            self._again.clear()
        self.wait_all()

    def _run(self, name: str, case_dir: Path) -> None:
        try:
            while True:
                try:
                    self._read_case(name, case_dir)
                except PackagerError:
                    pass  # case.toml is wrong: the page says so; nothing to read by
                except Exception as exc:  # noqa: BLE001 - a read never takes the server down
                    log.warning("background read failed: %s", type(exc).__name__)
                with self._lock:
                    if name not in self._again:
                        del self._threads[name]
                        self._idle[name].set()
                        return
                    self._again.discard(name)
        finally:
            with self._lock:
                if self._threads.get(name) is threading.current_thread():
                    del self._threads[name]
                    self._idle[name].set()

    def _read_case(self, name: str, case_dir: Path) -> None:
        if not case_dir.is_dir():
            return
        found = survey(case_dir, self.lang, ocr_by_default())
        todo: list[tuple[Wanted, os.stat_result | None]] = []
        states: dict[str, str] = {}
        for wanted in jobs_for(found, self.cache):
            job = wanted.job
            if self.cache.get_job(job) is not None:
                states[wanted.rel] = READ
            elif _failed_key(job) in self._failed:
                states[wanted.rel] = FAILED
            else:
                before: os.stat_result | None = None
                with contextlib.suppress(OSError):
                    before = job.source.path.stat()
                todo.append((wanted, before))
                states[wanted.rel] = QUEUED
        with self._lock:
            self._states[name] = states
        self._changed()
        # Every file in the pool at once; each card changes as its own read lands.
        futures = {self.pool.submit(w.job): (w, before) for w, before in todo}
        for future in as_completed(futures):
            wanted, before = futures[future]
            job = wanted.job
            try:
                result = future.result()
            except Exception as exc:  # noqa: BLE001 - a dead worker: this file stays unread
                log.warning("background read failed: %s", type(exc).__name__)
                result = None
            if result is not None:
                self.cache.put_job(job, result, before)
            state = READ if result is not None and result.refused is None else FAILED
            with self._lock:
                if state == FAILED:
                    self._failed.add(_failed_key(job))
                self._states[name][wanted.rel] = state
            self._changed()

    def _changed(self) -> None:
        with self._lock:
            self.version += 1
        if self.on_change is not None:
            self.on_change()
