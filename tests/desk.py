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


# Surfaces a sheet is photographed on: base colour, grain strength, mottle strength.
SURFACES: dict[str, tuple[tuple[int, int, int], float, float]] = {
    "wood": ((132, 92, 58), 25.0, 0.25),
    "dark_wood": ((70, 45, 30), 18.0, 0.2),
    "light_wood": ((196, 150, 104), 20.0, 0.2),
    "white_table": ((214, 214, 210), 2.0, 0.06),
    "cloth": ((60, 80, 130), 8.0, 0.5),
}


def _desk(size: tuple[int, int], rnd: random.Random, surface: str = "wood") -> Image.Image:
    """A surface: its colour with streaks along the grain and a coarse mottle (cloth: a weave)."""
    w, h = size
    colour, strength, mottling = SURFACES[surface]
    rows = np.array([rnd.uniform(-strength, strength) for _ in range(h // 6 + 1)])
    grain = np.repeat(rows, 6)[:h][:, None] * np.ones((1, w))
    base = np.array([colour[0] + rnd.randint(-10, 10), colour[1], colour[2]], dtype=np.float64)
    wood = base[None, None, :] + grain[:, :, None] * np.array([1.0, 0.7, 0.45])
    if surface == "cloth":  # a weave: fine checks across the grain
        yy, xx = np.mgrid[0:h, 0:w]
        wood += (((xx // 3 + yy // 3) % 2) * 14 - 7)[:, :, None]
    # Seeded from the grain already drawn: Pillow's effect_noise follows C's rand(), whose
    # state is whatever ran before in the process, so a test's desk would vary with the order.
    rng = np.random.default_rng(int(abs(rows[:4]).sum() * 1e6))
    coarse = np.clip(rng.normal(128, 60, (h // 16, w // 16)), 0, 255).astype(np.uint8)
    mottle = Image.fromarray(coarse).resize((w, h), Image.Resampling.BICUBIC)
    wood += (np.asarray(mottle, dtype=np.float64)[:, :, None] - 128) * mottling
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
    surface: str = "wood",
    hand: int | None = None,
    curl: float = 0.0,
    cast: bool = False,
    fmt: str = "JPEG",
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
    shot = _desk(size, rnd, surface)
    if with_sheet:
        page = page if page is not None else sheet(seed, (SHEET[0] * 2, SHEET[1] * 2))
        pad = 0
        if curl:
            page, pad = _curled(page, curl)
        pw, ph = page.size
        flat = ((pad, 0.0), (pw - pad, 0.0), (pw - pad, ph), (pad, ph))
        coeffs = _coefficients(flat, points)
        warped = page.transform(size, Image.Transform.PERSPECTIVE, coeffs, Image.Resampling.BICUBIC)
        alpha = page.getchannel("A") if page.mode == "RGBA" else Image.new("L", page.size, 255)
        page = page.convert("RGB")
        mask = alpha.transform(size, Image.Transform.PERSPECTIVE, coeffs, Image.Resampling.BILINEAR)
        shot.paste(warped, (0, 0), mask)
    if hand is not None:
        _hand(shot, points[hand], rnd)
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
    if cast:  # the phone's own shadow: a soft-edged dark band across the lower left
        edge = np.clip((gx * 0.6 + (1 - gy) * 0.4 - 0.35) * 40, 0, 1)
        light = light * (0.55 + 0.45 * edge)
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
    if fmt == "PNG":
        out.save(buffer, "PNG", **({"dpi": options["dpi"]} if dpi is not None else {}))
    else:
        out.save(buffer, "JPEG", **options)
    return DeskPhoto(buffer.getvalue(), points, size)


def on_a_table(page: Image.Image, size: tuple[int, int], seed: int) -> Image.Image:
    """``page`` lying flat on a grainy table, shot square-on: evenly lit, weak sensor noise.

    Its paper JPEG-flattens into a few values (half the pixels in 8 colours at
    q90), which is what the screenshot test must not mistake for a screen.
    """
    rnd = random.Random(seed)  # noqa: S311 - picture content
    w, h = size
    table = Image.new("RGB", size, (128 + rnd.randint(0, 30), 96, 64))
    grain = Image.effect_noise((w // 8, h // 8), 40).resize(size).convert("RGB")
    table = Image.blend(table, grain, 0.25)
    page = page.rotate(rnd.uniform(-2, 2), expand=True, fillcolor=(0, 0, 0))
    mask = page.convert("L").point(lambda v: 255 if v > 10 else 0)
    table.paste(page, ((w - page.width) // 2, (h - page.height) // 2), mask)
    shot = table.filter(ImageFilter.GaussianBlur(0.9))
    noise = Image.merge("RGB", [Image.effect_noise(shot.size, 25) for _ in range(3)])
    return Image.blend(shot, noise, 0.12)


def _curled(page: Image.Image, curl: float) -> tuple[Image.Image, int]:
    """The page with its long sides bowed outwards by ``curl`` of its width, print and all.

    The canvas grows by the bow on each side (returned), so the paper's
    corners stay the page's corners: a curled sheet lying on a desk.
    """
    w, h = page.size
    pad = max(1, round(curl * w))
    rgb = np.asarray(page.convert("RGB"))
    out = np.zeros((h, w + 2 * pad, 3), np.uint8)
    mask = np.zeros((h, w + 2 * pad), np.uint8)
    bow = pad * np.sin(np.pi * np.arange(h) / max(1, h - 1))
    for y in range(h):
        row_w = w + 2 * round(bow[y])
        row = Image.fromarray(rgb[y : y + 1]).resize((row_w, 1), Image.Resampling.BILINEAR)
        x0 = pad - round(bow[y])
        out[y, x0 : x0 + row_w] = np.asarray(row)[0]
        mask[y, x0 : x0 + row_w] = 255
    bowed = Image.fromarray(out)
    bowed.putalpha(Image.fromarray(mask))
    return bowed, pad


def _hand(shot: Image.Image, corner: tuple[float, float], rnd: random.Random) -> None:
    """A hand (skin-coloured palm and fingers, shaded) lying over ``corner``."""
    w, h = shot.size
    r = 0.09 * min(w, h)
    cx, cy = corner
    layer = Image.new("L", shot.size, 0)
    draw = ImageDraw.Draw(layer)
    draw.ellipse((cx - r, cy - r * 0.8, cx + r, cy + r * 0.8), fill=255)
    towards = math.atan2(h / 2 - cy, w / 2 - cx)
    for k in range(4):  # fingers reaching onto the sheet
        a = towards + math.radians(-30 + 20 * k)
        fx, fy = cx + 1.6 * r * math.cos(a), cy + 1.6 * r * math.sin(a)
        draw.line((cx, cy, fx, fy), fill=255, width=round(0.28 * r))
    layer = layer.filter(ImageFilter.GaussianBlur(2))
    skin = Image.new("RGB", shot.size, (196 + rnd.randint(-15, 15), 140, 112))
    shot.paste(skin, (0, 0), layer)


@dataclass(frozen=True, slots=True)
class HardDesk:
    """A hard photo and what cleaning it must give.

    ``visible``: all four corners show, so they must be found within 1 % of
    the diagonal; otherwise the page is flattened or cropped (the fallback),
    never cut into the print.
    """

    name: str
    photo: DeskPhoto
    visible: bool
    png: bool = False
    # Read with OCR: the text is the only cue (a white sheet on a white table).
    ocr: bool = False


def _printed(seed: int) -> Image.Image:
    """The drawn sheet with lines of real Chinese text over its bars (detection sees text)."""
    from packager.demo import cjk_font

    page = sheet(seed, (SHEET[0] * 2, SHEET[1] * 2))
    draw = ImageDraw.Draw(page)
    w, h = page.size
    draw.rectangle((w // 12, h // 9, w - w // 12, h // 2), fill=(246, 244, 238))
    for i in range(8):
        draw.text((w // 10, h // 8 + i * h // 24), f"第{i + 1}行 实发工资 4,800.00 元",
                  font=cjk_font(h // 40), fill=(30, 30, 30))  # fmt: skip
    return page


RECEIPT = (620, 1860)  # a till receipt three times longer than wide, at about 150 ppi


def hard_desks(size: tuple[int, int] = (1500, 2000)) -> tuple[HardDesk, ...]:
    """The generated hard set: surfaces, light, a hand, the frame, curl, receipts, containers."""
    out = [
        HardDesk("light wood", desk_photo(40, size, surface="light_wood"), True),
        HardDesk("dark wood", desk_photo(41, size, surface="dark_wood"), True),
        HardDesk(
            "white table",
            desk_photo(42, size, surface="white_table", page=_printed(42)),
            False,
            ocr=True,
        ),
        HardDesk("cloth", desk_photo(43, size, surface="cloth"), True),
        HardDesk("uneven light", desk_photo(44, size, shadow=0.6, cast=True), True),
        HardDesk("hand over a corner", desk_photo(45, size, hand=2), False),
        HardDesk(
            "corner out of frame",
            desk_photo(46, size, corners=((0.12, 0.08), (0.97, 0.1), (1.06, 0.94), (0.1, 0.9))),
            False,
        ),
        HardDesk("curled page", desk_photo(47, size, curl=0.025), False),
        HardDesk(
            "long receipt",
            desk_photo(
                48,
                size,
                page=sheet(48, RECEIPT),
                corners=((0.31, 0.06), (0.69, 0.07), (0.70, 0.93), (0.30, 0.92)),
            ),
            True,
        ),
        HardDesk("low resolution", desk_photo(49, (480, 640)), True),
        HardDesk("stored as PNG", desk_photo(50, size, exif=False, fmt="PNG"), True, png=True),
        HardDesk("forwarded without EXIF", desk_photo(51, size, exif=False, quality=80), True),
    ]
    return tuple(out)
