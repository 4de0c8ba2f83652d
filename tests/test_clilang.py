"""The command line speaks Chinese by default: help, headings and its own usage errors."""

from __future__ import annotations

import click
import pytest

from packager.cli import cli, main
from packager.clilang import language_of
from packager.messages.cli import HELP_ZH


def test_every_command_and_option_has_chinese_help() -> None:
    """This test ensures no command or option of the CLI is left with only English help."""
    assert "" in HELP_ZH
    for name, command in cli.commands.items():
        assert name in HELP_ZH, name
        for param in command.params:
            if isinstance(param, click.Option):
                key = param.name or ""
                assert f"{name}.{key}" in HELP_ZH or f"*.{key}" in HELP_ZH, f"{name} {key}"


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    with pytest.raises(SystemExit) as info:
        main(args)
    out = capsys.readouterr()
    return int(info.value.code or 0), out.out + out.err


def test_help_is_chinese_by_default_and_english_on_request(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """This test ensures `--help` is Chinese by default (headings too), English with --lang en
    or PACKAGER_LANG=en, and Chinese again afterwards."""
    monkeypatch.delenv("PACKAGER_LANG", raising=False)
    code, text = _run(["build", "--help"], capsys)
    assert code == 0 and "用法：" in text and "选项：" in text and "生成材料包" in text
    assert "显示本帮助并退出" in text and "Usage:" not in text
    code, text = _run(["build", "--help", "--lang", "en"], capsys)
    assert "Usage:" in text and "Build the packet" in text and "生成材料包" not in text
    monkeypatch.setenv("PACKAGER_LANG", "en")
    code, text = _run(["--help"], capsys)
    assert "Commands:" in text
    monkeypatch.delenv("PACKAGER_LANG")
    code, text = _run(["--help"], capsys)
    assert "命令：" in text and "serve" in text


def test_usage_errors_are_chinese_with_what_to_type(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """This test ensures click's own errors (a missing CASE_DIR, a misspelt command) are told
    in Chinese with an example, exit 2, and in English with --lang en."""
    monkeypatch.delenv("PACKAGER_LANG", raising=False)
    code, text = _run(["build"], capsys)
    assert code == 2 and "缺少 CASE_DIR" in text and "packager build inbox/wang" in text
    assert "Missing argument" not in text
    code, text = _run(["biuld", "x"], capsys)
    assert code == 2 and "没有这个命令：biuld" in text and "build" in text
    code, text = _run(["build", "--lang", "en"], capsys)
    assert code == 2 and "Missing argument 'CASE_DIR'" in text


def test_language_is_read_from_the_command_line_first() -> None:
    """This test ensures --lang beats PACKAGER_LANG, in both spellings."""
    assert language_of(["build", "--lang", "en"]) == "en"
    assert language_of(["build", "--lang=en"]) == "en"
    assert language_of(["build", "x"]) in ("zh", "en")
