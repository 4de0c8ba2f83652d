"""Photo clean-up: corner error, CPU seconds per 12 MP photo, bytes cleaned vs as taken.

Ten generated phone photos (``tests.desk``: 3000 x 4000, an A4 sheet seen by
a tilted pinhole camera on a wooden desk, a shadow gradient, a red seal) with
known corners, each cleaned by the real worker step (``read.clean``); then
a case of the ten built with and without cleaning (upload profile, no OCR).
OCRmyPDF ``--clean --deskew`` (unpaper) is run on the same photos where
both are installed.
"""

from __future__ import annotations

import hashlib
import math
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from packager import api
from packager.models import EncodedImage, MediaType, SourceFile
from packager.read.clean import clean_page
from packager.read.normalize import normalize
from tests.desk import desk_photo

COUNT = 10
SIZE = (3000, 4000)
TOML = """\
[applicant]
name = "王测试"
id_number = "11010519491231002X"
phone = "13800138000"
address = "北京市朝阳区测试路 1 号"

[account]
platform = "支付宝"
product = "花呗"
amount_owed = 3800
overdue_since = 2026-11-20

[request]
plan = "分期还款"
installments = 12
reason = "illness"
statement = "今年十月因病住院三周，收入中断，医疗支出较大，导致未能按期还款。"
"""


def _ocrmypdf(photo: Path, out: Path) -> str:
    """Seconds OCRmyPDF --clean --deskew takes on one photo, or why it was not run."""
    if not (shutil.which("ocrmypdf") and shutil.which("unpaper") and shutil.which("img2pdf")):
        return "not installed (needs ocrmypdf, unpaper, img2pdf)"
    pdf = out.with_suffix(".in.pdf")
    subprocess.run(["img2pdf", str(photo), "-o", str(pdf)], check=True)
    start = time.process_time()
    done = subprocess.run(
        ["ocrmypdf", "--clean-final", "--deskew", "--force-ocr", "-q", str(pdf), str(out)],
        capture_output=True,
    )
    spent = time.process_time() - start
    if done.returncode != 0:
        return f"failed ({done.returncode})"
    return f"{spent:.2f} s, {out.stat().st_size / 1e6:.2f} MB (corners: not found; it deskews only)"


def main() -> str:
    """Clean the photos, build the case both ways; return the Markdown table."""
    with tempfile.TemporaryDirectory(prefix="bench-clean-") as tmp:
        root = Path(tmp)
        case = root / "inbox" / "desk"
        (case / "收入证明").mkdir(parents=True)
        (case / "case.toml").write_text(TOML, encoding="utf-8")
        errors, shares, cpu, taken, cleaned = [], [], [], [], []
        for seed in range(COUNT):
            photo = desk_photo(100 + seed, SIZE)
            path = case / "收入证明" / f"IMG_{seed:04d}.jpg"
            path.write_bytes(photo.data)
            source = SourceFile(
                path,
                path.name,
                hashlib.sha256(photo.data).hexdigest(),
                len(photo.data),
                MediaType.JPEG,
            )
            (page,) = normalize(source).pages
            start = time.process_time()
            result, _ = clean_page(source, page, root / "store", check_text=False)
            cpu.append(time.process_time() - start)
            taken.append(len(photo.data))
            if result is None or not isinstance(result.page.content, EncodedImage):
                errors.append(math.inf)
                continue
            image = result.page.content
            assert image.quad is not None
            assert image.source is not None
            found = [image.quad[i : i + 2] for i in range(0, 8, 2)]
            worst = max(math.dist(a, b) for a, b in zip(found, photo.corners, strict=True))
            errors.append(worst)
            shares.append(worst / math.hypot(*SIZE))
            cleaned.append(image.source.stat().st_size)
        sizes = {}
        for clean in (False, True):
            settings = api.Settings(today=date(2026, 11, 28), clean=clean, ocr=False)
            out = root / f"out-{clean}"
            outcome = api.build_case(case, out, settings)
            sizes[clean] = sum(o.bytes for o in outcome.outputs if o.path.endswith(".pdf"))
        unpaper = _ocrmypdf(case / "收入证明" / "IMG_0000.jpg", root / "ocrmypdf.pdf")
    rows = [
        "| measure | figure | target |",
        "| --- | --- | --- |",
        f"| photos found and cleaned | {len(cleaned)} of {COUNT} | all |",
        f"| corner error, worst corner, mean / max | {sum(errors) / len(errors):.1f} / "
        f"{max(errors):.1f} px ({100 * max(shares, default=1):.2f} % of the diagonal) | "
        "≤ 1 % of the diagonal |",
        f"| CPU per 12 MP photo (decode, find, warp, light, encode), mean / max | "
        f"{sum(cpu) / len(cpu):.2f} / {max(cpu):.2f} s | ≤ 0.4 s |",
        f"| bytes per page, as taken → cleaned (mean) | {sum(taken) / len(taken) / 1e6:.2f} → "
        f"{sum(cleaned) / max(1, len(cleaned)) / 1e6:.2f} MB | |",
        f"| upload bundle, `--no-clean` → cleaned | {sizes[False] / 1e6:.2f} → "
        f"{sizes[True] / 1e6:.2f} MB ({100 * sizes[True] / sizes[False]:.0f} %) | ≤ 60 % |",
        f"| OCRmyPDF `--clean-final --deskew`, one photo | {unpaper} | |",
    ]
    table = "\n".join(rows)
    print(table)
    return table


if __name__ == "__main__":
    sys.exit(print(main()) or 0)
