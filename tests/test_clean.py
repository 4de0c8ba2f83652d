"""Photos of a sheet on a desk become scans: found, flattened, white, nothing cut off.

Every photo is generated (``tests.desk``) with the sheet's corners known, a
wooden desk, a shadow gradient, a red seal and a black marker in each of the
sheet's corners, and read by the real worker (``read.pages.read``) or built.
"""

from __future__ import annotations

import hashlib
import io
import json
import math
import random
import tempfile
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw
from pypdf import PdfReader

from packager import api
from packager.cache.pages import PageCache
from packager.demo import paper
from packager.geometry import content_box, fit
from packager.image import vision
from packager.models import EncodedImage, MediaType, Severity, SourceFile, SourcePage
from packager.read.pages import Read, ReadJob, read
from packager.sources import strip_metadata
from tests.conftest import GOOD_TOML, TODAY, render_page, upload_pdf
from tests.desk import RECEIPT, SURFACES, DeskPhoto, desk_photo, hard_desks, on_a_table


def _source(tmp_path: Path, data: bytes, name: str = "IMG_1.jpg") -> SourceFile:
    path = tmp_path / name
    path.write_bytes(data)
    media = MediaType.PNG if name.endswith(".png") else MediaType.JPEG
    return SourceFile(path, name, hashlib.sha256(data).hexdigest(), len(data), media)


def _read(tmp_path: Path, data: bytes, name: str = "IMG_1.jpg", ocr: bool = False) -> Read:
    return read(ReadJob(_source(tmp_path, data, name), ocr=ocr, clean=tmp_path / "store"))


def _image(page: SourcePage) -> EncodedImage:
    assert isinstance(page.content, EncodedImage)
    return page.content


def _pixels(page: SourcePage) -> np.ndarray:
    image = _image(page)
    assert image.source is not None
    return np.asarray(Image.open(image.source).convert("RGB"), dtype=np.int32)


def _desk_share(strip: np.ndarray) -> float:
    """Share of brown (desk) pixels: red over green over blue (a seal's red has no green)."""
    r, g, b = strip[..., 0], strip[..., 1], strip[..., 2]
    return float(np.mean((r - b > 35) & (g - b > 15) & (r < 215)))


