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
from multiprocessing.connection import Connection
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any

from packager import lifeline
from packager.watch.protocol import (
    Build,
    Quit,
    Reply,
    Request,
)

if TYPE_CHECKING:
    pass

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
    from packager.watch.handler import Handler, warm_up

    cache = PageCache(Path(out_root) / CACHE_DIR)
    # One pool for every build (starting one per build costs more than a rebuild);
    # a forkserver's, as this process runs threads. Its workers exit with us however we end.
    workers = Workers()
    handler = Handler(cache, workers)
    try:
        warm_up(workers)
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
