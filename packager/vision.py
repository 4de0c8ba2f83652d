"""The only door to OpenCV: find a sheet of paper in a photo, flatten it, even out its light.

What phone scanner apps do (ocr-anchors.md, "Photo clean-up"), done with
classic image processing, no learned model. Real photos defeat any single
cue (a white sheet on warm wood is as bright as the wood; a dark desk's
grain lines up with the paper; a hand or the frame hides a corner), so the
sheet is found from several, on a 720-px copy with the print closed away:

- candidate outlines: the contours of Canny edges taken on grey,
  saturation and Lab a/b (``_edges``), the outline of a paper-versus-
  surround segmentation (bright and grey against dark or coloured, Otsu:
  ``_paper_mask``), and quads made of long straight edge segments, one per
  side or the frame's own edge (``_segments``, probabilistic Hough);
- every convex outline is reduced to four sides by dropping its shortest
  ones (``_to_quad``: a corner cut by the frame or a hand comes back where
  the two sides cross, even outside the picture), then each side is moved
  onto the line fitted to the edge pixels near it (``_fit_sides``);
- each candidate is scored (``_score``): edge support along its sides
  (0.45), paper brighter or greyer than what lies just outside (0.25, and
  a hard floor: the same paper on both sides is a printed frame, not the
  sheet's edge), plausible corner angles (0.1), and the recognised text's
  boxes inside it (0.2, and a veto: a cut along the frame may leave no
  line outside). The best scoring at least ``SURE_SCORE`` is the sheet.

Four real sides: the quad is warped to a rectangle with the sheet's own
proportions ("flattened"). A side on the frame's edge, or no outline sure
enough: the second best, a rectangle around the paper region and every
text box with a margin, levelled by the text lines' angle (``_crop``:
"cropped"); what the page still shows of the surround is measured
(``surround``) and said. Then each colour channel is divided by a smooth
estimate of its paper, so shadow and grey cast go and a red seal stays
red; nothing is binarised or sharpened. Last, print lying askew on its
sheet is turned level (projection profiles), only when its lines leave no
doubt. Grey photos go through the same steps. Whether the pixels are a
photo at all is judged from them (``looks_photographed``), not from the
container or EXIF.
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
FINDER = 2
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
# Mean local detail (0-255) of a real surface around the sheet, at the reduced scale.
MIN_TEXTURE = 1.5
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


def _order(points: NDArray[np.float64]) -> NDArray[np.float64]:
    """Four points as top-left, top-right, bottom-right, bottom-left."""
    s = points.sum(axis=1)
    d = points[:, 1] - points[:, 0]
    return np.array(
        [points[np.argmin(s)], points[np.argmin(d)], points[np.argmax(s)], points[np.argmax(d)]]
    )


def _angles_ok(quad: NDArray[np.float64]) -> bool:
    for i in range(4):
        a, b, c = quad[i - 1], quad[i], quad[(i + 1) % 4]
        u, v = a - b, c - b
        cos = float(np.dot(u, v) / (np.linalg.norm(u) * np.linalg.norm(v) + 1e-9))
        if not ANGLES[0] <= math.degrees(math.acos(max(-1.0, min(1.0, cos)))) <= ANGLES[1]:
            return False
    return True


def _refine(contour: MatLike, quad: NDArray[np.float64]) -> NDArray[np.float64]:
    """Corners as the crossings of lines fitted to each side's edge points.

    approxPolyDP picks contour points, which sit off the true corner where the
    paper's corner is rounded or dog-eared; the sides themselves are straight.
    """
    points = contour.reshape(-1, 2).astype(np.float64)
    lines = []
    for i in range(4):
        a, b = quad[i], quad[(i + 1) % 4]
        ab = b - a
        length = float(np.linalg.norm(ab))
        t = ((points - a) @ ab) / (length * length)
        rel = points - a
        dist = np.abs(ab[0] * rel[:, 1] - ab[1] * rel[:, 0]) / length
        near = points[(t > 0.1) & (t < 0.9) & (dist < max(3.0, 0.02 * length))]
        if len(near) < 8:
            return quad
        vx, vy, x0, y0 = cv2.fitLine(near.astype(np.float32), cv2.DIST_HUBER, 0, 0.01, 0.01)[:, 0]
        lines.append((float(vx), float(vy), float(x0), float(y0)))
    refined = []
    for i in range(4):
        (ax, ay, px, py), (bx, by, qx, qy) = lines[i - 1], lines[i]
        det = ax * (-by) - ay * (-bx)
        if abs(det) < 1e-6:
            return quad
        s = ((qx - px) * (-by) - (qy - py) * (-bx)) / det
        refined.append((px + s * ax, py + s * ay))
    out = np.array(refined)
    # A refinement that moves a corner far is a fit gone wrong: keep the polygon.
    if np.max(np.linalg.norm(out - quad, axis=1)) > 0.05 * max(np.ptp(quad, axis=0)):
        return quad
    return out


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


def _textured(grey: Pixels, outside: Pixels) -> bool:
    """A real surface around the sheet (grain, sensor noise), not a viewer's flat backdrop."""
    if not outside.any():
        return False
    detail = cv2.absdiff(grey, cv2.GaussianBlur(grey, (0, 0), 1))
    # The median: the band's few pixels on the paper's own edge do not count.
    return float(np.median(detail[outside > 0])) >= MIN_TEXTURE


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


