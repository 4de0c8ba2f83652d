"""Fixtures that synthesise real inputs: phone photos with EXIF tags, PNG scans, PDFs.

Nothing binary is committed: every file a test needs is drawn here with Pillow,
pypdf or WeasyPrint, the way img2pdf's own tests build their corpus.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from PIL import Image, ImageOps
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject, NumberObject

# Reading the pages (OCR) costs 1-3 CPU-s a page: the tests that are about it
# ask for it (Settings(ocr=True), or PACKAGER_OCR=1 for a CLI process); the
# rest of the suite, and every process it starts, builds without it.
os.environ["PACKAGER_OCR"] = "0"
# Photos are placed as taken unless a test is about cleaning them (Settings(clean=True)).
os.environ["PACKAGER_CLEAN"] = "0"

TODAY = date(2026, 11, 28)
FULL_ID = "11010519491231002X"

GOOD_TOML = """\
[applicant]
name = "王测试"
id_number = "11010519491231002X"
phone = "13800138000"
address = "北京市朝阳区测试路 1 号"

[account]
platform = "支付宝"
product = "花呗"
account = "6222021234567890"
credit_limit = 10000
amount_owed = 3800
overdue_since = 2026-11-20
recipient = "支付宝客户服务中心"
mailing_address = "浙江省杭州市测试大道 100 号"

[request]
plan = "分期还款"
installments = 12
reason = "illness"
statement = "今年十月因病住院三周，收入中断，医疗支出较大，导致未能按期还款。"

[[contact]]
date = 2026-11-22
channel = "电话"
reference = "工单 20261122-0001"
summary = "客服建议提交协商材料"
"""

# Pixels to store so that EXIF orientation N shows the upright image.
STORE_FOR = {
    1: None,
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_90,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_270,
}

RED, GREEN, BLUE = (220, 20, 20), (20, 180, 20), (20, 20, 220)


def marker_image(size: tuple[int, int] = (600, 800)) -> Image.Image:
    """Upright test card: red top-left, green top-right, blue bottom-left."""
    w, h = size
    im = Image.new("RGB", size, (255, 255, 255))
    b = min(w, h) // 4
    im.paste(RED, (0, 0, b, b))
    im.paste(GREEN, (w - b, 0, w, b))
    im.paste(BLUE, (0, h - b, b, h))
    return im


def save_phone_jpeg(
    path: Path, orientation: int, size: tuple[int, int] = (600, 800), **save: object
) -> None:
    """A JPEG as a phone stores it: turned pixels plus the EXIF tag that turns them back."""
    upright = marker_image(size)
    op = STORE_FOR[orientation]
    stored = upright if op is None else upright.transpose(op)
    exif = Image.Exif()
    exif[0x0112] = orientation
    stored.save(path, "JPEG", quality=92, exif=exif, dpi=(72, 72), **save)
    assert ImageOps.exif_transpose(Image.open(path)).size == upright.size


def make_pdf(path: Path, pages: list[tuple[int, int, int]]) -> None:
    """A PDF of pages given as (shown width, shown height, /Rotate).

    Each page's content is the marker card turned against its /Rotate, so a
    viewer that honours /Rotate shows it upright, as scanner software does.
    """
    writer = PdfWriter()
    turn = {
        90: Image.Transpose.ROTATE_90,
        180: Image.Transpose.ROTATE_180,
        270: Image.Transpose.ROTATE_270,
    }
    for width, height, rotate in pages:
        card = marker_image((width, height))
        if rotate:
            card = card.transpose(turn[rotate])
        buf = io.BytesIO()
        card.save(buf, "PDF", resolution=72)
        page = PdfReader(io.BytesIO(buf.getvalue())).pages[0]
        added = writer.add_page(page)
        if rotate:
            added[NameObject("/Rotate")] = NumberObject(rotate)
    with path.open("wb") as fh:
        writer.write(fh)


@pytest.fixture
def case_factory(tmp_path: Path) -> Callable[..., Path]:
    """Build a case folder: ``case_factory(toml=..., files={rel: writer})``."""

    def build(
        toml: str = GOOD_TOML,
        files: dict[str, Callable[[Path], None]] | None = None,
        name: str = "wang",
    ) -> Path:
        case = tmp_path / "inbox" / name
        case.mkdir(parents=True)
        (case / "case.toml").write_text(toml, encoding="utf-8")
        for rel, writer in (files or {}).items():
            target = case / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            writer(target)
        return case

    return build


def standard_files() -> dict[str, Callable[[Path], None]]:
    """Photos with EXIF 1/3/6/8, a PNG scan, a 3-page PDF with a rotated and a landscape page."""
    return {
        "收入证明/IMG_1.jpg": lambda p: save_phone_jpeg(p, 1),
        "收入证明/IMG_3.jpg": lambda p: save_phone_jpeg(p, 3),
        "收入证明/IMG_10.jpg": lambda p: save_phone_jpeg(p, 6),
        "支出明细/收据.png": lambda p: marker_image((500, 700)).convert("RGBA").save(p, "PNG"),
        "疾病证明/诊断.jpg": lambda p: save_phone_jpeg(p, 8),
        "病历-住院记录.pdf": lambda p: make_pdf(p, [(595, 842, 0), (595, 842, 90), (842, 595, 0)]),
    }


def upload_pdf(out_dir: Path) -> Path:
    """The bundle's upload PDF: 逾期还款协商-wang.pdf, or 逾期还款协商-wang-草稿.pdf for a draft."""
    (pdf,) = [p for p in out_dir.glob("逾期还款协商-*.pdf") if "-part" not in p.name]
    return pdf


@pytest.fixture(scope="session")
def tools() -> None:
    """Skip nothing: the Makefile installs these; fail loudly if they are absent."""
    for tool in ("pdftoppm", "qpdf"):
        assert shutil.which(tool), f"{tool} missing: run `make test`, which installs it"


def render_page(pdf: Path, page: int, dpi: int = 30) -> Image.Image:
    """Rasterise one page (1-based) with poppler, as a reader's viewer would."""
    out = subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-f", str(page), "-l", str(page), "-png", str(pdf)],
        capture_output=True,
        check=True,
    ).stdout
    return Image.open(io.BytesIO(out)).convert("RGB")


def centroid(im: Image.Image, colour: tuple[int, int, int], tol: int = 60) -> tuple[float, float]:
    """Mean position of the pixels close to ``colour``."""
    px = im.load()
    assert px is not None
    xs, ys = [], []
    for y in range(0, im.height, 2):
        for x in range(0, im.width, 2):
            r, g, b = px[x, y][:3]
            if abs(r - colour[0]) + abs(g - colour[1]) + abs(b - colour[2]) < tol:
                xs.append(x)
                ys.append(y)
    assert xs, f"colour {colour} not found on the page"
    return sum(xs) / len(xs), sum(ys) / len(ys)


def assert_upright(im: Image.Image) -> None:
    """The marker card reads upright: red left of green on one row, blue below red."""
    rx, ry = centroid(im, RED)
    gx, gy = centroid(im, GREEN)
    bx, by = centroid(im, BLUE)
    assert rx < gx, "mirrored or rotated: red is not left of green"
    assert abs(ry - gy) < 0.1 * im.height, "red and green are not on one row"
    assert by > ry, "upside down: blue is not below red"
    assert abs(bx - rx) < 0.1 * im.width, "blue is not under red"
