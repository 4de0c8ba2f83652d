"""The only door to OpenCV: find a sheet of paper in a photo, flatten it, even out its light.

What phone scanner apps do (ocr-anchors.md, "Photo clean-up"), done with
classic image processing, no learned model: on a reduced copy the text is
closed away and the paper's outline found (Canny edges, the largest convex
four-corner contour), each side refined by a line fitted to its edge points;
the quad is warped to a rectangle with the sheet's own proportions; then
each colour channel is divided by a smooth estimate of its paper, so shadow
and grey cast go and a red seal stays red. Nothing is binarised or sharpened.
Last, print lying askew on its sheet is turned level (projection profiles),
only when its lines leave no doubt. Grey photos go through the same steps.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np
from cv2.typing import MatLike
from numpy.typing import NDArray

Pixels = MatLike
Quad = tuple[tuple[float, float], tuple[float, float], tuple[float, float], tuple[float, float]]
"""Corners top-left, top-right, bottom-right, bottom-left, in the photo's upright pixels."""

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
    return f"opencv {cv2.__version__}"


@dataclass(frozen=True, slots=True)
class Found:
    """What looking for the sheet found.

    ``quad`` is set only for a confident find; ``fills`` when the paper
    already fills the frame; ``document`` when something paper-like lies on
    a background but no confident outline was found.
    """

    quad: Quad | None
    fills: bool = False
    document: bool = False


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


def find_sheet(rgb: Pixels, camera: bool = True) -> Found:
    """Look for the sheet's four corners in an upright photo (RGB or grey).

    Without ``camera`` (no camera named in EXIF: a photo sent through a chat
    app, or a screenshot) the sheet must lie on a textured surface.
    """
    h, w = rgb.shape[:2]
    scale = FIND_SIDE / max(h, w)
    small = cv2.resize(rgb, (round(w * scale), round(h * scale)), interpolation=cv2.INTER_AREA)
    grey = small if small.ndim == 2 else cv2.cvtColor(small, cv2.COLOR_RGB2GRAY)
    sh, sw = grey.shape
    # Closing removes the dark print, leaving the paper a smooth bright shape.
    closed = cv2.morphologyEx(
        cv2.GaussianBlur(grey, (5, 5), 0), cv2.MORPH_CLOSE, np.ones((9, 9), np.uint8), iterations=2
    )
    edges = cv2.Canny(closed, CANNY[0], CANNY[1])
    edges = cv2.dilate(edges, np.ones((3, 3), np.uint8))
    contours, _ = cv2.findContours(edges, cv2.RETR_LIST, cv2.CHAIN_APPROX_NONE)
    frame = float(sh * sw)
    margin = EDGE_MARGIN * min(sh, sw)
    fills = False
    for contour in sorted(contours, key=cv2.contourArea, reverse=True)[:8]:
        hull = cv2.convexHull(contour)
        area = cv2.contourArea(hull)
        if area < MIN_AREA * frame:
            break
        poly = cv2.approxPolyDP(hull, 0.02 * cv2.arcLength(hull, True), True)
        if len(poly) != 4:
            continue
        quad = _order(poly.reshape(4, 2).astype(np.float64))
        if area > FILLS_AREA * frame:
            fills = True
            continue
        xs, ys = quad[:, 0], quad[:, 1]
        at_edge = (xs < margin) | (ys < margin) | (xs > sw - 1 - margin) | (ys > sh - 1 - margin)
        if at_edge.any() or not _angles_ok(quad):
            continue
        inner, outer = _bands(grey, quad)
        if _contrast(grey, inner, outer) < MIN_CONTRAST:
            continue
        if not camera and not _textured(grey, outer):
            continue
        quad = _refine(contour, quad)
        full = quad / scale
        corners = tuple((float(x), float(y)) for x, y in full)
        return Found((corners[0], corners[1], corners[2], corners[3]))
    return Found(None, fills=fills, document=not fills and _document_like(grey))


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


def flatten(rgb: Pixels, quad: Quad, size: tuple[int, int], inset: float = 0.0) -> Pixels:
    """The quad warped onto a ``size`` (width, height) rectangle.

    ``inset`` (a share of each side) is trimmed off all round: the paper's
    very edge, where a corner found a few pixels out would show the desk.
    """
    w, h = size
    mx, my = inset * w, inset * h
    target = np.array(
        [[-mx, -my], [w + mx, -my], [w + mx, h + my], [-mx, h + my]], dtype=np.float32
    )
    matrix = cv2.getPerspectiveTransform(np.array(quad, dtype=np.float32), target)
    warped: Pixels = cv2.warpPerspective(
        rgb, matrix, (w, h), flags=cv2.INTER_AREA, borderMode=cv2.BORDER_REPLICATE
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
