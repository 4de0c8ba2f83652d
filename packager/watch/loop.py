"""``packager watch``: every sub-folder of the inbox is a case, rebuilt once it settles.

The rules, from how Paperless-ngx and OCRmyPDF users lost files
(shared/research/watcher-anchors.md):

- Events are hints. Created, modified, moved in or out, deleted: each only
  (re)arms its case's settle timer. When the timer fires the folder itself is
  looked at (``cases``, ``readiness``): a build starts only when nothing
  changed for the settle time and every new or changed file opens; otherwise
  the case waits and looks again with back-off. Busy or locked files wait,
  never fail.
- The settle time is not idle time: a case is built early, and that bundle
  published only if the folder did not change meanwhile (``cases``).
- Nothing is missed. At start every case is compared with its last
  manifest (sha256 of each source and of case.toml) and exactly the stale
  ones are built; a rescan every minute covers lost events; polling is used
  on network and FUSE file systems, where events never come (``observer``).
- Nothing dies and nothing is corrupted. Files are parsed and builds run in a
  child process (``child``); one case's failure is reported and the others
  go on; the observer (``observer.Supervisor``) and the child are restarted
  when they die; SIGINT and SIGTERM end the watcher within seconds,
  abandoning a build rather than publishing half of it (``publish`` swaps
  whole bundles only).

This module prints nothing: it reports ``WatchEvent``s (``events``) to a
callback (the CLI prints them as lines or JSON). Like ``cli`` it may catch
broad exceptions.
"""

from __future__ import annotations

import contextlib
import queue
import signal
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from types import FrameType

from packager import __version__
from packager.errors import ExitCode, OutputError, UsageError
from packager.manifest import up_to_date
from packager.messages import both, lang_key, render
from packager.read.intake import JUNK_DIRS, display_path, is_junk
from packager.watch.cases import CaseMachine, CaseState
from packager.watch.child import Worker
from packager.watch.config import WatchConfig
from packager.watch.events import Emit, Reporter, WatchEvent, describe
from packager.watch.observer import (
    EVERY_CASE,
    SourceFactory,
    Supervisor,
    WatchdogSource,
    mount_type,
)
from packager.watch.readiness import snapshot

# cli.py uses these through ``from packager.watch import loop``.
__all__ = ["WatchConfig", "WatchEvent", "Watcher", "describe", "run"]

SUPERVISE_EVERY = 1.0


