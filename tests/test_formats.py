"""The format matrix: every input a phone, scanner or bank website produces becomes upright pages.

One case folder holds every variant (built here with Pillow, pypdf and
pillow-heif); one build; then each document's pages are rendered with
poppler and checked with the marker cards.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from pypdf import PdfReader

from packager import api
from tests.conftest import GOOD_TOML, TODAY, assert_upright, marker_image, render_page, upload_pdf
from tests.samples import (
    assert_centre_white,
    assert_upright_by_hue,
    assert_upright_grey,
    encrypted_pdf,
    gif_animated,
    grey_card,
    heic_phone,
    jpeg_cmyk,
    palette_with_transparency,
    pdf_bytes,
    png_bytes,
    save,
    tall_screenshot,
    tiff_pages,
    with_alpha,
)

pytestmark = pytest.mark.slow

COLOUR, GREY, HUE = "colour", "grey", "hue"


def _bad_exif() -> bytes:
    exif = Image.Exif()
    exif[0x0112] = 0  # what some Android and Canon firmware write
    return save(marker_image(), "JPEG", exif=exif)


def _palette_transparent() -> bytes:
    return save(palette_with_transparency(), "PNG", transparency=4)


def _grey16() -> Image.Image:
    return grey_card().convert("I").point(lambda v: v * 257).convert("I;16")


# file name -> (bytes, pages, how to check the pages)
VARIANTS: dict[str, tuple[Callable[[], bytes], int, str]] = {
    "jpeg-baseline.jpg": (lambda: save(marker_image(), "JPEG", quality=90), 1, COLOUR),
    "jpeg-progressive.jpg": (lambda: save(marker_image(), "JPEG", progressive=True), 1, COLOUR),
    "jpeg-cmyk-adobe.jpg": (lambda: jpeg_cmyk(adobe=True), 1, HUE),
    "jpeg-cmyk-plain.jpg": (lambda: jpeg_cmyk(adobe=False), 1, HUE),
    "jpeg-grey.jpg": (lambda: save(grey_card(), "JPEG", quality=95), 1, GREY),
    "jpeg-exif-0.jpg": (_bad_exif, 1, COLOUR),
    "png-grey1.png": (lambda: save(grey_card().convert("1"), "PNG"), 1, GREY),
    "png-grey2.png": (lambda: png_bytes(grey_card(), 0, 2), 1, GREY),
    "png-grey4.png": (lambda: png_bytes(grey_card(), 0, 4), 1, GREY),
    "png-grey8.png": (lambda: save(grey_card(), "PNG"), 1, GREY),
    "png-grey16.png": (lambda: save(_grey16(), "PNG"), 1, GREY),
    "png-grey-alpha.png": (lambda: png_bytes(with_alpha(grey_card()), 4, 8), 1, GREY),
    "png-palette.png": (
        lambda: save(marker_image().convert("P", palette=Image.Palette.ADAPTIVE), "PNG"),
        1,
        COLOUR,
    ),
    "png-palette-transparent.png": (_palette_transparent, 1, COLOUR),
    "png-rgb8.png": (lambda: save(marker_image(), "PNG"), 1, COLOUR),
    "png-rgba8-alpha.png": (lambda: save(with_alpha(marker_image()), "PNG"), 1, COLOUR),
    "png-rgb16.png": (lambda: png_bytes(marker_image(), 2, 16), 1, COLOUR),
    "png-rgba16-alpha.png": (lambda: png_bytes(with_alpha(marker_image()), 6, 16), 1, COLOUR),
    "png-interlaced-alpha.png": (
        lambda: png_bytes(with_alpha(marker_image()), 6, 8, True),
        1,
        COLOUR,
    ),
    "tiff-3-pages.tif": (lambda: tiff_pages(3), 3, COLOUR),
    "tiff-grey16.tif": (lambda: save(_grey16(), "TIFF"), 1, GREY),
    "tiff-g4.tif": (
        lambda: save(grey_card().convert("1"), "TIFF", compression="group4"),
        1,
        GREY,
    ),
    "webp-lossy.webp": (lambda: save(marker_image(), "WEBP", quality=90), 1, COLOUR),
    "webp-lossless-alpha.webp": (
        lambda: save(with_alpha(marker_image()), "WEBP", lossless=True),
        1,
        COLOUR,
    ),
    "bmp.bmp": (lambda: save(marker_image(), "BMP"), 1, COLOUR),
    "gif-animated.gif": (gif_animated, 1, COLOUR),
    "heic-orientation-6.heic": (lambda: heic_phone(6), 1, COLOUR),
    "heic-orientation-3.heic": (lambda: heic_phone(3), 1, COLOUR),
    "pdf-sizes.pdf": (
        lambda: pdf_bytes([(420, 595, 0), (612, 792, 0), (1800, 2600, 0), (100, 150, 0)]),
        4,
        COLOUR,
    ),
    "pdf-rotate-mixed.pdf": (
        lambda: pdf_bytes([(595, 842, 90), (842, 595, 0), (595, 842, 270), (595, 842, 180)]),
        4,
        COLOUR,
    ),
    "pdf-empty-password.pdf": (lambda: encrypted_pdf("", "AES-128"), 1, COLOUR),
    "pdf-rc4-password.pdf": (lambda: encrypted_pdf("123456", "RC4-128"), 1, COLOUR),
    "pdf-aes-password.pdf": (lambda: encrypted_pdf("654321", "AES-256"), 1, COLOUR),
}

PASSWORDS = """
[[password]]
file = "pdf-rc4-password.pdf"
password = "123456"

