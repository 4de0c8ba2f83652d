"""packager: turn a case folder of phone photos into a 逾期还款协商 packet.

The public API is what ``__all__`` names; everything else may change. Names
are loaded on first use, so ``import packager`` (and every worker process
that imports a module of ours) stays cheap.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from packager.api import Staged, build_case, check_case, stage_case
    from packager.errors import ExitCode, PackagerError
    from packager.models import Outcome
    from packager.settings import Settings

__all__ = [
    "ExitCode",
    "Outcome",
    "PackagerError",
    "Settings",
    "Staged",
    "__version__",
    "build_case",
    "check_case",
    "stage_case",
]

_HOMES = {
    "build_case": "packager.api",
    "check_case": "packager.api",
    "stage_case": "packager.api",
    "Staged": "packager.api",
    "Settings": "packager.settings",
    "Outcome": "packager.models",
    "ExitCode": "packager.errors",
    "PackagerError": "packager.errors",
}


def __getattr__(name: str) -> Any:
    """Load a public name from the module that defines it (PEP 562)."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'packager' has no attribute {name!r}")
    return getattr(import_module(home), name)
