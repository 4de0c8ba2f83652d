"""The cues a sheet is found by: its types, thresholds, and the edge, paper and text measures.

See the package's docstring for how they are scored together.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np
from cv2.typing import MatLike
from numpy.typing import NDArray

Pixels = MatLike
Quad = tuple[tuple[float, float], tuple[float, float], tuple[float, float], tuple[float, float]]
"""Corners top-left, top-right, bottom-right, bottom-left, in the photo's upright pixels."""


# What the finder is (part of the page cache's key: a new finder cleans again).
FINDER = 4
# The sheet is looked for on a copy this big on its long side.
FIND_SIDE = 720
# Edge thresholds (Sobel gradient): paper on a desk steps by 40 or more levels; below
# 40/120 the grain of a wooden desk joins the outline on 12 MP photos (2 of 12 here).
CANNY = (40.0, 120.0)
# A quad smaller than this share of the frame is a card or a label, not the sheet.
MIN_AREA = 0.12
# A quad larger than this share already fills the frame: nothing to crop.
FILLS_AREA = 0.88
# Corners closer than this share of the short side to the frame edge: the sheet runs out of
# the picture, and its outline there is the frame's, not the paper's.
EDGE_MARGIN = 0.006
# A corner's angle outside this range is not a sheet seen by a phone.
ANGLES = (45.0, 135.0)
# Paper must be at least this much brighter (0-255) than what lies just outside it.
MIN_CONTRAST = 12.0
# Aspect ratios snapped to when the estimate is this close (relative).
SNAP = 0.035
PAPER_RATIOS = (math.sqrt(2), 11 / 8.5)
# After the division paper sits at 245-255 (sensor noise the background estimate
# cannot follow); this level and above becomes pure white. Measured on the
# generated desk photos (benchmarks/bench_clean.py): the JPEG of a page of
# text at 200 ppi halves (247 -> 129 KB at q80), while ink, seals and a faint
# grey watermark move by at most 4 %: paper noise goes, nothing printed does.
PAPER_WHITE = 245
# Residual skew (print askew on its sheet, a photocopy copied askew): looked for
# within this many degrees, corrected only from this many on (less does not show),
# and only when the best angle's line profile beats the unturned one by this factor.
SKEW_RANGE = 5.0
SKEW_MIN = 0.3
SKEW_CONFIDENCE = 1.25
SKEW_SIDE = 800
# ... measured on at most about this many of the copy's ink pixels.
SKEW_POINTS = 20_000


def version() -> str:
    """What shapes a cleaned page here: the OpenCV build."""
    return f"opencv {cv2.__version__} finder {FINDER}"


@dataclass(frozen=True, slots=True)
class Found:
    """What looking for the sheet found.

    ``quad`` is set only for a confident find; ``crop`` for the second best;
    ``fills`` when the paper already fills the frame; ``document`` when
    something paper-like lies on a background but neither was found.
    """

    quad: Quad | None
    fills: bool = False
    document: bool = False
    # The second best, when no outline is trusted: a levelled rectangle around the
    # paper and its text, to cut out (corners clockwise from its top-left).
    crop: Quad | None = None
    # ``crop`` follows the seeded segmentation (``seeded_paper``): a guess at the paper's
    # extent, which may hold a pale desk it took for paper, so the page is always said.
    seeded: bool = False


def _angles_ok(quad: NDArray[np.float64]) -> bool:
    for i in range(4):
        a, b, c = quad[i - 1], quad[i], quad[(i + 1) % 4]
        u, v = a - b, c - b
        cos = float(np.dot(u, v) / (np.linalg.norm(u) * np.linalg.norm(v) + 1e-9))
        if not ANGLES[0] <= math.degrees(math.acos(max(-1.0, min(1.0, cos)))) <= ANGLES[1]:
            return False
    return True


def _bands(grey: Pixels, quad: NDArray[np.float64]) -> tuple[Pixels, Pixels]:
    """Masks of a band just inside the quad and a band outside it, off its very edge."""
    h, w = grey.shape
    band = max(4, round(0.025 * min(h, w)))
    centre = quad.mean(axis=0)
    spread = np.maximum(np.ptp(quad, axis=0), 1.0)

    def grown(by: float) -> Pixels:
        poly = centre + (quad - centre) * (1 + 2 * by / spread)
        mask = np.zeros((h, w), np.uint8)
        cv2.fillConvexPoly(mask, np.round(poly).astype(np.int32), 255)
        return mask

    inside: Pixels = cv2.bitwise_and(grown(-band / 3), cv2.bitwise_not(grown(-band)))
    outside: Pixels = cv2.bitwise_and(grown(band), cv2.bitwise_not(grown(band / 3)))
    return inside, outside


