"""What one server is started with, and the names it accepts (cases, hosts)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from packager.privacy import mask_text
from packager.read.casefile import CASE_FILE

MB = 1_000_000
# A case name: one folder name of letters (any script), digits, - _ . and spaces.
_CASE_NAME = re.compile(r"^\w[\w\-. ]{0,63}$")
_RESERVED = re.compile(r"^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$", re.IGNORECASE)
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")


@dataclass(frozen=True, slots=True)
class WebConfig:
    """The inbox, the output root and the rules of one ``packager serve``."""

    inbox: Path
    out: Path
    lang: str = "zh"
    # --lan: the secret every request must carry (query once, then a cookie); None on loopback.
    token: str | None = None
    # Host header names accepted (DNS rebinding): the loopback names plus the LAN address.
    hosts: tuple[str, ...] = LOOPBACK_NAMES
    max_file_mb: float = 50.0
    max_request_mb: float = 300.0
    today: Callable[[], date] = field(default=date.today)
    # The URL to show as a QR code on the page (--lan only).
    lan_url: str | None = None
    # Read each new file in the background as it lands (off: only builds read).
    read_on_upload: bool = True

    @property
    def max_file_bytes(self) -> int:
        """Per-file upload limit in bytes."""
        return int(self.max_file_mb * MB)

    @property
    def max_request_bytes(self) -> int:
        """Per-request upload limit in bytes."""
        return int(self.max_request_mb * MB)


def valid_case_name(name: str) -> bool:
    """True for a name that is one plain folder name, safe to show and to publish under."""
    if name != unicodedata.normalize("NFC", name) or not _CASE_NAME.match(name):
        return False
    if name.endswith((".", " ")) or _RESERVED.match(name) or name == CASE_FILE:
        return False
    return mask_text(name) == name  # an ID or phone number is no case name


def case_dir(config: WebConfig, name: str) -> Path | None:
    """The case folder for ``name``, or None when the name is not a valid existing case."""
    if not valid_case_name(name):
        return None
    path = config.inbox / name
    if path.is_symlink() or not path.is_dir():
        return None
    return path


def list_cases(config: WebConfig) -> list[str]:
    """Every valid case folder of the inbox, sorted."""
    if not config.inbox.is_dir():
        return []
    return sorted(
        p.name
        for p in config.inbox.iterdir()
        if valid_case_name(p.name) and p.is_dir() and not p.is_symlink()
    )
