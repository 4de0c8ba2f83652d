"""Receiving uploads: streamed to disk under limits, judged by content, named safely.

Each file is written as it arrives into a hidden ``*.part`` file in the case
folder (intake ignores those), so memory stays flat whatever the size. Past
the per-file or per-request limit the whole upload is dropped (413). Only
when the request has ended are the files judged (``intake.sniff``: images and
PDFs only) and moved to their final names, which are never an existing file.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import Request

from packager.models import MediaType
from packager.read.intake import EXTENSIONS, OWN_FILES, is_junk, sniff
from packager.web.security import CSRF_FIELD, same_token

_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"|?*\\/]')
_RESERVED = re.compile(r"^(con|prn|aux|nul|com\d|lpt\d)$", re.IGNORECASE)
_EXT_FOR = {
    MediaType.JPEG: ".jpg",
    MediaType.PNG: ".png",
    MediaType.TIFF: ".tif",
    MediaType.GIF: ".gif",
    MediaType.BMP: ".bmp",
    MediaType.WEBP: ".webp",
    MediaType.HEIF: ".heic",
    MediaType.PDF: ".pdf",
}
MAX_NAME_BYTES = 180


class UploadRefused(Exception):
    """The upload breaks a rule: ``status`` (403, 413) and a message key of ``WEB``."""

    def __init__(self, status: int, key: str) -> None:
        super().__init__(key)
        self.status = status
        self.key = key


@dataclass(slots=True)
class _Part:
    name: str = ""
    filename: str | None = None
    value: bytearray = field(default_factory=bytearray)
    temp: Path | None = None
    handle: IO[bytes] | None = None
    size: int = 0
    head: bytes = b""


@dataclass(frozen=True, slots=True)
class Received:
    """What one upload request left: files saved (relative paths) and names refused."""

    saved: tuple[str, ...]
    refused: tuple[str, ...]
    kind: str | None


def safe_name(raw: str, media: MediaType) -> str:
    """The device's file name, kept (Chinese included) but never a path, hidden or reserved.

    The last path component only; control and reserved characters become
    ``_``; leading dots and spaces go; a name without an image or PDF
    extension gets the one of what the content is.
    """
    name = unicodedata.normalize("NFC", raw.replace("\\", "/").rsplit("/", 1)[-1])
    name = _UNSAFE.sub("_", name).strip().lstrip(". ").rstrip(". ")
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    if not stem:
        stem = "upload"
    elif _RESERVED.match(stem):
        stem = f"_{stem}"
    ext = f".{ext}" if ext else ""
    if EXTENSIONS.get(ext.lower()) is None and media in _EXT_FOR:
        ext += _EXT_FOR[media]  # "IMG" or "x.toml" holding a photo: say what it is
    while len((stem + ext).encode("utf-8")) > MAX_NAME_BYTES:
        stem = stem[:-1]
    name = stem + ext
    if is_junk(name) or name in OWN_FILES:
        name = f"_{name}"
    return name


def reserve(folder: Path, name: str) -> Path:
    """Create an empty ``folder/name`` (or ``name (2)`` …) that did not exist: never overwrite."""
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    for n in range(1, 10_000):
        candidate = folder / (name if n == 1 else f"{stem} ({n}){'.' + ext if ext else ''}")
        try:
            fd = os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            continue
        os.close(fd)
        return candidate
    raise FileExistsError(name)


async def receive_files(
    request: Request,
    case: Path,
    folders: dict[str, str],
    max_file: int,
    max_request: int,
    csrf_cookie: str | None,
) -> Received:
    """Stream a multipart upload into ``case`` (a ``kind`` field picks ``folders[kind]``).

    ``csrf_cookie`` set means the CSRF token must arrive as the ``csrf_token``
    field before the first file. Raises ``UploadRefused`` and leaves nothing.
    """
    length = request.headers.get("content-length")
    if length and length.isdigit() and int(length) > max_request:
        raise UploadRefused(413, "too_large_request")
    _, params = parse_options_header(request.headers.get("content-type", ""))
    boundary = params.get(b"boundary")
    if not boundary:
        raise UploadRefused(400, "no_files")
    parts: list[_Part] = []
    header: dict[str, bytes] = {}
    current: list[bytes] = [b"", b""]
    total = 0

    def begin() -> None:
        parts.append(_Part())
        header.clear()

    def header_field(data: bytes, start: int, end: int) -> None:
        current[0] += data[start:end]

    def header_value(data: bytes, start: int, end: int) -> None:
        current[1] += data[start:end]

    def header_end() -> None:
        header[current[0].decode("latin-1").lower()] = current[1]
        current[0], current[1] = b"", b""

    def headers_done() -> None:
        part = parts[-1]
        _, opts = parse_options_header(header.get("content-disposition", b"").decode("latin-1"))
        part.name = opts.get(b"name", b"").decode("utf-8", "replace")
        if b"filename" in opts:
            part.filename = opts[b"filename"].decode("utf-8", "replace")
            fields = {p.name: bytes(p.value) for p in parts if p.filename is None}
            if csrf_cookie and not same_token(
                fields.get(CSRF_FIELD, b"").decode("utf-8", "replace"), csrf_cookie
            ):
                raise UploadRefused(403, "csrf")
            part.temp = case / f".packager-upload-{secrets.token_hex(8)}.part"
            part.handle = part.temp.open("xb")

    def data(chunk: bytes, start: int, end: int) -> None:
        part = parts[-1]
        if part.handle is None:
            part.value += chunk[start:end]
            if len(part.value) > 10_000:
                raise UploadRefused(413, "too_large_request")
            return
        piece = chunk[start:end]
        part.size += len(piece)
        if part.size > max_file:
            raise UploadRefused(413, "too_large_file")
        if len(part.head) < 1024:
            part.head += piece[: 1024 - len(part.head)]
        part.handle.write(piece)

    def part_end() -> None:
        if parts and parts[-1].handle is not None:
            parts[-1].handle.close()

    parser = MultipartParser(
        boundary,
        {
            "on_part_begin": begin,
            "on_part_data": data,
            "on_part_end": part_end,
            "on_header_field": header_field,
            "on_header_value": header_value,
            "on_header_end": header_end,
            "on_headers_finished": headers_done,
        },
    )
    try:
        async for chunk in request.stream():
            total += len(chunk)
            if total > max_request:
                raise UploadRefused(413, "too_large_request")
            parser.write(chunk)
        parser.finalize()
        if csrf_cookie and not any(p.filename is not None for p in parts):
            fields = {p.name: bytes(p.value) for p in parts}
            if not same_token(fields.get(CSRF_FIELD, b"").decode("utf-8", "replace"), csrf_cookie):
                raise UploadRefused(403, "csrf")
        return _place(case, parts, folders)
    finally:
        for part in parts:
            if part.handle is not None:
                part.handle.close()
            if part.temp is not None:
                with contextlib.suppress(FileNotFoundError):
                    part.temp.unlink()


def _place(case: Path, parts: list[_Part], folders: dict[str, str]) -> Received:
    """Judge each received file by content and move it to a fresh name in its folder."""
    kind = next((bytes(p.value).decode() for p in parts if p.name == "kind" and p.value), None)
    folder = case / folders[kind] if kind in folders else case
    saved: list[str] = []
    refused: list[str] = []
    for part in parts:
        if part.temp is None or part.filename is None:
            continue
        if part.size == 0 and not part.filename:
            continue  # a picker left empty (the camera one, when the gallery was used)
        media = sniff(part.head)
        if part.size == 0 or media is MediaType.UNKNOWN:
            refused.append(safe_name(part.filename, MediaType.UNKNOWN))
            continue
        folder.mkdir(exist_ok=True)
        target = reserve(folder, safe_name(part.filename, media))
        part.temp.replace(target)
        part.temp = None
        saved.append(target.relative_to(case).as_posix())
    return Received(tuple(saved), tuple(refused), kind if kind in folders else None)
