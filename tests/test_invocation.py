"""Every command the tool prints runs exactly as printed, from where the person stands."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from packager import invocation
from packager.scaffold import USAGE_FILE


@pytest.fixture(autouse=True)
def _reset() -> Iterator[None]:
    yield
    invocation.set_command(invocation.NAME)


def entry_point(folder: Path) -> Path:
    """A console script like pip writes into .venv/bin, importing this checkout."""
    folder.mkdir(parents=True, exist_ok=True)
    script = folder / "packager"
    script.write_text(
        f"#!{sys.executable}\nimport sys\nsys.path.insert(0, {str(Path.cwd())!r})\n"
        "from packager.cli import main\nmain()\n",
        encoding="utf-8",
    )
    script.chmod(0o755)
    return script


def test_detect_names_the_entry_point(tmp_path: Path) -> None:
    """This test ensures `packager` is printed only when PATH finds this program, else its path."""
    script = entry_point(tmp_path / "repo" / ".venv" / "bin")
    repo = str(tmp_path / "repo")
    assert invocation.detect(str(script), path_env="", cwd=repo) == ".venv/bin/packager"
    assert invocation.detect(str(script), path_env=str(script.parent), cwd=repo) == "packager"
    other = entry_point(tmp_path / "other")
    assert invocation.detect(str(script), path_env=str(other.parent), cwd=repo) != "packager"
    far = tmp_path / "a" / "b" / "c"
    far.mkdir(parents=True)
    assert invocation.detect(str(script), path_env="", cwd=str(far)) == str(script)
    main_py = str(Path(invocation.__file__).parent / "__main__.py")
    assert invocation.detect(main_py, path_env="", cwd=repo).endswith(" -m packager")


def _printed_command(text: str, verb: str) -> str:
    match = re.search(rf"^\s+(\S+ {verb} .+?)\s*$", text, re.MULTILINE)
    assert match, text
    return match.group(1)


def test_init_commands_run_as_printed(tmp_path: Path) -> None:
    """This test ensures init's last line and 使用说明.txt give commands a shell runs as they are."""
    repo = tmp_path / "repo"
    entry_point(repo / ".venv" / "bin")
    env = {**os.environ, "PATH": "/usr/bin:/bin", "PACKAGER_LANG": "zh"}
    done = subprocess.run(
        [".venv/bin/packager", "init", "inbox/王 小明"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert ".venv/bin/packager check 'inbox/王 小明'" in done.stderr
    assert "make install" in done.stderr
    printed = _printed_command(done.stderr, "check")
    ran = subprocess.run(["bash", "-c", printed], cwd=repo, env=env, capture_output=True, text=True)
    assert ran.returncode == 5, ran.stderr  # incomplete, not "command not found" (127)
    usage = (repo / "inbox" / "王 小明" / USAGE_FILE).read_text(encoding="utf-8")
    for verb, code in (("check", 5), ("build", 5)):
        line = _printed_command(usage, verb)
        elsewhere = subprocess.run(
            ["bash", "-c", line], cwd=tmp_path, env=env, capture_output=True, text=True
        )
        assert elsewhere.returncode == code, (line, elsewhere.stderr)
    assert (repo / "out" / "王 小明" / "manifest.json").is_file()
    assert str(repo / "out" / "王 小明") in usage
