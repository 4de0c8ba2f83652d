"""Atomic publishing: a failed build never replaces or damages the previous bundle."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from packager.errors import OutputError
from packager.write.publish import publish


def _ok(_: Path) -> None:
    return None


def test_publish_and_replace(tmp_path: Path) -> None:
    """This test ensures files land owner-only and a second publish replaces the first."""
    out = publish(tmp_path, "case", {"a.pdf": b"one", "images/p1.jpg": b"x"}, _ok)
    assert (out / "a.pdf").read_bytes() == b"one"
    assert stat.S_IMODE((out / "a.pdf").stat().st_mode) == 0o600
    assert stat.S_IMODE(out.stat().st_mode) == 0o700
    publish(tmp_path, "case", {"a.pdf": b"two"}, _ok)
    assert (out / "a.pdf").read_bytes() == b"two"
    assert not (out / "images").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["case"]


def test_failed_verification_keeps_previous(tmp_path: Path) -> None:
    """This test ensures a bundle that fails verification is discarded and the old one stays."""
    publish(tmp_path, "case", {"a.pdf": b"good"}, _ok)

    def reject(_: Path) -> None:
        raise OutputError("bad")

    with pytest.raises(OutputError):
        publish(tmp_path, "case", {"a.pdf": b"broken"}, reject)
    assert (tmp_path / "case" / "a.pdf").read_bytes() == b"good"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["case"]


def test_leftovers_of_a_killed_run_are_cleaned(tmp_path: Path) -> None:
    """This test ensures staging folders left by a kill -9 are removed on the next publish."""
    (tmp_path / ".case.staging-abc").mkdir()
    (tmp_path / ".case.staging-abc" / "half.pdf").write_bytes(b"half")
    publish(tmp_path, "case", {"a.pdf": b"x"}, _ok)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["case"]


def test_unwritable_output_is_exit_7(tmp_path: Path) -> None:
    """This test ensures an output root that cannot be created is an OutputError."""
    blocker = tmp_path / "file"
    blocker.write_bytes(b"")
    with pytest.raises(OutputError) as info:
        publish(blocker / "out", "case", {"a.pdf": b"x"}, _ok)
    assert int(info.value.exit_code) == 7
