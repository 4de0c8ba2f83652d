"""report.html thumbnails: pypdfium2 in-process vs poppler's pdftoppm, and what they weigh.

A packet of N A4 pages (a photo-like scan on each) is rasterised to the
report's thumbnails; the table gives seconds, ms per page, the embedded
size per page and the ratio to ``pdftoppm -jpeg`` at the same size.
"""

from __future__ import annotations

import base64
import io
import subprocess
import tempfile
import time
from pathlib import Path

from PIL import Image, ImageDraw

from packager.write.report import THUMB_LONG_SIDE, thumbnails


def packet(pages: int) -> bytes:
    """N A4 pages at 150 dpi, each a noisy 'scan' so JPEG sizes are realistic."""
    frames = []
    for n in range(pages):
        im = Image.effect_noise((1240, 1754), 40).convert("RGB")
        draw = ImageDraw.Draw(im)
        draw.rectangle((100, 100, 1140, 300), fill=(250, 250, 245))
        draw.text((120, 150), f"page {n + 1}", fill=(0, 0, 0))
        frames.append(im)
    buffer = io.BytesIO()
    frames[0].save(buffer, "PDF", resolution=150, save_all=True, append_images=frames[1:])
    return buffer.getvalue()


def poppler_seconds(data: bytes) -> float:
    """Wall time of pdftoppm producing JPEGs of the same long side."""
    with tempfile.TemporaryDirectory() as tmp:
        pdf = Path(tmp) / "p.pdf"
        pdf.write_bytes(data)
        start = time.perf_counter()
        subprocess.run(
            ["pdftoppm", "-jpeg", "-scale-to", str(THUMB_LONG_SIDE), str(pdf), f"{tmp}/t"],
            check=True,
            capture_output=True,
        )
        return time.perf_counter() - start


def main() -> str:
    rows = [
        "| pages | pypdfium2 s | ms/page | embedded KB/page | pdftoppm s | ratio |",
        "| ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for pages in (10, 40, 100):
        data = packet(pages)
        start = time.perf_counter()
        images = thumbnails(data)
        ours = time.perf_counter() - start
        embedded = sum(len(base64.b64encode(i)) for i in images) / pages / 1024
        theirs = poppler_seconds(data)
        rows.append(
            f"| {pages} | {ours:.2f} | {1000 * ours / pages:.0f} | {embedded:.1f} | "
            f"{theirs:.2f} | {ours / theirs:.2f} |"
        )
    table = "\n".join(rows)
    print(table)
    return table
