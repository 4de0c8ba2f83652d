"""Has a case folder settled, and do its files open? Read-only checks for the watcher.

File-system events only say "look again"; this module decides. A snapshot is
the stat of every file intake would read, plus case.toml: path, size, mtime
and inode. Nobody is writing when two equal snapshots lie a settle time apart,
or when the newest mtime is older than the settle time. Then each new or
changed file is opened the way the build opens it (the image decoded, the PDF
parsed): a file still being written fails that and is "incomplete", and a
locked or busy one (EBUSY, EACCES …, common on SMB shares) is "busy". Neither
is ever a failure; the watcher tries again later.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from packager.cache.pages import PageCache
from packager.models import MediaType, SourceFile
from packager.read.casefile import CASE_FILE
from packager.read.intake import display_path, sniff, walk
from packager.read.pages import Read, ReadJob, read
from packager.sources import strict_images

# Errors that mean "someone else has the file right now", not "the file is bad".
BUSY_ERRNOS = frozenset(
    {errno.EBUSY, errno.EACCES, errno.EAGAIN, errno.ETXTBSY, errno.EPERM, errno.ENOLCK}
)
# Normalize verdicts that will not change by waiting: the build reports them.
DEFINITE = frozenset({"ENCRYPTED_PDF", "IMAGE_TOO_LARGE", "EMPTY_PDF"})


@dataclass(frozen=True, slots=True, order=True)
class FileState:
    """What stat says about one file; any change in it is a change in the case."""

    rel: str
    size: int
    mtime_ns: int
    inode: int
    regular: bool


@dataclass(frozen=True, slots=True)
class Snapshot:
    """Every file of a case at one moment, in path order."""

    files: tuple[FileState, ...]

    @property
    def newest_mtime_ns(self) -> int:
        """The most recent modification time (0 for an empty case)."""
        return max((f.mtime_ns for f in self.files), default=0)


def snapshot(case_dir: Path) -> Snapshot | None:
    """Stat the case's files without opening them; None when the case folder is gone."""
    try:
        if not stat.S_ISDIR(case_dir.lstat().st_mode):
            return None
    except OSError:
        return None
    files: list[FileState] = []
    try:
        st = (case_dir / CASE_FILE).lstat()
        files.append(_state(CASE_FILE, st))
    except OSError:
        pass
    for entry, rel in walk(case_dir):
        try:
            files.append(_state(rel, entry.stat(follow_symlinks=False)))
        except OSError:
            files.append(FileState(rel, -1, -1, -1, False))
    return Snapshot(tuple(sorted(files)))


def _state(rel: str, st: os.stat_result) -> FileState:
    return FileState(rel, st.st_size, st.st_mtime_ns, st.st_ino, stat.S_ISREG(st.st_mode))


class Readiness(StrEnum):
    """What a probe found; only READY lets a build start."""

    READY = "ready"
    BUSY = "busy"
    INCOMPLETE = "incomplete"
    GONE = "gone"


@dataclass(frozen=True, slots=True)
class Verdict:
    """A probe's verdict on one file, with a short reason for the status line."""

    status: Readiness
    detail: str = ""


def probe(path: Path, cache: PageCache | None = None) -> Verdict:
    """Open ``path`` as the build will; never raises for anything about the file.

    With a cache, the pages made here are stored. The watcher's child reads
    with the build's own settings instead (``opened``, then ``api.read_ahead``,
    then ``judged``), so the build that follows finds every page read.
    """
    found = opened(path)
    if isinstance(found, Verdict):
        return found
    with strict_images():
        job = ReadJob(found)
        return judged(cache.read(job) if cache is not None else read(job))


def opened(path: Path) -> Verdict | SourceFile:
    """The verdict a file earns without decoding it, or the source to decode.

    Gone, busy, empty, a PDF without its end yet: a verdict. A file intake
    will report (a special file, an unknown format): ready. Else the file as
    intake would list it, hashed, for a read to judge (``judged``).
    """
    try:
        fd = os.open(
            path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)
        )
    except FileNotFoundError:
        return Verdict(Readiness.GONE)
    except OSError as exc:
        return _os_error(exc)
    try:
        with os.fdopen(fd, "rb") as fh:
            st = os.fstat(fh.fileno())
            if not stat.S_ISREG(st.st_mode):
                return Verdict(Readiness.READY)  # intake reports special files
            if st.st_size == 0:
                return Verdict(Readiness.INCOMPLETE, "0 bytes")
            head = fh.read(1024)
            digest = hashlib.sha256(head)
            tail = head
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
                tail = (tail + chunk)[-1024:]
    except OSError as exc:
        return _os_error(exc)
    media = sniff(head)
    if media is MediaType.UNKNOWN:
        return Verdict(Readiness.READY)  # intake reports unsupported files
    if media is MediaType.PDF and b"%%EOF" not in tail[-1024:]:
        return Verdict(Readiness.INCOMPLETE, "no %%EOF yet")
    return SourceFile(path, display_path(path.name), digest.hexdigest(), st.st_size, media)


def judged(result: Read) -> Verdict:
    """A read's verdict: a refusal that waiting may cure (a file still being written) waits."""
    if result.refused is not None:
        code, params = result.refused
        if code in DEFINITE:
            return Verdict(Readiness.READY)
        return Verdict(Readiness.INCOMPLETE, str(params.get("error", code)))
    return Verdict(Readiness.READY)


def _os_error(exc: OSError) -> Verdict:
    if exc.errno in BUSY_ERRNOS:
        return Verdict(Readiness.BUSY, exc.strerror or str(exc))
    if exc.errno == errno.ELOOP:
        return Verdict(Readiness.READY)  # a symlink: intake skips it with a finding
    return Verdict(Readiness.INCOMPLETE, exc.strerror or str(exc))
