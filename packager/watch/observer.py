"""Where change hints come from: a small interface of ours, watchdog behind it.

Both Paperless-ngx and OCRmyPDF swapped their watch library in 2026; keeping
watchdog behind ``ChangeSource`` means a swap touches this module only. A
source reports *which case* may have changed, never what changed: the watcher
decides by looking at the folder itself. The handler never raises (a raising
handler silently kills watchdog's dispatch thread), and ``alive()`` lets the
``Supervisor`` notice a dead observer and start a new one.

The ``Supervisor`` keeps one source running: polling on network and FUSE file
systems, where events never come, and when the OS refuses native events
(inotify limits); a new source when the old one died or the inbox was
replaced (a share unmounted and mounted again); a note, once, while the inbox
is missing. After any restart the loop rescans, since events were lost.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from watchdog.events import (
    DirCreatedEvent,
    DirDeletedEvent,
    DirModifiedEvent,
    DirMovedEvent,
    FileClosedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver
from watchdog.observers.polling import PollingObserver

from packager.read.holidays import HOLIDAYS_FILE
from packager.read.intake import JUNK_DIRS, is_junk
from packager.watch.events import Reporter

# The hint for "every case": the inbox's holidays.toml changed (review windows move).
EVERY_CASE = ""

# Opened, closed-without-writing and attribute events are left out on purpose:
# the build itself reads every file, and those would re-arm the timer forever.
EVENTS: list[type[FileSystemEvent]] = [
    FileCreatedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileDeletedEvent,
    FileClosedEvent,
    DirCreatedEvent,
    DirModifiedEvent,
    DirMovedEvent,
    DirDeletedEvent,
]
NETWORK_FS = ("nfs", "nfs4", "cifs", "smb", "smb2", "smb3", "smbfs", "9p", "vboxsf", "afpfs")
POLL_INTERVAL = 1.0

Notify = Callable[[str], None]
OnError = Callable[[BaseException], None]


class ChangeSource(Protocol):
    """Reports case names that may have changed; knows whether it is still running."""

    mode: str

    def start(self) -> None:
        """Begin watching; raise OSError when the platform refuses (limits, missing folder)."""

    def stop(self) -> None:
        """Stop watching and release the OS resources."""

    def alive(self) -> bool:
        """False once the source has died and needs replacing."""


class SourceFactory(Protocol):
    """Makes a ``ChangeSource`` (``WatchdogSource`` or a test's stand-in)."""

    def __call__(
        self, inbox: Path, notify: Notify, on_error: OnError, *, polling: bool
    ) -> ChangeSource:
        """A source for ``inbox``, not yet started."""
        ...


def case_of(inbox: str, path: str) -> str | None:
    """The case a changed path belongs to, or None when the change cannot matter.

    Hidden and junk names (``.DS_Store``, ``*.part``, ``@eaDir`` …) never
    matter, nor do loose files directly in the inbox (README and the like).
    """
    rel = os.path.relpath(path, inbox)
    if rel == "." or rel.startswith(".." + os.sep) or rel == "..":
        return None
    parts = Path(rel).parts
    if any(is_junk(p) or p in JUNK_DIRS for p in parts):
        return None
    return parts[0]


class _Handler(FileSystemEventHandler):
    def __init__(self, inbox: str, notify: Notify, on_error: OnError):
        self.inbox = inbox
        self.notify = notify
        self.on_error = on_error

    def dispatch(self, event: FileSystemEvent) -> None:
        try:
            for raw in (event.src_path, event.dest_path):
                if not raw:
                    continue
                path = os.fsdecode(raw)
                case = case_of(self.inbox, path)
                if case is None:
                    continue
                if case == os.path.relpath(path, self.inbox) and not event.is_directory:
                    if case == HOLIDAYS_FILE:
                        self.notify(EVERY_CASE)
                    continue  # a loose file in the inbox itself is not a case
                self.notify(case)
        except Exception as exc:  # noqa: BLE001 - an exception here would kill watchdog's thread
            self.on_error(exc)


class WatchdogSource:
    """watchdog's native observer (inotify, FSEvents …) or its polling observer."""

    def __init__(
        self,
        inbox: Path,
        notify: Notify,
        on_error: OnError,
        polling: bool = False,
    ) -> None:
        self.inbox = str(inbox)
        self.polling = polling
        self.mode = "polling" if polling else "native"
        self._handler = _Handler(self.inbox, notify, on_error)
        self._observer: BaseObserver | None = None

    def start(self) -> None:
        """Schedule a recursive watch on the inbox and start the observer thread."""
        observer: BaseObserver = (
            PollingObserver(timeout=POLL_INTERVAL) if self.polling else Observer()
        )
        observer.schedule(self._handler, self.inbox, recursive=True, event_filter=EVENTS)
        observer.daemon = True
        try:
            observer.start()
        except BaseException:
            _stop(observer)
            raise
        self._observer = observer

    def stop(self) -> None:
        """Stop the observer; bounded wait, since it may be stuck on a dead share."""
        if self._observer is not None:
            _stop(self._observer)
            self._observer = None

    def alive(self) -> bool:
        """The observer thread and every emitter thread are still running."""
        observer = self._observer
        if observer is None or not observer.is_alive():
            return False
        return all(emitter.is_alive() for emitter in tuple(observer.emitters))


def _stop(observer: BaseObserver) -> None:
    try:
        observer.stop()
        if observer.is_alive():
            observer.join(timeout=3)
    except RuntimeError:
        pass


def mount_type(path: Path, mounts: Path = Path("/proc/mounts")) -> str | None:
    """The file-system type ``path`` lives on, from the mount table; None when unknown."""
    try:
        table = mounts.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    target = os.path.realpath(path)
    best, best_type = "", None
    for line in table.splitlines():
        fields = line.split()
        if len(fields) < 3:
            continue
        point = _unescape(fields[1])
        inside = target == point or target.startswith(point.rstrip("/") + "/")
        if inside and len(point) >= len(best):
            best, best_type = point, fields[2]
    return best_type


def needs_polling(fstype: str | None) -> bool:
    """True for network and FUSE file systems, where change events do not arrive."""
    if fstype is None:
        return False
    return fstype in NETWORK_FS or fstype == "fuse" or fstype.startswith("fuse.")


def _unescape(field: str) -> str:
    """/proc/mounts writes space, tab, newline and backslash as octal escapes."""
    for code, char in (("\\040", " "), ("\\011", "\t"), ("\\012", "\n"), ("\\134", "\\")):
        field = field.replace(code, char)
    return field


class Supervisor:
    """Keeps one change source running on the inbox; the loop calls ``check`` every second."""

    def __init__(
        self,
        inbox: Path,
        notify: Notify,
        report: Reporter,
        *,
        polling: bool = False,
        factory: SourceFactory = WatchdogSource,
        mount: Callable[[Path], str | None] = mount_type,
    ) -> None:
        self.inbox = inbox
        self.polling = polling
        self.source: ChangeSource | None = None
        self._notify = notify
        self._report = report
        self._factory = factory
        self._mount = mount
        self._rescan = False
        self._inbox_missing = False
        self._inbox_id: tuple[int, int] | None = None
        self._problem = ""

    def choose_mode(self) -> None:
        """Poll an inbox on a network or FUSE file system, where events never come."""
        if self.polling:
            return
        fstype = self._mount(self.inbox)
        if needs_polling(fstype):
            self.polling = True
            self._report("polling", inbox=str(self.inbox), fstype=fstype)

    def start(self) -> bool:
        """Start (or restart) the source; fall back to polling when the OS refuses events."""
        if self.source is not None:
            self.source.stop()
            self.source = None
        for attempt in range(2):
            source = self._factory(self.inbox, self._notify, self._error, polling=self.polling)
            try:
                source.start()
            except OSError as exc:
                if not self.inbox.is_dir():
                    self.note_inbox_missing()
                    return False
                if attempt == 0 and not self.polling:
                    self.polling = True
                    self._report("fallback", error=_os_text(exc), errno=exc.errno)
                    continue
                if _os_text(exc) != self._problem:  # once per problem, not per second
                    self._problem = _os_text(exc)
                    self._report("observer_restarted", error=self._problem)
                return False
            self.source = source
            self._inbox_missing = False
            self._problem = ""
            self._inbox_id = _identity(self.inbox)
            return True
        return False

    def check(self) -> None:
        """Restart a dead source, or one watching an inbox that was replaced."""
        if (
            self.source is not None
            and self.source.alive()
            and _identity(self.inbox) == self._inbox_id
        ):
            return
        was_running, was_missing = self.source is not None, self._inbox_missing
        if self.start():
            if was_running or was_missing:
                self._report("observer_restarted", error="observer stopped")
            self._rescan = True

    def stop(self) -> None:
        """Stop the source (its ``OSError`` is the caller's)."""
        source, self.source = self.source, None
        if source is not None:
            source.stop()

    def rescan_due(self) -> bool:
        """True once after a restart or a handler error: events may have been lost."""
        due, self._rescan = self._rescan, False
        return due

    def note_inbox_missing(self) -> None:
        """Report a missing inbox once, until a source runs on it again."""
        if not self._inbox_missing:
            self._inbox_missing = True
            self._report("inbox_missing", inbox=str(self.inbox))

    def _error(self, exc: BaseException) -> None:
        """Called on the observer's thread when the handler failed: rescan soon."""
        self._rescan = True


def _identity(path: Path) -> tuple[int, int] | None:
    """Device and inode: a replaced (remounted) inbox has another."""
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_dev, st.st_ino


def _os_text(exc: OSError) -> str:
    text = exc.strerror or str(exc)
    if exc.errno in (errno.ENOSPC, errno.EMFILE):
        text += " (sysctl fs.inotify.max_user_watches / fs.inotify.max_user_instances)"
    return text
