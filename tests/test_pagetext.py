"""Reading the pages: unsorted phone files sorted by content, sideways pages turned upright.

Every input is drawn here with known Chinese text (the demo's fonts), saved
the way a phone or WeChat names it, and read by the real OCR engine.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from packager import api
from packager.demo import paper
from packager.models import Line, PageText
from packager.settings import Settings
from tests.conftest import GOOD_TOML, TODAY

pytestmark = pytest.mark.slow

PAYSLIP = paper(
    "工资条",
    [
        "员工姓名：王测试",
        "2026年10月 应发工资 6,000.00 元",
        "实发工资 4,800.00 元",
        "代发银行：某某银行",
    ],
)
DIAGNOSIS = paper(
    "诊断证明书",
    ["患者：王测试  性别：男", "诊断：急性阑尾炎", "已行手术治疗，建议休息两周", "医师：李某某"],
)
RECEIPT = paper(
    "医疗收费票据",
    ["交款人：王测试", "西药费 1,280.00 元", "手术费 7,900.00 元", "合计 9,180.00 元"],
)
TERMINATION = paper(
    "解除劳动合同证明",
    ["兹证明王测试自2026年9月起", "与本公司解除劳动合同", "特此证明"],
)
SOMEONE_ELSE = paper(
    "工资条",
    ["员工姓名：李别人", "2026年10月 应发工资 9,000.00 元", "实发工资 7,100.00 元"],
)


def _jpeg(im: Image.Image, path: Path, turn: int = 0) -> None:
    """Saved as a phone saves a photo shot flat from above: EXIF orientation 1, content turned."""
    stored = im.rotate(turn, expand=True) if turn else im  # counter-clockwise, as the paper lay
    exif = Image.Exif()
    exif[0x0112] = 1
    stored.save(path, "JPEG", quality=88, exif=exif, dpi=(72, 72))


@pytest.fixture(scope="module")
def unsorted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    case = tmp_path_factory.mktemp("ocr") / "inbox" / "wang"
    case.mkdir(parents=True)
    (case / "case.toml").write_text(GOOD_TOML, encoding="utf-8")
    _jpeg(PAYSLIP, case / "IMG_20261120_101500.jpg")
    _jpeg(DIAGNOSIS, case / "mmexport1700000000000.jpg", turn=180)  # upside down
    _jpeg(RECEIPT, case / "微信图片_20261121093120.jpg", turn=90)  # sideways
    TERMINATION.save(case / "Screenshot_20261122-101010.png")
    return case


@pytest.fixture(scope="module")
def built(unsorted: Path, tmp_path_factory: pytest.TempPathFactory) -> api.Outcome:
    out = tmp_path_factory.mktemp("ocr-out")
    return api.build_case(unsorted, out, Settings(today=TODAY, ocr=True, jobs=2))


def _source(outcome: api.Outcome, name: str) -> dict[str, object]:
    sources = outcome.manifest["sources"]
    assert isinstance(sources, list)
    return next(s for s in sources if s["path"] == name)


def test_unsorted_phone_files_are_sorted_by_content(built: api.Outcome) -> None:
    """This test ensures files named as phones and WeChat name them go under the kind their
    pages read as, and the packet is complete without sorting a single file by hand."""
    kinds = {
        "IMG_20261120_101500.jpg": "income",
        "mmexport1700000000000.jpg": "medical",
        "微信图片_20261121093120.jpg": "expenses",
        "Screenshot_20261122-101010.png": "circumstances",
    }
    for name, kind in kinds.items():
        source = _source(built, name)
        assert source["kind"] == kind, name
        assert source["status"] == "ok"
    codes = [f.code for f in built.findings]
    assert "UNCLASSIFIED" not in codes
    assert codes.count("SORTED_BY_CONTENT") == 4
    assert not [f for f in built.findings if f.code.startswith("MISSING_") and "kind" in f.params]


def test_sideways_and_upside_down_pages_are_turned_upright(built: api.Outcome) -> None:
    """This test ensures a photo with EXIF 1 whose content lies sideways or upside down is
    placed upright (checked on the rendered page: the title band is at the top), and says so."""
    turned = {(f.file, f.params.get("turn")) for f in built.findings if f.code == "PAGE_TURNED"}
    assert ("mmexport1700000000000.jpg", 180) in turned
    assert ("微信图片_20261121093120.jpg", 90) in turned  # it lay a quarter turn to the left
    assert not [f for f in built.findings if f.code == "ORIENTATION_UNSURE"]
    assert built.out_dir is not None
    pdf = built.out_dir / "逾期还款协商-wang.pdf"
    for name in ("mmexport1700000000000.jpg", "微信图片_20261121093120.jpg"):
        page = int(_source(built, name)["first_page"])  # type: ignore[arg-type]
        png = built.out_dir.parent / f"page-{page}"
        subprocess.run(
            [
                "pdftoppm",
                "-r",
                "40",
                "-f",
                str(page),
                "-l",
                str(page),
                "-png",
                "-singlefile",
                str(pdf),
                str(png),
            ],
            check=True,
        )
        shown = Image.open(f"{png}.png").convert("L")
        w, h = shown.size
        assert h > w, "placed on a portrait page"
        # The title (dark, large) sits in the top fifth of the scan, the grey footnote at the bottom.
        top = shown.crop((w // 4, int(h * 0.12), 3 * w // 4, int(h * 0.3)))
        bottom = shown.crop((w // 4, int(h * 0.7), 3 * w // 4, int(h * 0.88)))
        darkest_top, darkest_bottom = top.getextrema()[0], bottom.getextrema()[0]
        assert darkest_top < 90, name
        assert darkest_top < darkest_bottom, name


def test_someone_elses_payslip_is_warned(tmp_path: Path) -> None:
    """This test ensures a document that names another person is a warning naming file and name."""
    case = tmp_path / "inbox" / "wang"
    (case / "收入证明").mkdir(parents=True)
    (case / "case.toml").write_text(GOOD_TOML, encoding="utf-8")
    _jpeg(SOMEONE_ELSE, case / "收入证明" / "IMG_1.jpg")
    outcome = api.check_case(case, Settings(today=TODAY, ocr=True, jobs=1))
    other = [f for f in outcome.findings if f.code == "OTHER_PERSON"]
    assert [(f.file, f.params["name"]) for f in other] == [("收入证明/IMG_1.jpg", "李别人")]


def test_content_contradicting_the_folder_is_warned_and_the_folder_kept(tmp_path: Path) -> None:
    """This test ensures a diagnosis filed under 收入证明 stays there, with KIND_MISMATCH."""
    case = tmp_path / "inbox" / "wang"
    (case / "收入证明").mkdir(parents=True)
    (case / "case.toml").write_text(GOOD_TOML, encoding="utf-8")
    _jpeg(DIAGNOSIS, case / "收入证明" / "IMG_1.jpg")
    outcome = api.check_case(case, Settings(today=TODAY, ocr=True, jobs=1))
    source = next(s for s in outcome.sources if s.path == "收入证明/IMG_1.jpg")
    assert source.kind is not None and source.kind.value == "income"
    mismatch = [f for f in outcome.findings if f.code == "KIND_MISMATCH"]
    assert mismatch and mismatch[0].params["content_kind"] == "medical"


def test_a_close_call_stays_unclassified_naming_both(tmp_path: Path) -> None:
    """This test ensures a page that reads like two kinds is left out, both candidates named."""
    case = tmp_path / "inbox" / "wang"
    case.mkdir(parents=True)
    (case / "case.toml").write_text(GOOD_TOML, encoding="utf-8")
    both = paper("收据", ["出院小结", "金额 300.00 元"])  # expenses 4+1 … vs medical 7
    both = paper("发票  出院记录", ["收据", "合计 300.00 元"])
    _jpeg(both, case / "IMG_2.jpg")
    outcome = api.check_case(case, Settings(today=TODAY, ocr=True, jobs=1))
    close = [
        f for f in outcome.findings if f.code == "UNCLASSIFIED_CLOSE" and f.file == "IMG_2.jpg"
    ]
    assert close, [f.code for f in outcome.findings]
    assert {close[0].params["first"], close[0].params["second"]} == {"expenses", "medical"}


def test_without_ocr_unsorted_files_stay_unclassified(unsorted: Path) -> None:
    """This test ensures --no-ocr (and PACKAGER_OCR=0) keeps today's behaviour."""
    outcome = api.check_case(unsorted, Settings(today=TODAY, ocr=False))
    assert sum(1 for f in outcome.findings if f.code == "UNCLASSIFIED") == 4