def _to_quad(
    hull: NDArray[np.float64], frame: tuple[int, int] | None = None
) -> NDArray[np.float64] | None:
    """The quadrilateral around a convex outline: its shortest sides dropped one by one.

    Dropping a side extends its two neighbours to where they cross, so a
    corner cut off by the frame's edge, hidden by a hand or folded under comes
    back where the sheet's straight sides say it is, even outside the picture.
    """
    points = [p for p in hull]
    while len(points) > 4:
        n = len(points)
        best, best_cost = None, math.inf
        for i in range(n):
            a, b, c, d = points[i - 1], points[i], points[(i + 1) % n], points[(i + 2) % n]
            u, v = b - a, d - c
            det = u[0] * (-v[1]) - u[1] * (-v[0])
            if abs(det) < 1e-9:
                continue
            t = ((c[0] - a[0]) * (-v[1]) - (c[1] - a[1]) * (-v[0])) / det
            if t < 1:  # the neighbours diverge: they cross behind, not beyond
                continue
            x = a + t * u
            u2, v2 = b - x, c - x
            cost = abs(float(u2[0] * v2[1] - u2[1] * v2[0])) / 2  # the triangle added
            if cost < best_cost:
                best, best_cost = (i, x), cost
        if best is None:
            return None
        i, x = best
        points[i] = x
        del points[(i + 1) % n]
    if len(points) < 4:
        return None
    return np.array(points, dtype=np.float64)


def _on_frame(a: NDArray[np.float64], b: NDArray[np.float64], frame: tuple[int, int]) -> bool:
    """True when the side a-b runs along the frame's edge (where the picture cuts the sheet)."""
    w, h = frame
    m = 2.0
    return bool(
        (a[0] < m and b[0] < m) or (a[1] < m and b[1] < m)
        or (a[0] > w - 1 - m and b[0] > w - 1 - m) or (a[1] > h - 1 - m and b[1] > h - 1 - m)
    )  # fmt: skip


def _clockwise(quad: NDArray[np.float64], angle: float | None = None) -> NDArray[np.float64]:
    """The corners clockwise from the one that starts the top side.

    The top side is the one most nearly level, or, when the text's angle is
    known, the one most nearly parallel to the text's lines turned to the
    nearest quarter: a sheet photographed at 45 degrees has no "top-left"
    by position, its text says which side runs along the lines.
    """
    centre = quad.mean(axis=0)
    order = np.argsort(np.arctan2(quad[:, 1] - centre[1], quad[:, 0] - centre[0]))
    q = quad[order]  # clockwise in image coordinates (y down)
    want = 0.0 if angle is None else math.radians(angle - 90 * round(angle / 90))
    best, best_cost = 0, math.inf
    for i in range(4):
        a, b = q[i], q[(i + 1) % 4]
        if b[0] <= a[0] and angle is None:
            continue
        side = math.atan2(b[1] - a[1], b[0] - a[0])
        cost = abs(math.remainder(side - want, 2 * math.pi))
        if cost < best_cost:
            best, best_cost = i, cost
    return np.roll(q, -best, axis=0)


