"""Page quality warnings and page geometry, on synthetic pages with known defects."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageEnhance, ImageFilter

from packager.demo import paper, write_demo_case
from packager.geometry import content_box, effective_ppi, image_boxes, slice_page
from packager.models import EncodedImage, SourceFile, SourcePage
from packager.read.intake import sniff
from packager.read.pages import ReadJob, read
from packager.read.prepare import prepare, survey
from packager.read.quality import Assessment, Fingerprint, judge, near_duplicates
from packager.settings import Settings
from tests.conftest import TODAY

LINES = ["姓名：王测试", "基本工资：4,000.00 元", "实发合计：3,520.00 元", "备注：病假 15 天"]


def _photo(tmp_path: Path, name: str, im: Image.Image, **save: object) -> SourceFile:
    """A page as a phone saves it: 2480 px wide, a little sensor noise, JPEG."""
    big = im.resize((2480, round(2480 * im.height / im.width)), Image.Resampling.BICUBIC)
    noise = Image.effect_noise(big.size, 6).convert("RGB")
    big = Image.blend(big, noise, 0.04)
    path = tmp_path / name
    big.save(path, "JPEG", quality=85, **save)
    data = path.read_bytes()
    return SourceFile(path, name, hashlib.sha256(data).hexdigest(), len(data), sniff(data))


def assess(source: SourceFile) -> Assessment:
    """Read a file the way a build does (one worker call) and judge its pages."""
    result = read(ReadJob(source))
    return judge(source.rel, result.pages, result.inspections)


def _codes(source: SourceFile) -> set[str]:
    return {f.code for f in assess(source).findings}


@pytest.fixture(scope="module")
def page() -> Image.Image:
    return paper("工资条（2026年10月）", LINES)


def test_clean_page_has_no_warning(tmp_path: Path, page: Image.Image) -> None:
    """This test ensures a sharp, well-lit page photographed at phone resolution raises nothing."""
    assert _codes(_photo(tmp_path, "ok.jpg", page)) == set()


@pytest.mark.parametrize(
    ("name", "change", "code"),
    [
        ("blank", lambda im: Image.new("RGB", im.size, (246, 244, 238)), "BLANK_PAGE"),
        ("dark", lambda im: ImageEnhance.Brightness(im).enhance(0.3), "POOR_EXPOSURE"),
        (
            "faint",
            lambda im: Image.blend(im, Image.new("RGB", im.size, (250, 250, 250)), 0.82),
            "POOR_EXPOSURE",
        ),
        ("blurred", lambda im: im.filter(ImageFilter.GaussianBlur(5)), "BLURRY"),
        ("tiny", lambda im: im.resize((400, 566)), "LOW_RESOLUTION"),
    ],
)
def test_defects_are_named(tmp_path: Path, page: Image.Image, name: str, change, code: str) -> None:
    """This test ensures blank, dark, faint, blurred and low-resolution pages get their warning, with the page."""
    if name == "tiny":
        small = change(page)
        path = tmp_path / "tiny.png"
        small.save(path)
        data = path.read_bytes()
        source = SourceFile(
            path, "tiny.png", hashlib.sha256(data).hexdigest(), len(data), sniff(data)
        )
    else:
        source = _photo(tmp_path, f"{name}.jpg", change(page))
    findings = assess(source).findings
    assert code in {f.code for f in findings}
    assert all(f.page == 1 and f.file == source.rel for f in findings)


def test_one_line_page_is_not_blank_or_faint(tmp_path: Path) -> None:
    """This test ensures a page holding a single short line is not called blank or washed out."""
    im = Image.new("RGB", (1240, 1754), (246, 244, 238))
    from packager.demo import cjk_font

    ImageDraw.Draw(im).text((110, 230), "本页以下空白", font=cjk_font(34), fill=(30, 30, 30))
    assert _codes(_photo(tmp_path, "one-line.jpg", im)) == set()


def test_near_duplicates_found_but_not_similar_forms(tmp_path: Path, page: Image.Image) -> None:
    """This test ensures a re-saved smaller copy is a near-duplicate and next month's payslip is not."""
    original = _photo(tmp_path, "a.jpg", page)
    resaved = tmp_path / "b.jpg"
    Image.open(original.path).resize((1200, 1697)).save(resaved, quality=60)
    data = resaved.read_bytes()
    copy = SourceFile(resaved, "b.jpg", hashlib.sha256(data).hexdigest(), len(data), sniff(data))
    other = _photo(
        tmp_path, "c.jpg", paper("工资条（2026年09月）", [*LINES[:2], "实发合计：4,220.00 元"])
    )
    prints: list[Fingerprint] = []
    for source in (original, copy, other):
        prints.extend(assess(source).prints)
    found = near_duplicates(prints)
    assert [(f.file, f.params["other"]) for f in found] == [("b.jpg", "a.jpg")]


def test_demo_case_raises_no_quality_warning(tmp_path: Path) -> None:
    """This test ensures the bundled demo (the first thing a new user sees) has no false alarm."""
    case = write_demo_case(tmp_path / "demo", TODAY)
    prep = prepare(survey(case, "zh"), Settings(today=TODAY))
    assert [f.code for f in prep.findings if f.severity.value != "info"] == []


def _image(width: int, height: int, dpi: float | None = None, orientation: int = 1) -> EncodedImage:
    return EncodedImage(
        b"", "/DCTDecode", width, height, "/DeviceRGB", dpi=dpi, orientation=orientation
    )


def test_scanner_dpi_gives_real_size_phone_dpi_is_ignored() -> None:
    """This test ensures a 300-dpi A5 scan is shown at A5 size and a 72-dpi photo fills the box."""
    a5 = _image(1748, 2480, dpi=300)
    shown, _ = image_boxes(a5, False, None)
    assert shown.width == pytest.approx(148 * 72 / 25.4, rel=0.01)
    assert effective_ppi(SourcePage(a5, False)) == pytest.approx(300)
    box = content_box(False)
    # A phone photo (72 dpi) and a full A4 scan at 300 dpi (larger than the
    # margins allow) are both fitted to the content box, never cropped.
    for image in (_image(3024, 4032, dpi=None), _image(2480, 3508, dpi=300)):
        shown, _ = image_boxes(image, False, None)
        scale = min(box.width / image.width, box.height / image.height)
        assert shown.width == pytest.approx(image.width * scale)
        assert shown.width <= box.width + 1e-6 and shown.height <= box.height + 1e-6


def test_tall_images_are_sliced_with_overlap() -> None:
    """This test ensures a 1080×2400 screenshot becomes two overlapping slices and a 4:3 photo stays whole."""
    tall = SourcePage(_image(1080, 2400), False)
    slices = slice_page(tall)
    assert len(slices) == 2
    crops = [s.crop for s in slices]
    assert crops[0] is not None and crops[1] is not None
    assert crops[0][1] == 0 and crops[-1][3] == 2400
    assert crops[1][1] < crops[0][3]  # overlap
    assert all(s.content is tall.content for s in slices)
    # EXIF 6 turns 2400×1080 stored pixels into a tall upright screenshot too.
    assert len(slice_page(SourcePage(_image(2400, 1080, orientation=6), False))) == 2
    assert slice_page(SourcePage(_image(3024, 4032), False)) == (
        SourcePage(_image(3024, 4032), False),
    )
    ppi = effective_ppi(slices[0])
    assert ppi is not None and 150 < ppi < 160
