"""Candidate outlines reduced to quads and scored: the best one, or the cut-out second best."""

from __future__ import annotations

import math
from collections.abc import Sequence

import cv2
import numpy as np
from numpy.typing import NDArray

from packager.image.vision.cues import (
    EDGE_MARGIN,
    FILLS_AREA,
    FILLS_RING,
    FIND_SIDE,
    MIN_AREA,
    MIN_CONTRAST,
    MIN_SUPPORT,
    SURE_SCORE,
    TEXT_INSIDE,
    Found,
    Pixels,
    Quad,
    TextBox,
    _angles_ok,
    _bands,
    _channels,
    _chroma,
    _contrast,
    _document_like,
    _edges,
    _paper_mask,
    _segments,
    looks_photographed,
    text_angle,
)
from packager.image.vision.regions import cut_out, in_frame, seeded_paper

# Edge pixels a side's line is fitted through, at most about this many (evenly taken).
FIT_POINTS = 300


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
        near = near[:: max(1, len(near) // FIT_POINTS)]  # a side's line needs no more
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


def _fills(mask: Pixels) -> bool:
    """Paper all round the frame's edge: nothing around the sheet to take away."""
    h, w = mask.shape
    band = max(2, round(0.015 * min(h, w)))
    ring = np.concatenate(
        [mask[:band].ravel(), mask[-band:].ravel(), mask[:, :band].ravel(), mask[:, -band:].ravel()]
    )
    return float(np.mean(ring > 0)) >= FILLS_RING


def find_sheet(
    rgb: Pixels,
    camera: bool = True,
    text: Sequence[TextBox] = (),
    photo: bool | None = None,
    reduced: Pixels | None = None,
) -> Found:
    """Look for the sheet in an upright photo (RGB or grey); ``text`` is what detection found.

    How (and why several cues): candidate outlines come from the edges of
    every channel (``_channels``) and from a paper-versus-surround
    segmentation (``_paper_mask``); each convex outline is reduced to four
    sides (``_to_quad``: corners out of the frame or under a hand come back
    from the sides), then scored (``_score``: side support, contrast, angles,
    text inside). The best above ``SURE_SCORE`` is the sheet: flattened.
    Below it, the second best (``regions.cut_out``): the paper region and the text's
    extent, levelled, with a margin: cropped. A frame the paper already
    fills, or with nothing paper-like, is left as it is.

    Without ``camera`` (no camera named in EXIF) the pixels decide whether
    this is a photo at all (``looks_photographed``): a screenshot is never cut.
    ``reduced``, a smaller copy of ``rgb`` already made (the text detection's),
    is looked at instead of reducing the photo again (30 ms on 12 MP).
    """
    h, w = rgb.shape[:2]
    scale = FIND_SIDE / max(h, w)
    # (Only from a copy much smaller than the photo: that is where the time goes.)
    copy = rgb if reduced is None or 2 * max(reduced.shape[:2]) > max(h, w) else reduced
    small = cv2.resize(copy, (round(w * scale), round(h * scale)), interpolation=cv2.INTER_AREA)
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
    dilated = cv2.dilate(edges, np.ones((3, 3), np.uint8))
    ys, xs = np.nonzero(edges)
    points = np.stack([xs, ys], axis=1).astype(np.float64)
    contours, _ = cv2.findContours(dilated, cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
    masks, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    shapes = sorted(contours, key=cv2.contourArea, reverse=True)[:8]
    shapes += sorted(masks, key=cv2.contourArea, reverse=True)[:3]
    outlines = _outlines(shapes, points, (sw, sh)) + _segments(edges, angle)

    def best_of(quads: list[NDArray[np.float64]]) -> tuple[float, NDArray[np.float64], int] | None:
        best: tuple[float, NDArray[np.float64], int] | None = None
        for quad in quads:
            area = cv2.contourArea(quad.astype(np.float32))
            if area < MIN_AREA * frame or area > 2.0 * frame:
                continue
            big = in_frame(quad, sw, sh) > FILLS_AREA * frame
            if not _angles_ok(quad):
                continue
            score, support, on_border = _score(grey, chroma, edges, quad, centres)
            if on_border > 2 or support < MIN_SUPPORT or (big and on_border):
                continue  # (the frame's own outline, or a cut of a sheet that fills it)
            if best is None or score > best[0]:
                best = (score, quad, on_border)
        return best

    best = best_of(outlines)
    fills, guessed = _fills(mask), False
    if best is None or best[0] < SURE_SCORE:
        # No sure outline: colour models learnt from this photo, seeded by the text, give a
        # paper region thresholds could not (a shaded sheet, a book's pages on a cluttered
        # desk). Its outline is one more candidate, taken only when it scores sure by the
        # same rules (edges, contrast, all the text inside); a cut-out then follows it.
        seeded = seeded_paper(small, boxes)
        if seeded is not None:
            found, _ = cv2.findContours(seeded, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
            more = best_of(_outlines(sorted(found, key=cv2.contourArea)[-1:], points, (sw, sh)))
            if more is not None and more[0] >= SURE_SCORE:
                best, mask, fills, guessed = more, seeded, False, True
    if best is not None and best[0] >= SURE_SCORE:
        quad = _clockwise(best[1], angle)
        done = _full(quad)
        # A side on the frame's edge: the sheet's true shape is unknown, so it is cut out.
        if best[2]:
            return Found(None, crop=done, seeded=guessed)
        second = cut_out(mask, centres, extent, angle)
        return Found(done, crop=None if second is None else _full(_clockwise(second, angle)))
    if fills and (angle is None or abs(angle - 90 * round(angle / 90)) < 2):
        return Found(None, fills=True)
    crop = cut_out(mask, centres, extent, angle) if len(centres) or _document_like(grey) else None
    if crop is not None:
        cut = _full(_clockwise(crop, angle))
        return Found(None, crop=cut, seeded=guessed)
    # A photo whose surround stays is said (PAGE_NOT_FOUND), even an empty desk: a desk is
    # never left on a page silently.
    return Found(None, fills=fills, document=not fills)


def _outlines(
    shapes: Sequence[Pixels], points: NDArray[np.float64], frame: tuple[int, int]
) -> list[NDArray[np.float64]]:
    """Each big enough outline's convex hull reduced to four sides, fitted to the edges near them."""
    sw, sh = frame
    out: list[NDArray[np.float64]] = []
    for contour in shapes:
        hull = cv2.convexHull(contour)
        if cv2.contourArea(hull) < MIN_AREA * sw * sh:
            continue
        poly = cv2.approxPolyDP(hull, 0.005 * cv2.arcLength(hull, True), True)
        quad = _to_quad(poly.reshape(-1, 2).astype(np.float64), frame)
        if quad is not None:
            for band in (0.04, 0.015):
                quad = _fit_sides(points, quad, band * min(sh, sw))
            out.append(quad)
    return out
