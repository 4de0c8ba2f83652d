"""Where the paper is as a region, not an outline: a segmentation seeded by the text, the cut-out.

The finder's outlines need the sheet's edges; when none is sure, what is
left is a region: the paper's pixels, as thresholds (``cues._paper_mask``)
or colour models learnt from the photo (``seeded_paper``) see them, and the
levelled rectangle around that region and all the text (``cut_out``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import cv2
import numpy as np
from numpy.typing import NDArray

from packager.image.vision.cues import CROP_MARGIN, CROP_MAX, FILLS_AREA, MIN_AREA, Pixels

# The seeded segmentation (``seeded_paper``): its copy's long side, its rounds, and the
# text lines it needs as seeds.
SEED_SIDE, SEED_ROUNDS, SEED_LINES = 360, 4, 3
# ... and how far apart (Bhattacharyya distance of Lab histograms, 8 bins a channel) the
# colours inside and outside the text's extent must be for its colour models to tell paper
# from surround. Measured: a white sheet on a white table 0.34 (GrabCut then spends 1.8
# CPU-s on 12 MP and finds nothing sure), the real book spread 0.44, the other real desk
# photos 0.45-0.77; sheets that fill their frame 0.23-0.34.
SEED_APART = 0.4


def seeded_paper(small: Pixels, boxes: Sequence[NDArray[np.float64]]) -> Pixels | None:
    """Paper versus surround learnt from the photo itself, seeded by where the text is (GrabCut).

    When brightness and colour thresholds cannot tell a shaded sheet from its
    desk (paper going grey under one lamp, a book's pages against a cluttered
    table), colour models learnt from the photo can: every text line is
    certainly paper, the rest of the text's extent probably paper, all else
    probably not. Run on a ``SEED_SIDE`` copy (0.2-0.3 CPU-s), only when no
    outline was sure; None without enough text to seed it, or when what it
    finds is no sheet (too small, or all of the frame).
    """
    if small.ndim != 3 or len(boxes) < SEED_LINES:
        return None
    h, w = small.shape[:2]
    f = SEED_SIDE / max(h, w)
    tiny = cv2.resize(
        small, (max(1, round(w * f)), max(1, round(h * f))), interpolation=cv2.INTER_AREA
    )
    seeds = np.full(tiny.shape[:2], cv2.GC_PR_BGD, np.uint8)
    every = np.concatenate(boxes) * f
    cv2.fillConvexPoly(
        seeds, np.round(cv2.convexHull(every.astype(np.float32))).astype(np.int32), cv2.GC_PR_FGD
    )
    if _apart(tiny, seeds == cv2.GC_PR_FGD) < SEED_APART:
        return None  # colours alike inside and out: no colour model can tell them apart
    for box in boxes:
        cv2.fillConvexPoly(seeds, np.round(box * f).astype(np.int32), cv2.GC_FGD)
    background, foreground = np.zeros((1, 65), np.float64), np.zeros((1, 65), np.float64)
    cv2.grabCut(
        np.ascontiguousarray(tiny[..., ::-1]),
        seeds,
        (0, 0, 0, 0),  # unused: the seeds say where
        background,
        foreground,
        SEED_ROUNDS,
        cv2.GC_INIT_WITH_MASK,
    )
    chosen = (seeds == cv2.GC_FGD) | (seeds == cv2.GC_PR_FGD)
    paper: Pixels = np.where(chosen, 255, 0).astype(np.uint8)
    paper = np.asarray(cv2.morphologyEx(paper, cv2.MORPH_OPEN, np.ones((3, 3), np.uint8)), np.uint8)
    share = float(paper.mean()) / 255
    if not MIN_AREA <= share <= FILLS_AREA:
        return None
    full: Pixels = cv2.resize(paper, (w, h), interpolation=cv2.INTER_NEAREST)
    return full


def _apart(tiny: Pixels, inside: NDArray[np.bool_]) -> float:
    """How unlike the colours inside and outside a region are (Bhattacharyya, 0 to 1)."""
    lab = cv2.cvtColor(np.ascontiguousarray(tiny), cv2.COLOR_RGB2LAB)
    mask = np.where(inside, 255, 0).astype(np.uint8)
    if not mask.any() or mask.all():
        return 0.0
    hists = [
        cv2.calcHist([lab], [0, 1, 2], m, [8, 8, 8], [0, 256, 0, 256, 0, 256])
        for m in (mask, cv2.bitwise_not(mask))
    ]
    return float(cv2.compareHist(hists[0], hists[1], cv2.HISTCMP_BHATTACHARYYA))


def in_frame(quad: NDArray[np.float64], w: int, h: int) -> float:
    """Area of the quad inside a w x h frame."""
    frame = np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float32)
    area, _ = cv2.intersectConvexConvex(quad.astype(np.float32), frame)
    return float(area)


def cut_out(
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
            # Its outline holds its extremes at every angle: the rectangle needs no more.
            region = np.where(labels == pick, 255, 0).astype(np.uint8)
            outline, _ = cv2.findContours(region, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
            pts.append(np.concatenate(outline).reshape(-1, 2).astype(np.float64))
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
    if in_frame(quad, w, h) > CROP_MAX * h * w and abs(level) < 2:
        return None
    return quad
