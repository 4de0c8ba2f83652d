"""`packager check` and `packager init` as a new user meets them."""

from __future__ import annotations

import json
import re
import stat
from pathlib import Path

import pytest

from packager.cli import main
from packager.read.casefile import (
    Account,
    Applicant,
    Contact,
    Output,
    Password,
    Privacy,
    Request,
)
from packager.scaffold import INIT_TEMPLATES
from tests.conftest import FULL_ID, GOOD_TOML, save_phone_jpeg

# The "done when": a wrong ID check digit, reason illness without a
# medical certificate, and an amount owed at 50% of the limit.
DONE_WHEN_TOML = GOOD_TOML.replace(FULL_ID, "110105194912310021").replace(
    "amount_owed = 3800", "amount_owed = 5000"
)
NO_MEDICAL_FILES = {
    "收入证明/工资.jpg": lambda p: save_phone_jpeg(p, 1, size=(300, 400)),
    "支出明细/账单.jpg": lambda p: save_phone_jpeg(p, 1, size=(320, 400)),
}


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    out, err = capsys.readouterr()
    code = exit_info.value.code
    return int(code if isinstance(code, int) else 1), out, err


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "zh",
            [
                "applicant.id_number",
                "校验码不对",
                "应为 X",
                "缺少疾病证明",
                "欠款 5,000 元，占额度 50%",
            ],
        ),
        (
            "en",
            [
                "applicant.id_number",
                "check digit is wrong",
                "Missing: Medical certificates",
                "Owed 5,000 yuan, 50% of the limit",
            ],
        ),
    ],
)
def test_done_when_check_names_all_three(
    case_factory,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    lang: str,
    expected: list[str],
) -> None:
    """This test ensures check exits 5 naming the ID, the missing certificate and the 50% ratio."""
    case = case_factory(toml=DONE_WHEN_TOML, files=NO_MEDICAL_FILES)
    monkeypatch.chdir(tmp_path)
    before = snapshot(tmp_path)
    code, out, err = run(["check", str(case), "--lang", lang], capsys)
    assert code == 5
    assert out == ""
    for text in expected:
        assert text in err, text
    assert FULL_ID not in err and "110105194912310021" not in err
    after = snapshot(tmp_path)
    cached = [p for p in after if p.startswith("out/.cache/")]
    assert cached  # what check read is kept for the build (OUT/.cache, beside inbox/ or here)
    # ... and nothing else is written anywhere
    assert {p: b for p, b in after.items() if p not in cached} == before


def test_check_json_is_the_manifest_only(case_factory, capsys) -> None:
    """This test ensures --json prints one JSON document with the three findings and the dates."""
    case = case_factory(toml=DONE_WHEN_TOML, files=NO_MEDICAL_FILES)
    code, out, _ = run(["check", str(case), "--json"], capsys)
    assert code == 5
    manifest = json.loads(out)
    codes = {f["code"]: f["severity"] for f in manifest["findings"]}
    assert codes["ID_CHECK_DIGIT"] == "error"
    assert codes["MISSING_MEDICAL"] == "error"
    assert codes["OWED_RATIO_HIGH"] == "warning"
    assert manifest["complete"] is False
    window = manifest["review_window"]
    assert window["working_days"] == [7, 15] and window["from"] < window["to"]
    ratio = next(m for m in manifest["eligibility"] if m["code"] == "GUIDE_OWED_RATIO")
    assert ratio["within"] is False and ratio["value"] == 0.5 and ratio["source"] == "folklore"


def test_check_mail_profile_needs_both_addresses(case_factory, capsys) -> None:
    """This test ensures the addresses are required only when the mail packet is asked for."""
    toml = re.sub(r"(address|mailing_address) = .*\n", "", GOOD_TOML)
    files = {**NO_MEDICAL_FILES, "疾病证明/诊断.jpg": lambda p: save_phone_jpeg(p, 1, (340, 400))}
    case = case_factory(toml=toml, files=files)
    assert run(["check", str(case)], capsys)[0] == 0
    code, _, err = run(["check", str(case), "--profile", "upload,mail"], capsys)
    assert code == 5
    assert "applicant.address" in err and "account.mailing_address" in err
    assert run(["check", str(case), "--profile", "fax"], capsys)[0] == 2


def test_init_then_check_lists_exactly_what_is_missing(tmp_path: Path, capsys) -> None:
    """This test ensures a fresh init checks as incomplete (5, never 3) and names each gap."""
    case = tmp_path / "inbox" / "zhang"
    code, _, err = run(["init", str(case)], capsys)
    assert code == 0
    assert (case / "case.toml").is_file() and (case / "使用说明.txt").is_file()
    for folder in ("收入证明", "支出明细", "疾病证明", "其他说明", "沟通记录"):
        assert (case / folder).is_dir()
    assert stat.S_IMODE((case / "case.toml").stat().st_mode) == 0o600
    assert "packager check" in err

    code, out, _ = run(["check", str(case), "--json"], capsys)
    assert code == 5
    errors = sorted(
        (f["code"], f["message"].split("（")[0].split(" ")[-1])
        for f in json.loads(out)["findings"]
        if f["severity"] == "error"
    )
    fields = sorted(m for c, m in errors if c == "MISSING_FIELD")
    assert [c for c, _ in errors].count("MISSING_FIELD") == 7
    assert fields == sorted(
        [
            "account.amount_owed",
            "account.overdue_since",
            "account.platform",
            "applicant.name",
            "request.plan",
            "request.reason",
            "request.statement",
        ]
    )
    assert {c for c, _ in errors} == {"MISSING_FIELD", "MISSING_INCOME", "MISSING_EXPENSES"}


