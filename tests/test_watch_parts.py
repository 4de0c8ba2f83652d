"""The watcher's parts without the observer: probes, staleness, mounts, refusals."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import time
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from packager import api
from packager.cli import main
from packager.manifest import up_to_date
from packager.models import PacketPlan
from packager.pool import Workers
from packager.read.prepare import Prepared
from packager.watch.cases import CaseMachine, CaseState
from packager.watch.config import WatchConfig
from packager.watch.events import Reporter, WatchEvent
from packager.watch.handler import Early, Handler
from packager.watch.loop import Watcher
from packager.watch.observer import case_of, mount_type, needs_polling
from packager.watch.protocol import (
    Build,
    BuildReply,
    Commit,
    Failure,
    NotStaged,
    Probe,
    ProbeReply,
    Quit,
    Reply,
    Request,
    Stage,
    StagedReply,
)
from packager.watch.readiness import Readiness, Verdict, probe, snapshot
from packager.write import plan
from tests.conftest import TODAY, make_pdf
from tests.watchkit import descendants, gone, make_case, manifest, photo, photo_bytes, until

# -- readiness -------------------------------------------------------------------------


def test_probe_tells_finished_from_half_written(tmp_path: Path) -> None:
    """This test ensures a truncated photo or PDF is 'incomplete' and the whole file 'ready'.

    WeasyPrint is imported first on purpose: it tells Pillow to accept truncated images.
    """
    import weasyprint  # noqa: F401

    data = photo_bytes(5)
    (tmp_path / "half.jpg").write_bytes(data[: len(data) // 2])
    (tmp_path / "whole.jpg").write_bytes(data)
    make_pdf(tmp_path / "whole.pdf", [(595, 842, 0)])
    pdf = (tmp_path / "whole.pdf").read_bytes()
    (tmp_path / "half.pdf").write_bytes(pdf[: len(pdf) - 40])
    (tmp_path / "empty.jpg").write_bytes(b"")
    (tmp_path / "notes.txt").write_text("not a scan")
    assert probe(tmp_path / "whole.jpg").status is Readiness.READY
    assert probe(tmp_path / "whole.pdf").status is Readiness.READY
    assert probe(tmp_path / "notes.txt").status is Readiness.READY  # intake reports it
    assert probe(tmp_path / "half.jpg").status is Readiness.INCOMPLETE
    assert probe(tmp_path / "half.pdf").status is Readiness.INCOMPLETE
    assert probe(tmp_path / "empty.jpg").status is Readiness.INCOMPLETE
    assert probe(tmp_path / "gone.jpg").status is Readiness.GONE


@pytest.mark.parametrize("code", [errno.EBUSY, errno.EACCES])
def test_locked_file_is_busy_not_failed(tmp_path: Path, monkeypatch, code: int) -> None:
    """This test ensures EBUSY/EACCES (a scanner still holding the file on SMB) mean 'busy'."""
    photo(tmp_path / "a.jpg", 1)

    def locked(*args: object, **kwargs: object) -> int:
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr("packager.watch.readiness.os.open", locked)
    verdict = probe(tmp_path / "a.jpg")
    assert verdict.status is Readiness.BUSY
    assert verdict.detail == os.strerror(code)


def test_snapshot_sees_what_intake_sees(tmp_path: Path) -> None:
    """This test ensures the fingerprint covers case.toml and scans, but not junk or README."""
    case = make_case(tmp_path / "inbox")
    (case / ".DS_Store").write_bytes(b"x")
    (case / "README.md").write_text("notes")
    (case / "收入证明" / "scan.jpg.part").write_bytes(b"x")
    snap = snapshot(case)
    assert snap is not None
    assert [f.rel for f in snap.files] == [
        "case.toml",
        "支出明细/账单.jpg",
        "收入证明/工资.jpg",
        "疾病证明/诊断.jpg",
    ]
    assert snapshot(tmp_path / "inbox" / "nobody") is None


# -- staleness -------------------------------------------------------------------------


def test_up_to_date_compares_every_hash(tmp_path: Path) -> None:
    """This test ensures any new, changed or deleted source, or case.toml edit, makes a case stale."""
    case = make_case(tmp_path / "inbox")
    out = tmp_path / "out"
    assert not up_to_date(case, out)  # never built
    api.build_case(case, out, api.Settings(today=TODAY))
    assert up_to_date(case, out)
    photo(case / "收入证明" / "new.jpg", 9)
    assert not up_to_date(case, out)
    (case / "收入证明" / "new.jpg").unlink()
    assert up_to_date(case, out)
    (case / "case.toml").write_text(
        (case / "case.toml").read_text(encoding="utf-8") + "\n", encoding="utf-8"
    )
    assert not up_to_date(case, out)
    api.build_case(case, out, api.Settings(today=TODAY))
    (case / "支出明细" / "账单.jpg").unlink()
    assert not up_to_date(case, out)


def test_up_to_date_doubts_a_damaged_bundle(tmp_path: Path) -> None:
    """This test ensures a missing or truncated output, or a garbled manifest, means rebuild."""
    case = make_case(tmp_path / "inbox")
    out = tmp_path / "out"
    outcome = api.build_case(case, out, api.Settings(today=TODAY))
    pdf = out / "wang" / outcome.outputs[0].path
    pdf.write_bytes(pdf.read_bytes()[:100])
    assert not up_to_date(case, out)
    api.build_case(case, out, api.Settings(today=TODAY))
    (out / "wang" / "manifest.json").write_text("{", encoding="utf-8")
    assert not up_to_date(case, out)


# -- events and mounts -------------------------------------------------------------------


def test_case_of_ignores_junk_hidden_and_loose_files() -> None:
    """This test ensures only changes inside a case folder count, never junk or hidden names."""
    inbox = "/data/inbox"
    assert case_of(inbox, "/data/inbox/wang/收入证明/a.jpg") == "wang"
    assert case_of(inbox, "/data/inbox/wang") == "wang"
    assert case_of(inbox, "/data/inbox/wang/a.jpg.part") is None
    assert case_of(inbox, "/data/inbox/wang/.~lock.x#") is None
    assert case_of(inbox, "/data/inbox/.hidden/a.jpg") is None
    assert case_of(inbox, "/data/inbox/@eaDir/a.jpg") is None
    assert case_of(inbox, "/data/inbox") is None
    assert case_of(inbox, "/data/out/wang/a.pdf") is None


def test_network_and_fuse_mounts_choose_polling(tmp_path: Path) -> None:
    """This test ensures inboxes on NFS, CIFS and FUSE are recognised from the mount table."""
    mounts = tmp_path / "mounts"
    mounts.write_text(
        "/dev/sda1 / ext4 rw 0 0\n"
        "server:/export /mnt/nas nfs4 rw 0 0\n"
        "//box/scans /mnt/my\\040scans cifs rw 0 0\n"
        "sshfs#me@host: /mnt/remote fuse.sshfs rw 0 0\n",
        encoding="utf-8",
    )
    assert mount_type(Path("/mnt/nas/inbox"), mounts) == "nfs4"
    assert mount_type(Path("/mnt/my scans/inbox"), mounts) == "cifs"
    assert mount_type(Path("/mnt/remote/x"), mounts) == "fuse.sshfs"
    assert mount_type(Path("/home/me/inbox"), mounts) == "ext4"
    assert [needs_polling(t) for t in ("nfs4", "cifs", "fuse.sshfs", "ext4", None)] == [
        True,
        True,
        True,
        False,
        False,
    ]


# -- refusing to start ---------------------------------------------------------------------


def test_refuses_out_inside_inbox(tmp_path: Path, capsys) -> None:
    """This test ensures OUT inside INBOX (a feedback loop) exits 2 naming both folders."""
    (tmp_path / "inbox").mkdir()
    with pytest.raises(SystemExit) as info:
        main(["watch", str(tmp_path / "inbox"), "-o", str(tmp_path / "inbox" / "out")])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert "位于收件箱" in err and "-o" in err
    assert not (tmp_path / "inbox" / "out").exists()


def test_refuses_missing_inbox_and_inbox_inside_out(tmp_path: Path, capsys) -> None:
    """This test ensures a missing inbox, or an inbox inside OUT, exits 2 with a clear message."""
    with pytest.raises(SystemExit) as info:
        main(["watch", str(tmp_path / "nowhere"), "--lang", "en"])
    assert info.value.code == 2
    assert "does not exist" in capsys.readouterr().err
    (tmp_path / "inbox").mkdir()
    with pytest.raises(SystemExit) as info:
        main(["watch", str(tmp_path / "inbox"), "-o", str(tmp_path), "--lang", "en"])
    assert info.value.code == 2
    assert "inside the output folder" in capsys.readouterr().err


def test_busy_file_waits_and_never_fails(tmp_path: Path) -> None:
    """This test ensures a file that stays locked holds its case back instead of failing it."""
    make_case(tmp_path / "inbox")
    config = WatchConfig(tmp_path / "inbox", tmp_path / "out", settle=0.1, give_up=0.0)
    events: list[WatchEvent] = []

    class LockedWorker:
        calls = 0

        def call(self, request: Request) -> Reply:
            assert isinstance(request, Probe), "a build started while a file was locked"
            LockedWorker.calls += 1
            return ProbeReply((Verdict(Readiness.BUSY, "Device or resource busy"),) * 3)

    machine = CaseMachine(
        config, LockedWorker(), Reporter(events.append), inbox=config.inbox, out=config.out
    )
    state = CaseState("wang", due=time.monotonic())
    time.sleep(0.2)  # let the new files settle
    for _ in range(5):
        assert machine.look(state)
    assert LockedWorker.calls == 5
    assert [e.kind for e in events].count("waiting") == 3  # one line per file, not per retry
    assert {e.data["reason"] for e in events} == {"busy"}
    assert not (tmp_path / "out" / "wang").exists()


# -- the pool of the build process --------------------------------------------------------

POOL_OWNER = """
import threading, time
from packager.pool import Workers
threading.Thread(target=time.sleep, args=(600,), daemon=True).start()  # threads: forkserver
workers = Workers(2)
workers.map(time.sleep, [0.2, 0.2])
workers.submit(time.sleep, [600, 600, 600])
print("busy", flush=True)
time.sleep(600)
"""


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="lists processes in /proc")
def test_pool_workers_exit_when_their_owner_is_killed() -> None:
    """This test ensures pool workers busy with a job, their forkserver and resource tracker all
    exit when the process owning the pool is SIGKILLed and so never shuts the pool down."""
    root = Path(__file__).resolve().parents[1]
    env = {**os.environ, "PYTHONPATH": str(root)}
    owner = subprocess.Popen(
        [sys.executable, "-c", POOL_OWNER],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,  # the orphaned resource tracker's complaint
        text=True,
        env=env,
    )
    below: set[int] = set()
    try:
        assert owner.stdout is not None
        assert owner.stdout.readline().strip() == "busy"
        below = descendants(owner.pid)
        assert len(below) >= 4, "resource tracker, forkserver and two workers"
        owner.kill()
        owner.wait(10)
        until(lambda: all(gone(pid) for pid in below), timeout=10, what="the pool to exit")
    finally:
        owner.kill()
        owner.wait(10)
        if owner.stdout is not None:
            owner.stdout.close()
        for pid in below:
            if not gone(pid):
                os.kill(pid, signal.SIGKILL)


def test_pool_replaces_itself_after_a_worker_died() -> None:
    """This test ensures a long-lived pool whose worker died (OOM killer, signal) fails only the
    batch that was running; the next batch gets a fresh pool instead of failing for good."""
    with Workers(2) as workers:
        assert workers.map(abs, [-1, -2]) == [1, 2]
        with pytest.raises(BrokenProcessPool):
            workers.map(os._exit, [9, 9])
        assert workers.map(abs, [-3, -4]) == [3, 4]


def _pid(_: int) -> int:
    return os.getpid()


def test_one_job_runs_in_a_worker_and_survives_a_dead_pool() -> None:
    """This test ensures ``submit_one`` (the web page's reads) runs even with one worker in a
    process of its own, never inline, and that after a worker died the next job gets a fresh
    pool rather than failing for good."""
    with Workers(1) as workers:
        workers.start()
        assert workers.submit_one(_pid, 0).result() != os.getpid()
        with pytest.raises(BrokenProcessPool):
            workers.submit_one(os._exit, 9).result()
        assert workers.submit_one(abs, -5).result() == 5


def test_build_process_guesses_the_letter_length_of_the_last_build(
    tmp_path: Path, monkeypatch
) -> None:
    """This test ensures the build process remembers each case's letter length and passes it to
    that case's next build as the first guess (one letter render instead of two)."""
    from packager.cache.pages import PageCache

    case = make_case(tmp_path / "inbox")
    guesses: list[int] = []
    real = plan.plan_packet

    def spy(prep: Prepared, today: date, letter_pages: int = 2) -> PacketPlan:
        guesses.append(letter_pages)
        return real(prep, today, letter_pages)

    monkeypatch.setattr(api, "plan_packet", spy)  # where the runner looks it up
    request = Build(case, tmp_path / "out", "zh", TODAY)
    other = tmp_path / "inbox" / "other"
    letters = {case: 7, other: 3}  # a wrong guess to start
    with Workers(1) as workers:
        handler = Handler(PageCache(tmp_path / "out" / ".cache"), workers, letters)
        assert isinstance(handler.handle(request), BuildReply)
        pages = manifest(tmp_path / "out")["sources"][0]["first_page"] - 1
        assert letters[case] == pages
        assert isinstance(handler.handle(request), BuildReply)
    assert guesses == [7, pages]
    assert letters[other] == 3


WORKER_LEFT_OPEN = """
import sys
from pathlib import Path
from packager.watch.child import Worker

worker = Worker(Path(sys.argv[1]), lambda: False)
worker.start()
print(worker._proc.pid, flush=True)
"""  # and exits without worker.close()


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="looks at processes in /proc")
def test_build_process_left_open_does_not_block_exit(tmp_path: Path) -> None:
    """This test ensures a watcher that exits without closing its build process (not a daemon,
    which multiprocessing would wait for at exit) still exits, and ends the child."""
    root = Path(__file__).resolve().parents[1]
    env = {**os.environ, "PYTHONPATH": str(root)}
    done = subprocess.run(
        [sys.executable, "-c", WORKER_LEFT_OPEN, str(tmp_path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    child = int(done.stdout.split()[0])
    until(lambda: gone(child), timeout=10, what="the build process to exit")


class _DeafSource:
    mode = "deaf"

    def __init__(self, *args: object, **kwargs: object) -> None:
        pass

    def start(self) -> None:
        pass

    def stop(self) -> None:
        raise OSError("the observer would not stop")

    def alive(self) -> bool:
        return True


def test_watcher_ends_its_build_process_on_any_error(tmp_path: Path) -> None:
    """This test ensures a bug in the watcher, even one in stopping the observer, still ends the
    build process, which is not a daemon and would otherwise keep the watcher from exiting."""
    make_case(tmp_path / "inbox")
    config = WatchConfig(tmp_path / "inbox", tmp_path / "out", settle=0.1)
    started: list[int] = []

    def broken(event: WatchEvent) -> None:  # a bug once the build process and observer run
        if event.kind == "start":
            started.append(watcher.worker._proc.pid)
            raise RuntimeError("a bug")

    watcher = Watcher(config, broken, source_factory=_DeafSource)
    with pytest.raises(OSError, match="would not stop"):
        watcher.run()
    assert watcher.worker._proc is None
    assert started and gone(started[0])


# -- early builds ------------------------------------------------------------------------


def test_staged_bundle_publishes_once_and_only_for_its_case_and_day(tmp_path: Path) -> None:
    """This test ensures an early (staged) bundle is published by commit for the same case and
    day only: another case, a commit after midnight, or a second commit builds afresh; and
    nothing reaches out/ before the commit."""
    case = make_case(tmp_path / "inbox")
    out = tmp_path / "out"
    request = Commit(case, TODAY)

    def built(seconds: float = 1.0) -> BuildReply:
        return BuildReply(True, 5, seconds, {"error": 0}, None, 0, 0)

    early = Early()
    staged = api.stage_case(case, out, api.Settings(today=TODAY))
    assert not (out / "wang").exists(), "staging writes nothing to out/"
    early.keep(case, staged, built())
    assert early.commit(Commit(case, date(2099, 1, 1)), {}) == NotStaged()
    early.keep(case, api.stage_case(case, out, api.Settings(today=TODAY)), built())
    assert early.commit(Commit(tmp_path, TODAY), {}) == NotStaged()
    early.keep(case, api.stage_case(case, out, api.Settings(today=TODAY)), built())
    letters: dict[Path, int] = {}
    reply = early.commit(request, letters)
    assert isinstance(reply, BuildReply)
    assert reply.early is True and reply.out_dir == str(out / "wang")
    assert reply.event_data()["early"] is True and "early" not in built().event_data()
    assert manifest(out)["complete"] is True
    assert letters[case] >= 1
    assert early.commit(request, {}) == NotStaged(), "a staged bundle is published once"


def test_requests_and_replies_cross_the_pipe() -> None:
    """This test ensures every request and reply survives pickling (the pipe to the child)."""
    import pickle

    messages = [
        Probe((Path("a.jpg"),)),
        Build(Path("in/wang"), Path("out"), "zh", TODAY),
        Stage(Path("in/wang"), Path("out"), "en", TODAY),
        Commit(Path("in/wang"), TODAY),
        Quit(),
        ProbeReply((Verdict(Readiness.BUSY, "locked"),)),
        BuildReply(True, 5, 1.5, {"error": 0, "warning": 1, "info": 2}, "out/wang", 3, 4, True),
        StagedReply(),
        NotStaged(),
        Failure(3, "case.toml"),
    ]
    assert [pickle.loads(pickle.dumps(m)) for m in messages] == messages  # noqa: S301 - our own


def test_built_event_keeps_its_json_keys() -> None:
    """This test ensures a build reply becomes the 'built' event scripts know: the same keys in
    the same order, and ``early`` only for a bundle built while the case settled."""
    reply = BuildReply(False, 7, 2.5, {"error": 1, "warning": 0, "info": 3}, "/out/wang", 1, 2)
    keys = ["complete", "pages", "seconds", "findings", "out_dir", "cache_hits", "cache_misses"]
    assert list(reply.event_data()) == keys
    assert list(replace(reply, early=True).event_data()) == [*keys, "early"]
    event = WatchEvent("built", "wang", reply.event_data(), at=0.0).to_json()
    assert list(event) == ["event", "time", "case", *keys]
    assert event["findings"] == {"error": 1, "warning": 0, "info": 3}


def test_built_line_names_the_first_warnings() -> None:
    """This test ensures the watcher's status line names the first warnings and their files
    (issue 14 item 12), not only how many there are, and the JSON event carries them."""
    from packager.watch.events import describe

    reply = BuildReply(
        False, 7, 2.5, {"error": 1, "warning": 1, "info": 0}, "/out/wang", 1, 2,
        notable=(("error", "MISSING_EXPENSES", None), ("warning", "UNCLASSIFIED", "IMG_1.jpg")),
    )  # fmt: skip
    event = WatchEvent("built", "wang", reply.event_data(), at=0.0)
    line = describe(event, "zh") or ""
    assert "需要看：MISSING_EXPENSES、UNCLASSIFIED（IMG_1.jpg）" in line
    assert "look at: MISSING_EXPENSES" in (describe(event, "en") or "")
    assert event.to_json()["notable"][1] == {
        "severity": "warning", "code": "UNCLASSIFIED", "file": "IMG_1.jpg"
    }  # fmt: skip
