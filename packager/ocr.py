"""The only door to RapidOCR and onnxruntime: recognise the Chinese text on a page image.

The PP-OCR models (detection, recognition, line direction) ship inside the
``rapidocr`` wheel and are loaded from the installed package by path; no
model is ever fetched (RapidOCR fetches any model it does not find, so every
path is given). One engine per process, one onnxruntime thread: the pool
already runs one worker per core. Measured here on a 2-core machine: an A4
page at 1600 px takes about 1.5 CPU-s, with detection limited to 1280 px
on the long side (the default 736-px *short* side misses small print on a
phone photo and costs twice as much on a 12 MP frame).
"""

from __future__ import annotations

import unicodedata
from functools import cache
from pathlib import Path
from typing import Any

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
    import numpy as np

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
    import numpy as np

    result = _engine()(np.asarray(image.convert("RGB")), use_det=True, use_cls=False, use_rec=False)
    found = result.boxes if result.boxes is not None else ()
    out = []
    for box in found:
        xs = [float(p[0]) for p in box]
        ys = [float(p[1]) for p in box]
        out.append((min(xs), min(ys), max(xs), max(ys)))
    return tuple(out)


def detect(image: Image.Image) -> tuple[tuple[tuple[float, float], ...], ...]:
    """Every text box's four corners on ``image`` (detection only), turned boxes kept turned.

    The photo clean-up (``read.clean``) finds the sheet, its angle and what a
    crop must keep from these; ``boxes`` gives only their upright extents.
    """
    import numpy as np

    result = _engine()(np.asarray(image.convert("RGB")), use_det=True, use_cls=False, use_rec=False)
    found = result.boxes if result.boxes is not None else ()
    return tuple(tuple((float(x), float(y)) for x, y in box) for box in found)