class Watcher:
    """The loop: hints in, timers armed, cases looked at (``CaseMachine``), events out."""

    def __init__(
        self,
        config: WatchConfig,
        emit: Emit,
        source_factory: SourceFactory = WatchdogSource,
        mount: Callable[[Path], str | None] = mount_type,
    ) -> None:
        self.cfg = replace(config, lang=lang_key(config.lang))
        self.emit = Reporter(emit)
        self.inbox = config.inbox.absolute()
        self.out = config.out.absolute()
        self.cases: dict[str, CaseState] = {}
        self._hints: queue.SimpleQueue[tuple[str, float] | None] = queue.SimpleQueue()
        self._stopping = False
        self.supervisor = Supervisor(
            self.inbox,
            self._hint,
            self.emit,
            polling=config.polling,
            factory=source_factory,
            mount=mount,
        )
        self.worker = Worker(self.out, lambda: self._stopping, grace=config.grace)
        self.machine = CaseMachine(self.cfg, self.worker, self.emit, inbox=self.inbox, out=self.out)

    # -- public ------------------------------------------------------------------

    def request_stop(self) -> None:
        """Stop soon; safe to call from a signal handler or another thread.

        A second request abandons a running build at once instead of after the grace time.
        """
        if self._stopping:
            self.worker.grace = 0.0
        self._stopping = True
        self._hints.put(None)

    def run(self) -> int:
        """Watch until stopped (or, with ``once``, until nothing is pending); return the exit code."""
        self._validate()
        try:
            self.worker.start()
            if not self.cfg.once:
                self.supervisor.choose_mode()
                self.supervisor.start()
            mode = "polling" if self.supervisor.polling else "native"
            self.emit(
                "start",
                inbox=str(self.inbox),
                out=str(self.out),
                mode="once" if self.cfg.once else mode,
                settle=self.cfg.settle,
                version=__version__,
            )
            self._startup_scan()
            self._loop()
        finally:
            try:
                self.supervisor.stop()
            finally:
                self.worker.close()  # not a daemon: a build process left running blocks exit
        self.emit("stop")
        if self.cfg.once and self.machine.failures:
            return self.machine.failures[0]
        return int(ExitCode.OK)

    # -- start-up ----------------------------------------------------------------

    def _validate(self) -> None:
        lang = self.cfg.lang
        if not self.inbox.is_dir():
            raise UsageError(render("WATCH_NO_INBOX", lang, {"inbox": str(self.cfg.inbox)}))
        inbox, out = self.inbox.resolve(), self.out.resolve()
        params = {"inbox": str(inbox), "out": str(out)}
        if out == inbox or inbox in out.parents:
            raise UsageError(render("WATCH_OUT_IN_INBOX", lang, params))
        if out in inbox.parents:
            raise UsageError(render("WATCH_INBOX_IN_OUT", lang, params))
        try:
            self.out.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError as exc:
            raise OutputError(
                both("OUTPUT_NOT_WRITABLE", root=self.out, error=exc.strerror)
            ) from exc

    def _startup_scan(self) -> None:
        for name in self._case_names():
            if self._stopping:
                return
            self._discover(name, delay=0.0, quiet=False)

    def _discover(self, name: str, delay: float, quiet: bool) -> CaseState:
        """Meet a case: up to date with its last manifest means idle, otherwise arm it."""
        state = CaseState(name)
        self.cases[name] = state
        case_dir = self.inbox / name
        before = snapshot(case_dir)
        if before is not None and up_to_date(case_dir, self.out):
            state.done = before
            if not quiet:
                self.emit("up_to_date", display_path(name))
        else:
            state.due = time.monotonic() + delay
        return state

    # -- the loop ----------------------------------------------------------------

    def _loop(self) -> None:
        now = time.monotonic()
        next_rescan = now + self.cfg.rescan
        next_supervise = now + SUPERVISE_EVERY
        while not self._stopping:
            self._drain()
            now = time.monotonic()
            if not self.cfg.once:
                if now >= next_supervise:
                    self.supervisor.check()
                    next_supervise = now + SUPERVISE_EVERY
                lost_events = self.supervisor.rescan_due()
                if now >= next_rescan or lost_events:
                    self._rescan()
                    next_rescan = now + self.cfg.rescan
            pending = [s for s in self.cases.values() if s.due is not None]
            due = [s for s in pending if s.due is not None and s.due <= now]
            if due:
                self._look(min(due, key=lambda s: s.due or 0.0))
                continue
            if self.cfg.once and not pending:
                return
            early = self.machine.early_candidates(pending)
            ripe = [s for s in early if self.machine.early_at(s) <= now]
            if ripe:
                self.machine.stage(ripe[0])
                continue
            wake = [s.due for s in pending if s.due is not None]
            wake += [self.machine.early_at(s) for s in early]
            if not self.cfg.once:
                wake += [next_rescan, next_supervise]
            timeout = max(0.01, min(wake) - now) if wake else 1.0
            try:
                item = self._hints.get(timeout=timeout)
            except queue.Empty:
                continue
            if item is not None:
                self._arm(*item)

    def _hint(self, case: str) -> None:
        """Called on the observer's thread: queue the hint, nothing else."""
        self._hints.put((case, time.monotonic()))

    def _drain(self) -> None:
        while True:
            try:
                item = self._hints.get_nowait()
            except queue.Empty:
                return
            if item is not None:
                self._arm(*item)

    def _arm(self, name: str, at: float) -> None:
        """A change was hinted: look again one settle time after it."""
        if name == EVERY_CASE:  # holidays.toml: every case is stale, unchanged folders too
            for case in self._case_names():
                self._arm(case, at)
                if case in self.cases:
                    self.cases[case].done = None
            return
        state = self.cases.get(name)
        if state is None:
            if not (self.inbox / name).is_dir():
                return
            state = self._discover(name, delay=self.cfg.settle, quiet=True)
            if state.due is None:
                return
        state.hint(at, self.cfg.settle)

    def _look(self, state: CaseState) -> None:
        """A case's timer fired; forget it if its folder is gone (not if the inbox is)."""
        if self.machine.look(state):
            return
        if self.inbox.is_dir():
            del self.cases[state.name]
            self.emit("removed", display_path(state.name))
        else:
            self.supervisor.note_inbox_missing()

    def _rescan(self) -> None:
        """The safety net: find every change an event might have missed."""
        if not self.inbox.is_dir():
            self.supervisor.note_inbox_missing()
            return
        names = set(self._case_names())
        for name in names:
            state = self.cases.get(name)
            if state is None:
                self._discover(name, delay=0.0, quiet=True)
            elif state.due is None and snapshot(self.inbox / name) != state.done:
                state.due = time.monotonic()
        for name, state in list(self.cases.items()):
            if name not in names and state.due is None:
                state.due = time.monotonic()

    def _case_names(self) -> list[str]:
        try:
            entries = sorted(self.inbox.iterdir())
        except OSError:
            return []
        return [
            e.name
            for e in entries
            if not (is_junk(e.name) or e.name in JUNK_DIRS) and e.is_dir() and not e.is_symlink()
        ]


# -- running it ----------------------------------------------------------------------


@contextlib.contextmanager
def _signals(watcher: Watcher) -> Iterator[None]:
    """SIGINT and SIGTERM ask the watcher to stop (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, frame: FrameType | None) -> None:
        watcher.request_stop()

    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


def run(config: WatchConfig, emit: Emit) -> int:
    """Run ``packager watch``; raises ``UsageError`` (exit 2) when it must not start."""
    watcher = Watcher(config, emit)
    with _signals(watcher):
        return watcher.run()