def _fit_sides(
    points: NDArray[np.float64], quad: NDArray[np.float64], band: float
) -> NDArray[np.float64]:
    """Each side moved onto the line fitted to the edge pixels within ``band`` of it.

    An outline from a contour or a mask wanders where a shadow or a pen
    touches the sheet; its sides are still mostly right, and the paper's real
    edge lies near each of them: a robust (Huber) line through those edge
    pixels, crossed with its neighbours, puts each corner back.
    """
    lines = []
    for i in range(4):
        a, b = quad[i], quad[(i + 1) % 4]
        ab = b - a
        length = float(np.linalg.norm(ab))
        if length < 1:
            return quad
        rel = points - a
        t = (rel @ ab) / (length * length)
        dist = np.abs(ab[0] * rel[:, 1] - ab[1] * rel[:, 0]) / length
        near = points[(t > 0.05) & (t < 0.95) & (dist < band)]
        if len(near) < 0.2 * length:
            lines.append((ab[0] / length, ab[1] / length, a[0], a[1]))
            continue
        vx, vy, x0, y0 = cv2.fitLine(near.astype(np.float32), cv2.DIST_HUBER, 0, 0.01, 0.01)[:, 0]
        lines.append((float(vx), float(vy), float(x0), float(y0)))
    out = []
    for i in range(4):
        (ax, ay, px, py), (bx, by, qx, qy) = lines[i - 1], lines[i]
        det = ax * (-by) - ay * (-bx)
        if abs(det) < 1e-6:
            return quad
        s = ((qx - px) * (-by) - (qy - py) * (-bx)) / det
        out.append((px + s * ax, py + s * ay))
    fitted = np.array(out)
    if np.max(np.linalg.norm(fitted - quad, axis=1)) > 0.25 * max(np.ptp(quad, axis=0)):
        return quad  # a fit gone elsewhere
    return fitted


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


def _support(edges: Pixels, quad: NDArray[np.float64]) -> tuple[float, int]:
    """(least share of edge pixels along a side off the frame's border, sides on the border)."""
    h, w = edges.shape
    near = cv2.dilate(edges, np.ones((5, 5), np.uint8))
    margin = max(2.0, EDGE_MARGIN * min(h, w))
    shares, on_border = [], 0
    for i in range(4):
        a, b = quad[i], quad[(i + 1) % 4]
        ts = np.linspace(0.08, 0.92, 40)
        pts = a[None, :] + ts[:, None] * (b - a)[None, :]
        inside = (pts[:, 0] >= 0) & (pts[:, 0] < w) & (pts[:, 1] >= 0) & (pts[:, 1] < h)
        border = (
            (pts[:, 0] < margin) | (pts[:, 1] < margin)
            | (pts[:, 0] > w - 1 - margin) | (pts[:, 1] > h - 1 - margin)
        )  # fmt: skip
        judged = inside & ~border
        if judged.sum() < 0.3 * len(ts):
            on_border += 1  # this side lies on (or beyond) the frame: the frame cuts the sheet
            continue
        xs = pts[judged, 0].astype(int)
        ys = pts[judged, 1].astype(int)
        shares.append(float(np.mean(near[ys, xs] > 0)))
    if not shares:
        return 0.0, on_border
    # The mean, but a side with next to no edge under it drags the whole down.
    return min(float(np.mean(shares)), 2 * min(shares)), on_border


def _text_share(quad: NDArray[np.float64], centres: NDArray[np.float64]) -> float | None:
    if not len(centres):
        return None
    contour = quad.astype(np.float32).reshape(-1, 1, 2)
    inside_ = [cv2.pointPolygonTest(contour, (float(x), float(y)), False) >= 0 for x, y in centres]
    return float(np.mean(inside_))


