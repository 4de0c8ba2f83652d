"""Exit codes and the one exception base that carries them.

Rule (after pypdf): raise only when the caller must act; anything about the
packet's *content* is a Finding, not an exception. Only ``cli`` and ``watch``
catch broad exceptions and turn them into exit codes.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Process exit codes; the contract in design.md."""

    OK = 0
    INTERNAL = 1
    USAGE = 2
    CONFIG = 3
    INPUT = 4
    INCOMPLETE = 5
    RENDER = 6
    OUTPUT = 7
    INTERRUPTED = 130


class PackagerError(Exception):
    """Base of every error packager raises on purpose.

    ``message`` is already localized for the user: it names the file or field,
    says what is wrong and what to do.
    """

    exit_code: ExitCode = ExitCode.INTERNAL

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ConfigError(PackagerError):
    """case.toml is missing, malformed or has a wrong value."""

    exit_code = ExitCode.CONFIG


class InputError(PackagerError):
    """The input cannot be read at all (the case folder itself)."""

    exit_code = ExitCode.INPUT


class RenderError(PackagerError):
    """WeasyPrint failed, or a glyph would be drawn as a box."""

    exit_code = ExitCode.RENDER


class OutputError(PackagerError):
    """The output cannot be written, or failed verification after writing."""

    exit_code = ExitCode.OUTPUT


class UsageError(PackagerError):
    """The command line is wrong (bad path, OUT inside INBOX …)."""

    exit_code = ExitCode.USAGE