[[password]]
file = "收入证明/pdf-aes-password.pdf"
password = "654321"
"""


@pytest.fixture(scope="module")
def matrix(tmp_path_factory: pytest.TempPathFactory) -> tuple[api.Outcome, Path]:
    root = tmp_path_factory.mktemp("formats")
    case = root / "inbox" / "wang"
    (case / "收入证明").mkdir(parents=True)
    (case / "case.toml").write_text(GOOD_TOML + PASSWORDS, encoding="utf-8")
    for name, (make, _, _) in VARIANTS.items():
        (case / "收入证明" / name).write_bytes(make())
    outcome = api.build_case(case, root / "out", api.Settings(today=TODAY))
    assert outcome.out_dir is not None
    return outcome, upload_pdf(outcome.out_dir)


def _sources(outcome: api.Outcome) -> dict[str, dict[str, Any]]:
    sources: list[dict[str, Any]] = outcome.manifest["sources"]  # type: ignore[assignment]
    return {s["path"].split("/")[-1]: s for s in sources}


def test_every_variant_is_used_with_its_page_count(matrix, tools) -> None:
    """This test ensures each format variant is in the packet with the right number of pages."""
    outcome, pdf = matrix
    sources = _sources(outcome)
    for name, (_, pages, _) in VARIANTS.items():
        assert sources[name]["status"] == "ok", (name, outcome.findings)
        assert sources[name]["pages"] == pages, name
    first = min(s["first_page"] for s in sources.values())
    assert len(PdfReader(pdf).pages) == first - 1 + sum(p for _, p, _ in VARIANTS.values())


@pytest.mark.parametrize("name", list(VARIANTS))
def test_every_page_is_upright(matrix, tools, name: str) -> None:
    """This test ensures every page of every variant reads upright in the right colours."""
    outcome, pdf = matrix
    source = _sources(outcome)[name]
    check = {COLOUR: assert_upright, GREY: assert_upright_grey, HUE: assert_upright_by_hue}[
        VARIANTS[name][2]
    ]
    for page in range(source["first_page"], source["last_page"] + 1):
        check(render_page(pdf, page))


@pytest.mark.parametrize("name", [n for n in VARIANTS if "alpha" in n or "transparent" in n])
def test_transparency_is_flattened_onto_white(matrix, tools, name: str) -> None:
    """This test ensures transparent pixels (stored black) come out white, for every alpha variant."""
    outcome, pdf = matrix
    assert_centre_white(render_page(pdf, _sources(outcome)[name]["first_page"]))


def test_no_false_quality_warnings_on_clean_cards(matrix) -> None:
    """This test ensures clean test cards raise no BLANK/BLURRY/POOR_EXPOSURE warning."""
    outcome, _ = matrix
    noisy = [f for f in outcome.findings if f.code in ("BLANK_PAGE", "BLURRY", "POOR_EXPOSURE")]
    assert noisy == []


def test_invalid_exif_orientation_is_a_warning(matrix) -> None:
    """This test ensures an EXIF orientation of 0 is placed as stored, with a warning naming the file."""
    outcome, _ = matrix
    warned = [f for f in outcome.findings if f.code == "EXIF_ORIENTATION_INVALID"]
    assert [f.file for f in warned] == ["收入证明/jpeg-exif-0.jpg"]
    assert warned[0].params["value"] == "0"


def test_lossless_sources_stay_lossless_photos_pass_through(matrix) -> None:
    """This test ensures JPEGs are embedded as they are, PNG/TIFF losslessly, HEIC/WebP as JPEG."""
    outcome, pdf = matrix
    reader = PdfReader(pdf)
    sources = _sources(outcome)

    def filters(name: str) -> set[str]:
        found = set()
        for index in range(sources[name]["first_page"], sources[name]["last_page"] + 1):
            xobjects = reader.pages[index - 1]["/Resources"]["/XObject"]
            for ref in xobjects.values():
                obj = ref.get_object()
                if obj.get("/Subtype") == "/Image":
                    found.add(str(obj["/Filter"]))
        return found

    assert filters("jpeg-cmyk-adobe.jpg") == {"/DCTDecode"}
    assert filters("png-rgb16.png") == {"/FlateDecode"}
    assert filters("tiff-g4.tif") == {"/FlateDecode"}
    assert filters("heic-orientation-6.heic") == {"/DCTDecode"}
    assert filters("webp-lossless-alpha.webp") == {"/FlateDecode"}


def test_adobe_cmyk_jpeg_carries_decode_array(matrix) -> None:
    """This test ensures only the Adobe-inverted CMYK JPEG gets /Decode [1 0 …] (colours checked above)."""
    outcome, pdf = matrix
    reader = PdfReader(pdf)
    sources = _sources(outcome)
    for name, inverted in (("jpeg-cmyk-adobe.jpg", True), ("jpeg-cmyk-plain.jpg", False)):
        page = reader.pages[sources[name]["first_page"] - 1]
        image = next(
            ref.get_object()
            for ref in page["/Resources"]["/XObject"].values()
            if ref.get_object().get("/Subtype") == "/Image"
        )
        assert image["/ColorSpace"] == "/DeviceCMYK"
        assert ("/Decode" in image) is inverted


def test_tall_screenshot_is_sliced_sharing_one_image(case_factory, tmp_path: Path, tools) -> None:
    """This test ensures a 1080×2400 chat record becomes two readable pages drawing one stored image."""
    files = {"沟通记录/chat.png": lambda p: tall_screenshot().save(p, "PNG")}
    case = case_factory(files=files)
    outcome = api.build_case(case, tmp_path / "out", api.Settings(today=TODAY))
    assert outcome.out_dir is not None
    pdf = upload_pdf(outcome.out_dir)
    source = _sources(outcome)["chat.png"]
    assert source["pages"] == 2
    first, second = source["first_page"], source["last_page"]
    red, blue = (220, 20, 20), (20, 20, 220)
    top = render_page(pdf, first)
    bottom = render_page(pdf, second)
    # Page 1 starts with the red band right under the label; page 2 ends with the blue band.
    assert _has(top, red) and not _has(top, blue)
    assert _has(bottom, blue) and not _has(bottom, red)
    # Slices fill the content width: the image is not shrunk to a strip.
    assert _width_share(top, red) > 0.8
    data = pdf.read_bytes()
    images = len(re.findall(rb"/Subtype\s*/Image", data))
    assert images == 1


def _has(im: Image.Image, colour: tuple[int, int, int]) -> bool:
    px = im.load()
    assert px is not None
    return any(
        sum(abs(a - b) for a, b in zip(px[x, y][:3], colour, strict=True)) < 60
        for y in range(0, im.height, 2)
        for x in range(0, im.width, 2)
    )


def _width_share(im: Image.Image, colour: tuple[int, int, int]) -> float:
    px = im.load()
    assert px is not None
    xs = [
        x
        for y in range(0, im.height, 2)
        for x in range(im.width)
        if sum(abs(a - b) for a, b in zip(px[x, y][:3], colour, strict=True)) < 60
    ]
    return (max(xs) - min(xs)) / im.width


def test_strip_metadata_keeps_pixels_and_drops_gps(tmp_path) -> None:
    """This test ensures the EXIF block (GPS, phone model) never reaches the packet, while the
    JPEG still decodes to the same pixels; anything unparsable is refused, never embedded."""
    import io as _io

    from PIL import Image as _Image

    from packager.sources import strip_metadata

    exif = _Image.Exif()
    exif[0x0110] = "Phone X"  # model
    exif[0x0112] = 6
    gps = {1: "N", 2: (39.0, 54.0, 1.0)}
    exif[0x8825] = gps
    buf = _io.BytesIO()
    _Image.new("RGB", (64, 48), (200, 30, 30)).save(buf, "JPEG", exif=exif, comment=b"secret")
    raw = buf.getvalue()
    clean = strip_metadata(raw)
    assert b"Exif" in raw and b"Exif" not in clean
    assert b"Phone X" not in clean and b"secret" not in clean
    assert _Image.open(_io.BytesIO(clean)).tobytes() == _Image.open(_io.BytesIO(raw)).tobytes()
    # What is neither rebuildable nor decodable is never embedded as it is.
    for junk in (b"not a jpeg", raw[:40]):
        with pytest.raises(ValueError, match="JPEG"):
            strip_metadata(junk)
