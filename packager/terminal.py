"""What a run looks like on the terminal: the progress bar and the summary.

With ``cli`` the only module that prints; everything goes to stderr, so that
``--json`` leaves stdout to the manifest alone.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, TextColumn
from rich.progress import Progress as Bar
from rich.table import Table

from packager.manifest import REPORT_FILE
from packager.messages import (
    date_sources,
    day_text,
    finance_lines,
    kind_title,
    lang_key,
    measure_text,
    message,
    severity_name,
    text,
)
from packager.models import Kind, Outcome, Severity, Status
from packager.settings import Progress

err = Console(stderr=True, highlight=False, soft_wrap=True)


SEVERITY_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


@contextmanager
def progress(enabled: bool, lang: str) -> Iterator[Progress | None]:
    """A progress bar while the case is read, on a terminal only (None elsewhere)."""
    if not enabled or not err.is_terminal:
        yield None
        return
    label = text("progress", lang)
    with Bar(
        TextColumn(f"{label} [dim]{{task.description}}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=err,
        transient=True,
    ) as bar:
        task = bar.add_task("", total=None)

        def update(done: int, total: int, name: str) -> None:
            bar.update(task, completed=done, total=total, description=name)

        yield update


def kind_rows(outcome: Outcome, lang: str) -> Table:
    """Kinds with their documents and pages; required kinds that are missing say so."""
    table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
    table.add_column(text("kind", lang))
    table.add_column(text("documents", lang), justify="right")
    table.add_column(text("pages", lang), justify="right")
    table.add_column(text("state", lang))
    missing = {str(f.params.get("kind")) for f in outcome.findings if "kind" in f.params}
    finances = outcome.manifest.get("finances")
    written = finances if isinstance(finances, dict) and finances.get("expenses") else None
    for kind in Kind:
        docs = [s for s in outcome.sources if s.kind is kind and s.status is Status.OK]
        extra_docs = extra_pages = 0
        if kind is Kind.EXPENSES and written is not None:  # the table written from case.toml
            pages = written.get("pages")
            extra_docs, extra_pages = 1, (pages[1] - pages[0] + 1) if pages else 0
        if docs or extra_docs:
            state = f"[green]{text('have', lang)}[/]"
        elif kind.value in missing:
            state = f"[bold red]{text('missing', lang)}[/]"
        else:
            continue
        table.add_row(
            kind_title(kind, lang),
            str(len(docs) + extra_docs),
            str(sum(d.pages for d in docs) + extra_pages),
            state,
        )
    return table


def summary(outcome: Outcome, lang: str) -> None:
    """Status, kinds, findings by severity, guidance, review dates, output paths."""
    if outcome.complete:
        err.print(f"[bold green]✔ {text('complete', lang)}")
    elif outcome.out_dir is not None:
        err.print(f"[bold red]✘ {text('draft', lang)}")
    else:
        err.print(f"[bold red]✘ {text('check_incomplete', lang)}")
    err.print(kind_rows(outcome, lang))
    finances = outcome.manifest.get("finances")
    picture, expenses = finance_lines(finances if isinstance(finances, dict) else None, lang)
    if expenses:
        err.print(f"[bold]{escape(text('fin_expenses', lang))}[/]")
        for row in expenses:
            err.print(f"  {escape(row)}")
    if picture:
        err.print(f"{label('sec_finances', lang)}{escape(picture)}")
    counts = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
    counts.add_column(text("severity", lang))
    counts.add_column(text("count", lang), justify="right")
    for severity in Severity:
        n = sum(1 for f in outcome.findings if f.severity is severity)
        name = severity_name(severity.value, lang)
        counts.add_row(f"[{SEVERITY_STYLE[severity]}]{name}[/]", str(n))
    err.print(counts)
    order = list(Severity)
    for finding in sorted(outcome.findings, key=lambda f: order.index(f.severity)):
        style = SEVERITY_STYLE[finding.severity]
        name = severity_name(finding.severity.value, lang)
        err.print(f"  [{style}]{name}[/] {escape(message(finding, lang))}")
    for measure in outcome.guidance:
        mark = "[green]✔[/]" if measure.within else "[yellow]![/]"
        err.print(f"{text('guidance', lang)} {mark} {escape(measure_text(measure, lang))}")
    if outcome.review is not None:
        r = outcome.review
        line = text(
            "review_line",
            lang,
            low=r.low,
            high=r.high,
            earliest=shown_day(r.earliest, r.earliest_estimated, lang),
            latest=shown_day(r.latest, r.latest_estimated, lang),
        )
        err.print(f"{label('review', lang)}{line}" if lang == "zh" else line)
        if r.estimated:
            err.print(f"  [dim]{text('review_estimated', lang)}")
        if r.sources:
            err.print(f"  [dim]{escape(date_sources(r.sources, lang))}")
    if outcome.out_dir is not None:
        images = [o for o in outcome.outputs if o.path.startswith("images/")]
        for out in outcome.outputs:
            if out not in images and out.profile != "report":
                err.print(f"{label('output', lang)}{escape(str(outcome.out_dir / out.path))}")
        if images:
            folder = escape(f"{outcome.out_dir / 'images'}/")
            err.print(
                f"{label('output', lang)}{folder} " + text("page_images", lang, n=len(images))
            )
        report = outcome.out_dir / REPORT_FILE
        if report.exists():
            err.print(f"{label('report', lang)}{escape(str(report))}")


def label(key: str, lang: str) -> str:
    """A label before a value: 输出：… in Chinese, Output: … in English."""
    return text(key, lang) + ("：" if lang_key(lang) == "zh" else ": ")


def shown_day(day: date, estimated: bool, lang: str) -> str:
    """A review date, marked when it is an estimate."""
    shown = day_text(day, lang)
    return f"{shown}（{text('estimated', lang)}）" if estimated else shown
