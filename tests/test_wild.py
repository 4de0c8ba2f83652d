"""Real files from the wild keep every mark and leak nothing (issue 15).

One test per class of file that came out wrong on a run over other
projects' test corpora, each with a generated fixture (``tests/wild.py``):
form values, inline annotations, a NUL inside a name, a PDF only qpdf can
repair, JPEG headers that do not add up and MPO frames, BigTIFF, a damaged
CCITT strip, 16-bit grey with tRNS, a valid-but-unsupported BMP, tiny images
at a high recorded dpi, and no absolute path in any finding.
"""

from __future__ import annotations

import io
import subprocess
import tempfile
from pathlib import Path

import pytest
from PIL import Image, ImageChops
from pypdf import PdfWriter

from packager.geometry import content_box, image_boxes, paginate, slice_page
from packager.models import EncodedImage, MediaType, PacketPlan, PlacedDocument, Section, SourcePage
from packager.read.classify import classify
from packager.read.intake import intake, sniff
from packager.read.pages import Read, ReadJob, read
from packager.read.quality import judge
from packager.sources import decoded, strip_metadata
from packager.write.assemble import assemble
from tests import wild
from tests.conftest import GREEN, RED, centroid
from tests.samples import save

# What no packet JPEG may hold: the fixtures' secret, and the signatures of
# EXIF, XMP, Photoshop/IPTC and MPF segments, a comment marker.
LEAKS = {
    "secret": wild.SECRET,
    "EXIF": b"Exif\x00",
    "XMP": b"http://ns.adobe.com/xap",
    "Photoshop": b"Photoshop 3.0",
    "MPF": b"MPF\x00",
}


def _blank(pages: int) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def build(name: str, data: bytes, folder: Path) -> tuple[Read, Path | None]:
    """Read one file as a build does and, if it is used, assemble it onto packet pages."""
    case = folder / "case"
    (case / "income").mkdir(parents=True, exist_ok=True)
    (case / "income" / name).write_bytes(data)
    (document,) = classify(intake(case).files).documents
    result = read(ReadJob(document.source))
    if result.refused is not None:
        return result, None
    pages = paginate(result.pages)
    placed = PlacedDocument(document, pages, 2, 1 + len(pages))
    plan = PacketPlan(_blank(1), 1, (Section(document.kind, (placed,)),), draft=False)
    pdf = assemble(plan, _blank(plan.total_pages), {}, {"letter": "l", document.kind.value: "k"})
    out = folder / f"{name}.packet.pdf"
    out.write_bytes(pdf)
    return result, out


def qpdf_clean(pdf: Path) -> None:
    run = subprocess.run(["qpdf", "--check", str(pdf)], capture_output=True, text=True)
    assert run.returncode == 0 and "WARNING" not in run.stdout + run.stderr, run.stdout + run.stderr


def pdf_text(pdf: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-f", "2", "-l", "2", str(pdf), "-"], capture_output=True, text=True
    ).stdout


def render(pdf: Path, page: int = 2) -> Image.Image:
    out = subprocess.run(
        ["pdftoppm", "-r", "40", "-f", str(page), "-l", str(page), "-png", str(pdf)],
        capture_output=True,
        check=True,
    ).stdout
    return Image.open(io.BytesIO(out)).convert("RGB")


def codes(result: Read) -> set[str]:
    return {code for code, _ in result.warnings}


# --- lost PDF marks -------------------------------------------------------------


def test_form_values_become_page_content(tmp_path: Path, tools) -> None:
    """This test ensures a filled-in form's text, list-box and combo values are drawn on the
    packet page (not blank boxes), and the packet passes qpdf --check cleanly."""
    result, pdf = build("form.pdf", wild.form_pdf(), tmp_path)
    assert pdf is not None and not codes(result)
    text = pdf_text(pdf)
    for value in ("Alice", "Bob", "Two", "Beta"):
        assert value in text, text
    qpdf_clean(pdf)


def test_chinese_form_value_is_drawn_never_question_marks(tmp_path: Path, tools) -> None:
    """This test ensures a Chinese value in a form qpdf draws in WinAnsi is drawn in the CJK
    font (no finding, "?" nowhere) beside the Latin values qpdf draws (tests/test_cjk_forms.py
    checks placement and layout)."""
    result, pdf = build("form.pdf", wild.form_pdf({"name": "张三"}), tmp_path)
    assert pdf is not None and not codes(result)
    text = pdf_text(pdf)
    assert "张三" in text and "Bob" in text and "?" not in text
    qpdf_clean(pdf)


