"""report.html parsed as HTML: offline, one thumbnail per page, every finding, dates, next steps."""

from __future__ import annotations

import base64
import io
import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from packager import api
from packager.errors import RenderError
from packager.write import render
from packager.write.report import THUMB_LONG_SIDE
from tests.conftest import FULL_ID, GOOD_TOML, TODAY, marker_image, standard_files, upload_pdf

pytestmark = pytest.mark.slow

BAD_ID = "110105194912310021"  # wrong check digit (should end in X)


class Page(HTMLParser):
    """Tags with their attributes, the visible text, and the text of each thumbnail's caption."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []
        self.style: list[str] = []
        self.captions: list[str] = []
        self._in_style = False
        self._caption: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))
        self._in_style = tag == "style"
        if tag == "figcaption":
            self._caption = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._in_style = False
        if tag == "figcaption" and self._caption is not None:
            self.captions.append("".join(self._caption))
            self._caption = None

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.style.append(data)
            return
        self.text.append(data)
        if self._caption is not None:
            self._caption.append(data)

    @property
    def visible(self) -> str:
        return "".join(self.text)


def bad_orientation_jpeg(path: Path) -> None:
    """A phone photo whose EXIF orientation tag is 9 (there is no such orientation)."""
    exif = Image.Exif()
    exif[0x0112] = 9
    marker_image().save(path, "JPEG", exif=exif)


def build(tmp: Path, toml: str, lang: str = "zh", files: dict | None = None) -> Path:
    case = tmp / "inbox" / "wang"
    case.mkdir(parents=True)
    (case / "case.toml").write_text(toml, encoding="utf-8")
    for rel, writer in (files if files is not None else standard_files()).items():
        (case / rel).parent.mkdir(parents=True, exist_ok=True)
        writer(case / rel)
    outcome = api.build_case(case, tmp / "out", api.Settings(today=TODAY, lang=lang))
    assert outcome.out_dir is not None
    return outcome.out_dir


@pytest.fixture(scope="module")
def draft(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A draft: wrong ID check digit, 50% of the limit, a bad EXIF tag and a stray text file."""
    toml = GOOD_TOML.replace(FULL_ID, BAD_ID).replace("amount_owed = 3800", "amount_owed = 5000")
    files = standard_files()
    files["收入证明/IMG_20.jpg"] = bad_orientation_jpeg
    files["notes.txt"] = lambda p: p.write_text("not a scan", encoding="utf-8")
    return build(tmp_path_factory.mktemp("draft"), toml, files=files)


@pytest.fixture(scope="module")
def parsed(draft: Path) -> tuple[Page, str, dict]:
    html = (draft / "report.html").read_text(encoding="utf-8")
    page = Page()
    page.feed(html)
    manifest = json.loads((draft / "manifest.json").read_text(encoding="utf-8"))
    return page, html, manifest


def test_one_embedded_thumbnail_per_page_in_order(draft: Path, parsed) -> None:
    """This test ensures every packet page has exactly one small embedded JPEG thumbnail."""
    page, _, manifest = parsed
    total = len(PdfReader(upload_pdf(draft)).pages)
    images = [attrs for tag, attrs in page.tags if tag == "img"]
    assert len(images) == total == len(page.captions)
    for n, (attrs, caption) in enumerate(zip(images, page.captions, strict=True), start=1):
        assert attrs["src"].startswith("data:image/jpeg;base64,")
        data = base64.b64decode(attrs["src"].split(",", 1)[1])
        thumb = Image.open(io.BytesIO(data))
        assert thumb.format == "JPEG" and max(thumb.size) == THUMB_LONG_SIDE
        assert len(data) < 40_000
        assert caption.startswith(f"第 {n} 页")
    for source in manifest["sources"]:
        if source["status"] == "ok":
            caption = page.captions[source["first_page"] - 1]
            assert source["path"] in caption


def test_no_external_url(parsed) -> None:
    """This test ensures the report opens offline: no scripts, no links out, no remote CSS."""
    page, html, _ = parsed
    for tag, attrs in page.tags:
        assert tag not in ("script", "link", "iframe", "object", "embed")
        for name in ("src", "href", "srcset", "action"):
            value = attrs.get(name, "")
            assert not value.lower().startswith(("http:", "https:", "//", "ftp:", "file:")), value
            if name == "src" and name in attrs:
                assert value.startswith("data:")
    assert "http://" not in html and "https://" not in html
    assert "url(" not in "".join(page.style) and "@import" not in "".join(page.style)


