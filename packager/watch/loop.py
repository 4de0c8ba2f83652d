"""``packager watch``: every sub-folder of the inbox is a case, rebuilt once it settles.

The rules, from how Paperless-ngx and OCRmyPDF users lost files
(shared/research/watcher-anchors.md):

- Events are hints. Created, modified, moved in or out, deleted: each only
  (re)arms its case's settle timer. When the timer fires the folder itself is
  looked at (``readiness``): a build starts only when nothing changed for the
  settle time and every new or changed file opens; otherwise the case waits
  and looks again with back-off. Busy or locked files wait, never fail.
- The settle time is not idle time. A quarter second after the last change
  the case is built early, into the worker's memory, not into ``out/``; when
  the settle time is over and the folder is exactly as that build saw it
  (every file's size, mtime and inode), the staged bundle is published, else
  dropped and the case built afresh. A dropped photo then appears about one
  settle time after it was written, not a settle time plus a rebuild.
- Nothing is missed. At start every case is compared with its last
  manifest (sha256 of each source and of case.toml) and exactly the stale
  ones are built; a rescan every minute covers lost events; polling is used
  on network and FUSE file systems, where events never come.
- Nothing dies and nothing is corrupted. Files are parsed and builds run in a
  child process (``worker``); one case's failure is reported and the others
  go on; the observer and the child are restarted when they die; SIGINT and
  SIGTERM end the watcher within seconds, abandoning a build rather than
  publishing half of it (``publish`` swaps whole bundles only).

This module prints nothing: it reports ``WatchEvent``s to a callback (the CLI
prints them as lines or JSON). Like ``cli`` it may catch broad exceptions.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import queue
import signal
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from types import FrameType

from packager import __version__
from packager.errors import ExitCode, OutputError, UsageError
from packager.messages import lang_key, render
from packager.read.casefile import CASE_FILE
from packager.read.intake import JUNK_DIRS, display_path, intake, is_junk
from packager.watch.child import (
    Abandoned,
    Build,
    BuildReply,
    Commit,
    Failure,
    NotStaged,
    Probe,
    ProbeReply,
    Reply,
    Stage,
    StagedReply,
    Worker,
    WorkerCrashed,
)
from packager.watch.events import Emit, Reporter, WatchEvent, describe
from packager.watch.observer import SourceFactory, Supervisor, WatchdogSource, mount_type
from packager.watch.readiness import FileState, Readiness, Snapshot, Verdict, snapshot

# cli.py uses these through ``from packager.watch import loop``.
__all__ = ["WatchConfig", "WatchEvent", "Watcher", "describe", "run", "up_to_date"]

SUPERVISE_EVERY = 1.0
# An early build starts this long after a case's last change (a copy in
# progress usually writes more often), and only when the settle time is long
# enough for it to pay off.
EARLY_QUIET = 0.25
EARLY_MIN_SETTLE = 1.0
# Early builds are for "one more photo" into a built case. A bulk copy (more
# changed files than this, or a case never built) is left to settle: an early
# build of it would only hold the loop while more files arrive.
EARLY_MAX_CHANGES = 4


@dataclass(frozen=True, slots=True)
class WatchConfig:
    """Everything ``packager watch`` was asked to do."""

    inbox: Path = Path("inbox")
    out: Path = Path("out")
    polling: bool = False
    once: bool = False
    settle: float = 2.0
    rescan: float = 60.0
    lang: str = "zh"
    # A file that stays unchanged but still does not open is built (and reported) after this.
    give_up: float = 30.0
    max_backoff: float = 30.0
    # On stop, a running build may finish for this long before it is abandoned.
    grace: float = 2.0
    # Build a case while its settle time runs (published only if nothing changed).
    early: bool = True


@dataclass(slots=True)
class CaseState:
    """What the watcher knows about one case folder."""

    name: str
    due: float | None = None  # monotonic time of the next look; None = idle
    seen: Snapshot | None = None  # last snapshot taken while waiting to settle
    seen_at: float = 0.0
    done: Snapshot | None = None  # the snapshot the last build attempt started from
    ready: set[FileState] = field(default_factory=set)  # file versions that opened
    backoff: float = 0.0
    stuck_since: float | None = None  # since when the folder is unchanged but a file won't open
    stuck_snap: Snapshot | None = None
    told: set[FileState] = field(default_factory=set)  # waiting lines already shown
    hinted: float | None = None  # monotonic time of the last change hint
    early_tried: bool = False  # an early build was tried since that hint
    staged: Snapshot | None = None  # the snapshot the worker's staged bundle was built from


class Watcher:
    """The loop: hints in, looks at folders, builds through the worker, events out."""

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
        self.failures: list[int] = []
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
            self.emit(
                "start",
                inbox=str(self.inbox),
                out=str(self.out),
                mode="once"
                if self.cfg.once
                else ("polling" if self.supervisor.polling else "native"),
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
        if self.cfg.once and self.failures:
            return self.failures[0]
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
                f"无法创建输出文件夹 {self.out}：{exc.strerror}。请检查权限或换一个 -o 位置。\n"
                f"Cannot create {self.out}: {exc.strerror}."
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
            early = self._early_candidates(pending)
            ripe = [s for s in early if (s.hinted or 0.0) + EARLY_QUIET <= now]
            if ripe:
                self._stage(ripe[0])
                continue
            wake = [s.due for s in pending if s.due is not None]
            wake += [(s.hinted or 0.0) + EARLY_QUIET for s in early]
            if not self.cfg.once:
                wake += [next_rescan, next_supervise]
            timeout = max(0.01, min(wake) - now) if wake else 1.0
            try:
                item = self._hints.get(timeout=timeout)
            except queue.Empty:
                continue
            if item is not None:
                self._arm(*item)

    def _early_candidates(self, pending: list[CaseState]) -> list[CaseState]:
        """Cases waiting out their settle time that may be built early meanwhile."""
        if not self.cfg.early or self.cfg.once or self.cfg.settle < EARLY_MIN_SETTLE:
            return []
        return [s for s in pending if s.hinted is not None and not s.early_tried]

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
        state = self.cases.get(name)
        if state is None:
            if not (self.inbox / name).is_dir():
                return
            state = self._discover(name, delay=self.cfg.settle, quiet=True)
            if state.due is None:
                return
        state.due = at + self.cfg.settle
        state.backoff = 0.0
        state.hinted, state.early_tried = at, False

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

    # -- one case ------------------------------------------------------------------

    def _look(self, state: CaseState) -> None:
        """The timer fired: build if the case settled and opens, else decide when to look again."""
        settle = self.cfg.settle
        snap = snapshot(self.inbox / state.name)
        now = time.monotonic()
        if snap is None:
            state.due = None
            if self.inbox.is_dir():
                del self.cases[state.name]
                self.emit("removed", display_path(state.name))
            else:
                self.supervisor.note_inbox_missing()
            return
        if snap == state.done:
            state.due, state.seen, state.stuck_since = None, None, None
            return  # only attributes changed, or our own reads: nothing to build
        age = time.time() - snap.newest_mtime_ns / 1e9
        steady = snap == state.seen and now - state.seen_at >= settle
        if not steady and not age >= settle:
            if snap != state.seen:
                state.seen, state.seen_at = snap, now
            wait = settle - age if 0 <= age < settle else settle
            state.due = now + max(wait, 0.02)
            return
        if not self._files_open(state, snap, now):
            return
        state.stuck_since, state.backoff, state.seen = None, 0.0, None
        self._build(state, snap)

    def _files_open(self, state: CaseState, snap: Snapshot, now: float) -> bool:
        """Probe new or changed files in the worker; False (and a later look) if any is not ready."""
        todo = [f for f in snap.files if f.regular and f.rel != CASE_FILE and f not in state.ready]
        if not todo:
            return True
        paths = tuple(self.inbox / state.name / f.rel for f in todo)
        try:
            reply = self.worker.call(Probe(paths))
        except Abandoned:
            state.due = None
            return False
        except WorkerCrashed as exc:
            reply = Failure(int(ExitCode.INTERNAL), str(exc))
        if isinstance(reply, ProbeReply):
            results = reply.results
        else:  # the child could not probe: as if every file were still being written
            error = reply.error if isinstance(reply, Failure) else repr(reply)
            results = (Verdict(Readiness.INCOMPLETE, f"probe ended: {error}"),) * len(todo)
        busy = False
        waiting: list[tuple[FileState, Readiness, str]] = []
        for file, verdict in zip(todo, results, strict=True):
            status, detail = verdict.status, verdict.detail
            if status is Readiness.READY:
                state.ready.add(file)
            elif status is Readiness.GONE:
                state.due = now + self.cfg.settle  # it changed under us: settle again
                return False
            else:
                busy = busy or status is Readiness.BUSY
                waiting.append((file, status, detail))
        if not waiting:
            return True
        if state.stuck_since is None or snap != state.stuck_snap:
            state.stuck_since, state.stuck_snap = now, snap  # never give up while it changes
        if now - state.stuck_since >= self.cfg.give_up:
            if not busy:
                return True  # unchanged and still unreadable: build; the report names the file
            if self.cfg.once:
                file = waiting[0][0]
                self.emit("not_ready", display_path(state.name), file=display_path(file.rel))
                self.failures.append(int(ExitCode.INPUT))
                state.due, state.done = None, snap
                return False
        state.backoff = min(max(state.backoff * 2, self.cfg.settle, 0.5), self.cfg.max_backoff)
        state.due = now + state.backoff
        for file, status, detail in waiting:
            if file not in state.told:
                state.told.add(file)
                self.emit(
                    "waiting",
                    display_path(state.name),
                    file=display_path(file.rel),
                    reason=status.value,
                    detail=detail,
                    retry=round(state.backoff, 1),
                )
        return False

    def _job(self, state: CaseState) -> tuple[Path, Path, str, date]:
        return self.inbox / state.name, self.out, self.cfg.lang, date.today()

    def _stage(self, state: CaseState) -> None:
        """Build the case early, while its settle time runs; the worker keeps it unpublished.

        When the settle time is over and the folder is exactly as this build
        saw it (every file's size, mtime and inode), ``_build`` only publishes
        it; otherwise it is dropped and the case built afresh. Nothing is
        reported: to the user it is the build that starts once the case settled.
        """
        state.early_tried = True
        state.staged = None
        snap = snapshot(self.inbox / state.name)
        if snap is None or state.done is None or snap == state.done:
            return
        changed = {f.rel for f in set(snap.files).symmetric_difference(state.done.files)}
        if len(changed) > EARLY_MAX_CHANGES:
            return
        age = time.time() - snap.newest_mtime_ns / 1e9
        if age < EARLY_QUIET:
            state.early_tried = False  # still being written: try again later
            state.hinted = time.monotonic()
            return
        try:
            reply = self.worker.call(Stage(*self._job(state)))
        except (Abandoned, WorkerCrashed):
            return  # the real build after the settle time sees to it
        if isinstance(reply, StagedReply):
            state.staged = snap

    def _build(self, state: CaseState, snap: Snapshot) -> None:
        case = display_path(state.name)
        self.emit("build_started", case, files=len(snap.files))
        request = Build(*self._job(state))
        staged, state.staged = state.staged, None
        reply: Reply | None = None
        try:
            if staged == snap:
                reply = self.worker.call(Commit(request.case_dir, request.today))
            if reply is None or isinstance(reply, NotStaged):  # nothing staged (any more)
                reply = self.worker.call(request)
        except Abandoned:
            state.due = None
            self.emit("abandoned", case)
            return
        except WorkerCrashed as exc:
            error = render("WATCH_CRASHED", self.cfg.lang, {"error": str(exc)})
            reply = Failure(int(ExitCode.INTERNAL), error)
        state.due = None
        state.told.clear()
        state.ready.intersection_update(snap.files)
        if isinstance(reply, BuildReply):
            state.done = snap
            self.emit("built", case, **reply.event_data())
            return
        if not isinstance(reply, Failure):  # pragma: no cover - the child answers a build so
            reply = Failure(int(ExitCode.INTERNAL), f"unexpected reply {reply!r}")
        code = reply.exit_code
        self.failures.append(code)
        self.emit("failed", case, exit_code=code, error=reply.error)
        if code == ExitCode.OUTPUT and not self.cfg.once:
            # The output side failed (disk full, permissions): try again later by itself.
            state.backoff = min(max(state.backoff * 2, self.cfg.max_backoff), 300.0)
            state.due = time.monotonic() + state.backoff
        else:
            state.done = snap  # wait for the user to change something


def up_to_date(case_dir: Path, out_root: Path) -> bool:
    """True when ``out_root/<case>/manifest.json`` was built from exactly these files.

    Compares the sha256 of every source (and of case.toml) with the manifest,
    checks the published files are all there, and that this version of
    packager wrote it. Anything unreadable counts as stale.
    """
    folder = out_root / display_path(case_dir.name)
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        if manifest.get("generated_by") != f"packager {__version__}":
            return False
        raw = (case_dir / CASE_FILE).read_bytes()
        if manifest.get("case_file_sha256") != hashlib.sha256(raw).hexdigest():
            return False
        for output in manifest["outputs"]:
            if (folder / output["path"]).stat().st_size != output["bytes"]:
                return False
        recorded = sorted((s["path"], s["sha256"] or "") for s in manifest["sources"])
        found = intake(case_dir)
    except Exception:  # noqa: BLE001 - a missing or odd manifest, a vanished folder: build it
        return False
    current = sorted(
        [(f.rel, f.sha256) for f in found.files] + [(s.rel, s.sha256 or "") for s in found.skipped]
    )
    return current == recorded


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
