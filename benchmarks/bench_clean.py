"""Photo clean-up: corner error, CPU seconds per 12 MP photo, bytes cleaned vs as taken.

Ten generated phone photos (``tests.desk``: 3000 x 4000, an A4 sheet seen by
a tilted pinhole camera on a wooden desk, a shadow gradient, a red seal) with
known corners, each cleaned by the real worker step (``read.clean``); then
a case of the ten built with and without cleaning (upload profile, no OCR).
That sheet is a worst case for bytes (bars of solid ink over a third of it);
a second case of six photos of Chinese documents (8-10 pt text, known) is
built both ways too, and the photo pages as embedded in each upload bundle
are read back by OCR: the character error rate says whether the smaller
bundle is as legible. OCRmyPDF ``--clean --deskew`` (unpaper) is run on the
same photos where both are installed.
"""

from __future__ import annotations

import hashlib
import io
import math
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import numpy as np
import pikepdf
from PIL import Image, ImageDraw
from pypdf import PdfReader

from benchmarks.bench_ocr import cer
from packager import api
from packager.demo import cjk_font
from packager.image import ocr
from packager.models import EncodedImage, MediaType, SourceFile
from packager.read.clean import clean_page
from packager.read.normalize import normalize
from tests.desk import HardDesk, desk_photo, hard_desks

COUNT = 10
DOCUMENTS = 6
UNPAPER = 3  # OCRmyPDF spends about 35 CPU-s on each
SIZE = (3000, 4000)
LINES = (
    "户名：王测试  账号：6222 **** **** 1234",
    "交易日期 摘要 金额 余额",
    "2026-10-10 代发工资 4,800.00 12,345.67",
    "2026-10-12 消费 -320.00 12,025.67",
    "2026-10-15 还款 -1,000.00 11,025.67",
    "2026-10-20 转账 -2,150.50 8,875.17",
    "本证明仅用于向贷款机构说明收入情况",
    "如有疑问请致电客服热线 95588 转人工",
)
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


def _desk_share(image: Image.Image) -> float:
    """Share of a page's pixels that are desk: brown (red over green over blue, not bright)."""
    rgb = np.asarray(image.convert("RGB"), dtype=np.int32)
    r, g, b = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    return float(np.mean((r - b > 35) & (g - b > 15) & (r < 215)))


def _tool(name: str) -> str | None:
    """A command on PATH or beside this Python (img2pdf comes with the venv)."""
    found = shutil.which(name)
    beside = Path(sys.executable).parent / name
    return found or (str(beside) if beside.exists() else None)


def _ocrmypdf(photos: list[Path], work: Path) -> str:
    """OCRmyPDF --clean-final --deskew on the photos: CPU s each, bytes a page, desk left."""
    tools = [_tool(n) for n in ("ocrmypdf", "unpaper", "img2pdf", "pdftoppm")]
    if None in tools:
        return "not installed (needs ocrmypdf, unpaper, img2pdf, pdftoppm)"
    ocrmypdf, _, img2pdf, pdftoppm = (str(t) for t in tools)
    cpu, sizes, desk = [], [], []
    for i, photo in enumerate(photos):
        pdf, out = work / f"unpaper-{i}.in.pdf", work / f"unpaper-{i}.pdf"
        subprocess.run([img2pdf, str(photo), "-o", str(pdf)], check=True)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        done = subprocess.run(
            [ocrmypdf, "--clean-final", "--deskew", "--force-ocr", "-q", str(pdf), str(out)],
            capture_output=True,
        )
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if done.returncode != 0:
            return f"failed ({done.returncode})"
        cpu.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
        sizes.append(out.stat().st_size)
        subprocess.run(
            [pdftoppm, "-r", "30", "-png", str(out), str(work / f"unpaper-{i}")], check=True
        )
        (shown,) = work.glob(f"unpaper-{i}-*.png")
        with Image.open(shown) as page:
            desk.append(_desk_share(page))
    n = len(photos)
    return (
        f"{sum(cpu) / n:.1f} s CPU a photo (Tesseract included), {sum(sizes) / n / 1e6:.2f} MB a "
        f"page, desk left on the page {100 * sum(desk) / n:.0f} % (corners: none, it only "
        f"deskews and cleans), {n} photos"
    )


