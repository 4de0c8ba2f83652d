"""Peak memory of `packager build` for 10, 20 and 40 twelve-megapixel phone photos.

The photos (4000×3000 JPEG, q92, sensor-like noise, about 4 MB each, half of
them stored sideways with EXIF orientation 6) are generated once into
``/tmp/packager-bench-memory`` and reused. Each build runs in its own
process; its peak RSS comes from ``os.wait4``, i.e. for that child alone.
Target: under 400 MB, flat in the number of photos.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from PIL import Image, ImageDraw

from packager.demo import CASE_TOML

CACHE = Path(tempfile.gettempdir()) / "packager-bench-memory"
COUNTS = (10, 20, 40)
SIZE = (4000, 3000)


def _photo(index: int) -> Image.Image:
    """A phone photo of a ruled sheet on a textured table: realistic JPEG size and entropy."""
    w, h = SIZE
    base = Image.linear_gradient("L").rotate(index * 37 % 360).resize(SIZE).convert("RGB")
    texture = Image.merge(
        "RGB",
        (
            Image.effect_noise((w // 8, h // 8), 40).resize(SIZE, Image.Resampling.BICUBIC),
            Image.effect_noise((w // 16, h // 16), 50).resize(SIZE, Image.Resampling.BICUBIC),
            Image.effect_noise(SIZE, 18),
        ),
    )
    im = Image.blend(base, texture, 0.5)
    draw = ImageDraw.Draw(im)
    left, top = 500 + index * 7 % 200, 250 + index * 11 % 150
    draw.rectangle((left, top, w - left, h - top), fill=(240, 238, 230))
    for y in range(top + 200, h - top - 100, 60 + index % 5):
        draw.line(
            (left + 100, y, w - left - 100 - (y * index) % 700, y), fill=(40, 40, 40), width=6
        )
    return Image.blend(im, Image.effect_noise(SIZE, 30).convert("RGB"), 0.2)


def photos(count: int) -> list[Path]:
    """The first ``count`` cached photos, generating the missing ones."""
    CACHE.mkdir(exist_ok=True)
    paths = []
    for index in range(count):
        path = CACHE / f"IMG_{index + 1:04d}.jpg"
        if not path.exists():
            im = _photo(index)
            exif = Image.Exif()
            exif[0x0112] = 6 if index % 2 else 1
            if index % 2:
                im = im.transpose(Image.Transpose.ROTATE_90)
            partial = path.with_suffix(".part")
            im.save(partial, "JPEG", quality=92, exif=exif, dpi=(72, 72))
            partial.rename(path)
        paths.append(path)
    return paths


def _case(root: Path, sources: list[Path]) -> Path:
    case = root / "inbox" / "bench"
    folder = case / "收入证明"
    folder.mkdir(parents=True)
    for kind in ("支出明细", "疾病证明"):
        (case / kind).mkdir()
    today = date.today()
    (case / "case.toml").write_text(
        CASE_TOML.format(
            overdue=(today - timedelta(days=8)).isoformat(),
            contact=(today - timedelta(days=6)).isoformat(),
        ),
        encoding="utf-8",
    )
    for i, source in enumerate(sources):
        # Spread over the required kinds so the packet is complete.
        kind = ("收入证明", "支出明细", "疾病证明")[i % 3]
        os.link(source, case / kind / source.name)
    return case


def measure(count: int) -> dict[str, float]:
    """Build a case of ``count`` photos in a child process; its peak RSS and time."""
    sources = photos(count)
    with tempfile.TemporaryDirectory(prefix="packager-bench-") as tmp:
        root = Path(tmp)
        case = _case(root, sources)
        started = time.perf_counter()
        child = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "packager",
                "build",
                str(case),
                "-o",
                str(root / "out"),
                "--no-ocr",
                "--no-clean",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
        elapsed = time.perf_counter() - started
        if child.returncode not in (0, 5):
            raise RuntimeError(child.stderr.read().decode() if child.stderr else "build failed")
        if child.stderr:
            child.stderr.close()
        packet = next((root / "out" / "bench").glob("*.pdf"))
        return {
            "photos": count,
            "input_mb": sum(p.stat().st_size for p in sources) / 1e6,
            "packet_mb": packet.stat().st_size / 1e6,
            "rss_mb": usage.ru_maxrss / 1024,  # Linux: KiB
            "seconds": elapsed,
        }


def main() -> str:
    """Run the three sizes; return the Markdown table."""
    rows = [measure(n) for n in COUNTS]
    lines = [
        "| photos (12 MP) | input | packet | peak RSS | time |",
        "| ---: | ---: | ---: | ---: | ---: |",
    ]
    lines += [
        f"| {r['photos']:.0f} | {r['input_mb']:.0f} MB | {r['packet_mb']:.0f} MB "
        f"| {r['rss_mb']:.0f} MB | {r['seconds']:.1f} s |"
        for r in rows
    ]
    table = "\n".join(lines)
    print(table)
    return table


if __name__ == "__main__":
    main()