def _assert_scan(rgb: np.ndarray) -> None:
    """White paper to the edges, the red seal red, a black marker in every corner."""
    h, w, _ = rgb.shape
    e = max(2, round(0.01 * min(h, w)))
    for strip in (rgb[:e], rgb[-e:], rgb[:, :e], rgb[:, -e:]):
        assert _desk_share(strip) < 0.01, "desk colour at the page edge"
    paper_px = rgb[h // 2 - 40 : h // 2 + 40, w // 20 : w // 12]
    assert paper_px.mean() > 235, "the paper is not white"
    red = (rgb[..., 0] > 150) & (rgb[..., 1] < 90) & (rgb[..., 2] < 90)
    assert red.sum() > 0.001 * h * w, "the seal lost its red"
    ys, xs = np.nonzero(red)
    assert xs.mean() > 0.55 * w and ys.mean() > 0.75 * h, "the seal is not where it was"
    dark = rgb.max(axis=2) < 80
    for y0, x0 in ((0, 0), (0, w - w // 7), (h - h // 9, w - w // 7), (h - h // 9, 0)):
        corner = dark[y0 : y0 + h // 9, x0 : x0 + w // 7]
        assert corner.mean() > 0.05, f"the marker near ({x0}, {y0}) was cut off"


def _markers(rgb: np.ndarray) -> int:
    """How many of the sheet's black corner markers show (solid dark squares)."""
    import cv2

    dark = (rgb.max(axis=2) < 90).astype(np.uint8)
    _, _, stats, _ = cv2.connectedComponentsWithStats(dark)
    side = 0.045 * min(rgb.shape[:2])  # a marker is 60 of 1240 sheet pixels, about 5 %
    found = 0
    for _, _, bw, bh, area in stats[1:]:
        if 0.4 * side < bw < 2.5 * side and 0.4 * side < bh < 2.5 * side and area > 0.6 * bw * bh:
            found += 1
    return found


def _assert_whole(rgb: np.ndarray, markers: int = 4, desk: float = 0.05) -> None:
    """No desk colour at the page's edges, the seal red, ``markers`` corner markers whole."""
    h, w, _ = rgb.shape
    e = max(2, round(0.01 * min(h, w)))
    for strip in (rgb[:e], rgb[-e:], rgb[:, :e], rgb[:, -e:]):
        assert _desk_share(strip) < desk, "desk colour at the page edge"
    red = (rgb[..., 0] > 150) & (rgb[..., 1] < 90) & (rgb[..., 2] < 90)
    assert red.sum() > 0.0005 * h * w, "the seal was cut off"
    assert _markers(rgb) >= markers, "a corner marker was cut off"


def _corner_error(image: EncodedImage, photo: DeskPhoto) -> float:
    assert image.quad is not None
    found = [image.quad[i : i + 2] for i in range(0, 8, 2)]
    worst = max(math.dist(a, b) for a, b in zip(found, photo.corners, strict=True))
    return worst / math.hypot(*photo.size)


def test_a_photo_of_a_sheet_on_a_desk_becomes_a_scan(tmp_path: Path) -> None:
    """This test ensures a desk photo is cropped to its sheet, squared to A4 and whitened."""
    photo = desk_photo(0)
    result = _read(tmp_path, photo.data)
    (page,) = result.pages
    image = _image(page)
    assert image.source is not None and image.source.parent == tmp_path / "store"
    assert hashlib.sha256(image.source.read_bytes()).hexdigest() == image.sha256
    assert _corner_error(image, photo) < 0.01
    assert abs(image.width / image.height - 1 / math.sqrt(2)) < 0.005  # A4, not the trapezoid
    placed = fit(image.width, image.height, content_box(False))
    assert (
        150 <= image.height / (placed.height / 72) <= 175.5
    )  # ppi on its placed page (clean.MAX_PPI)
    _assert_scan(_pixels(page))
    assert result.warnings == ()
    assert result.inspections[0] is not None and result.inspections[0].measures.paper > 230


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_corners_are_recovered_on_every_photo(tmp_path: Path, seed: int) -> None:
    """This test ensures the sheet's corners are found within 1% of the diagonal, shot after shot."""
    photo = desk_photo(seed, shadow=0.55)
    (page,) = _read(tmp_path, photo.data).pages
    assert _corner_error(_image(page), photo) < 0.01
    _assert_scan(_pixels(page))


def test_a_phone_photo_stored_turned_is_cleaned_upright(tmp_path: Path) -> None:
    """This test ensures EXIF orientation 6 is applied first: quad in upright pixels, page upright."""
    photo = desk_photo(4, orientation=6)
    (page,) = _read(tmp_path, photo.data).pages
    image = _image(page)
    assert image.orientation == 1 and image.height > image.width
    assert _corner_error(image, photo) < 0.01
    _assert_scan(_pixels(page))


def test_a_photo_sent_through_a_chat_app_is_cleaned_without_exif(tmp_path: Path) -> None:
    """This test ensures a photo stripped of its camera EXIF is still cleaned: the desk shows."""
    photo = desk_photo(5, exif=False)
    (page,) = _read(tmp_path, photo.data).pages
    assert _image(page).quad is not None


def _screenshot() -> bytes:
    """A phone screenshot as PNG: a status bar, flat UI fills, a list of text rows, no noise."""
    from packager.demo import cjk_font

    shot = Image.new("RGB", (1080, 2340), (245, 245, 245))
    draw = ImageDraw.Draw(shot)
    draw.rectangle((0, 0, 1080, 90), fill=(22, 119, 255))
    draw.text((40, 45), "9:41", font=cjk_font(40), fill=(255, 255, 255), anchor="lm")
    for i in range(12):
        y = 160 + i * 170
        draw.rectangle((30, y, 1050, y + 150), fill=(255, 255, 255))
        draw.text((60, y + 75), f"花呗账单 第{i + 1}期 应还 316.67 元", font=cjk_font(44),
                  fill=(30, 30, 30), anchor="lm")  # fmt: skip
    out = io.BytesIO()
    shot.save(out, "PNG")
    return out.getvalue()


def test_a_flatbed_scan_and_screenshots_are_left_as_they_are(tmp_path: Path) -> None:
    """This test ensures scans (dpi recorded), screenshots and flat backdrops keep their geometry."""
    scan = _read(tmp_path, desk_photo(6, dpi=300).data, "scan.jpg")
    assert _image(scan.pages[0]).source == tmp_path / "scan.jpg"
    assert _image(scan.pages[0]).quad is None
    shot = _read(tmp_path, _screenshot(), "Screenshot_1.png")
    assert _image(shot.pages[0]).quad is None and shot.warnings == ()
    viewer = Image.new("RGB", (1080, 1920), (200, 200, 200))
    viewer.paste(paper("工资条", ["实发工资 4,800.00 元"], (700, 990)), (190, 400))
    flat = io.BytesIO()
    viewer.save(flat, "JPEG", quality=90)  # a JPEG screenshot of a viewer: no camera, no desk
    shown = _read(tmp_path, flat.getvalue(), "Screenshot_2.jpg")
    assert _image(shown.pages[0]).quad is None
    assert not (tmp_path / "store").exists()


def test_a_camera_photo_stored_as_png_is_cleaned(tmp_path: Path) -> None:
    """This test ensures "is it a photo" is judged from the pixels: a PNG desk photo is cleaned."""
    photo = desk_photo(6, exif=False, fmt="PNG")
    (page,) = _read(tmp_path, photo.data, "IMG_6.png").pages
    image = _image(page)
    assert _corner_error(image, photo) < 0.01 and not image.cropped
    _assert_scan(_pixels(page))
    assert vision.looks_photographed(np.asarray(Image.open(io.BytesIO(photo.data))))
    assert not vision.looks_photographed(np.asarray(Image.open(io.BytesIO(_screenshot()))))


def test_a_desk_with_no_sheet_is_left_as_taken_and_said(tmp_path: Path) -> None:
    """This test ensures a photo of an empty desk is placed as taken, with an info saying so."""
    result = _read(tmp_path, desk_photo(7, with_sheet=False).data)
    assert _image(result.pages[0]).quad is None
    assert result.warnings == (("PAGE_NOT_FOUND", {}),)


def test_a_sheet_filling_the_frame_is_flattened_or_left_whole(tmp_path: Path) -> None:
    """This test ensures a sheet that nearly fills the photo is flattened on its own edges."""
    corners = ((0.01, 0.008), (0.99, 0.01), (0.992, 0.99), (0.008, 0.992))
    photo = desk_photo(8, corners=corners)
    result = _read(tmp_path, photo.data)
    image = _image(result.pages[0])
    assert image.quad is not None and not image.cropped
    assert _corner_error(image, photo) < 0.01
    assert result.warnings == ()


def test_a_sheet_running_out_of_the_frame_is_cut_out_whole(tmp_path: Path) -> None:
    """This test ensures paper with a corner out of the picture loses its desk, not its print."""
    corners = ((0.15, -0.06), (0.85, 0.1), (0.9, 0.85), (0.1, 0.8))
    result = _read(tmp_path, desk_photo(9, corners=corners).data)
    assert _image(result.pages[0]).quad is not None
    _assert_whole(_pixels(result.pages[0]), markers=3)


def test_the_page_cache_keeps_the_cleaned_page(tmp_path: Path) -> None:
    """This test ensures a cache hit names the same cleaned file, and a lost file is cleaned again."""
    cache = PageCache(tmp_path / "cache")
    source = _source(tmp_path, desk_photo(10).data)
    job = ReadJob(source, clean=cache.clean_dir)
    first = cache.read(job)
    again = cache.read(job)
    assert cache.stats.hits == 1
    assert again.pages == first.pages
    assert PageCache(tmp_path / "cache").get(source) is None  # not cleaned: another entry
    cleaned = _image(first.pages[0]).source
    assert cleaned is not None
    cleaned.write_bytes(b"damaged")
    assert cache.get(source, clean=cache.clean_dir) is None
    redone = cache.read(job)
    assert _image(redone.pages[0]).sha256 == _image(first.pages[0]).sha256
    assert hashlib.sha256(cleaned.read_bytes()).hexdigest() == _image(first.pages[0]).sha256


def _case(tmp_path: Path, toml: str = GOOD_TOML) -> Path:
    case = tmp_path / "inbox" / "wang"
    (case / "收入证明").mkdir(parents=True)
    (case / "case.toml").write_text(toml, encoding="utf-8")
    for i in range(2):
        (case / f"收入证明/IMG_{i}.jpg").write_bytes(desk_photo(20 + i, (2250, 3000)).data)
    return case


def _build(case: Path, out: Path, clean: bool) -> api.Outcome:
    settings = api.Settings(today=TODAY, clean=clean, ocr=False, profiles=("upload", "mail"))
    return api.build_case(case, out, settings)


@pytest.mark.slow
def test_every_output_uses_the_cleaned_page(tmp_path: Path, tools: None) -> None:
    """This test ensures bundle, page images and mail packet show the scan; the bundle is smaller."""
    case = _case(tmp_path)
    before = {p: p.read_bytes() for p in case.rglob("*") if p.is_file()}
    cleaned = _build(case, tmp_path / "out", clean=True)
    taken = _build(case, tmp_path / "taken", clean=False)
    assert {p: p.read_bytes() for p in case.rglob("*") if p.is_file()} == before
    sources = cleaned.manifest["sources"]
    assert isinstance(sources, list)
    assert [s["cleaned"] for s in sources] == ["flattened", "flattened"]
    assert all(len(s["quads"]) == 1 and len(s["quads"][0]) == 4 for s in sources)
    assert cleaned.out_dir is not None
    first = sources[0]["first_page"]
    upload = upload_pdf(cleaned.out_dir)  # a draft's names say 草稿
    (mail,) = cleaned.out_dir.glob("mail/*.pdf")
    image_page = sorted(cleaned.out_dir.glob("images/*.jpg"))[first - 1]
    mail_first = len(PdfReader(mail).pages) - 1  # the photos are the mail packet's last pages
    for shown in (render_page(upload, first, 60), render_page(mail, mail_first, 60)):
        rgb = np.asarray(shown, dtype=np.int32)
        h, w, _ = rgb.shape
        body = rgb[h // 10 : h - h // 10, w // 10 : w - w // 10]
        assert _desk_share(body) < 0.002, "desk on the packet page"
    assert _desk_share(np.asarray(Image.open(image_page).convert("RGB"), dtype=np.int32)) < 0.002
    size = {o.path: o.bytes for o in cleaned.outputs}
    size_taken = {o.path: o.bytes for o in taken.outputs}
    assert size[upload.name] <= 0.6 * size_taken[upload.name]


@pytest.mark.slow
def test_clean_off_gives_the_photos_byte_for_byte(tmp_path: Path) -> None:
    """This test ensures --no-clean and [output] clean = false embed each photo's own bytes."""
    case = _case(tmp_path)
    off = _build(case, tmp_path / "off", clean=False)
    toml = GOOD_TOML + "\n[output]\nclean = false\n"
    (case / "case.toml").write_text(toml, encoding="utf-8")
    by_case = _build(case, tmp_path / "by-case", clean=True)
    assert off.out_dir is not None and by_case.out_dir is not None
    pdf = upload_pdf(off.out_dir)
    assert pdf.read_bytes() == upload_pdf(by_case.out_dir).read_bytes()
    streams = {
        bytes(obj.get_data())
        for page in PdfReader(pdf).pages
        for obj in (page["/Resources"].get("/XObject") or {}).values()
        if obj.get_object().get("/Subtype") == "/Image"
        for obj in [obj.get_object()]
    }
    for photo in sorted((case / "收入证明").iterdir()):
        assert strip_metadata(photo.read_bytes()) in streams
    assert not (tmp_path / "off" / ".cache" / "clean").exists()
    sources = json.loads((off.out_dir / "manifest.json").read_text("utf-8"))["sources"]
    assert [s["cleaned"] for s in sources] == [False, False]


@pytest.mark.slow
def test_text_outside_the_sheet_is_kept_and_said(tmp_path: Path) -> None:
    """This test ensures a crop never cuts recognised text off: the page keeps it, and says so."""
    page = paper("工资条", ["员工姓名：王测试", "实发工资 4,800.00 元"], (1240, 1754))
    photo = desk_photo(11, (1500, 2000), page=page, label="补充说明：本月另有奖金八百元")
    result = _read(tmp_path, photo.data, ocr=True)
    image = _image(result.pages[0])
    assert image.quad is not None and image.cropped  # cut out around the sheet and the note
    assert result.texts[0] is not None and "奖金八百元" in result.texts[0].text
    assert ("SURROUND_KEPT", {}) in result.warnings
    plain = desk_photo(11, (1500, 2000), page=page)
    clean = _read(tmp_path, plain.data, "IMG_2.jpg", ocr=True)
    assert _image(clean.pages[0]).quad is not None and not _image(clean.pages[0]).cropped
    assert clean.texts[0] is not None and "实发工资" in clean.texts[0].text
    assert clean.warnings == ()


def test_a_kept_surround_is_only_an_info(tmp_path: Path) -> None:
    """This test ensures SURROUND_KEPT reaches the findings as an info naming the file."""
    case = tmp_path / "inbox" / "wang"
    (case / "收入证明").mkdir(parents=True)
    (case / "case.toml").write_text(GOOD_TOML, encoding="utf-8")
    # The sheet on a white table: no edge to trust, cut out around its paper and print.
    photo = desk_photo(
        42, surface="white_table", corners=((0.3, 0.3), (0.7, 0.3), (0.7, 0.7), (0.3, 0.7))
    )
    (case / "收入证明/IMG_0.jpg").write_bytes(photo.data)
    settings = api.Settings(today=TODAY, clean=True, ocr=False, clean_store=tmp_path / "store")
    outcome = api.check_case(case, settings)
    found = [f for f in outcome.findings if f.code in ("SURROUND_KEPT", "PAGE_NOT_FOUND")]
    assert [(f.severity, f.file) for f in found] == [(Severity.INFO, "收入证明/IMG_0.jpg")]


def test_check_judges_the_cleaned_photos_as_build_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """This test ensures check cleans photos like build (same quads), leaving no file behind."""
    case = _case(tmp_path)
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    before = sorted(tmp_path.rglob("*"))
    checked = api.check_case(case, api.Settings(today=TODAY, clean=True, ocr=False))
    assert sorted(tmp_path.rglob("*")) == before, "check left a file behind"
    sources = checked.manifest["sources"]
    assert isinstance(sources, list)
    assert [s["cleaned"] for s in sources] == ["flattened", "flattened"]
    for record in sources:
        path = case / record["path"]
        alone = _image(_read(tmp_path / "tmp", path.read_bytes(), path.name).pages[0])
        assert alone.quad is not None
        assert record["quads"] == [[list(alone.quad[i : i + 2]) for i in range(0, 8, 2)]]
    as_taken = api.check_case(case, api.Settings(today=TODAY, clean=False, ocr=False))
    unclean = as_taken.manifest["sources"]
    assert isinstance(unclean, list)
    assert [s["cleaned"] for s in unclean] == [False, False]


def _resaved(photo: DeskPhoto, mode: str) -> bytes:
    """The photo re-saved as a grey or CMYK JPEG, camera EXIF kept (an editor's export)."""
    with Image.open(io.BytesIO(photo.data)) as im:
        exif = im.getexif()
        out = io.BytesIO()
        im.convert(mode).save(out, "JPEG", quality=92, exif=exif)
    return out.getvalue()


def test_a_grey_photo_is_cleaned_in_grey(tmp_path: Path) -> None:
    """This test ensures a greyscale photo is found, flattened and whitened, and stays grey."""
    photo = desk_photo(12)
    (page,) = _read(tmp_path, _resaved(photo, "L")).pages
    image = _image(page)
    assert image.colorspace == "/DeviceGray"
    assert _corner_error(image, photo) < 0.01
    assert image.source is not None
    with Image.open(image.source) as cleaned:
        assert cleaned.mode == "L"
        grey = np.asarray(cleaned, dtype=np.int32)
    h, w = grey.shape
    e = max(2, round(0.01 * min(h, w)))
    for strip in (grey[:e], grey[-e:], grey[:, :e], grey[:, -e:]):
        assert np.mean(strip < 170) < 0.02, "desk at the page edge"
    assert grey[h // 2 - 40 : h // 2 + 40, w // 20 : w // 12].mean() > 235, "paper not white"
    assert (grey[: h // 9, : w // 7] < 80).mean() > 0.05, "a corner marker was cut off"


def test_a_cmyk_photo_is_cleaned_into_colour(tmp_path: Path) -> None:
    """This test ensures a CMYK JPEG (Adobe inverted inks) is cleaned: RGB, white, seal red."""
    photo = desk_photo(13)
    data = _resaved(photo, "CMYK")
    with Image.open(io.BytesIO(data)) as im:
        assert im.mode == "CMYK" and "adobe" in im.info
    (page,) = _read(tmp_path, data).pages
    image = _image(page)
    assert image.colorspace == "/DeviceRGB" and image.decode is None
    assert _corner_error(image, photo) < 0.01
    _assert_scan(_pixels(page))


def _askew_page(degrees: float) -> Image.Image:
    """A payslip whose print lies ``degrees`` askew on its sheet (a photocopy copied askew)."""
    lines = [f"第{i}行 实发工资 4,800.00 元 扣款 200.00 元" for i in range(14)]
    page = paper("工资条", lines, (1240, 1754))
    return page.rotate(degrees, Image.Resampling.BICUBIC, fillcolor=(246, 244, 238))


def test_residual_skew_is_measured_only_when_sure() -> None:
    """This test ensures the skew of printed lines is found to 0.15°, and nothing on a blank or level page."""
    for degrees in (-3.0, 1.5, 4.0):
        found = vision.residual_skew(np.asarray(_askew_page(degrees)))
        assert found is not None and abs(found + degrees) < 0.15, (degrees, found)
    assert vision.residual_skew(np.asarray(_askew_page(0.0))) is None
    assert vision.residual_skew(np.full((1754, 1240, 3), 250, np.uint8)) is None
    noise = np.random.default_rng(0).integers(0, 255, (1754, 1240), dtype=np.uint8)
    assert vision.residual_skew(noise) is None


def test_print_askew_on_its_sheet_comes_out_level(tmp_path: Path) -> None:
    """This test ensures a sheet turned in the frame, its print 3° askew, is cleaned level, whole."""
    corners = ((0.2, 0.12), (0.83, 0.16), (0.79, 0.9), (0.14, 0.86))  # turned about 4°
    photo = desk_photo(14, (2250, 3000), corners=corners, page=_askew_page(3.0))
    (page,) = _read(tmp_path, photo.data).pages
    image = _image(page)
    assert _corner_error(image, photo) < 0.01
    rgb = _pixels(page)
    assert vision.residual_skew(rgb.astype(np.uint8)) is None  # level now
    h, w, _ = rgb.shape
    e = max(2, round(0.01 * min(h, w)))
    for strip in (rgb[:e], rgb[-e:], rgb[:, :e], rgb[:, -e:]):
        assert _desk_share(strip) < 0.01, "desk colour at the page edge"


HARD = {case.name: case for case in hard_desks()}


@pytest.mark.parametrize("name", sorted(HARD))
def test_hard_desks_lose_their_desk_not_their_print(tmp_path: Path, name: str) -> None:
    """This test ensures each hard desk is flattened (corners to 1 %) or cut out, print whole."""
    case = HARD[name]
    file = "IMG_1.png" if case.png else "IMG_1.jpg"
    result = _read(tmp_path, case.photo.data, file, ocr=case.ocr)
    (page,) = result.pages
    image = _image(page)
    assert image.quad is not None, "left as taken"
    if case.visible:
        assert not image.cropped
        assert _corner_error(image, case.photo) < 0.01
    rgb = _pixels(page)
    if name == "curled page":  # not dewarped: a sliver of desk where the bow meets a corner
        assert _desk_share(rgb) < 0.02
        _assert_whole(rgb, desk=0.35)
    else:
        _assert_whole(rgb, markers=3 if name == "hand over a corner" else 4)
    if name == "long receipt":  # a strip three times longer than wide: never stretched
        ratio = image.width / image.height
        assert abs(ratio / (RECEIPT[0] / RECEIPT[1]) - 1) < 0.03


@pytest.mark.parametrize("seed", range(6))
def test_fuzz_the_finder_over_desk_textures(tmp_path: Path, seed: int) -> None:
    """This test ensures random desks, lights and camera angles all give corners within 1 %."""
    rnd = random.Random(1000 + seed)  # noqa: S311 - a seeded fuzz
    surface = rnd.choice([s for s in SURFACES if s != "white_table"])
    photo = desk_photo(
        1000 + seed, (1200, 1600), surface=surface, shadow=rnd.uniform(0.2, 0.6),
        cast=rnd.random() < 0.3, exif=rnd.random() < 0.5,
    )  # fmt: skip
    (page,) = _read(tmp_path, photo.data).pages
    image = _image(page)
    assert image.quad is not None and not image.cropped, surface
    assert _corner_error(image, photo) < 0.01, surface
    _assert_whole(_pixels(page))


def test_a_sheet_photographed_at_45_degrees_comes_out_upright(tmp_path: Path) -> None:
    """This test ensures text running at 45° is turned to the nearest quarter and read upright."""
    lines = [f"第{i}行 实发工资 4,800.00 元" for i in range(10)]
    page = paper("工资条", lines, (1240, 1754))
    c, r = (0.5, 0.5), 0.36
    corners = tuple(
        (c[0] + r * math.cos(math.radians(a)) * 0.75, c[1] + r * math.sin(math.radians(a)))
        for a in (-80, 10, 100, 190)
    )  # the sheet turned 45° clockwise in a 3:4 frame
    photo = desk_photo(60, (1500, 2000), corners=corners, page=page)
    result = _read(tmp_path, photo.data, ocr=True)
    image = _image(result.pages[0])
    assert image.quad is not None
    text = result.texts[0]
    assert text is not None and "实发工资" in text.text
    assert text.sure
    top = min(text.lines, key=lambda line: line.box[1])
    assert "工资条" in top.text, "the title is not at the top"


def test_a_long_receipt_keeps_its_aspect_when_placed(tmp_path: Path) -> None:
    """This test ensures a cleaned receipt three times longer than wide is placed unstretched."""
    from packager.geometry import image_boxes, paginate

    case = HARD["long receipt"]
    (page,) = _read(tmp_path, case.photo.data).pages
    image = _image(page)
    for part in paginate([page]):
        shown, _ = image_boxes(image, part.landscape, part.crop)
        left, top, right, bottom = part.crop or (0, 0, image.width, image.height)
        assert abs((shown.width / shown.height) / ((right - left) / (bottom - top)) - 1) < 0.01


def _dev() -> Path:
    here = Path(__file__).resolve().parents[1]
    for root in (here.parent, here.parent.parent):
        if (root / "shared" / "realphotos-dev" / "truth.json").exists():
            return root / "shared" / "realphotos-dev"
    return here.parent / "shared" / "realphotos-dev"


DEV = _dev()


@pytest.mark.slow
@pytest.mark.skipif(not (DEV / "truth.json").exists(), reason="../shared/realphotos-dev absent")
def test_real_photos_never_keep_a_desk_silently(tmp_path: Path) -> None:
    """This test ensures every real dev photo showing a desk is cleaned or named in a finding."""
    truth = json.loads((DEV / "truth.json").read_text("utf-8"))
    silent, cleaned = [], 0
    for name, facts in sorted(truth.items()):
        media = MediaType.PNG if name.endswith(".png") else MediaType.JPEG
        data = (DEV / "files" / name).read_bytes()
        source = _source(tmp_path, data, name)
        result = read(ReadJob(replace(source, media=media), ocr=True, clean=tmp_path / "store"))
        image = _image(result.pages[0])
        if facts["desk_visible"]:
            cleaned += image.quad is not None
            if image.quad is None and not result.warnings:
                silent.append(name)
        text = result.texts[0]
        assert text is not None
        if image.quad is not None:  # a crop never cuts the printed words off
            found = sum(1 for word in facts["key_words"] if _squash(word) in _squash(text.text))
            assert found >= len(facts["key_words"]) - 2, name
    assert silent == []
    assert cleaned >= 0.7 * sum(1 for f in truth.values() if f["desk_visible"])


def _squash(text: str) -> str:
    import unicodedata

    return "".join(unicodedata.normalize("NFKC", text).split()).casefold()


@pytest.mark.slow
@pytest.mark.skipif(not (DEV / "truth.json").exists(), reason="../shared/realphotos-dev absent")
def test_a_book_on_a_cluttered_desk_is_cut_out_along_its_pages_and_said(tmp_path: Path) -> None:
    """This test ensures the real photo of a book spread, whose pages no threshold tells from
    the desk, is cut out along the outline the text-seeded segmentation finds (before, the cut
    kept the whole frame, 46 % of it desk), and that the page still says it keeps a surround."""
    import cv2
    import numpy as np

    name = "zh_book_spread_desk.jpg"
    data = (DEV / "files" / name).read_bytes()
    result = read(ReadJob(_source(tmp_path, data, name), ocr=True, clean=tmp_path / "store"))
    image = _image(result.pages[0])
    assert image.cropped and image.quad is not None
    with Image.open(DEV / "files" / name) as im:
        w, h = im.size
    quad = np.array(image.quad, np.float32).reshape(4, 2)
    frame = np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float32)
    kept, _ = cv2.intersectConvexConvex(quad, frame)
    assert kept < 0.8 * w * h
    assert "SURROUND_KEPT" in {code for code, _ in result.warnings}
    text = result.texts[0]
    assert text is not None and "福格行为模型" in _squash(text.text)


def test_the_seeded_segmentation_is_tried_only_where_colours_tell_paper_from_desk() -> None:
    """This test ensures GrabCut runs on paper against a desk, not on white against white."""
    from packager.image.vision.regions import seeded_paper

    def photo(surround: tuple[int, int, int]) -> np.ndarray:
        rgb = np.empty((540, 720, 3), np.uint8)
        rgb[:] = surround
        rng = np.random.default_rng(5)
        rgb[60:480, 180:540] = (236, 234, 228)  # the sheet
        noisy = rgb.astype(np.int16) + rng.integers(-4, 5, rgb.shape)
        return np.clip(noisy, 0, 255).astype(np.uint8)

    lines = [np.array([[200.0, y], [520.0, y], [520.0, y + 14], [200.0, y + 14]])
             for y in range(90, 450, 40)]  # fmt: skip
    wood, table = photo((120, 82, 50)), photo((228, 228, 224))
    for rgb in (wood, table):
        for box in lines:
            x0, y0 = box[0].astype(int)
            rgb[y0 + 3 : y0 + 11, x0:520] = 40
    found = seeded_paper(wood, lines)
    assert found is not None
    assert found[270, 360] == 255 and found[270, 60] == 0 and found[20, 360] == 0
    assert seeded_paper(table, lines) is None


def test_a_forwarded_photo_whose_paper_jpeg_flattened_is_still_a_photo(tmp_path: Path) -> None:
    """This test ensures evenly lit paper in a few JPEG values, on a noisy desk, is cleaned."""
    shot = on_a_table(
        paper("工资条", ["实发工资 4,800.00 元"] * 8).resize((1100, 1556)), (1500, 2000), 7
    )
    out = io.BytesIO()
    shot.save(out, "JPEG", quality=90)  # no EXIF: a chat forward
    rgb = np.asarray(Image.open(io.BytesIO(out.getvalue())).convert("RGB"))
    step = round(2000 / 600)
    _, counts = np.unique(rgb[::step, ::step].reshape(-1, 3), axis=0, return_counts=True)
    assert np.sort(counts)[-8:].sum() / counts.sum() > 0.3, "the paper is not flat enough"
    (page,) = _read(tmp_path, out.getvalue()).pages
    image = _image(page)
    assert image.quad is not None and not image.cropped, "left as taken: judged not a photo"
    w, h = image.width, image.height
    rgb = _pixels(page)
    assert _desk_share(rgb[: h // 50]) < 0.01 and _desk_share(rgb[:, : w // 50]) < 0.01
