"""What the watcher reports: ``WatchEvent``s to a callback, never printed here.

The CLI prints them as status lines (``describe``, through the message
catalog) or as one JSON object per line (``WatchEvent.to_json``). Scripts read
that JSON stream, so event kinds and their keys are an interface: add keys,
never rename or drop them.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from packager.messages import render


@dataclass(frozen=True, slots=True)
class WatchEvent:
    """One thing that happened, for the status line or a JSON consumer."""

    kind: str
    case: str | None = None
    data: Mapping[str, Any] = field(default_factory=dict)
    at: float = field(default_factory=time.time)

    def to_json(self) -> dict[str, Any]:
        """One JSON object per event: ``event``, ``time``, ``case`` and the details."""
        stamp = datetime.fromtimestamp(self.at).astimezone().isoformat(timespec="milliseconds")
        return {"event": self.kind, "time": stamp, "case": self.case, **self.data}


Emit = Callable[[WatchEvent], None]

# Human status lines: event kind -> catalog code (kinds not listed are JSON-only).
LINES = {
    "start": "WATCH_START",
    "polling": "WATCH_POLLING_AUTO",
    "fallback": "WATCH_POLLING_FALLBACK",
    "up_to_date": "WATCH_UP_TO_DATE",
    "built": "WATCH_BUILT",
    "failed": "WATCH_FAILED",
    "waiting": "WATCH_WAITING",
    "not_ready": "WATCH_NOT_READY",
    "removed": "WATCH_REMOVED",
    "abandoned": "WATCH_ABANDONED",
    "observer_restarted": "WATCH_OBSERVER_RESTARTED",
    "inbox_missing": "WATCH_INBOX_MISSING",
    "stop": "WATCH_STOP",
}


def describe(event: WatchEvent, lang: str) -> str | None:
    """The status line for an event (None for events only scripts care about)."""
    code = LINES.get(event.kind)
    if code is None:
        return None
    params: dict[str, object] = {"case": event.case or "", **event.data}
    if event.kind == "built":
        findings = event.data.get("findings", {})
        params.update(
            state=render(
                "WATCH_COMPLETE" if event.data.get("complete") else "WATCH_DRAFT", lang, {}
            ),
            error=findings.get("error", 0),
            warning=findings.get("warning", 0),
            info=findings.get("info", 0),
            seconds=f"{float(event.data.get('seconds', 0)):.1f}",
        )
        notable = event.data.get("notable") or []
        if notable:
            items = "、".join(
                f"{n.get('code')}（{n.get('file')}）" if n.get("file") else str(n.get("code"))
                for n in notable
            )
            clock = datetime.fromtimestamp(event.at).strftime("%H:%M:%S")
            line = render(code, lang, params)
            return f"{clock} {line} · {render('WATCH_NOTABLE', lang, {'items': items})}"
    if event.kind == "start":
        params["mode"] = render(f"WATCH_MODE_{str(event.data.get('mode')).upper()}", lang, {})
    clock = datetime.fromtimestamp(event.at).strftime("%H:%M:%S")
    return f"{clock} {render(code, lang, params)}"


class Reporter:
    """The watcher's parts report through this: ``report(kind, case, **details)``.

    Details are made printable first, and a closed stdout (the callback's
    ``OSError``) must not stop the watcher.
    """

    def __init__(self, emit: Emit) -> None:
        self._emit = emit

    def __call__(self, kind: str, case: str | None = None, **data: Any) -> None:
        """Report one event."""
        clean = {key: _printable(value) for key, value in data.items()}
        with contextlib.suppress(OSError):
            self._emit(WatchEvent(kind, case, clean))


def _printable(value: Any) -> Any:
    """Text safe for a terminal and for JSON: undecodable bytes of a file name become U+FFFD."""
    if isinstance(value, str):
        return value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return value
