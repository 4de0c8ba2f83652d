"""Generated phone photos of a sheet lying on a desk, with the sheet's corners known.

A white A4 sheet (printed lines, a red seal, a black square marker in each
corner) is warped in perspective onto a textured wooden desk, a shadow
gradient falls across everything, and sensor noise is added. The corners are
returned in the photo's upright pixels (top-left, top-right, bottom-right,
bottom-left), so a test or the benchmark can measure how close cleaning came.
"""

from __future__ import annotations

import io
import math
import random
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

SHEET = (1240, 1754)  # A4 at 150 ppi
SEAL = (200, 30, 30)
MARK = 60  # side of each corner marker, sheet pixels
MARK_INSET = 70


@dataclass(frozen=True, slots=True)
class DeskPhoto:
    """A JPEG photo and where the sheet's corners are in it (upright pixels)."""

    data: bytes
    corners: tuple[tuple[float, float], ...]
    size: tuple[int, int]


def sheet(seed: int = 0, size: tuple[int, int] = SHEET) -> Image.Image:
    """The flat sheet: lines of "text", a red seal, four corner markers."""
    rnd = random.Random(seed)  # noqa: S311 - picture content
    w, h = size
    page = Image.new("RGB", size, (246, 244, 238))
    draw = ImageDraw.Draw(page)
    y = h // 8
    while y < h * 0.8:
        x = w // 10
        while x < w * 0.85:
            word = rnd.randint(w // 60, w // 12)
            draw.rectangle((x, y, x + word, y + h // 90), fill=(35, 35, 35))
            x += word + rnd.randint(w // 80, w // 40)
        y += h // 40
    r = w // 9
    cx, cy = int(w * 0.7), int(h * 0.86)
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), outline=SEAL, width=max(4, w // 110))
    draw.regular_polygon((cx, cy, r // 3), 5, fill=SEAL)
    s, m = size[0] * MARK // SHEET[0], size[0] * MARK_INSET // SHEET[0]
    for x0, y0 in ((m, m), (w - m - s, m), (w - m - s, h - m - s), (m, h - m - s)):
        draw.rectangle((x0, y0, x0 + s, y0 + s), fill=(0, 0, 0))
    return page


def _desk(size: tuple[int, int], rnd: random.Random) -> Image.Image:
    """Wood: brown with streaks along the grain and a coarse mottle."""
    w, h = size
    rows = np.array([rnd.uniform(-25, 25) for _ in range(h // 6 + 1)])
    grain = np.repeat(rows, 6)[:h][:, None] * np.ones((1, w))
    base = np.array([132 + rnd.randint(-10, 10), 92, 58], dtype=np.float64)
    wood = base[None, None, :] + grain[:, :, None] * np.array([1.0, 0.7, 0.45])
    # Seeded from the grain already drawn: Pillow's effect_noise follows C's rand(), whose
    # state is whatever ran before in the process, so a test's desk would vary with the order.
    rng = np.random.default_rng(int(abs(rows[:4]).sum() * 1e6))
    coarse = np.clip(rng.normal(128, 60, (h // 16, w // 16)), 0, 255).astype(np.uint8)
    mottle = Image.fromarray(coarse).resize((w, h), Image.Resampling.BICUBIC)
    wood += (np.asarray(mottle, dtype=np.float64)[:, :, None] - 128) * 0.25
    return Image.fromarray(np.clip(wood, 0, 255).astype(np.uint8))


def _coefficients(
    src: tuple[tuple[float, float], ...], dst: tuple[tuple[float, float], ...]
) -> list[float]:
    """Pillow PERSPECTIVE coefficients mapping output (dst) pixels back to sheet (src) pixels."""
    rows, rhs = [], []
    for (x, y), (u, v) in zip(dst, src, strict=True):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        rhs += [u, v]
    return [float(c) for c in np.linalg.solve(np.array(rows), np.array(rhs))]


def camera_corners(size: tuple[int, int], rnd: random.Random) -> tuple[tuple[float, float], ...]:
    """Where an A4 sheet's corners land in a pinhole camera held over it, tilted a little.

    A real perspective (focal length about the frame's long side, principal
    point in the centre), so the sheet's true proportions can be recovered.
    """
    w, h = size
    f = 0.9 * max(w, h)
    pitch, yaw, roll = (math.radians(rnd.uniform(a, b)) for a, b in ((12, 24), (-8, 8), (-8, 8)))
    rx = np.array(
        [[1, 0, 0], [0, math.cos(pitch), -math.sin(pitch)], [0, math.sin(pitch), math.cos(pitch)]]
    )
    ry = np.array(
        [[math.cos(yaw), 0, math.sin(yaw)], [0, 1, 0], [-math.sin(yaw), 0, math.cos(yaw)]]
    )
    rz = np.array(
        [[math.cos(roll), -math.sin(roll), 0], [math.sin(roll), math.cos(roll), 0], [0, 0, 1]]
    )
    rotation = rz @ ry @ rx
    distance = f * 297 / (0.7 * h)
    shift = np.array([rnd.uniform(-10, 10), rnd.uniform(-10, 10), distance])
    out = []
    for x, y in ((-105, -148.5), (105, -148.5), (105, 148.5), (-105, 148.5)):
        X = rotation @ np.array([x, y, 0.0]) + shift
        out.append(((f * X[0] / X[2] + w / 2) / w, (f * X[1] / X[2] + h / 2) / h))
    return tuple(out)


def desk_photo(
    seed: int = 0,
    size: tuple[int, int] = (1500, 2000),
    corners: tuple[tuple[float, float], ...] | None = None,
    shadow: float = 0.45,
    with_sheet: bool = True,
    quality: int = 92,
    exif: bool = True,
    page: Image.Image | None = None,
    label: str | None = None,
    dpi: int | None = None,
    orientation: int = 1,
) -> DeskPhoto:
    """A phone photo (upright, EXIF orientation 1) of the sheet on a desk.

    ``corners`` (fractions of the frame, tl/tr/br/bl) default to an A4 sheet
    seen by a tilted camera (``camera_corners``); ``shadow`` is how much darker the darkest
    edge of the light gradient is. ``page`` replaces the drawn sheet; ``label``
    is text written on the desk below the sheet; ``dpi`` is recorded as a
    scanner's; ``orientation`` 6 stores the pixels turned, as phones do.
    """
    rnd = random.Random(seed)  # noqa: S311 - picture content
    w, h = size
    if corners is None:
        corners = camera_corners(size, rnd)
    points = tuple((x * w, y * h) for x, y in corners)
    shot = _desk(size, rnd)
    if with_sheet:
        page = page if page is not None else sheet(seed, (SHEET[0] * 2, SHEET[1] * 2))
        pw, ph = page.size
        flat = ((0.0, 0.0), (pw, 0.0), (pw, ph), (0.0, ph))
        coeffs = _coefficients(flat, points)
        warped = page.transform(size, Image.Transform.PERSPECTIVE, coeffs, Image.Resampling.BICUBIC)
        mask = Image.new("L", page.size, 255).transform(
            size, Image.Transform.PERSPECTIVE, coeffs, Image.Resampling.BILINEAR
        )
        shot.paste(warped, (0, 0), mask)
    if label is not None:
        from packager.demo import cjk_font

        bottom = max(y for _, y in points)
        draw = ImageDraw.Draw(shot)
        draw.text(
            (w // 2, (bottom + h) / 2),
            label,
            font=cjk_font(h // 30),
            fill=(250, 250, 245),
            anchor="mm",
        )
    # Light falls from the top left; the far corner is ``shadow`` darker.
    gx = np.linspace(0, 1, w)[None, :]
    gy = np.linspace(0, 1, h)[:, None]
    light = 1.0 - shadow * (0.35 * gx + 0.65 * gy) ** 1.5
    pixels = np.asarray(shot.filter(ImageFilter.GaussianBlur(0.7)), dtype=np.float64)
    pixels = pixels * light[:, :, None]
    noise = np.random.default_rng(seed).normal(0, 4, pixels.shape)
    out = Image.fromarray(np.clip(pixels + noise, 0, 255).astype(np.uint8))
    buffer = io.BytesIO()
    options: dict[str, object] = {"quality": quality}
    tags = Image.Exif()
    if exif:
        tags[0x010F] = "DeskPhone"  # Make
        tags[0x0110] = "Model 12"  # Model
    if orientation == 6:
        tags[0x0112] = 6
        out = out.transpose(Image.Transpose.ROTATE_90)
    options["exif"] = tags
    if dpi is not None:
        options["dpi"] = (dpi, dpi)
    out.save(buffer, "JPEG", **options)
    return DeskPhoto(buffer.getvalue(), points, size)
