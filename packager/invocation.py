# ruff: noqa: PTH100, PTH109, PTH118, PTH121 -- shell words are strings; abspath keeps links
"""How the person typed ``packager``, so every command we print runs exactly as printed.

``packager`` when that name on PATH is this very program; else the entry point
that is running, relative to where the person stands when that is short, else
absolute. The CLI detects it once at start; everything else asks ``command()``.
"""

from __future__ import annotations

import os
import shlex
import shutil
import sys
from pathlib import Path

NAME = "packager"
_current = {"command": NAME}


def _same(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _shown(path: str, cwd: str) -> str:
    """``path`` relative to ``cwd`` when that stays below or beside it, else absolute."""
    rel = os.path.relpath(path, cwd)
    if rel.startswith(".." + os.sep + "..") or len(rel) > len(path):
        return shlex.quote(path)
    return shlex.quote(rel if os.sep in rel else f".{os.sep}{rel}")


def detect(argv0: str, path_env: str | None = None, cwd: str | None = None) -> str:
    """The command that starts this program from ``cwd``: ``packager`` or a path to it."""
    here = cwd or os.getcwd()
    if not argv0:
        return NAME
    entry = os.path.abspath(os.path.join(here, argv0))
    if Path(entry).name == "__main__.py":  # python -m packager
        return f"{_shown(sys.executable, here)} -m {NAME}"
    found = shutil.which(NAME, path=path_env if path_env is not None else os.environ.get("PATH"))
    if found is not None and _same(found, entry):
        return NAME
    return _shown(entry, here)


def set_command(command: str) -> None:
    """Remember how this run was started (called by the CLI)."""
    _current["command"] = command


def command() -> str:
    """The command to print before ``check``, ``build`` …; ``packager`` unless the CLI said else."""
    return _current["command"]


def absolute_command() -> str:
    """Like ``command()`` but runnable from any folder (for files a person reads later)."""
    words = shlex.split(command())
    if words[0] != NAME:
        words[0] = os.path.abspath(words[0])
    return shlex.join(words)


def quoted(path: Path | str) -> str:
    """A path as it must be typed in a shell (spaces and quotes escaped)."""
    return shlex.quote(str(path))
