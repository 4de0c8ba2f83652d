"""A photo's JPEG rebuilt from the segments a decoder needs, so no metadata can ride along.

Photos go into the packet as their own compressed bytes (no re-encoding), but
their header holds what the lender has no need for: EXIF (phone model, time,
GPS), XMP, Photoshop/IPTC blocks, comments, MPO frames with their own EXIF.
Filtering out what we recognise is not enough: a segment length that does
not add up, junk before a marker or a cut-short segment would make a filter
give up and embed the header whole. So the header is *rebuilt*: only the
segments on an allow list are copied (frame, Huffman and quantisation tables,
restart interval, scans; JFIF without its thumbnail, the ICC profile, Adobe's
colour-transform flag), junk is skipped by resyncing to the next marker, and
nothing after the first image's end (EOI) is kept. When the header cannot be
rebuilt with confidence, ``rebuild`` says so and the caller re-encodes the
photo from its pixels instead of embedding bytes it does not understand.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SOI, EOI = b"\xff\xd8", b"\xff\xd9"
# Start-of-frame markers (baseline, progressive, lossless, arithmetic);
# C4 (DHT), C8 (reserved) and CC (DAC) share the range but are not frames.
SOF = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
# Tables and parameters a decoder needs: DHT, DAC, DQT, DNL, DRI.
TABLES = frozenset({0xC4, 0xCC, 0xDB, 0xDC, 0xDD})
SOS = 0xDA
# The next marker after entropy-coded data or junk: 0xFF followed by a byte
# that is not stuffing (00), a restart marker (D0–D7) or fill (FF).
_MARKER = re.compile(rb"\xff[^\x00\xd0-\xd7\xff]")
# Adobe APP14: "Adobe", version, flags0, flags1, transform (12 bytes).
_ADOBE_LEN = 12


@dataclass(frozen=True, slots=True)
class Rebuilt:
    """The rebuilt JPEG; ``clean`` when its header parsed without a single repair."""

    data: bytes
    clean: bool
    dropped: tuple[str, ...] = ()


def _app0(body: bytes) -> bytes | None:
    """JFIF APP0 without its thumbnail (version, units, density only)."""
    if not body.startswith(b"JFIF\x00") or len(body) < 14:
        return None
    return b"\xff\xe0\x00\x10" + body[:12] + b"\x00\x00"


def _kept(marker: int, segment: bytes) -> bytes | None:
    """The segment as it goes into the rebuilt header, or None to drop it."""
    body = segment[4:]
    if marker in SOF or marker in TABLES:
        return segment
    if marker == 0xE0:
        return _app0(body)
    if marker == 0xE2 and body.startswith(b"ICC_PROFILE\x00"):
        return segment
    if marker == 0xEE and body.startswith(b"Adobe") and len(body) >= _ADOBE_LEN:
        return segment
    return None


def _name(marker: int, segment: bytes) -> str:
    """A short name of a dropped segment (for tests and the developer log)."""
    body = segment[4:]
    if body.startswith(b"Exif\x00"):
        return "EXIF"
    if body.startswith(b"http://ns.adobe.com/xap/"):
        return "XMP"
    if body.startswith(b"Photoshop 3.0"):
        return "Photoshop"
    if body.startswith(b"MPF\x00"):
        return "MPF"
    if marker == 0xFE:
        return "COM"
    return f"APP{marker - 0xE0}" if 0xE0 <= marker <= 0xEF else f"FF{marker:02X}"


def rebuild(jpeg: bytes) -> Rebuilt | None:
    """The first image of ``jpeg`` with an allow-listed header; None when that is not safe.

    Not safe: no SOI, a needed segment cut short or with a length that does
    not add up, a second SOI or frame header inside the first image, no frame
    or no scan. Metadata with a wrong length is skipped by resyncing to the
    next marker (``clean`` False, so the caller can check the result decodes
    as the original does).
    """
    if not jpeg.startswith(SOI):
        return None
    out = [SOI]
    dropped: list[str] = []
    clean = True
    frames = scans = 0
    pos, size = 2, len(jpeg)
    while pos < size:
        if jpeg[pos] != 0xFF or pos + 1 >= size:
            found = _MARKER.search(jpeg, pos)
            clean = False
            if found is None:
                break
            pos = found.start()
            continue
        marker = jpeg[pos + 1]
        if marker == 0xFF:  # fill byte before a marker
            pos += 1
            continue
        if marker == 0xD9:
            out.append(EOI)
            break
        if marker == 0xD8 or (marker in SOF and frames):
            return None  # an image inside the image (a thumbnail reached by resync)
        if marker == 0x00 or 0xD0 <= marker <= 0xD7 or marker == 0x01:
            clean = False  # stray stuffing or restart marker outside a scan
            pos += 2
            continue
        if pos + 4 > size:
            return None
        end = pos + 2 + int.from_bytes(jpeg[pos + 2 : pos + 4], "big")
        segment = jpeg[pos:end]
        kept = _kept(marker, segment)
        # After a segment comes a marker; after a scan header, entropy-coded data.
        misfit = marker != SOS and end < size and jpeg[end] != 0xFF
        if end > size or end - pos < 4:
            return None  # cut short: a decoder would read past it
        if misfit and kept is not None:
            # Junk after a needed segment, or a wrong length: kept as
            # declared and checked by the caller (``clean`` False).
            clean = False
        elif misfit:
            # Metadata whose length does not add up: skipped up to the next marker.
            clean = False
            dropped.append(_name(marker, segment))
            found = _MARKER.search(jpeg, pos + 4)
            pos = found.start() if found is not None else size
            continue
        if marker == SOS:
            if not frames:
                return None
            scans += 1
            found = _MARKER.search(jpeg, end)
            stop = found.start() if found is not None else size
            out.append(jpeg[pos:stop])
            pos = stop
            continue
        if kept is None:
            dropped.append(_name(marker, segment))
            if marker == 0xEE:
                clean = False  # a cut-short Adobe flag: check the decode agrees
        else:
            out.append(kept)
            frames += marker in SOF
        pos = end
    if not frames or not scans:
        return None
    if out[-1] != EOI:
        out.append(EOI)
        clean = False
    if pos + 2 < size:
        dropped.append("after EOI")
    return Rebuilt(b"".join(out), clean, tuple(dropped))


def complete(jpeg: bytes) -> bool:
    """True when the first image's data runs to its end marker (decided from the data)."""
    pos = 2
    while True:
        found = _MARKER.search(jpeg, pos)
        if found is None:
            return False
        marker = jpeg[found.start() + 1]
        if marker == 0xD9:
            return True
        start = found.start()
        if marker in SOF or marker in TABLES or marker == SOS or 0xE0 <= marker <= 0xFE:
            if start + 4 > len(jpeg):
                return False
            end = start + 2 + int.from_bytes(jpeg[start + 2 : start + 4], "big")
            if end > len(jpeg):
                return False
            pos = max(end, start + 2)
        else:
            pos = start + 2
