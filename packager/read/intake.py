"""Find every file in a case folder and identify it by content.

Read-only: nothing in the case folder is ever opened for writing. Symlinks are
never followed, special files (FIFOs, devices, sockets) are never opened, and
junk files are ignored quietly. Everything else that is not used gets a
finding naming the file, so nothing is silently dropped.
"""

from __future__ import annotations

import hashlib
import os
import stat
import unicodedata
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from fnmatch import fnmatch
from pathlib import Path
from typing import NamedTuple

from packager.errors import InputError
from packager.messages import both
from packager.models import (
    KIND_ORDER,
    Finding,
    MediaType,
    Severity,
    SkippedFile,
    SourceFile,
    Status,
)
from packager.privacy import mask_text
from packager.read.classify import kind_of, natural_key

JUNK_NAMES = (
    ".DS_Store",
    "._*",
    "Thumbs.db",
    "desktop.ini",
    "~$*",
    "*.tmp",
    "*.part",
    "*.crdownload",
    "*.download",
    ".~lock.*",
    "*.swp",
)
JUNK_DIRS = (
    "__MACOSX",
    "@eaDir",
    ".Trashes",
    ".Spotlight-V100",
    ".fseventsd",
    ".stfolder",
    "$RECYCLE.BIN",
    "System Volume Information",
)
# Files packager itself puts into a case folder (init); they are not evidence.
OWN_FILES = ("case.toml", "使用说明.txt", "README.txt", "README.md")
# Folders deeper than this are not entered (and reported): real cases use two
# or three levels; this bounds the walk on hostile or looping trees.
MAX_DEPTH = 16
# Reading and hashing files runs on this many threads (hashlib releases the GIL).
HASH_THREADS = 2
# Extensions that name a type; a file whose content is another type is used
# by its content and reported (info) so the user is not puzzled.
EXTENSIONS: dict[str, MediaType] = {
    ".jpg": MediaType.JPEG,
    ".jpeg": MediaType.JPEG,
    ".jpe": MediaType.JPEG,
    ".jfif": MediaType.JPEG,
    ".png": MediaType.PNG,
    ".tif": MediaType.TIFF,
    ".tiff": MediaType.TIFF,
    ".gif": MediaType.GIF,
    ".bmp": MediaType.BMP,
    ".webp": MediaType.WEBP,
    ".heic": MediaType.HEIF,
    ".heif": MediaType.HEIF,
    ".hif": MediaType.HEIF,
    ".avif": MediaType.HEIF,
    ".pdf": MediaType.PDF,
}
TYPE_NAMES: dict[MediaType, str] = {
    MediaType.JPEG: "JPEG",
    MediaType.PNG: "PNG",
    MediaType.TIFF: "TIFF",
    MediaType.GIF: "GIF",
    MediaType.BMP: "BMP",
    MediaType.WEBP: "WebP",
    MediaType.HEIF: "HEIC/HEIF",
    MediaType.PDF: "PDF",
}


@dataclass(frozen=True, slots=True)
class Intake:
    """What intake found: usable files, files set aside, and why."""

    files: tuple[SourceFile, ...]
    skipped: tuple[SkippedFile, ...]
    findings: tuple[Finding, ...]


def display_path(rel: str) -> str:
    """A path safe to print, log and publish: valid UTF-8, no control characters, masked."""
    text = rel.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    text = "".join("�" if unicodedata.category(ch) == "Cc" else ch for ch in text)
    return mask_text(unicodedata.normalize("NFC", text))


def is_junk(name: str) -> bool:
    """True for OS and download leftovers that are never evidence."""
    return name.startswith(".") or any(fnmatch(name, pattern) for pattern in JUNK_NAMES)