def test_inline_annotations_move_with_the_page(tmp_path: Path, tools) -> None:
    """This test ensures annotations written inline in /Annots land where they were on the
    page (the blue square level with the page's green one, the red note at the bottom left),
    inside the content box, not at their old coordinates."""
    _, pdf = build("annots.pdf", wild.inline_annots_pdf(), tmp_path)
    assert pdf is not None
    page = render(pdf)
    bx, by = centroid(page, (0, 0, 255))
    gx, gy = centroid(page, (0, 179, 0))
    rx, ry = centroid(page, (255, 0, 0))
    assert abs(by - gy) < 0.02 * page.height and bx < gx
    assert ry > by + 0.4 * page.height and abs(rx - (bx - 0.07 * page.width)) < 0.08 * page.width
    box = content_box(False)
    top_band = (1 - (box.y + box.height) / 842) * page.height
    assert by > top_band and ry > top_band
    qpdf_clean(pdf)


def test_nul_inside_a_name_keeps_the_drawing(tmp_path: Path, tools) -> None:
    """This test ensures a content stream with a NUL after a name (PDF white space) keeps
    its red square and text, and the packet passes qpdf --check (no null in a name token)."""
    _, pdf = build("drawing.pdf", wild.nul_name_pdf(), tmp_path)
    assert pdf is not None
    centroid(render(pdf), RED)
    assert "Hello" in pdf_text(pdf)
    qpdf_clean(pdf)


def test_nul_inside_an_object_dictionary_never_reaches_the_packet(tmp_path: Path, tools) -> None:
    """This test ensures a NUL inside a key of an image's dictionary (found by the fuzz test:
    ``/Hei\\x00ght``) is repaired by qpdf before pypdf copies its own reading into the packet:
    the output passes qpdf --check and the file carries PDF_REPAIRED or is refused."""
    from tests.test_fuzz import SEEDS

    data = bytearray(SEEDS[".pdf"])
    at = data.index(b"/Height") + 4
    data[at:at] = b"\x00"
    result, pdf = build("image.pdf", bytes(data), tmp_path)
    if pdf is not None:
        qpdf_clean(pdf)
        assert "PDF_REPAIRED" in codes(result)
    else:
        assert result.refused is not None


def test_escaped_nul_and_stray_hash_names_are_made_valid(tmp_path: Path, tools) -> None:
    """This test ensures names with #00 (forbidden even escaped) and a stray # in a source PDF,
    as resource keys and in the content using them (a compressed form's too), are rewritten
    the same way everywhere: the red and green squares and the text are still drawn, the
    packet passes qpdf --check, and the file says it was repaired (PDF_REPAIRED)."""
    result, pdf = build("names.pdf", wild.escaped_nul_names_pdf(), tmp_path)
    assert pdf is not None and codes(result) == {"PDF_REPAIRED"}
    page = render(pdf)
    centroid(page, (255, 0, 0))
    centroid(page, (0, 179, 0))
    assert "Hello" in pdf_text(pdf)
    qpdf_clean(pdf)


@pytest.mark.slow
def test_every_output_pdf_passes_qpdf_check_with_bad_names_in_sources(
    tmp_path: Path, tools
) -> None:
    """This test ensures a whole build (upload bundle, mail packet, every split part) of a case
    whose PDFs carry NUL-bearing and stray-# names passes qpdf --check with no warning."""
    import sys

    from tests.watchkit import make_case

    case = make_case(tmp_path / "inbox")
    (case / "支出明细" / "names.pdf").write_bytes(wild.escaped_nul_names_pdf())
    (case / "支出明细" / "drawing.pdf").write_bytes(wild.nul_name_pdf())
    (case / "收入证明" / "form.pdf").write_bytes(wild.form_pdf())
    out = tmp_path / "out"
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "packager",
            "build",
            str(case),
            "-o",
            str(out),
            "--profile",
            "upload,mail",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    pdfs = sorted(out.rglob("*.pdf"))
    assert len(pdfs) >= 2, pdfs
    for pdf in pdfs:
        qpdf_clean(pdf)


