"""Normalized pages of image sources, cached on disk by content hash.

Rebuilding a 40-photo case because one photo was added should cost about that
photo, not forty decodes. Entries live under ``OUT/.cache/pages/`` (outside
every published case folder, owner-only), one file per source content hash.

An entry is our own binary format, never pickle: a JSON header describing the
pages, the encoded image data, and a SHA-256 of everything before it. Any
entry that fails that checksum or the header's type checks is deleted and
rebuilt, so a torn write or a flipped bit costs one re-normalize, never a
wrong page. Pages are lazy (the packet reads or re-encodes the source while it
is written, checking its hash), so an entry stores what reading learned about
the file (its pages and each page's quality inspection: a few numbers and a
128-px thumbnail), never a copy of the photo. A hit therefore costs no decode
and no quality check.

PDF sources are not cached: their pages are references into the file and
cost nothing to list.
"""

from __future__ import annotations

import ast
import contextlib
import hashlib
import json
import os
import tempfile
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

import PIL
from PIL import Image

from packager.models import EncodedImage, MediaType, SourceFile, SourcePage
from packager.read.pages import Read, ReadJob, read
from packager.read.quality import Inspection, Measures
from packager.reencode import Ladder, ShrinkJob

MAGIC = b"PKGPAGE2\n"
DIGEST = 32
SUFFIX = ".page"
LADDER_SUFFIX = ".ladder"
T = TypeVar("T")
DEFAULT_MAX_BYTES = 1 << 30


# What makes a cache entry: reading a source (``read.pages.read``), the ladders
# (``reencode``) and this module's own format. Every packager module these
# import, directly or not, shapes an entry, so all of them are hashed.
PACKAGE_ROOT = Path(__file__).parent
ENTRY_MAKERS = ("packager.read.pages", "packager.reencode", "packager.pagecache")


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
                # ``from packager.read import pages`` names a module too.
                names = [f"{node.module}.{alias.name}" for alias in node.names]
                found.update(n for n in [node.module, *names] if _module_file(n) is not None)
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

    def __init__(self, root: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.root = root
        self.pages_dir = root / "pages"
        self.max_bytes = max_bytes
        self.stats = CacheStats()

    def get(self, source: SourceFile) -> Read | None:
        """The cached read of ``source`` (without re-encodings), or None."""
        if source.media is MediaType.PDF:
            return None
        cached = self._read(self.entry_path(source), lambda blob: _decode(blob, source))
        if cached is not None:
            self.stats.hits += 1
        return cached

    def put(self, source: SourceFile, result: Read, before: os.stat_result | None) -> None:
        """Keep a fresh read (and its re-encodings) if it was made from the hashed content.

        ``before`` is the file's stat from before it was read.
        """
        self.stats.misses += 1
        with contextlib.suppress(OSError):
            for job, ladder in result.ladders:
                self.store_ladder(job, ladder)
            if (
                source.media is not MediaType.PDF
                and result.refused is None
                and before is not None
                and _made_from(source, before)
            ):
                self._write(self.entry_path(source), _encode(source, result))

    def read(self, job: ReadJob) -> Read:
        """Same contract as ``reading.read``, served from the cache when possible (inline)."""
        cached = self.get(job.source)
        if cached is not None:
            return cached
        try:
            before: os.stat_result | None = job.source.path.stat()
        except OSError:
            before = None
        result = read(job)
        self.put(job.source, result, before)
        return result

    def entry_path(self, source: SourceFile) -> Path:
        """Where the entry for this source's content lives."""
        key = hashlib.sha256(
            f"{code_fingerprint()}|{source.media.value}|{source.sha256}".encode()
        ).hexdigest()
        return self.pages_dir / f"{key}{SUFFIX}"

    def prune(self) -> int:
        """Delete least recently used entries beyond ``max_bytes``; return how many."""
        try:
            entries = [
                (e.stat().st_mtime_ns, e.stat().st_size, e.path)
                for e in os.scandir(self.pages_dir)
                if e.name.endswith((SUFFIX, LADDER_SUFFIX)) and e.is_file(follow_symlinks=False)
            ]
        except OSError:
            return 0
        total = sum(size for _, size, _ in entries)
        removed = 0
        for _, size, name in sorted(entries):
            if total <= self.max_bytes:
                break
            with contextlib.suppress(OSError):
                Path(name).unlink()
                removed += 1
            total -= size
        return removed

    # -- storage ---------------------------------------------------------------

    def _read(self, path: Path, decode: Callable[[bytes], T]) -> T | None:
        """Decode one entry; a damaged one is counted, deleted and reported as a miss."""
        try:
            blob = path.read_bytes()
        except OSError:
            return None
        try:
            value = decode(blob)
        except (_Corrupt, ValueError, KeyError, TypeError, IndexError):
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
        return self._read(path, lambda blob: _decode_ladder(blob, job))

    def store_ladder(self, job: ShrinkJob, ladder: Ladder) -> None:
        """Keep a quality ladder so the next rebuild re-encodes only new photos."""
        path = self.ladder_path(job)
        if path is not None:
            with contextlib.suppress(OSError):
                self._write(path, _encode_ladder(ladder))

    def _write(self, path: Path, blob: bytes) -> None:
        self.pages_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        for folder in (self.root, self.pages_dir):
            folder.chmod(0o700)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=self.pages_dir)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(blob)
            Path(tmp).replace(path)
        except BaseException:
            with contextlib.suppress(OSError):
                Path(tmp).unlink()
            raise


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


