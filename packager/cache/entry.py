"""One page-cache entry on disk: our own checksummed format, never pickle.

An entry is a JSON header describing what reading learned of a source (its
pages, warnings and each page's quality inspection) followed by the binary
blobs (thumbnails; a ladder's JPEGs) and a SHA-256 of everything before it.
Decoding checks the checksum and every field's type, so a torn write or a
flipped bit raises ``Corrupt`` (the caller deletes the entry and reads the
source again), never a wrong page.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import zlib
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from PIL import Image

from packager.models import (
    EncodedImage,
    Line,
    MediaType,
    PageText,
    PdfPageRef,
    SourceFile,
    SourcePage,
)
from packager.read.clean import store_path
from packager.read.pages import Read
from packager.read.quality import Inspection, Measures

MAGIC = b"PKGPAGE2\n"
DIGEST = 32


class Corrupt(Exception):
    """The entry is damaged: delete and rebuild it."""


def seal(header: Mapping[str, Any], blobs: list[bytes]) -> bytes:
    """One entry: magic, header length, JSON header, the blobs, and a SHA-256 of it all."""
    raw = json.dumps(header, ensure_ascii=True, sort_keys=True).encode()
    body = MAGIC + len(raw).to_bytes(8, "big") + raw + b"".join(blobs)
    return body + hashlib.sha256(body).digest()


def unseal(blob: bytes) -> tuple[Any, bytes, int]:
    """(header, body, offset of the first blob) of an entry whose checksum holds."""
    if len(blob) < len(MAGIC) + 8 + DIGEST or not blob.startswith(MAGIC):
        raise Corrupt("bad magic")
    body, digest = blob[:-DIGEST], blob[-DIGEST:]
    if hashlib.sha256(body).digest() != digest:
        raise Corrupt("checksum mismatch")
    start = len(MAGIC) + 8
    size = int.from_bytes(body[len(MAGIC) : start], "big")
    return json.loads(body[start : start + size]), body, start + size


def encode_read(source: SourceFile, result: Read) -> bytes:
    """Entry bytes: pages, warnings and inspections (JSON), the thumbnails, a checksum.

    Pages are lazy (reading keeps no image bytes; the packet reads or
    re-encodes the source while it is written), so an entry holds what
    reading *learned* about the file, never a copy of the user's pixels
    beyond the 128-px greyscale thumbnails the duplicate check compares.
    """
    pages: list[dict[str, Any]] = []
    for page in result.pages:
        image = page.content
        if isinstance(image, PdfPageRef):  # a page of the source PDF, by reference
            pages.append(
                {
                    "landscape": page.landscape,
                    "pdf": [image.index, image.width, image.height],
                }
            )
            continue
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
                # A photo made into a scan: its image is the store's file of this hash.
                "clean": None
                if image.quad is None
                else [image.sha256, list(image.quad), *(["cropped"] if image.cropped else [])],
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
        "texts": [_text_spec(text) for text in result.texts],
    }
    return seal(header, blobs)


def _text_spec(text: PageText | None) -> dict[str, Any] | None:
    if text is None:
        return None
    return {
        "lines": [[line.text, *line.box, line.score] for line in text.lines],
        "size": list(text.size),
        "turn": text.turn,
        "sure": text.sure,
        "source": text.source,
    }


def _texts(raw: object, pages: int) -> tuple[PageText | None, ...]:
    """The pages' recognised text; ``Corrupt`` unless every field has its type."""
    if not isinstance(raw, list) or (raw and len(raw) != pages):
        raise Corrupt("bad texts")
    texts: list[PageText | None] = []
    for spec in raw:
        if spec is None:
            texts.append(None)
            continue
        if not isinstance(spec, dict):
            raise Corrupt("text is not an object")
        lines, size = spec.get("lines"), spec.get("size")
        turn, sure, source = spec.get("turn"), spec.get("sure"), spec.get("source")
        if not (
            isinstance(lines, list)
            and isinstance(size, list)
            and len(size) == 2
            and all(isinstance(v, int) for v in size)
            and turn in (0, 90, 180, 270)
            and isinstance(sure, bool)
            and source in ("ocr", "pdf")
        ):
            raise Corrupt("bad text fields")
        read: list[Line] = []
        for item in lines:
            if not (
                isinstance(item, list)
                and len(item) == 6
                and isinstance(item[0], str)
                and all(isinstance(v, int | float) for v in item[1:])
            ):
                raise Corrupt("bad line")
            box = (float(item[1]), float(item[2]), float(item[3]), float(item[4]))
            read.append(Line(item[0], box, float(item[5])))
        texts.append(PageText(tuple(read), (size[0], size[1]), turn, sure, source))
    return tuple(texts)


