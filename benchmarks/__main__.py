"""Run every ``benchmarks/bench_*.py`` module's ``main()`` in turn.

Each module prints a Markdown table (paste it into the README) and returns it;
all tables are also written to ``benchmarks/results/latest.md``.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path


def main() -> int:
    """Run the benchmarks named on the command line, or all of them."""
    here = Path(__file__).parent
    wanted = set(sys.argv[1:])
    names = sorted(m.name for m in pkgutil.iter_modules([str(here)]) if m.name.startswith("bench_"))
    tables = []
    for name in names:
        if wanted and name not in wanted and name.removeprefix("bench_") not in wanted:
            continue
        module = importlib.import_module(f"benchmarks.{name}")
        print(f"## {name}", flush=True)
        tables.append(f"## {name}\n\n{module.main()}\n")
    results = here / "results"
    results.mkdir(exist_ok=True)
    (results / "latest.md").write_text("\n".join(tables), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
