"""The quality ladder, page splitting, duplex layout and the pool: pure parts, no WeasyPrint."""

from __future__ import annotations

import io
import zlib

import pytest
from PIL import Image

from packager.errors import ExitCode, UsageError
from packager.geometry import effective_ppi
from packager.image.reencode import (
    QUALITIES,
    ShrinkJob,
    shrink,
    target_size,
)
from packager.manifest import image_name, upload_name
from packager.messages.words import part_label
from packager.models import EncodedImage, PacketPlan, SourcePage
from packager.pool import Workers
from packager.write.bundle import Options
from packager.write.mail import mail_slots
from packager.write.plan import Blank, FrontPage
from packager.write.raster import fit_bytes
from packager.write.split import split_units
from tests.conftest import marker_image


def _noisy(size: tuple[int, int], seed: int = 0, quality: int = 95) -> bytes:
    im = Image.merge("RGB", [Image.effect_noise(size, 30 + seed + i) for i in range(3)])
    im = Image.blend(marker_image(size), im, 0.25)
    buffer = io.BytesIO()
    im.save(buffer, "JPEG", quality=quality)
    return buffer.getvalue()


def _jpeg(data: bytes, orientation: int = 1) -> EncodedImage:
    width, height = Image.open(io.BytesIO(data)).size
    return EncodedImage(data, "/DCTDecode", width, height, "/DeviceRGB", orientation=orientation)


def test_target_size_is_150_ppi_on_the_page() -> None:
    """This test ensures a portrait photo is sized for 150 ppi in A4's content box, turned back for EXIF 6."""
    image = _jpeg(_noisy((300, 400)), orientation=1)
    width, height = target_size(image, landscape=False, ppi=150)
    assert (width, height) == (1063, 1417)
    sideways = EncodedImage(b"", "/DCTDecode", 400, 300, "/DeviceRGB", orientation=6)
    assert target_size(sideways, landscape=False, ppi=150) == (1417, 1063)


def test_ladder_shrinks_decodes_small_and_keeps_colour() -> None:
    """This test ensures a big photo comes back at 150 ppi, smaller at each rung, still in colour."""
    image = _jpeg(_noisy((2400, 3200)))
    size = target_size(image, landscape=False, ppi=150)
    ladder = shrink(ShrinkJob(image, size))
    assert len(ladder) == len(QUALITIES)
    assert all(rung is not None for rung in ladder)
    rungs = [rung for rung in ladder if rung is not None]
    assert all(r.width == size[0] and r.height == size[1] for r in rungs)
    assert all(r.colorspace == "/DeviceRGB" and r.filter == "/DCTDecode" for r in rungs)
    sizes = [len(r.data) for r in rungs]
    assert sizes == sorted(sizes, reverse=True) and sizes[0] < len(image.data)
    assert (effective_ppi(SourcePage(rungs[0], landscape=False)) or 0) >= 149.9
    assert Image.open(io.BytesIO(rungs[-1].data)).mode == "RGB"


def test_ladder_keeps_an_image_that_would_not_shrink() -> None:
    """This test ensures a JPEG already below 150 ppi and at quality 50 is kept byte for byte at q85-q65."""
    noise = Image.merge("RGB", [Image.effect_noise((600, 800), 60) for _ in range(3)])
    buffer = io.BytesIO()
    noise.save(buffer, "JPEG", quality=50, optimize=True)
    ladder = shrink(ShrinkJob(_jpeg(buffer.getvalue()), (1063, 1417)))
    assert ladder[:3] == (None, None, None)


def test_gray_ladder_is_gray_and_orientation_is_kept() -> None:
    """This test ensures --gray gives greyscale JPEGs and the EXIF orientation still places them."""
    image = _jpeg(_noisy((1600, 1200)), orientation=6)
    ladder = shrink(ShrinkJob(image, target_size(image, False, 150), gray=True))
    first = ladder[0]
    assert first is not None
    assert first.colorspace == "/DeviceGray" and first.orientation == 6
    assert Image.open(io.BytesIO(first.data)).mode == "L"