class _Corrupt(Exception):
    """The entry is damaged: delete and rebuild it."""


def _seal(header: Mapping[str, Any], blobs: list[bytes]) -> bytes:
    """One entry: magic, header length, JSON header, the blobs, and a SHA-256 of it all."""
    raw = json.dumps(header, ensure_ascii=True, sort_keys=True).encode()
    body = MAGIC + len(raw).to_bytes(8, "big") + raw + b"".join(blobs)
    return body + hashlib.sha256(body).digest()


def _unseal(blob: bytes) -> tuple[Any, bytes, int]:
    """(header, body, offset of the first blob) of an entry whose checksum holds."""
    if len(blob) < len(MAGIC) + 8 + DIGEST or not blob.startswith(MAGIC):
        raise _Corrupt("bad magic")
    body, digest = blob[:-DIGEST], blob[-DIGEST:]
    if hashlib.sha256(body).digest() != digest:
        raise _Corrupt("checksum mismatch")
    start = len(MAGIC) + 8
    size = int.from_bytes(body[len(MAGIC) : start], "big")
    return json.loads(body[start : start + size]), body, start + size


def _encode(source: SourceFile, result: Read) -> bytes:
    """Entry bytes: pages, warnings and inspections (JSON), the thumbnails, a checksum.

    Pages are lazy (reading keeps no image bytes; the packet reads or
    re-encodes the source while it is written), so an entry holds what
    reading *learned* about the file, never a copy of the user's pixels
    beyond the 128-px greyscale thumbnails the duplicate check compares.
    """
    pages: list[dict[str, Any]] = []
    for page in result.pages:
        image = page.content
        if not isinstance(image, EncodedImage) or image.data:  # pragma: no cover - lazy images only
            raise TypeError("only lazy image pages are cached")
        pages.append(
            {
                "landscape": page.landscape,
                "width": image.width,
                "height": image.height,
                "filter": image.filter,
                "colorspace": image.colorspace,
                "bits": image.bits,
                "decode": list(image.decode) if image.decode is not None else None,
                "orientation": image.orientation,
                "frame": image.frame,
                "dpi": image.dpi,
            }
        )
    blobs: list[bytes] = []
    seen: list[dict[str, Any] | None] = []
    for inspection in result.inspections:
        if inspection is None:
            seen.append(None)
            continue
        thumb = inspection.thumb.convert("L")
        packed = zlib.compress(thumb.tobytes(), 6)
        m = inspection.measures
        seen.append(
            {
                "edges": m.edges,
                "paper": m.paper,
                "ink": m.ink,
                "sharpness": m.sharpness,
                "bits": f"{inspection.bits:x}",
                "thumb": [thumb.width, thumb.height, len(packed)],
            }
        )
        blobs.append(packed)
    header = {
        "source": source.sha256,
        "warnings": [[code, dict(params)] for code, params in result.warnings],
        "pages": pages,
        "inspections": seen,
    }
    return _seal(header, blobs)


def _decode(blob: bytes, source: SourceFile) -> Read:
    header, body, offset = _unseal(blob)
    if not isinstance(header, dict) or header.get("source") != source.sha256:
        raise _Corrupt("entry is for another source")
    raw_pages = header["pages"]
    if not isinstance(raw_pages, list) or not raw_pages:
        raise _Corrupt("no pages")
    pages: list[SourcePage] = []
    for raw in raw_pages:
        spec = _page_spec(raw)
        image = EncodedImage(
            data=b"",
            filter=spec["filter"],
            width=spec["width"],
            height=spec["height"],
            colorspace=spec["colorspace"],
            bits=spec["bits"],
            decode=spec["decode"],
            orientation=spec["orientation"],
            source=source.path,
            frame=spec["frame"],
            sha256=source.sha256,
            dpi=spec["dpi"],
        )
        pages.append(SourcePage(image, spec["landscape"]))
    raw_seen = header.get("inspections")
    if not isinstance(raw_seen, list) or len(raw_seen) != len(pages):
        raise _Corrupt("bad inspections")
    inspections: list[Inspection | None] = []
    for raw in raw_seen:
        if raw is None:
            inspections.append(None)
            continue
        inspection, length = _inspection(raw, body, offset)
        inspections.append(inspection)
        offset += length
    if offset != len(body):
        raise _Corrupt("trailing data")
    return Read(tuple(pages), _warnings(header["warnings"]), tuple(inspections))