def sniff(head: bytes) -> MediaType:
    """Identify a file from its first bytes; the extension is never trusted."""
    if head.startswith(b"\xff\xd8\xff"):
        return MediaType.JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return MediaType.PNG
    if b"%PDF-" in head[:1024]:
        return MediaType.PDF
    # Classic TIFF and BigTIFF (64-bit offsets, written by scanners for large files).
    if head[:4] in (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+"):
        return MediaType.TIFF
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return MediaType.GIF
    if head.startswith(b"BM"):
        return MediaType.BMP
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return MediaType.WEBP
    if head[4:8] == b"ftyp" and head[8:12] in (
        b"heic",
        b"heix",
        b"hevc",
        b"hevx",
        b"mif1",
        b"msf1",
        b"heim",
        b"heis",
        b"avif",
    ):
        return MediaType.HEIF
    return MediaType.UNKNOWN


def intake(case_dir: Path) -> Intake:
    """List the case folder's evidence files, in no particular order."""
    if not case_dir.is_dir():
        raise InputError(both("NOT_A_FOLDER", folder=case_dir))
    files: list[SourceFile] = []
    skipped: list[SkippedFile] = []
    findings: list[Finding] = []
    kept: list[SourceFile] = []

    def skip(rel: str, code: str, status: Status, sha: str | None = None, **params: str) -> None:
        shown = display_path(rel)
        skipped.append(SkippedFile(rel=shown, sha256=sha, status=status))
        severity = Severity.WARNING if status is Status.FAILED else Severity.INFO
        findings.append(Finding(code, severity, file=shown, params=params))

    def folder_problem(rel: str, code: str, **params: str) -> None:
        # A folder whose files were not read: a warning, never silence.
        shown = display_path(rel) + "/"
        skipped.append(SkippedFile(rel=shown, sha256=None, status=Status.SKIPPED))
        findings.append(Finding(code, Severity.WARNING, file=shown, params=params))

    # Files are stat-ed in walk order, then read and hashed on two threads
    # (file reads and hashlib release the GIL), then judged in walk order again.
    listed: list[_Listed] = []
    for entry, rel in _walk(case_dir, folder_problem):
        try:
            st = entry.stat(follow_symlinks=False)
        except OSError as exc:
            listed.append(_Listed(rel, problem="UNREADABLE_FILE", error=exc.strerror or str(exc)))
            continue
        if stat.S_ISLNK(st.st_mode):
            listed.append(_Listed(rel, problem="SYMLINK"))
        elif not stat.S_ISREG(st.st_mode):
            listed.append(_Listed(rel, problem="SPECIAL_FILE"))
        elif st.st_size == 0:
            listed.append(_Listed(rel, problem="EMPTY_FILE"))
        else:
            listed.append(_Listed(rel, Path(entry.path), st.st_size))
    with ThreadPoolExecutor(max_workers=HASH_THREADS) as pool:
        hashed = list(pool.map(_head_and_hash_or_error, [i.path for i in listed if i.path]))
    results = iter(hashed)
    for item in listed:
        rel, path = item.rel, item.path
        if path is None:
            status = (
                Status.SKIPPED if item.problem in ("SYMLINK", "SPECIAL_FILE") else Status.FAILED
            )
            skip(rel, item.problem, status, **({"error": item.error} if item.error else {}))
            continue
        result = next(results)
        if isinstance(result, OSError):
            skip(rel, "UNREADABLE_FILE", Status.FAILED, error=result.strerror or str(result))
            continue
        head, sha = result
        media = sniff(head)
        if media is MediaType.UNKNOWN:
            skip(rel, "UNSUPPORTED_FILE", Status.SKIPPED, sha=sha)
            continue
        kept.append(
            SourceFile(path=path, rel=display_path(rel), sha256=sha, size=item.size, media=media)
        )
    for source in _one_of_each(kept, skip, findings):
        claimed = EXTENSIONS.get(source.path.suffix.lower())
        if claimed is not None and claimed is not source.media:
            findings.append(
                Finding(
                    "EXTENSION_MISMATCH",
                    Severity.INFO,
                    file=source.rel,
                    params={"actual": TYPE_NAMES[source.media]},
                )
            )
        files.append(source)
    # A duplicate left out is a recognised file: the report shows its thumbnail.
    dropped = {s.rel: s for s in kept if not any(s is f for f in files)}
    skipped = [
        replace(s, path=dropped[s.rel].path, media=dropped[s.rel].media)
        if s.rel in dropped and s.path is None
        else s
        for s in skipped
    ]
    return Intake(tuple(files), tuple(skipped), tuple(findings))


def _rank(source: SourceFile) -> tuple[int, int, tuple[tuple[int, int | str], ...]]:
    """Which identical copy to keep: one a folder sorts, then a keyword, then packet order."""
    decided = kind_of(source.rel)
    if decided is None:
        return (2, len(KIND_ORDER), natural_key(source.rel))
    kind, rule = decided
    return (0 if rule.startswith("folder:") else 1, KIND_ORDER.index(kind), natural_key(source.rel))


def _one_of_each(
    kept: list[SourceFile], skip: Callable[..., None], findings: list[Finding]
) -> list[SourceFile]:
    """Drop all but the best-sorted copy of identical files, in walk order.

    When the copies sit in two different kinds, the document cannot be both:
    a warning names them, so the person moves the copy that is wrong.
    """
    best: dict[str, SourceFile] = {}
    for source in kept:
        if source.sha256 not in best or _rank(source) < _rank(best[source.sha256]):
            best[source.sha256] = source
    chosen: list[SourceFile] = []
    for source in kept:
        winner = best[source.sha256]
        if winner is source:
            chosen.append(source)
            continue
        skip(source.rel, "DUPLICATE", Status.SKIPPED, sha=source.sha256, other=winner.rel)
        mine, theirs = kind_of(source.rel), kind_of(winner.rel)
        if mine is not None and theirs is not None and mine[0] is not theirs[0]:
            findings.append(
                Finding(
                    "DUPLICATE_KINDS",
                    Severity.WARNING,
                    file=source.rel,
                    params={
                        "other": winner.rel,
                        "copy_kind": mine[0].value,
                        "kept_kind": theirs[0].value,
                    },
                )
            )
    return chosen


class _Listed(NamedTuple):
    """One entry of the case folder before it is read: a regular file, or why not."""

    rel: str
    path: Path | None = None
    size: int = 0
    problem: str = ""
    error: str = ""


def walk(case_dir: Path) -> Iterator[tuple[os.DirEntry[str], str]]:
    """Every entry intake looks at, with its relative path (the watcher fingerprints these)."""
    return _walk(case_dir, lambda *_args, **_params: None)


def _walk(root: Path, problem: Callable[..., None]) -> Iterator[tuple[os.DirEntry[str], str]]:
    """Yield (entry, relative path) for every non-junk entry, never following links.

    Entries come in sorted order so duplicates resolve the same way every run.
    Folders that cannot be opened or are too deep are passed to ``problem``.
    """
    stack: list[tuple[str, str, int]] = [(str(root), "", 0)]
    while stack:
        folder, prefix, depth = stack.pop()
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            if prefix:
                problem(prefix.rstrip("/"), "UNREADABLE_FOLDER", error=exc.strerror or str(exc))
            continue
        subdirs = []
        for entry in entries:
            rel = f"{prefix}{entry.name}"
            if depth == 0 and entry.name in OWN_FILES:
                continue
            if is_junk(entry.name) or entry.name in JUNK_DIRS:
                continue
            if entry.is_dir(follow_symlinks=False):
                if depth + 1 < MAX_DEPTH:
                    subdirs.append((entry.path, f"{rel}/", depth + 1))
                else:
                    problem(rel, "TOO_DEEP", depth=str(MAX_DEPTH))
                continue
            yield entry, rel
        stack.extend(reversed(subdirs))


def _head_and_hash_or_error(path: Path) -> tuple[bytes, str] | OSError:
    try:
        return _head_and_hash(path)
    except OSError as exc:
        return exc


def _head_and_hash(path: Path) -> tuple[bytes, str]:
    # O_NONBLOCK: a file swapped for a FIFO between stat and open must not hang us.
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0))
    with os.fdopen(fd, "rb") as fh:
        head = fh.read(1024)
        digest = hashlib.sha256(head)
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return head, digest.hexdigest()