def test_every_finding_is_shown(parsed) -> None:
    """This test ensures each finding of the manifest is in the report, and page findings under their page."""
    page, _, manifest = parsed
    codes = {f["code"] for f in manifest["findings"]}
    assert {
        "ID_CHECK_DIGIT",
        "OWED_RATIO_HIGH",
        "EXIF_ORIENTATION_INVALID",
        "UNSUPPORTED_FILE",
    } <= (codes)
    for finding in manifest["findings"]:
        assert finding["message"] in page.visible, finding["code"]
    exif = next(f for f in manifest["findings"] if f["code"] == "EXIF_ORIENTATION_INVALID")
    source = next(s for s in manifest["sources"] if s["path"] == "收入证明/IMG_20.jpg")
    assert exif["message"] in page.captions[source["first_page"] - 1]


def test_banner_checklist_guidance_review_next_steps(parsed) -> None:
    """This test ensures the draft banner lists the errors and the report shows dates and next steps."""
    page, _, _ = parsed
    text = page.visible
    assert "草稿 · 材料不全" in text
    assert "校验码不对" in text
    assert "欠款 5,000 元，占额度 50%" in text and "经验规则，非官方" in text
    assert "2026年12月8日（周二）" in text and "2026年12月18日（周五）" in text
    for step in ("挂号信", "回执", "工号", "短信验证码", "债务协商", "12378"):
        assert step in text, step
    assert "疾病证明" in text and "✔ 已有" in text
    assert "notes.txt" in text  # the file left out is named


def test_report_is_masked(draft: Path) -> None:
    """This test ensures no full ID, phone or account number is in the report or manifest."""
    for name in ("report.html", "manifest.json"):
        data = (draft / name).read_text(encoding="utf-8")
        for secret in (BAD_ID, FULL_ID, "13800138000", "6222021234567890"):
            assert secret not in data
    html = (draft / "report.html").read_text(encoding="utf-8")
    assert "110105********0021" in html and "138****8000" in html and "****7890" in html


def test_complete_report_in_english(tmp_path: Path) -> None:
    """This test ensures --lang en words the report in English, with the complete banner."""
    out = build(tmp_path, GOOD_TOML, lang="en")
    page = Page()
    page.feed((out / "report.html").read_text(encoding="utf-8"))
    assert ("html", {"lang": "en"}) in page.tags
    text = page.visible
    assert "Complete: ready to send." in text
    assert "What to do next" in text and "12378" in text and "registered" in text
    assert "Owed 3,800 yuan, 38% of the limit" in text
    assert "Tue 8 Dec 2026" in text


def test_traditional_chinese_letter_stamps_and_report(tmp_path: Path) -> None:
    """This test ensures language = "zh-Hant" gives TC words in TC faces, file names untouched."""
    toml = GOOD_TOML + '\n[output]\nlanguage = "zh-Hant"\n'
    out = build(tmp_path, toml)
    pdf = upload_pdf(out)
    data = pdf.read_bytes()
    fonts = render.embedded_fonts(data)
    assert fonts and all("TC" in f for f in fonts), fonts
    reader = PdfReader(pdf)
    first = reader.pages[0].extract_text()
    assert "逾期還款協商申請書" in first and "逾期还款协商" not in first
    assert all("逾期還款協商" in p.extract_text() for p in reader.pages)
    page = Page()
    page.feed((out / "report.html").read_text(encoding="utf-8"))
    assert ("html", {"lang": "zh-Hant"}) in page.tags
    assert "材料清單" in page.visible and "材料清单" not in page.visible
    assert "收入证明/IMG_1.jpg" in page.visible  # the user's own folder name stays as it is
    assert '"Noto Sans CJK TC"' in "".join(page.style)


def test_font_guard_expects_traditional_faces(monkeypatch: pytest.MonkeyPatch) -> None:
    """This test ensures a zh-Hant render that embeds SC faces is refused (exit 6)."""
    context = {
        "sheets": [{"landscape": False, "number": 1, "section": "", "part": ""}],
        "total": 1,
        "draft": False,
    }
    assert render.render_pdf("stamps.html", context, "zh-Hant").pages == 1
    sc_css = (render.TEMPLATES / "stamps.css").read_text(encoding="utf-8")
    monkeypatch.setattr(render, "stylesheet", lambda name, script="zh-Hans": sc_css)
    with pytest.raises(RenderError) as info:
        render.render_pdf("stamps.html", context, "zh-Hant")
    assert "SC" in info.value.message