def test_jpeg_inside_a_source_pdf_loses_its_metadata_not_its_pixels(tmp_path: Path) -> None:
    """This test ensures a JPEG inside a source PDF that carries GPS EXIF, XMP, a Photoshop
    block, a comment and an MPF segment reaches the packet with none of them (no EXIF, no
    GPS, no secret), its pixels identical to the photo's, and without a repair finding."""
    import warnings

    import pikepdf

    photo = wild.jpeg_with_gps()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the fixture's MPF segment is not a real MP index
        with Image.open(io.BytesIO(photo)) as im:
            assert im.getexif().get_ifd(0x8825), "the fixture must carry GPS"
            original = im.convert("RGB")
    result, pdf = build("scan.pdf", wild.pdf_with_jpeg(photo), tmp_path)
    assert pdf is not None and not codes(result)
    data = pdf.read_bytes()
    for name, signature in LEAKS.items():
        assert signature not in data, name
    with pikepdf.open(pdf) as out:
        jpegs = [
            o.read_raw_bytes()
            for o in out.objects
            if isinstance(o, pikepdf.Stream) and o.get("/Filter") == "/DCTDecode"
        ]
    (jpeg,) = [j for j in jpegs if Image.open(io.BytesIO(j)).size == (300, 400)]
    with Image.open(io.BytesIO(jpeg)) as im:
        assert not im.getexif() and "comment" not in im.info
        assert ImageChops.difference(im.convert("RGB"), original).getbbox() is None
    assert jpeg[jpeg.index(b"\xff\xda") :] == photo[photo.index(b"\xff\xda") :]  # not re-encoded


def test_pdf_only_qpdf_can_open_is_repaired_with_a_finding(tmp_path: Path, tools) -> None:
    """This test ensures a PDF with a garbled xref and trailer, which pypdf refuses and a viewer
    shows, is repaired and used (PDF_REPAIRED); a cut-off download is still TRUNCATED_FILE."""
    result, pdf = build("broken.pdf", wild.broken_xref_pdf(), tmp_path)
    assert pdf is not None and codes(result) == {"PDF_REPAIRED"}
    centroid(render(pdf), RED)
    qpdf_clean(pdf)
    whole = wild.nul_name_pdf()
    cut, _ = build("cut.pdf", whole[: whole.index(b"xref")], tmp_path / "cut")
    assert cut.refused is not None and cut.refused[0] == "TRUNCATED_FILE"


# --- metadata -----------------------------------------------------------------


@pytest.mark.parametrize("fault", [*sorted(wild.jpeg_faults()), "real-mpo"])
def test_jpeg_header_faults_leave_nothing_but_image_data(fault: str, tmp_path: Path) -> None:
    """This test ensures that whatever is wrong with a JPEG's header (bad or short segment
    length, junk before a marker, cut-short APP14, MPO frames, trailing data), the embedded
    JPEG holds no EXIF, XMP, Photoshop, comment or MPF segment, one image only, same pixels."""
    data = wild.mpo() if fault == "real-mpo" else wild.jpeg_faults()[fault]
    clean = strip_metadata(data)
    for name, signature in LEAKS.items():
        assert signature not in clean, name
    assert clean.count(b"\xff\xfe") == 0 or not _has_com(clean), "COM segment"
    assert clean.count(b"\xff\xd8") == 1 and clean.endswith(b"\xff\xd9")
    with Image.open(io.BytesIO(clean)) as im:
        assert im.size == (240, 320) and getattr(im, "n_frames", 1) == 1
        first = im.convert("RGB")
    assert centroid(first, RED)[0] < centroid(first, GREEN)[0]
    _, pdf = build(f"{fault}.jpg", data, tmp_path)
    assert pdf is not None
    packet = pdf.read_bytes()
    assert not any(signature in packet for signature in LEAKS.values())


def _has_com(jpeg: bytes) -> bool:
    """True when the header (before the first scan) has a COM segment."""
    pos = 2
    while pos + 4 <= len(jpeg) and jpeg[pos] == 0xFF:
        marker = jpeg[pos + 1]
        if marker == 0xFE:
            return True
        if marker == 0xDA:
            return False
        pos += 2 + int.from_bytes(jpeg[pos + 2 : pos + 4], "big")
    return False