def _score(
    grey: Pixels,
    chroma: Pixels | None,
    edges: Pixels,
    quad: NDArray[np.float64],
    centres: NDArray[np.float64],
) -> tuple[float, float, int]:
    """(score 0-1, least side support, sides on the frame) of one candidate outline.

    Four cues, each 0-1: how well its sides follow edges (the weakest side
    counts: a desk's grain lines up with one side, rarely with all four);
    paper brighter than what lies just outside it; its corners' angles like
    a sheet seen by a phone; and the recognised text inside it (when read:
    a sheet that leaves lines outside is not the sheet). Edges weigh most,
    contrast next; text is the veto against a desk's own rectangle.
    """
    support, on_border = _support(edges, quad)
    inner, outer = _bands(grey, quad)
    if not outer.any():
        return 0.0, support, on_border
    contrast = _contrast(grey, inner, outer)
    if chroma is not None:  # a surround as bright as the paper but coloured (warm wood)
        contrast = max(contrast, -2 * _contrast(chroma, inner, outer))
    if contrast < MIN_CONTRAST:
        return 0.0, support, on_border  # the same paper on both sides: not the sheet's edge
    c = max(0.0, min(1.0, contrast / (3 * MIN_CONTRAST)))
    a = 1.0 if _angles_ok(quad) else 0.0
    text = _text_share(quad, centres)
    t = 1.0 if text is None else text
    # Each side on the frame's edge costs a little: a sheet's own four sides explain more.
    score = 0.45 * support + 0.25 * c + 0.1 * a + 0.2 * t - 0.04 * on_border
    # A side on the frame's edge is a cut, not the paper's edge: it must leave out no text.
    if text is not None and text < (1.0 if on_border else TEXT_INSIDE):
        score = min(score, SURE_SCORE - 0.01)
    return score, support, on_border


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
    aside, which is why pure white and black are not counted).
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
    if common > FLAT_SHARE:
        return False
    grey = (
        sample
        if sample.ndim == 2
        else cv2.cvtColor(np.ascontiguousarray(sample), cv2.COLOR_RGB2GRAY)
    )
    detail = cv2.absdiff(grey, cv2.GaussianBlur(grey, (0, 0), 1))
    smooth = cv2.GaussianBlur(detail, (0, 0), 3) < 6
    return bool(smooth.any()) and float(detail[smooth].mean()) >= MIN_NOISE


def _fills(mask: Pixels) -> bool:
    """Paper all round the frame's edge: nothing around the sheet to take away."""
    h, w = mask.shape
    band = max(2, round(0.015 * min(h, w)))
    ring = np.concatenate(
        [mask[:band].ravel(), mask[-band:].ravel(), mask[:, :band].ravel(), mask[:, -band:].ravel()]
    )
    return float(np.mean(ring > 0)) >= FILLS_RING


def _in_frame(quad: NDArray[np.float64], w: int, h: int) -> float:
    """Area of the quad inside a w x h frame."""
    frame = np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float32)
    area, _ = cv2.intersectConvexConvex(quad.astype(np.float32), frame)
    return float(area)


