"""packager: turn a case folder of phone photos into a 逾期还款协商 packet."""

from __future__ import annotations

__version__ = "0.1.0"
__all__ = ["__version__"]