def _cleaned(raw: object, store: Path | None) -> tuple[Path, str, tuple[float, ...], bool] | None:
    """(file, hash, quad, only cropped) of a cleaned page, checked against the store."""
    if raw is None:
        return None
    if (
        not isinstance(raw, list)
        or len(raw) not in (2, 3)
        or raw[2:] not in ([], ["cropped"])
        or not isinstance(raw[0], str)
        or not isinstance(raw[1], list)
        or len(raw[1]) != 8
        or not all(type(v) in (int, float) for v in raw[1])
    ):
        raise Corrupt("bad clean record")
    if store is None:
        raise Corrupt("a cleaned page, read without cleaning")
    path = store_path(store, raw[0])
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise Corrupt("cleaned image gone") from exc
    if hashlib.sha256(data).hexdigest() != raw[0]:
        raise Corrupt("cleaned image damaged")
    with contextlib.suppress(OSError):
        os.utime(path)  # recently used: pruned last
    return path, raw[0], tuple(float(v) for v in raw[1]), raw[2:] == ["cropped"]


def decode_read(
    blob: bytes, source: SourceFile, store: Path | None = None, password: str | None = None
) -> Read:
    """The read an entry holds; ``Corrupt`` when it is damaged or not what it claims.

    ``store`` holds the cleaned photos the entry may name (``read.clean``);
    ``password`` opens a PDF source's pages (never stored in the entry).
    """
    header, body, offset = unseal(blob)
    if not isinstance(header, dict) or header.get("source") != source.sha256:
        raise Corrupt("entry is for another source")
    raw_pages = header["pages"]
    if not isinstance(raw_pages, list) or not raw_pages:
        raise Corrupt("no pages")
    pages: list[SourcePage] = []
    for raw in raw_pages:
        if isinstance(raw, dict) and "pdf" in raw:
            pages.append(_pdf_page(raw, source, password))
            continue
        spec = _page_spec(raw)
        cleaned = _cleaned(spec.get("clean"), store)
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
        if cleaned is not None:
            path, sha, quad, cropped = cleaned
            image = replace(image, source=path, sha256=sha, quad=quad, cropped=cropped)
        pages.append(SourcePage(image, spec["landscape"]))
    raw_seen = header.get("inspections")
    if not isinstance(raw_seen, list) or len(raw_seen) != len(pages):
        raise Corrupt("bad inspections")
    inspections: list[Inspection | None] = []
    for raw in raw_seen:
        if raw is None:
            inspections.append(None)
            continue
        inspection, length = _inspection(raw, body, offset)
        inspections.append(inspection)
        offset += length
    if offset != len(body):
        raise Corrupt("trailing data")
    texts = _texts(header.get("texts", []), len(pages))
    return Read(tuple(pages), _warnings(header["warnings"]), tuple(inspections), texts=texts)


