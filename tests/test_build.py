"""End-to-end: a case of phone photos, a PNG scan and a PDF becomes one packet."""

from __future__ import annotations

import json
import stat
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from packager import api
from packager.cli import main
from packager.geometry import A4
from packager.pool import Workers
from packager.read.prepare import prepare, survey
from packager.settings import Settings
from packager.write import render
from packager.write.plan import plan_packet
from tests.conftest import (
    FULL_ID,
    GOOD_TOML,
    TODAY,
    assert_upright,
    render_page,
    save_phone_jpeg,
    standard_files,
    upload_pdf,
)

pytestmark = pytest.mark.slow


@pytest.fixture
def built(case_factory, tmp_path: Path, tools) -> tuple[api.Outcome, Path]:
    case = case_factory(files=standard_files())
    outcome = api.build_case(case, tmp_path / "out", api.Settings(today=TODAY))
    assert outcome.out_dir is not None
    return outcome, upload_pdf(outcome.out_dir)


def test_packet_pages_labels_and_numbers(built) -> None:
    """This test ensures every page is A4, labeled 逾期还款协商 and numbered 第 N 页 / 共 M 页."""
    outcome, pdf = built
    reader = PdfReader(pdf)
    letter_pages = outcome.manifest["sources"][0]["first_page"] - 1
    # 4 photos + 1 PNG + 3 PDF pages after the letter.
    assert len(reader.pages) == letter_pages + 8
    total = len(reader.pages)
    for n, page in enumerate(reader.pages, start=1):
        size = sorted((round(float(page.mediabox.width)), round(float(page.mediabox.height))))
        assert size == sorted((round(A4[0]), round(A4[1])))
        text = page.extract_text()
        assert "逾期还款协商" in text
        assert f"第 {n} 页 / 共 {total} 页" in text


def test_scans_are_upright(built) -> None:
    """This test ensures EXIF 1/3/6/8 photos, a PNG and /Rotate PDF pages all read upright."""
    outcome, pdf = built
    first = outcome.manifest["sources"][0]["first_page"]
    total = len(PdfReader(pdf).pages)
    for page in range(first, total + 1):
        assert_upright(render_page(pdf, page))


def test_landscape_source_gets_landscape_page(built) -> None:
    """This test ensures a landscape PDF page lands on landscape A4 with the label on top."""
    _, pdf = built
    last = PdfReader(pdf).pages[-1]
    assert float(last.mediabox.width) > float(last.mediabox.height)
    assert "逾期还款协商" in last.extract_text()


def test_order_outline_and_metadata(built) -> None:
    """This test ensures kind order, natural file order, one bookmark per section and per document."""
    outcome, pdf = built
    ok = [s for s in outcome.manifest["sources"] if s["status"] == "ok"]
    assert [s["path"] for s in ok] == [
        "收入证明/IMG_1.jpg",
        "收入证明/IMG_3.jpg",
        "收入证明/IMG_10.jpg",
        "支出明细/收据.png",
        "疾病证明/诊断.jpg",
        "病历-住院记录.pdf",
    ]
    reader = PdfReader(pdf)
    outline = reader.outline
    titles = [item.title for item in outline if not isinstance(item, list)]
    assert titles == ["逾期还款协商申请书", "附件一 收入证明", "附件二 支出明细", "附件三 疾病证明"]
    children = [[c.title for c in item] for item in outline if isinstance(item, list)]
    assert children[0] == ["IMG_1.jpg", "IMG_3.jpg", "IMG_10.jpg"]
    assert "病历-住院记录.pdf" in children[2]
    meta = reader.metadata
    assert meta is not None
    assert "逾期还款协商" in (meta.get("/Keywords") or "")
    assert meta.title and "逾期还款协商" in meta.title


