"""Synthetic phone photos for the benchmarks: 12 MP, photographic noise, EXIF rotation.

Each photo is a sheet of paper with lines of "text" and a red seal lying
slightly askew on a textured table, with sensor noise, stored the way phones
store it (landscape pixels plus EXIF orientation 6) at quality 94, so each
file is 3–5 MB like a real phone shot. Generated once and cached under /tmp.
"""

from __future__ import annotations

import io
import os
import random
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

CACHE = Path(os.environ.get("PACKAGER_BENCH_CACHE", "/tmp/packager-bench-photos"))
SIZE = (4000, 3000)  # stored landscape; EXIF 6 shows it as 3000 x 4000 portrait
VERSION = 1


def photo(seed: int, size: tuple[int, int] = SIZE) -> bytes:
    """One phone-like JPEG, deterministic for its seed."""
    rnd = random.Random(seed)  # noqa: S311 - picture content, not secrets
    W, H = size[1], size[0]  # upright portrait canvas
    gradient = Image.linear_gradient("L").resize((W, H)).convert("RGB")
    table = Image.new("RGB", (W, H), (120 + rnd.randint(0, 40), 90, 60))
    background = Image.blend(table, gradient, 0.3)
    grain = Image.effect_noise((W // 8, H // 8), 40).resize((W, H), Image.Resampling.BICUBIC)
    background = Image.blend(background, grain.convert("RGB"), 0.25)
    paper = Image.new("RGB", (int(W * 0.8), int(H * 0.8)), (236, 233, 225))
    draw = ImageDraw.Draw(paper)
    pw, ph = paper.size
    y = 200
    while y < ph - 300:
        x = 150
        while x < pw - 200:
            word = rnd.randint(30, 160)
            draw.rectangle((x, y, x + word, y + 34), fill=(40, 40, 40))
            x += word + rnd.randint(20, 50)
        y += rnd.randint(70, 90)
    cx, cy = pw - 500, ph - 600
    draw.ellipse((cx - 220, cy - 220, cx + 220, cy + 220), outline=(200, 30, 30), width=22)
    paper = paper.rotate(
        rnd.uniform(-4, 4), resample=Image.Resampling.BICUBIC, expand=True, fillcolor=(0, 0, 0)
    )
    mask = paper.convert("L").point(lambda v: 255 if v > 10 else 0)
    background.paste(paper, ((W - paper.width) // 2, (H - paper.height) // 2), mask)
    background = background.filter(ImageFilter.GaussianBlur(0.8))
    noise = Image.merge("RGB", [Image.effect_noise((W, H), 30) for _ in range(3)])
    shot = Image.blend(background, noise, 0.17)
    stored = shot.transpose(Image.Transpose.ROTATE_90)
    exif = Image.Exif()
    exif[0x0112] = 6
    exif[0x010F] = "BenchPhone"
    exif[0x0110] = "12MP"
    buffer = io.BytesIO()
    stored.save(buffer, "JPEG", quality=94, exif=exif)
    return buffer.getvalue()


def _write(seed: int) -> Path:
    path = CACHE / f"v{VERSION}-photo-{seed:03d}.jpg"
    if not path.exists():
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(photo(seed))
        tmp.rename(path)
    return path


def photos(count: int) -> list[Path]:
    """Paths of ``count`` cached photos, generating the missing ones in parallel."""
    CACHE.mkdir(parents=True, exist_ok=True)
    with ProcessPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        return list(pool.map(_write, range(count)))
