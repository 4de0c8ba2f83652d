"""Why a file did not decode, decided from its bytes (never from an exception's text).

A decoder's exception says little and its wording changes between versions;
worse, it often includes the file's absolute path, so renaming the case
folder could change a verdict that matched words in it. What the user needs
to know is which of three things happened, and each is visible in the data:

* the file stops early (a partial copy or download): an end marker is
  missing, or a length it declares runs past its end;
* it is complete but a variant our decoders do not read (Pillow refuses
  the header of a well-formed file);
* it is complete and readable in structure but its data is damaged.
"""

from __future__ import annotations

import io
import os
import re
import struct
import zlib

from PIL import Image

from packager.image.jpegheader import complete as jpeg_complete
from packager.models import MediaType, SourceFile
from packager.privacy import mask_text

# Bytes from the end within which a PDF's %%EOF must appear.
PDF_TAIL = 2048
# Upper bound of a PNG's inflated data we are willing to produce while checking.
_INFLATE_LIMIT = 1 << 28


def truncated(media: MediaType, data: bytes) -> bool:
    """True when ``data`` visibly stops before its own end."""
    check = {
        MediaType.JPEG: lambda d: not jpeg_complete(d),
        MediaType.PNG: _png_truncated,
        MediaType.GIF: lambda d: not d.rstrip(b"\x00").endswith(b";"),
        MediaType.BMP: _bmp_truncated,
        MediaType.WEBP: _riff_truncated,
        MediaType.HEIF: _boxes_truncated,
        MediaType.TIFF: _tiff_truncated,
        MediaType.PDF: pdf_truncated,
    }.get(media)
    return bool(check and check(data))


def pdf_truncated(data: bytes) -> bool:
    """A PDF ends with %%EOF (a damaged save may add junk after it, but not lose it)."""
    return b"%%EOF" not in data[-PDF_TAIL:]


