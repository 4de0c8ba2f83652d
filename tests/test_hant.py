"""Traditional Chinese variants: characters only by default, Taiwan or Hong Kong phrasing by choice,
and proper names never rephrased."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from packager import api
from packager.errors import ConfigError
from packager.hant import name_to_hant, to_hant
from packager.read.casefile import parse_case, proper_names
from tests.conftest import GOOD_TOML, TODAY, save_phone_jpeg, upload_pdf

OURS = "本人是贵方的用户，使用软件和网络平台提交信息。"


@pytest.mark.parametrize(
    ("script", "expected"),
    [
        ("zh-Hant", "本人是貴方的用戶，使用軟件和網絡平臺提交信息。"),
        ("zh-Hant-TW", "本人是貴方的使用者，使用軟體和網路平臺提交資訊。"),
        ("zh-Hant-HK", "本人是貴方的用户，使用軟件和網絡平台提交信息。"),
    ],
)
def test_variants_of_our_own_wording(script: str, expected: str) -> None:
    """This test ensures zh-Hant converts characters only (s2t), and only the -TW and -HK
    variants rephrase our wording the Taiwan (使用者, 軟體) or Hong Kong way."""
    assert to_hant(OURS, script) == expected


@pytest.mark.parametrize("script", ["zh-Hant", "zh-Hant-TW", "zh-Hant-HK"])
def test_lender_and_product_names_keep_their_words(script: str) -> None:
    """This test ensures a name given in case.toml is converted by its characters only in
    every variant: 某某网络科技 is 某某網絡科技 even where 网络 alone becomes 網路."""
    names = ["支付宝", "花呗", "借呗", "招商银行", "深圳某某网络科技", "信息咨询服务中心"]
    text = "致深圳某某网络科技：本人在支付宝花呗、借呗和招商银行的网络账户；信息咨询服务中心。"
    out = to_hant(text, script, names)
    for name, shown in zip(
        names,
        ["支付寶", "花唄", "借唄", "招商銀行", "深圳某某網絡科技", "信息諮詢服務中心"],
        strict=True,
    ):
        assert name_to_hant(name) == shown
        assert shown in out, (script, out)
    if script == "zh-Hant-TW":
        assert "的網路賬戶" in out  # our own word beside the names still follows the variant


def test_proper_names_of_a_case() -> None:
    """This test ensures the names protected from rephrasing are the ones case.toml gives."""
    case = parse_case(GOOD_TOML.encode())
    names = proper_names(case)
    assert "支付宝" in names and "花呗" in names and "王测试" in names
    assert "工单 20261122-0001" in names


def test_unknown_variant_is_refused_with_the_choices() -> None:
    """This test ensures a language case.toml cannot use names the four that exist."""
    with pytest.raises(ConfigError) as err:
        parse_case((GOOD_TOML + '\n[output]\nlanguage = "zh-Hant-SG"\n').encode())
    assert "zh-Hant-TW" in str(err.value) and "zh-Hant-HK" in str(err.value)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("language", "word", "not_word"),
    [("zh-Hant", "的用戶", "使用者"), ("zh-Hant-TW", "的使用者", "用戶")],
)
def test_letter_and_report_in_each_variant(
    tmp_path: Path, language: str, word: str, not_word: str
) -> None:
    """This test ensures the built letter follows the chosen variant in our wording (用戶 or
    使用者) while the lender's name keeps its words (網絡, not 網路) and 支付寶 its characters,
    and the report says lang zh-Hant-TW for the Taiwan variant."""
    toml = GOOD_TOML.replace('platform = "支付宝"', 'platform = "支付宝网络科技"')
    assert toml != GOOD_TOML
    case = tmp_path / "inbox" / "wang"
    case.mkdir(parents=True)
    (case / "case.toml").write_text(toml + f'\n[output]\nlanguage = "{language}"\n', "utf-8")
    for rel, o in {"收入证明/a.jpg": 1, "支出明细/b.jpg": 3, "疾病证明/c.jpg": 6}.items():
        (case / rel).parent.mkdir(parents=True, exist_ok=True)
        save_phone_jpeg(case / rel, o)
    outcome = api.build_case(case, tmp_path / "out", api.Settings(today=TODAY))
    assert outcome.out_dir is not None
    letter = "".join(PdfReader(upload_pdf(outcome.out_dir)).pages[0].extract_text().split())
    assert "支付寶網絡科技花唄" in letter and "網路科技" not in letter
    assert word in letter and not_word not in letter
    report = (outcome.out_dir / "report.html").read_text(encoding="utf-8")
    assert f'<html lang="{language}">' in report
    assert "支付寶網絡科技" in report and "網路科技" not in report
