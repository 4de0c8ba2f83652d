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

from packager.errors import OutputError

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
        raise OutputError(
            f"无法写入输出文件夹 {out_root}：{exc.strerror}。请检查权限或换一个 -o 位置。\n"
            f"Cannot write to {out_root}: {exc.strerror}."
        ) from exc
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
            f"写入 {out_root / name} 失败：{exc.strerror}。请检查磁盘空间和权限。\n"
            f"Writing {out_root / name} failed: {exc.strerror}."
        ) from exc
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