def _inspection(raw: object, body: bytes, offset: int) -> tuple[Inspection, int]:
    """One page's inspection and the length of its thumbnail blob."""
    if not isinstance(raw, dict):
        raise Corrupt("inspection is not an object")
    edges, sharpness = raw.get("edges"), raw.get("sharpness")
    paper, ink, size = raw.get("paper"), raw.get("ink"), raw.get("thumb")
    if not isinstance(edges, int | float) or not (
        sharpness is None or isinstance(sharpness, int | float)
    ):
        raise Corrupt("bad measures")
    if type(paper) is not int or type(ink) is not int or not 0 <= ink <= 255 >= paper >= 0:
        raise Corrupt("bad levels")
    if (
        not isinstance(size, list)
        or len(size) != 3
        or not all(type(n) is int and 0 < n <= 1 << 20 for n in size)
    ):
        raise Corrupt("bad thumbnail size")
    width, height, length = size
    bits = int(str(raw.get("bits")), 16)
    data = body[offset : offset + length]
    if len(data) != length:
        raise Corrupt("truncated data")
    try:
        pixels = zlib.decompress(data)
    except zlib.error as exc:
        raise Corrupt("bad thumbnail") from exc
    if len(pixels) != width * height:
        raise Corrupt("bad thumbnail")
    measures = Measures(float(edges), paper, ink, None if sharpness is None else float(sharpness))
    thumb = Image.frombytes("L", (width, height), pixels)
    return Inspection(measures, bits, thumb), length


_FILTERS = ("/DCTDecode", "/FlateDecode")


def _pdf_page(raw: dict[str, Any], source: SourceFile, password: str | None) -> SourcePage:
    """A PDF source's page by reference; ``Corrupt`` unless every field has its type."""
    ref, landscape = raw.get("pdf"), raw.get("landscape")
    if source.media is not MediaType.PDF or type(landscape) is not bool:
        raise Corrupt("a PDF page of another kind of file")
    if (
        not isinstance(ref, list)
        or len(ref) != 3
        or type(ref[0]) is not int
        or ref[0] < 0
        or not all(type(v) in (int, float) and 0 < v < 1e6 for v in ref[1:])
    ):
        raise Corrupt("bad PDF page")
    content = PdfPageRef(source.path, ref[0], float(ref[1]), float(ref[2]), password, source.sha256)
    return SourcePage(content, landscape)


COLORSPACES = ("/DeviceGray", "/DeviceRGB", "/DeviceCMYK")


def _page_spec(raw: object) -> dict[str, Any]:
    """Check every field's type and range; anything odd is corruption."""
    if not isinstance(raw, dict):
        raise Corrupt("page is not an object")
    ints = ("width", "height", "bits", "orientation")
    if not all(type(raw.get(k)) is int and raw[k] >= 0 for k in ints):
        raise Corrupt("bad number")
    if raw["width"] == 0 or raw["height"] == 0 or not 1 <= raw["orientation"] <= 8:
        raise Corrupt("bad size or orientation")
    if raw["bits"] not in (1, 8) or raw.get("filter") not in _FILTERS:
        raise Corrupt("bad encoding")
    if raw.get("colorspace") not in COLORSPACES:
        raise Corrupt("bad colour space")
    if type(raw.get("landscape")) is not bool:
        raise Corrupt("bad flag")
    frame = raw.get("frame")
    if frame is not None and (type(frame) is not int or frame < 0):
        raise Corrupt("bad frame")
    dpi = raw.get("dpi")
    if dpi is not None and (type(dpi) not in (int, float) or dpi <= 0):
        raise Corrupt("bad dpi")
    decode = raw.get("decode")
    if decode is not None:
        if not isinstance(decode, list) or not all(type(v) in (int, float) for v in decode):
            raise Corrupt("bad decode array")
        decode = tuple(float(v) for v in decode)
    return {**raw, "decode": decode, "dpi": float(dpi) if dpi is not None else None}


def _warnings(raw: object) -> tuple[tuple[str, Mapping[str, str]], ...]:
    if not isinstance(raw, list):
        raise Corrupt("bad warnings")
    out: list[tuple[str, Mapping[str, str]]] = []
    for item in raw:
        if (
            not isinstance(item, list)
            or len(item) != 2
            or not isinstance(item[0], str)
            or not isinstance(item[1], dict)
            or not all(isinstance(k, str) and isinstance(v, str) for k, v in item[1].items())
        ):
            raise Corrupt("bad warning")
        out.append((item[0], dict(item[1])))
    return tuple(out)
