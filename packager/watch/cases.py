"""One case's way from a change hint to a published bundle.

The loop owns the cases and their timers; when a case's timer fires it calls
``CaseMachine.look``, and while a case settles, ``CaseMachine.stage``. Every
input is explicit: the config, the build process (``Child``), and where to
report. The rules (shared/research/watcher-anchors.md):

- Events are hints. When the timer fires the folder itself is looked at
  (``readiness``): a build starts only when nothing changed for the settle
  time and every new or changed file opens; otherwise the case waits and
  looks again with back-off. Busy or locked files wait, never fail; a file
  that stays unchanged and unreadable is built after ``give_up`` (the report
  names it), since waiting will not change it.
- The settle time is not idle time. A quarter second after the last change
  the case is built early, into the child's memory, not into ``out/``; when
  the settle time is over and the folder is exactly as that build saw it
  (every file's size, mtime and inode), the staged bundle is published, else
  dropped and the case built afresh. A dropped photo then appears about one
  settle time after it was written, not a settle time plus a rebuild.
- One case's failure is reported and the others go on: a crashed child is a
  failed build of this case; an output-side failure (disk full) is retried by
  itself with back-off, any other waits for the user to change something.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Protocol, TypeVar

from packager.errors import ExitCode
from packager.messages import render
from packager.read.casefile import CASE_FILE
from packager.read.intake import display_path
from packager.watch.child import Abandoned, WorkerCrashed
from packager.watch.config import WatchConfig
from packager.watch.events import Reporter
from packager.watch.protocol import (
    Build,
    BuildReply,
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
from packager.watch.readiness import FileState, Readiness, Snapshot, Verdict, snapshot

JobT = TypeVar("JobT", Build, Stage)

# An early build starts this long after a case's last change (a copy in
# progress usually writes more often), and only when the settle time is long
# enough for it to pay off.
EARLY_QUIET = 0.25
EARLY_MIN_SETTLE = 1.0
# Early builds are for "one more photo" into a built case. A bulk copy (more
# changed files than this, or a case never built) is left to settle: an early
# build of it would only hold the loop while more files arrive.
EARLY_MAX_CHANGES = 4


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
    staged: Snapshot | None = None  # the snapshot the child's staged bundle was built from

    def hint(self, at: float, settle: float) -> None:
        """A change was hinted at ``at``: look again one settle time after it."""
        self.due = at + settle
        self.backoff = 0.0
        self.hinted, self.early_tried = at, False


class Child(Protocol):
    """The build process as the case machine sees it (``child.Worker``)."""

    def call(self, request: Request) -> Reply:
        """Send one request and wait for its reply; raises ``Abandoned`` or ``WorkerCrashed``."""
        ...


class CaseMachine:
    """Looks at one case when its timer fires: probe, stage early, build or commit, back off."""

    def __init__(
        self, config: WatchConfig, child: Child, report: Reporter, *, inbox: Path, out: Path
    ) -> None:
        self.cfg = config
        self.child = child
        self.report = report
        self.inbox = inbox
        self.out = out
        self.failures: list[int] = []  # exit codes, in order; ``--once`` exits with the first

    def early_candidates(self, pending: list[CaseState]) -> list[CaseState]:
        """Cases waiting out their settle time that may be built early meanwhile."""
        if not self.cfg.early or self.cfg.once or self.cfg.settle < EARLY_MIN_SETTLE:
            return []
        return [s for s in pending if s.hinted is not None and not s.early_tried]

    @staticmethod
    def early_at(state: CaseState) -> float:
        """When an early build of this candidate may start: a little after its last change."""
        return (state.hinted or 0.0) + EARLY_QUIET

    def look(self, state: CaseState) -> bool:
        """The timer fired: build if the case settled and opens, else decide when to look again.

        False when the case folder is gone (the loop forgets the case, or notes
        a missing inbox).
        """
        settle = self.cfg.settle
        snap = snapshot(self.inbox / state.name)
        now = time.monotonic()
        if snap is None:
            state.due = None
            return False
        if snap == state.done:
            state.due, state.seen, state.stuck_since = None, None, None
            return True  # only attributes changed, or our own reads: nothing to build
        age = time.time() - snap.newest_mtime_ns / 1e9
        steady = snap == state.seen and now - state.seen_at >= settle
        if not steady and not age >= settle:
            if snap != state.seen:
                state.seen, state.seen_at = snap, now
            wait = settle - age if 0 <= age < settle else settle
            state.due = now + max(wait, 0.02)
            return True
        if self._files_open(state, snap, now):
            state.stuck_since, state.backoff, state.seen = None, 0.0, None
            self._build(state, snap)
        return True

    def _files_open(self, state: CaseState, snap: Snapshot, now: float) -> bool:
        """Probe new or changed files in the child; False (and a later look) if any is not ready."""
        todo = [f for f in snap.files if f.regular and f.rel != CASE_FILE and f not in state.ready]
        if not todo:
            return True
        paths = tuple(self.inbox / state.name / f.rel for f in todo)
        try:
            reply = self.child.call(
                Probe(paths, self.inbox / state.name, self.cfg.lang, self.cfg.ocr, self.cfg.clean)
            )
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
                self.report("not_ready", display_path(state.name), file=display_path(file.rel))
                self.failures.append(int(ExitCode.INPUT))
                state.due, state.done = None, snap
                return False
        state.backoff = min(max(state.backoff * 2, self.cfg.settle, 0.5), self.cfg.max_backoff)
        state.due = now + state.backoff
        for file, status, detail in waiting:
            if file not in state.told:
                state.told.add(file)
                self.report(
                    "waiting",
                    display_path(state.name),
                    file=display_path(file.rel),
                    reason=status.value,
                    detail=detail,
                    retry=round(state.backoff, 1),
                )
        return False

    def stage(self, state: CaseState) -> None:
        """Build the case early, while its settle time runs; the child keeps it unpublished.

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
            reply = self.child.call(self._job(Stage, state))
        except (Abandoned, WorkerCrashed):
            return  # the real build after the settle time sees to it
        if isinstance(reply, StagedReply):
            state.staged = snap

    def _job(self, kind: type[JobT], state: CaseState) -> JobT:
        """A ``Build`` or ``Stage`` of ``state``'s case, made with this watcher's settings today."""
        return kind(
            self.inbox / state.name,
            self.out,
            self.cfg.lang,
            date.today(),
            self.cfg.ocr,
            self.cfg.clean,
        )

    def _build(self, state: CaseState, snap: Snapshot) -> None:
        """Publish the staged bundle if it saw exactly ``snap``, else build; report either way."""
        case = display_path(state.name)
        self.report("build_started", case, files=len(snap.files))
        request = self._job(Build, state)
        staged, state.staged = state.staged, None
        reply: Reply | None = None
        try:
            if staged == snap:
                reply = self.child.call(Commit(request.case_dir, request.today))
            if reply is None or isinstance(reply, NotStaged):  # nothing staged (any more)
                reply = self.child.call(request)
        except Abandoned:
            state.due = None
            self.report("abandoned", case)
            return
        except WorkerCrashed as exc:
            error = render("WATCH_CRASHED", self.cfg.lang, {"error": str(exc)})
            reply = Failure(int(ExitCode.INTERNAL), error)
        state.due = None
        state.told.clear()
        state.ready.intersection_update(snap.files)
        if isinstance(reply, BuildReply):
            state.done = snap
            self.report("built", case, **reply.event_data())
            return
        if not isinstance(reply, Failure):  # pragma: no cover - the child answers a build so
            reply = Failure(int(ExitCode.INTERNAL), f"unexpected reply {reply!r}")
        code = reply.exit_code
        self.failures.append(code)
        self.report("failed", case, exit_code=code, error=reply.error)
        if code == ExitCode.OUTPUT and not self.cfg.once:
            # The output side failed (disk full, permissions): try again later by itself.
            state.backoff = min(max(state.backoff * 2, self.cfg.max_backoff), 300.0)
            state.due = time.monotonic() + state.backoff
        else:
            state.done = snap  # wait for the user to change something
