"""What reading learned of each source file, cached on disk by content hash.

A page is read once. Rebuilding a 40-photo case because one photo was added,
or because case.toml was edited, or checking it after a build, should cost
that photo (or nothing), not forty decodes, clean-ups and recognitions. Every
entry point (``build``, ``check``, ``watch``, ``serve``) opens the same store,
``OUT/.cache/`` (outside every published case folder, owner-only): entries
under ``pages/``, one file per source content hash and the settings that
shaped its read (OCR engine and models, clean-up, a [[file]] turn, a PDF's
password), the cleaned photos under ``clean/``. ``reread`` ignores what is
stored (``--reread``) and replaces it with fresh reads.

An entry is our own binary format, never pickle (``cache.entry``). Any
entry that fails its checksum or type checks is deleted and rebuilt, so a
torn write or a flipped bit costs one re-normalize, never a wrong page. Pages are lazy (the packet reads or re-encodes the source while it
is written, checking its hash), so an entry stores what reading learned about
the file (its pages and each page's quality inspection: a few numbers and a
128-px thumbnail), never a copy of the photo. A hit therefore costs no decode
and no quality check.

PDF sources are cached too: their pages are references into the file, but
checking them (qpdf, a dry-run merge) and reading their text (a text layer,
or OCR of a scan saved as PDF) is not free.
"""

from __future__ import annotations

import ast
import contextlib
import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TypeVar

import PIL

from packager.cache.entry import MAGIC, Corrupt, decode_read, encode_read
from packager.cache.files import prune_oldest, write_atomically
from packager.cache.ladder import decode_ladder, encode_ladder
from packager.image.ocr import version as ocr_version
from packager.image.reencode import Ladder, ShrinkJob
from packager.image.vision import version as vision_version
from packager.models import SourceFile
from packager.pdf import cjkfont
from packager.read.clean import prune as prune_clean
from packager.read.pages import Read, ReadJob, read

SUFFIX = ".page"
LADDER_SUFFIX = ".ladder"
T = TypeVar("T")
DEFAULT_MAX_BYTES = 1 << 30
# The cache's folder under OUT (as the watcher's), and its store of cleaned photos.
CACHE_DIR = ".cache"
CLEAN_DIR = "clean"


# What makes a cache entry: reading a source (``read.pages.read``), the ladders
# (``reencode``) and this module's own format. Every packager module these
# import, directly or not, shapes an entry, so all of them are hashed.
PACKAGE_ROOT = Path(__file__).parent.parent  # packager/, above this cache/ package
ENTRY_MAKERS = ("packager.read.pages", "packager.image.reencode", "packager.cache.pages")


def _module_file(module: str) -> Path | None:
    """The source file of a packager module (a package's ``__init__.py``), if it is one."""
    base = PACKAGE_ROOT.joinpath(*module.split(".")[1:])
    for path in (base.with_suffix(".py"), base / "__init__.py"):
        if path.is_file():
            return path
    return None


def _imports(module: str) -> set[str]:
    """The packager modules ``module`` imports (anywhere in its code, typing-only too)."""
    path = _module_file(module)
    if path is None:
        return set()
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_bytes())):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module.split(".")[0] == "packager":
                # ``from packager.read import pages`` names a module, not the package.
                names = [f"{node.module}.{alias.name}" for alias in node.names]
                modules = [n for n in names if _module_file(n) is not None]
                found.update(modules)
                if len(modules) < len(names) and node.module != "packager":
                    found.add(node.module)  # the facade only names the public API, lazily
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == "packager")
    return found


def entry_modules() -> list[str]:
    """Every packager module whose code shapes a cache entry, by following imports."""
    seen: set[str] = set()
    todo = list(ENTRY_MAKERS)
    while todo:
        module = todo.pop()
        if module not in seen:
            seen.add(module)
            todo.extend(_imports(module) - seen)
    return sorted(seen)


@cache
def code_fingerprint() -> str:
    """Changes whenever the code that makes pages changes, so stale entries are never used."""
    digest = hashlib.sha256(MAGIC)
    for module in entry_modules():
        path = _module_file(module)
        if path is not None:
            digest.update(module.encode())
            digest.update(path.read_bytes())
    digest.update(PIL.__version__.encode())
    digest.update(cjkfont.identity().encode())  # form values are drawn with it
    try:
        import pillow_heif

        digest.update(str(pillow_heif.__version__).encode())
    except ImportError:  # pragma: no cover - pillow-heif is a declared dependency
        pass
    return digest.hexdigest()


@dataclass(slots=True)
class CacheStats:
    """What the cache did during one process's life (for tests and the benchmark)."""

    hits: int = 0
    misses: int = 0
    rejected: int = 0


