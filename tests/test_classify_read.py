"""Sorting by content end to end: generated papers read by the real OCR, and the real photos.

The generated papers (``tests/kindpapers.py``) go into a case folder as a phone
and a computer deliver them: a photo of a lab report on a desk in Traditional
characters, a scan of a hospital's receipt, a payslip as a text PDF, a chat
screenshot with few words, an exam paper; ``check`` reads them as a user runs
it. The real photos of ``../shared/realphotos-dev`` (other projects' sample
images, never copied here) are judged where they are of our kinds.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from packager import api
from packager.messages import message
from packager.read.content import judge
from packager.read.intake import intake
from packager.read.pages import ReadJob, read
from packager.settings import Settings
from tests.conftest import GOOD_TOML, TODAY
from tests.desk import desk_photo
from tests.kindpapers import HANS, HANT, PAPERS, draw, save

pytestmark = pytest.mark.slow

REAL = Path(__file__).resolve().parents[2] / "shared" / "realphotos-dev"
REAL = REAL if REAL.is_dir() else Path("/work/shared/realphotos-dev")


def _paper(name: str):  # type: ignore[no-untyped-def]
    return next(p for p in PAPERS if p.name == name)


@pytest.fixture(scope="module")
def checked(tmp_path_factory: pytest.TempPathFactory) -> api.Outcome:
    case = tmp_path_factory.mktemp("content") / "inbox" / "wang"
    case.mkdir(parents=True)
    (case / "case.toml").write_text(GOOD_TOML, encoding="utf-8")
    im, _ = draw(_paper("lab_report"), HANT)
    shot = desk_photo(seed=3, page=im.resize((im.width * 2, im.height * 2)))
    (case / "IMG_20261101_093000.jpg").write_bytes(shot.data)
    save(_paper("hospital_receipt"), case).rename(case / "mmexport1700000000001.jpg")
    save(_paper("payslip"), case, as_pdf=True).rename(case / "下载.pdf")
    save(_paper("chat_few_words"), case, HANT).rename(case / "Screenshot_20261122.png")
    save(_paper("exam"), case).rename(case / "微信图片_20261120.jpg")
    return api.check_case(case, Settings(today=TODAY, ocr=True, clean=True, jobs=2))


def test_generated_papers_are_sorted_by_what_real_papers_print(checked: api.Outcome) -> None:
    """This test ensures a photographed Traditional lab report is medical, a hospital's receipt
    an expense, a text-PDF payslip (医疗保险 on it) income, a chat screenshot with few words
    communication, and an exam left out naming its title."""
    kinds = {s.path: (s.kind.value if s.kind else None) for s in checked.sources}
    assert kinds["IMG_20261101_093000.jpg"] == "medical"
    assert kinds["mmexport1700000000001.jpg"] == "expenses"
    assert kinds["下载.pdf"] == "income"
    assert kinds["Screenshot_20261122.png"] == "communication"
    other = [f for f in checked.findings if f.code == "UNCLASSIFIED_OTHER"]
    assert [f.file for f in other] == ["微信图片_20261120.jpg"]
    assert "普通高等学校招生全国统一考试" in message(other[0], "zh")


def test_the_finding_says_which_title_header_or_stamp_decided(checked: api.Outcome) -> None:
    """This test ensures each SORTED_BY_CONTENT finding says what decided, in Chinese."""
    said = {f.file: message(f, "zh") for f in checked.findings if f.code == "SORTED_BY_CONTENT"}
    assert "页面标题是“检验报告单”，所以归入“疾病证明”" in said["IMG_20261101_093000.jpg"]
    assert "，所以归入“支出明细”" in said["mmexport1700000000001.jpg"]
    assert "页面标题是“工资条”，所以归入“收入证明”" in said["下载.pdf"]
    assert "聊天截图" in said["Screenshot_20261122.png"]


@pytest.mark.parametrize("script", [HANS, HANT])
def test_text_pdfs_sort_like_their_scans(tmp_path: Path, script: str) -> None:
    """This test ensures the text layer of every generated paper's PDF (no boxes: the first
    short lines are its title) sorts it as its kind, and none of ours stays out."""
    names = {}
    for paper in PAPERS:
        if not paper.chat:
            names[save(paper, tmp_path, script, as_pdf=True).name] = paper
    wrong = []
    for source in intake(tmp_path).files:
        verdict = judge(read(ReadJob(source, ocr=True)).texts)
        if verdict.kind is not names[source.rel].kind:
            wrong.append((source.rel, verdict.kind, verdict.candidates))
    assert not wrong


@pytest.mark.skipif(not REAL.is_dir(), reason="no ../shared/realphotos-dev here")
def test_real_photos_are_never_sorted_under_a_wrong_kind(tmp_path: Path) -> None:
    """This test ensures, on other projects' real photos: none goes under a kind a person would
    not give it, papers of none of our kinds stay out with a reason (their title named when
    read), and the receipt, the vehicle invoice and the ward's order sheet are sorted right."""
    truth = json.loads((REAL / "truth.json").read_text(encoding="utf-8"))
    right, store = [], tmp_path / "clean"
    store.mkdir()
    for source in intake(REAL / "files").files:
        guess = truth[source.rel]["kind_guess"]
        verdict = judge(read(ReadJob(source, ocr=True, clean=store)).texts)
        if verdict.kind is not None:
            assert verdict.kind.value == guess, source.rel
            right.append(source.rel)
        if guess == "other":
            assert verdict.kind is None and len(verdict.candidates) != 2, source.rel
    assert {"en_receipt_freshco_exif6.jpg", "zh_vehicle_invoice_rot90.jpg"} <= set(right)
    assert "zh_hospital_temp_orders.png" in right
