"""Command line: parse, call ``api``, print, and map outcomes to exit codes.

The only module that prints. ``--json`` puts the manifest alone on stdout;
everything meant for a person goes to stderr.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from packager import __version__, api
from packager.errors import ExitCode, PackagerError
from packager.manifest import REPORT_FILE
from packager.messages import (
    both,
    day_text,
    kind_title,
    lang_key,
    measure_text,
    message,
    severity_name,
    text,
)
from packager.models import Kind, Outcome, Severity, Status
from packager.read.checks import PROFILES

err = Console(stderr=True, highlight=False, soft_wrap=True)

SEVERITY_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def _lang_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--lang",
        type=click.Choice(["zh", "en"]),
        default=None,
        help="Message language: zh (Simplified Chinese, default) or en.",
    )(func)


def _lang(value: str | None) -> str:
    return value or lang_key(os.environ.get("PACKAGER_LANG", "zh"))


@contextmanager
def _progress(enabled: bool, lang: str) -> Iterator[api.Progress | None]:
    if not enabled or not err.is_terminal:
        yield None
        return
    label = text("progress", lang)
    with Progress(
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


def _kind_rows(outcome: Outcome, lang: str) -> Table:
    """Kinds with their documents and pages; required kinds that are missing say so."""
    table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
    table.add_column(text("kind", lang))
    table.add_column(text("documents", lang), justify="right")
    table.add_column(text("pages", lang), justify="right")
    table.add_column(text("state", lang))
    missing = {str(f.params.get("kind")) for f in outcome.findings if "kind" in f.params}
    for kind in Kind:
        docs = [s for s in outcome.sources if s.kind is kind and s.status is Status.OK]
        if docs:
            state = f"[green]{text('have', lang)}[/]"
        elif kind.value in missing:
            state = f"[bold red]{text('missing', lang)}[/]"
        else:
            continue
        table.add_row(
            kind_title(kind, lang),
            str(len(docs)),
            str(sum(d.pages for d in docs)),
            state,
        )
    return table


def _summary(outcome: Outcome, lang: str) -> None:
    """Status, kinds, findings by severity, guidance, review dates, output paths."""
    if outcome.complete:
        err.print(f"[bold green]✔ {text('complete', lang)}")
    elif outcome.out_dir is not None:
        err.print(f"[bold red]✘ {text('draft', lang)}")
    else:
        err.print(f"[bold red]✘ {text('check_incomplete', lang)}")
    err.print(_kind_rows(outcome, lang))
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
            earliest=_day(r.earliest, r.earliest_estimated, lang),
            latest=_day(r.latest, r.latest_estimated, lang),
        )
        err.print(f"{_label('review', lang)}{line}" if lang == "zh" else line)
        if r.estimated:
            err.print(f"  [dim]{text('review_estimated', lang)}")
    if outcome.out_dir is not None:
        images = [o for o in outcome.outputs if o.path.startswith("images/")]
        for out in outcome.outputs:
            if out not in images and out.profile != "report":
                err.print(f"{_label('output', lang)}{escape(str(outcome.out_dir / out.path))}")
        if images:
            folder = escape(f"{outcome.out_dir / 'images'}/")
            err.print(
                f"{_label('output', lang)}{folder} " + text("page_images", lang, n=len(images))
            )
        report = outcome.out_dir / REPORT_FILE
        if report.exists():
            err.print(f"{_label('report', lang)}{escape(str(report))}")


def _label(key: str, lang: str) -> str:
    """A label before a value: 输出：… in Chinese, Output: … in English."""
    return text(key, lang) + ("：" if lang_key(lang) == "zh" else ": ")


def _day(day: date, estimated: bool, lang: str) -> str:
    shown = day_text(day, lang)
    return f"{shown}（{text('estimated', lang)}）" if estimated else shown


def _profiles(value: str) -> tuple[str, ...]:
    names = tuple(dict.fromkeys(p.strip().lower() for p in value.split(",") if p.strip()))
    unknown = [n for n in names if n not in PROFILES]
    if unknown or not names:
        raise click.BadParameter(
            f"{', '.join(unknown) or value!r}: use {', '.join(PROFILES)}", param_hint="--profile"
        )
    return names


def _finish(outcome: Outcome, as_json: bool, lang: str) -> int:
    if as_json:
        click.echo(json.dumps(outcome.manifest, ensure_ascii=False, indent=2))
    else:
        _summary(outcome, lang)
    return int(ExitCode.OK if outcome.complete else ExitCode.INCOMPLETE)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="packager")
def cli() -> None:
    """Turn a case folder of scans into a 逾期还款协商 packet (offline)."""


@cli.command()
@click.argument("case_dir", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--out",
    type=click.Path(path_type=Path),
    default=None,
    help="Output root; the packet goes to OUT/<case>/ (default: out/ beside inbox/).",
)
@click.option(
    "--profile",
    default="upload",
    show_default=True,
    callback=lambda _ctx, _param, value: _profiles(value),
    help="Comma-separated output profiles: upload (size-capped PDF + page images), "
    "mail (print-ready packet with cover sheet).",
)
@click.option(
    "--max-mb",
    type=click.FloatRange(min=0, min_open=True),
    default=None,
    help="Upload size cap in MB (1 MB = 1,000,000 bytes); overrides case.toml "
    "[output] upload_max_mb (default 10).",
)
@click.option("--gray", is_flag=True, help="Upload bundle in greyscale (smaller; seals lose red).")
@click.option(
    "--duplex", is_flag=True, help="Mail packet: blank pages so each document starts on a front."
)
@click.option("--json", "as_json", is_flag=True, help="Print the manifest as JSON on stdout.")
@_lang_option
def build(
    case_dir: Path,
    out: Path | None,
    profile: tuple[str, ...],
    max_mb: float | None,
    gray: bool,
    duplex: bool,
    as_json: bool,
    lang: str | None,
) -> None:
    """Build the packet for CASE_DIR into OUT/<case>/ (exit 5 when incomplete)."""
    language = _lang(lang)
    with _progress(not as_json, language) as progress:
        settings = api.Settings(
            lang=language,
            today=date.today(),
            progress=progress,
            profiles=profile,
            max_mb=max_mb,
            gray=gray,
            duplex=duplex,
        )
        outcome = api.build_case(case_dir, out, settings)
    sys.exit(_finish(outcome, as_json, language))


@cli.command()
@click.argument("case_dir", type=click.Path(path_type=Path))
@click.option(
    "--profile",
    default="upload",
    show_default=True,
    help="Check for these output profiles: upload, mail (mail needs both addresses).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the findings as JSON on stdout.")
@_lang_option
def check(case_dir: Path, profile: str, as_json: bool, lang: str | None) -> None:
    """Classify and check CASE_DIR without writing anything (exit 5 when incomplete)."""
    language = _lang(lang)
    profiles = _profiles(profile)
    with _progress(not as_json, language) as progress:
        settings = api.Settings(
            lang=language, today=date.today(), progress=progress, profiles=profiles
        )
        outcome = api.check_case(case_dir, settings)
    sys.exit(_finish(outcome, as_json, language))


@cli.command()
@click.argument("case_dir", type=click.Path(path_type=Path))
@_lang_option
def init(case_dir: Path, lang: str | None) -> None:
    """Create CASE_DIR with a commented case.toml, kind folders and 使用说明.txt."""
    from packager.scaffold import init_case

    language = _lang(lang)
    for path in init_case(case_dir, language):
        err.print(f"  [green]+[/] {escape(str(path))}{'/' if path.is_dir() else ''}")
    err.print(escape(text("init_done", language, folder=str(case_dir))))
    sys.exit(int(ExitCode.OK))


@cli.command()
@click.option(
    "-o",
    "--out",
    type=click.Path(path_type=Path),
    default=Path("out"),
    show_default=True,
    help="Output root; the demo goes to OUT/demo/.",
)
@_lang_option
def demo(out: Path, lang: str | None) -> None:
    """Build the bundled example case (a fictional person) into OUT/demo/."""
    from packager.demo import write_demo_case

    language = _lang(lang)
    today = date.today()
    with tempfile.TemporaryDirectory(prefix="packager-demo-") as tmp:
        case_dir = write_demo_case(Path(tmp) / "demo", today)
        settings = api.Settings(lang=language, today=today, profiles=("upload", "mail"))
        outcome = api.build_case(case_dir, out, settings)
    _summary(outcome, language)
    if outcome.out_dir is not None and outcome.outputs:
        click.echo(str((outcome.out_dir / outcome.outputs[0].path).resolve()))
    sys.exit(int(ExitCode.OK))


@cli.command()
@click.argument("inbox", type=click.Path(path_type=Path), default=Path("inbox"), required=False)
@click.option(
    "-o",
    "--out",
    type=click.Path(path_type=Path),
    default=Path("out"),
    show_default=True,
    help="Output root; each case goes to OUT/<case>/ (must not be inside INBOX).",
)
@click.option(
    "--polling", is_flag=True, help="Poll instead of OS events (automatic on NFS/SMB/FUSE)."
)
@click.option("--once", is_flag=True, help="Build every case that is out of date, then exit.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per event on stdout.")
@click.option(
    "--settle",
    type=click.FloatRange(min=0.1),
    default=2.0,
    show_default=True,
    help="Seconds a case must stay unchanged before it is built.",
)
@click.option(
    "--rescan",
    type=click.FloatRange(min=1.0),
    default=60.0,
    show_default=True,
    help="Seconds between full rescans (the safety net for lost events).",
)
@_lang_option
def watch(
    inbox: Path,
    out: Path,
    polling: bool,
    once: bool,
    as_json: bool,
    settle: float,
    rescan: float,
    lang: str | None,
) -> None:
    """Watch INBOX (default ./inbox): each sub-folder is a case, rebuilt into OUT when it changes."""
    from packager.watch import loop as watching

    language = _lang(lang)

    def emit(event: watching.WatchEvent) -> None:
        if as_json:
            click.echo(json.dumps(event.to_json(), ensure_ascii=False))
            return
        line = watching.describe(event, language)
        if line is not None:
            click.echo(line, err=True)

    config = watching.WatchConfig(
        inbox=inbox,
        out=out,
        polling=polling,
        once=once,
        settle=settle,
        rescan=rescan,
        lang=language,
    )
    sys.exit(watching.run(config, emit))


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the CLI and turn every failure into a documented exit code."""
    # pypdf logs its repairs of damaged PDFs; the user gets a finding instead.
    logging.getLogger("pypdf").addHandler(logging.NullHandler())
    try:
        cli.main(args=argv, prog_name="packager", standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(int(ExitCode.USAGE))
    except click.exceptions.Abort:
        sys.exit(int(ExitCode.INTERRUPTED))
    except PackagerError as exc:
        err.print(f"[bold red]✘[/] {exc.message}")
        sys.exit(int(exc.exit_code))
    except KeyboardInterrupt:
        sys.exit(int(ExitCode.INTERRUPTED))
    except Exception as exc:
        if os.environ.get("PACKAGER_DEBUG"):
            raise
        err.print(
            f"[bold red]✘[/] {escape(both('INTERNAL', error=f'{type(exc).__name__}: {exc}'))}"
        )
        sys.exit(int(ExitCode.INTERNAL))
    sys.exit(int(ExitCode.OK))