def _png_rows(width: int, height: int, depth: int, colour: int, interlace: int) -> int:
    """Bytes of filtered scanlines an image of this header inflates to."""
    channels = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}.get(colour, 1)
    bits = channels * depth

    def size(w: int, h: int) -> int:
        return 0 if w == 0 or h == 0 else h * (1 + (w * bits + 7) // 8)

    if interlace != 1:
        return size(width, height)
    passes = ((0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2))
    total = sum(
        size((width - x + dx - 1) // dx, (height - y + dy - 1) // dy) for x, y, dx, dy in passes
    )
    return total + size(width, height // 2)  # the seventh pass: every odd row, every pixel


def _png_truncated(data: bytes) -> bool:
    """Chunks run past the end, IEND is missing, or the pixel data is shorter than declared."""
    pos, header, idat = 8, None, []
    while pos + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        end = pos + 12 + length
        if end > len(data):
            return True
        body = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR" and length >= 13:
            header = struct.unpack(">IIBBBBB", body[:13])
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
        pos = end
    else:
        return True
    if header is None:
        return False
    width, height, depth, colour, _, _, interlace = header
    expected = _png_rows(width, height, depth, colour, interlace)
    inflater = zlib.decompressobj()
    got = 0
    try:
        for chunk in idat:
            got += len(inflater.decompress(chunk, max(1, _INFLATE_LIMIT - got)))
            if got >= min(expected, _INFLATE_LIMIT):
                return False
    except zlib.error:
        return False  # damaged, not short
    return not inflater.eof or got < expected


def _bmp_truncated(data: bytes) -> bool:
    if len(data) < 14:
        return True
    declared = int(struct.unpack("<I", data[2:6])[0])
    offset = int(struct.unpack("<I", data[10:14])[0])
    return offset > len(data) or 0 < len(data) < declared <= 1 << 31


def _riff_truncated(data: bytes) -> bool:
    return len(data) < 12 or int(struct.unpack("<I", data[4:8])[0]) + 8 > len(data)


def _boxes_truncated(data: bytes) -> bool:
    """ISO base media boxes (HEIF): every top-level box fits in the file."""
    pos = 0
    while pos + 8 <= len(data):
        size = struct.unpack(">I", data[pos : pos + 4])[0]
        if size == 1:
            if pos + 16 > len(data):
                return True
            size = struct.unpack(">Q", data[pos + 8 : pos + 16])[0]
        elif size == 0:
            return False  # the box runs to the end of the file
        if size < 8:
            return False
        pos += size
    return pos > len(data)


def _tiff_truncated(data: bytes) -> bool:
    """A strip or tile (or the first directory) lies past the end of the file."""
    try:
        with Image.open(io.BytesIO(data), formats=("TIFF",)) as im:
            tags = getattr(im, "tag_v2", {})
            offsets = tags.get(273) or tags.get(324) or ()
            counts = tags.get(279) or tags.get(325) or ()
    except Exception:  # noqa: BLE001 - a header Pillow cannot read: judged by the first IFD
        if len(data) < 8:
            return True
        if data[2:4] in (b"+\x00", b"\x00+"):
            order = "<" if data[:2] == b"II" else ">"
            return len(data) < 16 or int(struct.unpack(order + "Q", data[8:16])[0]) >= len(data)
        order = "<" if data[:2] == b"II" else ">"
        return int(struct.unpack(order + "I", data[4:8])[0]) >= len(data)
    if isinstance(offsets, int):
        offsets = (offsets,)
    if isinstance(counts, int):
        counts = (counts,)
    return any(o + c > len(data) for o, c in zip(offsets, counts, strict=False))


# An absolute path inside a decoder's message (POSIX or Windows).
_ABSOLUTE = re.compile(r"(?:[A-Za-z]:\\|/)[^\s'\"]*[/\\][^\s'\"]*")


def error_text(exc: BaseException, source: SourceFile | None = None) -> str:
    """The first line of an exception, without any path: messages name files relative."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    if source is not None:
        for form in (str(source.path), os.fsdecode(source.path.name)):
            text = text.replace(form, source.rel.rsplit("/", 1)[-1])
    text = _ABSOLUTE.sub("…", text)
    return mask_text(text[:160])


def bmp_rle_faults(data: bytes) -> int:
    """Faults in an RLE8/RLE4 BMP's pixel stream (0 for a sound one or another kind of BMP).

    Pillow's RLE decoder forgives everything: a run past the end of its row
    is cut, a missing row is left black, so a corrupt stream gives a page of
    stripes and no error. Walking the stream as the format says finds what
    it forgave: runs and deltas past a row's end or the last row, and a
    stream that stops (no end-of-bitmap mark) before its last row.
    """
    if len(data) < 54 or data[:2] != b"BM":
        return 0
    offset, header = struct.unpack("<II", data[10:18])
    if header < 40:
        return 0  # an OS/2 core header has no compression field
    width, height, _, bits, compression, size = struct.unpack("<iiHHII", data[18:38])
    if (compression, bits) not in ((1, 8), (2, 4)) or width <= 0 or height == 0:
        return 0
    height = abs(height)
    end = min(len(data), offset + size) if size else len(data)
    pos, x, y, faults, finished = offset, 0, 0, 0, False
    while pos + 2 <= end:
        count, code = data[pos], data[pos + 1]
        pos += 2
        if count or code > 2:  # a run, or (count 0) ``code`` literal pixels
            faults += x + (count or code) > width or y >= height
            x += count or code
            if not count:
                stored = code if bits == 8 else (code + 1) // 2
                pos += stored + (stored & 1)  # literal runs are padded to a 16-bit word
        elif code == 0:  # end of line
            x, y = 0, y + 1
        elif code == 1:  # end of bitmap
            finished = True
            break
        else:  # delta: move right and up
            if pos + 2 > end:
                break
            x, y = x + data[pos], y + data[pos + 1]
            pos += 2
            faults += x > width or y > height
    if not finished and y < height - 1:
        faults += 1
    return faults
