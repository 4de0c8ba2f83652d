"""Where change hints come from: a small interface of ours, watchdog behind it.

Both Paperless-ngx and OCRmyPDF swapped their watch library in 2026; keeping
watchdog behind ``ChangeSource`` means a swap touches this module only. A
source reports *which case* may have changed, never what changed: the watcher
decides by looking at the folder itself. The handler never raises (a raising
handler silently kills watchdog's dispatch thread), and ``alive()`` lets the
watcher notice a dead observer and start a new one.
"""

from __future__ import annotations

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

from packager.read.intake import JUNK_DIRS, is_junk

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


class ChangeSource(Protocol):
    """Reports case names that may have changed; knows whether it is still running."""

    mode: str

    def start(self) -> None:
        """Begin watching; raise OSError when the platform refuses (limits, missing folder)."""

    def stop(self) -> None:
        """Stop watching and release the OS resources."""

    def alive(self) -> bool:
        """False once the source has died and needs replacing."""


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
    def __init__(self, inbox: str, notify: Notify, on_error: Callable[[BaseException], None]):
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
        on_error: Callable[[BaseException], None],
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
