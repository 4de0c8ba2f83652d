"""One cached quality ladder on disk (the upload bundle's re-encodings of a photo).

The same sealed format as a page entry (``cache.entry.seal``): JSON rung
headers, the JPEG bytes, a SHA-256 of it all; anything odd is ``Corrupt``.
"""

from __future__ import annotations

from typing import Any

from packager.cache.entry import COLORSPACES, Corrupt, seal, unseal
from packager.image.reencode import Ladder, ShrinkJob
from packager.models import EncodedImage


def encode_ladder(ladder: Ladder) -> bytes:
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
    return seal({"rungs": rungs}, blobs)


def decode_ladder(blob: bytes, job: ShrinkJob) -> Ladder:
    """The ladder an entry holds for ``job``; ``Corrupt`` when it is damaged."""
    header, body, offset = unseal(blob)
    rungs = header["rungs"]
    if not isinstance(rungs, list) or len(rungs) != len(job.qualities):
        raise Corrupt("wrong number of rungs")
    ladder: list[EncodedImage | None] = []
    for rung in rungs:
        if rung is None:
            ladder.append(None)
            continue
        length = rung["length"]
        if type(length) is not int or rung.get("colorspace") not in COLORSPACES:
            raise Corrupt("bad rung")
        data = body[offset : offset + length]
        if len(data) != length:
            raise Corrupt("truncated data")
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
        raise Corrupt("trailing data")
    return tuple(ladder)