def _contrast(grey: Pixels, inside: Pixels, outside: Pixels) -> float:
    """Mean brightness just inside the quad minus just outside it."""
    if not inside.any() or not outside.any():
        return 0.0
    return float(cv2.mean(grey, inside)[0] - cv2.mean(grey, outside)[0])


def _document_like(grey: Pixels) -> bool:
    """A large, solid, bright region on a darker surround: paper the outline search missed."""
    h, w = grey.shape
    _, bright = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    bright = cv2.morphologyEx(bright, cv2.MORPH_OPEN, np.ones((9, 9), np.uint8))
    contours, _ = cv2.findContours(bright, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return False
    largest = max(contours, key=cv2.contourArea)
    area = cv2.contourArea(largest)
    hull = cv2.contourArea(cv2.convexHull(largest))
    share = area / (h * w)
    return MIN_AREA <= share <= FILLS_AREA and hull > 0 and area / hull > 0.85


TextBox = tuple[tuple[float, float], ...]
"""A detected line of text: its four corners (RapidOCR's box), in the photo's upright pixels."""


# A candidate is trusted as the sheet's outline (and flattened) from this score on.
SURE_SCORE = 0.62
# Each trusted side must have edge evidence along at least this share of its length
# (a side on the frame's border needs none: the sheet runs out of the picture there).
MIN_SUPPORT = 0.45
# Recognised lines inside a trusted outline, at least this share (the rest: wood grain
# read as text, a caption on the desk; more than that and the crop is unsure anyway).
TEXT_INSIDE = 0.9
# The second-best crop keeps this share of the short side of air around what it keeps.
CROP_MARGIN = 0.025
# A crop that would keep more than this share of the frame removes too little to be worth it.
CROP_MAX = 0.9
# Colour channels' steps count this many times a brightness step (see ``_edges``).
COLOUR_GAIN = 2.0
# The paper fills the frame when this share of the frame's edge is paper.
FILLS_RING = 0.85
# Screenshots: a flat UI has more than this share of its pixels in its few commonest colours.
FLAT_SHARE = 0.3
# Camera noise: mean detail of smooth areas (0-255) at the finder's scale, at least this.
MIN_NOISE = 0.35
# ... and at least this with a flat share of colours: a screenshot measures 0.16-0.46 (the
# anti-aliased text of its rows), a phone photo whose paper JPEG flattened into 51-66 % of
# its pixels in 8 colours 1.7-1.9; the real photos 0.6-1.9 with 3-26 % flat.
NOISY = 1.0


def _channels(small: Pixels) -> list[Pixels]:
    """Grey, saturation and Lab a/b, each with the print closed away.

    Paper differs from what it lies on in brightness (a dark desk), in colour
    (a brown desk under warm light can be as bright as shaded paper, but never
    as grey) or both: edges are looked for in each, so one weak cue does not
    lose the sheet.
    """
    if small.ndim == 2:
        chans = [small]
    else:
        lab = cv2.cvtColor(small, cv2.COLOR_RGB2LAB)
        hsv = cv2.cvtColor(small, cv2.COLOR_RGB2HSV)
        chans = [cv2.cvtColor(small, cv2.COLOR_RGB2GRAY), hsv[..., 1], lab[..., 1], lab[..., 2]]
    kernel = np.ones((9, 9), np.uint8)
    return [
        cv2.morphologyEx(cv2.GaussianBlur(c, (5, 5), 0), cv2.MORPH_CLOSE, kernel, iterations=2)
        for c in chans
    ]


def _edges(closed: list[Pixels]) -> Pixels:
    """Canny on every channel; a colour channel's steps doubled (paper and wood differ by 10-20).

    Not stretched to the channel's range: on a grey scene that would raise
    JPEG's chroma blocks into edges all over the paper.
    """
    out: Pixels = np.zeros(closed[0].shape, np.uint8)
    for i, chan in enumerate(closed):
        if i:
            chan = cv2.convertScaleAbs(chan, alpha=COLOUR_GAIN, beta=-128 * COLOUR_GAIN + 128)
        out = cv2.bitwise_or(out, cv2.Canny(chan, CANNY[0], CANNY[1]))
    return out


def _chroma(closed: list[Pixels]) -> Pixels | None:
    """How coloured each pixel is (Lab distance from grey), None for a grey photo."""
    if len(closed) == 1:
        return None
    a = np.abs(closed[2].astype(np.int16) - 128)
    b = np.abs(closed[3].astype(np.int16) - 128)
    chroma: Pixels = np.clip(a + b, 0, 255).astype(np.uint8)
    return chroma


def _paper_mask(closed: list[Pixels]) -> Pixels:
    """Paper versus surround: bright and grey against darker or coloured (Otsu on both)."""
    grey = closed[0]
    chroma = _chroma(closed)
    if chroma is not None:
        score = np.clip(grey.astype(np.int16) - 2 * chroma, 0, 255).astype(np.uint8)
    else:
        score = grey
    _, mask = cv2.threshold(score, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    mask = cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones((7, 7), np.uint8))
    return mask


def text_angle(boxes: Sequence[TextBox]) -> float | None:
    """Degrees (clockwise in the image) the text's lines run at, from their boxes; None if unclear.

    The median direction of the long side of every box clearly longer than
    high (a short box says nothing), taken modulo 180, when most agree within
    8 degrees.
    """
    angles = []
    for b in boxes:
        p = np.array(b, dtype=np.float64)
        if len(p) < 4:
            continue
        top, side = p[1] - p[0], p[3] - p[0]
        lt, ls = float(np.linalg.norm(top)), float(np.linalg.norm(side))
        if lt > 2.5 * ls:
            angles.append(math.degrees(math.atan2(top[1], top[0])))
        elif ls > 2.5 * lt:
            angles.append(math.degrees(math.atan2(side[1], side[0])) - 90)
    if len(angles) < 3:
        return None
    # Mod 180 around the circle: doubled angles averaged, then halved.
    doubled = np.radians(np.array(angles) * 2)
    mean = math.degrees(math.atan2(np.sin(doubled).mean(), np.cos(doubled).mean())) / 2
    spread = np.abs((np.array(angles) - mean + 90) % 180 - 90)
    if np.mean(spread < 8) < 0.6:
        return None
    return float(np.median((np.array(angles)[spread < 8] - mean + 90) % 180 - 90) + mean)


def looks_photographed(rgb: Pixels) -> bool:
    """A camera's picture, judged from its pixels, not its container or EXIF.

    A screenshot is flat: most of its pixels share a few exact colours (UI
    fills, a viewer's backdrop) and its smooth areas have no noise. A photo,
    saved as JPEG, PNG or forwarded without EXIF, has sensor noise
    everywhere and no large run of one exact colour (clipped white paper
    aside, which is why pure white and black are not counted). Evenly lit
    paper that JPEG flattened into a few values can still fill a third of
    a photo: then the rest must be clearly noisy (``NOISY``), as a desk is
    and a screen's anti-aliased text is not.
    """
    h, w = rgb.shape[:2]
    step = max(1, round(max(h, w) / 600))
    sample = rgb[::step, ::step]
    flat = sample.reshape(-1, sample.shape[2]) if sample.ndim == 3 else sample.reshape(-1, 1)
    packed = flat.astype(np.int64) @ (256 ** np.arange(flat.shape[1], dtype=np.int64))
    top = 255 * sum(256**i for i in range(flat.shape[1]))
    packed = packed[(packed != 0) & (packed != top)]
    if not len(packed):
        return False
    _, counts = np.unique(packed, return_counts=True)
    common = float(np.sort(counts)[-8:].sum()) / len(packed)
    grey = (
        sample
        if sample.ndim == 2
        else cv2.cvtColor(np.ascontiguousarray(sample), cv2.COLOR_RGB2GRAY)
    )
    detail = cv2.absdiff(grey, cv2.GaussianBlur(grey, (0, 0), 1))
    smooth = cv2.GaussianBlur(detail, (0, 0), 3) < 6
    noise = float(detail[smooth].mean()) if smooth.any() else 0.0
    # Flat colours speak against a photo only where the rest is nearly noiseless too: a
    # camera's evenly lit paper, JPEG-flattened to a few values, lies on a noisy desk.
    return noise >= (MIN_NOISE if common <= FLAT_SHARE else NOISY)


def _segments(edges: Pixels, angle: float | None) -> list[NDArray[np.float64]]:
    """Quads from long straight edge segments: one line per side, or the frame's edge.

    A sheet whose corners are out of the picture, or whose outline a hand or
    a shadow breaks, leaves no closed contour, but its sides still show as
    long straight edges. Segments (probabilistic Hough) a fifth of the frame
    long or more are merged into lines, sorted into the four sides by their
    direction (relative to the text's, when known) and position; each side
    takes one of its three longest lines or the frame's own edge.
    """
    h, w = edges.shape
    short = min(h, w)
    found = cv2.HoughLinesP(
        edges, 1, math.pi / 180, threshold=40, minLineLength=0.2 * short, maxLineGap=0.02 * short
    )
    if found is None:
        return []
    level = 0.0 if angle is None else angle - 90 * round(angle / 90)
    sides: dict[str, list[tuple[float, NDArray[np.float64]]]] = {k: [] for k in "tblr"}
    for x0, y0, x1, y1 in np.asarray(found, np.float64).reshape(-1, 4)[:200].tolist():
        a = math.degrees(math.atan2(y1 - y0, x1 - x0)) - level
        a = (a + 90) % 180 - 90
        length = math.hypot(x1 - x0, y1 - y0)
        mid = ((x0 + x1) / 2, (y0 + y1) / 2)
        seg = np.array([[x0, y0], [x1, y1]])
        if abs(a) < 30:
            sides["t" if mid[1] < h / 2 else "b"].append((length, seg))
        elif abs(a) > 60:
            sides["l" if mid[0] < w / 2 else "r"].append((length, seg))
    frame = {
        "t": np.array([[0.0, 0.0], [w - 1.0, 0.0]]),
        "b": np.array([[0.0, h - 1.0], [w - 1.0, h - 1.0]]),
        "l": np.array([[0.0, 0.0], [0.0, h - 1.0]]),
        "r": np.array([[w - 1.0, 0.0], [w - 1.0, h - 1.0]]),
    }
    choices: dict[str, list[NDArray[np.float64]]] = {}
    for k, segs in sides.items():
        kept: list[NDArray[np.float64]] = []
        for _, seg in sorted(segs, key=lambda t: -t[0]):
            if all(_far(seg, other, 0.02 * short) for other in kept):
                kept.append(seg)
            if len(kept) == 3:
                break
        choices[k] = [*kept, frame[k]]
    out = []
    for t in choices["t"]:
        for r in choices["r"]:
            for b in choices["b"]:
                for left in choices["l"]:
                    corners = [_cross(left, t), _cross(t, r), _cross(r, b), _cross(b, left)]
                    if any(c is None for c in corners):
                        continue
                    quad = np.array(corners, dtype=np.float64)
                    if sum(x is frame[k] for k, x in zip("trbl", (t, r, b, left), strict=True)) > 2:
                        continue
                    out.append(quad)
    return out


def _far(a: NDArray[np.float64], b: NDArray[np.float64], by: float) -> bool:
    """True when segment ``a``'s middle lies more than ``by`` from ``b``'s line."""
    d = b[1] - b[0]
    n = float(np.linalg.norm(d))
    m = a.mean(axis=0) - b[0]
    return bool(abs(d[0] * m[1] - d[1] * m[0]) / max(n, 1e-9) > by)


def _cross(a: NDArray[np.float64], b: NDArray[np.float64]) -> tuple[float, float] | None:
    """Where the lines through two segments cross (None when nearly parallel)."""
    u, v = a[1] - a[0], b[1] - b[0]
    det = u[0] * (-v[1]) - u[1] * (-v[0])
    if abs(det) < 1e-9 * (np.linalg.norm(u) * np.linalg.norm(v) + 1):
        return None
    t = ((b[0][0] - a[0][0]) * (-v[1]) - (b[0][1] - a[0][1]) * (-v[0])) / det
    p = a[0] + t * u
    return float(p[0]), float(p[1])