def test_unrebuildable_header_is_never_embedded(tmp_path: Path) -> None:
    """This test ensures a JPEG whose EXIF length is wrong and hides a thumbnail (a resync
    would land on a second image) is re-encoded or refused with a finding, never embedded
    with its unknown bytes."""
    head, rest = wild._split(wild.base_jpeg())
    thumb = wild.base_jpeg((32, 24))
    payload = wild.exif_payload() + thumb + wild.SECRET
    bad = b"\xff\xe1" + (len(payload) + 2 - 9).to_bytes(2, "big") + payload
    data = head + bad + rest
    try:
        clean = strip_metadata(data)
    except ValueError:
        clean = b""
    assert wild.SECRET not in clean and b"Exif" not in clean
    result, pdf = build("odd.jpg", data, tmp_path)
    if pdf is None:
        assert result.refused is not None
    else:
        assert wild.SECRET not in pdf.read_bytes()


# --- formats and decoders ------------------------------------------------------------


def test_bigtiff_is_recognised_and_read(tmp_path: Path) -> None:
    """This test ensures a BigTIFF (II+) is a TIFF, not 'not a recognisable image'."""
    data = wild.bigtiff()
    assert sniff(data[:1024]) is MediaType.TIFF
    result, pdf = build("big.tif", data, tmp_path)
    assert pdf is not None and not codes(result)