def test_jpeg_passthrough(built, case_factory) -> None:
    """This test ensures photos are embedded without re-encoding (DCTDecode), EXIF removed."""
    outcome, pdf = built
    reader = PdfReader(pdf)
    first = outcome.manifest["sources"][0]["first_page"]
    xobjects = reader.pages[first - 1]["/Resources"]["/XObject"]
    images = [
        x.get_object() for x in xobjects.values() if x.get_object().get("/Subtype") == "/Image"
    ]
    (image,) = images
    assert image["/Filter"] == "/DCTDecode"
    source = next(Path(pdf).parents[2].glob("inbox/wang/收入证明/IMG_1.jpg")).read_bytes()
    embedded = image.get_data()
    # The entropy-coded scan is the source's byte for byte; only metadata (EXIF) is left out.
    scan = source.index(b"\xff\xda")
    assert embedded.endswith(source[scan:])
    assert b"Exif" in source[:scan]
    assert b"Exif" not in embedded


def test_pdf_tools_accept_the_packet(built) -> None:
    """This test ensures qpdf finds no damage and poppler renders every page."""
    _, pdf = built
    check = subprocess.run(["qpdf", "--check", str(pdf)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    total = len(PdfReader(pdf).pages)
    for page in range(1, total + 1):
        assert render_page(pdf, page, dpi=10).size[0] > 0


def test_manifest_and_privacy(built) -> None:
    """This test ensures the manifest's stable keys and that the full ID is nowhere under out/."""
    _, pdf = built
    out_dir = pdf.parent
    manifest = json.loads((out_dir / "manifest.json").read_text(encoding="utf-8"))
    assert set(manifest) >= {"case", "complete", "generated_by", "sources", "outputs", "findings"}
    assert manifest["complete"] is True
    upload = manifest["outputs"][0]
    assert upload["path"] == pdf.name and upload["profile"] == "upload"
    assert upload["bytes"] == pdf.stat().st_size
    import hashlib

    assert upload["sha256"] == hashlib.sha256(pdf.read_bytes()).hexdigest()
    for source in manifest["sources"]:
        assert set(source) >= {
            "path",
            "sha256",
            "kind",
            "pages",
            "first_page",
            "last_page",
            "status",
        }
    text = "".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "110105********002X" in text
    assert "13800138000" in text  # the applicant's own phone, in full on the letter
    for path in out_dir.rglob("*"):
        assert FULL_ID not in path.name
        if path.is_file():
            assert FULL_ID.encode() not in path.read_bytes()
            assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert FULL_ID not in text
    manifest_text = (out_dir / "manifest.json").read_text(encoding="utf-8")
    report_text = (out_dir / "report.html").read_text(encoding="utf-8")
    assert "13800138000" not in manifest_text + report_text


def test_sources_untouched(case_factory, tmp_path: Path) -> None:
    """This test ensures a build never changes a byte, name or mtime in the case folder."""
    case = case_factory(files=standard_files())

    def snapshot() -> dict[str, tuple[bytes, int]]:
        return {
            str(p.relative_to(case)): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in case.rglob("*")
            if p.is_file()
        }

    before = snapshot()
    api.build_case(case, tmp_path / "out", api.Settings(today=TODAY))
    assert snapshot() == before


def test_incomplete_case_is_a_draft_and_exits_5(case_factory, tmp_path: Path, capsys) -> None:
    """This test ensures a case missing its medical proof builds as a draft and exits 5."""
    case = case_factory(
        files={
            "收入证明/工资.jpg": lambda p: save_phone_jpeg(p, 1),
            "支出明细/账单.jpg": lambda p: save_phone_jpeg(p, 1),
        }
    )
    with pytest.raises(SystemExit) as exit_info:
        main(["build", str(case), "-o", str(tmp_path / "out"), "--json"])
    assert exit_info.value.code == 5
    manifest = json.loads(capsys.readouterr().out)
    assert manifest["complete"] is False
    codes = {f["code"] for f in manifest["findings"]}
    assert "MISSING_MEDICAL" in codes
    pdf = upload_pdf(tmp_path / "out" / "wang")
    assert pdf.name == "逾期还款协商-wang-草稿.pdf"
    for page in PdfReader(pdf).pages:
        assert "草稿·材料不全" in "".join(page.extract_text().split())


def test_broken_case_file_exits_3_naming_the_field(case_factory, tmp_path: Path, capsys) -> None:
    """This test ensures a wrong value in case.toml exits 3 and says which field and what to write."""
    case = case_factory(toml=GOOD_TOML.replace("amount_owed = 3800", 'amount_owed = "三千八"'))
    with pytest.raises(SystemExit) as exit_info:
        main(["build", str(case), "-o", str(tmp_path / "out")])
    assert exit_info.value.code == 3
    err = capsys.readouterr().err
    assert "account.amount_owed" in err and "amount_owed = 3800.00" in err
    assert not (tmp_path / "out" / "wang").exists()


def test_rebuild_replaces_previous_bundle(case_factory, tmp_path: Path) -> None:
    """This test ensures a second build swaps in the new bundle and leaves no staging folder."""
    case = case_factory(files=standard_files())
    out = tmp_path / "out"
    api.build_case(case, out, api.Settings(today=TODAY))
    (case / "沟通记录").mkdir()
    save_phone_jpeg(case / "沟通记录" / "chat.jpg", 1, size=(640, 900))
    outcome = api.build_case(case, out, api.Settings(today=TODAY))
    assert sorted(p.name for p in out.iterdir()) == ["wang"]
    kinds = {s["kind"] for s in outcome.manifest["sources"]}
    assert "communication" in kinds


def test_shared_pool_is_reused_and_left_open(case_factory, tmp_path: Path) -> None:
    """This test ensures builds given ``Settings.workers`` run on that pool and leave it open:
    the watcher's build process reuses one pool instead of starting one per build."""
    case = case_factory(files=standard_files())
    with Workers(2) as workers:
        settings = api.Settings(today=TODAY, workers=workers)
        api.build_case(case, tmp_path / "out1", settings)
        pool = workers._pool
        assert pool is not None, "the first build did not use the shared pool"
        api.build_case(case, tmp_path / "out2", settings)
        assert workers._pool is pool, "a build closed or replaced the shared pool"
        assert workers.map(abs, [-1, -2, -3]) == [1, 2, 3]
    first = (upload_pdf(tmp_path / "out1" / "wang")).read_bytes()
    assert first == (upload_pdf(tmp_path / "out2" / "wang")).read_bytes()


def test_wrong_letter_hint_gives_the_same_packet(case_factory, tmp_path: Path) -> None:
    """This test ensures a wrong first guess at the letter's length (Settings.letter_pages) still
    gives the packet of no guess, and the Outcome tells the real length for the next build."""
    case = case_factory(files=standard_files())
    plain = api.build_case(case, tmp_path / "plain", api.Settings(today=TODAY))
    hinted = api.build_case(case, tmp_path / "hinted", api.Settings(today=TODAY, letter_pages=5))
    first_page = plain.manifest["sources"][0]["first_page"]
    assert plain.letter_pages == hinted.letter_pages == first_page - 1
    assert plain.manifest["sources"] == hinted.manifest["sources"]
    name = "wang/逾期还款协商-wang.pdf"
    assert (tmp_path / "plain" / name).read_bytes() == (tmp_path / "hinted" / name).read_bytes()


def test_right_letter_hint_renders_the_letter_once(case_factory, monkeypatch) -> None:
    """This test ensures the letter is rendered once when the first guess at its length is right,
    and a wrong guess is corrected by rendering again."""
    prep = prepare(survey(case_factory(files=standard_files()), "zh"), Settings(today=TODAY))
    letters: list[str] = []
    real = render.render_pdf

    def counting(template: str, *args, **kwargs):
        if template == "letter.html":
            letters.append(template)
        return real(template, *args, **kwargs)

    monkeypatch.setattr(render, "render_pdf", counting)
    pages = plan_packet(prep, TODAY).letter_pages
    for hint, renders in ((pages, 1), (pages + 3, 2)):
        letters.clear()
        assert plan_packet(prep, TODAY, hint).letter_pages == pages
        assert len(letters) == renders, f"hint {hint}"


def test_demo_builds(tmp_path: Path, capsys) -> None:
    """This test ensures `packager demo` builds the example case and prints the PDF path."""
    with pytest.raises(SystemExit) as exit_info:
        main(["demo", "-o", str(tmp_path)])
    assert exit_info.value.code == 0
    printed = Path(capsys.readouterr().out.strip())
    assert printed.exists() and printed.name == "逾期还款协商-demo.pdf"
    reader = PdfReader(printed)
    assert len(reader.pages) >= 8
    assert "逾期还款协商申请书" in reader.pages[0].extract_text()
