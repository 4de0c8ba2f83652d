"""``packager init``: a new case folder a person can fill in without reading any manual.

Writes a commented case.toml (every field explained in Chinese, every value
left as ``""`` so ``check`` says "incomplete", exit 5, never "invalid", exit
3), one folder per document kind and a short 使用说明.txt. Never overwrites:
an existing case.toml is refused, and anything else already there is kept.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from packager import messages
from packager.errors import UsageError
from packager.invocation import absolute_command, quoted
from packager.models import KIND_ORDER
from packager.read.casefile import CASE_FILE
from packager.read.classify import FOLDERS
from packager.write.publish import case_path, default_out_root
from packager.write.render import TEMPLATES

USAGE_FILE = "使用说明.txt"
INIT_TEMPLATES = TEMPLATES / "init"


def _write_new(path: Path, data: bytes, mode: int) -> bool:
    """Create ``path`` with ``data``; False (and no change) when it already exists."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    except FileExistsError:
        return False
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    return True


def usage_text(case_dir: Path) -> str:
    """使用说明.txt with commands that run as printed from any folder (absolute paths)."""
    folder = case_path(case_dir)
    words = {
        "{command}": absolute_command(),
        "{folder}": quoted(folder),
        "{out}": f"{default_out_root(folder) / folder.name}/",
    }
    template = (INIT_TEMPLATES / USAGE_FILE).read_text(encoding="utf-8")
    for placeholder, value in words.items():
        template = template.replace(placeholder, value)
    return template


def init_case(case_dir: Path, lang: str = "zh") -> list[Path]:
    """Scaffold ``case_dir``; return what was created. Raises UsageError if a case.toml exists."""
    target = case_dir / CASE_FILE
    if case_dir.exists() and not case_dir.is_dir():
        raise UsageError(messages.render("INIT_NOT_FOLDER", lang, {"file": str(case_dir)}))
    if target.exists() or target.is_symlink():
        raise UsageError(messages.render("INIT_EXISTS", lang, {"file": str(target)}))
    case_dir.mkdir(parents=True, exist_ok=True)
    created: list[Path] = []
    # case.toml will hold an ID number: readable by its owner only.
    if not _write_new(target, (INIT_TEMPLATES / CASE_FILE).read_bytes(), 0o600):
        raise UsageError(messages.render("INIT_EXISTS", lang, {"file": str(target)}))
    created.append(target)
    for kind in KIND_ORDER:
        folder = case_dir / FOLDERS[kind][0]
        if not folder.exists():
            folder.mkdir()
            created.append(folder)
    usage = case_dir / USAGE_FILE
    if _write_new(usage, usage_text(case_dir).encode("utf-8"), 0o644):
        created.append(usage)
    return created


def init_example(case_dir: Path, today: date, lang: str = "zh") -> Path:
    """The demo case as a real folder to copy from; never over anything already there."""
    from packager.demo import write_demo_case

    if case_dir.exists() and (not case_dir.is_dir() or any(case_dir.iterdir())):
        raise UsageError(messages.render("INIT_EXISTS", lang, {"file": str(case_dir)}))
    return write_demo_case(case_dir, today)
