"""Helpers for the watcher tests: distinct photos, a watcher on a thread, waiting for events."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PIL import ImageDraw
from pypdf import PdfReader

from tests.conftest import GOOD_TOML, marker_image

if TYPE_CHECKING:
    from packager.watch.config import WatchConfig
    from packager.watch.events import WatchEvent

SETTLE = 0.4


def photo_bytes(seed: int, size: tuple[int, int] = (480, 640)) -> bytes:
    """A small JPEG that differs from every other seed's (so none is a duplicate)."""
    import io

    im = marker_image(size)
    x, y = size[0] // 3, size[1] // 3
    colour = (seed * 37 % 256, seed * 91 % 256, seed * 53 % 256)
    ImageDraw.Draw(im).rectangle((x, y, x + 20 + seed % 97, y + 20 + seed * 7 % 89), fill=colour)
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=85)
    return buf.getvalue()


def photo(path: Path, seed: int) -> None:
    """Write a distinct photo, creating its folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(photo_bytes(seed))


def make_case(inbox: Path, name: str = "wang", toml: str = GOOD_TOML, seed: int = 0) -> Path:
    """A complete case: case.toml plus one photo per required kind."""
    case = inbox / name
    case.mkdir(parents=True, exist_ok=True)
    (case / "case.toml").write_text(toml, encoding="utf-8")
    photo(case / "收入证明" / "工资.jpg", seed + 1)
    photo(case / "支出明细" / "账单.jpg", seed + 2)
    photo(case / "疾病证明" / "诊断.jpg", seed + 3)
    return case


def manifest(out: Path, case: str = "wang") -> dict[str, Any]:
    """The published manifest of a case."""
    data: dict[str, Any] = json.loads((out / case / "manifest.json").read_text(encoding="utf-8"))
    return data


def source_paths(out: Path, case: str = "wang") -> set[str]:
    """Paths of the sources that made it into the packet."""
    return {s["path"] for s in manifest(out, case)["sources"] if s["status"] == "ok"}


def assert_consistent(out: Path, case: str = "wang", leftovers: bool = True) -> None:
    """The bundle is whole: the PDF the manifest names has its pages and its hash.

    With ``leftovers``, no staging folder of an abandoned build remains either.
    """
    import hashlib

    data = manifest(out, case)
    for output in data["outputs"]:
        path = out / case / output["path"]
        assert hashlib.sha256(path.read_bytes()).hexdigest() == output["sha256"]
        if path.suffix == ".pdf":
            assert len(PdfReader(path).pages) == output["pages"]
    if leftovers:
        stray = [p.name for p in out.iterdir() if ".staging-" in p.name or ".old-" in p.name]
        assert stray == []


def descendants(pid: int) -> set[int]:
    """Every live process below ``pid``, children of children included (Linux ``/proc``)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            state, ppid = stat.read_text().rsplit(")", 1)[1].split()[:2]
        except (OSError, ValueError):
            continue  # gone meanwhile
        if state not in ("Z", "X"):
            children.setdefault(int(ppid), []).append(int(stat.parent.name))
    found: set[int] = set()
    todo = [pid]
    while todo:
        for child in children.get(todo.pop(), ()):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def gone(pid: int) -> bool:
    """True once ``pid`` has exited (a zombie nobody reaped yet counts as exited)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True
    return state in ("Z", "X")


def until(check: Callable[[], Any], timeout: float = 40.0, what: str = "condition") -> Any:
    """Poll ``check`` until it returns something truthy; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


class Running:
    """A Watcher on a background thread, recording every event it reports."""

    def __init__(self, config: WatchConfig, **kwargs: Any) -> None:
        from packager.watch.loop import Watcher

        self.events: list[WatchEvent] = []
        self._lock = threading.Lock()
        self.watcher = Watcher(config, self._record, **kwargs)
        self.code: int | None = None
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _record(self, event: WatchEvent) -> None:
        with self._lock:
            self.events.append(event)

    def _run(self) -> None:
        try:
            self.code = self.watcher.run()
        except BaseException as exc:  # noqa: BLE001 - re-raised by stop() on the test's thread
            self.error = exc

    def of(self, kind: str, case: str | None = None, since: int = 0) -> list[WatchEvent]:
        """Events of one kind (for one case) from position ``since`` on."""
        with self._lock:
            events = self.events[since:]
        return [e for e in events if e.kind == kind and (case is None or e.case == case)]

    def mark(self) -> int:
        """A position in the event list, to look only at what comes after."""
        with self._lock:
            return len(self.events)

    def wait(
        self, kind: str, case: str | None = None, since: int = 0, timeout: float = 40.0
    ) -> WatchEvent:
        """The first event of this kind after ``since``, waiting for it."""
        found: list[WatchEvent] = until(
            lambda: self.of(kind, case, since), timeout, f"{kind} {case or ''}"
        )
        return found[0]

    def stop(self, timeout: float = 20.0) -> int | None:
        """Ask the watcher to stop and wait for its thread."""
        self.watcher.request_stop()
        self.thread.join(timeout)
        assert not self.thread.is_alive(), "watcher did not stop"
        if self.error is not None:
            raise self.error
        return self.code


class Process:
    """``python -m packager watch --json`` as a child process, its events read on a thread."""

    def __init__(self, cwd: Path, *args: str) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "packager", "watch", "--json", *args],
            cwd=cwd,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )
        self.events: list[dict[str, Any]] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.events.append(json.loads(line))

    def wait(self, kind: str, since: int = 0, timeout: float = 60.0) -> dict[str, Any]:
        """The first event of this kind after position ``since``."""

        def find() -> dict[str, Any] | None:
            for event in self.events[since:]:
                if event["event"] == kind:
                    return event
            if self.proc.poll() is not None:
                raise AssertionError(f"watch exited {self.proc.returncode}: {self.stderr()}")
            return None

        found: dict[str, Any] = until(find, timeout, kind)
        return found

    def stderr(self) -> str:
        """What the process wrote to stderr (after it ended)."""
        assert self.proc.stderr is not None
        return self.proc.stderr.read() if self.proc.poll() is not None else ""

    def close(self) -> None:
        """Make sure the process is gone (used in ``finally``)."""
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(10)
        self._reader.join(5)
        for stream in (self.proc.stdout, self.proc.stderr):
            if stream is not None:
                stream.close()