def test_reading_needs_no_network(unsorted: Path, tmp_path: Path, monkeypatch) -> None:
    """This test ensures the OCR stage runs with every socket refused (no model download)."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError("network is off in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    outcome = api.check_case(unsorted, Settings(today=TODAY, ocr=True, jobs=1))
    assert [f for f in outcome.findings if f.code == "SORTED_BY_CONTENT"]


def test_the_cli_reads_pages_and_the_cache_keeps_the_text(unsorted: Path, tmp_path: Path) -> None:
    """This test ensures `packager watch --once` reads the pages (OCR on by default) and a second
    run over an unchanged case recognises nothing again (page cache)."""
    inbox = unsorted.parent
    work = tmp_path / "inbox"
    shutil.copytree(inbox, work)
    env = {**os.environ, "PACKAGER_OCR": "1"}
    out = tmp_path / "out"
    run = [sys.executable, "-m", "packager", "build", str(work / "wang"), "-o", str(out), "--json"]
    first = subprocess.run(run, capture_output=True, text=True, env=env, check=False)
    assert first.returncode == 0, first.stderr
    manifest = json.loads(first.stdout)
    assert {s["kind"] for s in manifest["sources"]} >= {"income", "medical", "expenses"}
    quiet = subprocess.run([*run, "--no-ocr"], capture_output=True, text=True, env=env, check=False)
    assert json.loads(quiet.stdout)["complete"] is False


def test_page_text_keeps_its_lines() -> None:
    """This test ensures the recognised text of a page joins its lines in reading order."""

    text = PageText(
        (Line("工资条", (0, 0, 10, 10), 1.0), Line("实发工资", (0, 20, 10, 30), 1.0)), (10, 30)
    )
    assert text.text == "工资条\n实发工资"


def _text_of(pdf: Path) -> str:
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout


def test_the_packet_is_searchable(built: api.Outcome) -> None:
    """This test ensures the upload PDF carries an invisible text layer over each read page:
    pdftotext and pypdf find what the pages show, with no spaces between Chinese characters,
    and the file passes qpdf --check."""
    assert built.out_dir is not None
    pdf = built.out_dir / "逾期还款协商-wang.pdf"
    text = _text_of(pdf)
    for words in ("工资条", "实发工资", "诊断证明书", "急性阑尾炎", "医疗收费票据", "解除劳动合同"):
        assert words in text, words
    assert "实 发" not in text and "诊 断" not in text
    from pypdf import PdfReader

    page = int(_source(built, "mmexport1700000000000.jpg")["first_page"])  # type: ignore[arg-type]
    assert "急性阑尾炎" in PdfReader(pdf).pages[page - 1].extract_text()
    check = subprocess.run(["qpdf", "--check", str(pdf)], capture_output=True, text=True)
    assert check.returncode == 0 and "WARNING" not in check.stdout + check.stderr


def test_the_text_layer_changes_no_pixel(tmp_path: Path) -> None:
    """This test ensures a page looks exactly the same with its text layer as without it."""
    case = tmp_path / "inbox" / "wang"
    (case / "收入证明").mkdir(parents=True)
    (case / "case.toml").write_text(GOOD_TOML, encoding="utf-8")
    _jpeg(PAYSLIP, case / "收入证明" / "工资条.jpg")
    shown = {}
    for ocr in (True, False):
        out = tmp_path / f"out-{ocr}"
        outcome = api.build_case(case, out, Settings(today=TODAY, ocr=ocr, jobs=1))
        assert outcome.out_dir is not None
        pdf = next(outcome.out_dir.glob("*.pdf"))
        page = outcome.sources[0].first_page
        png = tmp_path / f"p-{ocr}"
        subprocess.run(
            [
                "pdftoppm",
                "-r",
                "60",
                "-f",
                str(page),
                "-l",
                str(page),
                "-png",
                "-singlefile",
                str(pdf),
                str(png),
            ],
            check=True,
        )
        shown[ocr] = Image.open(f"{png}.png").convert("RGB").tobytes()
        if ocr:
            assert "实发工资" in _text_of(pdf)
        else:
            assert "实发工资" not in _text_of(pdf)
    assert shown[True] == shown[False]


def test_the_report_shows_what_was_read(built: api.Outcome) -> None:
    """This test ensures the report shows, under each read page, its first recognised lines."""
    assert built.out_dir is not None
    report = (built.out_dir / "report.html").read_text(encoding="utf-8")
    assert 'class="read"' in report
    for first_line in ("工资条", "诊断证明书", "医疗收费票据"):
        assert f'<span class="line">{first_line}</span>' in report


def test_a_file_entry_turns_a_photo_and_content_does_not_second_guess(tmp_path: Path) -> None:
    """This test ensures `[[file]] rotate = 90` turns that photo a quarter clockwise after its
    EXIF tag, with no content decision on top, and the cache keeps turned and plain apart."""
    from packager.cache.pages import PageCache

    case = tmp_path / "inbox" / "wang"
    (case / "收入证明").mkdir(parents=True)
    _jpeg(PAYSLIP, case / "收入证明" / "IMG_7.jpg", turn=90)  # lies a quarter turn left
    (case / "case.toml").write_text(
        GOOD_TOML + '\n[[file]]\npath = "收入证明/IMG_7.jpg"\nrotate = 90\n', encoding="utf-8"
    )
    cache = PageCache(tmp_path / "cache")
    outcome = api.check_case(case, Settings(today=TODAY, ocr=True, jobs=1, cache=cache))
    assert not [f for f in outcome.findings if f.code in ("PAGE_TURNED", "ORIENTATION_UNSURE")]
    (source,) = [s for s in outcome.sources if s.path == "收入证明/IMG_7.jpg"]
    assert source.kind is not None and source.kind.value == "income"
    from packager.read.intake import intake
    from packager.read.pages import ReadJob, read

    (found,) = [f for f in intake(case).files if f.rel == "收入证明/IMG_7.jpg"]
    page = read(ReadJob(found, rotate=90)).pages[0]
    assert not page.landscape and page.content.orientation == 6  # type: ignore[union-attr]
    assert cache.get(found, True, rotate=90) is not None and cache.get(found, True) is None


def test_a_scan_saved_as_pdf_is_read_and_sorted(tmp_path: Path) -> None:
    """This test ensures an image-only PDF (a scanner's or a phone app's, named 下载.pdf) is
    recognised like a photo and sorted by what its page says."""
    case = tmp_path / "inbox" / "wang"
    case.mkdir(parents=True)
    (case / "case.toml").write_text(GOOD_TOML, encoding="utf-8")
    DIAGNOSIS.save(case / "下载.pdf", "PDF", resolution=150)
    outcome = api.check_case(case, Settings(today=TODAY, ocr=True, jobs=1))
    (source,) = [s for s in outcome.sources if s.path == "下载.pdf"]
    assert source.kind is not None and source.kind.value == "medical"
    assert source.status.value == "ok"