def test_init_refuses_to_overwrite(tmp_path: Path, capsys) -> None:
    """This test ensures init never replaces an existing case.toml (exit 2, file unchanged)."""
    case = tmp_path / "wang"
    case.mkdir()
    (case / "case.toml").write_text(GOOD_TOML, encoding="utf-8")
    (case / "收入证明").mkdir()
    (case / "收入证明" / "keep.jpg").write_bytes(b"mine")
    before = snapshot(case)
    code, _, err = run(["init", str(case)], capsys)
    assert code == 2
    assert "已经存在" in err and "没有覆盖" in err
    assert snapshot(case) == before


def test_filled_in_template_checks_complete(tmp_path: Path, capsys) -> None:
    """This test ensures the template, filled in line by line, is a complete case (exit 0)."""
    case = tmp_path / "li"
    run(["init", str(case)], capsys)
    values = {
        "name": '"李测试"',
        "id_number": '"11010519491231002x"',
        "phone": '"+86 138 0013 8000"',
        "platform": '"支付宝"',
        "product": '"花呗"',
        "credit_limit": '"10,000"',
        "amount_owed": "3800",
        "overdue_since": "2026-11-20",
        "plan": '"一次性偿还本金"',
        "reason": '"收入下降"',
        "statement": '"今年公司裁员降薪，月收入从八千元降到四千元，房租和孩子学费压力很大。"',
    }
    text = (case / "case.toml").read_text(encoding="utf-8")
    for key, value in values.items():
        text, n = re.subn(rf'^{key} = ""', f"{key} = {value}", text, flags=re.M)
        assert n == 1, key
    (case / "case.toml").write_text(text, encoding="utf-8")
    save_phone_jpeg(case / "收入证明" / "工资.jpg", 1, size=(300, 400))
    save_phone_jpeg(case / "支出明细" / "账单.jpg", 1, size=(320, 400))
    code, _, err = run(["check", str(case)], capsys)
    assert code == 0, err
    assert "材料齐全" in err


def test_template_explains_every_field() -> None:
    """This test ensures every case.toml field appears in the template with a Chinese comment."""
    text = (INIT_TEMPLATES / "case.toml").read_text(encoding="utf-8")
    for model in (Applicant, Account, Request, Contact, Output, Privacy, Password):
        for name in model.model_fields:
            line = re.search(rf"^#? ?{name} = [^\n]*#\s*(\S[^\n]*)$", text, flags=re.M)
            assert line, name
            assert re.search(r"[\u4e00-\u9fff]", line.group(1)), name


def test_case_file_error_masks_an_unquoted_id(case_factory, capsys) -> None:
    """This test ensures an ID or phone typed without quotes is masked in the exit-3 message."""
    toml = GOOD_TOML.replace(f'"{FULL_ID}"', "110105194912310021").replace(
        '"13800138000"', "13912345678"
    )
    code, _, err = run(["check", str(case_factory(toml=toml))], capsys)
    assert code == 3
    assert "applicant.id_number" in err and "applicant.phone" in err
    assert "110105194912310021" not in err and "13912345678" not in err
    assert "139****5678" in err


def test_init_example_writes_a_filled_case_and_never_overwrites(tmp_path: Path) -> None:
    """This test ensures `packager init --example DIR` writes the demo case as a real folder
    to copy from (it checks complete), and refuses a folder that already holds anything."""
    from packager.cli import main

    target = tmp_path / "inbox" / "li"
    with pytest.raises(SystemExit) as done:
        main(["init", str(target), "--example"])
    assert done.value.code == 0
    assert (target / "case.toml").is_file() and (target / "收入证明").is_dir()
    (target / "mine.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(SystemExit) as again:
        main(["init", str(target), "--example"])
    assert again.value.code == 2
    assert (target / "mine.txt").read_text(encoding="utf-8") == "mine"


def test_check_cleans_photos_unless_told_not_to(tmp_path, monkeypatch, capsys) -> None:
    """This test ensures `check` judges the cleaned photo as `build` would, and --no-clean does not."""
    from tests.desk import desk_photo

    monkeypatch.setenv("PACKAGER_CLEAN", "1")
    case = tmp_path / "inbox" / "wang"
    (case / "收入证明").mkdir(parents=True)
    (case / "case.toml").write_text(GOOD_TOML, encoding="utf-8")
    (case / "收入证明" / "IMG_1.jpg").write_bytes(desk_photo(30).data)
    for flags, cleaned in (([], "flattened"), (["--no-clean"], False)):
        code, out, _ = run(["check", str(case), "--json", "--no-ocr", *flags], capsys)
        assert code in (0, 5)
        assert [s["cleaned"] for s in json.loads(out)["sources"]] == [cleaned]
