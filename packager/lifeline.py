"""Every child process dies with the process that started it, however that one died.

The guards we had (the build child's orphan poll, the pool workers' sentinel
thread, the forkserver's "alive" pipe) all wait for something: a poll, a
running job, a pipe's last holder. After a ``kill -9`` of a watcher in the
middle of a build its build child, forkserver, pool workers and resource
tracker stayed 10-12 s (the build child waited for its workers' jobs), and a
restarted watcher ran beside them. On Linux the kernel can do better:
``prctl(PR_SET_PDEATHSIG)`` sends a child a signal the moment its parent
ends. It is set in each child as its first act (``follow_parent``), then the
parent pid is checked, since the parent may have died before the signal was
armed. Other systems keep the old guards only.

The signal follows the parent *thread*, not the process: a helper started from
a short-lived thread (a web build's) would be killed when that thread ends.
So the forkserver and the resource tracker are started here (``start_helpers``),
from the main thread or from one thread that lives as long as the process,
with the arming prepended to their ``-c`` command.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import multiprocessing.forkserver
import multiprocessing.util
import os
import queue
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from typing import Any

PR_SET_PDEATHSIG = 1

# The pid of this process if it armed itself; a process forked from it (a
# forkserver's worker) inherits the value and so knows its parent's pid.
_armed_pid: int | None = None
_lock = threading.Lock()
_lasting: queue.SimpleQueue[tuple[Callable[[], object], Future[object]]] | None = None


def supported() -> bool:
    """True where the kernel can signal a child when its parent dies (Linux)."""
    return sys.platform.startswith("linux")


def follow_parent(parent_pid: int, sig: int = signal.SIGKILL) -> bool:
    """Have the kernel send ``sig`` to this process when its parent ends; True when armed.

    If the parent is already gone (it is not ``parent_pid`` any more), the
    signal is sent now: the kernel would never send it.
    """
    global _armed_pid
    if not supported():
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(PR_SET_PDEATHSIG, int(sig), 0, 0, 0) != 0:
            return False
    except (OSError, AttributeError):
        return False
    _armed_pid = os.getpid()
    if os.getppid() != parent_pid:
        os.kill(os.getpid(), sig)
    return True


def forked_from() -> int | None:
    """The pid of the armed process this one was forked from (or is), if any."""
    return _armed_pid


def follow_worker_parent(owner_pid: int | None) -> None:
    """In a pool worker: die with the process that forked it (the owner, or a forkserver)."""
    parent = owner_pid if owner_pid is not None else forked_from()
    follow_parent(parent if parent is not None else os.getppid())


def _serve_lasting(jobs: queue.SimpleQueue[tuple[Callable[[], object], Future[object]]]) -> None:
    while True:
        func, future = jobs.get()
        try:
            future.set_result(func())
        except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread
            future.set_exception(exc)


def _on_lasting_thread(func: Callable[[], object]) -> object:
    """Run ``func`` on the main thread or on one thread that lives as long as the process."""
    global _lasting
    if threading.current_thread() is threading.main_thread():
        return func()
    with _lock:
        if _lasting is None:
            _lasting = queue.SimpleQueue()
            threading.Thread(
                target=_serve_lasting, args=(_lasting,), name="packager-lifeline", daemon=True
            ).start()
        jobs = _lasting
    future: Future[object] = Future()
    jobs.put((func, future))
    return future.result()


# Run first in the forkserver and the resource tracker (their ``-c`` command).
# The tracker ignores SIGTERM and SIGINT; SIGUSR1 ends its loop through its own
# ``finally``, which unlinks what the dead owner left, quietly.
_PREFIX = """\
try:
    import signal, warnings
    from packager.lifeline import follow_parent
    warnings.filterwarnings("ignore", message="resource_tracker:")
    def _end(signum, frame):
        raise SystemExit(0)
    signal.signal(signal.SIGUSR1, _end)
    follow_parent({pid}, signal.{sig})
except Exception:
    pass
"""


@contextlib.contextmanager
def _armed_spawns(sig: str) -> Iterator[None]:
    """While inside: helpers multiprocessing spawns with ``-c`` first arm their death signal."""
    original: Any = multiprocessing.util.spawnv_passfds
    me = threading.current_thread()

    def spawn(path: str, args: list[str], passfds: object) -> int:
        if threading.current_thread() is me and "-c" in args[:-1]:
            at = args.index("-c") + 1
            code = f"# {args[at]}\n" + _PREFIX.format(pid=os.getpid(), sig=sig) + args[at]
            args = [*args[:at], code, *args[at + 1 :]]
        pid: int = original(path, args, passfds)
        return pid

    setattr(multiprocessing.util, "spawnv_passfds", spawn)  # noqa: B010 - typeshed's signature
    try:
        yield
    finally:
        setattr(multiprocessing.util, "spawnv_passfds", original)  # noqa: B010


def start_helpers(forkserver: bool) -> None:
    """Start the resource tracker (and the forkserver) so that they die with this process.

    Call before a process pool or a spawned child is made; a helper already
    running is left as it is.
    """
    if not supported():
        return

    def start() -> None:
        from multiprocessing import resource_tracker

        with _lock, _armed_spawns("SIGUSR1"):
            resource_tracker.ensure_running()
        if forkserver:
            with _lock, _armed_spawns("SIGKILL"):
                multiprocessing.forkserver.ensure_running()

    _on_lasting_thread(start)
