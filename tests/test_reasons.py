"""Several reasons at once (``reason = ["疾病", "失业"]``): the letter, the rules, the manifest."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pypdf import PdfReader

from packager import api
from packager.read.casefile import parse_case
from packager.write.letter import letter_context
from tests.conftest import GOOD_TOML, TODAY, save_phone_jpeg, upload_pdf

ILL_AND_JOBLESS = GOOD_TOML.replace('reason = "illness"', 'reason = "住院、被裁员"')


def _sentence(toml: str) -> str:
    case = parse_case(toml.encode())
    return str(letter_context(case, [], TODAY, "贵方")["reasons"])


@pytest.mark.parametrize(
    ("written", "sentence"),
    [
        ('"疾病"', "本人逾期主要是因为身患疾病，具体情况如下。"),
        ('["疾病", "收入下降"]', "本人逾期主要是因为身患疾病和收入下降，具体情况如下。"),
        (
            '"失业、家庭变故，收入减少"',
            "本人逾期主要是因为失去工作、家庭发生变故和收入下降，具体情况如下。",
        ),
        ('["其他", "生病"]', "本人逾期主要是因为身患疾病，具体情况如下。"),
        ('"其他"', ""),
        ('""', ""),
    ],
)
def test_letter_names_every_reason(written: str, sentence: str) -> None:
    """This test ensures the letter's 逾期原因 opens by naming every reason given, joined as
    Chinese joins a list (、 then 和), and says nothing for 其他 (the statement says it)."""
    toml = GOOD_TOML.replace('reason = "illness"', f"reason = {written}")
    assert _sentence(toml) == sentence


def _case(tmp_path: Path, toml: str, files: dict[str, int]) -> Path:
    case = tmp_path / "inbox" / "wang"
    case.mkdir(parents=True)
    (case / "case.toml").write_text(toml, encoding="utf-8")
    for rel, orientation in files.items():
        (case / rel).parent.mkdir(parents=True, exist_ok=True)
        save_phone_jpeg(case / rel, orientation)
    return case


def test_every_reason_asks_for_its_proof(tmp_path: Path) -> None:
    """This test ensures check follows all the reasons: illness and job loss together ask for a
    medical certificate and a statement of the job loss, and the manifest records both."""
    case = _case(tmp_path, ILL_AND_JOBLESS, {"收入证明/a.jpg": 1, "支出明细/b.jpg": 3})
    outcome = api.check_case(case, api.Settings(today=TODAY))
    codes = [f.code for f in outcome.findings if f.severity.value == "error"]
    assert codes == ["MISSING_MEDICAL", "MISSING_CIRCUMSTANCES"]
    said = [f["message"] for f in outcome.manifest["findings"] if f["severity"] == "error"]
    assert "疾病" in said[0] and "失业" in said[1]
    assert outcome.manifest["request"] == {
        "plan": "installments",
        "reason": "illness",
        "reasons": ["illness", "unemployment"],
    }


def test_one_reason_keeps_the_manifest_shape(tmp_path: Path) -> None:
    """This test ensures an old single-value ``reason`` still reads and is recorded as before:
    ``reason`` one value, ``reasons`` a list of one; no reason at all is null and []."""
    case = _case(tmp_path, GOOD_TOML, {})
    got = api.check_case(case, api.Settings(today=TODAY)).manifest["request"]
    assert got == {"plan": "installments", "reason": "illness", "reasons": ["illness"]}
    (case / "case.toml").write_text(GOOD_TOML.replace('reason = "illness"', ""), encoding="utf-8")
    got = api.check_case(case, api.Settings(today=TODAY)).manifest["request"]
    assert got["reason"] is None and got["reasons"] == []


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_built_packet_and_report_name_both_reasons(tmp_path: Path, lang: str) -> None:
    """This test ensures a complete build for two reasons prints both in the letter and in the
    report's header, in the person's language, with both proofs counted as required."""
    files = {"收入证明/a.jpg": 1, "支出明细/b.jpg": 3, "疾病证明/c.jpg": 6, "其他说明/d.jpg": 8}
    case = _case(tmp_path, ILL_AND_JOBLESS, files)
    outcome = api.build_case(case, tmp_path / "out", api.Settings(today=TODAY, lang=lang))
    assert outcome.complete and outcome.out_dir is not None
    letter = "".join(PdfReader(upload_pdf(outcome.out_dir)).pages[0].extract_text().split())
    assert "本人逾期主要是因为身患疾病和失去工作，具体情况如下。" in letter
    html = (outcome.out_dir / "report.html").read_text(encoding="utf-8")
    expected = "逾期原因：疾病和失业" if lang == "zh" else "Reason: illness and job loss"
    assert expected in html
    required = "必需（原因：疾病）" if lang == "zh" else "required (reason: illness)"
    assert required in html
    manifest = json.loads((outcome.out_dir / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["request"]["reasons"] == ["illness", "unemployment"]
