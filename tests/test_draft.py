"""A draft cannot be mistaken for a finished packet: its names, its pages, its report."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from packager import api
from packager.manifest import MANIFEST_FILE, REPORT_FILE
from tests.conftest import GOOD_TOML, TODAY, render_page, save_phone_jpeg

pytestmark = pytest.mark.slow

NO_PLAN = GOOD_TOML.replace('plan = "分期还款"\ninstallments = 12\n', "")


@pytest.fixture
def draft(case_factory, tmp_path: Path, tools) -> api.Outcome:
    case = case_factory(
        toml=NO_PLAN, files={"疾病证明/诊断.jpg": lambda p: save_phone_jpeg(p, 1, (600, 800))}
    )
    settings = api.Settings(today=TODAY, profiles=("upload", "mail"))
    outcome = api.build_case(case, tmp_path / "out", settings)
    assert not outcome.complete and outcome.out_dir is not None
    return outcome


def test_every_draft_file_name_says_draft(draft: api.Outcome) -> None:
    """This test ensures every packet file of a draft has 草稿 in its name (manifest keys stay)."""
    assert draft.out_dir is not None
    packet = [o.path for o in draft.outputs if o.profile != "report"]
    assert packet and all("草稿" in Path(p).name for p in packet), packet
    on_disk = [p for p in draft.out_dir.rglob("*") if p.is_file()]
    assert {p.name for p in on_disk if "草稿" not in p.name} == {MANIFEST_FILE, REPORT_FILE}
    assert set(draft.manifest) >= {"case", "complete", "outputs", "sources"}


def _red_share(page: Image.Image, box: tuple[float, float, float, float]) -> float:
    w, h = page.size
    region = page.crop((int(box[0] * w), int(box[1] * h), int(box[2] * w), int(box[3] * h)))
    pixels = list(region.convert("RGB").get_flattened_data())
    pink = sum(1 for r, g, b in pixels if r > 200 and 150 < g < 245 and abs(g - b) < 30)
    return pink / len(pixels)


def test_every_page_carries_a_light_watermark(draft: api.Outcome) -> None:
    """This test ensures each page and the cover show a light pink diagonal mark, never dark."""
    assert draft.out_dir is not None
    upload = next(draft.out_dir / o.path for o in draft.outputs if o.profile == "upload")
    mail = next(draft.out_dir / o.path for o in draft.outputs if o.profile == "mail")
    total = len(PdfReader(upload).pages)
    pages = [render_page(upload, n, dpi=40) for n in range(1, total + 1)]
    pages.append(render_page(mail, 1, dpi=40))
    for page in pages:
        assert _red_share(page, (0.1, 0.3, 0.9, 0.7)) > 0.01  # the mark is there
        # light: no pixel of the mark is darker than a pale pink over white
        middle = page.crop(
            (page.width // 4, page.height // 3, page.width * 3 // 4, page.height // 2)
        )
        reds = [(r, g, b) for r, g, b in middle.convert("RGB").get_flattened_data() if r - g > 40]
        assert all(g > 150 for _, g, _ in reds)
    text = "".join(PdfReader(upload).pages[0].extract_text().split())
    assert "草稿·材料不全" in text


def test_draft_letter_asks_for_no_plan_and_report_says_wait(draft: api.Outcome) -> None:
    """This test ensures a draft with no plan asks for nothing and its next steps say: don't send."""
    assert draft.out_dir is not None
    upload = next(draft.out_dir / o.path for o in draft.outputs if o.profile == "upload")
    letter = "".join("".join(p.extract_text() for p in PdfReader(upload).pages[:2]).split())
    assert "一次性偿还" not in letter and "全部欠款" not in letter
    assert "尚未选择还款方案" in letter
    html = (draft.out_dir / REPORT_FILE).read_text(encoding="utf-8")
    steps = re.findall(r"<li>(.*?)</li>", html.split('class="steps"', 1)[1], re.DOTALL)
    assert "请先不要提交" in steps[0]
    assert "request.plan" in steps[1] and "支出明细" in steps[1]
    assert "上传" not in "".join(steps[:3])