def test_broken_image_keeps_original() -> None:
    """This test ensures bytes that cannot be decoded leave the original in place, not a crash."""
    broken = EncodedImage(b"\xff\xd8\xff\xe0 not a jpeg", "/DCTDecode", 800, 600, "/DeviceRGB")
    assert shrink(ShrinkJob(broken, (400, 300))) == (None,) * len(QUALITIES)


def test_split_keeps_documents_whole_when_possible() -> None:
    """This test ensures parts are cut between documents, and a document is cut only if it alone is too big."""
    sizes = {1: 4, 2: 4, 3: 3, 4: 3, 5: 3, 6: 5, 7: 12, 8: 12, 9: 2}

    def size(pages: list[int]) -> int:
        return sum(sizes[p] for p in pages)

    units = [[1, 2], [3, 4, 5], [6], [7, 8], [9]]
    parts = split_units(units, size, cap=14)
    # Page 3 would fit beside pages 1-2, but that would cut its document; the
    # 24-unit document cannot fit anywhere whole, so it alone is cut.
    assert parts == [[1, 2], [3, 4, 5, 6], [7], [8, 9]]
    assert all(size(p) <= 14 for p in parts)
    assert split_units([[1], [2], [3]], size, cap=100) == [[1, 2, 3]]


def test_duplex_starts_every_document_on_a_front_side() -> None:
    """This test ensures blanks go where a document would otherwise start on a back side."""
    plan = PacketPlan(b"", 3, (), False)
    assert mail_slots(plan, 2, duplex=False) == (FrontPage(0), FrontPage(1), 1, 2, 3)
    assert mail_slots(plan, 2, duplex=True) == (
        FrontPage(0),
        Blank(),
        FrontPage(1),
        Blank(),
        1,
        2,
        3,
    )


def test_names() -> None:
    """This test ensures the file names the README promises."""
    assert upload_name("wang") == "逾期还款协商-wang.pdf"
    assert upload_name("wang", 1, 3) == "逾期还款协商-wang-part1-of-3.pdf"
    assert image_name("wang", 7, 43) == "images/逾期还款协商-wang-p007.jpg"
    assert image_name("wang", 7, 1200) == "images/逾期还款协商-wang-p0007.jpg"
    assert part_label(2, 3) == "第 2 部分 / 共 3 部分"


def test_page_image_fits_its_cap() -> None:
    """This test ensures a page image steps down quality, then size, until it fits."""
    im = Image.open(io.BytesIO(_noisy((1240, 1754)))).convert("RGB")
    data = fit_bytes(im, 25_000, 150)
    assert len(data) <= 25_000
    assert Image.open(io.BytesIO(data)).width < 1240


def test_pool_returns_results_in_order() -> None:
    """This test ensures pool results come back in submission order, so output is deterministic."""
    with Workers(2) as workers:
        assert workers.map(abs, [-5, 3, -1, 0, -9]) == [5, 3, 1, 0, 9]
    with Workers(1) as workers:
        assert workers.map(abs, [-2]) == [2]


def test_flattened_scan_becomes_jpeg() -> None:
    """This test ensures a lossless (Flate) scan, e.g. from a PNG, is re-encoded as a 150 ppi JPEG."""
    noise = Image.merge("RGB", [Image.effect_noise((1800, 2400), 40) for _ in range(3)])
    pixels = Image.blend(marker_image((1800, 2400)), noise, 0.2)
    # What normalize makes of a PNG scan: its pixels, Flate-compressed.
    scan = EncodedImage(
        zlib.compress(pixels.tobytes(), 6), "/FlateDecode", *pixels.size, "/DeviceRGB"
    )
    assert scan.filter == "/FlateDecode"
    ladder = shrink(ShrinkJob(scan, target_size(scan, False, 150)))
    first = ladder[0]
    assert first is not None and first.filter == "/DCTDecode"
    assert (first.width, first.height) == (1063, 1417)
    assert len(first.data) < len(scan.data) / 4


def test_unknown_profile_is_a_usage_error() -> None:
    """This test ensures api callers get exit 2 for a profile that does not exist."""
    with pytest.raises(UsageError) as info:
        Options(profiles=("upload", "fax"))
    assert info.value.exit_code is ExitCode.USAGE