def _crop(
    mask: Pixels, centres: NDArray[np.float64], extent: NDArray[np.float64] | None,
    angle: float | None,
) -> NDArray[np.float64] | None:  # fmt: skip
    """The second best: a levelled rectangle around the paper region and all the text.

    The paper region is the mask's component holding the most text (or the
    largest); the rectangle is turned to the text's angle (the region's own
    otherwise), holds every text box whole, with a margin, and is cut to the
    frame. None when it would keep nearly the whole frame.
    """
    h, w = mask.shape
    count, labels, stats, _ = cv2.connectedComponentsWithStats(mask)
    pts: list[NDArray[np.float64]] = []
    if count > 1:
        if len(centres):
            xs = np.clip(centres[:, 0].astype(int), 0, w - 1)
            ys = np.clip(centres[:, 1].astype(int), 0, h - 1)
            hits = np.bincount(labels[ys, xs], minlength=count)
            hits[0] = 0
            pick = int(np.argmax(hits)) if hits.max() > 0 else 0
        else:
            pick = 0
        if not pick:
            pick = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))
        if stats[pick, cv2.CC_STAT_AREA] >= MIN_AREA * h * w:
            ys_, xs_ = np.nonzero(labels == pick)
            pts.append(np.stack([xs_, ys_], axis=1).astype(np.float64))
    if extent is not None:
        pts.append(extent)
    if not pts:
        return None
    every = np.concatenate(pts)
    if angle is None:
        (_, _), (_, _), rect_angle = cv2.minAreaRect(every.astype(np.float32))
        level = rect_angle - 90 * round(rect_angle / 90)
    else:
        level = angle - 90 * round(angle / 90)
    theta = math.radians(level)
    rot = np.array([[math.cos(theta), math.sin(theta)], [-math.sin(theta), math.cos(theta)]])
    turned = every @ rot.T  # into the text's frame
    lo, hi = turned.min(axis=0), turned.max(axis=0)
    pad = CROP_MARGIN * min(h, w)
    lo, hi = lo - pad, hi + pad
    corners = np.array([[lo[0], lo[1]], [hi[0], lo[1]], [hi[0], hi[1]], [lo[0], hi[1]]])
    quad: NDArray[np.float64] = corners @ rot  # back into the photo
    # Cut to the frame where the rectangle is level (a turned one keeps its corners: the
    # warp fills what lies outside the photo with the paper's white).
    if abs(level) < 0.5:
        quad[:, 0] = np.clip(quad[:, 0], 0, w - 1)
        quad[:, 1] = np.clip(quad[:, 1], 0, h - 1)
    if _in_frame(quad, w, h) > CROP_MAX * h * w and abs(level) < 2:
        return None
    return quad


