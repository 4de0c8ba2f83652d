"""`packager build` with every way a person names the case: the case folder is only read."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from packager.cli import main
from tests.conftest import GOOD_TOML, save_phone_jpeg

pytestmark = pytest.mark.slow


def fingerprint(root: Path) -> dict[str, str]:
    """Every entry below ``root`` (folders too) with the hash of each file's bytes."""
    listing: dict[str, str] = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        listing[rel] = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "/"
    return listing


def build(argv: list[str], capsys: pytest.CaptureFixture[str]) -> int:
    with pytest.raises(SystemExit) as info:
        main(["build", *argv, "--lang", "en"])
    capsys.readouterr()
    return int(info.value.code or 0)


def make_case(folder: Path) -> Path:
    folder.mkdir(parents=True)
    (folder / "case.toml").write_text(GOOD_TOML, encoding="utf-8")
    (folder / "收入证明").mkdir()
    save_phone_jpeg(folder / "收入证明" / "工资.jpg", 1, size=(300, 400))
    return folder


@pytest.mark.parametrize(
    ("cwd", "arg"),
    [
        ("inbox/wang", "."),
        ("inbox/wang", "./"),
        ("inbox", "wang"),
        ("inbox", "wang/"),
        ("inbox/wang/收入证明", ".."),
        ("elsewhere", "ABS"),
        ("link/wang", "."),
        ("link", "wang/"),
    ],
)
def test_build_forms_leave_the_case_untouched(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    cwd: str,
    arg: str,
) -> None:
    """This test ensures each way of naming an inbox case writes to the inbox's out/, not into it."""
    case = make_case(tmp_path / "inbox" / "wang")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "inbox")
    before = fingerprint(case)
    monkeypatch.chdir(tmp_path / cwd)
    code = build([str(case) if arg == "ABS" else arg], capsys)
    assert code == 5  # incomplete (no expense statement …), but built
    assert fingerprint(case) == before
    out = tmp_path / "out" / "wang"
    assert (out / "manifest.json").is_file()
    # The case's packet, and beside it the page cache every build and check share (issue 21).
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [".cache", "wang"]


def test_build_dot_outside_an_inbox_goes_to_parent_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """This test ensures `build .` in a case folder outside an inbox writes ../out/<case>/."""
    case = make_case(tmp_path / "cases" / "li")
    before = fingerprint(case)
    monkeypatch.chdir(case)
    assert build(["."], capsys) == 5
    assert fingerprint(case) == before
    assert (tmp_path / "cases" / "out" / "li" / "manifest.json").is_file()


def test_out_inside_the_case_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """This test ensures `-o` pointing into the case folder is a usage error that writes nothing."""
    case = make_case(tmp_path / "inbox" / "wang")
    before = fingerprint(case)
    monkeypatch.chdir(case)
    with pytest.raises(SystemExit) as info:
        main(["build", ".", "-o", "out"])
    err = capsys.readouterr().err
    assert info.value.code == 2
    assert "案件文件夹" in err and "-o ../out" in err
    assert fingerprint(case) == before
