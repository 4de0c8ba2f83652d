"""Write a case's output aside, verify it, then swap it into ``out/<case>/`` at once.

The previous good bundle stays in place until the new one is complete and
verified; a crash at any moment leaves either the old bundle or the new one,
never a mix. Everything written is readable by the owner only.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
import tempfile
from collections.abc import Callable, Mapping
from functools import cache
from pathlib import Path
from typing import BinaryIO

from pypdf import PdfReader

from packager.errors import OutputError, UsageError
from packager.messages import both

RENAME_EXCHANGE = 2
AT_FDCWD = -100


@cache
def _renameat2() -> Callable[..., int] | None:
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        func = ctypes.CDLL(name, use_errno=True).renameat2
    except (OSError, AttributeError):
        return None
    func.restype = ctypes.c_int
    return func


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two directories (Linux renameat2); False where unsupported."""
    func = _renameat2()
    if func is None:
        return False
    result = func(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE)
    return result == 0


def _clean_leftovers(out_root: Path, name: str) -> None:
    """Remove staging folders a killed run left behind (ours, never the user's)."""
    for prefix in (f".{name}.staging-", f".{name}.old-"):
        for stale in out_root.glob(f"{prefix}*"):
            shutil.rmtree(stale, ignore_errors=True)


def publish(
    out_root: Path,
    name: str,
    files: Mapping[str, bytes | BinaryIO],
    verify: Callable[[Path], None],
) -> Path:
    """Write ``files`` (relative path -> bytes, or an open file copied in chunks) atomically.

    ``verify`` is called on the staging folder before the swap and raises
    ``OutputError`` to abandon it; the previous bundle is then left untouched.
    """
    try:
        out_root.mkdir(parents=True, exist_ok=True)
        _clean_leftovers(out_root, name)
        staging = Path(tempfile.mkdtemp(prefix=f".{name}.staging-", dir=out_root))
    except OSError as exc:
        raise OutputError(both("OUTPUT_NOT_WRITABLE", root=out_root, error=exc.strerror)) from exc
    try:
        for rel, data in files.items():
            target = staging / rel
            target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as fh:
                if isinstance(data, bytes):
                    fh.write(data)
                else:
                    data.seek(0)
                    shutil.copyfileobj(data, fh, 1 << 20)
                fh.flush()
                os.fsync(fh.fileno())
        verify(staging)
        final = out_root / name
        if final.exists():
            if _exchange(staging, final):
                shutil.rmtree(staging, ignore_errors=True)
            else:
                old = Path(tempfile.mkdtemp(prefix=f".{name}.old-", dir=out_root))
                final.rename(old / "bundle")
                staging.rename(final)
                shutil.rmtree(old, ignore_errors=True)
        else:
            staging.rename(final)
        final.chmod(0o700)
        return final
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise OutputError(
            both("OUTPUT_WRITE_FAILED", target=out_root / name, error=exc.strerror)
        ) from exc
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def case_path(case_dir: Path) -> Path:
    """``case_dir`` made absolute without following links: ``.`` and ``wang/`` name the case."""
    return Path(os.path.abspath(case_dir))  # noqa: PTH100 (resolve() follows links)


def _within(path: Path, folder: Path) -> bool:
    """True when ``path`` is ``folder`` or inside it, seen through links too."""
    for a, b in ((path, folder), (path.resolve(), folder.resolve())):
        if a == b or b in a.parents:
            return True
    return False


def default_out_root(case_dir: Path) -> Path:
    """Where a case's packet goes when no ``-o`` is given: never inside the case folder.

    ``out/`` beside ``inbox/`` when the case lives in an inbox; else ``./out``,
    unless the person stands inside the case folder, then ``../out`` beside it.
    """
    case = case_path(case_dir)
    if case.parent.name == "inbox":
        return case.parent.parent / "out"
    here = Path.cwd()
    if _within(here, case):
        return case.parent / "out"
    return here / "out"


def check_out_root(case_dir: Path, out_root: Path) -> None:
    """Refuse an output root inside the case folder: the case folder is only ever read."""
    case = case_path(case_dir)
    if _within(case_path(out_root), case):
        raise UsageError(both("OUT_INSIDE_CASE", out=out_root, case=case_dir))


def scratch_file(root: Path) -> BinaryIO:
    """An owner-only scratch file in the output folder, gone when closed (or on a crash).

    Full-resolution files (the mail packet) are written there, not into
    memory, so their images pass through memory one at a time.
    """
    try:
        root.mkdir(parents=True, exist_ok=True)
        return tempfile.TemporaryFile(dir=root)
    except OSError as exc:
        raise OutputError(both("OUTPUT_NOT_WRITABLE", root=root, error=exc.strerror)) from exc


def verify_pdf(path: Path, expected_pages: int) -> None:
    """Reopen a written PDF: it parses, has the pages it should and its bookmarks."""
    try:
        # From an open file pypdf reads only what it needs (xref, page tree,
        # outline), not every photo of a 300 MB print packet.
        with path.open("rb") as fh:
            reader = PdfReader(fh)
            pages = len(reader.pages)
            outline = reader.outline
    except Exception as exc:
        raise OutputError(both("VERIFY_FAILED", file=path.name, error=exc)) from exc
    if pages != expected_pages:
        raise OutputError(
            both("VERIFY_PAGES", file=path.name, pages=pages, expected=expected_pages)
        )
    if not outline:
        raise OutputError(both("VERIFY_OUTLINE", file=path.name))