def find_sheet(
    rgb: Pixels, camera: bool = True, text: Sequence[TextBox] = (), photo: bool | None = None
) -> Found:
    """Look for the sheet in an upright photo (RGB or grey); ``text`` is what detection found.

    How (and why several cues): candidate outlines come from the edges of
    every channel (``_channels``) and from a paper-versus-surround
    segmentation (``_paper_mask``); each convex outline is reduced to four
    sides (``_to_quad``: corners out of the frame or under a hand come back
    from the sides), then scored (``_score``: side support, contrast, angles,
    text inside). The best above ``SURE_SCORE`` is the sheet: flattened.
    Below it, the second best (``_crop``): the paper region and the text's
    extent, levelled, with a margin: cropped. A frame the paper already
    fills, or with nothing paper-like, is left as it is.

    Without ``camera`` (no camera named in EXIF) the pixels decide whether
    this is a photo at all (``looks_photographed``): a screenshot is never cut.
    """
    h, w = rgb.shape[:2]
    scale = FIND_SIDE / max(h, w)
    small = cv2.resize(rgb, (round(w * scale), round(h * scale)), interpolation=cv2.INTER_AREA)
    grey = small if small.ndim == 2 else cv2.cvtColor(small, cv2.COLOR_RGB2GRAY)
    sh, sw = grey.shape
    if photo is None:
        photo = camera or looks_photographed(rgb)
    if not photo:
        return Found(None)
    boxes = [np.array(b, dtype=np.float64) * scale for b in text if len(b) >= 4]
    centres = np.array([b.mean(axis=0) for b in boxes]) if boxes else np.zeros((0, 2))
    extent = np.concatenate(boxes) if boxes else None
    angle = text_angle(text)

    def _full(quad: NDArray[np.float64]) -> Quad:
        corners = [(float(x), float(y)) for x, y in quad / scale]
        return (corners[0], corners[1], corners[2], corners[3])

    closed = _channels(small)
    edges = _edges(closed)
    mask = _paper_mask(closed)
    chroma = _chroma(closed)
    frame = float(sh * sw)
    outlines: list[NDArray[np.float64]] = []
    dilated = cv2.dilate(edges, np.ones((3, 3), np.uint8))
    ys, xs = np.nonzero(edges)
    points = np.stack([xs, ys], axis=1).astype(np.float64)
    contours, _ = cv2.findContours(dilated, cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
    masks, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    for contour in (
        sorted(contours, key=cv2.contourArea, reverse=True)[:8]
        + sorted(masks, key=cv2.contourArea, reverse=True)[:3]
    ):
        hull = cv2.convexHull(contour)
        if cv2.contourArea(hull) < MIN_AREA * frame:
            continue
        poly = cv2.approxPolyDP(hull, 0.005 * cv2.arcLength(hull, True), True)
        quad = _to_quad(poly.reshape(-1, 2).astype(np.float64), (sw, sh))
        if quad is not None:
            for band in (0.04, 0.015):
                quad = _fit_sides(points, quad, band * min(sh, sw))
            outlines.append(quad)
    outlines += _segments(edges, angle)
    fills = _fills(mask)
    best: tuple[float, NDArray[np.float64], int] | None = None
    for quad in outlines:
        area = cv2.contourArea(quad.astype(np.float32))
        if area < MIN_AREA * frame or area > 2.0 * frame:
            continue
        big = _in_frame(quad, sw, sh) > FILLS_AREA * frame
        if not _angles_ok(quad):
            continue
        score, support, on_border = _score(grey, chroma, edges, quad, centres)
        if on_border > 2 or support < MIN_SUPPORT or (big and on_border):
            continue  # (the frame's own outline, or a cut of a sheet that fills it)
        if best is None or score > best[0]:
            best = (score, quad, on_border)
    if best is not None and best[0] >= SURE_SCORE:
        quad = _clockwise(best[1], angle)
        done = _full(quad)
        # A side on the frame's edge: the sheet's true shape is unknown, so it is cut out.
        if best[2]:
            return Found(None, crop=done)
        second = _crop(mask, centres, extent, angle)
        return Found(done, crop=None if second is None else _full(_clockwise(second, angle)))
    if fills and (angle is None or abs(angle - 90 * round(angle / 90)) < 2):
        return Found(None, fills=True)
    crop = _crop(mask, centres, extent, angle) if len(centres) or _document_like(grey) else None
    if crop is not None:
        return Found(None, crop=_full(_clockwise(crop, angle)))
    # A photo whose surround stays is said (PAGE_NOT_FOUND), even an empty desk: a desk is
    # never left on a page silently.
    return Found(None, fills=fills, document=not fills)


def reduced(rgb: Pixels, side: int) -> Pixels:
    """A copy at most ``side`` on its long side (area averaging; 20 ms on 12 MP)."""
    h, w = rgb.shape[:2]
    scale = min(1.0, side / max(h, w))
    if scale == 1.0:
        return rgb
    out: Pixels = cv2.resize(
        rgb, (round(w * scale), round(h * scale)), interpolation=cv2.INTER_AREA
    )
    return out


def surround(rgb: Pixels, quad: Quad) -> float:
    """Share of the quad that is not paper (``_paper_mask``), judged on a reduced copy."""
    h, w = rgb.shape[:2]
    scale = FIND_SIDE / max(h, w)
    small = cv2.resize(rgb, (round(w * scale), round(h * scale)), interpolation=cv2.INTER_AREA)
    mask = _paper_mask(_channels(small))
    region = np.zeros(mask.shape, np.uint8)
    cv2.fillConvexPoly(region, np.round(np.array(quad) * scale).astype(np.int32), 255)
    inside_ = region > 0
    if not inside_.any():
        return 0.0
    return float(np.mean(mask[inside_] == 0))


def sheet_ratio(quad: Quad, size: tuple[int, int]) -> float:
    """Width / height of the real sheet behind ``quad`` (Zhang and He, whiteboard scanning).

    The camera's focal length is solved from the quad itself, with the
    principal point at the frame's centre; when the sheet was shot nearly
    square-on that is undefined and the mean side lengths decide. Ratios
    close to A4's or Letter's are snapped to them.
    """
    w, h = size
    tl, tr, br, bl = (np.array([x - w / 2, y - h / 2, 1.0]) for x, y in quad)
    m1, m2, m3, m4 = tl, tr, bl, br
    width = (np.linalg.norm(tr[:2] - tl[:2]) + np.linalg.norm(br[:2] - bl[:2])) / 2
    height = (np.linalg.norm(bl[:2] - tl[:2]) + np.linalg.norm(br[:2] - tr[:2])) / 2
    ratio = float(width / height)
    k2 = np.dot(np.cross(m1, m4), m3) / np.dot(np.cross(m2, m4), m3)
    k3 = np.dot(np.cross(m1, m4), m2) / np.dot(np.cross(m3, m4), m2)
    n2 = k2 * m2 - m1
    n3 = k3 * m3 - m1
    if abs(n2[2] * n3[2]) > 1e-9:
        f2 = -(n2[0] * n3[0] + n2[1] * n3[1]) / (n2[2] * n3[2])
        # A plausible phone focal length: 0.5 to 3 times the long side.
        if (0.5 * max(w, h)) ** 2 < f2 < (3.0 * max(w, h)) ** 2:
            top = n2[0] ** 2 / f2 + n2[1] ** 2 / f2 + n2[2] ** 2
            bottom = n3[0] ** 2 / f2 + n3[1] ** 2 / f2 + n3[2] ** 2
            ratio = float(math.sqrt(top / bottom))
    for paper in PAPER_RATIOS:
        for target in (paper, 1 / paper):
            if abs(ratio / target - 1) <= SNAP:
                return target
    return ratio


def flatten(
    rgb: Pixels, quad: Quad, size: tuple[int, int], inset: float = 0.0, white: bool = False
) -> Pixels:
    """The quad warped onto a ``size`` (width, height) rectangle.

    ``inset`` (a share of each side) is trimmed off all round: the paper's
    very edge, where a corner found a few pixels out would show the desk.
    What lies outside the photo (a corner out of frame) repeats the nearest
    edge, or is white with ``white`` (a crop: its edge may be the desk's).
    """
    w, h = size
    mx, my = inset * w, inset * h
    target = np.array(
        [[-mx, -my], [w + mx, -my], [w + mx, h + my], [-mx, h + my]], dtype=np.float32
    )
    matrix = cv2.getPerspectiveTransform(np.array(quad, dtype=np.float32), target)
    border = cv2.BORDER_CONSTANT if white else cv2.BORDER_REPLICATE
    fill = 255 if rgb.ndim == 2 else (255, 255, 255)
    warped: Pixels = cv2.warpPerspective(
        rgb, matrix, (w, h), flags=cv2.INTER_AREA, borderMode=border, borderValue=fill
    )
    return warped


def even_light(image: Pixels) -> Pixels:
    """Divide each channel by a smooth estimate of its paper: white paper, colours kept.

    The estimate is made on a copy reduced 8 times: dilation takes the print
    out (strokes are thinner than its kernel), a median and a blur smooth
    what is left; so a shadow across the page goes and ink keeps its ratio
    to the paper around it, in every channel (a red seal stays red). Paper
    within ``PAPER_WHITE`` of white is set to white (its noise costs bytes,
    shows nothing). Works on a grey image (one channel) as on colour.
    """
    h, w = image.shape[:2]
    small = cv2.resize(image, (max(1, w // 8), max(1, h // 8)), interpolation=cv2.INTER_AREA)
    k = max(5, (max(small.shape[:2]) // 40) | 1)
    background = cv2.dilate(small, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k)))
    background = cv2.medianBlur(background, k)
    background = cv2.GaussianBlur(background, (0, 0), k)
    background = cv2.resize(background, (w, h), interpolation=cv2.INTER_LINEAR)
    even: Pixels = cv2.divide(image, np.maximum(background, 1), scale=255 * 255 / PAPER_WHITE)
    return even


def blank_inside(image: Pixels, quad: Quad | tuple[tuple[float, float], ...], by: float) -> Pixels:
    """A copy with the quad, shrunk by ``by`` pixels all round, filled with its own mean colour."""
    points = np.array(quad, dtype=np.float64)
    centre = points.mean(axis=0)
    spread = np.maximum(np.ptp(points, axis=0), 1.0)
    shrunk = centre + (points - centre) * np.maximum(0.0, 1 - 2 * by / spread)
    mask = np.zeros(image.shape[:2], np.uint8)
    cv2.fillConvexPoly(mask, np.round(shrunk).astype(np.int32), 255)
    out: Pixels = image.copy()
    out[mask > 0] = cv2.mean(image, mask)[: 1 if image.ndim == 2 else 3]
    return out


def inside(quad: Quad, box: tuple[float, float, float, float], slack: float) -> bool:
    """True when the box (x0, y0, x1, y1) lies inside the quad, within ``slack`` pixels."""
    contour = np.array(quad, dtype=np.float32).reshape(-1, 1, 2)
    x0, y0, x1, y1 = box
    return all(
        cv2.pointPolygonTest(contour, (float(x), float(y)), True) >= -slack
        for x, y in ((x0, y0), (x1, y0), (x1, y1), (x0, y1))
    )


def distance(quad: Quad, box: tuple[float, float, float, float]) -> float:
    """How far the box (x0, y0, x1, y1) lies outside the quad at its nearest corner (0 inside)."""
    contour = np.array(quad, dtype=np.float32).reshape(-1, 1, 2)
    x0, y0, x1, y1 = box
    nearest = max(
        cv2.pointPolygonTest(contour, (float(x), float(y)), True)
        for x, y in ((x0, y0), (x1, y0), (x1, y1), (x0, y1))
    )
    return max(0.0, -float(nearest))


def _profile_score(ink: Pixels, degrees: float) -> float:
    """How sharply the ink falls into rows when turned by ``degrees``: lines of text peak."""
    h, w = ink.shape
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), degrees, 1.0)
    turned = cv2.warpAffine(ink, matrix, (w, h), flags=cv2.INTER_NEAREST)
    rows = turned.sum(axis=1, dtype=np.float64)
    return float(np.sum(np.diff(rows) ** 2))


def residual_skew(image: Pixels) -> float | None:
    """Degrees (counter-clockwise) that turn a flattened page's lines level, when sure.

    Projection profiles (Postl): the ink of a reduced copy summed along rows
    at each candidate angle, coarse then fine; lines of text make the sums
    peak and drop only when they lie level. None when the page has too little
    ink, the best angle is within ``SKEW_MIN`` of level, at the search's edge,
    or not clearly better than no turn (a photo, a drawing, a blank page).
    """
    grey = image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_RGB2GRAY)
    h, w = grey.shape
    scale = SKEW_SIDE / max(h, w)
    small = cv2.resize(grey, (round(w * scale), round(h * scale)), interpolation=cv2.INTER_AREA)
    _, ink = cv2.threshold(small, 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    if not 0.005 < float(ink.mean()) < 0.4:
        return None
    coarse = {a: _profile_score(ink, a) for a in np.arange(-SKEW_RANGE, SKEW_RANGE + 0.01, 0.5)}
    best = max(coarse, key=lambda a: coarse[a])
    fine = {a: _profile_score(ink, a) for a in np.arange(best - 0.5, best + 0.51, 0.05)}
    top = max(fine, key=lambda a: fine[a])
    angle = float(top)
    if abs(angle) < SKEW_MIN or abs(angle) > SKEW_RANGE - 0.25:
        return None
    if fine[top] < SKEW_CONFIDENCE * _profile_score(ink, 0.0):
        return None
    return angle


def turn(image: Pixels, degrees: float) -> Pixels:
    """The page turned counter-clockwise on a canvas grown to hold all of it, grown part white."""
    h, w = image.shape[:2]
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), degrees, 1.0)
    cos, sin = abs(matrix[0, 0]), abs(matrix[0, 1])
    nw, nh = round(w * cos + h * sin), round(w * sin + h * cos)
    matrix[0, 2] += (nw - w) / 2
    matrix[1, 2] += (nh - h) / 2
    white = 255 if image.ndim == 2 else (255, 255, 255)
    turned: Pixels = cv2.warpAffine(
        image, matrix, (nw, nh), flags=cv2.INTER_CUBIC, borderValue=white
    )
    return turned
