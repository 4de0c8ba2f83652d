"""A process pool sized to the machine, for per-page image work.

Re-encoding photos and rasterising pages are CPU-bound and independent per
page, so they run in worker processes (the GIL would serialise threads).
Results always come back in submission order, whatever order the workers
finish in, so output never depends on scheduling. Workers are forked when
the caller runs a single thread (fastest, and needs no importable
``__main__``); when other threads run (the CLI's progress bar, the watcher)
they start from a forkserver instead, because forking a threaded process can
deadlock. Tiny batches run inline, where starting processes would cost more
than it saves. A worker exits as soon as the process that started the pool is
gone (even after kill -9), so no worker outlives its owner: on Linux the kernel
signals it (``lifeline``), elsewhere a thread watching the owner ends it.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from types import TracebackType
from typing import Generic, TypeVar

from packager import lifeline

T = TypeVar("T")
R = TypeVar("R")

# Imported once in the forkserver, so each worker starts with them loaded.
PRELOAD = ["packager.read.pages", "packager.write.raster"]


def machine_jobs() -> int:
    """CPUs this process may run on (affinity-aware where the OS tells)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - macOS, Windows
        return max(1, os.cpu_count() or 1)


class Batch(Generic[R]):
    """Results of one ``Workers.submit``, collected in submission order.

    Inline batches run as they are iterated, so a caller showing progress
    sees each result land.
    """

    def __init__(
        self,
        futures: Sequence[Future[R]] | None,
        ready: Sequence[R] | None,
        inline: Callable[[], Iterator[R]] | None = None,
    ) -> None:
        self._futures = futures
        self._done: list[R] = list(ready or ())
        self._pending = inline() if inline is not None else None

    def __iter__(self) -> Iterator[R]:
        """Each result in order, waiting for it; re-raise a failure when reached."""
        if self._futures is not None:
            for future in self._futures:
                yield future.result()
            return
        yield from list(self._done)
        for result in self._pending or ():
            self._done.append(result)
            yield result

    def results(self) -> list[R]:
        """Wait for every job; re-raise the first failure."""
        return list(self)

    def cancel(self) -> None:
        """Drop the jobs that have not started (running ones finish, unread)."""
        for future in self._futures or ():
            future.cancel()


class Workers:
    """A pool for one build, or for many (the watcher's build process keeps one).

    Use it as a context manager, or ``close`` it, so the workers always stop.
    """

    def __init__(self, jobs: int | None = None) -> None:
        self.jobs = max(1, jobs if jobs else machine_jobs())
        self._pool: Executor | None = None

    def __enter__(self) -> Workers:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close(cancel=exc is not None)

    def close(self, cancel: bool = False) -> None:
        """Stop the workers (dropping queued jobs when ``cancel``)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=cancel)
            self._pool = None

    def _executor(self) -> Executor:
        if self._pool is None:
            methods = multiprocessing.get_all_start_methods()
            if "fork" in methods and threading.active_count() == 1:
                method = "fork"
            elif "forkserver" in methods:
                method = "forkserver"
            else:  # pragma: no cover - Windows
                method = "spawn"
            context = multiprocessing.get_context(method)
            if method == "forkserver":
                context.set_forkserver_preload(PRELOAD)
            if method != "fork":  # they die with us, however we end
                lifeline.start_helpers(forkserver=method == "forkserver")
            self._pool = ProcessPoolExecutor(
                max_workers=self.jobs,
                mp_context=context,
                initializer=_follow_owner,
                initargs=(os.getpid() if method == "fork" else None,),
            )
        return self._pool

    def submit(self, func: Callable[[T], R], items: Iterable[T]) -> Batch[R]:
        """Start ``func`` on every item; inline when there is nothing to parallelise."""
        jobs = list(items)
        if self.jobs == 1 or len(jobs) < 2:
            return Batch(None, None, lambda: (func(job) for job in jobs))
        try:
            return Batch([self._executor().submit(func, job) for job in jobs], None)
        except BrokenProcessPool:
            # A worker of a long-lived pool died (killed, out of memory) during an
            # earlier batch, which failed; this one gets a fresh pool.
            self.close(cancel=True)
            return Batch([self._executor().submit(func, job) for job in jobs], None)

    def start(self) -> None:
        """Start the worker processes now (a server does, before threads submit to them)."""
        self._executor()

    def submit_one(self, func: Callable[[T], R], item: T) -> Future[R]:
        """Run ``func(item)`` in a worker process, never inline (a server's thread stays free).

        A pool whose worker died (killed, out of memory) is replaced once.
        """
        try:
            return self._executor().submit(func, item)
        except BrokenProcessPool:
            self.close(cancel=True)
            return self._executor().submit(func, item)

    def map(self, func: Callable[[T], R], items: Iterable[T]) -> list[R]:
        """``submit`` and wait."""
        return self.submit(func, items).results()


def _follow_owner(forked_by: int | None = None) -> None:
    """In each worker: exit when the pool's owner is gone, even when it could not stop us.

    On Linux the kernel sends SIGKILL when the process that forked the worker
    (``forked_by``, or the forkserver) ends; the thread below is the guard elsewhere.

    A killed owner never shuts its pool down, and every worker holds the write end
    of the job queue, so no worker would ever see it close: it would wait forever.
    ``parent_process()`` is the owner also under forkserver, and its sentinel
    reads end-of-file once the owner has exited, however it ended.
    """
    lifeline.follow_worker_parent(forked_by)
    owner = multiprocessing.parent_process()
    if owner is not None:
        threading.Thread(target=_exit_after, args=(owner,), daemon=True).start()


def _exit_after(owner: multiprocessing.process.BaseProcess) -> None:
    owner.join()
    os._exit(1)  # the job in hand has no one left to read it
