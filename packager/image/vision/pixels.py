"""What is done to the pixels once the sheet is found: warp, light, skew, tests on quads."""

from __future__ import annotations

import math

import cv2
import numpy as np
from numpy.typing import NDArray

from packager.image.vision.cues import (
    FIND_SIDE,
    PAPER_RATIOS,
    PAPER_WHITE,
    SKEW_CONFIDENCE,
    SKEW_MIN,
    SKEW_POINTS,
    SKEW_RANGE,
    SKEW_SIDE,
    SNAP,
    Pixels,
    Quad,
    _channels,
    _paper_mask,
)


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


def _profile_score(ink: NDArray[np.float64], degrees: float) -> float:
    """How sharply the ink falls into rows when turned by ``degrees``: lines of text peak.

    ``ink`` holds the ink pixels' (x, y) about the page's centre; turning the
    points and counting them by row is the same profile as turning the image
    and summing its rows, at a fraction of the cost.
    """
    theta = math.radians(degrees)
    rows = np.round(ink[:, 0] * -math.sin(theta) + ink[:, 1] * math.cos(theta)).astype(np.int64)
    counts = np.bincount(rows - rows.min()).astype(np.float64)
    return float(np.sum(np.diff(counts) ** 2))


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
    _, mask = cv2.threshold(small, 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    if not 0.005 < float(mask.mean()) < 0.4:
        return None
    ys, xs = np.nonzero(mask)
    step = max(1, len(xs) // SKEW_POINTS)  # a regular sample keeps every line's peak
    ys, xs = ys[::step], xs[::step]
    sh, sw = mask.shape
    ink = np.stack([xs - sw / 2, ys - sh / 2], axis=1).astype(np.float64)
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