class PageCache:
    """Get-or-read with a content-addressed store under ``root``."""

    def __init__(
        self, root: Path, max_bytes: int = DEFAULT_MAX_BYTES, reread: bool = False
    ) -> None:
        self.root = root
        self.pages_dir = root / "pages"
        self.max_bytes = max_bytes
        # Serve nothing, store every fresh read: the person asked to read everything again.
        self.reread = reread
        self.stats = CacheStats()

    @property
    def clean_dir(self) -> Path:
        """The store of cleaned photos (``read.clean``), beside the entries that name them."""
        return self.root / CLEAN_DIR

    def get(
        self,
        source: SourceFile,
        ocr: bool = False,
        clean: Path | None = None,
        rotate: int = 0,
        password: str | None = None,
    ) -> Read | None:
        """The cached read of ``source`` (without re-encodings; with its text if ``ocr``), or None.

        ``clean`` is the store a cleaning read kept its images in: an entry
        naming a cleaned image that is gone or damaged there is a miss.
        """
        if self.reread:
            return None
        path = self.entry_path(source, ocr, clean is not None, rotate, password)
        cached = self._read(path, lambda blob: decode_read(blob, source, clean, password))
        if cached is not None:
            self.stats.hits += 1
        return cached

    def get_job(self, job: ReadJob) -> Read | None:
        """``get`` for what a ``ReadJob`` asks."""
        return self.get(job.source, job.ocr, job.clean, job.rotate, job.password)

    def put_job(self, job: ReadJob, result: Read, before: os.stat_result | None) -> None:
        """``put`` for what a ``ReadJob`` asked."""
        self.put(job.source, result, before, job.ocr, job.clean, job.rotate, job.password)

    def put(
        self,
        source: SourceFile,
        result: Read,
        before: os.stat_result | None,
        ocr: bool = False,
        clean: Path | None = None,
        rotate: int = 0,
        password: str | None = None,
    ) -> None:
        """Keep a fresh read (and its re-encodings) if it was made from the hashed content.

        ``before`` is the file's stat from before it was read.
        """
        self.stats.misses += 1
        with contextlib.suppress(OSError):
            for job, ladder in result.ladders:
                self.store_ladder(job, ladder)
            if result.refused is None and before is not None and _made_from(source, before):
                self._write(
                    self.entry_path(source, ocr, clean is not None, rotate, password),
                    encode_read(source, result),
                )

    def read(self, job: ReadJob) -> Read:
        """Same contract as ``reading.read``, served from the cache when possible (inline)."""
        cached = self.get_job(job)
        if cached is not None:
            return cached
        try:
            before: os.stat_result | None = job.source.path.stat()
        except OSError:
            before = None
        result = read(job)
        self.put_job(job, result, before)
        return result

    def entry_path(
        self,
        source: SourceFile,
        ocr: bool = False,
        clean: bool = False,
        rotate: int = 0,
        password: str | None = None,
    ) -> Path:
        """Where the entry for this source's content lives (OCR, cleaning, [[file]] turn)."""
        engine = f"|{ocr_version()}" if ocr else ""
        engine += f"|clean {vision_version()}" if clean else ""
        engine += f"|rotate {rotate}" if rotate else ""
        if password is not None:  # an encrypted PDF's pages open with it (the key is a hash)
            engine += f"|password {hashlib.sha256(password.encode()).hexdigest()}"
        key = hashlib.sha256(
            f"{code_fingerprint()}|{source.media.value}|{source.sha256}{engine}".encode()
        ).hexdigest()
        return self.pages_dir / f"{key}{SUFFIX}"

    def prune(self) -> int:
        """Delete least recently used entries beyond ``max_bytes`` (and cleaned photos)."""
        return self._prune() + prune_clean(self.clean_dir, self.max_bytes)

    def _prune(self) -> int:
        return prune_oldest(self.pages_dir, (SUFFIX, LADDER_SUFFIX), self.max_bytes)

    # -- storage ---------------------------------------------------------------

    def _read(self, path: Path, decode: Callable[[bytes], T]) -> T | None:
        """Decode one entry; a damaged one is counted, deleted and reported as a miss."""
        try:
            blob = path.read_bytes()
        except OSError:
            return None
        try:
            value = decode(blob)
        except (Corrupt, ValueError, KeyError, TypeError, IndexError):
            self.stats.rejected += 1
            with contextlib.suppress(OSError):
                path.unlink()
            return None
        with contextlib.suppress(OSError):
            os.utime(path)  # recently used: pruned last
        return value

    # -- re-encoded images (the upload bundle's quality ladder) ---------------

    def ladder_path(self, job: ShrinkJob) -> Path | None:
        """Where a re-encoding of a source's image lives; None for images without a source hash."""
        image = job.image
        if image.sha256 is None:
            return None
        key = hashlib.sha256(
            f"{code_fingerprint()}|ladder|{image.sha256}|{image.frame}|{job.size}|"
            f"{job.qualities}|{job.gray}|{job.enough}".encode()
        ).hexdigest()
        return self.pages_dir / f"{key}{LADDER_SUFFIX}"

    def ladder(self, job: ShrinkJob) -> Ladder | None:
        """The cached quality ladder for ``job``, or None (a damaged entry is dropped)."""
        path = self.ladder_path(job)
        if path is None:
            return None
        return self._read(path, lambda blob: decode_ladder(blob, job))

    def store_ladder(self, job: ShrinkJob, ladder: Ladder) -> None:
        """Keep a quality ladder so the next rebuild re-encodes only new photos."""
        path = self.ladder_path(job)
        if path is not None:
            with contextlib.suppress(OSError):
                self._write(path, encode_ladder(ladder))

    def _write(self, path: Path, blob: bytes) -> None:
        self.pages_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        for folder in (self.root, self.pages_dir):
            folder.chmod(0o700)
        write_atomically(path, blob)


def _made_from(source: SourceFile, before: os.stat_result) -> bool:
    """True when what was read is the content ``source.sha256`` names.

    The file may change between intake's hash and normalize's read; storing
    such a result under the old hash would poison the entry, so check.
    """
    after = source.path.stat()
    same = (before.st_size, before.st_mtime_ns, before.st_ino) == (
        after.st_size,
        after.st_mtime_ns,
        after.st_ino,
    )
    return same and _file_sha256(source.path) == source.sha256


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