def _document(seed: int) -> tuple[Image.Image, str]:
    """A4 at 300 ppi: a title, 24 lines at 8-10 pt, a red seal; and the text on it."""
    width, height = 2480, 3508
    page = Image.new("RGB", (width, height), (246, 244, 238))
    draw = ImageDraw.Draw(page)
    draw.text((width // 2, 220), "银行交易明细", font=cjk_font(110), fill=(20, 20, 20), anchor="mm")
    size = round((8 + seed % 3) * 300 / 72)
    font = cjk_font(size)
    y, text = 420, []
    for i in range(24):
        line = LINES[(i + seed) % len(LINES)]
        draw.text((220, y), line, font=font, fill=(30, 30, 30))
        text.append(line)
        y += round(size * 1.7)
    draw.ellipse((width - 700, y, width - 250, y + 450), outline=(200, 30, 30), width=14)
    return page, "".join(text).replace(" ", "").replace("：", ":")


def _legibility(pdf: Path, refs: list[str]) -> float:
    """Mean character error of the photo pages as embedded (the last ones), read by OCR."""
    pages = PdfReader(pdf).pages[-len(refs) :]
    errors = []
    for page, ref in zip(pages, refs, strict=True):
        image = max((i.image for i in page.images), key=lambda im: im.width * im.height)
        text = "".join(line.text for line in ocr.recognise(image.convert("RGB")))
        errors.append(cer(ref, text))
    return sum(errors) / len(errors)


def _image_bytes(pdf: Path) -> int:
    """Bytes of the bundle's image streams (the rest: letter, fonts, labels, text)."""
    with pikepdf.open(pdf) as doc:
        return sum(
            len(obj.read_raw_bytes())
            for obj in doc.objects
            if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Image"
        )


def _documents(root: Path) -> dict[bool, tuple[int, float, int]]:
    """The document case built both ways: upload bundle bytes and character error rate."""
    case = root / "inbox" / "docs"
    (case / "收入证明").mkdir(parents=True)
    (case / "case.toml").write_text(TOML, encoding="utf-8")
    refs = []
    for seed in range(DOCUMENTS):
        page, text = _document(seed)
        refs.append(text)
        photo = desk_photo(300 + seed, SIZE, page=page)
        (case / "收入证明" / f"IMG_{seed:04d}.jpg").write_bytes(photo.data)
    found = {}
    for clean in (False, True):
        settings = api.Settings(today=date(2026, 11, 28), clean=clean, ocr=False)
        outcome = api.build_case(case, root / f"docs-{clean}", settings)
        assert outcome.out_dir is not None
        (pdf,) = outcome.out_dir.glob("*.pdf")
        found[clean] = (pdf.stat().st_size, _legibility(pdf, refs), _image_bytes(pdf))
    return found


HARD_SIZE = (3000, 4000)


def _clean_once(
    root: Path, name: str, data: bytes, png: bool, check_text: bool
) -> tuple[float, EncodedImage | None, float, tuple[str, ...]]:
    """(CPU s, the cleaned image or None, desk share of the page, notes) for one photo."""
    path = root / name
    path.write_bytes(data)
    media = MediaType.PNG if png else MediaType.JPEG
    source = SourceFile(path, name, hashlib.sha256(data).hexdigest(), len(data), media)
    (page,) = normalize(source).pages
    start = time.process_time()
    result, note = clean_page(source, page, root / "store", check_text=check_text)
    cpu = time.process_time() - start
    notes = (note[0],) if note else ()
    if result is None or not isinstance(result.page.content, EncodedImage):
        with Image.open(path) as im:
            return cpu, None, _desk_share(im.convert("RGB").reduce(8)), notes
    return cpu, result.page.content, _desk_share(result.pixels.reduce(8)), notes


def hard_table(root: Path) -> str:
    """The generated hard desks at 12 MP, cleaned with the text check (as a build with OCR)."""
    from packager.image import ocr as engine

    engine.detect(Image.new("RGB", (64, 64), "white"))  # models loaded outside the timing
    rows = [
        "| generated photo (12 MP) | cleaned | worst corner, % of diagonal | desk left, "
        "as taken → ours | finding | clean-up CPU s |",
        "| --- | --- | ---: | --- | --- | ---: |",
    ]
    cpus, gone, desks = [], 0, 0
    case: HardDesk
    for case in hard_desks(HARD_SIZE):
        taken = _desk_share(Image.open(io.BytesIO(case.photo.data)).convert("RGB").reduce(8))
        cpu, image, left, notes = _clean_once(
            root, f"hard-{len(cpus)}.{'png' if case.png else 'jpg'}", case.photo.data,
            case.png, check_text=True,
        )  # fmt: skip
        cpus.append(cpu)
        mode = "as taken" if image is None else ("cropped" if image.cropped else "flattened")
        worst = "–"
        if image is not None and image.quad is not None and case.visible:
            found = [image.quad[i : i + 2] for i in range(0, 8, 2)]
            err = max(math.dist(a, b) for a, b in zip(found, case.photo.corners, strict=True))
            worst = f"{100 * err / math.hypot(*HARD_SIZE):.2f}"
        desks += taken > 0.02
        gone += taken > 0.02 and left <= 0.02
        rows.append(
            f"| {case.name} | {mode} | {worst} | {100 * taken:.0f} % → {100 * left:.1f} % | "
            f"{', '.join(notes) or '–'} | {cpu:.2f} |"
        )
    rows.append(
        f"\nbrown desk gone from {gone} of {desks} photos that show one (white table: "
        f"measured by eye); clean-up CPU per 12 MP photo with the text boxes, mean / max "
        f"{sum(cpus) / len(cpus):.2f} / {max(cpus):.2f} s"
    )
    return "\n".join(rows)


def real_table(root: Path) -> str:
    """The development photos built as taken and cleaned: desk, findings, key words, turns."""
    from benchmarks import realphotos

    if not (realphotos.DEV / "truth.json").exists():
        return f"(real photos: {realphotos.DEV} absent)"
    cleaned = realphotos.judge(root / "real-clean")
    taken = realphotos.judge(root / "real-taken", clean=False)
    rows = [realphotos.table(cleaned), "", "| dev photos (12) | as taken | ours | target |",
            "| --- | --- | --- | --- |"]  # fmt: skip
    (_, g0, s0, w0, t0), (d1, g1, s1, w1, t1) = (
        realphotos.totals(taken),
        realphotos.totals(cleaned),
    )
    rows += [
        f"| desk gone (of {d1} that show one) | {g0} | {g1} | ≥ 80 % |",
        f"| desk left with no finding | {s0} | {s1} | 0 |",
        f"| printed key words in the text layer | {100 * w0:.0f} % | {100 * w1:.0f} % | ≥ 90 % |",
        f"| quarter turns right (of 12) | {t0} | {t1} | all |",
    ]
    return "\n".join(rows)


def main() -> str:
    """Clean the photos, build the case both ways; return the Markdown table."""
    with tempfile.TemporaryDirectory(prefix="bench-clean-") as tmp:
        root = Path(tmp)
        case = root / "inbox" / "desk"
        (case / "收入证明").mkdir(parents=True)
        (case / "case.toml").write_text(TOML, encoding="utf-8")
        errors, shares, cpu, taken, cleaned, desk = [], [], [], [], [], []
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
            desk.append(_desk_share(result.pixels.reduce(8)))
        sizes, images = {}, {}
        for clean in (False, True):
            settings = api.Settings(today=date(2026, 11, 28), clean=clean, ocr=False)
            out = root / f"out-{clean}"
            outcome = api.build_case(case, out, settings)
            sizes[clean] = sum(o.bytes for o in outcome.outputs if o.path.endswith(".pdf"))
            assert outcome.out_dir is not None
            (pdf,) = outcome.out_dir.glob("*.pdf")
            images[clean] = _image_bytes(pdf)
        unpaper = _ocrmypdf(sorted((case / "收入证明").iterdir())[:UNPAPER], root)
        docs = _documents(root)
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
        f"| upload bundle, `--no-clean` → cleaned (these ten sheets: a third solid ink) | "
        f"{sizes[False] / 1e6:.2f} → {sizes[True] / 1e6:.2f} MB "
        f"({100 * sizes[True] / sizes[False]:.0f} %) | ≤ 60 % |",
        f"| upload bundle, `--no-clean` → cleaned ({DOCUMENTS} photos of 8-10 pt documents) | "
        f"{docs[False][0] / 1e6:.2f} → {docs[True][0] / 1e6:.2f} MB "
        f"({100 * docs[True][0] / docs[False][0]:.0f} %) | ≤ 60 % |",
        f"| of which the photos' image streams (sheets; documents) | "
        f"{images[False] / 1e6:.2f} → {images[True] / 1e6:.2f} MB "
        f"({100 * images[True] / images[False]:.0f} %); {docs[False][2] / 1e6:.2f} → "
        f"{docs[True][2] / 1e6:.2f} MB ({100 * docs[True][2] / docs[False][2]:.0f} %) | |",
        f"| legibility: OCR character error on those pages as embedded, `--no-clean` → cleaned | "
        f"{docs[False][1]:.1%} → {docs[True][1]:.1%} | not worse |",
        f"| desk left on the page, ours | {100 * max(desk, default=1):.1f} % at most | 0 |",
        f"| OCRmyPDF `--clean-final --deskew` (unpaper), same photos | {unpaper} | |",
    ]
    with tempfile.TemporaryDirectory(prefix="bench-clean-hard-") as tmp:
        hard = hard_table(Path(tmp))
        real = real_table(Path(tmp))
    table = "\n".join(rows) + "\n\n" + hard + "\n\n" + real
    print(table)
    return table


if __name__ == "__main__":
    sys.exit(print(main()) or 0)
