"""Nothing outlives a killed owner (issue 23 item 1).

The watcher, the web server and a CLI build are each started as real
processes on a case of large photos and killed with SIGKILL while their pool
is at work. Every process they had started (build child, forkserver, pool
workers, resource tracker) must be gone within 2 s. Processes are found and
counted through /proc (pid and start time, so a reused pid is not counted).
"""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from packager import lifeline
from tests.watchkit import make_case, photo_bytes

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc"),
]
DEADLINE = 2.0


def _stat(pid: int) -> tuple[int, str, str] | None:
    """(parent pid, state, start time) of a process, or None when it is gone."""
    fields = _fields(pid)
    return (int(fields[1]), fields[0], fields[19]) if fields else None


def _fields(pid: int) -> list[str]:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return []
    return text[text.rindex(")") + 2 :].split()


def _cpu(pid: int) -> float:
    """CPU seconds a process has used (user + system)."""
    fields = _fields(pid)
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK") if fields else 0.0


def descendants(root: int) -> dict[int, tuple[int, str, str]]:
    """Every living process below ``root``."""
    pids = [int(p.name) for p in Path("/proc").iterdir() if p.name.isdigit()]
    table = {pid: s for pid in pids if (s := _stat(pid))}
    found: dict[int, tuple[int, str, str]] = {}
    frontier = {root}
    while frontier:
        frontier = {pid for pid, s in table.items() if s[0] in frontier and pid not in found}
        found.update((pid, table[pid]) for pid in frontier)
    return found


def survivors(known: dict[int, tuple[int, str, str]]) -> list[int]:
    """The processes of ``known`` still running (same pid and start time, not a zombie)."""
    alive = []
    for pid, (_, _, started) in known.items():
        now = _stat(pid)
        if now is not None and now[2] == started and now[1] not in ("Z", "X"):
            alive.append(pid)
    return alive


def _case(tmp: Path, photos: int = 10) -> Path:
    case = make_case(tmp / "inbox")
    for i in range(photos):
        (case / "支出明细" / f"p{i}.jpg").write_bytes(photo_bytes(100 + i, (4000, 3000)))
    return case


def _start(args: list[str]) -> subprocess.Popen[bytes]:
    # Reading and clean-up on: each job takes seconds, so a guard that waits for jobs is seen.
    env = dict(os.environ, PACKAGER_CLEAN="1", PACKAGER_OCR="1")
    return subprocess.Popen(
        [sys.executable, "-m", "packager", *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def _busy_tree(proc: subprocess.Popen[bytes], least: int, timeout: float = 120.0) -> dict:
    """The owner's descendants once ``least`` exist and a worker is deep in a job.

    A worker that has run 3 CPU-seconds and is running is reading a photo
    (the OCR models loaded, a clean-up under way), so the kill lands mid-job.
    """
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        assert proc.poll() is None, "the owner ended before its pool was busy"
        tree = descendants(proc.pid)
        if len(tree) >= least and any(s[1] == "R" and _cpu(p) > 3 for p, s in tree.items()):
            return tree
        time.sleep(0.05)
    pytest.fail("the pool never got busy")


def _kill_and_count(proc: subprocess.Popen[bytes], tree: dict) -> tuple[list[int], float]:
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    killed = time.monotonic()
    while (left := survivors(tree)) and time.monotonic() - killed < DEADLINE + 8:
        time.sleep(0.02)
    for pid in left:  # never leave them running after a failed test
        os.kill(pid, signal.SIGKILL)
    return left, time.monotonic() - killed


@pytest.mark.skipif(not lifeline.supported(), reason="PR_SET_PDEATHSIG is Linux's")
def test_killed_watcher_leaves_no_process_behind(tmp_path: Path) -> None:
    """This test ensures a watcher killed with SIGKILL mid-build takes its build child,
    forkserver, pool workers and resource tracker with it within 2 s."""
    _case(tmp_path)
    proc = _start(
        ["watch", str(tmp_path / "inbox"), "-o", str(tmp_path / "out"), "--settle", "0.2"]
    )
    tree = _busy_tree(proc, least=5)  # tracker, build child, forkserver, two workers
    left, seconds = _kill_and_count(proc, tree)
    assert not left and seconds < DEADLINE, (left, seconds)


@pytest.mark.skipif(not lifeline.supported(), reason="PR_SET_PDEATHSIG is Linux's")
def test_killed_build_leaves_no_process_behind(tmp_path: Path) -> None:
    """This test ensures `packager build` killed with SIGKILL leaves no pool worker running."""
    case = _case(tmp_path)
    proc = _start(["build", str(case), "-o", str(tmp_path / "out")])
    tree = _busy_tree(proc, least=2)
    left, seconds = _kill_and_count(proc, tree)
    assert not left and seconds < DEADLINE, (left, seconds)


def _request(port: int, method: str, headers: dict[str, str], path: str = "/") -> tuple[int, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        conn.request(method, path, headers=headers)
        response = conn.getresponse()
        response.read()
        return response.status, response.getheader("set-cookie", "") or ""
    finally:
        conn.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.skipif(not lifeline.supported(), reason="PR_SET_PDEATHSIG is Linux's")
def test_killed_web_server_leaves_no_process_behind(tmp_path: Path) -> None:
    """This test ensures `packager serve` killed with SIGKILL while a build started from the
    page runs (in a thread, its pool from a forkserver) leaves no process behind."""
    _case(tmp_path)
    port = _free_port()
    args = ["serve", str(tmp_path / "inbox"), "-o", str(tmp_path / "out"), "--no-browser"]
    proc = _start([*args, "--port", str(port)])
    host = f"127.0.0.1:{port}"
    cookie = ""
    for _ in range(200):
        try:
            status, cookie = _request(port, "GET", {"Host": host})
            break
        except OSError:
            time.sleep(0.1)
    token = cookie.split("packager_csrf=", 1)[1].split(";", 1)[0]
    headers = {
        "Host": host,
        "Origin": f"http://{host}",
        "Cookie": f"packager_csrf={token}",
        "x-csrf-token": token,
    }
    status, _ = _request(port, "POST", headers, "/cases/wang/build")
    assert status == 202
    tree = _busy_tree(proc, least=4)  # tracker, forkserver, two workers
    left, seconds = _kill_and_count(proc, tree)
    assert not left and seconds < DEADLINE, (left, seconds)
