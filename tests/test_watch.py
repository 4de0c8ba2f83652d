"""``packager watch`` with the real observer on temporary folders.

Each test drives the watcher the way files really arrive: written slowly, in
bursts, under a temporary name, moved in and out, deleted, while it is stopped,
and with the watcher itself stopped or killed mid-build.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import signal
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from packager.pool import machine_jobs
from packager.watch.config import WatchConfig
from tests.conftest import GOOD_TOML
from tests.watchkit import (
    SETTLE,
    Process,
    Running,
    assert_consistent,
    descendants,
    gone,
    make_case,
    manifest,
    photo,
    photo_bytes,
    source_paths,
    until,
)

pytestmark = pytest.mark.watch

Start = Callable[..., Running]


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    folder = tmp_path / "inbox"
    folder.mkdir()
    return folder


@pytest.fixture
def out(tmp_path: Path) -> Path:
    return tmp_path / "out"


@pytest.fixture
def watching(inbox: Path, out: Path) -> Iterator[Start]:
    started: list[Running] = []

    def start(**options: Any) -> Running:
        """A running watcher; ``source_factory`` and ``mount`` go to the Watcher, the rest to its config."""
        seams = {k: options.pop(k) for k in ("source_factory", "mount") if k in options}
        config = WatchConfig(inbox, out, **{"settle": SETTLE, "give_up": 5.0, **options})
        running = Running(config, **seams)
        started.append(running)
        return running

    yield start
    for running in started:
        if running.thread.is_alive():
            running.stop()


def _finish(running: Running, timeout: float = 60.0) -> int | None:
    running.thread.join(timeout)
    assert not running.thread.is_alive(), "watch --once did not finish"
    return running.code


@pytest.mark.parametrize("settle", [SETTLE, 1.0])
def test_slow_writer_is_not_read_early(
    inbox: Path, out: Path, watching: Start, settle: float
) -> None:
    """This test ensures a photo written in chunks over 3 s is built only once it is whole; with
    a settle time of 1 s, early builds of the half-written photo never reach out/ either."""
    make_case(inbox)
    w = watching(settle=settle)
    w.wait("built", "wang")
    mark = w.mark()
    data = photo_bytes(42, size=(1200, 1600))
    target = inbox / "wang" / "收入证明" / "slow.jpg"
    step = len(data) // 10 + 1
    with target.open("wb") as fh:
        for offset in range(0, len(data), step):
            fh.write(data[offset : offset + step])
            fh.flush()
            last_write = time.time()
            time.sleep(0.3)
    built = until(
        lambda: [
            e for e in w.of("built", "wang", since=mark) if "收入证明/slow.jpg" in source_paths(out)
        ],
        what="a bundle with slow.jpg",
    )
    assert built
    for started in w.of("build_started", "wang", since=mark):
        assert started.at >= last_write, "a build started while the file was still being written"
    (entry,) = [s for s in manifest(out)["sources"] if s["path"] == "收入证明/slow.jpg"]
    assert entry["status"] == "ok"
    assert entry["sha256"] == hashlib.sha256(data).hexdigest()


def _staged(w: Running, case: str = "wang") -> bool:
    state = w.watcher.cases.get(case)
    return state is not None and state.staged is not None


@pytest.mark.parametrize("settle", [1.0, 2.0])
def test_early_build_is_published_only_once_the_case_settled(
    inbox: Path, out: Path, watching: Start, settle: float
) -> None:
    """This test ensures the bundle built while the settle time runs is the one published when
    nothing changed: the build is reported only after the settle time, with the new photo."""
    make_case(inbox)
    w = watching(settle=settle)
    w.wait("built", "wang")
    mark = w.mark()
    photo(inbox / "wang" / "收入证明" / "new.jpg", 31)
    written = time.time()
    built = w.wait("built", "wang", since=mark)
    assert built.data.get("early") is True
    (started,) = w.of("build_started", "wang", since=mark)
    assert started.at >= written + settle * 0.9, "reported before the case settled"
    assert "收入证明/new.jpg" in source_paths(out)
    assert manifest(out)["complete"] is True
    assert_consistent(out)


def test_early_build_is_dropped_when_the_case_changes(
    inbox: Path, out: Path, watching: Start
) -> None:
    """This test ensures a bundle staged early is never published once another file arrives:
    the one bundle published holds both photos."""
    make_case(inbox)
    w = watching(settle=3.0)
    w.wait("built", "wang")
    mark = w.mark()
    photo(inbox / "wang" / "收入证明" / "first.jpg", 32)
    until(lambda: _staged(w), timeout=20, what="an early build of first.jpg")
    photo(inbox / "wang" / "收入证明" / "second.jpg", 33)
    w.wait("built", "wang", since=mark)
    time.sleep(0.5)
    (built,) = w.of("built", "wang", since=mark)
    assert {"收入证明/first.jpg", "收入证明/second.jpg"} <= source_paths(out)
    assert built.data["pages"] == manifest(out)["outputs"][0]["pages"]
    assert_consistent(out)


def test_bulk_copy_is_not_built_early(inbox: Path, out: Path, watching: Start) -> None:
    """This test ensures a copy of many files at once waits for the settle time rather than
    holding the watcher in early builds: the one build comes after it, not staged."""
    make_case(inbox)
    w = watching(settle=1.0)
    w.wait("built", "wang")
    mark = w.mark()
    for i in range(6):
        photo(inbox / "wang" / "支出明细" / f"bulk_{i}.jpg", 80 + i)
    built = w.wait("built", "wang", since=mark)
    assert "early" not in built.data
    assert {f"支出明细/bulk_{i}.jpg" for i in range(6)} <= source_paths(out)


def test_writer_pausing_mid_file_is_waited_for(inbox: Path, out: Path, watching: Start) -> None:
    """This test ensures a half-written photo left alone longer than the settle time waits, unread."""
    make_case(inbox)
    w = watching()
    w.wait("built", "wang")
    mark = w.mark()
    data = photo_bytes(43, size=(1200, 1600))
    target = inbox / "wang" / "收入证明" / "paused.jpg"
    with target.open("wb") as fh:
        fh.write(data[: len(data) // 2])
        fh.flush()
        waiting = w.wait("waiting", "wang", since=mark, timeout=10)
        time.sleep(0.5)
        fh.write(data[len(data) // 2 :])
    done = time.time()
    assert waiting.data["file"] == "收入证明/paused.jpg"
    assert waiting.data["reason"] == "incomplete"
    w.wait("built", "wang", since=mark)
    for started in w.of("build_started", "wang", since=mark):
        assert started.at >= done
    assert "收入证明/paused.jpg" in source_paths(out)
    assert manifest(out)["complete"] is True


def test_burst_of_50_files_gives_one_or_two_builds(inbox: Path, out: Path, watching: Start) -> None:
    """This test ensures 50 photos dropped at once cause one or two builds, not fifty."""
    make_case(inbox)
    w = watching()
    w.wait("built", "wang")
    mark = w.mark()
    photos = [photo_bytes(100 + i) for i in range(50)]
    for i, data in enumerate(photos):
        (inbox / "wang" / "收入证明" / f"burst-{i:02d}.jpg").write_bytes(data)
    until(lambda: len(source_paths(out)) == 53, what="all 50 photos in the bundle")
    time.sleep(SETTLE * 4)  # nothing more should come
    builds = w.of("build_started", "wang", since=mark)
    assert 1 <= len(builds) <= 2, f"{len(builds)} builds for one burst"
    assert (
        manifest(out)["outputs"][0]["pages"] == w.of("built", "wang", since=mark)[-1].data["pages"]
    )
    assert_consistent(out)


def test_temp_name_rename_move_in_and_move_out(
    inbox: Path, out: Path, tmp_path: Path, watching: Start
) -> None:
    """This test ensures temp-then-rename writers, moves into the case and moves out all count."""
    make_case(inbox)
    w = watching()
    w.wait("built", "wang")
    mark = w.mark()
    part = inbox / "wang" / "收入证明" / "scan.jpg.part"
    part.write_bytes(photo_bytes(7))
    time.sleep(SETTLE * 3)
    assert w.of("build_started", "wang", since=mark) == [], "a .part file started a build"
    part.rename(part.with_name("scan.jpg"))
    outside = tmp_path / "elsewhere.jpg"
    outside.write_bytes(photo_bytes(8))
    outside.rename(inbox / "wang" / "支出明细" / "moved-in.jpg")
    (inbox / "wang" / "支出明细" / "账单.jpg").rename(tmp_path / "moved-out.jpg")
    expected = {
        "收入证明/工资.jpg",
        "收入证明/scan.jpg",
        "支出明细/moved-in.jpg",
        "疾病证明/诊断.jpg",
    }
    until(lambda: source_paths(out) == expected, what="renamed and moved files in the bundle")
    assert not any(".part" in s["path"] for s in manifest(out)["sources"])


def test_deleted_scan_disappears(inbox: Path, out: Path, watching: Start) -> None:
    """This test ensures a deleted photo is gone from the next bundle, which becomes a draft."""
    make_case(inbox)
    w = watching()
    first = w.wait("built", "wang")
    mark = w.mark()
    (inbox / "wang" / "疾病证明" / "诊断.jpg").unlink()
    second = w.wait("built", "wang", since=mark)
    assert second.data["pages"] == first.data["pages"] - 1
    assert second.data["complete"] is False
    assert "疾病证明/诊断.jpg" not in source_paths(out)
    assert "MISSING_MEDICAL" in {f["code"] for f in manifest(out)["findings"]}


def test_broken_case_next_to_good_one(inbox: Path, out: Path, watching: Start) -> None:
    """This test ensures a bad case.toml and a corrupt photo are reported while all else goes on."""
    make_case(inbox, "good")
    make_case(inbox, "bad", toml=GOOD_TOML.replace('name = "王测试"', "name = 王测试"), seed=20)
    w = watching(give_up=1.0)
    failed = w.wait("failed", "bad")
    assert failed.data["exit_code"] == 3
    assert "case.toml" in failed.data["error"]
    w.wait("built", "good")
    assert not (out / "bad").exists()
    mark = w.mark()
    broken = inbox / "good" / "收入证明" / "broken.jpg"
    broken.write_bytes(photo_bytes(30)[:400] + b"\x00" * 3000)
    waiting = w.wait("waiting", "good", since=mark)
    assert waiting.data["file"] == "收入证明/broken.jpg"
    built = w.wait("built", "good", since=mark)  # after give_up: built, the file reported
    assert built.data["findings"]["warning"] >= 1
    entry = [s for s in manifest(out, "good")["sources"] if s["path"] == "收入证明/broken.jpg"]
    assert entry[0]["status"] == "failed"
    # Its data stops before a JPEG's end marker: truncated, judged from the bytes (issue 15).
    assert "TRUNCATED_FILE" in {f["code"] for f in manifest(out, "good")["findings"]}
    (inbox / "bad" / "case.toml").write_text(GOOD_TOML, encoding="utf-8")
    fixed = w.wait("built", "bad", since=mark)
    assert fixed.data["complete"] is True
    assert w.of("failed", "bad") == [failed], "a failed case was retried without a change"


def test_restart_builds_exactly_the_changed_cases(inbox: Path, out: Path, watching: Start) -> None:
    """This test ensures changes made while stopped are built at the next start, and only those."""
    make_case(inbox, "a")
    make_case(inbox, "b", seed=10)
    first = watching(once=True)
    assert _finish(first) == 0
    assert {e.case for e in first.of("built")} == {"a", "b"}
    untouched = (out / "b" / "manifest.json").stat().st_mtime_ns
    photo(inbox / "a" / "收入证明" / "while-stopped.jpg", 77)
    second = watching(once=True)
    assert _finish(second) == 0
    assert [e.case for e in second.of("built")] == ["a"]
    assert [e.case for e in second.of("up_to_date")] == ["b"]
    assert "收入证明/while-stopped.jpg" in source_paths(out, "a")
    assert (out / "b" / "manifest.json").stat().st_mtime_ns == untouched
    third = watching(once=True)
    assert _finish(third) == 0
    assert third.of("build_started") == []


def test_abandoned_build_keeps_the_previous_bundle(inbox: Path, out: Path, watching: Start) -> None:
    """This test ensures a stop mid-build publishes nothing partial and the next start catches up."""
    make_case(inbox)
    for i in range(12):
        photo(inbox / "wang" / "收入证明" / f"p{i}.jpg", 50 + i)
    w = watching(grace=0.0)
    w.wait("built", "wang")
    before = manifest(out)
    mark = w.mark()
    photo(inbox / "wang" / "收入证明" / "late.jpg", 99)
    w.wait("build_started", "wang", since=mark)
    began = time.monotonic()
    assert w.stop() == 0
    assert time.monotonic() - began < 5
    assert [e.kind for e in w.of("abandoned", since=mark)] == ["abandoned"]
    assert manifest(out) == before
    assert_consistent(out)
    again = watching(once=True)
    assert _finish(again) == 0
    assert "收入证明/late.jpg" in source_paths(out)


def test_dead_observer_is_restarted(inbox: Path, out: Path, watching: Start) -> None:
    """This test ensures a watcher whose observer thread died starts a new one and sees changes."""
    make_case(inbox)
    w = watching()
    w.wait("built", "wang")
    mark = w.mark()
    source = w.watcher.supervisor.source
    assert source is not None
    source.stop()  # as if an exception had killed watchdog's thread
    w.wait("observer_restarted", since=mark, timeout=10)
    photo(inbox / "wang" / "收入证明" / "after.jpg", 61)
    until(lambda: "收入证明/after.jpg" in source_paths(out), what="a change after the restart")


def test_crashed_build_process_is_reported_and_replaced(
    inbox: Path, out: Path, watching: Start
) -> None:
    """This test ensures a build process killed mid-build fails that build only; the next works.
    Its pool workers, which it had no chance to stop, exit too."""
    make_case(inbox)
    w = watching()
    w.wait("built", "wang")
    mark = w.mark()
    photo(inbox / "wang" / "收入证明" / "one.jpg", 71)
    w.wait("build_started", "wang", since=mark)
    proc = w.watcher.worker._proc
    assert proc is not None
    pool = descendants(proc.pid) if Path("/proc/self/stat").exists() else set()
    os.kill(proc.pid, signal.SIGKILL)
    failed = w.wait("failed", "wang", since=mark)
    assert failed.data["exit_code"] == 1
    assert "SIGKILL" in failed.data["error"]
    try:
        until(lambda: all(gone(pid) for pid in pool), timeout=10, what="the orphaned pool to exit")
    finally:
        for pid in pool:
            if not gone(pid):
                os.kill(pid, signal.SIGKILL)
    assert_consistent(out)
    photo(inbox / "wang" / "收入证明" / "two.jpg", 72)
    until(
        lambda: {"收入证明/one.jpg", "收入证明/two.jpg"} <= source_paths(out),
        what="both photos after the crash",
    )


needs_pool = pytest.mark.skipif(
    machine_jobs() < 2 or not Path("/proc/self/stat").exists(),
    reason="a pool needs two CPUs; processes are listed from /proc",
)


@needs_pool
def test_build_process_keeps_one_pool_across_builds(
    inbox: Path, out: Path, watching: Start
) -> None:
    """This test ensures the build process is not a daemon, so page images are made by a pool,
    and the same pool processes serve the next build (none is started per build)."""
    make_case(inbox)
    w = watching()
    w.wait("built", "wang")
    proc = w.watcher.worker._proc
    assert proc is not None and not proc.daemon
    pool = descendants(proc.pid)
    assert len(pool) >= 3, "a forkserver and two workers"
    mark = w.mark()
    photo(inbox / "wang" / "收入证明" / "more.jpg", 41)
    w.wait("built", "wang", since=mark)
    assert w.watcher.worker._proc is proc
    assert descendants(proc.pid) == pool


def test_polling_mode_sees_changes(inbox: Path, out: Path, watching: Start) -> None:
    """This test ensures an inbox on NFS switches to polling by itself, and polling sees drops."""
    make_case(inbox)
    w = watching(mount=lambda path: "nfs4")
    assert w.wait("polling").data["fstype"] == "nfs4"
    assert w.wait("start").data["mode"] == "polling"
    w.wait("built", "wang")
    photo(inbox / "wang" / "收入证明" / "polled.jpg", 81)
    until(lambda: "收入证明/polled.jpg" in source_paths(out), what="a polled change")


def test_inbox_that_vanishes_and_returns_is_watched_again(
    inbox: Path, out: Path, tmp_path: Path, watching: Start
) -> None:
    """This test ensures an inbox that disappears (a dropped share) is waited for, then watched."""
    make_case(inbox)
    w = watching()
    w.wait("built", "wang")
    mark = w.mark()
    inbox.rename(tmp_path / "unmounted")
    w.wait("inbox_missing", since=mark, timeout=10)
    (tmp_path / "unmounted").rename(inbox)
    w.wait("observer_restarted", since=mark, timeout=10)
    assert w.of("removed", since=mark) == [], "a missing inbox is not a removed case"
    photo(inbox / "wang" / "收入证明" / "back.jpg", 85)
    until(lambda: "收入证明/back.jpg" in source_paths(out), what="a change after the return")


class DeafSource:
    """A change source that never reports anything, as on a share where events are lost."""

    mode = "deaf"

    def __init__(self, *args: object, **kwargs: object) -> None:
        pass

    def start(self) -> None:
        pass

    def stop(self) -> None:
        pass

    def alive(self) -> bool:
        return True


def test_rescan_catches_changes_events_missed(inbox: Path, out: Path, watching: Start) -> None:
    """This test ensures the periodic rescan builds changes no event announced."""
    make_case(inbox)
    w = watching(rescan=1.0, source_factory=DeafSource)
    w.wait("built", "wang")
    photo(inbox / "wang" / "收入证明" / "unannounced.jpg", 91)
    make_case(inbox, "newcomer", seed=30)
    until(lambda: "收入证明/unannounced.jpg" in source_paths(out), what="the rescan")
    until(lambda: (out / "newcomer" / "manifest.json").exists(), what="a new case found by rescan")


# -- as a real process -------------------------------------------------------------------


@contextlib.contextmanager
def _mid_build(inbox: Path, tmp_path: Path) -> Iterator[tuple[Process, int]]:
    """A real ``packager watch`` process rebuilding a 13-photo case: (process, event mark)."""
    make_case(inbox)
    for i in range(12):
        photo(inbox / "wang" / "收入证明" / f"p{i}.jpg", 50 + i)
    watch = Process(tmp_path, "inbox", "-o", "out", "--settle", str(SETTLE))
    try:
        watch.wait("built")
        mark = len(watch.events)
        photo(inbox / "wang" / "收入证明" / "late.jpg", 99)
        watch.wait("build_started", since=mark)
        yield watch, mark
    finally:
        watch.close()


def test_sigterm_during_build_stops_cleanly(inbox: Path, out: Path, tmp_path: Path) -> None:
    """This test ensures SIGTERM mid-build exits 0 within seconds and leaves a whole bundle."""
    with _mid_build(inbox, tmp_path) as (watch, mark):
        began = time.monotonic()
        watch.proc.send_signal(signal.SIGTERM)
        assert watch.proc.wait(15) == 0
        assert time.monotonic() - began < 6
        watch.wait("stop", since=mark)
        kinds = [e["event"] for e in watch.events[mark:]]
        assert "built" in kinds or "abandoned" in kinds
        assert_consistent(out)


@needs_pool
def test_kill_9_ends_the_build_process_and_its_pool(inbox: Path, out: Path, tmp_path: Path) -> None:
    """This test ensures kill -9 of the watcher mid-build leaves no process behind: the build
    process (not a daemon), its pool workers, their forkserver and the resource tracker exit."""
    below: set[int] = set()
    try:
        with _mid_build(inbox, tmp_path) as (watch, _):
            below = descendants(watch.proc.pid)
            assert len(below) >= 5, "resource tracker, build process, forkserver, two workers"
            watch.proc.kill()
            watch.proc.wait(10)
            until(lambda: all(gone(pid) for pid in below), timeout=15, what="every process to exit")
    finally:
        for pid in below:
            if not gone(pid):
                os.kill(pid, signal.SIGKILL)


def test_kill_9_during_build_then_restart(inbox: Path, out: Path, tmp_path: Path) -> None:
    """This test ensures kill -9 mid-build leaves the old bundle whole and the next start rebuilds."""
    with _mid_build(inbox, tmp_path) as (watch, _):
        watch.proc.kill()
        watch.proc.wait(10)
    time.sleep(1.0)  # the orphaned build process notices and stops
    data = manifest(out)
    assert_consistent(out, leftovers=False)
    restart = Process(tmp_path, "inbox", "-o", "out", "--settle", str(SETTLE), "--once")
    try:
        assert restart.proc.wait(60) == 0
        kinds = [e["event"] for e in restart.events]
        if "收入证明/late.jpg" in {s["path"] for s in data["sources"]}:
            assert "up_to_date" in kinds  # the orphan finished its publish before it stopped
        else:
            assert "built" in kinds
    finally:
        restart.close()
    assert "收入证明/late.jpg" in source_paths(out)
    assert_consistent(out)


def test_holidays_file_change_rebuilds_every_case(inbox: Path, out: Path, watching: Start) -> None:
    """This test ensures saving inbox/holidays.toml (outside every case folder) rebuilds every
    case with the new working days, and that a watcher started later sees it is built."""
    from datetime import date, timedelta

    make_case(inbox, "a")
    make_case(inbox, "b", seed=10)
    w = watching()
    w.wait("built", "a")
    w.wait("built", "b")
    before = {case: manifest(out, case)["review_window"] for case in ("a", "b")}
    first = date.today() + timedelta(days=1)
    last = min(first + timedelta(days=13), date(first.year, 12, 31))
    mark = w.mark()
    (inbox / "holidays.toml").write_text(
        f'[{first.year}]\noff = ["{first.isoformat()} 至 {last.isoformat()}"]\nwork = []\n',
        encoding="utf-8",
    )
    w.wait("built", "a", since=mark)
    w.wait("built", "b", since=mark)
    for case in ("a", "b"):
        window = manifest(out, case)["review_window"]
        assert window != before[case], window
        assert any("holidays.toml" in str(s["detail"]) for s in window["sources"]), window
    w.stop()
    again = watching(once=True)
    assert _finish(again) == 0
    assert again.of("build_started") == []