def _inspection(raw: object, body: bytes, offset: int) -> tuple[Inspection, int]:
    """One page's inspection and the length of its thumbnail blob."""
    if not isinstance(raw, dict):
        raise _Corrupt("inspection is not an object")
    edges, sharpness = raw.get("edges"), raw.get("sharpness")
    paper, ink, size = raw.get("paper"), raw.get("ink"), raw.get("thumb")
    if not isinstance(edges, int | float) or not (
        sharpness is None or isinstance(sharpness, int | float)
    ):
        raise _Corrupt("bad measures")
    if type(paper) is not int or type(ink) is not int or not 0 <= ink <= 255 >= paper >= 0:
        raise _Corrupt("bad levels")
    if (
        not isinstance(size, list)
        or len(size) != 3
        or not all(type(n) is int and 0 < n <= 1 << 20 for n in size)
    ):
        raise _Corrupt("bad thumbnail size")
    width, height, length = size
    bits = int(str(raw.get("bits")), 16)
    data = body[offset : offset + length]
    if len(data) != length:
        raise _Corrupt("truncated data")
    try:
        pixels = zlib.decompress(data)
    except zlib.error as exc:
        raise _Corrupt("bad thumbnail") from exc
    if len(pixels) != width * height:
        raise _Corrupt("bad thumbnail")
    measures = Measures(float(edges), paper, ink, None if sharpness is None else float(sharpness))
    thumb = Image.frombytes("L", (width, height), pixels)
    return Inspection(measures, bits, thumb), length


_FILTERS = ("/DCTDecode", "/FlateDecode")
_COLORSPACES = ("/DeviceGray", "/DeviceRGB", "/DeviceCMYK")


def _page_spec(raw: object) -> dict[str, Any]:
    """Check every field's type and range; anything odd is corruption."""
    if not isinstance(raw, dict):
        raise _Corrupt("page is not an object")
    ints = ("width", "height", "bits", "orientation")
    if not all(type(raw.get(k)) is int and raw[k] >= 0 for k in ints):
        raise _Corrupt("bad number")
    if raw["width"] == 0 or raw["height"] == 0 or not 1 <= raw["orientation"] <= 8:
        raise _Corrupt("bad size or orientation")
    if raw["bits"] not in (1, 8) or raw.get("filter") not in _FILTERS:
        raise _Corrupt("bad encoding")
    if raw.get("colorspace") not in _COLORSPACES:
        raise _Corrupt("bad colour space")
    if type(raw.get("landscape")) is not bool:
        raise _Corrupt("bad flag")
    frame = raw.get("frame")
    if frame is not None and (type(frame) is not int or frame < 0):
        raise _Corrupt("bad frame")
    dpi = raw.get("dpi")
    if dpi is not None and (type(dpi) not in (int, float) or dpi <= 0):
        raise _Corrupt("bad dpi")
    decode = raw.get("decode")
    if decode is not None:
        if not isinstance(decode, list) or not all(type(v) in (int, float) for v in decode):
            raise _Corrupt("bad decode array")
        decode = tuple(float(v) for v in decode)
    return {**raw, "decode": decode, "dpi": float(dpi) if dpi is not None else None}


def _warnings(raw: object) -> tuple[tuple[str, Mapping[str, str]], ...]:
    if not isinstance(raw, list):
        raise _Corrupt("bad warnings")
    out: list[tuple[str, Mapping[str, str]]] = []
    for item in raw:
        if (
            not isinstance(item, list)
            or len(item) != 2
            or not isinstance(item[0], str)
            or not isinstance(item[1], dict)
            or not all(isinstance(k, str) and isinstance(v, str) for k, v in item[1].items())
        ):
            raise _Corrupt("bad warning")
        out.append((item[0], dict(item[1])))
    return tuple(out)


def _encode_ladder(ladder: Ladder) -> bytes:
    """Entry bytes for a quality ladder: JSON rung headers, the JPEG bytes, a checksum."""
    rungs: list[dict[str, Any] | None] = []
    blobs: list[bytes] = []
    for image in ladder:
        if image is None:
            rungs.append(None)
            continue
        rungs.append(
            {
                "length": len(image.data),
                "width": image.width,
                "height": image.height,
                "colorspace": image.colorspace,
                "orientation": image.orientation,
            }
        )
        blobs.append(image.data)
    return _seal({"rungs": rungs}, blobs)


def _decode_ladder(blob: bytes, job: ShrinkJob) -> Ladder:
    header, body, offset = _unseal(blob)
    rungs = header["rungs"]
    if not isinstance(rungs, list) or len(rungs) != len(job.qualities):
        raise _Corrupt("wrong number of rungs")
    ladder: list[EncodedImage | None] = []
    for rung in rungs:
        if rung is None:
            ladder.append(None)
            continue
        length = rung["length"]
        if type(length) is not int or rung.get("colorspace") not in _COLORSPACES:
            raise _Corrupt("bad rung")
        data = body[offset : offset + length]
        if len(data) != length:
            raise _Corrupt("truncated data")
        offset += length
        ladder.append(
            EncodedImage(
                data=data,
                filter="/DCTDecode",
                width=int(rung["width"]),
                height=int(rung["height"]),
                colorspace=rung["colorspace"],
                orientation=int(rung["orientation"]),
            )
        )
    if offset != len(body):
        raise _Corrupt("trailing data")
    return tuple(ladder)