def test_damaged_ccitt_is_a_finding_and_silent_on_the_terminal(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    """This test ensures libtiff's complaints about bad code words become DAMAGED_IMAGE on
    that file and page, and nothing reaches our stderr, neither while reading nor writing."""
    result, pdf = build("fax.tif", wild.damaged_ccitt_tiff(), tmp_path)
    assert pdf is not None
    assert "DAMAGED_IMAGE" in codes(result)
    assert dict(result.warnings)["DAMAGED_IMAGE"]["page"] == "1"
    out, err = capfd.readouterr()
    assert "Fax" not in err + out and "Bad code word" not in err + out


@pytest.mark.parametrize("bits", [8, 4])
def test_corrupt_rle_bmp_is_damaged_image(bits: int, tmp_path: Path) -> None:
    """This test ensures an RLE BMP whose stream is corrupt (Pillow decodes it into stripes
    without a word) is kept with DAMAGED_IMAGE on page 1, while a sound RLE BMP of the same
    picture gets no such finding and decodes to its colour bands."""
    sound, _ = build(f"rle{bits}.bmp", wild.rle_bmp(bits), tmp_path / "sound")
    assert "DAMAGED_IMAGE" not in codes(sound)
    (page,) = sound.pages
    assert isinstance(page.content, EncodedImage)
    flat = decoded(page.content).convert("RGB")
    assert flat.getpixel((5, 2)) == (0, 0, 200) and flat.getpixel((5, 27)) == (200, 0, 0)
    damaged, pdf = build(f"rle{bits}.bmp", wild.rle_bmp(bits, corrupt=True), tmp_path / "bad")
    assert pdf is not None
    assert dict(damaged.warnings)["DAMAGED_IMAGE"]["page"] == "1"


def test_damaged_pages_get_no_advice_about_light_or_focus(tmp_path: Path) -> None:
    """This test ensures a kept damaged page (a TIFF with bad CCITT code words, a corrupt RLE
    BMP) carries DAMAGED_IMAGE naming the file relative to the case, and no POOR_EXPOSURE,
    BLANK_PAGE or BLURRY (re-shooting in better light would not help), nor NEAR_DUPLICATE;
    its resolution is still judged; a sound page of the same case still gets its advice."""
    from packager import api
    from tests.conftest import GOOD_TOML, TODAY

    case = tmp_path / "inbox" / "wang"
    (case / "收入证明").mkdir(parents=True)
    (case / "case.toml").write_text(GOOD_TOML, encoding="utf-8")
    (case / "收入证明" / "fax.tif").write_bytes(wild.damaged_ccitt_tiff())
    (case / "收入证明" / "fax-copy.tif").write_bytes(wild.damaged_ccitt_tiff() + b"\0")
    (case / "收入证明" / "rle.bmp").write_bytes(wild.rle_bmp(8, corrupt=True))
    dark = Image.new("L", (1240, 1754), 40)
    (case / "收入证明" / "dark.png").write_bytes(save(dark, "PNG"))
    outcome = api.check_case(case, api.Settings(today=TODAY, ocr=False, clean=False))
    by_file: dict[str | None, set[str]] = {}
    for finding in outcome.findings:
        by_file.setdefault(finding.file, set()).add(finding.code)
    for name in ("fax.tif", "fax-copy.tif", "rle.bmp"):
        assert by_file[f"收入证明/{name}"] == {"DAMAGED_IMAGE", "LOW_RESOLUTION"}, name
    assert by_file["收入证明/dark.png"] & {"POOR_EXPOSURE", "BLANK_PAGE"}


def test_sixteen_bit_grey_trns_turns_white(tmp_path: Path) -> None:
    """This test ensures a 16-bit grey PNG's transparent colour becomes white (as 8-bit
    transparency does), not black."""
    result, _ = build("g16.png", wild.grey16_trns_png(), tmp_path)
    (page,) = result.pages
    assert isinstance(page.content, EncodedImage)
    flat = decoded(page.content)
    assert flat.getpixel((5, 2)) == 255  # transparent
    assert flat.getpixel((5, 24)) == 128  # the opaque mid-grey band


def test_valid_but_unsupported_variant_says_save_as_png(tmp_path: Path) -> None:
    """This test ensures a complete BMP that Pillow cannot decode is UNSUPPORTED_VARIANT
    (save as PNG/JPG), and a complete PNG with an odd header is never called truncated."""
    from packager.messages import message
    from packager.models import Finding, Severity

    result, _ = build("scan.bmp", wild.bmp_unsupported(), tmp_path)
    assert result.refused == ("UNSUPPORTED_VARIANT", {"kind": "BMP"})
    for lang, word in (("zh", "PNG"), ("en", "PNG")):
        text = message(
            Finding(
                "UNSUPPORTED_VARIANT", Severity.WARNING, "income/scan.bmp", params={"kind": "BMP"}
            ),
            lang,
        )
        assert "income/scan.bmp" in text and word in text
    odd, _ = build("odd.png", wild.png_unknown_compression(), tmp_path / "odd")
    assert odd.refused is None or odd.refused[0] != "TRUNCATED_FILE"


@pytest.mark.parametrize("folder", ["plain", "truncated premature end"])
def test_truncation_is_decided_from_the_data_and_no_path_leaks(folder: str) -> None:
    """This test ensures the verdict on a damaged (complete) PNG and a cut-off one does not
    depend on words in the folder's name, and no finding holds an absolute path."""
    with tempfile.TemporaryDirectory(prefix=folder) as tmp:
        root = Path(tmp)
        good = save(Image.new("RGB", (300, 200), (10, 200, 30)), "PNG")
        damaged = bytearray(good)
        idat = damaged.index(b"IDAT")
        for i in range(idat + 10, idat + 60):
            damaged[i] ^= 0xA5
        verdicts = {}
        for name, data in (("damaged.png", bytes(damaged)), ("cut.png", good[: len(good) // 2])):
            result, _ = build(name, data, root / name)
            assert result.refused is not None
            verdicts[name] = result.refused[0]
            assert tmp not in repr(result.refused) and "/tmp" not in repr(result.refused)
        assert verdicts == {"damaged.png": "UNREADABLE_FILE", "cut.png": "TRUNCATED_FILE"}


# --- physical size --------------------------------------------------------------------


@pytest.mark.parametrize(("size", "dpi"), [((16, 16), 300), ((400, 300), 500)])
def test_tiny_image_at_high_dpi_is_scaled_up_with_low_resolution(
    size: tuple[int, int], dpi: int, tmp_path: Path
) -> None:
    """This test ensures an image whose recorded dpi would make it a dot is fitted to the
    content box (at least a quarter of it), with LOW_RESOLUTION, never a 1.4 mm speck."""
    result, _ = build("tiny.png", wild.tiny_png(size, dpi), tmp_path)
    (page,) = result.pages
    assert isinstance(page.content, EncodedImage)
    shown, _ = image_boxes(page.content, page.landscape, None)
    box = content_box(page.landscape)
    assert shown.width * shown.height >= 0.25 * box.width * box.height
    findings = judge("income/tiny.png", result.pages, result.inspections).findings
    assert "LOW_RESOLUTION" in {f.code for f in findings}


def test_only_tall_and_wide_enough_images_are_sliced() -> None:
    """This test ensures a 1x2-pixel image is one page, while a phone screenshot is sliced."""

    def page(w: int, h: int) -> SourcePage:
        return SourcePage(EncodedImage(b"", "/FlateDecode", w, h, "/DeviceRGB"), False)

    assert len(slice_page(page(1, 2))) == 1
    assert len(slice_page(page(200, 2000))) == 1
    assert len(slice_page(page(1080, 2400))) > 1
