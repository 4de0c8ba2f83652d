"""The only door to RapidOCR and onnxruntime: recognise the Chinese text on a page image.

The PP-OCR models (detection, recognition, line direction) ship inside the
``rapidocr`` wheel and are loaded from the installed package by path; no
model is ever fetched (RapidOCR fetches any model it does not find, so every
path is given). One engine per process, one onnxruntime thread: the pool
already runs one worker per core (two threads for a read in the pool's owner
cost 45 % more CPU-s and were slower on the shared 2-core machine:
onnxruntime's threads spin). ``detect`` and ``read_crops`` split a page's
reading so detection runs once however the page is then read. Measured here on a 2-core machine: an A4
page at 1600 px takes about 1.5 CPU-s, with detection limited to 1280 px
on the long side (the default 736-px *short* side misses small print on a
phone photo and costs twice as much on a 12 MP frame).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from packager.models import Line

# Detection looks at the page at most this big on its long side.
DET_SIDE = 1280
# A recognised line below this confidence is noise (a stamp's edge, a texture).
MIN_SCORE = 0.5


def _models() -> dict[str, Path]:
    import rapidocr

    root = Path(rapidocr.__file__).parent / "models"
    return {
        "det": root / "PP-OCRv6_det_small.onnx",
        "rec": root / "PP-OCRv6_rec_small.onnx",
        "cls": root / "ch_ppocr_mobile_v2.0_cls_mobile.onnx",
    }


def version() -> str:
    """What shapes a recognition: the package version and the model files' sizes."""
    from importlib.metadata import version as installed

    sizes = ",".join(f"{k}:{p.stat().st_size}" for k, p in sorted(_models().items()))
    return f"rapidocr {installed('rapidocr')} onnxruntime {installed('onnxruntime')} {sizes}"


@cache
def _engine() -> Any:
    """The process's engine, made on first use (0.7 s: model load)."""
    from rapidocr import RapidOCR

    models = _models()
    params = {
        "Global.log_level": "error",
        "Det.model_path": str(models["det"]),
        "Rec.model_path": str(models["rec"]),
        "Cls.model_path": str(models["cls"]),
        "Det.limit_type": "max",
        "Det.limit_side_len": DET_SIDE,
        "EngineConfig.onnxruntime.intra_op_num_threads": 1,
        "EngineConfig.onnxruntime.inter_op_num_threads": 1,
    }
    return RapidOCR(params=params)


def recognise(image: Image.Image, *, turn_lines: bool = True) -> tuple[Line, ...]:
    """Every line RapidOCR reads on ``image`` (upright or not), in its reading order.

    ``turn_lines`` lets the line-direction model turn upside-down lines
    before reading them; without it an upside-down page reads as noise,
    which is how ``orientation`` tells 0° from 180°.
    """
    pixels = np.asarray(image.convert("RGB"))
    # Every flag given each time: the engine keeps the last call's flags.
    result = _engine()(pixels, use_det=True, use_cls=turn_lines, use_rec=True)
    lines: list[Line] = []
    for box, text, score in zip(
        result.boxes if result.boxes is not None else (),
        result.txts or (),
        result.scores or (),
        strict=False,
    ):
        if float(score) < MIN_SCORE or not str(text).strip():
            continue
        xs = [float(p[0]) for p in box]
        ys = [float(p[1]) for p in box]
        clean = unicodedata.normalize("NFKC", str(text)).strip()
        lines.append(Line(clean, (min(xs), min(ys), max(xs), max(ys)), round(float(score), 4)))
    return tuple(lines)


def boxes(image: Image.Image) -> tuple[tuple[float, float, float, float], ...]:
    """Where text is on ``image`` (detection only: no reading, about a third of the cost)."""
    result = _engine()(np.asarray(image.convert("RGB")), use_det=True, use_cls=False, use_rec=False)
    found = result.boxes if result.boxes is not None else ()
    out = []
    for box in found:
        xs = [float(p[0]) for p in box]
        ys = [float(p[1]) for p in box]
        out.append((min(xs), min(ys), max(xs), max(ys)))
    return tuple(out)


# Boxes whose tops lie closer than this are one row (as RapidOCR sorts them).
ROW_GAP = 10.0

Box = tuple[float, float, float, float]


@dataclass(frozen=True, slots=True)
class Detected:
    """Where the lines are on one image (detection run once), and each line's image.

    ``crops`` are the lines cut out level, as RapidOCR cuts them: a line
    taller than wide (a page on its side) turned a quarter counter-clockwise.
    Recognising them (``read_crops``) costs no second detection.
    """

    size: tuple[int, int]
    boxes: tuple[Box, ...]
    crops: tuple[np.ndarray, ...]
    # Per line: RapidOCR cut it turned (its quad taller than wide, by its own rule), and its
    # quad is wider than tall by the same margin; a line neither is about square.
    tall: tuple[bool, ...] = ()
    wide: tuple[bool, ...] = ()


