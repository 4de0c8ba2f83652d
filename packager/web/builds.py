"""Builds started from the page: one at a time per case, cases side by side, in threads.

A build first has its case's files read by the background reader (in the
pool every read and build of the server shares, into the page cache), so
what costs most, reading pages, runs for several cases at once; then it runs
``api.build_case``, which finds every page read. Writing the packet
(WeasyPrint, which is not made for threads) takes one build at a time; it is
the short part. Progress is kept here for the page to poll. A failure is kept
as the message a person can act on, never a traceback.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from pathlib import Path

from packager import api
from packager.cache.pages import PageCache
from packager.errors import PackagerError
from packager.messages import both
from packager.models import OutputFile
from packager.read.casefile import Case
from packager.read.checks import MAIL, UPLOAD
from packager.web.config import WebConfig
from packager.web.reading import FAILED, READ, Reader, SharedPool

log = logging.getLogger("packager.web")
CACHE_DIR = ".cache"  # the watcher's page cache under OUT, shared: same content, same pages


@dataclass(slots=True)
class BuildState:
    """Where one case's latest build stands."""

    running: bool = True
    waiting: bool = True
    done: int = 0
    total: int = 0
    complete: bool | None = None
    outputs: tuple[OutputFile, ...] = ()
    error: str | None = None


def profiles_for(case: Case | None) -> tuple[str, ...]:
    """The mail packet too, once both postal addresses are known."""
    if case is not None and case.applicant.address and case.account.mailing_address:
        return (UPLOAD, MAIL)
    return (UPLOAD,)


class Builds:
    """Every case's build state, the threads that build, and the readers they share."""

    def __init__(self, config: WebConfig) -> None:
        self.config = config
        self.cache = PageCache(config.out / CACHE_DIR)
        self.pool = SharedPool()
        self.reader = Reader(self.cache, self.pool, config.lang)
        self._states: dict[str, BuildState] = {}
        self._guard = threading.Lock()
        self._writing = threading.Lock()
        self._threads: list[threading.Thread] = []

    def state(self, name: str) -> BuildState | None:
        """The latest build of ``name`` (running or finished), or None."""
        with self._guard:
            return self._states.get(name)

    def building(self, name: str) -> bool:
        """True while a build of ``name`` is queued or running."""
        state = self.state(name)
        return state is not None and state.running

    def start(self, name: str, case_dir: Path, case: Case | None) -> bool:
        """Start building ``name``; False (and nothing started) when it is building already."""
        with self._guard:
            old = self._states.get(name)
            if old is not None and old.running:
                return False
            state = BuildState()
            self._states[name] = state
        thread = threading.Thread(
            target=self._run, args=(state, name, case_dir, profiles_for(case)), daemon=True
        )
        self._threads.append(thread)
        thread.start()
        return True

    def _run(self, state: BuildState, name: str, case_dir: Path, profiles: tuple[str, ...]) -> None:
        def progress(done: int, total: int, _file: str) -> None:
            state.done, state.total = done, total

        try:
            # Reading, side by side with other cases' builds and reads.
            self.reader.request(name, case_dir)
            while not self.reader.wait(name, 0.25):
                states = self.reader.progress(name).values()
                state.total = len(states)
                state.done = sum(1 for s in states if s in (READ, FAILED))
            with self._writing:
                state.waiting = False
                settings = api.Settings(
                    lang=self.config.lang,
                    today=self.config.today(),
                    progress=progress,
                    profiles=profiles,
                    workers=self.pool.workers(),
                    cache=self.cache,
                )
                outcome = api.build_case(case_dir, self.config.out, settings)
            state.complete, state.outputs = outcome.complete, outcome.outputs
        except PackagerError as exc:
            state.error = exc.message
        except Exception as exc:  # noqa: BLE001 (an edge: the page shows words, never a traceback)
            log.warning("build failed: %s", type(exc).__name__)
            state.error = both("INTERNAL", error=type(exc).__name__)
        finally:
            state.running = False

    def wait(self, timeout: float = 600.0) -> None:
        """Wait for every build started so far (tests, shutdown)."""
        for thread in list(self._threads):
            thread.join(timeout)

    def close(self) -> None:
        """Let running builds and reads end, then stop the pool."""
        self.wait()
        self.reader.close()
        self.pool.close()
