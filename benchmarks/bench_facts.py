"""Facts read from documents: precision and recall over a generated set with known figures.

Payslips, bank statements, hospital receipts, pharmacy lists, diagnoses,
discharge summaries and a page with no figure (``tests/papers.py``), each
with its own seeded figures, names and dates, as text PDFs, flat scans,
desk photos and desk photos lying on their side (EXIF 1). Every case is
read by ``api.check_case`` (OCR and clean-up on, as a user's ``check``);
a fact counts as found when file, field and value all match what the
paper prints, as wrong otherwise. ``BENCH_FACTS_SETS`` (default 2) sets how
many variants of each paper there are.
"""

from __future__ import annotations

import os
import random
import tempfile
import time
from collections import Counter
from pathlib import Path

from packager import api
from tests import papers
from tests.conftest import GOOD_TOML, TODAY

MEDIA = {"pdf": "pdf", "scan": "png", "photo": "jpg", "turned": "jpg"}
NAMES = ("王测试", "李示例", "张小明", "陈晓红", "赵建国")


def variant(seed: int) -> dict[str, papers.Paper]:
    """One set of papers with its own figures."""
    rnd = random.Random(seed)  # noqa: S311 - generated figures
    name = NAMES[seed % len(NAMES)]

    def money(low: int, high: int) -> float:
        return round(rnd.uniform(low, high), 2)

    month = rnd.randint(6, 10)
    return {
        "收入证明/payslip": papers.payslip(
            money(2500, 12000),
            f"2026年{month}月",
            name,
            f"2026-{month + 1:02d}-{rnd.randint(1, 9):02d}",
        ),
        "收入证明/statement": papers.statement((money(2500, 9000), money(2500, 9000)), name),
        "支出明细/receipt": papers.receipt(
            money(80, 9000), name, f"2026年{month}月{rnd.randint(1, 28)}日"
        ),
        "支出明细/pharmacy": papers.pharmacy(money(150, 900), name),
        "疾病证明/diagnosis": papers.diagnosis(name, f"2026年{month}月{rnd.randint(1, 28)}日"),
        "疾病证明/discharge": papers.discharge(
            name,
            f"2026-{month:02d}-{rnd.randint(1, 9):02d}",
            f"2026-{month:02d}-{rnd.randint(10, 28):02d}",
        ),
        "其他说明/letter": papers.blank_letter(),
    }


def run(sets: int) -> tuple[dict[str, Counter[str]], dict[str, Counter[str]], float, int]:
    """Counts (tp, fp, fn) by medium and by field, CPU seconds, pages read."""
    by_medium: dict[str, Counter[str]] = {m: Counter() for m in MEDIA}
    by_field: dict[str, Counter[str]] = {}
    cpu = time.process_time()
    child = os.times()
    pages = 0
    with tempfile.TemporaryDirectory(prefix="bench-facts-") as tmp:
        for medium, ext in MEDIA.items():
            case = Path(tmp) / "inbox" / medium
            case.mkdir(parents=True)
            (case / "case.toml").write_text(GOOD_TOML, encoding="utf-8")
            expected: set[tuple[str, str, object]] = set()
            for s in range(sets):
                for i, (rel, paper) in enumerate(variant(s).items()):
                    path = case / f"{rel}-{s}.{ext}"
                    path.parent.mkdir(parents=True, exist_ok=True)
                    papers.writer(paper, medium, seed=10 * s + i)(path)
                    expected |= {(path.relative_to(case).as_posix(), f, v) for f, v in paper.facts}
                    pages += 1
            settings = api.Settings(
                today=TODAY, ocr=True, clean=medium in ("photo", "turned"), jobs=2
            )
            outcome = api.check_case(case, settings)
            facts = outcome.manifest["facts"]
            assert isinstance(facts, list)
            got = {(f["file"], f["field"], f["value"]) for f in facts}
            for key, where in (
                ("tp", got & expected),
                ("fp", got - expected),
                ("fn", expected - got),
            ):
                by_medium[medium][key] += len(where)
                for _, field, _ in where:
                    by_field.setdefault(field, Counter())[key] += 1
    done = os.times()
    cpu = time.process_time() - cpu + (done.children_user - child.children_user)
    return by_medium, by_field, cpu, pages


def _ratio(a: int, b: int) -> str:
    return f"{100 * a / b:.1f} %" if b else "–"


def table(rows: dict[str, Counter[str]], title: str) -> str:
    """A Markdown table of precision and recall per row."""
    lines = [
        f"| {title} | facts printed | found | wrong | precision | recall |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    total: Counter[str] = Counter()
    for name, c in rows.items():
        total.update(c)
        lines.append(
            f"| {name} | {c['tp'] + c['fn']} | {c['tp']} | {c['fp']} | "
            f"{_ratio(c['tp'], c['tp'] + c['fp'])} | {_ratio(c['tp'], c['tp'] + c['fn'])} |"
        )
    lines.append(
        f"| **all** | {total['tp'] + total['fn']} | {total['tp']} | {total['fp']} | "
        f"{_ratio(total['tp'], total['tp'] + total['fp'])} | {_ratio(total['tp'], total['tp'] + total['fn'])} |"
    )
    return "\n".join(lines)


def main() -> str:
    """Run the set and return the tables (by medium, by field)."""
    sets = int(os.environ.get("BENCH_FACTS_SETS", "2"))
    start = time.perf_counter()
    by_medium, by_field, cpu, pages = run(sets)
    wall = time.perf_counter() - start
    out = (
        f"{pages} generated pages ({sets} sets of 7 papers × 4 media), read by `check` with OCR "
        f"and clean-up; {wall:.0f} s wall, {cpu:.0f} CPU-s on 2 cores.\n\n"
        + table(by_medium, "medium")
        + "\n\n"
        + table(dict(sorted(by_field.items())), "field")
    )
    print(out)
    return out


if __name__ == "__main__":
    main()
