"""Allow ``python -m packager``."""

from __future__ import annotations

from packager.cli import main

main()