def detect(image: Image.Image) -> Detected:
    """Detection once on ``image``: the lines' boxes and their level crops."""
    pixels = np.asarray(image.convert("RGB"))
    result = _engine()(pixels, use_det=True, use_cls=False, use_rec=False)
    quads = result.boxes if result.boxes is not None else ()
    return _cut(pixels, [np.asarray(quad, dtype=np.float32) for quad in quads])


def _cut(pixels: np.ndarray, quads: Sequence[np.ndarray]) -> Detected:
    from rapidocr.utils.process_img import get_rotate_crop_image

    boxes: list[Box] = []
    crops: list[np.ndarray] = []
    tall: list[bool] = []
    wide: list[bool] = []
    for points in quads:
        xs, ys = points[:, 0], points[:, 1]
        box = (float(xs.min()), float(ys.min()), float(xs.max()), float(ys.max()))
        if box[2] - box[0] < 2 or box[3] - box[1] < 2:
            continue
        boxes.append(box)
        crops.append(get_rotate_crop_image(pixels, points.copy()))
        # The side lengths get_rotate_crop_image measures, so "tall" is exactly the crops it
        # turned (an axis-aligned box disagrees on short, slightly tilted words such as 合计).
        across = int(
            max(np.linalg.norm(points[0] - points[1]), np.linalg.norm(points[2] - points[3]))
        )
        down = int(
            max(np.linalg.norm(points[0] - points[3]), np.linalg.norm(points[1] - points[2]))
        )
        tall.append(down >= 1.5 * max(across, 1))
        wide.append(bool(across >= 1.5 * down))
    size = (pixels.shape[1], pixels.shape[0])
    return Detected(size, tuple(boxes), tuple(crops), tuple(tall), tuple(wide))


def read_crops(crops: Sequence[np.ndarray], *, turn_lines: bool = False) -> list[tuple[str, float]]:
    """(NFKC text, confidence) of each line image, in order (recognition only, batched).

    ``turn_lines`` lets the line-direction model turn upside-down lines first.
    """
    if not crops:
        return []
    engine = _engine()
    images = list(crops)
    if turn_lines:
        images = list(engine.cls_and_rotate(images)[0])
    result = engine.recognize_txt(images)
    texts = result.txts or ()
    scores = result.scores or ()
    out = [
        (unicodedata.normalize("NFKC", str(text)).strip(), float(score))
        for text, score in zip(texts, scores, strict=False)
    ]
    return out + [("", 0.0)] * (len(images) - len(out))


def directions(crops: Sequence[np.ndarray]) -> list[tuple[bool, float]]:
    """(upside down, confidence) of each line image, by the line-direction model alone.

    About 1 ms a line, against some 30 ms to recognise it: how ``pagetext``
    guesses which way up a page is before reading any of it.
    """
    if not crops:
        return []
    result = _engine().cls_and_rotate(list(crops))[1]
    return [("180" in str(label), float(score)) for label, score in result.cls_res]


def lines_of(
    boxes: Sequence[Box], reads: Sequence[tuple[str, float]], size: tuple[int, int], turn: int = 0
) -> tuple[Line, ...]:
    """Confident lines in reading order, their boxes on the page turned ``turn``° clockwise."""
    lines: list[Line] = []
    for box, (text, score) in zip(boxes, reads, strict=True):
        if score < MIN_SCORE or not text:
            continue
        lines.append(Line(text, turned_box(box, size, turn), round(score, 4)))
    return reading_order(lines)


def turned_box(box: Box, size: tuple[int, int], turn: int) -> Box:
    """``box`` on an image of ``size``, where it lies once the image is turned clockwise."""
    width, height = size
    x0, y0, x1, y1 = box
    if turn == 90:
        return (height - y1, x0, height - y0, x1)
    if turn == 180:
        return (width - x1, height - y1, width - x0, height - y0)
    if turn == 270:
        return (y0, width - x1, y1, width - x0)
    return box


def reading_order(lines: Sequence[Line]) -> tuple[Line, ...]:
    """Top to bottom, and left to right within a row (RapidOCR's own order)."""
    by_top = sorted(lines, key=lambda line: line.box[1])
    rows: list[int] = []
    row = 0
    for i, line in enumerate(by_top):
        if i and line.box[1] - by_top[i - 1].box[1] >= ROW_GAP:
            row += 1
        rows.append(row)
    order = sorted(range(len(by_top)), key=lambda i: (rows[i], by_top[i].box[0]))
    return tuple(by_top[i] for i in order)


def detect_quads(image: Image.Image) -> tuple[tuple[tuple[float, float], ...], ...]:
    """Every text box's four corners on ``image`` (detection only), turned boxes kept turned.

    The photo clean-up (``read.clean``) finds the sheet, its angle and what a
    crop must keep from these; ``boxes`` gives only their upright extents.
    """
    result = _engine()(np.asarray(image.convert("RGB")), use_det=True, use_cls=False, use_rec=False)
    found = result.boxes if result.boxes is not None else ()
    return tuple(tuple((float(x), float(y)) for x, y in box) for box in found)
